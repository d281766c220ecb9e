"""Cost claims counted by a stated method (issue 15): cloud, amortised, acquisition, and the
development scope.

A claim with ``method: cloud | amortised | acquisition`` is compared with what that method gives
(calc/cost_methods, the one cost path) for the claim's stages at the scenario's date, so that an
Epoch AI cloud figure is checked against cloud prices at the training date and an amortised
figure against amortised hardware plus energy, never against a rental band. ``scope:
development`` multiplies the final-run cost by Epoch AI's experiments factor and adds R&D staff
(models/development.py).

Date: the scenario's one price-date rule (Scenario.price_date): --as-of, else
``assumptions.as_of``, else the stage's ``start`` (or ``end``), else the scenario's ``date``.
Dollars: the claim's ``dollar_year`` (constant December-year USD, PPI PCU518210518210), else
nominal USD of the date. The stated value (the one a claim must match to be ``reproduced``)
is the method's typical value when the stage's chip-hours are known (count and hours,
GPU-hours, or FLOP with a stated MFU); otherwise there is none and the claim can be
``consistent`` at best.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from estimator.bands import Range
from estimator.calc import mfu as mfu_auto
from estimator.calc.cost_methods import by_method
from estimator.calc.deflator import restate_factor
from estimator.data.profiles import load_profiles
from estimator.errors import EstimatorError, ScenarioError
from estimator.models import development as dev
from estimator.scenarios.model import Claim, Scenario
from estimator.scenarios.schema import DEVELOPMENT_SCOPE, EXPERIMENTS_SCOPE

WIDER_SCOPES = (DEVELOPMENT_SCOPE, EXPERIMENTS_SCOPE)
"""Scopes counted from the final run: + experiments and staff, or + experiments only."""

BAND = by_method.BAND
ALL_METHODS = ",".join(by_method.METHODS)

METHOD_WORDS = {
    "rental": "rental (the GPU-hours x the market price band)",
    "cloud": "cloud (chip-hours x the 3-year committed-use price at the training date, "
             "Epoch AI)",
    "amortised": "amortised (hardware capex depreciated and amortised over the run, plus "
                 "energy, Epoch AI)",
    "acquisition": "acquisition (the cluster's purchase price, Epoch AI)",
}


@dataclass(frozen=True)
class MethodCount:
    """A claim's cost counted its own way: the Range [USD], the words for the explanation."""

    band: Range
    method: str
    dollars: str
    basis: str


def counts_differently(claim: Claim) -> bool:
    """Does the claim need its own count (a method other than rental, development scope, or
    constant dollars)?"""
    return claim.quantity == "cost" and (claim.method != "rental"
                                         or claim.scope in WIDER_SCOPES
                                         or claim.dollar_year is not None)


def claim_totals(claim: Claim, scenario: Scenario, stages: list, totals: dict,
                 profiles=None) -> tuple[dict, MethodCount | None]:
    """The totals the claim is judged against: ``totals`` with ``cost`` counted by the
    claim's method and scope; and how it was counted (None for a plain rental claim)."""
    if not counts_differently(claim):
        return totals, None
    if claim.method == "rental":
        count = rental_count(claim, scenario, stages, totals)
    else:
        count = method_count(claim, scenario, stages, profiles)
    if claim.scope in WIDER_SCOPES:
        count = development(count, claim, scenario)
    return {**totals, "cost": count.band}, count


def rental_count(claim: Claim, scenario: Scenario, stages: list, totals: dict) -> MethodCount:
    """The rental cost, in constant December-``dollar_year`` USD when the claim states one:
    restated from the stages' price date with the PPI deflator (calc/deflator.py)."""
    if claim.dollar_year is None:
        return MethodCount(totals["cost"], "rental", "nominal USD", "")
    on = scenario.price_date(stages[0].stage)
    factor = restate_factor(on, int(claim.dollar_year))
    return MethodCount(totals["cost"].scaled(factor), "rental",
                       f"constant December-{int(claim.dollar_year)} USD (PPI PCU518210518210, "
                       f"x{factor:.4f} from {on:%b %Y})", "")


