"""The one cost path of the methods: a run and a price source in, low/typical/high costs out.

Every user of a cost method comes through here: ``estimate(method=...)`` (``cost --method``,
and through it method claims, ``plot methods`` and ``simulate --method``) with the profile's
prices (:class:`~estimator.calc.cost_methods.price_sources.ProfilePrices`), and
``benchmarks/epoch_parity.py`` with Epoch AI's price table
(:class:`~estimator.calc.cost_methods.price_sources.EpochPriceTable`). The formulas are
:mod:`estimator.models.cost_formulas` (Epoch AI, arXiv 2405.21015; docs/epoch-method.md
§2.1-2.3); the ranges are vectorised over (low, typical, high): each price is a lognormal
input with a 90% interval of 0.5x-2x its central value (PRICE_RANGE, Epoch AI's Monte
Carlo), paired with the run's high, typical and low chip-hours so that low goes with low.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from estimator.bands import LEGACY_RULE
from estimator.calc.cost_methods import rules
from estimator.calc.cost_methods.price_sources import MethodPrice, PriceSource
from estimator.calc.cost_methods.rules import PRODUCT, Conventions
from estimator.models import cost_formulas as formulas
from estimator.models.energy import DEFAULT_POWER_FRACTION, DEFAULT_PUE

METHODS = ("rental", "cloud", "amortised", "acquisition")
NAN3 = np.full(3, np.nan)


@dataclass(frozen=True)
class Run:
    """One training run as the methods see it.

    ``gpu_hours`` [chip-h] low, typical, high; ``count`` [GPU] (NaN when unknown); ``tdp_w``
    [W] per chip (NaN when unknown); ``pue`` and ``power_fraction`` of the energy;
    ``hardware`` the chip's name (it picks the server power factor); ``label`` names the chip
    in warnings.
    """

    hardware: str
    gpu_hours: np.ndarray
    count: float = np.nan
    tdp_w: float = np.nan
    pue: float = DEFAULT_PUE
    power_fraction: float = DEFAULT_POWER_FRACTION
    label: str = ""


@dataclass(frozen=True)
class Options:
    """The method constants a user may change: depreciation trend [OOM/year], interconnect
    share, server price factor (None: the chip's), electricity price [USD/kWh] (None: the
    EIA table's for ``electricity_year``), and the conventions and tables of the rules."""

    trend_oom_per_year: float = formulas.DEPRECIATION_OOM_PER_YEAR
    interconnect_share: float = formulas.INTERCONNECT_SHARE
    server_factor: float | None = None
    usd_per_kwh: float | None = None
    electricity_year: int | None = None
    conventions: Conventions = PRODUCT
    tables: dict | None = None


@dataclass(frozen=True)
class MethodCost:
    """A method's cost of a run: per (low, typical, high) the price per GPU-hour ``rate``
    [USD/GPU-h] (cloud, amortised incl. energy; NaN for acquisition), the server value per
    GPU ``per_gpu`` [USD] (amortised, acquisition), the ``cost`` [USD]; the typical run's
    ``energy_usd`` and ``energy_kwh`` (amortised: the same server draw, so energy_usd =
    energy_kwh x the price); ``basis`` and ``warning`` in words; the central ``price``."""

    method: str
    rate: np.ndarray
    per_gpu: np.ndarray
    cost: np.ndarray
    energy_usd: float = np.nan
    energy_kwh: float = np.nan
    basis: str = ""
    warning: str = ""
    price: MethodPrice | None = None


def no_cost(method: str, warning: str) -> MethodCost:
    return MethodCost(method, NAN3, NAN3, NAN3, warning=warning)


def stale_warning(run: Run, price: MethodPrice) -> str:
    if not price.stale:
        return ""
    return (f"{run.label}: no price observation in the {LEGACY_RULE.window_days} days before "
            "the date, so the earliest observations are used")


def rental(band, run: Run) -> MethodCost:
    """GPU-hours x the rental price band [USD/GPU-h] (low with low GPU-hours)."""
    rate = np.asarray(band, dtype=float)
    return MethodCost("rental", rate, NAN3, formulas.cloud_cost(rate, run.gpu_hours),
                      basis="rental price band")


def cloud(source: PriceSource, run: Run, start, options: Options = Options()) -> MethodCost:
    """Chip-hours x the 3-year committed-use price at start - 60 d (docs/epoch-method.md
    §2.1)."""
    price = source.cloud_price(start)
    if price is None:
        return no_cost("cloud", f"{run.label}: no rental observations for cloud")
    rate = np.array(formulas.price_band(price.usd))
    return MethodCost("cloud", rate, NAN3, formulas.cloud_cost(rate, run.gpu_hours),
                      basis=price.basis, warning=stale_warning(run, price), price=price)


def electricity(options: Options, start) -> tuple[float, str]:
    """The electricity price [USD/kWh] and its words: the given one, else the EIA table's for
    the options' year (else the start's) under the conventions."""
    if options.usd_per_kwh is not None:
        return options.usd_per_kwh, f"electricity {options.usd_per_kwh:g} USD/kWh"
    year = options.electricity_year or _date(start).year
    if options.conventions.clamp_electricity:
        year = rules.electricity_year(year, tables=options.tables)
    usd = rules.electricity_price(year, conventions=options.conventions, tables=options.tables)
    return usd, f"electricity {usd:g} USD/kWh (EIA {year})"


def amortised(source: PriceSource, run: Run, start, options: Options = Options()) -> MethodCost:
    """The depreciated server value used up by the run, / (1 - interconnect share), plus the
    server's energy (docs/epoch-method.md §2.2)."""
    value = source.server_value(start, depreciate=True,
                                trend_oom_per_year=options.trend_oom_per_year,
                                server_factor=options.server_factor)
    if value is None:
        return no_cost("amortised", f"{run.label}: no purchase price for amortised")
    per_gpu = np.array(formulas.price_band(value.usd))
    hardware_per_hour = formulas.with_interconnect(
        formulas.amortised_capex(per_gpu, 1.0, trend_oom_per_year=options.trend_oom_per_year),
        interconnect_share=options.interconnect_share)
    usd_per_kwh, words = electricity(options, start)
    kwh_per_hour = float(formulas.server_energy_kwh(
        run.tdp_w, 1.0, server_power_factor=rules.server_power_factor(
            run.hardware, tables=options.tables),
        power_fraction=run.power_fraction, pue=run.pue))
    energy_per_hour = kwh_per_hour * usd_per_kwh
    rate = hardware_per_hour + energy_per_hour
    warning = stale_warning(run, value)
    if not np.isfinite(run.tdp_w) or not run.tdp_w:
        warning = f"{run.label}: no TDP, energy unknown"
    typical_hours = float(run.gpu_hours[1])
    return MethodCost("amortised", rate, per_gpu, formulas.cloud_cost(rate, run.gpu_hours),
                      energy_usd=energy_per_hour * typical_hours,
                      energy_kwh=kwh_per_hour * typical_hours,
                      basis=f"{value.basis}; {words}", warning=warning, price=value)


def acquisition(source: PriceSource, run: Run, start,
                options: Options = Options()) -> MethodCost:
    """Count x the per-chip server price / (1 - interconnect share), undepreciated
    (docs/epoch-method.md §2.3)."""
    value = source.server_value(start, depreciate=False, server_factor=options.server_factor)
    if value is None:
        return no_cost("acquisition", f"{run.label}: no purchase price for acquisition")
    per_gpu = np.array(formulas.price_band(value.usd))
    warning = (stale_warning(run, value) if np.isfinite(run.count)
               else "acquisition needs the GPU count")
    cost = formulas.acquisition_cost(run.count, per_gpu,
                                     interconnect_share=options.interconnect_share)
    return MethodCost("acquisition", NAN3, per_gpu, cost, basis=value.basis, warning=warning,
                      price=value)


COSTERS = {"cloud": cloud, "amortised": amortised, "acquisition": acquisition}


def method_cost(method: str, source: PriceSource, run: Run, start,
                options: Options = Options()) -> MethodCost:
    """The cost of ``run`` by ``method`` (cloud, amortised, acquisition) with ``source``'s
    prices at training start ``start``."""
    return COSTERS[method](source, run, start, options)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
