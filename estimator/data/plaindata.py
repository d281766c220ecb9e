"""Frozen dataclasses <-> plain JSON-able data, for the profile cache.

Unlike pickle, decoding can only build the dataclasses named in an explicit table, from
fields that JSON can express; it never imports or calls anything else. Dates, tuples and
dicts are tagged so they come back as the same types (a tuple stays hashable).
"""

from __future__ import annotations

import dataclasses
import datetime as dt


def to_plain(value, classes: dict[str, type]):
    """``value`` as JSON-able data; TypeError for a type not listed (then nothing is cached)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value) is dt.date:
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [to_plain(v, classes) for v in value]}
    if isinstance(value, list):
        return [to_plain(v, classes) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[to_plain(k, classes), to_plain(v, classes)] for k, v in value.items()]}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and classes.get(name) is type(value):
        return {"$obj": name, "fields": {f.name: to_plain(getattr(value, f.name), classes)
                                         for f in dataclasses.fields(value) if f.init}}
    raise TypeError(f"cannot store {type(value).__name__} as plain data")


def from_plain(data, classes: dict[str, type]):
    """The value :func:`to_plain` encoded; TypeError/ValueError/KeyError on anything else."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_plain(v, classes) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise TypeError(f"not plain data: {type(data).__name__}")
    if "$date" in data:
        return dt.date.fromisoformat(data["$date"])
    if "$tuple" in data:
        return tuple(from_plain(v, classes) for v in _list(data["$tuple"]))
    if "$dict" in data:
        return {from_plain(k, classes): from_plain(v, classes) for k, v in _list(data["$dict"])}
    cls = classes[data["$obj"]]
    fields = data["fields"]
    if not isinstance(fields, dict):
        raise TypeError("dataclass fields must be a mapping")
    return cls(**{str(k): from_plain(v, classes) for k, v in fields.items()})


def _list(data) -> list:
    if not isinstance(data, list):
        raise TypeError(f"expected a list, got {type(data).__name__}")
    return data
