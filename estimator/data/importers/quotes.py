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

import datetime as dt
import re

from estimator.bands import PROVIDER_CLASSES, TIERS
from estimator.data.importers.common import ImportResult
from estimator.data.importers.reading import dict_rows, plain_number, read_price_text
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


def read_quotes(path, profiles, *, encoding: str | None = None) -> ImportResult:
    """A quote sheet -> ImportResult; any bad cell is a DataFileError naming row and column.
    The file is read by importers/reading.py (regular file, size cap, one encoding)."""
    result = ImportResult(str(path), "csv")
    text = read_price_text(path, encoding)
    for line, raw in dict_rows(text, result.file, what="a quote sheet", needed=REQUIRED,
                               hint="Columns: " + ", ".join(COLUMNS) + " (estimator prices "
                                    "template writes an example)."):
        _row(raw, line, result, profiles)
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
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", _cell(raw, "date")):
            raise ValueError(_cell(raw, "date"))
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
    if text.startswith("-"):
        fail("price", f"the price {text} is negative", "A price is a number >= 0; 0 or empty "
             "means no price (the row is left out and counted).")
    try:
        price = plain_number(text) if text else 0.0
    except ValueError:
        fail("price", f"expected a price (a plain number such as 2.10), got {text!r}",
             "Write digits with a decimal point and no currency sign, thousands separator, "
             "or underscore; the currency goes in the currency column.")
    if price == 0:
        result.dropped["no price (0 or empty)"] += 1
        return
    gpus = 1
    count = _cell(raw, "gpus_per_instance")
    if unit == "instance_hour":
        gpus = int(count) if re.fullmatch(r"[0-9]{1,6}", count) else 0
        if gpus < 1:
            fail("gpus_per_instance", "instance_hour needs gpus_per_instance (a whole number "
                                      f"from 1 to 999999), got {count!r}")
    elif count:
        fail("gpus_per_instance", f"gpus_per_instance {count!r} is given but the unit is "
                                  "gpu_hour, so the price is already per GPU",
             "Set unit to instance_hour if the price is for the whole instance, or empty "
             "gpus_per_instance.")
    currency = _cell(raw, "currency").upper()
    to_usd(price, currency, date, result.file, "currency", line)
    result.observations.append({
        "gpu": gpu, "provider": _cell(raw, "provider"), "provider_class": provider_class,
        "tier": tier, "price_per_gpu_hour": price / gpus, "currency": currency,
        **({"gpus_per_instance": gpus} if unit == "instance_hour" else {}),
        "date": date, "as_of": date, "confidence": "primary",
        "source": f"{result.name} row {line}: {_cell(raw, 'source')}", "_line": line,
        **({"note": f"{price:g} {currency} per {gpus}-GPU instance-hour / {gpus}"}
           if unit == "instance_hour" else {}),
    })
