"""What a verdict's range rests on, in one sentence for the page.

A price band built from two hyperscaler list prices is not "the market": the reader is told
how many price observations the range comes from, the newest one's date, and whether the band
is derived from another GPU's prices or stale. Everything comes from what the price bands
carry (``Band.used``, ``rule``, ``stale``, ``note``; estimator/bands.py).

:func:`range_provenance` is the one place the site builds this sentence; when the band code
offers its own provenance sentence (shared with the CLI explanation), swap its body for a call
to that function.
"""

from __future__ import annotations

import datetime as dt

from estimator.bands import STALE_DAYS
from estimator.scenarios.explain import RANGE_BASIS
from estimator.site.labels import band_rule

PRICE_QUANTITIES = ("cost", "price_usd_per_gpu_hour")
"""Claims whose computed range spans the market price band (scenarios/explain.py RANGE_BASIS)."""



def claim_bands(stage_values, claim) -> list:
    """The price bands behind a claim: those of the stages it covers (every stage when the
    claim names none), without repeats."""
    names = set(claim.stages)
    bands = []
    for values in stage_values:
        band = values.price_band
        if band is None or (names and values.stage.name not in names):
            continue
        if not any(band is b for b in bands):
            bands.append(band)
    return bands


def range_provenance(bands, quantity: str) -> str:
    """What the claim's computed range rests on, in one sentence: for a money claim the price
    observations ('The range rests on 2 price observations, the newest dated 2026-02-01 (a
    thin band: treat its ends with care).'), derived or stale bands said as such; for other
    claims the input ranges it spans."""
    if quantity not in PRICE_QUANTITIES:
        basis = RANGE_BASIS.get(quantity, "the input ranges")
        return (f"The range spans {basis} (listed under Assumptions with their sources); "
                "no price observations are involved.")
    if not bands:
        return ("No market price band applies: the range comes from the prices stated in the "
                "scenario file.")
    used = [o for b in bands for o in b.used]
    dates = [o.date for o in used if isinstance(getattr(o, "date", None), dt.date)]
    count = len(used)
    noun = "observation" if count == 1 else "observations"
    newest = f", the newest dated {max(dates).isoformat()}" if dates else ""
    if any(b.rule == "derived" for b in bands):
        sentence = (f"The band is derived from another GPU's prices ({count} {noun}{newest}), "
                    "not observed for this one")
    elif count:
        providers = sum(b.provider_count for b in bands)
        sentence = (f"The range rests on {count} price {noun} from {providers} "
                    f"provider{'s' if providers != 1 else ''}{newest}")
        if any(b.thin for b in bands):      # the band's own flag, as the CLI says it
            sentence += " (a thin band: treat its ends with care)"
    else:
        rules = ", ".join(sorted({band_rule(b.rule) for b in bands}))
        sentence = f"The range comes from a price band with no dated observations ({rules})"
    if any(b.stale for b in bands):
        sentence += (f". The band is stale: no observation in the {STALE_DAYS} days before the "
                     "price date")
    return sentence + "."
