"""Prices of the three cost methods taken from a hardware profile's own observations.

Epoch AI's price table is not in the package, so ``cost --method cloud,amortised,acquisition``
prices a run with the profile's dated observations, using Epoch AI's rules (arXiv
2405.21015; docs/epoch-method.md §2; constants in data/cost_methods.yaml):

* cloud: the committed-use (3-year) price per chip-hour at the rental date (training start
  - 60 d). 3-year observations are used as they are; 1-year and on-demand ones are converted
  with the provider's committed-use discounts (Epoch AI DEFAULT_CUD; providers outside that
  table get the default vendor's, Amazon Web Services). The band rule (bands.py) picks the
  observations (the 730 days before the rental date, else the earliest later ones) and takes
  their median.
* amortised and acquisition: each purchase observation is a price per GPU; chip-only prices
  (card, HGX board, kit, estimate) are multiplied by the server price factor (Epoch AI
  1.64, A100 1.66, V100 1.69), DGX / server shares are used as they are. For amortised, each
  is depreciated 0.14 orders of magnitude a year from its acquisition date A = max(price date,
  launch + 90 d) to the training start (zero years when bought later). The band rule picks the
  observations at the training start (else the earliest ones) and takes their median.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np

from estimator.bands import LEGACY_RULE, derive_band, derive_purchase_band
from estimator.calc import cost_methods as rules
from estimator.models import cost_methods as cm

SERVER_SHARE_KINDS = ("dgx", "server")
"""Purchase observations already priced as a share of a whole server (no server factor)."""

LEGACY_TIERS = {"3-yr": cm.THREE_YEAR, "1-yr": cm.ONE_YEAR, "on-demand": cm.ON_DEMAND}
"""Observation ``kind`` values of profiles written before observations gained a ``tier``."""


@dataclass(frozen=True)
class MethodPrice:
    """A central price a method uses, and where it came from (for the ``basis`` column)."""

    usd: float                  # USD per chip-hour (cloud) or USD per chip (server value)
    basis: str
    stale: bool = False


def tier_of(observation) -> str | None:
    """The commitment tier of a rental observation: its ``tier`` if it has one, else the
    tier its ``kind`` names (3-yr, 1-yr, on-demand); None for spot, market, assumption."""
    tier = getattr(observation, "tier", None)
    if tier in cm.PRICE_TYPES:
        return tier
    return LEGACY_TIERS.get(observation.kind)


def cud_discounts(provider: str, tables=None) -> tuple[dict, str]:
    """The provider's committed-use discounts (Epoch AI DEFAULT_CUD) and the vendor name;
    the default vendor's for a provider outside the table (rules.discounts_for, with the
    profile path's options: any case, the default vendor as fallback)."""
    return rules.discounts_for(provider, tables=tables, match_case=False, default_vendor=True)


def three_year_price(observation, tables=None) -> float:
    """An observation's price on a 3-year committed-use basis [USD/chip-hour]:
    p3 = p (1 - d3) / (1 - d_tier) (Epoch AI, docs/epoch-method.md §2.1 step 5)."""
    discounts, _ = cud_discounts(observation.provider, tables)
    tier = tier_of(observation)
    return float(cm.committed_use_price(observation.price_usd_per_gpu_hour, discounts[tier],
                                        discounts[cm.THREE_YEAR]))


def cloud_price(profile, start: dt.date, tables=None) -> MethodPrice | None:
    """Median 3-year committed-use price [USD/chip-hour] at start - 60 d, or None."""
    when = rules.rental_date(start, tables=tables).date()
    usable = [o for o in profile.rental if tier_of(o) is not None]
    if not usable:
        return None
    converted = [replace(o, tier=cm.THREE_YEAR, note=tier_of(o),
                         price_usd_per_gpu_hour=three_year_price(o, tables)) for o in usable]
    band = derive_band(converted, when, tier=cm.THREE_YEAR, rule=LEGACY_RULE)
    stale = band is None or band.stale
    if band is None:
        band = derive_band(converted, min(o.date for o in converted), tier=cm.THREE_YEAR,
                           rule=LEGACY_RULE)
    tiers = sorted({o.note for o in band.used})  # the tier before conversion
    basis = (f"{len(band.used)} rental observations ({', '.join(tiers)}) as 3-yr committed use, "
             f"median, at {when.isoformat()}")
    return MethodPrice(band.typical, basis, stale)


def server_factor_for(profile, server_factor=None) -> float:
    """Server price / chip price: the given one, else Epoch AI's for the chip."""
    if server_factor is not None:
        return float(server_factor)
    return rules.server_price_factor(profile.name)


def server_price(observation, factor: float) -> float:
    """Per-chip server price [USD]: chip-only prices x the server factor."""
    if observation.what in SERVER_SHARE_KINDS:
        return observation.price_usd_per_gpu
    return observation.price_usd_per_gpu * factor


def acquired_on(observation, launch: dt.date, tables=None) -> dt.date:
    """A = max(price date, launch + 90 d): nobody buys a GPU before it ships (Epoch AI)."""
    return rules.acquisition_date(observation.date, launch, tables=tables).date()


def depreciated(observation, factor, launch, start, trend_oom_per_year, tables=None) -> float:
    """The server value per chip at the training start [USD] (Epoch AI, §2.2 steps 1-2)."""
    years = rules.depreciation_years(acquired_on(observation, launch, tables), start, "GPU")
    return float(cm.depreciated_value(server_price(observation, factor), years,
                                      trend_oom_per_year=trend_oom_per_year))


def server_value(profile, start: dt.date, *, depreciate: bool, server_factor=None,
                 trend_oom_per_year=cm.DEPRECIATION_OOM_PER_YEAR,
                 tables=None) -> MethodPrice | None:
    """Median per-chip server price [USD] at ``start``, depreciated when ``depreciate``."""
    if not profile.purchase:
        return None
    factor = server_factor_for(profile, server_factor)
    if depreciate:
        values = [depreciated(o, factor, profile.launch_date, start, trend_oom_per_year, tables)
                  for o in profile.purchase]
    else:
        values = [server_price(o, factor) for o in profile.purchase]
    priced = [replace(o, price_usd_per_gpu=v) for o, v in zip(profile.purchase, values)]
    band = derive_purchase_band(priced, start)
    stale = band is None or band.stale
    if band is None:
        band = derive_purchase_band(priced, min(o.date for o in priced))
    what = "depreciated to " + start.isoformat() if depreciate else "undepreciated"
    basis = (f"{len(band.used)} purchase observations x server factor {factor:g} where "
             f"chip-only, {what}, median")
    return MethodPrice(float(np.median([o.price_usd_per_gpu for o in band.used])), basis, stale)


def electricity_usd_per_kwh(year: int, tables=None) -> tuple[float, int]:
    """US industrial electricity price [USD/kWh] of ``year`` (EIA via Epoch AI), the nearest
    year of the table outside it; and the year used."""
    used = rules.electricity_year(year, tables=tables)
    return rules.electricity_price(used, tables=tables), used
