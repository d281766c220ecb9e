"""Dated price observations and the one rule that turns them into a price band.

The band rule (documented in README, "Price bands"):

* candidates are rental observations of kind ``on-demand``, ``1-yr``, ``3-yr`` or
  ``market`` dated on or before the reference date (``--as-of``, default today);
  ``spot`` (interruptible, unfit for a training run) and ``assumption`` (somebody's
  assumed price, e.g. DeepSeek's $2) are kept as observations but not used;
* of those, the ones dated within :data:`WINDOW_DAYS` before the reference date; if
  none is that recent, all candidates (the band is then marked ``stale``);
* every price is converted to USD per GPU-hour with the FX rate of its own date;
* low = minimum, typical = median, high = maximum.

A profile may override the band with an explicit, sourced ``price_band``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

BAND_KINDS = ("on-demand", "1-yr", "3-yr", "market")
"""Observation kinds that feed the price band."""

RENTAL_KINDS = BAND_KINDS + ("spot", "assumption")

WINDOW_DAYS = 730
"""Observations older than this before the reference date are left out of the band [days]."""


@dataclass(frozen=True)
class RentalObservation:
    """One observed rental price; ``price_usd_per_gpu_hour`` is converted at ``date``."""

    provider: str
    kind: str
    price_per_gpu_hour: float       # in ``currency``
    currency: str
    date: dt.date
    source: str
    as_of: dt.date
    confidence: str
    price_usd_per_gpu_hour: float
    gpus_per_instance: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class PurchaseObservation:
    """One observed purchase price per GPU (card, board, DGX or server share)."""

    seller: str
    what: str
    price_per_gpu: float
    currency: str
    date: dt.date
    source: str
    as_of: dt.date
    confidence: str
    price_usd_per_gpu: float
    note: str | None = None


@dataclass(frozen=True)
class PriceBand:
    """Low / typical / high USD per GPU-hour, with what it was derived from."""

    low: float
    typical: float
    high: float
    rule: str                       # "observations", "override" or "given"
    reference_date: dt.date | None = None
    used: tuple = ()                # the RentalObservations behind it
    stale: bool = False
    source: str | None = None

    def __post_init__(self):
        if not (self.low <= self.typical <= self.high):
            raise ValueError(f"price band not ordered: {self.low} {self.typical} {self.high}")

    @classmethod
    def point(cls, price_usd_per_gpu_hour: float) -> "PriceBand":
        p = float(price_usd_per_gpu_hour)
        return cls(p, p, p, rule="given")


def derive_band(observations, reference_date: dt.date,
                window_days: int = WINDOW_DAYS) -> PriceBand | None:
    """Apply the band rule to rental ``observations``; None when no candidate exists."""
    candidates = [o for o in observations if o.kind in BAND_KINDS]
    return _band(candidates, "price_usd_per_gpu_hour", reference_date, window_days)


def derive_purchase_band(observations, reference_date: dt.date,
                         window_days: int = WINDOW_DAYS) -> PriceBand | None:
    """The same rule over purchase observations [USD per GPU]."""
    return _band(list(observations), "price_usd_per_gpu", reference_date, window_days)


def _band(candidates, attribute: str, reference_date: dt.date,
          window_days: int) -> PriceBand | None:
    """min / median / max of ``attribute`` over candidates dated within the window."""
    candidates = [o for o in candidates if o.date <= reference_date]
    if not candidates:
        return None
    start = reference_date - dt.timedelta(days=window_days)
    recent = [o for o in candidates if o.date > start]
    chosen = recent or candidates
    values = np.array([getattr(o, attribute) for o in chosen])
    return PriceBand(
        low=float(values.min()), typical=float(np.median(values)), high=float(values.max()),
        rule="observations", reference_date=reference_date,
        used=tuple(sorted(chosen, key=lambda o: (o.date, getattr(o, "provider", "")))),
        stale=not recent,
    )
