"""The three cost methods for one training run, in nominal USD, with the price each used.

Orchestration over :mod:`estimator.calc.cost_methods` (dates, price rows) and
:mod:`estimator.models.cost_methods` (formulas), following Epoch AI (arXiv 2405.21015;
docs/epoch-method.md §2.1-2.3). Each returns None when the method has no
estimate (no price row, multi-hardware, a chip without a purchase price...).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from estimator.calc import cost_methods as rules
from estimator.models import cost_methods as cm


@dataclass(frozen=True)
class MethodResult:
    """One method's nominal cost [USD] and the price it used."""

    method: str
    usd: float
    price: rules.PriceChoice


def cloud(prices: pd.DataFrame, *, hardware: str, organisation: str, start, quantity,
          hours, tables=None) -> MethodResult | None:
    """Chip-hours (quantity x hours only) x the 3-yr-CUD price at S - 60 d (§2.1)."""
    if _missing(quantity) or _missing(hours):
        return None
    choice = rules.cloud_price(prices, hardware, organisation, start, tables=tables)
    if choice is None:
        return None
    return MethodResult("cloud", float(cm.cloud_cost(choice.usd, quantity * hours)), choice)


def amortised(prices: pd.DataFrame, *, hardware: str, organisation: str, start, release_date,
              chip_hours, tdp_w, year: int, tables=None,
              trend_oom_per_year=cm.DEPRECIATION_OOM_PER_YEAR,
              interconnect_share=cm.INTERCONNECT_SHARE, pue=None,
              electricity_usd_per_kwh=None) -> MethodResult | None:
    """Depreciated server value amortised over the run, plus interconnect, plus energy at the
    electricity price of ``year`` (the publication year in Epoch's convention) (§2.2)."""
    if _missing(chip_hours):
        return None
    picked = rules.server_price(prices, hardware, release_date, tables=tables)
    if picked is None:
        return None
    choice, acquired = picked
    years = rules.depreciation_years(acquired, start, hardware)
    value = cm.depreciated_value(choice.usd, years, trend_oom_per_year=trend_oom_per_year)
    energy = cm.energy_cost(
        tdp_w, chip_hours,
        electricity_usd_per_kwh if electricity_usd_per_kwh is not None
        else rules.electricity_price(year, tables=tables),
        server_power_factor=rules.server_power_factor(hardware, tables=tables),
        power_fraction=rules.power_fraction(hardware, tables=tables),
        pue=pue if pue is not None else rules.pue_for(organisation, tables=tables))
    usd = cm.amortised_cost(value, chip_hours, energy, trend_oom_per_year=trend_oom_per_year,
                            interconnect_share=interconnect_share)
    return MethodResult("amortised", float(usd), choice)


def acquisition(prices: pd.DataFrame, *, hardware: str, release_date, quantity, tables=None,
                interconnect_share=cm.INTERCONNECT_SHARE) -> MethodResult | None:
    """Quantity x per-chip server price / (1 - interconnect share), undepreciated (§2.3)."""
    if _missing(quantity):
        return None
    picked = rules.server_price(prices, hardware, release_date, tables=tables)
    if picked is None:
        return None
    choice = picked[0]
    usd = cm.acquisition_cost(quantity, choice.usd, interconnect_share=interconnect_share)
    return MethodResult("acquisition", float(usd), choice)


def _missing(value) -> bool:
    return value is None or pd.isna(value)
