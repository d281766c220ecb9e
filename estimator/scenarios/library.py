"""The scenario library as one table: one row per training run (`estimator library`)."""

from __future__ import annotations

import math

import pandas as pd

from estimator.inputs.paths import path_list
from estimator.scenarios import builtin_scenario_dir, find_scenario_files, load_scenario
from estimator.scenarios.verdicts import finite_or_none

LIBRARY_TABLE = ["date", "scenario", "hardware", "gpu_hours", "disclosed_cost_usd",
                 "cost_usd_low", "cost_usd_typical", "cost_usd_high", "implied_mfu", "mfu_basis",
                 "energy_kwh", "disclosed_energy_kwh", "verdicts"]
"""Columns of the table view. disclosed_cost_usd is the run's own cost figure (an Epoch AI
estimate where the run disclosed none); implied_mfu comes from a FLOP, GPU-hour or duration
claim, on the peak named by mfu_basis (BF16 or FP8); energy_kwh is computed (typical),
disclosed_energy_kwh the source's figure."""


def library_paths() -> list:
    """The public-run library folder, or every built-in scenario if it is absent."""
    public = builtin_scenario_dir() / "public"
    return [public] if public.is_dir() else [builtin_scenario_dir()]


def library(paths=None, profiles=None) -> pd.DataFrame:
    """One row per scenario: date, hardware, GPU-hours, disclosed cost, cost at the rental band
    of the run's own date (low / typical / high), implied MFU, energy and each claim's verdict.

    Parameters
    ----------
    paths : path, id or list, optional
        Scenario files, folders or built-in ids (default: the built-in library).
    profiles : path or list of paths, optional
        Extra folders of hardware profiles.

    Returns
    -------
    pandas.DataFrame
        date, scenario, title, hardware, gpu_hours [GPU·h], disclosed_cost_usd,
        cost_usd_{low,typical,high} [USD], implied_mfu [fraction], mfu_basis, energy_kwh,
        disclosed_energy_kwh [kWh], cost_claims, verdicts, ok, tags.
    """
    rows = []
    for path in find_scenario_files(path_list(paths) or library_paths()):
        scenario = load_scenario(path)
        result = scenario.run(profiles)
        rows.append(_row(result))
    frame = pd.DataFrame(rows)
    return frame.sort_values(["date", "scenario"], na_position="last").reset_index(drop=True)


def _row(result) -> dict:
    s, totals = result.scenario, result.totals
    cost_claims = sorted((c for c in result.claims if c.claim.quantity == "cost"),
                         key=lambda c: (c.claim.source or "") == "Epoch AI")
    disclosed = None
    if cost_claims:          # the run's own disclosure first, an Epoch AI estimate otherwise
        c = cost_claims[0]
        disclosed = c.claim.value / (c.fx.per_usd if c.fx else 1.0)
    mfu = next((c.implied["mfu"] for c in result.claims
                if c.claim.quantity in ("flop", "gpu_hours", "hours") and "mfu" in c.implied
                and math.isfinite(c.implied["mfu"])), None)
    energy_claim = next((c for c in result.claims if c.claim.quantity == "energy"), None)
    gpus = sorted({st.gpu_id for st in result.stages})
    return {
        "date": s.date.isoformat() if s.date else None, "scenario": s.id, "title": s.title,
        "hardware": ", ".join(gpus), "gpu_hours": finite_or_none(totals["gpu_hours"].typical),
        "disclosed_cost_usd": disclosed,
        "cost_usd_low": finite_or_none(totals["cost"].low),
        "cost_usd_typical": finite_or_none(totals["cost"].typical),
        "cost_usd_high": finite_or_none(totals["cost"].high), "implied_mfu": mfu,
        "mfu_basis": result.stages[0].precision.upper() if mfu is not None else None,
        "energy_kwh": finite_or_none(totals["energy"].typical),
        "disclosed_energy_kwh": energy_claim.claim.value if energy_claim else None,
        "cost_claims": len(cost_claims),
        "verdicts": "; ".join(f"{c.claim.quantity}: {c.verdict}" for c in result.claims),
        "ok": result.ok, "tags": list(s.tags),
    }


