"""One way in: every entry point (CLI, API, scenario files) parses user input here.

* :func:`parse_axis`: a scalar, list, tuple, ndarray, Series, comma list ("512, 1024") or a
  range "start..stop[..step]" of one kind, as a float array in the kind's canonical unit;
  amounts in a currency other than USD are converted with ``to_usd`` at the date ``on``.
* :func:`parse_band`: a point or "low:high", as an :class:`estimator.bands.Band`.
* :func:`parse_quantity` / :func:`parse_quantity_range`: one value (or "low:high") of a
  scenario or data file, keeping its currency for a later conversion at the file's FX date.
* :func:`to_date`: a date or "YYYY-MM-DD".
* :func:`time_inputs`: which of count, hours and gpu_hours were given, and which of the
  accepted combinations that is, with one error message for every entry point.

Currency conversion needs the FX table (estimator/data/fx.py); this package never imports
data/, so callers pass a converter, ``to_usd(parsed, on, key) -> float`` (e.g.
``estimator.data.fx.parsed_usd``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from estimator import clock
from estimator.bands import Band, Range
from estimator.errors import InputError
from estimator.inputs import units
from estimator.inputs.axes import as_list, check_array, ungrouped

RANGE_MAX_VALUES = 10**7
"""Most values one "start..stop..step" range may expand to (per axis)."""

Converter = Callable[[units.Parsed, "dt.date | None", "str | None"], float]


def to_date(value, key: str) -> dt.date | None:
    """A date, ISO text "YYYY-MM-DD" or "today" (:func:`estimator.clock.today`), as a
    datetime.date; None stays None."""
    if value is None or isinstance(value, dt.date):
        return value
    if str(value).strip().lower() == "today":
        return clock.today()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{value!r} is not a date", key=key,
                         hint="Write it as YYYY-MM-DD, e.g. 2025-01-31, or today.") from None


parse_date = to_date


def is_range(value) -> bool:
    """True for range text "start..stop" or "start..stop..step" (not a comma list of them)."""
    return isinstance(value, str) and ".." in value and "," not in value


def expand_range(text: str, kind: str, key: str) -> np.ndarray:
    """'256..4096..256' -> [256, 512, ..., 4096] in ``kind``'s canonical unit (step 1 when
    left out); at most :data:`RANGE_MAX_VALUES` values."""
    parts = str(text).split("..")
    if len(parts) not in (2, 3):
        raise InputError(f"cannot read range {text!r}", key=key,
                         hint="Write start..stop or start..stop..step, e.g. 256..4096..256.")
    start = units.parse_value(parts[0], kind, key=key)
    stop = units.parse_value(parts[1], kind, key=key)
    step = units.parse_value(parts[2], kind, key=key) if len(parts) == 3 else 1.0
    if stop < start:
        raise InputError(f"range {text!r} ends before it starts", key=key,
                         hint="Write start..stop with start <= stop.")
    size = (stop - start) / step + 1
    if size > RANGE_MAX_VALUES:
        raise InputError(f"range {text!r} has {size:,.0f} values; at most 1e7 per axis",
                         key=key, hint="Use a larger step.")
    values = np.arange(start, stop + step / 2, step)
    check_array(values, kind, key)
    return values


def expand(value, kind: str, key: str | None = None):
    """A range text becomes an array; anything else passes through unchanged."""
    return expand_range(value, kind, key or kind) if is_range(value) else value


def parse_scalar(value, kind: str, key: str, *, on: dt.date | None = None,
                 to_usd: Converter | None = None) -> float:
    """One value of ``kind`` in its canonical unit; other currencies converted at ``on``
    (without ``to_usd``, an InputError "this input takes USD"); "2,048" is 2048 (one value,
    so a thousands separator)."""
    value = ungrouped(value)
    parsed = parse_quantity(value, kind, key)
    if parsed.currency == "USD":
        return parsed.value
    if to_usd is None:
        return units.parse_value(value, kind, key=key)      # raises "this input takes USD"
    return to_usd(parsed, on, key)


def parse_quantity(value, kind: str, key: str | None = None) -> units.Parsed:
    """One value of ``kind`` as written in a scenario or data file ("80 h", "14 CNY/h",
    "2.788M"), in its canonical unit with its currency kept (converted later, at the file's
    FX date); "1,720,320" is one number with thousands separators: the field takes one value
    (issue 22; axes, which take lists, still refuse it)."""
    return units.parse(ungrouped(value), kind, key=key)


def parse_quantity_range(value, kind: str,
                         key: str | None = None) -> tuple[units.Parsed, units.Parsed]:
    """A point or "low:high" of ``kind`` as (low, high) parsed values (low == high for a
    point); both ends in one currency, low <= high."""
    if isinstance(value, str):
        value = ":".join(str(ungrouped(end.strip())) for end in value.split(":"))
    return units.parse_range(value, kind, key=key)


def parse_axis(value, kind: str, key: str, *, on: dt.date | None = None,
               to_usd: Converter | None = None) -> np.ndarray:
    """A scalar, list, tuple, ndarray, Series, comma list or "a..b..step" range as a float
    array in ``kind``'s canonical unit (e.g. USD per GPU-hour for "price")."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        array = value.astype(float, copy=False).ravel()
        check_array(array, kind, key)
        return array
    if is_range(value):
        return expand_range(value, kind, key)
    try:
        items = as_list(value)
    except InputError as exc:
        raise exc.located(key=key)
    if not items:
        raise InputError("no values given", key=key, hint=f"E.g. {units.example(kind)!r}.")
    out: list[float] = []
    for item in items:
        if is_range(item):
            out.extend(expand_range(item, kind, key))
        else:
            out.append(parse_scalar(item, kind, key, on=on, to_usd=to_usd))
    return np.array(out, dtype=float)


