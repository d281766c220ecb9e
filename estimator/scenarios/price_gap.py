"""Claims that need a rental price the GPU lacks at the scenario's price date (issue 22).

A scenario's claims are judged one by one: hours, FLOP, MFU, throughput, GPU count, energy and
CO2 need no price, so they are judged whatever the price bands hold. A rental cost claim and a
price-per-GPU-hour claim need the GPU's market band at the price date (Scenario.price_date);
when there is none, the claim gets a located error naming the claim, the GPU, the date, the
earliest date a band exists and a fix that works (the date the fix names is checked to give a
band, not guessed).
"""

from __future__ import annotations

import datetime as dt

from estimator.bands import DEFAULT_TIER
from estimator.errors import ScenarioError

PRICED_QUANTITIES = ("price_usd_per_gpu_hour",)
"""Claim quantities that always compare with the market band."""


def needs_price(claim) -> bool:
    """Does the claim compare with the rental market band? (rental cost, price per GPU-hour;
    the cloud, amortised and acquisition methods price themselves, methods.py)."""
    return claim.quantity in PRICED_QUANTITIES or (claim.quantity == "cost"
                                                   and claim.method == "rental")


def claim_key(scenario, index: int) -> str:
    """The claim's key in the file: ``claim`` for a single claim, else ``claims[i]``."""
    return "claim" if len(scenario.claims) == 1 else f"claims[{index}]"


def require_prices(claim, index: int, scenario, stages: list) -> None:
    """ScenarioError when ``claim`` needs a price that one of its ``stages`` (StageValues)
    lacks; nothing otherwise."""
    if not needs_price(claim):
        return
    key = claim_key(scenario, index)
    for s in stages:
        if s.price_error is not None:
            raise _no_band_yet(claim, key, scenario, s)
        if s.price_band is None and s.stage.price_usd is None \
                and scenario.assumptions.get("price") is None:
            raise ScenarioError(
                f"the claim \"{claim.text}\" needs a rental price, but {s.profile.name} (stage "
                f"{s.stage.name!r}) has no rental price observations", file=scenario.file,
                line=claim.line, key=key,
                hint="Give the source's price (assumptions.price or the stage's price, e.g. "
                     "'2 USD/h'), or add price observations to the GPU's profile.")


def _no_band_yet(claim, key: str, scenario, s) -> ScenarioError:
    on = scenario.price_date(s.stage)
    tier, cls = _pricing(s)
    first = earliest_band_date(s.profile, tier, cls)
    where = scenario.price_date_key(s.stage)
    what = (f"the claim \"{claim.text}\" needs a rental price of {s.profile.name} (stage "
            f"{s.stage.name!r}) on {on.isoformat()} (its {_date_words(where)}), but ")
    if first is None:
        return ScenarioError(what + "no band exists in that tier and provider class",
                             file=scenario.file, line=claim.line, key=key,
                             hint="Use another tier or provider class (the claim's tier / "
                                  "assumptions.tier), or give the source's price.")
    if where == "as_of":                # the date came from the --as-of option
        fix = f"Pass --as-of {first.isoformat()} or later"
    else:
        fix = (f"To judge it at that price, set assumptions.as_of: {first.isoformat()} "
               f"(prices every stage at that date) or run with --as-of {first.isoformat()}")
    return ScenarioError(
        what + f"its earliest price band is on {first.isoformat()}", file=scenario.file,
        line=claim.line, key=key, hint=fix + "; claims that need no price are judged either "
                                             "way.")


def _pricing(s) -> tuple:
    """(tier, provider class) the stage was priced in (StageValues.pricing)."""
    return s.pricing or (DEFAULT_TIER, None)


def earliest_band_date(profile, tier, provider_class) -> dt.date | None:
    """The first observation date at which ``profile`` has a band in ``tier`` and
    ``provider_class`` (None when it never has one)."""
    for day in sorted({o.date for o in profile.observations(tier)}):
        if profile.band(day, tier, provider_class) is not None:
            return day
    return None


def _date_words(key: str) -> str:
    return {"as_of": "--as-of", "assumptions.as_of": "assumptions.as_of",
            "start": "stage start", "end": "stage end", "date": "publication date",
            "sources": "earliest source's date"}.get(key, key)
