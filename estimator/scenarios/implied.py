"""The implied value that would make a claim exactly true, per claim quantity."""

from __future__ import annotations

import numpy as np

from estimator.models import energy, rental
from estimator.models import flops as fl


def stated_price(scenario, stages) -> float | None:
    """The one price per GPU-hour the source states for every stage, if there is one."""
    prices = {s.stage.price_usd if s.stage.price_usd is not None
              else scenario.assumptions.get("price") for s in stages}
    return prices.pop() if len(prices) == 1 and None not in prices else None


def implied_values(claim, scenario, stages, totals, computed, rate) -> dict:
    """Name -> value that makes the claim exact (names follow estimate()'s columns)."""
    value_usd = claim.value / rate.per_usd if rate else claim.value
    gh = totals["gpu_hours"].reference
    single = stages[0].stage if len(stages) == 1 else None
    out: dict = {}
    if claim.quantity == "cost":
        out["price_usd_per_gpu_hour"] = value_usd / gh
        price = stated_price(scenario, stages)
        if price:
            out["gpu_hours"] = value_usd / price
            if single is not None and single.count:
                out["hours"] = value_usd / price / single.count
        if rate:
            rate_key = f"fx_rate_{claim.currency.lower()}_per_usd"
            out[rate_key] = claim.value / totals["cost"].reference
        flop = _compute_route_flop(stages)
        if flop is not None:
            band = stages[0].price_band
            per_hour = price or (band.typical if band is not None else None)
            if per_hour:
                out["mfu"] = _mfu(stages, value_usd / per_hour)
    elif claim.quantity == "capex":
        count = sum(s.stage.count or 0 for s in stages)
        out["capex_usd_per_gpu"] = value_usd / count
        out["count"] = value_usd / (totals["capex"].typical / count)
    elif claim.quantity == "gpu_hours":
        if _compute_route_flop(stages) is not None:
            out["mfu"] = _mfu(stages, claim.value)
        if single is not None and single.count:
            out["hours"] = claim.value / single.count
    elif claim.quantity == "hours" and single is not None:
        out["count"] = gh / claim.value
        if single.count:
            out["gpu_hours"] = claim.value * single.count
    elif claim.quantity == "flop" and _compute_route_flop(stages) is None:
        peak_hours = sum(s.values["gpu_hours"].reference * (s.peak_tflops or np.nan)
                         for s in stages)
        out["mfu"] = fl.implied_mfu(claim.value, peak_hours, 1.0)
    elif claim.quantity in ("energy", "energy_facility"):
        pue = scenario_pue(stages)
        out["power_w_per_gpu"] = energy.implied_power_w(claim.value, gh, pue)
        if totals["energy_it"].has_stated:
            out["pue"] = energy.implied_pue(claim.value, totals["energy_it"].stated)
    elif claim.quantity == "energy_it":
        out["power_w_per_gpu"] = energy.implied_power_w(claim.value, gh, 1.0)
    elif claim.quantity == "co2":
        out["carbon_intensity_kg_per_kwh"] = energy.implied_carbon_intensity(
            claim.value, totals["energy"].reference)
    else:
        out.update(_implied_rates(claim, stages, totals, single))
    if totals["goodput"].has_stated:       # only against the source's own steady-state MFU
        out["goodput"] = totals["goodput"].stated
    return {k: float(v) for k, v in out.items()}


def scenario_pue(stages) -> float:
    """The PUE the forward energy calculation uses for these stages: the stated one (else the
    typical), or the GPU-hour weighted ratio of facility to IT energy where stages differ."""
    pues = {s.inputs["pue"].reference for s in stages}
    if len(pues) == 1:
        return pues.pop()
    facility = sum(s.values["energy"].reference for s in stages)
    return facility / sum(s.values["energy_it"].reference for s in stages)


def _implied_rates(claim, stages, totals, single) -> dict:
    """Implied values of the ratio claims (mfu, throughput, gpu_count)."""
    out = {}
    if claim.quantity == "throughput_tflops_per_gpu" and single is not None:
        per_gpu_hour = fl.achieved_flop(1.0, claim.value, 1.0)   # FLOP in one GPU-hour
        out["mfu"] = fl.implied_mfu(per_gpu_hour, 1.0, stages[0].peak_tflops)
    elif claim.quantity == "mfu" and _compute_route_flop(stages) is not None:
        out["gpu_hours"] = _mfu(stages, 1.0) / claim.value
    elif claim.quantity == "gpu_count":
        out["hours"] = rental.wall_clock_hours(totals["gpu_hours"].reference, claim.value)
    elif claim.quantity == "tokens_per_second" and totals["tokens"].finite:
        out["hours"] = fl.hours_from_tokens_per_second(totals["tokens"].reference, claim.value)
    elif claim.quantity == "price_usd_per_gpu_hour":
        out["cost_usd"] = rental.rental_cost_usd(totals["gpu_hours"].reference, claim.value)
    return out


def _compute_route_flop(stages) -> float | None:
    """Total FLOP when every stage is given by compute inputs (so MFU is the unknown)."""
    if all(s.stage.flop is not None or s.stage.params is not None
           or s.stage.flop_per_token is not None for s in stages):
        return float(sum(s.values["flop"].typical for s in stages))
    return None


def _mfu(stages, gpu_hours: float) -> float:
    """MFU at which the stages' FLOP take ``gpu_hours`` in total (sum of FLOP/peak)."""
    peak_flop = sum(s.values["flop"].typical / s.peak_tflops for s in stages)
    return fl.implied_mfu(peak_flop, gpu_hours, 1.0)
