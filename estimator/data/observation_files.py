"""Observation files: imported rental prices, layered onto the built-in price history.

An observation file is a YAML file with a top-level ``observations:`` list, written by
``estimator prices import`` (or by hand). It lives in any folder given with ``--prices``
(or ``$ESTIMATOR_PRICES``, or ``--profiles``): the profile loader (data/profiles.py) reads it
beside the profiles and adds each observation to the rental observations of the profile its
``gpu`` names, so bands, ``estimator prices GPU`` and every money command include it.

Each observation has the keys of a profile's ``rental_prices`` entry (data/observations.py,
docs/profile-format.md) plus ``gpu`` (profile id or alias) and, for a catalog summarised
across regions, ``price_min_per_gpu_hour``, ``price_max_per_gpu_hour`` and ``rows_used``
(``price_per_gpu_hour`` is then the median).
"""

from __future__ import annotations

from dataclasses import replace

from estimator.bands import provider_key
from estimator.data.observations import RENTAL_SCHEMA, rental
from estimator.data.schema import Ctx, Field, ListOf, MapOf, Num, Str, Struct
from estimator.errors import DataFileError, unknown_name

OBSERVATION_SCHEMA = Struct({
    "gpu": Field(Str(description="profile id or alias the price is for"), required=True),
    **RENTAL_SCHEMA.fields,
    "price_min_per_gpu_hour": Field(Num(description="lowest of the summarised rows")),
    "price_max_per_gpu_hour": Field(Num(description="highest of the summarised rows")),
    "rows_used": Field(Num(integer=True, description="catalog rows summarised (median)")),
}, one_of=RENTAL_SCHEMA.one_of)

FILE_SCHEMA = Struct({
    "observations": Field(ListOf(OBSERVATION_SCHEMA), required=True),
    "format": Field(Str(choices=("skypilot", "epoch", "csv", "yaml")), default="yaml"),
    "imported_from": Field(ListOf(Str()), default=[]),
    "dropped": Field(MapOf(Num(integer=True)), default={}),
}, title="estimator price observations")


def is_observation_file(doc) -> bool:
    """True for a parsed YAML document with a top-level ``observations`` key."""
    return isinstance(doc, dict) and "observations" in doc


def parse_observation_file(doc, file: str) -> list:
    """Validate an observation file -> [(gpu name, line, RentalObservation with origin)]."""
    data = FILE_SCHEMA.validate(doc, Ctx(file))
    out = []
    for i, row in enumerate(data["observations"]):
        obs = rental(row, i, row["source"], file, "observations")
        out.append((row["gpu"], row.line, replace(obs, origin=file)))
    return out


def attach(profiles: dict, lookup, parsed: list) -> dict:
    """``profiles`` (id -> HardwareProfile) with the observations of ``parsed``
    ([(file, [(gpu, line, obs)])]) added; ``lookup(name)`` -> profile id or None.
    An unknown ``gpu`` is a DataFileError naming file, line and the valid ids. An observation
    equal to one already there (same provider, tier, date and USD price) is added once."""
    added: dict = {}
    keys: dict = {}
    for file, rows in parsed:
        for i, (gpu, line, obs) in enumerate(rows):
            pid = lookup(gpu)
            if pid is None:
                exc = unknown_name("GPU", gpu, profiles)
                raise DataFileError(exc.message, file=file, line=line,
                                    key=f"observations[{i}].gpu", hint=exc.hint)
            seen = keys.setdefault(pid, {_key(o) for o in profiles[pid].rental})
            if _key(obs) not in seen:                # e.g. Epoch rows already built in
                seen.add(_key(obs))
                added.setdefault(pid, []).append(obs)
    return {pid: (replace(p, rental=p.rental + tuple(added[pid])) if pid in added else p)
            for pid, p in profiles.items()}


def _key(o) -> tuple:
    return (provider_key(o.provider), o.tier, o.date, round(o.price_usd_per_gpu_hour, 6))
