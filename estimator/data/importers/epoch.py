"""Read Epoch AI's ``Hardware prices.csv`` (epoch-research/training-cost-trends, Apache-2.0)
into the tidy price table the cost methods use.

Tidy columns: ``date`` (datetime64), ``hardware``, ``vendor`` ("" when none), ``on_demand``,
``commit_1y``, ``commit_3y`` [USD per chip-hour], ``purchase`` [USD per unit], ``notes``,
``source`` (URL), ``row`` (the file line where the record starts). The file starts with a
UTF-8 BOM and has quoted cells with newlines (docs/epoch-method.md §5), so it is
read with the csv module as ``utf-8-sig``; "$1,234" strings become numbers; undated rows are
dropped and counted in ``frame.attrs["dropped_undated"]``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from estimator.data.importers.common import ImportResult, map_names
from estimator.data.importers.reading import dict_rows, dollar_amount, read_price_text
from estimator.data.observations import infer_provider_class
from estimator.errors import DataFileError

COLUMNS = {
    "Price date": "date",
    "Hardware model": "hardware",
    "Vendor": "vendor",
    "Price per chip-hour (on-demand)": "on_demand",
    "Price per chip-hour (1-year CUD)": "commit_1y",
    "Price per chip-hour (3-year CUD)": "commit_3y",
    "Price (hardware purchase)": "purchase",
    "Notes": "notes",
    "Price source": "source",
}
"""Epoch's column -> tidy column."""

MONEY = ("on_demand", "commit_1y", "commit_3y", "purchase")
TIDY_COLUMNS = ("date", "hardware", "vendor", *MONEY, "notes", "source", "row")


def parse_money(text: str) -> float:
    """'$1,234.50' / '1234.5' / '' -> 1234.5 / 1234.5 / nan [USD]; ValueError for anything
    with another reading ('3,42', '2_10', '$$3.$4', 'inf': importers/reading.py)."""
    return dollar_amount(text)


def _record(raw: dict, path: str, line: int) -> dict | None:
    """One tidy record, or None for an undated row."""
    date_text = (raw.get("Price date") or "").strip()
    if not date_text:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date_text):
            raise ValueError(date_text)
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        raise DataFileError(
            f"expected a date YYYY-MM-DD, got {date_text!r}", file=path, line=line, key="Price date"
        ) from None
    out = {"date": pd.Timestamp(date), "row": line}
    for column, tidy in COLUMNS.items():
        if tidy == "date":
            continue
        text = raw.get(column) or ""
        if tidy in MONEY:
            try:
                out[tidy] = parse_money(text)
            except ValueError:
                raise DataFileError(
                    f"expected a price in USD (a number such as 2.10 or $1,234.50), got "
                    f"{text!r}", file=path, line=line, key=column,
                    hint="One reading only: commas only between thousands, one decimal point, "
                         "at most one $ in front.") from None
        else:
            out[tidy] = text.strip()
    return out


def read_epoch_prices(path, *, encoding: str | None = None) -> pd.DataFrame:
    """Epoch's hardware price file -> tidy DataFrame (file order kept; see module doc). The
    file is read by importers/reading.py (regular file, size cap, one encoding)."""
    path = str(Path(path))
    text = read_price_text(path, encoding)
    records, dropped = [], 0
    for line, raw in dict_rows(text, path, what="an Epoch price file",
                               needed=("Price date", "Hardware model"),
                               hint="Expected Epoch AI's 'Hardware prices.csv' columns."):
        record = _record(raw, path, line)
        if record is None:
            dropped += 1
        else:
            records.append(record)
    frame = pd.DataFrame(records, columns=list(TIDY_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    frame.attrs["dropped_undated"] = dropped
    frame.attrs["path"] = path
    return frame


EPOCH_NAMES = {
    "NVIDIA A100 SXM4 80 GB": "nvidia-a100-sxm4-80gb",
    "NVIDIA A100 SXM4 40 GB": "nvidia-a100-sxm4-40gb",
    "NVIDIA H100 SXM5 80GB": "nvidia-h100-sxm5-80gb",
    "NVIDIA H100 PCIe": "nvidia-h100-pcie-80gb",
    "NVIDIA H100 NVL": "nvidia-h100-nvl-94gb",
    "NVIDIA H200 SXM": "nvidia-h200-sxm-141gb",
    "NVIDIA H800 SXM5": "nvidia-h800-sxm5-80gb",
    "NVIDIA H800 PCIe": "nvidia-h800-pcie-80gb",
    "NVIDIA HGX H20": "nvidia-h20-96gb",
    "NVIDIA B200": "nvidia-b200-sxm-180gb",
    "NVIDIA L40S": "nvidia-l40s-48gb",
    "NVIDIA Tesla V100 SXM2 32 GB": "nvidia-v100-sxm2-32gb",
    "AMD Instinct MI300X": "amd-mi300x",
    "AMD Radeon Instinct MI250X": "amd-mi250x",
    "Google TPU v3": "google-tpu-v3",
    "Google TPU v4": "google-tpu-v4",
    "Google TPU v5e": "google-tpu-v5e",
    "Google TPU v5p": "google-tpu-v5p",
    "Google TPU v6e Trillium": "google-tpu-v6e",
}
"""Epoch's ``Hardware model`` -> profile id. Names that do not say which memory size or form
factor ("NVIDIA A100", "NVIDIA A100 PCIe", "NVIDIA V100") are left unmapped: never guessed."""

TIER_COLUMNS = {"on_demand": "Price per chip-hour (on-demand)",
                "commit_1y": "Price per chip-hour (1-year CUD)",
                "commit_3y": "Price per chip-hour (3-year CUD)"}
"""Tier -> Epoch's column (USD per chip-hour, already per GPU)."""


def epoch_observations(path, *, extra_names=None, skip_unknown: bool = False, known_gpus=(),
                       encoding: str | None = None):
    """Epoch's price file -> ImportResult: one observation per row and priced tier, dated by
    ``Price date``, provider = ``Vendor``; rows without a rental price are counted."""
    result = ImportResult(str(path), "epoch")
    frame = read_epoch_prices(path, encoding=encoding)
    result.dropped["undated rows"] += frame.attrs["dropped_undated"]
    rental = frame[list(TIER_COLUMNS)].fillna(0).gt(0).any(axis=1)
    result.dropped["no rental price (purchase only)"] += int((~rental).sum())
    frame = frame[rental]
    ids = map_names(frame["hardware"], {**EPOCH_NAMES, **(extra_names or {})}, result,
                    rows=frame["row"], column="Hardware model", skip_unknown=skip_unknown,
                    choices=known_gpus)
    for index, gpu in ids.dropna().items():
        record = frame.loc[index]
        provider = record["vendor"] or "unnamed vendor (Epoch AI)"
        for tier, column in TIER_COLUMNS.items():
            price = record[tier]
            if not price > 0:
                continue
            date = record["date"].date()
            result.observations.append({
                "gpu": gpu, "provider": provider,
                "provider_class": infer_provider_class(provider, tier), "tier": tier,
                "price_per_gpu_hour": float(price), "currency": "USD", "date": date,
                "as_of": date, "confidence": "secondary",
                "_line": int(record["row"]),
                "source": f"{result.name} row {record['row']}, {column} (Epoch AI, "
                          f"training-cost-trends): {record['source']}",
            })
    return result
