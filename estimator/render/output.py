"""Rendering DataFrames for people and programs: table, csv, json, markdown."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from estimator.errors import InputError
from estimator.inputs.numbers import fmt_number
from estimator.render.escaping import json_visible, visible
from estimator.render.formats import FORMATS

__all__ = ["FORMATS", "render", "records"]


LABELS = {
    "bf16_dense_tflops": "bf16 TFLOPS", "fp8_dense_tflops": "fp8 TFLOPS", "memory_gb": "mem GB",
    "tdp_w": "TDP W", "nvlink_gb_per_s": "NVLink GB/s", "gpu_hours": "GPU-hours",
    "price_usd_per_gpu_hour_low": "$/GPU-h low", "price_usd_per_gpu_hour_typical": "$/GPU-h typ",
    "price_usd_per_gpu_hour_high": "$/GPU-h high", "price_band_rule": "band from",
    "cost_usd_low": "cost $ low", "cost_usd_typical": "cost $ typical",
    "cost_usd_high": "cost $ high", "energy_kwh": "energy kWh", "co2e_t": "CO2e t",
    "price_usd_per_gpu_hour_stated": "$/GPU-h stated", "cost_usd_stated": "cost $ stated",
    "cost_usd": "cost $", "price_usd_per_gpu_hour": "$/GPU-h", "solved_for": "solved for",
    "band_usd_per_gpu_hour_low": "band $/GPU-h low",
    "band_usd_per_gpu_hour_typical": "band $/GPU-h typ",
    "band_usd_per_gpu_hour_high": "band $/GPU-h high", "price_vs_band": "price vs band",
    "gpu_hours_low": "GPU-hours low", "gpu_hours_high": "GPU-hours high",
    "hours_low": "hours low", "hours_high": "hours high",
}
"""Short column headings for the human table view (csv/json keep the full names)."""


PLAIN_INTEGERS = {"dollar_year"}
"""Integer columns shown without thousands separators (a year is "2023", not "2,023")."""


def render(frame: pd.DataFrame, fmt: str = "table", columns: list[str] | None = None) -> str:
    """Text of ``frame`` in ``fmt``; ``columns`` picks what the table/markdown views show.

    Control and bidi characters are shown as escapes (escaping.py) except in csv."""
    frame = finite_for_output(frame, fmt)
    if fmt == "json":
        return to_json(records(frame))
    if fmt == "csv":
        flat = frame.copy()
        for col in flat.columns:
            if flat[col].dtype == object and any(isinstance(v, (list, dict)) for v in flat[col]):
                flat[col] = flat[col].map(_csv_cell)
        return flat.to_csv(index=False, float_format="%.12g").rstrip("\n")
    shown = frame[[c for c in columns if c in frame]] if columns else frame
    plain_ints = [c in PLAIN_INTEGERS for c in shown.columns]
    cells = [[str(v) if plain and isinstance(v, (int, np.integer)) else _cell(v)
              for v, plain in zip(row, plain_ints)] for row in shown.itertuples(index=False)]
    headers = [visible(h) for h in shown.columns]
    if fmt == "markdown":
        return _markdown(headers, cells)
    return _table([LABELS.get(h, h) for h in headers], cells,
                  numeric=[_is_numeric(shown[c]) for c in shown.columns])


def to_json(data, indent: int = 2) -> str:
    """JSON text of ``data``, non-ASCII text kept readable, control and bidi characters
    escaped (json_visible)."""
    return json_visible(json.dumps(data, indent=indent, ensure_ascii=False))


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready flat records: NaN -> None, numpy scalars -> Python numbers."""
    frame = finite_for_output(frame, "json")
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def plain(value):
    """A JSON-friendly Python value."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return float(f"{value:.12g}")          # 31577.315000000002 -> 31577.315
    if isinstance(value, np.bool_):
        return bool(value)
    if value is pd.NaT or (value is not None and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return value


INFINITE_MEANS = {"breakeven_utilisation": "never"}
"""Columns where +inf is an answer, not an overflow (ownership.py: owning never pays when the
rental price is at or below the power cost): the word in tables, empty in CSV, null in JSON."""


def finite_for_output(frame: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """The one check on every printed frame (render and records call it): a number is finite,
    or the column documents it as not applicable (NaN/None: empty, null). +-inf in any other
    numeric column means an input overflowed the computation: InputError (exit 2) naming the
    column and the row, never 'inf' printed with exit 0."""
    if not isinstance(frame, pd.DataFrame):
        return frame
    replaced = None
    for column in frame.columns:
        if not _is_numeric(frame[column]):
            continue
        infinite = np.isinf(frame[column].to_numpy(dtype=float))
        if not infinite.any():
            continue
        if column not in INFINITE_MEANS:
            _raise_infinite(frame, column, int(np.argmax(infinite)))
        replaced = frame.copy() if replaced is None else replaced
        word = INFINITE_MEANS[column] if fmt in ("table", "markdown") else None
        replaced[column] = [word if flag else value for flag, value in
                            zip(infinite, frame[column].tolist())]
    return frame if replaced is None else replaced


def _raise_infinite(frame: pd.DataFrame, column: str, row: int) -> None:
    labels = [f"{k} {frame[k].iloc[row]}" for k in ("gpu", "scenario", "stage", "quantity")
              if k in frame.columns]
    where = f" (row {row + 1}: {', '.join(labels)})" if labels else f" (row {row + 1})"
    raise InputError(f"the computed {column} is infinite{where}: an input is too large or too "
                     "small for the computation", key=column,
                     hint="Check the inputs' values and units against the limits in README's "
                          "'Numbers and units'.")


def _csv_cell(value) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(plain(value))
    return value


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _cell(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return fmt_number(value)
    if isinstance(value, (list, tuple)):
        return visible(", ".join(str(v) for v in value))
    if value is None:
        return ""
    return visible(value)


def _table(headers: list[str], cells: list[list[str]], numeric: list[bool]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(r) for r in cells])


def _markdown(headers: list[str], cells: list[list[str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(esc(h) for h in headers) + " |",
           "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
    return "\n".join(out)
