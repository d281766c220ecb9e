"""What every price importer shares: the result, accelerator-name mapping, money checks, and
the region summary (one observation per GPU and tier: median, with min and max kept).

An importer never guesses a GPU: a catalog name is mapped through the importer's explicit
table (plus the user's ``--map NAME=GPU``); an unknown name is an error naming file, row and
column with a did-you-mean, or, with ``skip_unknown``, listed and counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from estimator.data.importers.reading import PLAIN_NUMBER
from estimator.errors import DataFileError, InputError, did_you_mean


@dataclass
class ImportResult:
    """The observations read from one file, and what was left out (reason -> rows)."""

    file: str
    format: str
    observations: list = field(default_factory=list)   # dicts in observation-file keys
    # (plus "_line": the input line of the row, for messages; not written)
    dropped: Counter = field(default_factory=Counter)
    unknown: dict = field(default_factory=dict)         # accelerator name -> rows
    notes: list = field(default_factory=list)           # messages for people (flags)
    flags: dict = field(default_factory=dict)           # accelerator name -> flag text

    @property
    def name(self) -> str:
        return Path(self.file).name


def parse_mappings(pairs, profiles) -> dict:
    """``["NAME=GPU", ...]`` (``--map``) -> {NAME: profile id}; the GPU must be a profile."""
    out = {}
    for pair in pairs or ():
        name, sep, gpu = pair.partition("=")
        if not sep or not name.strip() or not gpu.strip():
            raise InputError(f"--map expects NAME=GPU, got {pair!r}", key="map",
                             hint="E.g. --map 'V100=nvidia-v100-sxm2-32gb'.")
        out[name.strip()] = profiles.get(gpu.strip()).id
    return out


def map_names(names: pd.Series, table: dict, result: ImportResult, *, rows: pd.Series,
              column: str, skip_unknown: bool, choices=()) -> pd.Series:
    """Catalog accelerator names -> profile ids (None where unknown and skipped).

    An unknown name is a DataFileError naming the first row and column, listing every
    unknown name with a did-you-mean; with ``skip_unknown`` the rows are counted instead."""
    ids = recode(names, table) if isinstance(names.dtype, pd.CategoricalDtype) else \
        names.map(table)
    unknown = names[ids.isna() & names.notna()]
    if unknown.empty:
        return ids
    counts = unknown.value_counts(sort=False)
    counts = counts[counts > 0]                 # a categorical counts every category
    listed = ", ".join(f"{n!r} ({c} rows)" for n, c in counts.items())
    if not skip_unknown:
        first = unknown.index[0]
        pool = [*table, *choices]
        raise DataFileError(
            f"unknown accelerator {unknown.loc[first]!r}"
            f"{did_you_mean(unknown.loc[first], pool)}; unknown here: {listed}",
            file=result.file, line=int(rows.loc[first]), key=column,
            hint="Map a name with --map 'NAME=GPU id', or leave these rows out with "
                 "--skip-unknown (never guessed).")
    for name, count in counts.items():
        result.unknown[name] = result.unknown.get(name, 0) + int(count)
        result.dropped[f"unknown accelerator {name}"] += int(count)
    return ids


def recode(column: pd.Series, mapping) -> pd.Series:
    """A categorical ``column`` mapped category by category (``mapping``: dict or function;
    None or NaN -> empty cell), still categorical: 100,000 rows cost one look-up per distinct
    name, not per row."""
    categories = column.cat.categories
    lookup = mapping.get if isinstance(mapping, dict) else mapping
    values = pd.Series([lookup(c) for c in categories], dtype=object)
    inverse, uniques = pd.factorize(values)
    codes = column.cat.codes.to_numpy()
    new = np.where(codes >= 0, np.append(inverse, -1)[codes], -1)
    return pd.Series(pd.Categorical.from_codes(new, uniques), index=column.index)


def per_row(column: pd.Series, function, missing) -> np.ndarray:
    """``function(category)`` of a categorical ``column``, spread to its rows (``missing``
    where the cell is empty) as a numpy array."""
    values = [function(c) for c in column.cat.categories]
    return np.append(np.asarray(values), missing)[column.cat.codes.to_numpy()]


def money_column(frame: pd.DataFrame, column: str, result: ImportResult,
                 rows: pd.Series, what: str = "a price") -> pd.Series:
    """A price column as floats [currency per row unit]: empty or 0 -> NaN ("no price",
    counted); text that is not one plain number (importers/reading.py), an infinite or a
    negative value -> DataFileError naming the row."""
    raw = frame[column]
    if raw.dtype.kind == "f":
        values = raw
        bad = pd.Series(False, index=raw.index)
    else:
        text = raw.astype(object)
        plain = text.isna() | text.astype(str).str.strip().str.fullmatch(PLAIN_NUMBER.pattern)
        values = pd.to_numeric(text.where(plain), errors="coerce")
        bad = ~plain | (values.isna() & raw.notna())   # empty cells are NaN already
    infinite = np.isinf(values.to_numpy(float))
    negative = values < 0
    for mask, words in ((bad, f"expected {what} (a plain number)"),
                        (infinite, "the value is not a finite number"),
                        (negative, f"{what} cannot be negative")):
        mask = pd.Series(np.asarray(mask, dtype=bool), index=raw.index)
        if mask.any():
            first = mask.idxmax()
            shown = raw.loc[first]
            shown = repr(shown) if isinstance(shown, str) else f"{shown:g}"
            raise DataFileError(f"{words}, got {shown}", file=result.file,
                                line=int(rows.loc[first]), key=column,
                                hint="A number >= 0 written with digits and one decimal "
                                     "point; 0 or empty means none.")
    missing = values.isna() | (values == 0)
    result.dropped[f"no {column} (0 or empty)"] += int(missing.sum())
    return values.where(~missing)


def require_columns(columns, needed, result: ImportResult, what: str) -> None:
    """DataFileError at line 1 naming the first missing column."""
    missing = [c for c in needed if c not in columns]
    if missing:
        raise DataFileError(f"not {what}: missing column {missing[0]!r}", file=result.file,
                            line=1, key=missing[0],
                            hint="Columns needed: " + ", ".join(needed) + ".")


MAX_RANGES = 12
"""Row ranges spelled out in a source; more are elided (a shuffled catalog has thousands)."""


def compact_rows(rows) -> str:
    """[2, 3, 4, 9] -> "2-4, 9" (file line numbers); past MAX_RANGES ranges the middle ones
    are elided: "2-4, 9, ..., 80 (40 ranges)"."""
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size > 1 and not (np.diff(rows) > 0).all():     # usually already in file order
        rows = np.unique(rows)
    if rows.size == 0:
        return ""
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts, ends = rows[np.r_[0, breaks + 1]], rows[np.r_[breaks, rows.size - 1]]
    spans = [str(a) if a == b else f"{a}-{b}" for a, b in
             zip(_ends(starts).tolist(), _ends(ends).tolist())]
    if len(starts) <= MAX_RANGES:
        return ", ".join(spans)
    head = MAX_RANGES - 1
    return ", ".join(spans[:head]) + f", ..., {spans[-1]} ({len(starts)} ranges)"


def _ends(values: np.ndarray) -> np.ndarray:
    """The first MAX_RANGES - 1 values and the last one (all when there are few)."""
    return values if values.size <= MAX_RANGES else np.r_[values[:MAX_RANGES - 1], values[-1:]]


def summarise(long: pd.DataFrame, result: ImportResult, *, provider: str,
              provider_class: str, date: dt.date, what: str) -> None:
    """One observation per (gpu, tier) of ``long`` (columns gpu, tier, usd [USD per
    GPU-hour], row; no empty cells: the caller leaves them out): the median, with min, max
    and the rows kept (a catalog lists one price per region or zone; a band should count the
    provider once)."""
    if long.empty:
        return
    for (gpu, tier), usd, rows in _groups(long):
        result.observations.append({
            "gpu": gpu, "provider": provider, "provider_class": provider_class, "tier": tier,
            "price_per_gpu_hour": _round(np.median(usd)), "currency": "USD", "date": date,
            "as_of": date, "confidence": "secondary",
            "source": f"{result.name} rows {compact_rows(rows)} ({what}; "
                      f"median of {usd.size} rows)",
            "price_min_per_gpu_hour": _round(usd.min()),
            "price_max_per_gpu_hour": _round(usd.max()),
            "rows_used": usd.size, "_line": int(rows[0]),
        })


def _groups(long: pd.DataFrame):
    """((gpu, tier), usd array, row array) per (gpu, tier) of ``long``, in sorted key order,
    from one stable sort (rows keep their file order within a group); a groupby with
    ``agg(list)`` builds a Python list per group and costs several times more."""
    gpu_codes, gpus = _sorted_codes(long["gpu"])
    tier_codes, tiers = _sorted_codes(long["tier"])
    key = gpu_codes.astype(np.int64) * len(tiers) + tier_codes
    order = np.argsort(key, kind="stable")
    key, usd, rows = key[order], long["usd"].to_numpy(float)[order], \
        long["row"].to_numpy(np.int64)[order]
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    ends = np.r_[starts[1:], key.size]
    for start, end in zip(starts.tolist(), ends.tolist()):
        gpu, tier = divmod(int(key[start]), len(tiers))
        yield (gpus[gpu], tiers[tier]), usd[start:end], rows[start:end]


def _sorted_codes(column: pd.Series) -> tuple:
    """(codes, values in sorted order) of ``column``; a categorical by its codes (cheap)."""
    column = column.astype("category")
    column = column.cat.set_categories(sorted(column.cat.categories))
    return column.cat.codes.to_numpy(), column.cat.categories


def _round(value: float) -> float:
    """A price rounded to 6 significant digits (catalogs list 4 to 7)."""
    return float(np.format_float_positional(value, precision=6, unique=False, fractional=False,
                                            trim="-"))
