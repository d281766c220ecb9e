"""sweep(): the cartesian product of GPUs, counts, hours and prices, as fast as numpy allows.

Columns are built by broadcasting (``np.repeat`` / ``np.tile`` of each axis' values, or
``np.unravel_index`` for one chunk of rows), never by a Python loop over rows. Large sweeps
stream to CSV or Parquet in chunks so memory stays bounded (:func:`sweep_to_file`), and run
unchanged on Dask with ``engine="dask"`` (engines.py).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER, RangeColumns
from estimator.calc.deflator import restate_factor
from estimator.calc.engines import dask_frame
from estimator.calc.estimate import price_ranges, resolve_gpus
from estimator.calc.price_columns import band_date, kind_axes
from estimator.calc.request import Request, add_currency_columns
from estimator.calc.request_docs import documents_request
from estimator.data.writers import chunk_writer
from estimator.errors import InputError
from estimator.inputs.axes import check_derived
from estimator.inputs.request import parse_axis, time_inputs
from estimator.models import energy, rental

DEFAULT_CHUNK_ROWS = 2_000_000

MAX_ROWS_IN_MEMORY = 10_000_000
"""Most rows a sweep builds as one DataFrame (API ``sweep()``, the CLI without ``--out``, and
one chunk) [rows]: 10M rows peak at ~1.1 GB of memory (measured, README "Limits")."""

MAX_ROWS_STREAMED = 10_000_000_000
"""Most rows a sweep streams to ``--out`` in chunks [rows]: memory stays one chunk, but 1e10
rows take about an hour and some 300 GB of Parquet; beyond that it is a mistake."""

AXIS_NAMES = ("gpu", "count", "hours", "price", "pue", "power_fraction")


def check_rows(p: SweepGrid, limit: int, *, streamed: bool) -> None:
    """InputError naming the largest axis when the sweep has more than ``limit`` rows."""
    if p.rows <= limit:
        return
    names = [n for n in AXIS_NAMES if n != "price" or p.price_axis]
    if p.gpu_hours_mode:
        names[2] = "gpu_hours"
    sizes = dict(zip(names, p.shape))
    product = " x ".join(f"{v:,} {k}" for k, v in sizes.items() if v > 1) or "1"
    largest = max(sizes, key=sizes.get)
    how = ("Use fewer values (a coarser step)" if streamed else
           f"Write it to a file with --out FILE.parquet (streamed in chunks, up to "
           f"{MAX_ROWS_STREAMED:.0e} rows), or use fewer values")
    raise InputError(f"the sweep has {float(np.prod(p.shape, dtype=float)):.3g} rows "
                     f"({product} values), more than the {limit:.0e} rows a sweep "
                     f"{'streams to a file' if streamed else 'builds in memory'}",
                     key=largest.replace("_", "-"), hint=how + ".")


def check_chunk_rows(chunk_rows) -> int:
    """``chunk_rows`` as a whole number from 1 to MAX_ROWS_IN_MEMORY (one chunk is built in
    memory)."""
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or not (
            1 <= chunk_rows <= MAX_ROWS_IN_MEMORY):
        raise InputError(f"chunk rows must be a whole number from 1 to {MAX_ROWS_IN_MEMORY:,}, "
                         f"got {chunk_rows!r}", key="chunk-rows",
                         hint="The default, 2,000,000 rows, keeps memory near 0.3 GB.")
    return int(chunk_rows)


@dataclass(frozen=True)
class SweepGrid:
    """The axes of a sweep, resolved to arrays; rows are their product in this order."""

    gpu_ids: tuple
    bands: RangeColumns        # low/typical/high USD per GPU-hour [n_gpu or n_price]
    tdp_w: np.ndarray          # [n_gpu]
    count: np.ndarray
    hours: np.ndarray
    price_axis: bool           # True when prices are an axis of their own
    pue: np.ndarray
    power_fraction: np.ndarray
    gpu_hours_mode: bool = False   # ``hours`` holds GPU-hours; count and hours are unknown
    tier: str = DEFAULT_TIER       # the band's tier(s), or "given"
    tiers: tuple = ()              # per entry of the gpu axis: its tier (kind_axes), or ()
    classes: tuple = ()            # per entry of the gpu axis: its provider class (None: all)
    price_date: str = ""           # the bands' reference date (one date for the whole sweep)
    dollar_year: int | None = None
    real_factor: float = 1.0       # I(Dec dollar_year) / I(price month), calc/deflator.py

    @property
    def shape(self) -> tuple:
        """Axes, slowest first, in estimate()'s argument order: gpu, count, hours, price,
        pue, power_fraction."""
        return (len(self.gpu_ids), len(self.count), len(self.hours)) + (
            (len(self.bands),) if self.price_axis else ()) + (len(self.pue),
                                                              len(self.power_fraction))

    @property
    def rows(self) -> int:
        """Rows of the product (an int64 cannot overflow: each axis has at most 1e7 values,
        and a product past MAX_ROWS_STREAMED is refused before rows are built)."""
        total = float(np.prod(self.shape, dtype=float))
        return int(total) if total < 2**62 else 2**62


def sweep_grid(gpu, count, hours=None, gpu_hours=None, price=None, *,
               pue=energy.DEFAULT_PUE, power_fraction=energy.DEFAULT_POWER_FRACTION,
               request: Request | None = None, **request_keywords) -> SweepGrid:
    """Resolve and validate the sweep's inputs (gpu_hours stands in for count x hours), for
    ``request`` (calc/request.py), or one built from the request keywords (as_of, fx_date,
    profiles, tier, provider_class, dollars, deflator, currency). Without a price, tiers and
    provider classes are axes like the GPUs (kind_axes): the gpu axis holds one entry per
    GPU x class x tier; ``tier`` and ``provider_class`` among the keywords are the lists as the
    user gave them ("all": the tiers in which each GPU has a band)."""
    if request is None:
        request = Request.from_keywords(**request_keywords)
    gpus = resolve_gpus(gpu, request.profiles)
    as_of, fx_date = request.as_of, request.fx_date
    tier = request.tier
    row_tiers, row_classes = (), ()
    if price is None:
        gpus, row_tiers, row_classes = kind_axes(
            gpus, request_keywords.get("tier", request.tier),
            request_keywords.get("provider_class", request.provider_class), as_of)
        kinds = {"tier": row_tiers, "provider_class": row_classes}
    else:
        kinds = {"tier": tier, "provider_class": request.provider_class}
    _, bands, used = price_ranges(gpus, price, as_of=as_of, fx_date=fx_date, **kinds)
    price_date = band_date(used[0], request.fx_on if price is not None else as_of)
    year = request.dollars
    factor = 1.0 if year is None else restate_factor(price_date, year, request.deflator)
    time = time_inputs(count, hours, gpu_hours, modes=("count*hours", "gpu_hours"))
    if time.mode == "gpu_hours":
        counts, hrs = np.array([np.nan]), parse_axis(gpu_hours, "gpu_hours", "gpu_hours")
    else:
        counts, hrs = parse_axis(count, "count", "count"), parse_axis(hours, "hours", "hours")
        check_derived(counts.max() * hrs.max(), "gpu_hours", "computed gpu_hours",
                      "count and hours")       # the largest product, without building rows
    return SweepGrid(tuple(p.id for p in gpus), bands,
                np.array([p.tdp_w or np.nan for p in gpus]), counts, hrs, price is not None,
                parse_axis(pue, "ratio", "pue"),
                parse_axis(power_fraction, "fraction", "power_fraction"),
                gpu_hours_mode=time.mode == "gpu_hours",
                tier="given" if price is not None else tier, price_date=price_date,
                dollar_year=year, real_factor=factor, tiers=tuple(row_tiers),
                classes=tuple(row_classes))


class _Rows:
    """Expands per-axis values to rows [start, stop) of the product: repeat/tile for the whole
    product (no index arrays), or an unravelled index for one chunk."""

    def __init__(self, shape: tuple, start: int, stop: int):
        self.shape, self.total = shape, int(np.prod(shape, dtype=np.int64))
        self.full = start == 0 and stop == self.total
        self.idx = None if self.full else np.unravel_index(
            np.arange(start, stop, dtype=np.int64), shape)

    def expand(self, values: np.ndarray, axis: int) -> np.ndarray:
        if not self.full:
            return values[self.idx[axis]]
        inner = int(np.prod(self.shape[axis + 1:], dtype=np.int64))
        outer = self.total // (self.shape[axis] * inner)
        column = np.repeat(values, inner) if inner > 1 else values
        return np.tile(column, outer) if outer > 1 else column


def chunk_frame(p: SweepGrid, start: int, stop: int) -> pd.DataFrame:
    """The sweep's rows [start, stop) as a DataFrame (gpu as a categorical column)."""
    rows = _Rows(p.shape, start, stop)
    band_axis = 3 if p.price_axis else 0
    ids = list(dict.fromkeys(p.gpu_ids))        # a GPU repeats once per tier / class entry
    small = np.int8 if len(p.gpu_ids) < 127 else np.int32
    codes = rows.expand(np.array([ids.index(g) for g in p.gpu_ids], dtype=small), 0)
    count, hours = rows.expand(p.count, 1), rows.expand(p.hours, 2)
    if p.gpu_hours_mode:
        gh, hours = hours, np.full(len(hours), np.nan)
    else:
        gh = rental.gpu_hours(count, hours)
    data = {"gpu": pd.Categorical.from_codes(codes, categories=ids, validate=False),
            "count": count, "hours": hours, "gpu_hours": gh}
    prices = {name: rows.expand(np.ascontiguousarray(column), band_axis)
              for name, column in p.bands.items()}
    for name, price in prices.items():
        data[f"price_usd_per_gpu_hour_{name}"] = price
    for name, price in prices.items():
        data[f"cost_usd_{name}"] = rental.rental_cost_usd(gh, price)
    pue_axis = band_axis + 1 if p.price_axis else 3
    data["energy_kwh"] = energy.energy_kwh(gh, _watts(p, rows, pue_axis + 1),
                                           _axis_values(p.pue, rows, pue_axis))
    for name, values, axis in (("pue", p.pue, pue_axis),
                               ("power_fraction", p.power_fraction, pue_axis + 1)):
        if len(values) > 1:     # a list: one row per value, so name the value of each row
            data[name] = rows.expand(values, axis)
    frame = pd.DataFrame(data, copy=False)
    frame["tier"] = _entry_column(p.tiers, p.tier, rows, len(frame))
    if any(c is not None for c in p.classes):
        frame["provider_class"] = _entry_column(tuple(c or "all" for c in p.classes), "all",
                                                rows, len(frame))
    frame["price_date"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8),
                                                    [p.price_date])
    if p.dollar_year is not None:
        for name in ("low", "typical", "high"):
            frame[f"cost_real_usd_{name}"] = frame[f"cost_usd_{name}"] * p.real_factor
        frame["dollar_year"] = np.full(len(frame), p.dollar_year, dtype=np.int16)
    return frame


