"""Hardware profiles: sourced YAML files -> validated, frozen HardwareProfile objects.

Built-in profiles ship inside the package (``estimator/_builtin/hardware_profiles`` in a
wheel, ``hardware_profiles/`` in a source checkout). Users add folders with
``--profiles DIR`` or the ``ESTIMATOR_PROFILES`` environment variable (paths joined
with the OS path separator); a user profile with an existing id replaces the built-in one.
The file format is documented in docs/profile-format.md.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from pathlib import Path

from estimator.bands import (
    Band,
    PurchaseObservation,
)
from estimator.data.cache import cached
from estimator.data.files import builtin_data_dir, list_data_files, read_data_file
from estimator.data.observation_files import attach, is_observation_file, parse_observation_file
from estimator.data.observations import (
    DERIVED_SCHEMA,
    RENTAL_SCHEMA,
    SOURCE_FIELDS,
    derived_from,
    rental,
    to_usd,
)
from estimator.data.profile_cache import from_plain, shaping_bytes, to_plain
from estimator.data.profile_types import (  # noqa: F401 - re-exported: the types live there
    PRECISIONS,
    HardwareProfile,
    ProfileSet,
    Spec,
    normal_name,
)
from estimator.data.schema import (
    Ctx,
    Date,
    Field,
    ListOf,
    MapOf,
    Num,
    Str,
    Struct,
    Url,
    sourced,
)
from estimator.data.yamlio import loads_bytes
from estimator.errors import DataFileError

ENV_VAR = "ESTIMATOR_PROFILES"
PRICES_ENV_VAR = "ESTIMATOR_PRICES"     # folders of observation files (observation_files.py)

SPEC_KEYS = {
    **{key: "dense peak [TFLOPS]" for key in PRECISIONS.values()},
    "int8_dense_tops": "dense peak [TOPS]",
    "memory_gb": "memory [GB]",
    "memory_bandwidth_tb_per_s": "memory bandwidth [TB/s]",
    "nvlink_gb_per_s": "scale-up interconnect bandwidth per GPU [GB/s]",
    "tdp_w": "thermal design power [W]",
}

PURCHASE_SCHEMA = Struct({
    "seller": Field(Str(), required=True),
    "what": Field(Str(choices=("card", "hgx-board", "dgx", "server", "kit", "estimate")),
                  default="card"),
    "price_per_gpu": Field(Num(), required=True),
    "currency": Field(Str(pattern=r"[A-Z]{3}"), default="USD"),
    "date": Field(Date(), required=True),
    **SOURCE_FIELDS,
})

PROFILE_SCHEMA = Struct({
    "id": Field(Str(pattern=r"[a-z0-9][a-z0-9-]*"), required=True),
    "name": Field(Str(), required=True),
    "aliases": Field(ListOf(Str()), default=[]),
    "vendor": Field(Str(), required=True),
    "architecture": Field(Str(), required=True),
    "form_factor": Field(Str()),
    "price_unit": Field(Str(choices=("gpu-hour", "chip-hour")), default="gpu-hour"),
    "references": Field(MapOf(Struct({"title": Field(Str(), required=True),
                                      "url": Field(Url()), "note": Field(Str())})), default={}),
    "launch_date": Field(sourced(Date()), required=True),
    "specs": Field(Struct({k: Field(sourced(Num(nullable=True), d))
                           for k, d in SPEC_KEYS.items()}), required=True),
    "rental_prices": Field(ListOf(RENTAL_SCHEMA), default=[]),
    "imported_rental_prices": Field(ListOf(RENTAL_SCHEMA), default=[]),
    "catalog_rental_prices": Field(ListOf(RENTAL_SCHEMA), default=[]),
    "purchase_prices": Field(ListOf(PURCHASE_SCHEMA), default=[]),
    "price_band": Field(Struct({
        "low": Field(Num(), required=True), "typical": Field(Num(), required=True),
        "high": Field(Num(), required=True),
        "currency": Field(Str(choices=("USD",)), default="USD"), **SOURCE_FIELDS})),
    "derived_from": Field(DERIVED_SCHEMA),
    "thin_band": Field(Str(description="why the default band may rest on fewer than 3 "
                                       "observations or one provider (lint)")),
    "notes": Field(Str()),
}, title="estimator hardware profile")


def parse_profile(data, file: str) -> HardwareProfile:
    """Validate one parsed YAML document and build a HardwareProfile."""
    p = PROFILE_SCHEMA.validate(data, Ctx(file))
    _check_refs(p, file)
    stem = Path(file).stem
    if stem != p["id"] and not file.startswith("<"):
        raise DataFileError(f"id {p['id']!r} differs from the file name {stem!r}", file=file,
                            line=p.line_of("id"), key="id", hint=f"Rename the file {p['id']}.yaml.")
    specs = {k: Spec(v["value"], p_source(p, v["source"]), v["as_of"], v["confidence"], v["note"])
             for k, v in p["specs"].items() if v is not None}
    override = None
    if p["price_band"]:
        b = p["price_band"]
        if not b["low"] <= b["typical"] <= b["high"]:
            raise DataFileError("price_band must have low <= typical <= high", file=file,
                                line=b.line, key="price_band")
        override = Band(b["low"], b["typical"], b["high"], rule="override",
                             source=b["source"])
    return HardwareProfile(
        id=p["id"], name=p["name"], aliases=tuple(p["aliases"]), vendor=p["vendor"],
        architecture=p["architecture"], form_factor=p["form_factor"],
        price_unit=p["price_unit"], launch_date=p["launch_date"]["value"], specs=specs,
        rental=_rentals(p, file),
        purchase=tuple(_purchase(r, i, p, file) for i, r in enumerate(p["purchase_prices"])),
        band_override=override, references=dict(p["references"]), notes=p["notes"], file=file,
        derived=derived_from(p["derived_from"], file),
    )


def _rentals(p, file: str) -> tuple:
    """Hand-entered and imported rental observations (tools/import_history.py: Epoch AI's
    price table; tools/import_full_stack.py: dated commits of a public price catalog)."""
    return tuple(rental(r, i, p_source(p, r["source"]), file, key)
                 for key in ("rental_prices", "imported_rental_prices", "catalog_rental_prices")
                 for i, r in enumerate(p[key]))


def _check_refs(p, file: str) -> None:
    for key in ("rental_prices", "imported_rental_prices", "catalog_rental_prices",
                "purchase_prices"):
        for i, row in enumerate(p[key]):
            _check_ref(row["source"], p, file, f"{key}[{i}].source", p[key][i].line)
    specs = [(f"specs.{k}", v) for k, v in p["specs"].items()]
    for key, spec in specs + [("launch_date", p["launch_date"])]:
        if spec is not None:
            _check_ref(spec["source"], p, file, f"{key}.source", spec.line)


def _check_ref(source: str, p, file: str, key: str, line: int) -> None:
    if source.startswith("ref:") and source[4:] not in p["references"]:
        raise DataFileError(f"reference {source[4:]!r} is not defined under references",
                            file=file, line=line, key=key,
                            hint="Known: " + (", ".join(p["references"]) or "none") + ".")


def _purchase(r, i: int, p, file: str) -> PurchaseObservation:
    usd = to_usd(r["price_per_gpu"], r["currency"], r["date"], file,
                  f"purchase_prices[{i}].currency", r.line)
    return PurchaseObservation(
        seller=r["seller"], what=r["what"], price_per_gpu=r["price_per_gpu"],
        currency=r["currency"], date=r["date"], source=p_source(p, r["source"]),
        as_of=r["as_of"], confidence=r["confidence"], price_usd_per_gpu=usd, note=r["note"])


def p_source(p, source: str) -> str:
    if source.startswith("ref:"):
        ref = p["references"][source[4:]]
        return " ".join(x for x in (ref.get("title"), ref.get("url")) if x)
    return source


def builtin_dir() -> Path:
    """The folder of built-in profiles: in the wheel, or the source checkout."""
    return builtin_data_dir("hardware_profiles")


def profile_dirs(extra=None) -> list[Path]:
    """Built-in folder, then ESTIMATOR_PROFILES and ESTIMATOR_PRICES folders, then ``extra``
    ones (later wins)."""
    dirs = [builtin_dir()]
    for var in (ENV_VAR, PRICES_ENV_VAR):
        dirs += [Path(d) for d in os.environ.get(var, "").split(os.pathsep) if d]
    if extra:
        dirs += [Path(d) for d in ([extra] if isinstance(extra, (str, Path)) else extra)]
    return dirs


def load_profiles(extra_dirs=None) -> ProfileSet:
    """Load built-in and user profiles (see module docstring); cached per folder list."""
    return _load(tuple(str(d) for d in profile_dirs(extra_dirs)))


@functools.lru_cache(maxsize=8)
def _load(dirs: tuple) -> ProfileSet:

    hint = f"Check --profiles, --prices, ${ENV_VAR} and ${PRICES_ENV_VAR}."
    for folder in dirs:
        if not Path(folder).is_dir():
            raise DataFileError("profile folder does not exist", file=folder, hint=hint)
        try:                    # glob() skips a folder it cannot list: say so instead
            os.listdir(folder)
        except OSError as exc:
            raise DataFileError(f"cannot read the folder: {exc.strerror}", file=folder,
                                hint=hint) from None
    files = [[(str(f), read_data_file(f)) for f in list_data_files(d)] for d in dirs]
    parts = [os.path.abspath(d) for d in dirs] + [
        part for level in files for name, raw in level for part in (os.path.abspath(name), raw)]
    return cached("profiles", "\0".join(map(os.path.abspath, dirs)), parts + shaping_bytes(),
                  lambda: _parse_all(files), encode=to_plain, decode=from_plain)


def _parse_all(files: list) -> ProfileSet:
    """Profiles from ``files``: per folder level, a list of (file name, bytes read)."""

    profiles: dict[str, HardwareProfile] = {}
    owner: dict[str, tuple[str, int]] = {}       # normal alias -> (id, folder level)
    replaced: dict[str, str] = {}                # id -> the user's file that replaced it
    imported: list = []                          # (file, observations) of observation files
    for level, folder_files in enumerate(files):
        for file, raw in folder_files:
            doc = loads_bytes(raw, file=file)
            if is_observation_file(doc):
                imported.append((file, parse_observation_file(doc, file)))
                continue
            profile = parse_profile(doc, file)
            if profile.id in profiles:
                replaced[profile.id] = file
            try:
                _register(profile, level, profiles, owner, file)
            except DataFileError as exc:
                raise exc.located(line=doc.line_of(exc.key or "id"))
    index = {alias: pid for alias, (pid, _) in owner.items() if pid in profiles}
    profiles = attach(profiles, lambda name: index.get(normal_name(name)), imported)
    return ProfileSet(_resolve_derived(profiles, index), index, replaced)


def _resolve_derived(profiles: dict, index: dict) -> dict:
    """Give every ``derived_from`` profile the observations of the profile it names (by id
    or alias; that one must not itself be derived)."""
    out = dict(profiles)
    for pid, profile in profiles.items():
        if profile.derived is None:
            continue
        base_id = index.get(normal_name(profile.derived.profile))
        base = profiles.get(base_id)
        if base is None or base.derived is not None or base_id == pid:
            why = "is not a profile" if base is None else "is itself derived or the same"
            raise DataFileError(f"derived_from.profile {profile.derived.profile!r} {why}",
                                file=profile.file, key="derived_from.profile",
                                hint="Name a profile with its own rental observations.")
        out[pid] = replace(profile, derived_base=base.rental)
    return out


def _register(profile, level, profiles, owner, file) -> None:
    if profile.id in profiles and owner.get(normal_name(profile.id), ("", -1))[1] == level:
        raise DataFileError(f"id {profile.id!r} is defined twice in one folder", file=str(file),
                            key="id")
    for alias, (pid, lvl) in list(owner.items()):
        if pid == profile.id:
            del owner[alias]
    profiles[profile.id] = profile
    for name in (profile.id, profile.name, *profile.aliases):
        key = normal_name(name)
        prior = owner.get(key)
        if prior and prior[0] != profile.id and prior[1] == level:
            raise DataFileError(f"alias {name!r} is already used by profile {prior[0]!r}",
                                file=str(file), key="aliases",
                                hint="Aliases must be unique across profiles.")
        owner[key] = (profile.id, level)


def get_profile(name: str, profiles_dir=None) -> HardwareProfile:
    """The profile for a GPU id, alias or name (``get_profile("H800")``)."""
    return load_profiles(profiles_dir).get(name)