def method_count(claim: Claim, scenario: Scenario, stages: list, profiles=None) -> MethodCount:
    """The claim's method summed over its stages (low with low, high with high)."""
    sums, stated, bases, dollars = np.zeros(3), 0.0, [], ""
    for s in stages:
        mfu = _stated_mfu(s)
        row = _stage_row(claim, scenario, s.stage, s.gpu_id, profiles, mfu)
        values = np.array([row[f"cost_usd_{b}"] for b in BAND], dtype=float)
        if not np.all(np.isfinite(values)):
            raise ScenarioError(f"the {claim.method} method has no cost for stage "
                                f"{s.stage.name!r}: {row['warnings'] or 'no price'}",
                                file=scenario.file, line=claim.line, key="claim.method",
                                hint="Give the GPU a price of that kind, or another method.")
        sums += values
        stated += values[1] if _chip_hours_known(s.stage, mfu) else math.nan
        bases.append(row["basis"])
        dollars = row["dollars"]
    band = Range(*sums, stated, rule="computed", source=f"{claim.method} method")
    return MethodCount(band, claim.method, _dollar_words(dollars), "; ".join(dict.fromkeys(
        bases)))


def _stage_row(claim: Claim, scenario: Scenario, stage, gpu_id: str, profiles,
               mfu: float | None = None) -> dict:
    """One by_method.estimate row for one stage (its time or its FLOP and stated MFU)."""
    time = stage_time(stage, mfu)
    if stage.mfu is not None and stage.mfu.auto:      # mfu: auto (issue 26): the prediction
        time["mfu"] = _predicted_mfu(stage, scenario, gpu_id, profiles)
    try:
        frame = by_method.estimate(gpu_id, method=claim.method, date=stage_date(stage,
                                                                                  scenario),
                                      dollar_year=claim.method_dollar_year,
                                      precision=stage.precision or scenario.assumptions.get(
                                          "precision") or "bf16", profiles=profiles, **time)
    except EstimatorError as exc:
        raise exc.located(file=scenario.file, line=claim.line, key="claim.method")
    return frame.iloc[0].to_dict()


def _stated_mfu(s) -> float | None:
    """A stage's stated MFU: its ``mfu``, or its stated throughput / the peak (issue 22)."""
    stage = s.stage
    if stage.mfu is not None and stage.mfu.stated is not None:
        return stage.mfu.stated
    if stage.throughput_tflops_per_gpu is not None and s.peak_tflops:
        return stage.throughput_tflops_per_gpu / s.peak_tflops
    return None


def stage_time(stage, mfu: float | None = None) -> dict:
    """The stage's chip-hours as by_method.estimate arguments: count and hours, GPU-hours,
    or FLOP (given or 6ND) with the stated MFU (else the default 0.15-0.65, models/constants.py)."""
    if stage.gpu_hours is not None:
        return {"gpu_hours": stage.gpu_hours, "count": stage.count}
    if stage.hours is not None:
        return {"count": stage.count, "hours": stage.hours}
    flop = stage.flop
    if flop is None and stage.params is not None:
        flop = 6.0 * stage.params * stage.tokens          # 6ND (Kaplan et al. 2020)
    if flop is None and stage.flop_per_token is not None:
        flop = stage.flop_per_token * stage.tokens
    if mfu is None and stage.mfu is not None:
        mfu = stage.mfu.stated
    return {"flop": flop, "mfu": mfu, "count": stage.count}


def _predicted_mfu(stage, scenario: Scenario, gpu_id: str, profiles) -> float:
    """The step-time model's MFU for the stage's layout (calc/mfu.py), a point for the
    methods, which take the stated MFU as one."""
    try:
        band = mfu_auto.stage_band(load_profiles(profiles).get(gpu_id), stage.layout,
                                   params=stage.params, count=stage.count,
                                   precision=stage.precision or scenario.assumptions.get(
                                       "precision") or "bf16")
    except EstimatorError as exc:
        raise exc.located(file=scenario.file, line=stage.line, key="layout") from None
    return band.typical


