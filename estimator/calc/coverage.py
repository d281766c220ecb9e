"""Price coverage: how many rental observations each GPU has per quarter, tier and provider
class, with the gaps marked (`estimator prices coverage`, `estimator plot coverage`, and the
thin / stale checks of `estimator lint`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from estimator import clock
from estimator.bands import parse_tiers, provider_key
from estimator.data.profiles import load_profiles
from estimator.inputs.axes import as_list
from estimator.inputs.request import to_date

FULL_OBSERVATIONS = 3
FULL_PROVIDERS = 2
"""A quarter is ``covered`` with at least 3 observations from at least 2 providers in a tier
and class (issue 23's data target); fewer is ``thin``; none after the first is a ``gap``."""

COVERAGE_COLUMNS = ["gpu", "tier", "provider_class", "quarter", "observations", "providers",
                    "status"]


def quarter(day: dt.date) -> str:
    """"2025Q1" for a date in January-March 2025."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarters(first: dt.date, last: dt.date) -> list[str]:
    """Every quarter from ``first``'s to ``last``'s, in order."""
    out, year, q = [], first.year, (first.month - 1) // 3
    while (year, q) <= (last.year, (last.month - 1) // 3):
        out.append(f"{year}Q{q + 1}")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    return out


def price_coverage(gpu=None, *, tier="all", as_of=None, profiles=None) -> pd.DataFrame:
    """Observations per GPU x tier x provider class x quarter, from the quarter of the first
    observation of that tier and class to the quarter of ``as_of``.

    Parameters
    ----------
    gpu : str or list, optional
        GPU ids or aliases (default: every profile with rental observations of its own).
    tier : str or list, default "all"
        Tier(s) (``all`` = every tier but spot; name spot to include it).
    as_of : date or "YYYY-MM-DD", optional
        Last quarter shown, and observations dated on or before it (default today).
    profiles : path or list of paths, optional
        Extra profile or observation folders.

    Returns
    -------
    pandas.DataFrame
        gpu, tier, provider_class, quarter ("2025Q1"), observations, providers (distinct),
        status: ``covered`` (>= 3 observations from >= 2 providers), ``thin`` (fewer) or
        ``gap`` (none). Assumed prices are left out; derived profiles have no rows (their
        band is another profile's).
    """
    table = load_profiles(profiles)
    chosen = [table.get(name) for name in as_list(gpu)] if gpu else list(table)
    tiers = parse_tiers(tier)
    on = to_date(as_of, "as_of") or clock.today()
    rows = []
    for profile in chosen:
        cells: dict = {}
        for o in profile.rental:
            if o.assumption or o.tier not in tiers or o.date > on:
                continue
            cells.setdefault((o.tier, o.provider_class), []).append(o)
        for (t, cls), found in sorted(cells.items(), key=lambda kv: (tiers.index(kv[0][0]),
                                                                    kv[0][1])):
            by_quarter: dict = {}
            for o in found:
                by_quarter.setdefault(quarter(o.date), []).append(o)
            for q in quarters(min(o.date for o in found), on):
                part = by_quarter.get(q, [])
                n, k = len(part), len({provider_key(o.provider) for o in part})
                status = ("covered" if n >= FULL_OBSERVATIONS and k >= FULL_PROVIDERS
                          else "thin" if n else "gap")
                rows.append({"gpu": profile.id, "tier": t, "provider_class": cls, "quarter": q,
                             "observations": n, "providers": k, "status": status})
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def coverage_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """The coverage frame as a grid: one row per GPU x tier x class, one column per quarter,
    cells "observations/providers" and "-" for a gap (blank before the first observation)."""
    if frame.empty:
        return pd.DataFrame(columns=["gpu", "tier", "provider_class"])
    cell = frame.assign(cell=[f"{n}/{k}" if n else "-" for n, k in
                              zip(frame["observations"], frame["providers"])])
    grid = cell.pivot_table(index=["gpu", "tier", "provider_class"], columns="quarter",
                            values="cell", aggfunc="first", sort=False)
    grid = grid.reindex(columns=sorted(grid.columns)).fillna("")
    return grid.reset_index().rename_axis(columns=None)
