"""The tables of the three cost methods and the PPI deflator series, read from package data.

``cost_methods.yaml`` holds Epoch AI's constants and tables (CUD discounts, vendors, server
price and power factors, PUE, electricity by year...); ``ppi_pcu518210518210.yaml`` the FRED
PCU518210518210 monthly index used to express costs in constant dollars. Both are validated
with the located-error schema (file, line, key) and cached.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

from estimator.data.schema import Ctx, Date, Field, ListOf, MapOf, Num, Str, Struct, sourced
from estimator.data.yamlio import load_file

_FRACTION = Num(minimum=0.0, exclusive=False, maximum=1.0)


def _table(fields: dict) -> Struct:
    """A table whose numbers share one source and as_of."""
    return Struct(
        {
            "source": Field(Str(), required=True),
            "as_of": Field(Date(), required=True),
            "note": Field(Str()),
            **fields,
        }
    )


COST_METHODS_SCHEMA = Struct(
    {
        "constants": Field(MapOf(sourced(Num(minimum=0.0, exclusive=False))), required=True),
        "cud_discounts": Field(
            _table(
                {
                    "vendors": Field(
                        MapOf(
                            Struct(
                                {
                                    "aliases": Field(ListOf(Str()), default=()),
                                    "on_demand": Field(_FRACTION, required=True),
                                    "commit_1y": Field(_FRACTION, required=True),
                                    "commit_3y": Field(_FRACTION, required=True),
                                }
                            )
                        ),
                        required=True,
                    )
                }
            ),
            required=True,
        ),
        "vendors": Field(
            _table(
                {
                    "by_organisation": Field(MapOf(Str()), required=True),
                    "default": Field(Str(), required=True),
                    "fallback_order": Field(ListOf(Str()), required=True),
                    "tpu_vendor": Field(Str(), required=True),
                }
            ),
            required=True,
        ),
        "price_families": Field(
            _table({"families": Field(MapOf(ListOf(Str())), required=True)}), required=True
        ),
        "gpu_aliases": Field(
            _table({"names": Field(ListOf(Str(), min_items=1), required=True)}), required=True
        ),
        "server_price_factor": Field(
            _table(
                {
                    "by_alias": Field(MapOf(Num()), required=True),
                    "default": Field(Num(), required=True),
                }
            ),
            required=True,
        ),
        "tpu_equivalent_price_usd": Field(
            _table({"by_chip": Field(MapOf(Num()), required=True)}), required=True
        ),
        "server_power_factor": Field(
            _table(
                {
                    "tpu": Field(MapOf(Num()), required=True),
                    "tpu_default": Field(Num(), required=True),
                    "gpu": Field(MapOf(Num()), required=True),
                    "gpu_default": Field(Num(), required=True),
                }
            ),
            required=True,
        ),
        "power_fraction": Field(
            _table({"tpu": Field(_FRACTION, required=True)}),
            required=True,
        ),
        "pue": Field(
            _table(
                {
                    "hyperscale": Field(Num(minimum=1.0, exclusive=False), required=True),
                    "hyperscale_organisations": Field(ListOf(Str()), required=True),
                }
            ),
            required=True,
        ),
        "electricity_usd_per_kwh": Field(
            _table({"by_year": Field(MapOf(Num()), required=True)}), required=True
        ),
    },
    title="Cost-method tables",
)

PPI_SCHEMA = Struct(
    {
        "series": Field(Str(), required=True),
        "source": Field(Str(), required=True),
        "as_of": Field(Date(), required=True),
        "base": Field(Str()),
        "monthly": Field(MapOf(Num()), required=True),
    },
    title="Price index",
)


CPI_SCHEMA = Struct(
    {
        "series": Field(Str(), required=True),
        "source": Field(Str(), required=True),
        "as_of": Field(Date(), required=True),
        "confidence": Field(Str(choices=("primary", "faithful-copy", "secondary")),
                            required=True),
        "annual": Field(MapOf(Num()), required=True),
    },
    title="Annual price index",
)


@dataclass(frozen=True)
class PriceIndex:
    """A monthly price index: {first day of month: value}, with its source."""

    series: str
    values: dict
    source: str
    as_of: dt.date

    @property
    def first(self) -> dt.date:
        return min(self.values)

    @property
    def last(self) -> dt.date:
        return max(self.values)


def _data_path(name: str) -> str:
    return str(resources.files("estimator") / "data" / name)


@functools.lru_cache(maxsize=4)
def load_cost_tables(path: str | None = None) -> dict:
    """The validated cost-method tables (the built-in file by default)."""
    path = path or _data_path("cost_methods.yaml")
    data = COST_METHODS_SCHEMA.validate(load_file(path), Ctx(path))
    by_year = data["electricity_usd_per_kwh"]["by_year"]
    data["electricity_usd_per_kwh"]["by_year"] = {int(year): v for year, v in by_year.items()}
    return data


def constant(name: str, path: str | None = None) -> float:
    """One named constant (e.g. ``publication_lag_days``) from the tables."""
    return load_cost_tables(path)["constants"][name]["value"]


@functools.lru_cache(maxsize=4)
def load_ppi(path: str | None = None) -> PriceIndex:
    """The PCU518210518210 monthly index (the built-in file by default)."""
    path = path or _data_path("ppi_pcu518210518210.yaml")
    data = PPI_SCHEMA.validate(load_file(path), Ctx(path))
    ctx = Ctx(path)
    values = {}
    for month, value in data["monthly"].items():
        values[Date().validate(str(month), ctx.child("monthly", None).child(str(month), None))] = (
            value
        )
    return PriceIndex(data["series"], values, data["source"], data["as_of"])


@functools.lru_cache(maxsize=4)
def load_cpi(path: str | None = None) -> PriceIndex:
    """CPI-U annual averages (estimator/data/cpi_u_annual.yaml) as a monthly index: every month
    of a year takes its year's average, so a restatement with CPI-U is year to year."""
    path = path or _data_path("cpi_u_annual.yaml")
    data = CPI_SCHEMA.validate(load_file(path), Ctx(path))
    ctx = Ctx(path)
    values = {}
    for year, value in data["annual"].items():
        if not str(year).isdigit():
            raise ctx.child("annual", None).child(str(year), None).error(
                f"{year!r} is not a year")
        for month in range(1, 13):
            values[dt.date(int(year), month, 1)] = value
    return PriceIndex(data["series"], values, data["source"], data["as_of"])
