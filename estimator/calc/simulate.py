"""simulate(): Monte Carlo percentiles of cost, GPU-hours and energy, and what drives them.

Every input of estimate() may be a point, a range "low:high" (uniform) or a distribution
("triangular(1.5, 2, 4)", "lognormal(1.5, 4)": 5th and 95th percentiles, as Epoch AI fits
its inputs, arXiv 2405.21015). Without a price the GPU's price band is the 90% interval of
a lognormal (0.5x-2x the typical price where the band is one value). Draws are independent
and reproducible with ``seed``; the attribution is Spearman's rank correlation of each
uncertain input with the cost.

``method`` other than ``rental`` (the default) draws that method's price instead, a lognormal
with a 90% interval of 0.5x-2x the method's typical price at the training date ``date``
(Epoch AI, arXiv 2405.21015): the 3-year committed-use price (cloud), the amortised server
value per GPU-hour plus energy scaled by the drawn PUE and power fraction (amortised), or the
server price per GPU x the GPU count (acquisition); calc/cost_methods/simulate_inputs.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER
from estimator.calc.cost_methods.simulate_inputs import method_draws
from estimator.calc.deflator import check_deflator, restate_factor
from estimator.calc.engines import check_seed, dask_samples, local_samples
from estimator.calc.estimate import resolve_gpus, to_date
from estimator.calc.price_columns import GIVEN_TIER, band_date, kind_axes
from estimator.calc.request import Request
from estimator.calc.request_docs import documents_request
from estimator.data.fx import load_fx, parsed_usd
from estimator.errors import InputError
from estimator.inputs.distributions import Distribution, parse_distribution
from estimator.inputs.request import time_inputs
from estimator.models import energy, rental

PERCENTILES = (5, 50, 95)
OUTPUTS = ("cost_usd", "gpu_hours", "energy_kwh")


MAX_SAMPLES = 10_000_000
"""Most Monte Carlo draws [samples]: every draw, its outputs and their ranks are held in
memory; 1e7 draws peak at ~1.2 GB (measured; README "Limits"), 1e8 would need ~12 GB."""


def check_samples(n) -> int:
    """``n`` as a whole number of draws from 2 to MAX_SAMPLES; InputError naming samples."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not (
            2 <= n <= MAX_SAMPLES):
        raise InputError(f"samples must be a whole number from 2 to {MAX_SAMPLES:,}, got "
                         f"{n!r}", key="samples",
                         hint="Every draw is held in memory: 10,000,000 draws use about "
                              "1.2 GB.")
    return int(n)


@dataclass
class Simulation:
    """Result of simulate(): ``summary`` (P5/P50/P95/mean per output), ``drivers`` (rank
    correlation of each uncertain input with cost) and the ``samples`` themselves."""

    summary: pd.DataFrame
    drivers: pd.DataFrame
    samples: pd.DataFrame
    inputs: dict

    def __repr__(self) -> str:
        return f"Simulation(n={len(self.samples)})\n{self.summary}\n{self.drivers}"


def band_distribution(band) -> Distribution:
    """A price band as a lognormal with the band as its 90% interval, or 0.5x-2x the typical
    price where the band is one value (Epoch AI's price interval, arXiv 2405.21015)."""
    if band.low < band.high:
        return Distribution("lognormal", (band.low, band.high))
    return Distribution("lognormal", (band.typical * 0.5, band.typical * 2.0))


def price_distribution(profile, price, as_of, fx_on=None, tier=DEFAULT_TIER,
                       provider_class=None) -> Distribution:
    """The given price [USD/GPU-hour] (other currencies at ``fx_on``, else ``as_of``), or the
    profile's market band (in ``tier`` / ``provider_class``) as a lognormal."""
    if price is not None:
        return parse_distribution(price, "price", "price", on=fx_on or as_of, to_usd=parsed_usd)
    return band_distribution(profile.market_band(as_of, tier, provider_class))


