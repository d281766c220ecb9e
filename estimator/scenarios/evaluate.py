"""Evaluating a scenario: every quantity of every stage at four points, summed over stages.

Each stage yields, for each quantity (gpu_hours, hours, flop, cost, capex, energy, co2),
an array of four values: [stated, low, typical, high]. *stated* uses only the source's own
assumptions (NaN where the source states none), *low/typical/high* span the market price
band, the MFU range, the power and PUE ranges and the grid range. Claims are then judged
against the totals (verdicts.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .. import flops as fl
from .. import ownership as om
from ..errors import EstimatorError, ScenarioError
from ..profiles import load_profiles
from .model import Scenario, Stage

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
    values: dict                      # quantity -> np.ndarray[4]


def _point_or_range(value, default_typical, default_band):
    """(stated, low, typical, high) from a scenario assumption (pair) or the defaults."""
    if value is None:
        return np.nan, default_band[0], default_typical, default_band[1]
    low, high = (v.value if hasattr(v, "value") else v for v in value)
    stated = low if low == high else np.nan
    return stated, low, (low + high) / 2, high


def _four(stated, low, typical, high) -> np.ndarray:
    return np.array([stated, low, typical, high], dtype=float)


def evaluate_stage(stage: Stage, scenario: Scenario, profiles, index: int) -> StageValues:
    a = scenario.assumptions
    try:
        profile = profiles.get(stage.gpu)
    except EstimatorError as exc:
        raise exc.located(file=scenario.file, line=stage.line, key=f"stages[{index}].gpu")
    precision = stage.precision or a.get("precision") or "bf16"
    peak = profile.spec({"bf16": "bf16_dense_tflops", "fp16": "fp16_dense_tflops",
                         "fp8": "fp8_dense_tflops", "fp4": "fp4_dense_tflops",
                         "tf32": "tf32_dense_tflops", "fp64": "fp64_tflops",
                         "int8": "int8_dense_tops"}[precision])
    mfu_pair = stage.mfu or (a.get("mfu") and (a["mfu"][0].value, a["mfu"][1].value))
    mfu = _four(*_point_or_range(mfu_pair, fl.DEFAULT_MFU, MFU_BAND))
    mfu_for_hours = mfu[[STATED, HIGH, TYPICAL, LOW]]   # more MFU, fewer GPU-hours
    flop = _stage_flop(stage)
    if flop is not None:
        if peak is None:
            raise ScenarioError(f"{profile.name} has no {precision.upper()} peak for the "
                                "compute route", file=scenario.file, line=stage.line,
                                key=f"stages[{index}].precision")
        gpu_hours = fl.gpu_hours_from_flop(flop, peak, mfu_for_hours)
        flop_v = np.full(4, flop)
    else:
        gh = (stage.gpu_hours if stage.gpu_hours is not None else
              stage.count * stage.hours if stage.hours is not None else np.nan)
        gpu_hours = np.full(4, gh)
        flop_v = gh * fl.SECONDS_PER_HOUR * (peak or np.nan) * 1e12 * mfu
    count = stage.count if stage.count is not None else np.nan
    hours = np.full(4, stage.hours) if stage.hours is not None else gpu_hours / count
    band = profile.band(a.get("as_of") or scenario_date(scenario))
    values = {"gpu_hours": gpu_hours, "hours": hours, "flop": flop_v,
              "cost": _cost(stage, a, gpu_hours, band),
              "capex": _capex(profile, count, a, scenario),
              "energy": _energy(gpu_hours, profile.tdp_w, a, stage.power_w)}
    values["co2"] = _co2(values["energy"], a)
    return StageValues(stage, profile.id, peak, band, values)


def scenario_date(scenario: Scenario) -> dt.date:
    """Reference date for price bands: today (scenarios re-check against current prices)."""
    return dt.date.today()


def _stage_flop(stage: Stage) -> float | None:
    if stage.flop is not None:
        return stage.flop
    if stage.params is not None:
        return float(fl.training_flop(stage.params, stage.tokens))
    if stage.flop_per_token is not None:
        return float(fl.flop_from_per_token(stage.flop_per_token, stage.tokens))
    return None


def _cost(stage: Stage, a: dict, gpu_hours: np.ndarray, band) -> np.ndarray:
    price = stage.price_usd if stage.price_usd is not None else a.get("price")
    stated = gpu_hours[STATED] * price if price is not None else np.nan
    if band is None:
        if price is None:
            return np.full(4, np.nan)
        return np.full(4, stated) if np.isfinite(stated) else gpu_hours * price
    return _four(stated, gpu_hours[LOW] * band.low, gpu_hours[TYPICAL] * band.typical,
                 gpu_hours[HIGH] * band.high)


def _capex(profile, count, a: dict, scenario: Scenario) -> np.ndarray:
    from ..prices import derive_purchase_band

    if not np.isfinite(count):
        return np.full(4, np.nan)
    share = a.get("interconnect_share")
    share = om.INTERCONNECT_SHARE if share is None else share
    oh = a.get("server_overhead")
    oh_low, oh_high = (oh[0].value, oh[1].value) if oh else om.SERVER_OVERHEAD
    given = a.get("purchase_price")
    if given:
        p_low, p_high = given[0].value, given[1].value
        p_typ, p_stated = (p_low + p_high) / 2, (p_low if p_low == p_high else np.nan)
    else:
        band = derive_purchase_band(profile.purchase, a.get("as_of") or scenario_date(scenario))
        if band is None:
            return np.full(4, np.nan)
        p_low, p_typ, p_high, p_stated = band.low, band.typical, band.high, np.nan
    mid = (oh_low + oh_high) / 2
    return count * _four(om.capex_per_gpu_usd(p_stated, mid, share), p_low,
                         om.capex_per_gpu_usd(p_typ, mid, share),
                         om.capex_per_gpu_usd(p_high, oh_high, share))


def _energy(gpu_hours: np.ndarray, tdp_w, a: dict, power_w=None) -> np.ndarray:
    """kWh = GPU-hours x TDP x power fraction x PUE / 1000 (energy.py), or with the stage's
    stated average power per chip in place of TDP x power fraction."""
    if power_w is not None:
        tdp_w, pf = power_w, np.ones(4)
    elif not tdp_w:
        return np.full(4, np.nan)
    else:
        pf = _four(*_point_or_range(a.get("power_fraction"), 0.75, POWER_FRACTION_BAND))
    pue = _four(*_point_or_range(a.get("pue"), 1.25, PUE_BAND))
    return gpu_hours * tdp_w * pf * pue / 1000.0


def _co2(energy_kwh: np.ndarray, a: dict) -> np.ndarray:
    ci = a.get("carbon_intensity")
    if ci is None:
        from ..carbon import regions

        table = [r["kg_co2e_per_kwh"] for r in regions().values()]
        world = regions().get("world-average", {}).get("kg_co2e_per_kwh", np.median(table))
        intensity = _four(np.nan, min(table), world, max(table))
    else:
        intensity = _four(*_point_or_range(ci, None, None))
    return energy_kwh * intensity / 1000.0


def run_scenario(scenario: Scenario, profiles=None):
    """Evaluate all stages and judge all claims; returns a ScenarioResult."""
    from .verdicts import ScenarioResult, judge

    table = load_profiles(profiles)
    stages = [evaluate_stage(st, scenario, table, i) for i, st in enumerate(scenario.stages)]
    totals = {q: np.sum([s.values[q] for s in stages], axis=0) for q in QUANTITY_NAMES}
    claims = [judge(claim, scenario, stages, totals) for claim in scenario.claims]
    return ScenarioResult(scenario, stages, totals, claims)
