"""Monte Carlo over a scenario: percentiles of each claim's quantity and P(claim holds).

Inputs are drawn independently (the simplification Epoch AI makes too, arXiv 2405.21015):
the rental price lognormal with the GPU's price band as its 90% interval (0.5x-2x the
typical price where the band is one value, Epoch AI's interval); MFU lognormal over the
stage's or scenario's MFU range (default 0.15-0.65); power per GPU, PUE, grid intensity and
server overhead uniform over their ranges; purchase price lognormal over observed prices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.calc.engines import check_seed, dask_samples, local_samples
from estimator.calc.simulate import PERCENTILES, band_distribution, check_samples
from estimator.data.fx import load_fx
from estimator.errors import InputError, ScenarioError
from estimator.inputs.distributions import Distribution
from estimator.scenarios.evaluate import contexts, input_bands, stage_quantities, total_arrays
from estimator.scenarios.verdicts import fx_date, holds


def _lognormal_or_point(low: float, high: float) -> Distribution:
    if not (np.isfinite(low) and np.isfinite(high)):
        return Distribution("point", (np.nan,))
    if low == high:
        return Distribution("point", (low,))
    return Distribution("lognormal", (low, high))


def _uniform_or_point(low: float, high: float) -> Distribution:
    return Distribution("point", (low,)) if low == high else Distribution("uniform", (low, high))


def input_distributions(ctx, scenario) -> dict:
    """Name -> Distribution for one stage, from the same input Bands as the verdicts."""
    bands = input_bands(ctx, scenario)
    price = (band_distribution(ctx.price_band) if ctx.price_band is not None
             else Distribution("point", (bands["price"].stated,)))
    overhead = bands["server_overhead"]
    return {
        "price": price,
        "mfu": _lognormal_or_point(bands["mfu"].low, bands["mfu"].high),
        "power_w": _uniform_or_point(bands["power_w"].low, bands["power_w"].high),
        "pue": _uniform_or_point(bands["pue"].low, bands["pue"].high),
        "carbon_intensity": _uniform_or_point(bands["carbon_intensity"].low,
                                              bands["carbon_intensity"].high),
        "purchase_usd": _lognormal_or_point(bands["purchase_usd"].low,
                                            bands["purchase_usd"].high),
        "server_overhead": _uniform_or_point(2 * overhead.typical - overhead.high,
                                             overhead.high),
        "interconnect_share": Distribution("point", (bands["interconnect_share"].typical,)),
    }


ENGINES = {"local": local_samples, "dask": dask_samples}
"""Where the draws are made; both give the same draws for the same seed (calc/engines.py)."""


def sample_stages(scenario, n: int = 100_000, seed=None, profiles=None,
                  engine: str = "local") -> dict:
    """n draws of every quantity of every stage: stage name -> quantity -> ndarray[n]."""
    n = check_samples(n)
    seed = check_seed(seed)
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", key="engine", hint="Use local or dask.")
    out = {}
    for i, ctx in enumerate(contexts(scenario, profiles)):
        dists = input_distributions(ctx, scenario)
        inputs = ENGINES[engine](dists, n, None if seed is None else [seed, i])
        out[ctx.stage.name] = stage_quantities(ctx, inputs)
    return out


def _total(per_stage: dict, names=()) -> dict:
    chosen = [v for name, v in per_stage.items() if not names or name in names]
    return total_arrays(chosen)


def simulate_scenario(scenario, n: int = 100_000, seed=None, profiles=None,
                      engine: str = "local") -> pd.DataFrame:
    """One row per claim: P5 / P50 / P95 / mean in the claim's unit, and P(claim holds).
    ``engine="dask"`` draws the samples on Dask (on a cluster when a distributed Client is
    active), the same draws as the local engine for the same seed."""
    per_stage = sample_stages(scenario, n, seed, profiles, engine)
    rows = []
    for claim in scenario.claims:
        values = _total(per_stage, claim.stages)[claim.quantity]
        if not np.isfinite(values).all():
            raise ScenarioError(f"cannot simulate {claim.quantity}: a stage lacks an input it "
                                "needs (GPU count, price, purchase price or TDP)",
                                file=scenario.file, line=claim.line, key="claim")
        if claim.is_money and claim.currency != "USD":
            values = values * load_fx().rate(claim.currency, fx_date(scenario)).per_usd
        p5, p50, p95 = np.percentile(values, PERCENTILES)
        rows.append({"scenario": scenario.id, "claim": claim.text, "quantity": claim.quantity,
                     "claim_value": claim.value, "claim_unit": claim.unit, "p5": p5,
                     "p50": p50, "p95": p95, "mean": float(np.mean(values)),
                     "probability_claim_holds": float(np.mean(holds(claim, values))),
                     "basis": "market prices and ranges (not the source's stated price)",
                     "samples": n, "seed": seed})
    return pd.DataFrame(rows)
