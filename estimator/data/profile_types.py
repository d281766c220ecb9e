"""The hardware-profile value types: Spec, HardwareProfile and ProfileSet.

A module of their own so that both profiles.py (which parses the YAML files into them) and
profile_cache.py (which rebuilds them from the cache) import them without a cycle.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from estimator import clock
from estimator.bands import (
    DEFAULT_TIER,
    Band,
    derive_band,
    fallback_band,
    parse_provider_classes,
    parse_tiers,
)
from estimator.data import gpu_names
from estimator.data.observations import DerivedFrom
from estimator.errors import InputError, unknown_name

PRECISIONS = {
    "fp64": "fp64_tflops", "fp64_tensor": "fp64_tensor_tflops", "tf32": "tf32_dense_tflops",
    "bf16": "bf16_dense_tflops", "fp16": "fp16_dense_tflops", "fp8": "fp8_dense_tflops",
    "fp4": "fp4_dense_tflops", "int8": "int8_dense_tops",
}
"""Precision name -> spec key of its dense peak [TFLOPS, or TOPS for int8]."""

@dataclass(frozen=True)
class Spec:
    """A sourced spec value (None where the chip lacks the feature, e.g. FP8 on A100)."""

    value: float | None
    source: str
    as_of: dt.date
    confidence: str = "primary"
    note: str | None = None


@dataclass(frozen=True)
class HardwareProfile:
    id: str
    name: str
    aliases: tuple
    vendor: str
    architecture: str
    form_factor: str | None
    price_unit: str
    launch_date: dt.date
    specs: dict = field(hash=False)
    rental: tuple = ()
    purchase: tuple = ()
    band_override: Band | None = None
    references: dict = field(default_factory=dict, hash=False)
    notes: str | None = None
    file: str | None = None
    derived: DerivedFrom | None = None
    derived_base: tuple = ()        # the rental observations of the profile it derives from
    market: dict | None = field(default=None, init=False, compare=False, hash=False,
                                repr=False)
    """GPU id -> rental observations of the OTHER profiles of its ProfileSet (set there; not
    cached): what a fallback band's ratios are measured on (bands.fallback_band)."""

    def spec(self, key: str) -> float | None:
        """A spec value by key (``tdp_w``, ``bf16_dense_tflops``...), None if absent."""
        entry = self.specs.get(key)
        return entry.value if entry else None

    def peak_tflops(self, precision: str = "bf16") -> float:
        """Dense peak [TFLOPS] at ``precision``; InputError if the chip lacks it."""
        key = PRECISIONS.get(precision.lower())
        if key is None:
            raise unknown_name("precision", precision, PRECISIONS)
        value = self.spec(key)
        if value is None:
            have = [p for p, k in PRECISIONS.items() if self.spec(k) is not None]
            raise InputError(f"{self.name} has no {precision.upper()} dense peak",
                             hint="Available: " + ", ".join(have) + ".")
        return value

    @property
    def tdp_w(self) -> float | None:
        return self.spec("tdp_w")

    def band(self, as_of: dt.date | None = None, tier=DEFAULT_TIER,
             provider_class=None, fallback: bool = True) -> Band | None:
        """The price band at ``as_of`` (default today) within ``tier`` (a tier, comma list,
        or "all") and ``provider_class`` (None = every class): the override, the derived
        band (``derived_from``), or the band rule over this profile's observations; where
        those have none in the tier and class, the fallback band (bands.fallback_band,
        ``rule="derived"``, its note says from what) unless ``fallback`` is False."""
        if self.band_override is not None:
            return self.band_override
        on = as_of or clock.today()
        if self.derived is not None:
            classes = self.derived_classes(provider_class)
            if classes == ():
                return None
            base = derive_band(self.derived_base, on, tier=tier, provider_class=classes)
            if base is None:
                return None
            return replace(base.scaled(self.derived.factor), rule="derived",
                           note=self.derived.note, source=self.derived.source)
        if not fallback:
            return derive_band(self.rental, on, tier=tier, provider_class=provider_class)
        return fallback_band(self.rental, on, tier=tier, provider_class=provider_class,
                             market=self.market)

    def derived_classes(self, provider_class=None):
        """The provider classes a derived band reads from its base profile: the requested
        ones (None = every class) narrowed to ``derived_from.provider_class``; () when the
        request excludes it (no band)."""
        requested = parse_provider_classes(provider_class)
        own = self.derived.provider_class
        if own is None:
            return requested
        return (own,) if requested is None or own in requested else ()

    def observations(self, tier=DEFAULT_TIER) -> tuple:
        """The rental observations that can feed a band in ``tier`` (the base profile's for a
        derived band); assumptions left out."""
        tiers = parse_tiers(tier)
        pool = self.derived_base if self.derived is not None else self.rental
        only = self.derived.provider_class if self.derived is not None else None
        return tuple(o for o in pool if o.tier in tiers and not o.assumption
                     and (only is None or o.provider_class == only))

    @property
    def first_band_date(self) -> dt.date | None:
        """Date of the earliest on-demand observation that can feed a band (None if none)."""
        return self.first_observation_date()

    def first_observation_date(self, tier=DEFAULT_TIER) -> dt.date | None:
        """Date of the earliest observation that can feed a band in ``tier`` (None if none)."""
        dates = [o.date for o in self.observations(tier)]
        return min(dates) if dates else None

    def market_band(self, as_of: dt.date | None = None, tier=DEFAULT_TIER,
                    provider_class=None) -> Band:
        """:meth:`band`, or InputError naming the GPU and its earliest band observation when
        none is dated on or before ``as_of``: a band is never silently replaced."""
        band = self.band(as_of, tier, provider_class)
        if band is not None:
            return band
        when = (as_of or clock.today()).isoformat()
        first = self.first_observation_date(tier)
        which = f"tier {','.join(parse_tiers(tier))}" + (
            f", provider class {provider_class}" if provider_class else "") + (
            f"; band derived from {self.derived.profile}" if self.derived else "")
        if first is None:
            raise InputError(f"{self.name} has no rental price observations for a market band "
                             f"({which})", key="price",
                             hint="Pass a price, e.g. --price '2 USD/h', or another tier.")
        raise InputError(f"{self.name} has no rental price observation on or before {when}; "
                         f"the earliest is dated {first.isoformat()} ({which})", key="as_of",
                         hint="Pass a later --as-of (assumptions.as_of in a scenario), or a "
                              "price.")