def _entry_column(per_entry: tuple, single: str, rows: _Rows, n: int) -> pd.Categorical:
    """A categorical column of the gpu axis' per-entry labels (tier or provider class), or
    ``single`` on every row when there are none."""
    if not per_entry:
        return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [single])
    names = list(dict.fromkeys(per_entry))
    codes = np.array([names.index(t) for t in per_entry], dtype=np.int8)
    return pd.Categorical.from_codes(rows.expand(codes, 0), names)


def _axis_values(values: np.ndarray, rows: _Rows, axis: int):
    """One value as a scalar (no row-length array), a list expanded to the rows."""
    return values[0] if len(values) == 1 else rows.expand(values, axis)


def _watts(p: SweepGrid, rows: _Rows, fraction_axis: int):
    """Average draw of each row [W] (energy.average_power_w of the GPU's TDP)."""
    if len(p.power_fraction) == 1:
        return rows.expand(energy.average_power_w(p.tdp_w, p.power_fraction[0]), 0)
    return energy.average_power_w(rows.expand(p.tdp_w, 0),
                                  rows.expand(p.power_fraction, fraction_axis))


def chunks(p: SweepGrid, chunk_rows: int = DEFAULT_CHUNK_ROWS):
    """Row ranges (start, stop) covering the sweep."""
    return [(s, min(s + chunk_rows, p.rows)) for s in range(0, p.rows, chunk_rows)]


