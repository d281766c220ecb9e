"""Evaluating a scenario: every quantity of every stage as a Band, summed over stages.

Each input of a stage is a :class:`~estimator.bands.Band`: the source's stated value (where it
states one) and the market or technical range (the price band, the MFU range, power and PUE
ranges, grid intensities, purchase prices). One formula path, :func:`stage_quantities`, turns
input arrays into quantities; it serves two kinds of arrays:

* the four *variants* of the input bands (:func:`variant_arrays`): stated, low, typical, high,
  each input taken at the end that gives the low (or high) outcome, and
* n Monte Carlo draws per input (scenarios/montecarlo.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from estimator.bands import Band, derive_purchase_band
from estimator.calc.own import capex_input_bands
from estimator.data.grid_regions import regions
from estimator.data.profiles import PRECISIONS, load_profiles
from estimator.errors import EstimatorError, ScenarioError
from estimator.models import energy, rental
from estimator.models import flops as fl
from estimator.models import ownership as om
from estimator.scenarios.model import Scenario, Stage
from estimator.scenarios.verdicts import ScenarioResult, judge

QUANTITY_NAMES = ("gpu_hours", "hours", "flop", "cost", "capex", "energy", "co2")

MFU_BAND = Band.around(fl.DEFAULT_MFU, 0.15, 0.65, source="Epoch AI, arXiv 2405.21015")
"""MFU range assumed where a scenario states none: about the plausible span of large
training runs (Epoch AI's 90% interval is 0.1-0.65, arXiv 2405.21015); typical 0.375."""

POWER_FRACTION_BAND = Band.around(energy.DEFAULT_POWER_FRACTION, 0.6, 1.0,
                                  source="Epoch AI, arXiv 2405.21015 (typical)")
"""Average draw as a share of TDP where a scenario states none; typical 0.75 (Epoch AI)."""

PUE_BAND = Band.around(energy.DEFAULT_PUE, 1.0, 1.5, source="Epoch AI, arXiv 2405.21015 "
                       "(typical)")
"""PUE range where a scenario states none: from GPUs alone to an average data centre;
typical 1.25 (Epoch AI's non-hyperscaler figure)."""

FALLING = frozenset({"mfu"})
"""Inputs whose rise lowers the outcome (GPU-hours = FLOP / (peak x MFU)): their variants run
high to low, so the 'low' variant of every quantity combines the inputs that make it least."""


@dataclass
class StageValues:
    stage: Stage
    gpu_id: str
    peak_tflops: float | None
    price_band: object
    values: dict                      # quantity -> Band


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


def assumed_band(value, default: Band) -> Band:
    """A stated assumption (a parsed (low, high) pair) as a Band, or the default range."""
    if value is None:
        return default
    low, high = (v.value if hasattr(v, "value") else v for v in value)
    return Band.given(low, high)


def input_bands(ctx: StageContext, scenario: Scenario) -> dict[str, Band]:
    """Every input of one stage as a Band (stated value where the source gives one)."""
    a, stage = scenario.assumptions, ctx.stage
    mfu = stage.mfu or (a.get("mfu") and (a["mfu"][0].value, a["mfu"][1].value))
    stated_price = ctx.stated_price if ctx.stated_price is not None else np.nan
    band = ctx.price_band
    price = (Band(band.low, band.typical, band.high, stated_price) if band is not None
             else Band(stated_price, stated_price, stated_price, stated_price))
    return {
        "mfu": assumed_band(mfu, MFU_BAND), "price": price,
        "power_fraction": assumed_band(a.get("power_fraction"), POWER_FRACTION_BAND),
        "pue": assumed_band(a.get("pue"), PUE_BAND),
        "carbon_intensity": assumed_band(a.get("carbon_intensity"), grid_intensity_band()),
        **capex_input_bands(_purchase(ctx, a), _pair(a.get("server_overhead")),
                            a.get("interconnect_share")),
    }


@functools.lru_cache(maxsize=1)
def grid_intensity_band() -> Band:
    """Grid intensity where a scenario states none: the built-in regions' range, typical the
    world average [kg CO2e/kWh] (estimator/data/grid_intensity.yaml)."""
    table = [r["kg_co2e_per_kwh"] for r in regions().values()]
    world = regions().get("world-average", {}).get("kg_co2e_per_kwh", float(np.median(table)))
    return Band.around(world, min(table), max(table), source="grid_intensity.yaml")


def _pair(parsed) -> tuple | None:
    return (parsed[0].value, parsed[1].value) if parsed else None


def _purchase(ctx: StageContext, a: dict) -> Band | None:
    given = a.get("purchase_price")
    if given:
        return Band.given(given[0].value, given[1].value)
    return ctx.purchase_band


def variant_arrays(bands: dict[str, Band]) -> dict[str, np.ndarray]:
    """[stated, low, typical, high] of each input band (high to low for FALLING inputs)."""
    out = {}
    for name, b in bands.items():
        low, high = (b.high, b.low) if name in FALLING else (b.low, b.high)
        out[name] = np.array([b.stated, low, b.typical, high], dtype=float)
    return out


def as_bands(values: dict[str, np.ndarray]) -> dict[str, Band]:
    """Variant arrays of quantities as Bands (low <= high whatever the inputs' direction)."""
    out = {}
    for name, (stated, low, typical, high) in values.items():
        low, high = (high, low) if low > high else (low, high)
        out[name] = Band(low, typical, high, stated, rule="computed")
    return out


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
        flop = fl.achieved_flop(gpu_hours, peak or np.nan, inputs["mfu"])
    count = stage.count if stage.count is not None else np.nan
    hours = (np.full(n, stage.hours) if stage.hours is not None
             else rental.wall_clock_hours(gpu_hours, count))
    watts = (np.full(n, stage.power_w) if stage.power_w is not None
             else energy.average_power_w(ctx.profile.tdp_w or np.nan, inputs["power_fraction"]))
    kwh = energy.energy_kwh(gpu_hours, watts, inputs["pue"])
    capex = om.fleet_capex_usd(count, om.capex_per_gpu_usd(
        inputs["purchase_usd"], inputs["server_overhead"], inputs["interconnect_share"]))
    return {"gpu_hours": gpu_hours, "hours": hours, "flop": flop,
            "cost": rental.rental_cost_usd(gpu_hours, inputs["price"]), "capex": capex,
            "energy": kwh, "co2": energy.co2e_tonnes(kwh, inputs["carbon_intensity"])}


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
    stages = []
    for ctx in contexts(scenario, profiles):
        values = as_bands(stage_quantities(ctx, variant_arrays(input_bands(ctx, scenario))))
        stages.append(StageValues(ctx.stage, ctx.profile.id, ctx.peak_tflops, ctx.price_band,
                                  values))
    totals = sum_stages(stages)
    claims = []
    for claim in scenario.claims:
        covered = [s for s in stages if not claim.stages or s.stage.name in claim.stages]
        claims.append(judge(claim, scenario, covered, sum_stages(covered)))
    return ScenarioResult(scenario, stages, totals, claims)


def sum_stages(stages: list) -> dict[str, Band]:
    """Quantity -> the sum of the stages' Bands (stages run one after another)."""
    return {q: Band.total(s.values[q] for s in stages) for q in QUANTITY_NAMES}