def _chip_hours_known(stage, mfu: float | None = None) -> bool:
    return (stage.gpu_hours is not None or stage.hours is not None or mfu is not None
            or (stage.mfu is not None and stage.mfu.auto))


def stage_date(stage, scenario: Scenario):
    """The training date a method prices at: the scenario's one price-date rule
    (Scenario.price_date: --as-of, assumptions.as_of, the stage's start or end, the
    publication date, the earliest source's date)."""
    return scenario.price_date(stage)


def development(count: MethodCount, claim: Claim, scenario: Scenario) -> MethodCount:
    """Final run x experiments factor (1.2-4x) / (1 - staff share) (29-49%), Epoch AI
    (models/development.py); the experiments scope leaves the staff out. No stated value: no
    source states experiments and staff."""
    if count.method == "acquisition":
        raise ScenarioError("scope development needs a cost of use, not acquisition",
                            file=scenario.file, line=claim.line, key="claim.scope",
                            hint="Use method cloud, amortised or rental.")
    b = count.band
    factors, shares = dev.experiment_factors(), dev.staff_shares()
    staff = claim.scope != EXPERIMENTS_SCOPE          # experiments scope: compute only
    totals = []
    for final, factor, share in zip((b.low, b.typical, b.high), factors, shares):
        compute = final + float(dev.experiments_usd(final, factor))
        totals.append(compute + (float(dev.staff_usd(compute, share)) if staff else 0.0))
    band = Range(*totals, math.nan, rule="computed", source=f"{claim.scope} scope")
    return MethodCount(band, count.method, count.dollars, count.basis)


def _dollar_words(dollars: str) -> str:
    """'constant Dec-2024' -> 'constant December-2024 USD'; 'nominal 2020-06' -> 'nominal USD
    of 2020-06'."""
    if dollars.startswith("constant Dec-"):
        return f"constant December-{dollars.removeprefix('constant Dec-')} USD"
    return f"nominal USD of {dollars.removeprefix('nominal ')}" if dollars else "nominal USD"


def describe(count: MethodCount | None, claim: Claim) -> str:
    """The sentence the explanation gains: which method, scope and dollars."""
    if count is None:
        return ""
    text = f"Counted by the {METHOD_WORDS[count.method]} method, in {count.dollars}"
    if claim.scope == DEVELOPMENT_SCOPE:
        text += (", development scope: the final run x 1.2-4x for experiments, plus R&D staff "
                 "at 29-49% of the total (Epoch AI)")
    elif claim.scope == EXPERIMENTS_SCOPE:
        text += (", experiments scope: the final run x 1.2-4x for preliminary experiments, "
                 "compute only, no staff (Epoch AI)")
    return text + (f"; prices: {count.basis}." if count.basis else ".")


def scenario_methods(scenario: Scenario, profiles=None) -> pd.DataFrame:
    """``estimate(..., method="rental,cloud,amortised,acquisition")`` for each stage of
    ``scenario`` (`estimator plot methods SCENARIO`): its GPU and count with its hours,
    GPU-hours or FLOP, priced (and dated) at ``scenario.price_date(stage)``. One row per
    stage x method, with a ``run`` column naming the stage."""
    frames = []
    for stage in scenario.stages:
        on = scenario.price_date(stage)
        try:
            frame = by_method.estimate(stage.gpu, method=ALL_METHODS, date=on, as_of=on,
                                       precision=stage.precision or scenario.assumptions.get(
                                           "precision") or "bf16",
                                       profiles=profiles, **stage_time(stage))
        except EstimatorError as exc:
            raise exc.located(file=scenario.file, line=stage.line, key="stages")
        frame.insert(0, "run", stage.name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
