"""A user's own price quotes as CSV: the documented format (README, "Your own prices").

Columns (a header row; order free; ``estimator prices template`` writes an example):

=================  ==========================================================================
date               when the price was quoted, YYYY-MM-DD
gpu                profile id or alias (H100, nvidia-h100-sxm5-80gb...)
provider           who quoted it (a cloud, a reseller, your procurement contact)
provider_class     hyperscaler | neocloud | marketplace | index (empty: inferred from provider)
tier               on_demand | commit_1y | commit_3y | spot | marketplace
price              a number >= 0 (0 or empty: no price, row left out and counted)
currency           ISO code (USD, EUR, SEK...); converted to USD at the ECB rate of ``date``
unit               gpu_hour | instance_hour
gpus_per_instance  GPUs in the instance (needed for instance_hour)
source             where the price comes from (offer number, invoice, URL)
=================  ==========================================================================

Every row becomes one observation (not summarised), with the file name and row in its source.
"""

from __future__ import annotations

import csv
import datetime as dt

from estimator.bands import PROVIDER_CLASSES, TIERS
from estimator.data.importers.common import ImportResult
from estimator.data.observations import infer_provider_class, to_usd
from estimator.errors import DataFileError, EstimatorError

COLUMNS = ("date", "gpu", "provider", "provider_class", "tier", "price", "currency", "unit",
           "gpus_per_instance", "source")
REQUIRED = ("date", "gpu", "provider", "tier", "price", "currency", "unit", "source")
UNITS = ("gpu_hour", "instance_hour")

TEMPLATE = (
    ",".join(COLUMNS) + "\n"
    "2025-06-01,H100,Example Cloud (offer 1234),neocloud,commit_1y,2.10,USD,gpu_hour,,"
    "offer 1234 from Example Cloud\n"
    "2025-06-15,H100,Example Cloud (offer 1234),neocloud,on_demand,25.60,EUR,instance_hour,8,"
    "invoice 2025-06 line 3\n"
)
"""The example quote sheet of ``estimator prices template`` (made-up names and prices: replace
every row with your own)."""


def read_quotes(path, profiles) -> ImportResult:
    """A quote sheet -> ImportResult; any bad cell is a DataFileError naming row and column."""
    result = ImportResult(str(path), "csv")
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataFileError(f"cannot read the quote sheet: {exc.strerror}", file=str(path))
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise DataFileError(f"not a quote sheet: missing column {missing[0]!r}",
                                file=result.file, line=1, key=missing[0],
                                hint="Columns: " + ", ".join(COLUMNS) + " (estimator prices "
                                     "template writes an example).")
        start = reader.line_num + 1
        for raw in reader:
            _row(raw, start, result, profiles)
            start = reader.line_num + 1
    return result


def _cell(raw: dict, column: str) -> str:
    return (raw.get(column) or "").strip()


def _row(raw: dict, line: int, result: ImportResult, profiles) -> None:
    def fail(column, message, hint=None):
        raise DataFileError(message, file=result.file, line=line, key=column, hint=hint)

    for column in REQUIRED:
        if column != "price" and not _cell(raw, column):
            fail(column, "empty cell")
    try:
        date = dt.date.fromisoformat(_cell(raw, "date"))
    except ValueError:
        fail("date", f"expected a date YYYY-MM-DD, got {_cell(raw, 'date')!r}")
    try:
        gpu = profiles.get(_cell(raw, "gpu")).id
    except EstimatorError as exc:
        fail("gpu", exc.message, exc.hint)
    tier, unit = _cell(raw, "tier"), _cell(raw, "unit")
    provider_class = _cell(raw, "provider_class") or infer_provider_class(
        _cell(raw, "provider"), tier)
    for column, value, choices in (("tier", tier, TIERS), ("unit", unit, UNITS),
                                   ("provider_class", provider_class, PROVIDER_CLASSES)):
        if value not in choices:
            fail(column, f"unknown {column} {value!r}", "Valid: " + ", ".join(choices) + ".")
    text = _cell(raw, "price")
    try:
        price = float(text) if text else 0.0
    except ValueError:
        fail("price", f"expected a number, got {text!r}")
    if not price >= 0:
        fail("price", f"negative price {text!r}", "A price is a number >= 0.")
    if price == 0:
        result.dropped["no price (0 or empty)"] += 1
        return
    gpus = 1
    if unit == "instance_hour":
        try:
            gpus = int(_cell(raw, "gpus_per_instance"))
        except ValueError:
            gpus = 0
        if gpus < 1:
            fail("gpus_per_instance", "instance_hour needs gpus_per_instance (a whole number "
                                      f">= 1), got {_cell(raw, 'gpus_per_instance')!r}")
    currency = _cell(raw, "currency").upper()
    to_usd(price, currency, date, result.file, "currency", line)
    result.observations.append({
        "gpu": gpu, "provider": _cell(raw, "provider"), "provider_class": provider_class,
        "tier": tier, "price_per_gpu_hour": price / gpus, "currency": currency,
        **({"gpus_per_instance": gpus} if unit == "instance_hour" else {}),
        "date": date, "as_of": date, "confidence": "primary",
        "source": f"{result.name} row {line}: {_cell(raw, 'source')}",
        **({"note": f"{price:g} {currency} per {gpus}-GPU instance-hour / {gpus}"}
           if unit == "instance_hour" else {}),
    })
