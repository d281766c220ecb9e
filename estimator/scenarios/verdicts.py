"""Judging a claim against computed values: verdict, implied values, explanation.

* ``reproduced``: the value at the source's own stated assumptions satisfies the claim
  (for ``approx``: within the claim's tolerance, default 5%);
* ``consistent``: not reproduced, but the claim lies inside the computed range (or, for
  ``at_least`` / ``at_most`` / ``between``, the range satisfies the relation somewhere);
* ``inconsistent``: neither; the explanation gives the factor and the implied value that
  would make the claim true.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER, Range
from estimator.data.fx import load_fx
from estimator.errors import EstimatorError, ScenarioError
from estimator.scenarios.explain import explain
from estimator.scenarios.implied import implied_values
from estimator.scenarios.model import Claim, Scenario
from estimator.scenarios.tiers import matching_tiers
from estimator.scenarios.tiers import sentence as tier_sentence


@dataclass
class ClaimResult:
    claim: Claim
    computed: Range                   # in the claim's unit
    verdict: str
    factor: float                     # claim / reference value
    implied: dict
    explanation: str
    fx: object = None                 # the Rate used for a non-USD money claim
    implied_ok: bool = True
    implied_problems: list = field(default_factory=list)
    tier: str = DEFAULT_TIER          # the tier(s) of the price band the claim was judged in
    provider_class: str | None = None
    price_date: object = None         # the band's reference date (the scenario's price date)
    matching_tiers: list = field(default_factory=list)   # scenarios/tiers.py

    @property
    def reference(self) -> float:
        return self.computed.reference

    @property
    def expected(self) -> str | None:
        return self.claim.expect_verdict

    @property
    def ok(self) -> bool:
        return (self.expected is None or self.verdict == self.expected) and self.implied_ok

    @property
    def mismatch(self) -> str | None:
        """Which expectation failed, in words; None when the claim is as expected."""
        reasons = []
        if self.expected is not None and self.verdict != self.expected:
            reasons.append(f"verdict {self.verdict}, expected {self.expected}")
        return "; ".join(reasons + self.implied_problems) or None


@dataclass
class ScenarioResult:
    scenario: Scenario
    stages: list
    totals: dict
    claims: list
    errors: list = field(default_factory=list)   # EstimatorError per claim not judged

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.claims) and not self.errors

    def frame(self):
        """One row per claim, with the columns of `estimator check --format json`; a claim
        that could not be judged (``errors``) is a row with verdict ``error``."""
        return pd.DataFrame([claim_record(self.scenario, c) for c in self.claims]
                            + [error_record(self.scenario, e) for e in self.errors])

    def stage_frame(self):
        """One row per stage: inputs, GPU-hours and cost (stated and the market band)."""
        rows = []
        for s in self.stages:
            st, v = s.stage, s.values
            price = st.price_usd if st.price_usd is not None else \
                self.scenario.assumptions.get("price")
            row = {"stage": st.name, "gpu": s.gpu_id, "count": st.count,
                   "hours": v["hours"].typical, "gpu_hours": v["gpu_hours"].typical}
            if v["gpu_hours"].low != v["gpu_hours"].high:
                row.update(gpu_hours_low=v["gpu_hours"].low, gpu_hours_high=v["gpu_hours"].high)
            row.update(price_usd_per_gpu_hour_stated=price, cost_usd_stated=v["cost"].stated,
                       cost_usd_low=v["cost"].low, cost_usd_typical=v["cost"].typical,
                       cost_usd_high=v["cost"].high, secondary=st.secondary)
            rows.append(row)
        return pd.DataFrame(rows)


def claim_record(scenario: Scenario, c: ClaimResult) -> dict:
    ref = c.reference
    return {
        "scenario": scenario.id, "claim": c.claim.text, "quantity": c.claim.quantity,
        "scope": c.claim.scope, "relation": c.claim.relation, "claim_value": c.claim.value,
        "claim_high": c.claim.high, "claim_unit": c.claim.unit,
        "computed_value": ref if math.isfinite(ref) else None,
        "stated_value": finite_or_none(c.computed.stated),
        "range_low": finite_or_none(c.computed.low),
        "range_typical": finite_or_none(c.computed.typical),
        "range_high": finite_or_none(c.computed.high), "factor": finite_or_none(c.factor),
        "compare_ratio": finite_or_none(c.computed.typical / c.claim.compare_to)
        if c.claim.compare_to else None,
        "verdict": c.verdict, "expected_verdict": c.expected, "ok": c.ok,
        "mismatch": c.mismatch, "derived": c.claim.derived, "tier": c.tier,
        "provider_class": c.provider_class,
        "price_date": c.price_date.isoformat() if c.price_date else None,
        "matching_tiers": c.matching_tiers,
        "implied": {k: finite_or_none(v) for k, v in c.implied.items()},
        "explanation": c.explanation, "file": scenario.file,
    }


def error_record(scenario: Scenario, error: EstimatorError) -> dict:
    """The check row of a claim that could not be judged: verdict ``error``, not ok, the
    located message as mismatch and explanation."""
    claim = next((c for c in scenario.claims if c.line == error.line), None)
    return {"scenario": scenario.id, "claim": claim.text if claim else None,
            "quantity": claim.quantity if claim else None,
            "scope": claim.scope if claim else None, "verdict": "error",
            "expected_verdict": claim.expect_verdict if claim else None, "ok": False,
            "mismatch": str(error), "explanation": str(error), "file": scenario.file}


def finite_or_none(x):
    """``x`` as a float, or None when it is missing, NaN or infinite (JSON has no NaN)."""
    return float(x) if x is not None and math.isfinite(x) else None


RELATIVE_EPSILON = 1e-9
"""Floating-point slack for the tolerance comparisons, relative to the bound: README documents
the tolerance as inclusive ("within 5%"), but 77,824 / 81,920 - 1 is 0.050000000000000044 in
binary floating point. 1e-9 is far below any tolerance a claim can state and far above the
1.1e-16 rounding error of one division."""


def _at_most(values, bound):
    """values <= bound, inclusive within RELATIVE_EPSILON of the bound."""
    return values <= bound + RELATIVE_EPSILON * abs(bound)


def _at_least(values, bound):
    """values >= bound, inclusive within RELATIVE_EPSILON of the bound."""
    return values >= bound - RELATIVE_EPSILON * abs(bound)


def holds(claim: Claim, values):
    """Does each value satisfy the claim's relation within its tolerance? (array or scalar)
    Every boundary is inclusive (see RELATIVE_EPSILON)."""
    v, tol = claim.value, claim.tolerance
    values = np.asarray(values, dtype=float)
    if claim.relation == "approx":      # |claim / computed - 1| <= tolerance; already relative
        return np.abs(v / values - 1) <= tol + RELATIVE_EPSILON
    if claim.relation == "at_least":
        return _at_least(values, v * (1 - tol))
    if claim.relation == "at_most":
        return _at_most(values, v * (1 + tol))
    return _at_least(values, v * (1 - tol)) & _at_most(values, claim.high * (1 + tol))


def relation_verdict(claim: Claim, stated: float, low: float, high: float) -> str:
    """The verdict for a claim value against stated and [low, high] computed values:
    reproduced if the stated value satisfies the claim (holds), consistent if some value in
    [low, high] does (the range widened by the tolerance; boundaries inclusive)."""
    if math.isfinite(stated) and bool(holds(claim, stated)):
        return "reproduced"
    v, tol = claim.value, claim.tolerance
    if claim.relation == "approx":
        reachable = _at_least(v, low * (1 - tol)) and _at_most(v, high * (1 + tol))
    else:
        top = {"at_least": math.inf, "at_most": v, "between": claim.high}[claim.relation]
        bottom = {"at_least": v, "at_most": 0.0, "between": v}[claim.relation]
        reachable = _at_most(low, top * (1 + tol)) and _at_least(high, bottom * (1 - tol))
    return "consistent" if bool(reachable) else "inconsistent"


def judge(claim: Claim, scenario: Scenario, stages: list, totals: dict,
          pricing: tuple = (DEFAULT_TIER, None)) -> ClaimResult:
    computed, rate = _in_claim_unit(claim, scenario, totals[claim.quantity])
    if not computed.finite:
        gpus = ", ".join(dict.fromkeys(f"{s.stage.name!r} on {s.profile.name}" for s in stages
                                       if s.profile is not None))
        raise ScenarioError(f"cannot compute {claim.quantity} for this scenario: a stage "
                            f"({gpus or 'none'}) lacks an input it needs (GPU count, price, "
                            "purchase price or TDP)", file=scenario.file,
                            line=claim.line, key="claim",
                            hint="Give the missing input (e.g. the stage's count, "
                                 "assumptions.price or assumptions.purchase_price).")
    verdict = relation_verdict(claim, computed.stated, computed.low, computed.high)
    ref = computed.reference
    implied = implied_values(claim, scenario, stages, totals, computed, rate)
    factor = claim.value / ref if ref else math.nan      # no factor against a computed zero
    result = ClaimResult(claim, computed, verdict, factor, implied, "", rate, tier=pricing[0],
                         provider_class=pricing[1],
                         price_date=scenario.price_date(stages[0].stage) if stages else None)
    _check_implied(result)
    result.explanation = explain(result, scenario, stages, totals)
    if claim.quantity in ("cost", "price_usd_per_gpu_hour"):
        price = implied.get("price_usd_per_gpu_hour", claim.value / rate.per_usd if rate
                            else claim.value)
        result.matching_tiers = matching_tiers(price, stages, scenario, pricing)
        result.explanation += " " + tier_sentence(result.matching_tiers, stages, scenario)
    return result


def _in_claim_unit(claim: Claim, scenario: Scenario, values: Range):
    """Convert USD totals to the claim's currency at the scenario's FX date."""
    if not claim.is_money or claim.currency == "USD":
        return values, None
    try:
        rate = load_fx().rate(claim.currency, fx_date(scenario))
    except EstimatorError as exc:
        key = "assumptions.fx_date" if scenario.assumptions.get("fx_date") else "date"
        raise exc.located(file=scenario.file, line=scenario.lines.get(key) or claim.line, key=key)
    return values.scaled(rate.per_usd), rate


def fx_date(scenario: Scenario):
    """The scenario's FX date (Scenario.fx_date: assumptions.fx_date, else its date, else its
    earliest source's)."""
    return scenario.fx_date


def implied_value(implied: dict, name: str) -> float | None:
    """An implied value by its expect.implied name (fx_rate_per_usd: the claim currency's)."""
    if name == "fx_rate_per_usd":
        name = next((k for k in implied if k.startswith("fx_rate_")), name)
    return implied.get(name)


def _check_implied(result: ClaimResult) -> None:
    for name, bound in result.claim.expect_implied.items():
        value = implied_value(result.implied, name)
        if value is None or not math.isfinite(value):
            have = ", ".join(result.implied) or "none"
            result.implied_problems.append(f"implied {name} was not computed for this claim "
                                           f"(computed: {have})")
            continue
        low, high = bound.get("min"), bound.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            result.implied_problems.append(
                f"implied {name} = {value:.4g}, outside the expected "
                f"{'-inf' if low is None else f'{low:g}'} to "
                f"{'inf' if high is None else f'{high:g}'}")
    result.implied_ok = not result.implied_problems
