"""Dated exchange rates: amounts are USD inside, other currencies at the edges.

Rates come from ``estimator/data/fx_rates.yaml`` (ECB reference rates as cross rates
per USD, each dated and sourced). A conversion on a given day uses the nearest
earlier published date, and reports which date it used.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

from estimator.data.schema import Ctx, Date, Field, ListOf, MapOf, Num, Str, Struct
from estimator.data.yamlio import load_file
from estimator.errors import EstimatorError, InputError, unknown_name

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


@functools.lru_cache(maxsize=4)
def load_fx(path: str | None = None) -> FxTable:
    """Load and validate the FX table (the built-in one by default)."""

    path = path or str(resources.files("estimator") / "data" / "fx_rates.yaml")
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
        return float(to_usd(parsed.value, parsed.currency, on)[0])
    except EstimatorError as exc:
        raise exc.located(key=key)


def from_usd(amount_usd, currency: str, on: dt.date | None = None):
    """Convert ``amount_usd`` [USD] to ``currency`` at the rate of ``on``; returns (x, Rate)."""
    rate = load_fx().rate(currency, on)
    return np.multiply(amount_usd, rate.per_usd), rate
