"""Constant dollars: deflate a nominal USD amount spent in one month to another month's dollars.

The default index is FRED PCU518210518210 (PPI, data processing, hosting and related services),
the series Epoch AI uses (arXiv 2405.21015; docs/epoch-method.md §2.4), monthly.
``cpi`` is CPI-U (BLS, FRED CPIAUCNS) as annual averages (estimator/data/cpi_u_annual.yaml):
every month of a year takes its year's average, so a CPI-U restatement is year to year.

Month vs year: a bare year means its December, as Epoch AI writes "constant December-2024
dollars"; an amount dated after the series' last month is taken at that last month (no index
value exists yet), with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

from estimator.data.cost_tables import PriceIndex, load_cpi, load_ppi
from estimator.errors import InputError, unknown_name
from estimator.models.cost_formulas import real_dollars

INDEXES = {"ppi": load_ppi, "cpi": load_cpi}
"""Known price indexes by name: ppi (monthly, the default) and cpi (CPI-U annual averages)."""


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


def restate_factor(from_date, to_year_or_month, index: str = "ppi") -> float:
    """The factor I(to) / I(from) that restates USD of ``from_date``'s month into the dollars
    of ``to_year_or_month`` (a year means its December). A ``from_date`` after the series'
    last month uses that month's value and warns; any other month outside it is an error."""
    check_deflator(index)
    series = INDEXES[index]()
    source_month = month_of(from_date)
    if source_month > series.last:
        warnings.warn(f"{series.series} ends at {series.last:%Y-%m}; amounts priced in "
                      f"{source_month:%Y-%m} are restated from {series.last:%Y-%m} dollars",
                      UserWarning, stacklevel=2)
        source_month = series.last
    try:
        target = index_value(series, month_of(to_year_or_month))
    except InputError as exc:
        raise exc.located(key="dollars")
    try:
        source = index_value(series, source_month)
    except InputError as exc:
        raise exc.located(key="price_date")
    return float(real_dollars(1.0, target, source))


def check_deflator(index: str) -> str:
    """``index`` if it is a shipped index (INDEXES); a located error otherwise."""
    if index not in INDEXES:
        raise unknown_name("deflator", index, INDEXES, key="deflator")
    return index