PRICE_KINDS = ("price", "money")
"""Input kinds whose ranges are prices (a Band, with a price's provenance fields): a GPU-hour
price and a purchase price; every other kind's range is a Range."""


def parse_band(value, kind: str, key: str, *, on: dt.date | None = None,
               to_usd: Converter | None = None, **provenance) -> Range:
    """A point or "low:high" (a (low, high) tuple too) as a Range (typical = midpoint): a
    price Band for the kinds in PRICE_KINDS (a user's price stands in for a market band)."""
    if isinstance(value, tuple) and len(value) == 2:
        value = f"{value[0]}:{value[1]}" if all(isinstance(v, str) for v in value) else value
    if isinstance(value, tuple):
        low, high = (parse_scalar(v, kind, key, on=on, to_usd=to_usd) for v in value)
    else:
        low_p, high_p = units.parse_range(value, kind, key=key)
        low, high = (_converted(p, value, kind, key, on, to_usd) for p in (low_p, high_p))
    if low > high:
        raise InputError(f"range {value!r} has low > high", key=key, hint="Write it as low:high.")
    return (Band if kind in PRICE_KINDS else Range).given(low, high, **provenance)


def _converted(parsed: units.Parsed, value, kind, key, on, to_usd) -> float:
    if parsed.currency == "USD":
        return parsed.value
    if to_usd is None:
        raise InputError(f"{value!r} is in {parsed.currency}; this input takes USD", key=key,
                         hint="Convert first (estimator convert) or use --currency for output.")
    return to_usd(parsed, on, key)


TIME_MODES = {frozenset({"count", "hours"}): "count*hours",
              frozenset({"gpu_hours"}): "gpu_hours",
              frozenset({"gpu_hours", "count"}): "gpu_hours/count",
              frozenset({"gpu_hours", "hours"}): "gpu_hours/hours"}
"""The accepted combinations of count, hours and gpu_hours, and their names."""

TIME_HINT = "E.g. --count 512 --hours 80, or --gpu-hours 2.788M."


@dataclass(frozen=True)
class TimeInputs:
    """Which of count, hours and gpu_hours were given, and the combination's name
    ("count*hours", "gpu_hours", "gpu_hours/count" or "gpu_hours/hours")."""

    given: frozenset
    mode: str


def time_message(given) -> str:
    """The one message for a combination of count / hours / gpu_hours that is not accepted."""
    return ("give count and hours, or gpu_hours (with count or hours to get the other); got "
            f"{', '.join(sorted(given)) or 'none of them'}")


def given_time(count=None, hours=None, gpu_hours=None) -> set:
    """The names of the time inputs that were given (not None)."""
    return {k for k, v in (("count", count), ("hours", hours), ("gpu_hours", gpu_hours))
            if v is not None}


def time_inputs(count=None, hours=None, gpu_hours=None, *,
                modes=None, key: str = "hours") -> TimeInputs:
    """Say which time inputs were given (not None) and which accepted combination they are.

    ``modes`` narrows the accepted combinations for an entry point that takes fewer
    (e.g. sweep takes "count*hours" and "gpu_hours"). Raises InputError otherwise.
    """
    modes = tuple(TIME_MODES.values()) if modes is None else modes
    given = frozenset(given_time(count, hours, gpu_hours))
    mode = TIME_MODES.get(given)
    if mode is None or mode not in modes:
        accepted = [m for m in TIME_MODES.values() if m in modes]
        hint = TIME_HINT if len(accepted) == len(TIME_MODES) else (
            f"Here: {', '.join(accepted)}. " + TIME_HINT)
        raise InputError(time_message(given), key=key, hint=hint)
    return TimeInputs(given, mode)