def normal_name(name: str) -> str:
    """Case-, space-, hyphen- and underscore-insensitive form of a GPU name."""
    return re.sub(r"[\s_\-]+", "", name.lower())


class ProfileSet:
    """All loaded profiles, looked up by id, alias or display name."""

    def __init__(self, profiles: dict[str, HardwareProfile], index: dict[str, str],
                 replaced: dict | None = None):
        self._profiles = profiles
        self._index = index
        rented = {pid: p.rental for pid, p in profiles.items()
                  if p.derived is None and p.band_override is None and p.rental}
        for pid, profile in profiles.items():      # what fallback bands measure ratios on
            object.__setattr__(profile, "market",
                               {gpu: obs for gpu, obs in rented.items() if gpu != pid})
        self.replaced = dict(replaced or {})   # id -> file of a user's profile replacing it

    def __iter__(self):
        return iter(sorted(self._profiles.values(), key=lambda p: (p.vendor, p.id)))

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, name: str) -> bool:
        return normal_name(name) in self._index

    def ids(self) -> list[str]:
        return sorted(self._profiles)

    def get(self, name: str) -> HardwareProfile:
        """Look a GPU up by id, alias or name; UnknownNameError with suggestions if absent."""
        if not isinstance(name, str):
            raise InputError(f"GPU name must be text, got {name!r}")
        normal = normal_name(name)
        found = self._index.get(normal) or gpu_names.resolve(
            normal, self._index, lambda pid: self._profiles[pid].spec("memory_gb"))
        if found is None:
            labels = {p.id: p.aliases[0] if p.aliases else p.id for p in self}
            close = gpu_names.suggestions(normal, self._index, labels)
            error = unknown_name("GPU", name, labels.values())
            if close:      # look-alike characters and similar names (data/gpu_names.py)
                error.message = f"unknown GPU {name!r}; did you mean {' or '.join(close)}?"
            raise error
        return self._profiles[found]
