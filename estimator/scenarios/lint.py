"""`estimator lint`: check the data files themselves, beyond what loading them checks.

* every number has ``source`` and ``as_of`` (it sits in a mapping that carries both);
* dates are valid and not in the future;
* rental observations are plausible: one more than 3x the median of its profile's band
  observations is flagged (a per-instance price entered as per-GPU?) unless the observation
  says why with ``outlier: <reason>``;
* no thin bands: a profile's default (on-demand) band, today and at the date of every linted
  scenario that names the GPU, rests on at least 3 observations from at least 2 providers,
  unless the profile says why with ``thin_band: <reason>`` (derived bands are not checked:
  their base profile is);
* observation files (a top-level ``observations:`` list, written by `estimator prices
  import`) validate, every number in an observation has ``source`` and ``as_of``, each ``gpu``
  names a known profile, and each price is plausible against that profile's observations
  (the same 3x rule, ``outlier: <reason>`` to keep one);
* aliases do not collide across profiles;
* scenarios load, name known GPUs, and have an exchange rate for every money claim;
* FX rates are positive and within 3x of the same currency's median.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from estimator import clock
from estimator.bands import band_evidence, providers
from estimator.data.files import NotRegularFileError, list_data_files
from estimator.data.fx import FX_SCHEMA
from estimator.data.grid_regions import GRID_SCHEMA
from estimator.data.observation_files import is_observation_file, parse_observation_file
from estimator.data.profiles import builtin_dir, load_profiles, normal_name, parse_profile
from estimator.data.schema import Ctx
from estimator.data.yamlio import load_file
from estimator.errors import EstimatorError
from estimator.inputs.paths import path_list
from estimator.scenarios import builtin_scenario_dir, find_placeholders, parse_scenario

OUTLIER_FACTOR = 3.0


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    key: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}:" + (f"{self.line}:" if self.line else "")
        return f"{where} " + (f"{self.key}: " if self.key else "") + self.problem


def default_paths() -> list[Path]:
    data = Path(str(resources.files("estimator") / "data"))
    return [builtin_dir(), builtin_scenario_dir(), data / "grid_intensity.yaml"]


def lint(paths=None, today: dt.date | None = None) -> pd.DataFrame:
    """All findings for the data files under ``paths`` (what `estimator lint` prints).

    Parameters
    ----------
    paths : path or list of paths, optional
        Files or folders of profiles, scenarios, FX and grid tables (default: the built-in
        data).
    today : datetime.date, optional
        The day stale observations are judged against (default today).

    Returns
    -------
    pandas.DataFrame
        One row per finding: file, line, key, problem (empty when the files are clean).
    """
    today = today or clock.today()
    files = []
    for p in (Path(x) for x in (path_list(paths) or default_paths())):
        files += list_data_files(p, recursive=True) if p.is_dir() else [p]
    findings: list[Finding] = []
    profiles = []
    observations = []
    for f in files:
        findings += _lint_file(f, today, profiles, observations)
    findings += _observation_findings(observations, profiles)
    findings += _alias_collisions(profiles)
    findings += _thin_bands(profiles, _scenario_dates(files), today)
    return pd.DataFrame([f.__dict__ for f in findings], columns=["file", "line", "key",
                                                                 "problem"])


def _kind(doc) -> str:
    if is_observation_file(doc):
        return "observations"
    if isinstance(doc, dict) and "specs" in doc:
        return "profile"
    if isinstance(doc, dict) and "rates" in doc:
        return "fx"
    if isinstance(doc, dict) and "regions" in doc:
        return "grid"
    return "scenario"


def _lint_file(path: Path, today: dt.date, profiles: list,
               observations: list) -> list[Finding]:
    name = str(path)
    try:
        doc = load_file(path)
    except NotRegularFileError:
        raise                       # a FIFO or device is a wrong argument, not a finding
    except EstimatorError as exc:
        return [Finding(name, exc.line, exc.key, exc.message)]
    out = _future_dates(doc, name, today)
    kind = _kind(doc)
    out += _unsourced_numbers(doc, name) if kind in ("profile", "fx", "grid") else []
    try:
        if kind == "observations":
            out += _unsourced_numbers(doc["observations"], name, "observations")
            observations.append((name, doc, parse_observation_file(doc, name)))
        elif kind == "profile":
            profile = parse_profile(doc, name)
            profiles.append((profile, doc))
            out += _implausible_prices(profile, doc, name)
        elif kind == "fx":
            out += _fx_findings(doc, name)
        elif kind == "grid":
            GRID_SCHEMA.validate(doc, Ctx(name))
        else:
            out += [Finding(name, line, key, f"placeholder {text!r} is not filled in")
                    for line, key, text in find_placeholders(doc)]
            parse_scenario(doc, name).run()
    except EstimatorError as exc:
        out.append(Finding(exc.file or name, exc.line, exc.key, exc.message))
    return out


DATE_KEYS = ("date", "as_of", "launch_date")
_ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _future_dates(node, file: str, today: dt.date, path: str = "") -> list[Finding]:
    """Dates in the future (or malformed) under any date-like key."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            if key in DATE_KEYS and isinstance(value, str):
                out += _check_date(value, file, node.line_of(key), here, today)
            elif key == "value" and path.endswith("launch_date") and isinstance(value, str):
                out += _check_date(value, file, node.line_of(key), here, today)
            else:
                out += _future_dates(value, file, today, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _future_dates(value, file, today, f"{path}[{i}]")
    return out


def _check_date(text: str, file: str, line, key: str, today: dt.date) -> list[Finding]:
    if not _ISO.match(text.strip()):
        return [Finding(file, line, key, f"{text!r} is not a date YYYY-MM-DD")]
    try:
        value = dt.date.fromisoformat(text.strip() + ("-01" if len(text.strip()) == 7 else ""))
    except ValueError:
        return [Finding(file, line, key, f"{text!r} is not a valid date")]
    if value > today:
        return [Finding(file, line, key, f"{text} is in the future (today is {today})")]
    return []


def _unsourced_numbers(node, file: str, path: str = "") -> list[Finding]:
    """Numbers not inside a mapping that has both source and as_of (or a dated table row)."""
    out = []
    if isinstance(node, dict):
        sourced = "source" in node and "as_of" in node
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if not sourced and not path.endswith("per_usd"):
                    out.append(Finding(file, node.line_of(key), here,
                                       "number without source and as_of"))
            else:
                out += _unsourced_numbers(value, file, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _unsourced_numbers(value, file, f"{path}[{i}]")
    return out


def _implausible_prices(profile, doc, file: str) -> list[Finding]:
    usable = [o.price_usd_per_gpu_hour for o in profile.rental
              if o.tier != "spot" and not o.assumption]
    if not usable:
        return []
    median = float(np.median(usable))
    out = []
    raw = doc.get("rental_prices") or []
    for i, (o, r) in enumerate(zip(profile.rental, raw)):
        if o.price_usd_per_gpu_hour > OUTLIER_FACTOR * median and not r.get("outlier"):
            out.append(Finding(file, raw.line_of(i), f"rental_prices[{i}]",
                               f"${o.price_usd_per_gpu_hour:.2f} per GPU-hour is "
                               f"{o.price_usd_per_gpu_hour / median:.1f}x the median "
                               f"${median:.2f} of this profile's observations: a per-instance "
                               "price entered per GPU? If it is right, say why with "
                               "'outlier: <reason>'"))
    return out


def _observation_findings(observations, profiles) -> list[Finding]:
    """Unknown GPUs and implausible prices in observation files ([(file, doc, parsed)]);
    GPUs resolve among the linted profiles, then the built-in and user ones."""
    linted = {normal_name(n): p for p, _ in profiles
              for n in (p.id, p.name, *p.aliases)}
    known = load_profiles()
    out = []
    for file, doc, parsed in observations:
        raw = doc["observations"]
        for i, (gpu, line, obs) in enumerate(parsed):
            profile = linted.get(normal_name(gpu))
            try:
                profile = profile or known.get(gpu)
            except EstimatorError as exc:
                out.append(Finding(file, line, f"observations[{i}].gpu", exc.message))
                continue
            out += _implausible_observation(profile, obs, raw[i], file, line,
                                            f"observations[{i}]")
    return out


def _implausible_observation(profile, obs, raw, file, line, key) -> list[Finding]:
    """An imported price more than OUTLIER_FACTOR x the median of the profile's own
    (non-spot, non-assumed) observations, unless it says why with ``outlier``."""
    usable = [o.price_usd_per_gpu_hour for o in profile.rental
              if o.tier != "spot" and not o.assumption]
    if not usable or raw.get("outlier"):
        return []
    median = float(np.median(usable))
    price = obs.price_usd_per_gpu_hour
    if price <= OUTLIER_FACTOR * median:
        return []
    return [Finding(file, line, key, f"${price:.2f} per GPU-hour is {price / median:.1f}x the "
                    f"median ${median:.2f} of {profile.id}'s observations: a per-instance "
                    "price imported per GPU? If it is right, say why with 'outlier: <reason>'")]


def _alias_collisions(profiles) -> list[Finding]:
    seen: dict = {}
    out = []
    for profile, doc in profiles:
        for alias in (profile.id, profile.name, *profile.aliases):
            key = normal_name(alias)
            other = seen.get(key)
            if other and other[0] != profile.id:
                out.append(Finding(profile.file, doc.line_of("aliases"), "aliases",
                                   f"alias {alias!r} is also used by {other[0]} ({other[1]})"))
            seen.setdefault(key, (profile.id, profile.file))
    return out


def _fx_findings(doc, file: str) -> list[Finding]:
    data = FX_SCHEMA.validate(doc, Ctx(file))
    by_currency: dict = {}
    for i, row in enumerate(data["rates"]):
        for code, rate in row["per_usd"].items():
            by_currency.setdefault(code, []).append((rate, i, row))
    out = []
    for code, rows in by_currency.items():
        median = float(np.median([r for r, _, _ in rows]))
        for rate, i, row in rows:
            if not (math.isfinite(rate) and median / OUTLIER_FACTOR <= rate
                    <= median * OUTLIER_FACTOR):
                out.append(Finding(file, row.line_of("per_usd"), f"rates[{i}].per_usd.{code}",
                                   f"{rate} {code}/USD is far from the median {median:g}"))
    return out


MIN_OBSERVATIONS = 3
MIN_PROVIDERS = 2


def _thin_bands(profiles, scenario_dates: dict, today: dt.date) -> list[Finding]:
    """Default bands (on-demand, every class) with fewer than MIN_OBSERVATIONS observations or
    MIN_PROVIDERS providers, or stale (newest price older than estimator.bands.STALE_DAYS),
    today and at each scenario date naming the GPU (``scenario_dates``: normal name -> dates)."""
    out = []
    for profile, doc in profiles:
        if profile.derived is not None or profile.band_override is not None \
                or doc.get("thin_band"):
            continue
        names = {normal_name(n) for n in (profile.id, profile.name, *profile.aliases)}
        dates = sorted({today, *(d for n in names for d in scenario_dates.get(n, ()))})
        thin, stale = [], []
        for on in dates:
            band = profile.band(on)
            if band is not None and (len(band.used) < MIN_OBSERVATIONS
                                     or len(providers(band.used)) < MIN_PROVIDERS):
                thin.append(f"{on} ({len(band.used)} from {len(providers(band.used))})")
            if band is not None and band.stale and on != today:
                stale.append(f"{on} ({band_evidence(band)})")
        if thin:
            out.append(Finding(profile.file, doc.line_of("rental_prices"), "rental_prices",
                               "thin on-demand band: fewer than 3 observations or one "
                               "provider on " + ", ".join(thin) + "; add observations, a "
                               "derived_from, or say why with 'thin_band: <reason>'"))
        if stale:
            out.append(Finding(profile.file, doc.line_of("rental_prices"), "rental_prices",
                               "stale on-demand band at a scenario's date: " + ", ".join(stale)
                               + "; add an observation from the year before, or say why with "
                                 "'thin_band: <reason>'"))
    return out


def _scenario_dates(files) -> dict:
    """Normal GPU name -> the ``date`` of every scenario file (among ``files``) naming it."""
    out: dict = {}
    for path in files:
        try:
            doc = load_file(path)
        except EstimatorError:
            continue
        if _kind(doc) != "scenario" or not isinstance(doc, dict):
            continue
        try:
            on = dt.date.fromisoformat(str(doc.get("date")) + ("-01" if len(str(doc.get(
                "date"))) == 7 else ""))
        except ValueError:
            continue
        for gpu in _gpu_names(doc):
            out.setdefault(normal_name(gpu), set()).add(on)
    return out


def _gpu_names(node) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "gpu" and isinstance(v, str)] + [
            n for k, v in node.items() if k != "gpu" for n in _gpu_names(v)]
    if isinstance(node, list):
        return [n for v in node for n in _gpu_names(v)]
    return []