@documents_request
def simulate(gpu="H800", count=None, hours=None, gpu_hours=None, price=None, *,
             pue=energy.DEFAULT_PUE, power_fraction=energy.DEFAULT_POWER_FRACTION,
             n: int = 100_000, seed=None, as_of=None, currency=None, fx_date=None,
             profiles=None, engine: str = "local", tier=DEFAULT_TIER, provider_class=None,
             dollars=None, deflator="ppi", method="rental", date=None) -> Simulation:
    """Monte Carlo of one training run on one GPU type; see the module docstring.

    Parameters
    ----------
    gpu : str
        One GPU id, alias or name ("H800").
    count, hours, gpu_hours : numeric or text
        Number of GPUs [GPU], wall-clock duration [h], total GPU time [GPU·h]: a point,
        "low:high" (uniform), "triangular(low, mode, high)" or "lognormal(p5, p95)".
    price : numeric or text, optional
        Rental price [USD/(GPU·h), or another currency at ``fx_date``], a point or a
        distribution; default: a lognormal over the GPU's price band.
    pue, power_fraction : numeric or text
        Power usage effectiveness [ratio] and average draw as a share of TDP [fraction],
        points or distributions.
    n : int
        Number of draws [samples], 2 to MAX_SAMPLES (1e7).
    seed : int, optional
        Random seed (same seed, same draws, on every engine).
    {request_parameters}
    engine : {"local", "dask"}
        Where the draws are made (calc/engines.py).

    method : {"rental", "cloud", "amortised", "acquisition"}, default "rental"
        Which cost to sample (module docstring): rental draws ``price``; cloud ``price`` (the
        3-year committed price), amortised ``hardware_usd_per_gpu_hour``, acquisition
        ``server_usd_per_gpu`` (needs ``count``), each lognormal 0.5x-2x its typical value.
        ``price`` is for rental only.
    date : date or "YYYY-MM-DD", optional
        Training start for a method's prices (default ``as_of``, else today).
    Returns
    -------
    Simulation
        ``summary`` (output, p5, p50, p95, mean, std of cost_usd [USD], gpu_hours [GPU·h],
        energy_kwh [kWh], and cost_<cur> with ``currency``), ``drivers`` (input,
        distribution, rank_correlation_with_cost), ``samples`` (one row per draw) and
        ``inputs`` (the distributions drawn from).
    """
    check_samples(n)
    seed = check_seed(seed)
    gpus = resolve_gpus(gpu, profiles)
    if len(gpus) != 1:
        raise InputError("simulate takes one GPU", key="gpu",
                         hint="Run it once per GPU, or use sweep for several.")
    profile = gpus[0]
    time = time_inputs(count, hours, gpu_hours, modes=("count*hours", "gpu_hours",
                                                       "gpu_hours/count"))
    values = {"count": count, "hours": hours, "gpu_hours": gpu_hours}
    dists = {k: parse_distribution(values[k], k, k) for k in values if k in time.given}
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    profiles=profiles, tier=tier, provider_class=provider_class,
                                    dollars=dollars, deflator=deflator)
    tier, provider_class = request.tier, request.provider_class
    on, fx_on = request.as_of, request.fx_date
    kinds = list(zip(*kind_axes([profile], tier, provider_class, on)[1:]))
    if price is None and method == "rental" and len(kinds) > 1:
        # tiers and classes are axes: one simulation per class x tier, same seed, stacked;
        # every draw of every part is held at once, so the parts share the one bound
        if check_samples(n) * len(kinds) > MAX_SAMPLES:
            raise InputError(f"{n:,} samples x {len(kinds)} tier/class combinations is "
                             f"{n * len(kinds):,} draws, more than the {MAX_SAMPLES:,} held "
                             "in memory at once", key="samples",
                             hint=f"Use --samples {MAX_SAMPLES // len(kinds):,} or fewer, or "
                                  "fewer tiers and classes.")
        parts = [simulate(gpu, count, hours, gpu_hours, None, pue=pue,
                          power_fraction=power_fraction, n=n, seed=seed, as_of=as_of,
                          currency=currency, fx_date=fx_date, profiles=profiles, engine=engine,
                          tier=t, provider_class=c, dollars=dollars, deflator=deflator)
                 for t, c in kinds]
        return stacked(parts, kinds)
    by_method = method_draws(profile, method, to_date(date, "date") or on, price=price,
                             given=set(time.given), profiles=profiles)
    if by_method is None:
        dists["price"] = price_distribution(profile, price, on, fx_on, tier, provider_class)
        price_date = band_date(None if price is not None else profile.market_band(
            on, tier, provider_class), fx_on or on if price is not None else on)
    else:
        dists[by_method.name] = by_method.distribution
        price_date = by_method.date
    factor = (None if request.dollars is None
              else restate_factor(price_date, request.dollars, check_deflator(request.deflator)))
    dists["pue"] = parse_distribution(pue, "ratio", "pue")
    dists["power_fraction"] = parse_distribution(power_fraction, "fraction", "power_fraction")
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}", key="engine", hint="Use local or dask.")
    draws = (dask_samples if engine == "dask" else local_samples)(dists, n, seed)
    samples = outputs(draws, profile.tdp_w or np.nan, by_method)
    columns = OUTPUTS
    if request.currency and request.currency.upper() != "USD":
        rate = load_fx().rate(request.currency, request.fx_on)
        column = f"cost_{rate.currency.lower()}"
        samples[column] = samples["cost_usd"] * rate.per_usd
        columns = OUTPUTS + (column,)
    if factor is not None:
        samples["cost_real_usd"] = samples["cost_usd"] * factor
        columns = columns + ("cost_real_usd",)
    summary = summarise(samples, columns)
    summary["tier"] = (GIVEN_TIER if price is not None else tier) if by_method is None else \
        ("commit_3y" if by_method.method == "cloud" else "")
    if by_method is not None:
        summary["method"] = by_method.method
    summary["price_date"] = price_date
    if request.dollars is not None:
        summary["dollar_year"] = request.dollars
    return Simulation(summary, drivers(draws, dists, samples["cost_usd"]), samples, dists)


