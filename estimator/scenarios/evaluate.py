"""Evaluating a scenario: every quantity of every stage as a Range, summed over stages.

Each input of a stage is a :class:`~estimator.bands.Range`: the source's stated value (where it
states one) and the technical range (the MFU range, power and PUE ranges, grid intensities);
the rental and purchase prices are :class:`~estimator.bands.Band`, a Range with a price's
provenance. One formula path, :func:`stage_quantities`, turns
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

from estimator.bands import DEFAULT_TIER, Band, Range, derive_purchase_band
from estimator.calc import mfu as mfu_auto
from estimator.calc.own import capex_input_bands
from estimator.data.grid_regions import regions
from estimator.data.profiles import PRECISIONS, load_profiles
from estimator.errors import EstimatorError, ScenarioError
from estimator.models import energy, rental
from estimator.models import flops as fl
from estimator.models import goodput as gp
from estimator.models import ownership as om
from estimator.scenarios.methods import claim_totals, describe
from estimator.scenarios.model import Scenario, Stage
from estimator.scenarios.price_gap import require_prices
from estimator.scenarios.schema import AssumedValue
from estimator.scenarios.verdicts import ScenarioResult, judge

QUANTITY_NAMES = ("gpu_hours", "hours", "flop", "cost", "capex", "energy", "energy_it", "co2",
                  "tokens", "peak_flop", "useful_gpu_hours", "gpu_count")
"""Quantities that add up over stages (gpu_count: the largest stage); the ratios
(DERIVED_NAMES) are computed from their totals."""

DERIVED_NAMES = ("energy_facility", "mfu", "throughput_tflops_per_gpu", "tokens_per_second",
                 "price_usd_per_gpu_hour", "goodput")

MFU_BAND = Range.around(fl.DEFAULT_MFU, *fl.MFU_RANGE, source="Epoch AI, arXiv 2405.21015")
"""MFU range assumed where a scenario states none: the one default of the package, 0.375 in
0.15-0.65 (models/constants.py MFU_RANGE, which says where each end comes from)."""

POWER_FRACTION_BAND = Range.around(energy.DEFAULT_POWER_FRACTION, 0.6, 1.0,
                                  source="Epoch AI, arXiv 2405.21015 (typical)")
"""Average draw as a share of TDP where a scenario states none; typical 0.75 (Epoch AI)."""

PUE_BAND = Range.around(energy.DEFAULT_PUE, 1.0, 1.5, source="Epoch AI, arXiv 2405.21015 "
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
    values: dict                      # quantity -> Range
    arrays: dict = None               # quantity -> [stated, low, typical, high] variants
    inputs: dict = None               # input name -> Range (prices: Band)
    precision: str = "bf16"           # the peak MFU is measured against
    profile: object = None            # the stage's HardwareProfile
    price_error: object = None        # EstimatorError: no market band at the price date
    pricing: tuple = None             # (tier, provider class) of price_band


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
    price_error: EstimatorError | None = None   # no band at the price date (price_gap)


def stage_context(stage: Stage, scenario: Scenario, profiles, index: int,
                  pricing: tuple = (DEFAULT_TIER, None), strict: bool = True) -> StageContext:
    """A stage's profile, peak, FLOP and bands; the price band within ``pricing`` (tier,
    provider class) at the stage's price date (Scenario.price_date). No band at that date
    raises, or (``strict=False``, claims judged one by one) is kept as ``price_error`` for
    the claims that need a price (price_gap.py)."""
    a = scenario.assumptions
    try:
        profile = profiles.get(stage.gpu)
    except EstimatorError as exc:
        raise exc.located(file=scenario.file, line=stage.line, key=f"stages[{index}].gpu")
    precision = _precision(stage, scenario)
    peak = profile.spec(PRECISIONS[precision])
    flop = _stage_flop(stage)
    if flop is not None and peak is None:
        raise ScenarioError(f"{profile.name} has no {precision.upper()} peak for the compute "
                            "route", file=scenario.file, line=stage.line,
                            key=f"stages[{index}].precision")
    on = scenario.price_date(stage)
    price = stage.price_usd if stage.price_usd is not None else a.get("price")
    try:
        band, missing = _stage_band(profile, on, scenario, stage, index, pricing), None
    except EstimatorError as exc:          # judged claims that need no price still run
        if strict:
            raise
        band, missing = None, exc
    return StageContext(stage, profile, peak, flop, band,
                        derive_purchase_band(profile.purchase, on), price, missing)


def pricing_of(scenario: Scenario, claim=None) -> tuple:
    """(tier, provider class) a claim is priced in: the claim's, else the assumptions',
    else on_demand and every class."""
    a = scenario.assumptions
    tier = (claim.tier if claim is not None and claim.tier else None) or a.get("tier") \
        or DEFAULT_TIER
    cls = (claim.provider_class if claim is not None and claim.provider_class else None) \
        or a.get("provider_class")
    return tier, cls


def _stage_band(profile, on: dt.date, scenario: Scenario, stage: Stage, index: int,
                pricing: tuple):
    """The GPU's market band at the stage's price date; an error when every observation is
    later (never the stated price in its place). None for a GPU with no rental observations."""
    tier, cls = pricing
    if profile.first_observation_date(tier) is None and profile.band_override is None:
        return profile.band(on, tier, cls)
    try:
        return profile.market_band(on, tier, cls)
    except EstimatorError as exc:
        key = scenario.price_date_key(stage)
        if key in ("start", "end"):
            line, key = stage.line, f"stages[{index}].{key}"
        else:
            line = scenario.lines.get(key)
        exc.key = key
        raise exc.located(file=scenario.file, line=line)


def assumed_band(value, default: Range) -> Range:
    """A source's figure (scenarios.schema.AssumedValue) as a Range: its stated value, and the
    given range, or the default range widened to include the stated value (rule
    'stated+default'); the default range itself where the file gives nothing. Not for prices
    (a Range, without a price's provenance)."""
    if value is None:
        return default
    stated = value.stated if value.stated is not None else np.nan
    if value.range is not None:
        low, high = value.range
        return Range(low, low / 2 + high / 2, high, stated,
                     rule="pinned" if value.pinned else "given")
    low, high = np.fmin(default.low, stated), np.fmax(default.high, stated)
    typical = default.typical if np.isfinite(default.typical) else stated   # no TDP: stated
    typical = float(min(max(typical, low), high))
    return Range(float(low), typical, float(high), stated, rule="stated+default",
                source=default.source)


def input_bands(ctx: StageContext, scenario: Scenario) -> dict[str, Range]:
    """Every input of one stage as a Range (the prices a Band), with the stated value where
    the source gives one; a stage's own mfu, power_w, pue and grid intensity override the
    scenario's."""
    a, stage = scenario.assumptions, ctx.stage
    stated_price = ctx.stated_price if ctx.stated_price is not None else np.nan
    band = ctx.price_band
    price = (Band(band.low, band.typical, band.high, stated_price) if band is not None
             else Band(stated_price, stated_price, stated_price, stated_price))
    fraction = assumed_band(a.get("power_fraction"), POWER_FRACTION_BAND)
    return {
        "mfu": (_predicted_mfu(ctx, scenario) if stage.mfu is not None and stage.mfu.auto
                else assumed_band(stage.mfu or _mfu_of_throughput(ctx) or a.get("mfu"),
                                  MFU_BAND)),
        "price": price,
        "power_w": assumed_band(stage.power_w, _tdp_band(ctx.profile.tdp_w, fraction)),
        "pue": assumed_band(stage.pue or a.get("pue"), PUE_BAND),
        "carbon_intensity": assumed_band(stage.carbon_intensity or a.get("carbon_intensity"),
                                         grid_intensity_band()),
        **capex_input_bands(_purchase(ctx, a), _pair(a.get("server_overhead")),
                            a.get("interconnect_share")),
    }


def _mfu_of_throughput(ctx: StageContext):
    """A stage's stated throughput [TFLOP/s per GPU] as its stated MFU: throughput / peak
    (PaLM's definition, Chowdhery et al. 2022); None without one."""
    thr = ctx.stage.throughput_tflops_per_gpu
    if thr is None or not ctx.peak_tflops:
        return None
    return AssumedValue(thr / ctx.peak_tflops, None)


def _predicted_mfu(ctx: StageContext, scenario: Scenario) -> Range:
    """``mfu: auto``: the step-time model's prediction for the stage's layout (issue 26)."""
    stage = ctx.stage
    try:
        return mfu_auto.stage_band(ctx.profile, stage.layout, params=stage.params,
                                   count=stage.count, precision=_precision(stage, scenario))
    except EstimatorError as exc:
        raise exc.located(file=scenario.file, line=stage.line, key="layout") from None


def _tdp_band(tdp_w, fraction: Range) -> Range:
    """Average power per GPU [W] = TDP x the power-fraction Range (energy.average_power_w)."""
    tdp = tdp_w or np.nan
    low, typical, high, stated = energy.average_power_w(
        tdp, [fraction.low, fraction.typical, fraction.high, fraction.stated])
    return Range(low, typical, high, stated, rule=fraction.rule, source=fraction.source)


@functools.lru_cache(maxsize=1)
def grid_intensity_band() -> Range:
    """Grid intensity where a scenario states none: the built-in regions' range, typical the
    world average [kg CO2e/kWh] (estimator/data/grid_intensity.yaml)."""
    table = [r["kg_co2e_per_kwh"] for r in regions().values()]
    world = regions().get("world-average", {}).get("kg_co2e_per_kwh", float(np.median(table)))
    return Range.around(world, min(table), max(table), source="grid_intensity.yaml")


def _pair(parsed) -> tuple | None:
    return (parsed[0].value, parsed[1].value) if parsed else None


def _purchase(ctx: StageContext, a: dict) -> Band | None:
    given = a.get("purchase_price")
    if given:
        return Band.given(given[0].value, given[1].value)
    return ctx.purchase_band


def variant_arrays(bands: dict[str, Range]) -> dict[str, np.ndarray]:
    """[stated, low, typical, high] of each input band (high to low for FALLING inputs)."""
    out = {}
    for name, b in bands.items():
        low, high = (b.high, b.low) if name in FALLING else (b.low, b.high)
        out[name] = np.array([b.stated, low, b.typical, high], dtype=float)
    return out


def as_bands(values: dict[str, np.ndarray]) -> dict[str, Range]:
    """Variant arrays of quantities as Ranges (low <= high whatever the inputs' direction)."""
    out = {}
    for name, (stated, low, typical, high) in values.items():
        low, high = (high, low) if low > high else (low, high)
        out[name] = Range(low, typical, high, stated, rule="computed")
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
    time_gh = (stage.gpu_hours if stage.gpu_hours is not None else
               stage.count * stage.hours if stage.hours is not None else None)
    useful = np.full(n, np.nan)
    if ctx.flop is not None and time_gh is not None:        # hardware time and work: goodput
        gpu_hours, flop = np.full(n, float(time_gh)), np.full(n, ctx.flop)
        useful = fl.gpu_hours_from_flop(ctx.flop, peak, inputs["mfu"])
    elif ctx.flop is not None:
        gpu_hours = fl.gpu_hours_from_flop(ctx.flop, peak, inputs["mfu"])
        flop = np.full(n, ctx.flop)
    else:
        gpu_hours = np.full(n, np.nan if time_gh is None else float(time_gh))
        flop = fl.achieved_flop(gpu_hours, peak or np.nan, inputs["mfu"])
    count = stage.count if stage.count is not None else np.nan
    hours = (np.full(n, stage.hours) if stage.hours is not None
             else rental.wall_clock_hours(gpu_hours, count))
    it_kwh = energy.energy_kwh(gpu_hours, inputs["power_w"], 1.0)
    kwh = energy.energy_kwh(gpu_hours, inputs["power_w"], inputs["pue"])
    capex = om.fleet_capex_usd(count, om.capex_per_gpu_usd(
        inputs["purchase_usd"], inputs["server_overhead"], inputs["interconnect_share"]))
    return {"gpu_hours": gpu_hours, "hours": hours, "flop": flop,
            "cost": rental.rental_cost_usd(gpu_hours, inputs["price"]), "capex": capex,
            "energy": kwh, "energy_it": it_kwh,
            "co2": energy.co2e_tonnes(kwh, inputs["carbon_intensity"]),
            "tokens": np.full(n, stage.tokens if stage.tokens is not None else np.nan),
            "peak_flop": fl.achieved_flop(gpu_hours, peak or np.nan, 1.0),
            "useful_gpu_hours": useful, "gpu_count": np.full(n, count)}


def with_ratios(values: dict) -> dict:
    """Summed quantity arrays plus the ratios derived from them (DERIVED_NAMES): MFU and
    throughput from FLOP and GPU-hours (flops.py), tokens per second from tokens and wall
    clock, the price per GPU-hour from cost and GPU-hours (rental.py), goodput from useful and
    booked GPU-hours (goodput.py)."""
    gh = values["gpu_hours"]
    return {**values, "energy_facility": values["energy"],
            "mfu": fl.utilisation(values["flop"], values["peak_flop"]),
            "throughput_tflops_per_gpu": fl.achieved_tflops_per_gpu(values["flop"], gh),
            "tokens_per_second": fl.tokens_per_second(values["tokens"], values["hours"]),
            "price_usd_per_gpu_hour": rental.price_per_gpu_hour(values["cost"], gh),
            "goodput": gp.goodput_share(values["useful_gpu_hours"], gh)}


def total_arrays(per_stage: list) -> dict:
    """Stage quantity arrays summed (stages run one after another; gpu_count the largest
    stage's, NaN ignored), with the ratios derived from the sums (with_ratios)."""
    out = {}
    for q in QUANTITY_NAMES:
        arrays = [v[q] for v in per_stage]
        if q == "gpu_count":
            out[q] = functools.reduce(np.fmax, arrays)
        else:
            out[q] = np.sum(arrays, axis=0)
    return with_ratios(out)


def _stage_flop(stage: Stage) -> float | None:
    if stage.flop is not None:
        return stage.flop
    if stage.params is not None:
        return float(fl.training_flop(stage.params, stage.tokens))
    if stage.flop_per_token is not None:
        return float(fl.flop_from_per_token(stage.flop_per_token, stage.tokens))
    return None


def contexts(scenario: Scenario, profiles=None, pricing=None,
             strict: bool = True) -> list[StageContext]:
    """Every stage's context, priced in ``pricing`` (default: the scenario's, pricing_of);
    ``strict`` as in stage_context."""
    table = load_profiles(profiles)
    pricing = pricing or pricing_of(scenario)
    return [stage_context(st, scenario, table, i, pricing, strict)
            for i, st in enumerate(scenario.stages)]


def evaluate_stages(scenario: Scenario, profiles=None, pricing=None) -> list[StageValues]:
    """Every stage at the four variants of its input bands."""
    stages = []
    pricing = pricing or pricing_of(scenario)
    for ctx in contexts(scenario, profiles, pricing, strict=False):
        inputs = input_bands(ctx, scenario)
        arrays = stage_quantities(ctx, variant_arrays(inputs))
        stages.append(StageValues(ctx.stage, ctx.profile.id, ctx.peak_tflops, ctx.price_band,
                                  as_bands(with_ratios(arrays)), arrays, inputs,
                                  _precision(ctx.stage, scenario), ctx.profile,
                                  ctx.price_error, pricing))
    return stages


def run_scenario(scenario: Scenario, profiles=None, collect_errors: bool = False):
    """Evaluate all stages at the four variants and judge all claims (each in its own tier and
    provider class, pricing_of); a ScenarioResult. A claim that cannot be judged (it needs a
    price the GPU lacks at the price date, price_gap.py) raises its located error, or with
    ``collect_errors`` becomes one in ``ScenarioResult.errors`` while every other claim is
    still judged (check, run)."""
    by_pricing = {pricing_of(scenario): evaluate_stages(scenario, profiles)}
    claims, errors = [], []
    for index, claim in enumerate(scenario.claims):
        pricing = pricing_of(scenario, claim)
        if pricing not in by_pricing:
            by_pricing[pricing] = evaluate_stages(scenario, profiles, pricing)
        stages = by_pricing[pricing]
        covered = [s for s in stages if not claim.stages or s.stage.name in claim.stages]
        try:
            require_prices(claim, index, scenario, covered)
            totals_for_claim, count = claim_totals(claim, scenario, covered,
                                                   sum_stages(covered), profiles)
            result = judge(claim, scenario, covered, totals_for_claim, pricing)
        except EstimatorError as exc:
            errors.append(exc.located(file=scenario.file, line=claim.line))
            continue
        if count is not None:                  # issue 15: say which method and dollars
            result.explanation = f"{result.explanation} {describe(count, claim)}".strip()
        claims.append(result)
    if errors and not collect_errors:
        raise errors[0]
    stages = by_pricing[pricing_of(scenario)]
    return ScenarioResult(scenario, stages, sum_stages(one_route(stages)), claims, errors)


def one_route(stages: list) -> list:
    """The stages a scenario's total sums: all of them, or, where stages describe one run in
    alternative ways (``route:``), those without a route plus the first route's (by file
    order); alternative routes are never summed (issue 22)."""
    routes = [s.stage.route for s in stages if s.stage.route is not None]
    if not routes:
        return stages
    return [s for s in stages if s.stage.route in (None, routes[0])]


def _precision(stage: Stage, scenario: Scenario) -> str:
    return stage.precision or scenario.assumptions.get("precision") or "bf16"


def sum_stages(stages: list) -> dict[str, Range]:
    """Quantity -> the stages' total as a Range (sums; ratios from the sums)."""
    return as_bands(total_arrays([s.arrays for s in stages]))
