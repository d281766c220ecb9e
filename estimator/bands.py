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
import math
from dataclasses import dataclass, fields, replace

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
class Band:
    """A value known as a range: ``low <= typical <= high``, the source's own ``stated`` value
    where there is one (NaN otherwise), and where the range came from.

    The one range type of the package: price bands (USD per GPU-hour), purchase bands (USD per
    GPU), input ranges (MFU, PUE, power fraction, grid intensity) and computed quantities of a
    scenario (cost, GPU-hours, energy...) are all Bands. Values may be NaN where a quantity
    cannot be computed (a stage without a purchase price has no capex).
    """

    low: float
    typical: float
    high: float
    stated: float = math.nan
    rule: str = "given"             # observations | override | given | default | computed
    reference_date: dt.date | None = None
    used: tuple = ()                # the observations behind it
    stale: bool = False
    source: str | None = None

    def __post_init__(self):
        finite = [v for v in (self.low, self.typical, self.high) if math.isfinite(v)]
        if len(finite) == 3 and not (self.low <= self.typical <= self.high):
            raise ValueError(f"band not ordered: {self.low} {self.typical} {self.high}")

    def __eq__(self, other) -> bool:
        """Field by field, with NaN equal to NaN (a Band without a stated value equals its copy)."""
        if not isinstance(other, Band):
            return NotImplemented
        return all(_same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))

    __hash__ = object.__hash__

    @classmethod
    def given(cls, low: float, high: float | None = None, **provenance) -> "Band":
        """A user's point or "low:high" range; typical is the midpoint, stated the point."""
        high = low if high is None else high
        stated = low if low == high else math.nan
        return cls(low, low / 2 + high / 2, high, stated, **{"rule": "given", **provenance})

    @classmethod
    def around(cls, typical: float, low: float, high: float, stated: float = math.nan,
               **provenance) -> "Band":
        """A default range with its own typical value (e.g. MFU 0.15-0.65, typical 0.375)."""
        return cls(low, typical, high, stated, **{"rule": "default", **provenance})

    @property
    def reference(self) -> float:
        """The value a claim is compared with first: stated if there is one, else typical."""
        return self.stated if math.isfinite(self.stated) else self.typical

    @property
    def has_stated(self) -> bool:
        return math.isfinite(self.stated)

    @property
    def is_point(self) -> bool:
        """True where low and high are (numerically) the same value."""
        return math.isclose(self.low, self.high, rel_tol=1e-9)

    @property
    def finite(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)

    def values(self) -> np.ndarray:
        """[low, typical, high] as an array."""
        return np.array([self.low, self.typical, self.high], dtype=float)

    def __add__(self, other: "Band") -> "Band":
        """Bands of parts that add up (stages run one after another): low + low, etc."""
        return Band(self.low + other.low, self.typical + other.typical, self.high + other.high,
                    self.stated + other.stated, rule="computed")

    @classmethod
    def total(cls, bands) -> "Band":
        """The sum of several Bands (see ``__add__``); a zero Band for none."""
        out = cls(0.0, 0.0, 0.0, 0.0, rule="computed")
        for band in bands:
            out = out + band
        return out

    def scaled(self, factor: float) -> "Band":
        """Every value times ``factor`` (e.g. USD -> SEK), provenance kept."""
        return replace(self, low=self.low * factor, typical=self.typical * factor,
                       high=self.high * factor, stated=self.stated * factor)


PriceBand = Band
"""The name of a price band in earlier releases; the same type."""


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def derive_band(observations, reference_date: dt.date,
                window_days: int = WINDOW_DAYS) -> Band | None:
    """Apply the band rule to rental ``observations``; None when no candidate exists."""
    candidates = [o for o in observations if o.kind in BAND_KINDS]
    return _band(candidates, "price_usd_per_gpu_hour", reference_date, window_days)


def derive_purchase_band(observations, reference_date: dt.date,
                         window_days: int = WINDOW_DAYS) -> Band | None:
    """The same rule over purchase observations [USD per GPU]."""
    return _band(list(observations), "price_usd_per_gpu", reference_date, window_days)


def _band(candidates, attribute: str, reference_date: dt.date,
          window_days: int) -> Band | None:
    """min / median / max of ``attribute`` over candidates dated within the window."""
    candidates = [o for o in candidates if o.date <= reference_date]
    if not candidates:
        return None
    start = reference_date - dt.timedelta(days=window_days)
    recent = [o for o in candidates if o.date > start]
    chosen = recent or candidates
    values = np.array([getattr(o, attribute) for o in chosen])
    return Band(
        low=float(values.min()), typical=float(np.median(values)), high=float(values.max()),
        rule="observations", reference_date=reference_date,
        used=tuple(sorted(chosen, key=lambda o: (o.date, getattr(o, "provider", "")))),
        stale=not recent,
    )
