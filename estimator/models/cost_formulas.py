"""The formulas of the three cost methods: cloud rental, amortised capex + energy, acquisition.

Pure vectorised numpy formulas in canonical units (USD, hours, W, kWh). They follow Epoch
AI's method (Cottier et al. 2024, "The rising costs of training frontier AI models", arXiv
2405.21015; code and data epoch-research/training-cost-trends, stated in
docs/epoch-method.md §2). Every constant is a named default that callers
override by keyword; the constants are estimator/models/constants.py's; the tables (CUD
discounts, server factors, PUE, electricity by year) live in
``estimator/data/cost_methods.yaml`` and the rules that read them in
:mod:`estimator.calc.cost_methods.rules`.
"""

from __future__ import annotations

import numpy as np

from estimator.models.constants import (
    DAYS_PER_YEAR,
    DEFAULT_MFU,
    DEPRECIATION_OOM_PER_YEAR,
    HOURS_PER_YEAR,
    INTERCONNECT_SHARE,
    PRICE_RANGE,
)

THREE_YEAR = "commit_3y"
ONE_YEAR = "commit_1y"
ON_DEMAND = "on_demand"
PRICE_TYPES = (THREE_YEAR, ONE_YEAR, ON_DEMAND)
"""Rental price types in Epoch AI's search order (3-yr CUD first)."""


def committed_use_price(price_usd_per_hour, discount_of_price, discount_wanted):
    """Convert a rental price to another commitment basis [USD/chip-hour].

    p_wanted = p * (1 - d_wanted) / (1 - d_price), with d the discount off on-demand of each
    basis (Epoch AI, docs/epoch-method.md §2.1 step 5: p3 = p (1 - d3) / (1 - dt)).
    """
    return (
        np.asarray(price_usd_per_hour, dtype=float)
        * (1.0 - np.asarray(discount_wanted))
        / (1.0 - np.asarray(discount_of_price))
    )


def cloud_cost(price_usd_per_chip_hour, chip_hours):
    """Cloud rental cost [USD] = price per chip-hour x chip-hours (docs/epoch-method.md §2.1
    step 6)."""
    return np.asarray(price_usd_per_chip_hour, dtype=float) * np.asarray(chip_hours, dtype=float)


def depreciated_value(price_usd, years, *, trend_oom_per_year=DEPRECIATION_OOM_PER_YEAR):
    """Value [USD] of hardware bought for ``price_usd`` after ``years``.

    V = P * 10^(-0.14 y): hardware loses value as fast as price-performance improves
    (Epoch AI, arXiv 2405.21015; docs/epoch-method.md §2.2 step 2).
    """
    return np.asarray(price_usd, dtype=float) * np.power(
        10.0, -trend_oom_per_year * np.asarray(years, dtype=float)
    )


def years_from_days(whole_days, *, days_per_year=DAYS_PER_YEAR):
    """Whole days -> years of depreciation (Epoch AI divides whole days by 365.25)."""
    return np.asarray(whole_days, dtype=float) / days_per_year


def amortised_capex(
    value_usd,
    chip_hours,
    *,
    trend_oom_per_year=DEPRECIATION_OOM_PER_YEAR,
    hours_per_year=HOURS_PER_YEAR,
):
    """Hardware value used up by a run [USD] = V * (0.14 ln 10) / 8766 * H.

    0.14 ln 10 = 0.3224/yr is the optimal replacement rate under a 0.14 OOM/yr trend
    (Epoch AI, arXiv 2405.21015; docs/epoch-method.md §2.2 step 3). ``value_usd`` is per chip
    (server share included); ``chip_hours`` [chip-h].
    """
    rate_per_hour = trend_oom_per_year * np.log(10.0) / hours_per_year
    return np.asarray(value_usd, dtype=float) * rate_per_hour * np.asarray(chip_hours, dtype=float)


