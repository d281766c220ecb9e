"""Turning user inputs into numpy axes and their cartesian product, without Python row loops."""

from __future__ import annotations

import re

import numpy as np

from estimator.errors import InputError
from estimator.inputs import units


def as_list(value) -> list:
    """A scalar becomes a one-item list; list, tuple, ndarray and Series become lists."""
    if value is None:
        return []
    if isinstance(value, str):
        check_not_grouped(value)
        return [v.strip() for v in value.split(",")] if "," in value else [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        return list(np.asarray(value).ravel().tolist())
    return [value]


def check_not_grouped(value) -> None:
    """InputError for text like '2,048': a list (2, 048) or one number (2048)? Every entry
    point refuses it, whether or not it takes a list there."""
    if isinstance(value, str) and _is_grouped_number(value):
        raise InputError(f"{value!r} is ambiguous: a list ({value.replace(',', ', ')}) or "
                         f"one number ({value.replace(',', '')})?",
                         hint=f"Write {value.replace(',', '')} for the number, or "
                              f"'{value.replace(',', ', ')}' (a space after each comma) "
                              "for the list.")


def ungrouped(value):
    """'1,720,320' -> '1720320' for a field that takes one value (scenario and data files,
    single-value API and CLI parameters): a thousands separator, since no list is possible
    there; anything else unchanged. Axes (lists) keep refusing it (check_not_grouped)."""
    if isinstance(value, str) and _is_grouped_number(value):
        return value.replace(",", "")
    return value


def _is_grouped_number(text: str) -> bool:
    """'2,048' (no space after the comma) reads as one number with a thousands separator, or
    as a list; '2, 048' is a list."""
    return bool(re.fullmatch(r"\s*\d{1,3}(,\d{3})+(\.\d+)?\s*", text))


def check_array(array: np.ndarray, kind: str, key: str) -> None:
    """Vectorised form of the scalar checks in units.parse: finite, non-negative, non-zero."""
    spec = units.KINDS[kind]
    if array.size == 0:
        raise InputError("no values given", key=key)
    bad = ~np.isfinite(array) | (array < 0) | ((array == 0) & (not spec.allow_zero))
    if spec.maximum is not None:
        bad |= array > spec.maximum
    if spec.minimum is not None:
        bad |= (array > 0) & (array < spec.minimum)
    if kind == "count":
        bad |= array != np.floor(array)
    if kind == "ratio":
        bad |= array < 1
    if bad.any():
        first = array[bad][0]
        raise InputError(f"{float(first):g} is not a valid value for {spec.default}", key=key,
                         hint=f"Values must be finite, positive and within limits, e.g. "
                              f"{units.example(kind)!r}.")


def check_derived(array, kind: str, name: str, inputs: str, key: str | None = None) -> None:
    """A computed ``name`` (e.g. "solved count") must stay within its kind's documented limits
    (units.KINDS minimum and maximum), so no later product or printed number overflows.
    ``inputs`` names what it came from, for the message ("cost, price and hours")."""
    spec = units.KINDS[kind]
    values = np.asarray(array, dtype=float).ravel()
    values = values[~np.isnan(values)]
    hint = f"Check the values and units of {inputs}; the limits keep every number finite."
    if spec.maximum is not None and (values > spec.maximum).any():
        raise InputError(f"the {name} {short(values.max())} is beyond the limit of "
                         f"{short(spec.maximum)} {spec.default}", key=key or kind, hint=hint)
    tiny = values[(values > 0) & (values < (spec.minimum or 0))]
    if tiny.size:
        raise InputError(f"the {name} {short(tiny.min())} is below the minimum of "
                         f"{short(spec.minimum)} {spec.default}", key=key or kind, hint=hint)


def short(number: float) -> str:
    """Three significant digits with a compact exponent: 1.27e+211 -> '1.27e211'."""
    return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", f"{float(number):.3g}")


def product_indices(lengths: list[int]) -> list[np.ndarray]:
    """Index arrays of the cartesian product of axes of ``lengths`` (C order).

    Axis i is repeated prod(lengths[i+1:]) times and tiled prod(lengths[:i]) times,
    which is what ``np.meshgrid(..., indexing="ij")`` followed by ravel gives, in
    O(total) memory per axis.
    """
    total = int(np.prod(lengths, dtype=np.int64)) if lengths else 1
    out = []
    inner = total
    for n in lengths:
        inner //= n
        outer = total // (n * inner)
        out.append(np.tile(np.repeat(np.arange(n, dtype=np.int64), inner), outer))
    return out
