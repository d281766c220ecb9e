"""The hardware-profile value types: Spec, HardwareProfile and ProfileSet.

A module of their own so that both profiles.py (which parses the YAML files into them) and
profile_cache.py (which rebuilds them from the cache) import them without a cycle.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from estimator.bands import BAND_KINDS, Band, derive_band
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

    def band(self, as_of: dt.date | None = None) -> Band | None:
        """The price band at ``as_of`` (default today): the override, or the band rule."""
        if self.band_override is not None:
            return self.band_override
        return derive_band(self.rental, as_of or dt.date.today())

    @property
    def first_band_date(self) -> dt.date | None:
        """Date of the earliest rental observation that can feed a band (None if none)."""
        dates = [o.date for o in self.rental if o.kind in BAND_KINDS]
        return min(dates) if dates else None

    def market_band(self, as_of: dt.date | None = None) -> Band:
        """:meth:`band`, or InputError naming the GPU and its earliest band observation when
        none is dated on or before ``as_of``: a band is never silently replaced."""
        band = self.band(as_of)
        if band is not None:
            return band
        when = (as_of or dt.date.today()).isoformat()
        first = self.first_band_date
        if first is None:
            raise InputError(f"{self.name} has no rental price observations for a market band",
                             key="price", hint="Pass a price, e.g. --price '2 USD/h'.")
        raise InputError(f"{self.name} has no rental price observation on or before {when}; "
                         f"the earliest is dated {first.isoformat()}", key="as_of",
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
        found = self._index.get(normal_name(name))
        if found is None:
            choices = [p.aliases[0] if p.aliases else p.id for p in self]
            raise unknown_name("GPU", name, choices)
        return self._profiles[found]