def with_interconnect(server_cost_usd, *, interconnect_share=INTERCONNECT_SHARE):
    """Cluster cost [USD] = server cost / (1 - interconnect share) (docs/epoch-method.md §2.2
    step 4)."""
    return np.asarray(server_cost_usd, dtype=float) / (1.0 - interconnect_share)


def server_energy_kwh(tdp_w, chip_hours, *, server_power_factor, power_fraction, pue):
    """Facility energy of a run [kWh] = TDP_kW * k_srv * f_pow * PUE * H.

    ``tdp_w`` [W] per chip, ``server_power_factor`` k_srv (server power per chip / chip TDP:
    the whole server's draw, not the chip's alone), ``power_fraction`` f_pow (average draw /
    TDP), ``pue`` (facility / IT power), ``chip_hours`` H. Epoch AI, docs/epoch-method.md
    §2.2 step 5.
    """
    kw = np.asarray(tdp_w, dtype=float) / 1000.0
    return (
        kw
        * np.asarray(server_power_factor)
        * np.asarray(power_fraction)
        * np.asarray(pue)
        * np.asarray(chip_hours, dtype=float)
    )


def energy_cost(tdp_w, chip_hours, usd_per_kwh, *, server_power_factor, power_fraction, pue):
    """Electricity for a run [USD] = :func:`server_energy_kwh` x e, ``usd_per_kwh`` e
    (Epoch AI, docs/epoch-method.md §2.2 step 5)."""
    return server_energy_kwh(
        tdp_w, chip_hours, server_power_factor=server_power_factor,
        power_fraction=power_fraction, pue=pue,
    ) * np.asarray(usd_per_kwh, dtype=float)


def amortised_cost(
    value_usd,
    chip_hours,
    energy_usd,
    *,
    trend_oom_per_year=DEPRECIATION_OOM_PER_YEAR,
    hours_per_year=HOURS_PER_YEAR,
    interconnect_share=INTERCONNECT_SHARE,
):
    """Amortised capex + energy [USD]: amortised(V, H) / (1 - share) + energy (§2.2 step 6)."""
    hardware = amortised_capex(
        value_usd, chip_hours, trend_oom_per_year=trend_oom_per_year, hours_per_year=hours_per_year
    )
    return with_interconnect(hardware, interconnect_share=interconnect_share) + np.asarray(
        energy_usd
    )


def acquisition_cost(quantity, server_price_usd, *, interconnect_share=INTERCONNECT_SHARE):
    """Purchase cost of the cluster [USD] = quantity * P / (1 - 0.19), P per chip incl. server
    share; no depreciation (Epoch AI, docs/epoch-method.md §2.3)."""
    return with_interconnect(
        np.asarray(quantity, dtype=float) * np.asarray(server_price_usd),
        interconnect_share=interconnect_share,
    )


def chip_hours_from_flop(flop, peak_flop_per_s, utilisation=DEFAULT_MFU):
    """Chip-hours [chip-h] = FLOP / (peak FLOP/s * utilisation) / 3600 (docs/epoch-method.md
    §2.0)."""
    return (
        np.asarray(flop, dtype=float)
        / (np.asarray(peak_flop_per_s, dtype=float) * np.asarray(utilisation))
        / 3600.0
    )


def real_dollars(nominal_usd, index_target, index_at_spend):
    """Constant dollars [USD of the target month] = nominal * I(target) / I(month spent)
    (Epoch AI deflates with FRED PCU518210518210; docs/epoch-method.md §2.4)."""
    return (
        np.asarray(nominal_usd, dtype=float)
        * np.asarray(index_target, dtype=float)
        / np.asarray(index_at_spend, dtype=float)
    )


def price_band(typical, price_range=PRICE_RANGE):
    """(low, typical, high) of a price [any unit]: typical x the 90% interval multipliers."""
    typical = np.asarray(typical, dtype=float)
    return typical * price_range[0], typical, typical * price_range[1]
