"""Which price a claim matches: the tier(s) whose band, at the scenario's price date, holds
the price per GPU-hour the claim implies (issue 13; README, "Which price?")."""

from __future__ import annotations

import math

from estimator.bands import TIERS

TIER_LABELS = {"on_demand": "on-demand", "commit_1y": "1-year committed",
               "commit_3y": "3-year committed", "spot": "spot",
               "marketplace": "marketplace"}

EXTREME_SHARE = 0.05
"""A claim "fits only at the band's extreme" when its implied price is within 5% of the
band's low or high end (relative to that end)."""


def matching_tiers(implied_price: float | None, stages: list, scenario, pricing: tuple) -> list:
    """One dict per tier whose band at the price date contains ``implied_price`` [USD per
    GPU-hour]: tier, price_date, low, high, extreme ("low", "high" or None). Empty when the
    stages use different GPUs or no price is implied. Only bands of observed prices count
    (no fallback band: a claim matches a tier the market was seen in)."""
    profiles = {id(s.profile): s.profile for s in stages if s.profile is not None}
    if implied_price is None or not math.isfinite(implied_price) or len(profiles) != 1:
        return []
    profile = next(iter(profiles.values()))
    on = scenario.price_date(stages[0].stage)
    out = []
    for tier in TIERS:
        band = profile.band(on, tier, pricing[1], fallback=False)
        if band is None or not band.low <= implied_price <= band.high:
            continue
        out.append({"tier": tier, "price_date": on.isoformat(), "low": band.low,
                    "high": band.high, "extreme": _extreme(implied_price, band)})
    return out


def _extreme(price: float, band) -> str | None:
    if band.is_point:
        return None
    if price <= band.low * (1 + EXTREME_SHARE):
        return "low"
    if price >= band.high * (1 - EXTREME_SHARE):
        return "high"
    return None


def sentence(matches: list, stages: list, scenario) -> str:
    """'The implied price matches 3-year committed prices in May 2020 ($1.21-$1.21).' or
    that it matches no tier; '' when no price is implied."""
    if not stages:
        return ""
    when = scenario.price_date(stages[0].stage).strftime("%b %Y")
    if not matches:
        return f"The implied price per GPU-hour is in no tier's band in {when}."
    parts = []
    for m in matches:
        text = f"{TIER_LABELS[m['tier']]} prices in {when} (${m['low']:.2f}-${m['high']:.2f})"
        if m["extreme"]:
            text += f", only at the band's {m['extreme']} end"
        parts.append(text)
    return "The implied price per GPU-hour is consistent with " + "; ".join(parts) + "."
