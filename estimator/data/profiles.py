"""Hardware profiles: sourced YAML files -> validated, frozen HardwareProfile objects.

Built-in profiles ship inside the package (``estimator/_builtin/hardware_profiles`` in a
wheel, ``hardware_profiles/`` in a source checkout). Users add folders with
``--profiles DIR`` or the ``ESTIMATOR_PROFILES`` environment variable (paths joined
with the OS path separator); a user profile with an existing id replaces the built-in one.
The file format is documented in docs/profile-format.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

from estimator.bands import (
    RENTAL_KINDS,
    Band,
    PurchaseObservation,
    RentalObservation,
)
from estimator.data.cache import cached
from estimator.data.files import builtin_data_dir, list_data_files, read_data_file
from estimator.data.fx import to_usd
from estimator.data.profile_cache import from_plain, shaping_bytes, to_plain
from estimator.data.profile_types import (  # noqa: F401 - re-exported
    PRECISIONS,
    HardwareProfile,
    ProfileSet,
    Spec,
    normal_name,
)
from estimator.data.schema import Ctx, Date, Field, ListOf, MapOf, Num, Str, Struct, sourced
from estimator.data.yamlio import loads_bytes
from estimator.errors import DataFileError, EstimatorError

ENV_VAR = "ESTIMATOR_PROFILES"

SPEC_KEYS = {
    **{key: "dense peak [TFLOPS]" for key in PRECISIONS.values()},
    "int8_dense_tops": "dense peak [TOPS]",
    "memory_gb": "memory [GB]",
    "memory_bandwidth_tb_per_s": "memory bandwidth [TB/s]",
    "nvlink_gb_per_s": "scale-up interconnect bandwidth per GPU [GB/s]",
    "tdp_w": "thermal design power [W]",
}

_SOURCE_FIELDS = {
    "source": Field(Str(description="URL, citation, or ref:<name> from references"),
                    required=True),
    "as_of": Field(Date(), required=True),
    "confidence": Field(Str(choices=("primary", "faithful-copy", "secondary", "unverified",
                                     "estimate")), default="primary"),
    "note": Field(Str()),
}

RENTAL_SCHEMA = Struct({
    "provider": Field(Str(), required=True),
    "kind": Field(Str(choices=RENTAL_KINDS), required=True),
    "price_per_gpu_hour": Field(Num(description="price per GPU-hour (chip-hour) in currency")),
    "price_per_instance_hour": Field(Num(description="price per instance-hour in currency")),
    "gpus_per_instance": Field(Num(integer=True, description="GPUs in the priced instance")),
    "currency": Field(Str(pattern=r"[A-Z]{3}"), default="USD"),
    "date": Field(Date(description="when the price was listed or observed"), required=True),
    "outlier": Field(Str(description="why a price far above the others is right (lint)")),
    **_SOURCE_FIELDS,
}, one_of=(("price_per_gpu_hour", "price_per_instance_hour"),))

PURCHASE_SCHEMA = Struct({
    "seller": Field(Str(), required=True),
    "what": Field(Str(choices=("card", "hgx-board", "dgx", "server", "kit", "estimate")),
                  default="card"),
    "price_per_gpu": Field(Num(), required=True),
    "currency": Field(Str(pattern=r"[A-Z]{3}"), default="USD"),
    "date": Field(Date(), required=True),
    **_SOURCE_FIELDS,
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
                                      "url": Field(Str()), "note": Field(Str())})), default={}),
    "launch_date": Field(sourced(Date()), required=True),
    "specs": Field(Struct({k: Field(sourced(Num(nullable=True), d))
                           for k, d in SPEC_KEYS.items()}), required=True),
    "rental_prices": Field(ListOf(RENTAL_SCHEMA), default=[]),
    "purchase_prices": Field(ListOf(PURCHASE_SCHEMA), default=[]),
    "price_band": Field(Struct({
        "low": Field(Num(), required=True), "typical": Field(Num(), required=True),
        "high": Field(Num(), required=True),
        "currency": Field(Str(choices=("USD",)), default="USD"), **_SOURCE_FIELDS})),
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
        rental=tuple(_rental(r, i, p, file) for i, r in enumerate(p["rental_prices"])),
        purchase=tuple(_purchase(r, i, p, file) for i, r in enumerate(p["purchase_prices"])),
        band_override=override, references=dict(p["references"]), notes=p["notes"], file=file,
    )


def _check_refs(p, file: str) -> None:
    for key in ("rental_prices", "purchase_prices"):
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


def _to_usd(amount: float, currency: str, on: dt.date, file: str, key: str, line: int) -> float:
    try:
        return float(to_usd(amount, currency, on)[0])
    except EstimatorError as exc:
        raise DataFileError(exc.message, file=file, line=line, key=key, hint=exc.hint) from None


def _rental(r, i: int, p, file: str) -> RentalObservation:
    key = f"rental_prices[{i}]"
    per_gpu = r["price_per_gpu_hour"]
    if per_gpu is None:
        if not r["gpus_per_instance"]:
            raise DataFileError("price_per_instance_hour needs gpus_per_instance", file=file,
                                line=r.line, key=key)
        per_gpu = r["price_per_instance_hour"] / r["gpus_per_instance"]
    usd = _to_usd(per_gpu, r["currency"], r["date"], file, f"{key}.currency", r.line)
    return RentalObservation(
        provider=r["provider"], kind=r["kind"], price_per_gpu_hour=per_gpu,
        currency=r["currency"], date=r["date"], source=p_source(p, r["source"]),
        as_of=r["as_of"], confidence=r["confidence"], price_usd_per_gpu_hour=usd,
        gpus_per_instance=int(r["gpus_per_instance"]) if r["gpus_per_instance"] else None,
        note=r["note"])


def _purchase(r, i: int, p, file: str) -> PurchaseObservation:
    usd = _to_usd(r["price_per_gpu"], r["currency"], r["date"], file,
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
    """Built-in folder, then ESTIMATOR_PROFILES folders, then ``extra`` ones (later wins)."""
    dirs = [builtin_dir()]
    env = os.environ.get(ENV_VAR, "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d]
    if extra:
        dirs += [Path(d) for d in ([extra] if isinstance(extra, (str, Path)) else extra)]
    return dirs


def load_profiles(extra_dirs=None) -> ProfileSet:
    """Load built-in and user profiles (see module docstring); cached per folder list."""
    return _load(tuple(str(d) for d in profile_dirs(extra_dirs)))


@functools.lru_cache(maxsize=8)
def _load(dirs: tuple) -> ProfileSet:
    for folder in dirs:
        if not Path(folder).is_dir():
            raise DataFileError("profile folder does not exist", file=folder,
                                hint=f"Check --profiles or ${ENV_VAR}.")
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
    for level, folder_files in enumerate(files):
        for file, raw in folder_files:
            doc = loads_bytes(raw, file=file)
            profile = parse_profile(doc, file)
            if profile.id in profiles:
                replaced[profile.id] = file
            try:
                _register(profile, level, profiles, owner, file)
            except DataFileError as exc:
                raise exc.located(line=doc.line_of(exc.key or "id"))
    index = {alias: pid for alias, (pid, _) in owner.items() if pid in profiles}
    return ProfileSet(profiles, index, replaced)


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
