"""The request around a calculation, built once from the user's keywords, and the one
finishing step every cost frame goes through (issue 24).

A :class:`Request` holds what is not the run itself: the price date (``as_of``), the output
currency and its rate date, the grid intensity, extra profile folders, the price tier and
provider class, and constant dollars with their deflator. ``Request.from_keywords`` checks
each of them once (errors keyed to the option, with the valid choices); the calculators take
the Request, and :func:`finish` adds the columns it asks for: constant dollars, another
currency and CO2e. The API functions keep their keywords as a thin layer over it; the text of
those keywords is shared (calc/request_docs.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from estimator.bands import RANGE_ENDS
from estimator.calc.deflator import check_deflator
from estimator.calc.price_columns import add_real_columns, dollar_year, price_kind
from estimator.data.fx import load_fx
from estimator.data.grid_regions import intensity_kg_per_kwh
from estimator.errors import EstimatorError, InputError
from estimator.inputs.request import to_date
from estimator.models.energy import co2e_tonnes


@dataclass(frozen=True)
class Request:
    """What a calculation is asked for besides the run (see the module docstring)."""

    as_of: dt.date | None = None
    fx_date: dt.date | None = None
    currency: str | None = None
    carbon_intensity: object = None
    profiles: object = None
    tier: str = "on_demand"
    provider_class: str | None = None
    dollars: int | None = None
    deflator: str = "ppi"

    @classmethod
    def from_keywords(cls, *, as_of=None, fx_date=None, currency=None, carbon_intensity=None,
                      profiles=None, tier=None, provider_class=None, dollars=None,
                      deflator="ppi") -> Request:
        """Check the API keywords once: dates, tier and class, the dollars year and index."""
        tier, provider_class = price_kind(tier, provider_class)
        year = dollar_year(dollars)
        if year is not None:
            check_deflator(deflator)
        return cls(as_of=to_date(as_of, "as_of"), fx_date=to_date(fx_date, "fx_date"),
                   currency=currency or None, carbon_intensity=carbon_intensity,
                   profiles=profiles, tier=tier, provider_class=provider_class, dollars=year,
                   deflator=deflator)

    @property
    def fx_on(self) -> dt.date | None:
        """The date of the exchange rate: ``fx_date``, else ``as_of`` (None: the latest)."""
        return self.fx_date or self.as_of


def finish(frame: pd.DataFrame, request: Request, *, real_prefixes=("cost",),
           currency_prefix: str = "cost") -> pd.DataFrame:
    """The one finishing step: constant-dollar columns of ``real_prefixes`` (from each row's
    ``price_date``), the ``currency_prefix`` columns in the requested currency, and CO2e from
    ``energy_kwh``; each only when the request asks for it."""
    add_real_columns(frame, request.dollars, request.deflator, prefixes=real_prefixes)
    if request.currency:
        add_currency_columns(frame, request.currency, request.fx_on, prefix=currency_prefix)
    if request.carbon_intensity is not None:
        add_co2_column(frame, request.carbon_intensity)
    return frame


def add_currency_columns(frame: pd.DataFrame, currency: str, on: dt.date | None,
                         prefix: str = "cost") -> None:
    """Add ``<prefix>_<cur>_{low,typical,high}`` (and ``<prefix>_<cur>``), the rate
    ``fx_rate_<cur>_per_usd`` [<cur>/USD] and the rate's ``fx_date``; nothing for USD."""
    try:
        rate = load_fx().rate(currency, on)
    except EstimatorError as exc:
        raise exc.located(key="currency" if "currency" in exc.message else "fx_date")
    code = rate.currency.lower()
    if code == "usd":
        return
    for name in RANGE_ENDS + ("",):
        column = f"{prefix}_usd_{name}" if name else f"{prefix}_usd"
        if column in frame:
            target = f"{prefix}_{code}_{name}" if name else f"{prefix}_{code}"
            frame[target] = frame[column].to_numpy() * rate.per_usd
    frame[f"fx_rate_{code}_per_usd"] = rate.per_usd
    frame["fx_date"] = rate.date.isoformat()


def add_co2_column(frame: pd.DataFrame, carbon_intensity) -> None:
    """Add co2e_t [t CO2e] = energy_kwh x intensity (models/energy.py), and the intensity
    used [kg CO2e/kWh] (a number, text with units or a region name, data/grid_regions.py)."""
    if "energy_kwh" not in frame:
        raise InputError("no energy column to turn into CO2e", key="carbon_intensity")
    intensity = intensity_kg_per_kwh(carbon_intensity)
    frame["carbon_intensity_kg_per_kwh"] = intensity
    frame["co2e_t"] = co2e_tonnes(frame["energy_kwh"].to_numpy(), np.float64(intensity))