@documents_request
def sweep(gpu="H800", count=None, hours=None, gpu_hours=None, price=None, *,
          pue=energy.DEFAULT_PUE, power_fraction=energy.DEFAULT_POWER_FRACTION, as_of=None,
          currency=None, fx_date=None, profiles=None, engine: str = "local",
          chunk_rows: int = DEFAULT_CHUNK_ROWS, tier=DEFAULT_TIER, provider_class=None,
          dollars=None, deflator="ppi"):
    """A tidy DataFrame with one row per combination (a Dask DataFrame with engine="dask").

    Axes vary slowest to fastest in estimate()'s order: gpu, count, hours, price (a list),
    pue, power_fraction (lists add ``pue`` / ``power_fraction`` columns).

    Parameters
    ----------
    gpu : str or list of str
        GPU ids, aliases or names ("H800,H100").
    count, hours, gpu_hours : numeric, text or list
        Number of GPUs [GPU], wall-clock duration [h], total GPU time [GPU·h]; lists, comma
        lists or ranges "start..stop..step" (count="256..4096..256"). Give count and hours,
        or gpu_hours.
    price : numeric, text or list, optional
        Rental price [USD/(GPU·h)], an axis of its own; default: each GPU's price band.
    pue, power_fraction : numeric or list
        Power usage effectiveness [ratio] and average draw as a share of TDP [fraction].
    {request_parameters}
    engine : {"local", "dask"}
        Where the rows are built (calc/engines.py); the results are equal.
    chunk_rows : int
        Rows per chunk (per Dask partition) [rows].


    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        Columns as estimate(): gpu, count, hours, gpu_hours [GPU·h],
        price_usd_per_gpu_hour_{low,typical,high} [USD/(GPU·h)], cost_usd_{low,typical,high}
        [USD], energy_kwh [kWh].
    """
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    profiles=profiles, tier=tier, provider_class=provider_class,
                                    dollars=dollars, deflator=deflator)
    p = sweep_grid(gpu, count, hours, gpu_hours, price, pue=pue, power_fraction=power_fraction,
                   request=request, tier=tier, provider_class=provider_class)
    chunk_rows = check_chunk_rows(chunk_rows)
    if engine == "dask":
        check_rows(p, MAX_ROWS_STREAMED, streamed=True)
        return dask_sweep(p, chunk_rows)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}", key="engine", hint="Use local or dask.")
    check_rows(p, MAX_ROWS_IN_MEMORY, streamed=False)
    frame = chunk_frame(p, 0, p.rows)
    if request.currency:    # the constant-dollar columns are the chunks' own (chunk_frame)
        add_currency_columns(frame, request.currency, request.fx_on)
    return frame


