"""Profiles as tables: what `estimator gpus`, `estimator gpu show` and `estimator gpu path`
give."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from estimator.calc.estimate import to_date
from estimator.data.profiles import SPEC_KEYS, HardwareProfile, load_profiles

LIST_SPECS = ("bf16_dense_tflops", "fp8_dense_tflops", "fp16_dense_tflops", "tf32_dense_tflops",
              "fp64_tflops", "int8_dense_tops", "memory_gb", "memory_bandwidth_tb_per_s",
              "nvlink_gb_per_s", "tdp_w")


def profiles_frame(profiles=None, as_of=None) -> pd.DataFrame:
    """One row per profile: key specs and the price band at ``as_of`` (what `gpus` lists).

    Parameters
    ----------
    profiles : path or list of paths, optional
        Extra folders of hardware profiles.
    as_of : date or "YYYY-MM-DD", optional
        Build price bands from observations dated on or before this day (default today).

    Returns
    -------
    pandas.DataFrame
        id, name, aliases, vendor, architecture, launch_date, price_unit, the dense peaks
        [TFLOP/s; TOPS for int8], memory_gb [GB], memory_bandwidth_tb_per_s [TB/s],
        nvlink_gb_per_s [GB/s], tdp_w [W], price_usd_per_gpu_hour_{low,typical,high}
        [USD/(GPU·h)], price_band_rule, price_observations [count].
    """
    as_of = to_date(as_of, "as_of")
    rows = [profile_row(p, as_of) for p in load_profiles(profiles)]
    return pd.DataFrame(rows)


def profile_row(p: HardwareProfile, as_of: dt.date | None = None) -> dict:
    band = p.band(as_of)
    row = {"id": p.id, "name": p.name, "aliases": list(p.aliases), "vendor": p.vendor,
           "architecture": p.architecture, "launch_date": p.launch_date.isoformat(),
           "price_unit": p.price_unit}
    row.update({key: p.spec(key) for key in LIST_SPECS})
    row["price_usd_per_gpu_hour_low"] = band.low if band else None
    row["price_usd_per_gpu_hour_typical"] = band.typical if band else None
    row["price_usd_per_gpu_hour_high"] = band.high if band else None
    row["price_band_rule"] = _band_rule(band)
    row["price_observations"] = len(p.rental)
    return row


def _band_rule(band) -> str | None:
    if band is None:
        return None
    if band.rule == "observations":
        return f"{len(band.used)} observation(s)" + (" (stale)" if band.stale else "")
    return band.rule


def profile_detail(p: HardwareProfile | str, as_of=None, profiles=None) -> dict:
    """The whole profile as plain data, with resolved sources (what `gpu show` shows).

    Parameters
    ----------
    p : HardwareProfile or str
        A profile, or a GPU id, alias or name ("H800").
    as_of : date or "YYYY-MM-DD", optional
        The day of the price band (default today).
    profiles : path or list of paths, optional
        Extra folders of hardware profiles (when ``p`` is a name).

    Returns
    -------
    dict
        id, name, aliases, vendor, architecture, form_factor, price_unit, launch_date, file,
        specs (each value [unit of its key] with source and as_of), rental_prices
        [per GPU-hour], purchase_prices [per GPU], price_band [USD/(GPU·h)] with its
        provenance, notes.
    """
    if isinstance(p, str):
        p = load_profiles(profiles).get(p)
    as_of = to_date(as_of, "as_of")
    band = p.band(as_of)
    return {
        "id": p.id, "name": p.name, "aliases": list(p.aliases), "vendor": p.vendor,
        "architecture": p.architecture, "form_factor": p.form_factor,
        "price_unit": p.price_unit, "launch_date": p.launch_date.isoformat(), "file": p.file,
        "specs": {k: _plain(asdict(v)) for k, v in p.specs.items() if k in SPEC_KEYS},
        "rental_prices": [{**_plain(asdict(o)), "kind": o.kind} for o in p.rental],
        "purchase_prices": [_plain(asdict(o)) for o in p.purchase],
        "price_band": None if band is None else {
            "low": band.low, "typical": band.typical, "high": band.high, "rule": band.rule,
            "reference_date": band.reference_date.isoformat() if band.reference_date else None,
            "stale": band.stale, "source": band.source, "tier": band.tier, "note": band.note,
            "observations_used": [f"{o.provider} {o.kind} {o.date.isoformat()}"
                                  for o in band.used]},
        "notes": p.notes,
    }


def profile_path(name: str, profiles=None) -> Path:
    """The file a profile comes from (what `gpu path` prints), to copy and edit.

    Parameters
    ----------
    name : str
        GPU id, alias or name ("H800").
    profiles : path or list of paths, optional
        Extra folders of hardware profiles (a user's profile replaces a built-in one).

    Returns
    -------
    pathlib.Path
        The profile's YAML file.
    """
    return Path(load_profiles(profiles).get(name).file)


def _plain(d: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in d.items()
            if v is not None}
