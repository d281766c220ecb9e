"""Constant dollars: deflate a nominal USD amount spent in one month to another month's dollars.

The index is FRED PCU518210518210 (PPI, data processing, hosting and related services), the
series Epoch AI uses (arXiv 2405.21015; ../shared/reference/epoch-method.md §2.4). CPI-U is a
later option; no CPI numbers ship yet.
"""

from __future__ import annotations

import datetime as dt
import re

from estimator.data.cost_tables import PriceIndex, load_ppi
from estimator.errors import InputError, unknown_name
from estimator.models.cost_methods import real_dollars

INDEXES = {"ppi": load_ppi}
"""Known price indexes by name."""


def month_of(when) -> dt.date:
    """The first day of the month of ``when``: a date/datetime, "YYYY-MM(-DD)" or a year.

    A bare year (int or "2024") means its December, Epoch AI's convention ("constant
    December-2024 dollars").
    """
    if isinstance(when, dt.datetime):
        return dt.date(when.year, when.month, 1)
    if isinstance(when, dt.date):
        return when.replace(day=1)
    if isinstance(when, int) and not isinstance(when, bool):
        return dt.date(when, 12, 1)
    text = str(when).strip()
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 1)
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    raise InputError(f"expected a year, YYYY-MM or YYYY-MM-DD, got {when!r}")


def index_value(index: PriceIndex, month: dt.date) -> float:
    """The index value of ``month`` (its first day); error when outside the series."""
    try:
        return index.values[month]
    except KeyError:
        raise InputError(
            f"{index.series} has no value for {month:%Y-%m}",
            hint=f"The series covers {index.first:%Y-%m} to {index.last:%Y-%m}.") from None


def deflate(amount_usd, from_date, to_year_or_month, index: str = "ppi"):
    """``amount_usd`` spent in the month of ``from_date`` expressed in the dollars of
    ``to_year_or_month`` (a year means its December): amount * I(to) / I(from)."""
    if index not in INDEXES:
        raise unknown_name("price index", index, INDEXES)
    series = INDEXES[index]()
    source = index_value(series, month_of(from_date))
    target = index_value(series, month_of(to_year_or_month))
    return real_dollars(amount_usd, target, source)