def stacked(parts: list, kinds: list) -> Simulation:
    """Simulations of one run at several (tier, provider class) as one: summary, drivers and
    samples stacked with ``tier`` (and ``provider_class``, "all" for every class) columns;
    ``inputs`` maps "tier" or "tier/class" to each part's distributions."""
    classes = any(c is not None for _, c in kinds)

    def tagged(frame: pd.DataFrame, tier: str, cls) -> pd.DataFrame:
        out = frame.assign(tier=tier)
        return out.assign(provider_class=cls or "all") if classes else out

    def label(tier: str, cls) -> str:
        return tier + (f"/{cls or 'all'}" if classes else "")

    return Simulation(
        pd.concat([tagged(p.summary, t, c) for p, (t, c) in zip(parts, kinds)],
                  ignore_index=True),
        pd.concat([tagged(p.drivers, t, c) for p, (t, c) in zip(parts, kinds)],
                  ignore_index=True),
        pd.concat([tagged(p.samples, t, c) for p, (t, c) in zip(parts, kinds)],
                  ignore_index=True),
        {label(t, c): p.inputs for p, (t, c) in zip(parts, kinds)})


def outputs(draws: dict, tdp_w: float, by_method=None) -> pd.DataFrame:
    """GPU-hours, cost and energy of each draw (rental.py, energy.py; a method's cost from
    calc/cost_methods/simulate_inputs.py)."""
    gh = draws["gpu_hours"] if "gpu_hours" in draws else rental.gpu_hours(draws["count"],
                                                                          draws["hours"])
    cost = (rental.rental_cost_usd(gh, draws["price"]) if by_method is None
            else by_method.cost_usd(draws, gh))
    return pd.DataFrame({
        "gpu_hours": gh, "cost_usd": cost,
        "energy_kwh": energy.energy_kwh(gh, energy.average_power_w(tdp_w, draws["power_fraction"]),
                                        draws["pue"]),
    })


def summarise(samples: pd.DataFrame, columns=OUTPUTS) -> pd.DataFrame:
    """P5 / P50 / P95 / mean / std per output column."""
    rows = []
    for column in columns:
        values = samples[column].to_numpy()
        p5, p50, p95 = np.percentile(values, PERCENTILES)
        rows.append({"output": column, "p5": p5, "p50": p50, "p95": p95,
                     "mean": float(values.mean()), "std": float(values.std())})
    return pd.DataFrame(rows)


def rank(values: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 (ties broken by order; fine for continuous draws)."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks


def drivers(draws: dict, dists: dict, cost: pd.Series) -> pd.DataFrame:
    """Spearman rank correlation of each uncertain input with the cost, strongest first."""
    target = rank(cost.to_numpy())
    rows = []
    for name, values in draws.items():
        if dists[name].kind == "point":
            continue
        rho = float(np.corrcoef(rank(values), target)[0, 1])
        rows.append({"input": name, "distribution": str(dists[name]),
                     "rank_correlation_with_cost": rho})
    frame = pd.DataFrame(rows, columns=["input", "distribution", "rank_correlation_with_cost"])
    return frame.reindex(frame["rank_correlation_with_cost"].abs().sort_values(
        ascending=False).index).reset_index(drop=True)