def sweep_to_file(path, *, progress: bool | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                  force: bool = False, **kwargs) -> int:
    """Compute the sweep in chunks and write it to ``path`` (.csv or .parquet).

    Memory stays about one chunk (``chunk_rows`` rows) whatever the sweep's size. The file is
    written to a temporary name in the same folder and renamed when complete.

    Parameters
    ----------
    path : str or Path
        The output file; its suffix (.csv or .parquet) picks the format.
    progress : bool, optional
        Show a progress bar on stderr (default: when stderr is a terminal).
    chunk_rows : int
        Rows per chunk [rows].
    force : bool
        Replace an existing file.
    **kwargs
        The arguments of :func:`sweep` (gpu, count, hours, gpu_hours, price, ...).

    Returns
    -------
    int
        The number of rows written.
    """
    chunk_rows = check_chunk_rows(chunk_rows)
    p = sweep_grid(**kwargs)
    check_rows(p, MAX_ROWS_STREAMED, streamed=True)
    progress = sys.stderr.isatty() if progress is None else progress
    ranges = chunks(p, chunk_rows)
    with chunk_writer(path, force=force, profiles=kwargs.get("profiles")) as write:
        for i, (start, stop) in enumerate(ranges, 1):
            write(chunk_frame(p, start, stop))
            if progress:
                _progress(i, len(ranges), stop)
    if progress:
        sys.stderr.write("\n")
    return p.rows


def dask_sweep(p: SweepGrid, chunk_rows: int):
    """The sweep as a lazy dask.dataframe, one partition per chunk of ``chunk_rows`` rows."""
    meta = chunk_frame(p, 0, min(1, p.rows)).iloc[:0]
    return dask_frame(lambda start, stop: chunk_frame(p, start, stop), chunks(p, chunk_rows),
                      meta)


def dask_sweep_to_file(path, *, force: bool = False, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                       **kwargs) -> int:
    """Compute the sweep's partitions on Dask and stream them into one file, in order;
    returns the number of rows written."""
    chunk_rows = check_chunk_rows(chunk_rows)
    resolved = sweep_grid(**kwargs)
    check_rows(resolved, MAX_ROWS_STREAMED, streamed=True)
    frame = dask_sweep(resolved, chunk_rows)
    with chunk_writer(path, force=force, profiles=kwargs.get("profiles")) as write:
        for partition in frame.to_delayed():
            write(partition.compute())
    return resolved.rows


def _progress(done: int, total: int, rows: int) -> None:
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks, "
                     f"{rows:,} rows")
    sys.stderr.flush()
