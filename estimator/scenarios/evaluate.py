"""Evaluating a scenario: every quantity of every stage, summed over stages.

One formula path (:func:`stage_quantities`) serves two kinds of input arrays:

* *variants*, four values per input: [stated, low, typical, high]. *stated* uses only the
  source's own assumptions (NaN where it states none); *low / typical / high* span the market
  price band, the MFU range, the power and PUE ranges, the grid range and purchase prices;
* *samples*, n Monte Carlo draws per input (scenarios/montecarlo.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from estimator.models import energy
from estimator.models import flops as fl
from estimator.models import ownership as om
from estimator.errors import EstimatorError, ScenarioError
from estimator.data.profiles import PRECISIONS, load_profiles
from estimator.scenarios.model import Scenario, Stage

STATED, LOW, TYPICAL, HIGH = range(4)
VARIANTS = ("stated", "low", "typical", "high")
QUANTITY_NAMES = ("gpu_hours", "hours", "flop", "cost", "capex", "energy", "co2")

MFU_BAND = (0.15, 0.65)
"""MFU range assumed where a scenario states none: about the plausible span of large
training runs (Epoch AI's 90% interval is 0.1-0.65, arXiv 2405.21015); typical 0.375."""

POWER_FRACTION_BAND = (0.6, 1.0)
"""Average draw as a share of TDP where a scenario states none; typical 0.75 (Epoch AI)."""

PUE_BAND = (1.0, 1.5)
"""PUE range where a scenario states none: from GPUs alone to an average data centre;
typical 1.25 (Epoch AI's non-hyperscaler figure)."""


@dataclass
class StageValues:
    stage: Stage
    gpu_id: str
    peak_tflops: float | None
    price_band: object
    values: dict                      # quantity -> np.ndarray (4 variants or n samples)


@dataclass(frozen=True)
class StageContext:
    """What a stage needs besides its sampled inputs: its profile, peak and bands."""

    stage: Stage
    profile: object
    peak_tflops: float | None
    flop: float | None                # given or 6ND; None for time-route stages
    price_band: object
    purchase_band: object
    stated_price: float | None


def stage_context(stage: Stage, scenario: Scenario, profiles, index: int) -> StageContext:
    from estimator.bands import derive_purchase_band

    a = scenario.assumptions
    try:
        profile = profiles.get(stage.gpu)
    except EstimatorError as exc:
        raise exc.located(file=scenario.file, line=stage.line, key=f"stages[{index}].gpu")
    precision = stage.precision or a.get("precision") or "bf16"
    peak = profile.spec(PRECISIONS[precision])
    flop = _stage_flop(stage)
    if flop is not None and peak is None:
        raise ScenarioError(f"{profile.name} has no {precision.upper()} peak for the compute "
                            "route", file=scenario.file, line=stage.line,
                            key=f"stages[{index}].precision")
    as_of = a.get("as_of") or dt.date.today()
    price = stage.price_usd if stage.price_usd is not None else a.get("price")
    return StageContext(stage, profile, peak, flop, _stage_band(profile, as_of, scenario),
                        derive_purchase_band(profile.purchase, as_of), price)


def _stage_band(profile, as_of: dt.date, scenario: Scenario):
    """The GPU's market band at the scenario's as_of; an error when every observation is later
    (never the stated price in its place). None for a GPU with no rental observations."""
    if profile.first_band_date is None:
        return profile.band(as_of)
    try:
        return profile.market_band(as_of)
    except EstimatorError as exc:
        line = scenario.lines.get("assumptions.as_of")   # None when --as-of set the date
        exc.key = "assumptions.as_of" if line else "as_of"
        raise exc.located(file=scenario.file, line=line)


def point_or_range(value, default_typical, default_band):
    """(stated, low, typical, high) from an assumption (a parsed pair) or the defaults."""
    if value is None:
        return np.nan, default_band[0], default_typical, default_band[1]
    low, high = (v.value if hasattr(v, "value") else v for v in value)
    stated = low if low == high else np.nan
    return stated, low, (low + high) / 2, high


def _four(*values) -> np.ndarray:
    return np.array(values, dtype=float)


def variant_inputs(ctx: StageContext, scenario: Scenario) -> dict:
    """Input arrays [stated, low, typical, high], ordered so each quantity's LOW is its least."""
    a, stage = scenario.assumptions, ctx.stage
    mfu_pair = stage.mfu or (a.get("mfu") and (a["mfu"][0].value, a["mfu"][1].value))
    mfu = _four(*point_or_range(mfu_pair, fl.DEFAULT_MFU, MFU_BAND))[[STATED, HIGH, TYPICAL,
                                                                      LOW]]
    band, price = ctx.price_band, ctx.stated_price
    stated_price = price if price is not None else np.nan
    if band is not None:
        prices = _four(stated_price, band.low, band.typical, band.high)
    else:
        prices = np.full(4, stated_price)
    return {
        "mfu": mfu, "price": prices,
        "power_fraction": _four(*point_or_range(a.get("power_fraction"),
                                                energy.DEFAULT_POWER_FRACTION,
                                                POWER_FRACTION_BAND)),
        "pue": _four(*point_or_range(a.get("pue"), energy.DEFAULT_PUE, PUE_BAND)),
        "carbon_intensity": _four(*_intensity_range(a)),
        **_capex_inputs(ctx, a),
    }


def _intensity_range(a: dict) -> tuple:
    if a.get("carbon_intensity") is not None:
        return point_or_range(a["carbon_intensity"], None, None)
    from estimator.data.grid_regions import regions

    table = [r["kg_co2e_per_kwh"] for r in regions().values()]
    world = regions().get("world-average", {}).get("kg_co2e_per_kwh", float(np.median(table)))
    return np.nan, min(table), world, max(table)


def _capex_inputs(ctx: StageContext, a: dict) -> dict:
    """Purchase price, server overhead and interconnect share variants (ownership.py):
    low is the chips alone at the lowest price, typical and high with Epoch AI's overheads."""
    share = a.get("interconnect_share")
    share = om.INTERCONNECT_SHARE if share is None else share
    oh = a.get("server_overhead")
    oh_low, oh_high = (oh[0].value, oh[1].value) if oh else om.SERVER_OVERHEAD
    mid = (oh_low + oh_high) / 2
    given = a.get("purchase_price")
    if given:
        lo, hi = given[0].value, given[1].value
        purchase = _four(lo if lo == hi else np.nan, lo, (lo + hi) / 2, hi)
    elif ctx.purchase_band is not None:
        b = ctx.purchase_band
        purchase = _four(np.nan, b.low, b.typical, b.high)
    else:
        purchase = np.full(4, np.nan)
    return {"purchase_usd": purchase, "server_overhead": _four(mid, 1.0, mid, oh_high),
            "interconnect_share": _four(share, 0.0, share, share)}


def stage_quantities(ctx: StageContext, inputs: dict) -> dict:
    """Every quantity of one stage from input arrays of equal length (variants or samples).

    gpu_hours: count x hours, given, or FLOP / (peak x MFU x 3600) (flops.py); cost:
    gpu_hours x price (rental.py); energy: gpu_hours x (TDP x power fraction, or the stated
    power per chip) x PUE (energy.py); co2: energy x intensity; capex: count x purchase x
    overhead / (1 - interconnect share) (ownership.py); flop of time-route stages:
    gpu_hours x peak x MFU.
    """
    stage, peak = ctx.stage, ctx.peak_tflops
    n = len(inputs["price"])
    if ctx.flop is not None:
        gpu_hours = fl.gpu_hours_from_flop(ctx.flop, peak, inputs["mfu"])
        flop = np.full(n, ctx.flop)
    else:
        gh = (stage.gpu_hours if stage.gpu_hours is not None else
              stage.count * stage.hours if stage.hours is not None else np.nan)
        gpu_hours = np.full(n, gh)
        flop = gh * fl.SECONDS_PER_HOUR * (peak or np.nan) * 1e12 * inputs["mfu"]
    count = stage.count if stage.count is not None else np.nan
    hours = np.full(n, stage.hours) if stage.hours is not None else gpu_hours / count
    watts = (np.full(n, stage.power_w) if stage.power_w is not None
             else (ctx.profile.tdp_w or np.nan) * inputs["power_fraction"])
    energy = gpu_hours * watts * inputs["pue"] / 1000.0
    capex = count * om.capex_per_gpu_usd(inputs["purchase_usd"], inputs["server_overhead"],
                                         inputs["interconnect_share"])
    return {"gpu_hours": gpu_hours, "hours": hours, "flop": flop,
            "cost": gpu_hours * inputs["price"], "capex": capex, "energy": energy,
            "co2": energy * inputs["carbon_intensity"] / 1000.0}


def _order_variants(values: dict) -> dict:
    """Make LOW <= HIGH for every quantity (FLOP of time-route stages rises with MFU)."""
    for v in values.values():
        if v[LOW] > v[HIGH]:
            v[LOW], v[HIGH] = v[HIGH], v[LOW]
    return values


def _stage_flop(stage: Stage) -> float | None:
    if stage.flop is not None:
        return stage.flop
    if stage.params is not None:
        return float(fl.training_flop(stage.params, stage.tokens))
    if stage.flop_per_token is not None:
        return float(fl.flop_from_per_token(stage.flop_per_token, stage.tokens))
    return None


def contexts(scenario: Scenario, profiles=None) -> list[StageContext]:
    table = load_profiles(profiles)
    return [stage_context(st, scenario, table, i) for i, st in enumerate(scenario.stages)]


def run_scenario(scenario: Scenario, profiles=None):
    """Evaluate all stages at the four variants and judge all claims; a ScenarioResult."""
    from estimator.scenarios.verdicts import ScenarioResult, judge

    stages = []
    for ctx in contexts(scenario, profiles):
        values = _order_variants(stage_quantities(ctx, variant_inputs(ctx, scenario)))
        stages.append(StageValues(ctx.stage, ctx.profile.id, ctx.peak_tflops, ctx.price_band,
                                  values))
    totals = sum_stages(stages)
    claims = []
    for claim in scenario.claims:
        covered = [s for s in stages if not claim.stages or s.stage.name in claim.stages]
        claims.append(judge(claim, scenario, covered, sum_stages(covered)))
    return ScenarioResult(scenario, stages, totals, claims)


def sum_stages(stages: list) -> dict:
    """Quantity -> the sum of the stages' arrays (stages run one after another)."""
    return {q: np.sum([s.values[q] for s in stages], axis=0) for q in QUANTITY_NAMES}
