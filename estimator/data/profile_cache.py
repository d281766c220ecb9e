"""The profile set as plain cached data (see estimator/cache.py): what is stored, what it
is rebuilt into, and which bytes besides the profile files shape it."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from estimator.bands import PriceBand, PurchaseObservation, RentalObservation
from estimator.data import plaindata
from estimator.data.observations import DerivedFrom
from estimator.data.profile_types import HardwareProfile, ProfileSet, Spec

CLASSES = {c.__name__: c for c in (HardwareProfile, Spec, RentalObservation, PurchaseObservation,
                                   PriceBand, DerivedFrom)}
"""The only classes a cache entry can build."""


def shaping_bytes() -> list[bytes]:
    """The FX data version and the code that turn profile files into the cached objects."""
    root = Path(__file__).parents[1]
    code = ["data/profiles.py", "data/profile_types.py", "data/observations.py",
            "data/observation_files.py", "bands.py",
            "data/schema.py", "data/yamlio.py", "data/fx.py", "data/plaindata.py",
            "data/profile_cache.py"]
    out = [f"currencyconverter {version('currencyconverter')}".encode()]
    for path in [root / name for name in code]:
        try:
            out.append(path.read_bytes())
        except OSError:
            out.append(str(path).encode())
    return out


def to_plain(profiles: ProfileSet):
    return plaindata.to_plain((profiles._profiles, profiles._index, profiles.replaced), CLASSES)


def from_plain(data) -> ProfileSet:
    """A ProfileSet from cached data; TypeError unless it holds exactly that."""
    value = plaindata.from_plain(data, CLASSES)
    if not (isinstance(value, tuple) and len(value) == 3
            and all(isinstance(part, dict) for part in value)):
        raise TypeError("not a cached ProfileSet")
    by_id, index, replaced = value
    if not (all(isinstance(k, str) and isinstance(p, HardwareProfile) and p.id == k
                for k, p in by_id.items())
            and all(isinstance(k, str) and v in by_id for k, v in index.items())
            and all(isinstance(k, str) and isinstance(v, str) for k, v in replaced.items())):
        raise TypeError("not a cached ProfileSet")
    return ProfileSet(by_id, index, replaced)
