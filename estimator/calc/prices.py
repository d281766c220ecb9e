"""The API behind `estimator prices`: import price files, the quote template, and a GPU's
observations with the band per tier.

Importing reads catalogs with estimator/data/importers/ (SkyPilot, Epoch AI, quote sheets) and
writes observation files that `--prices DIR` (API: ``profiles=[..., DIR]``) layers onto the
built-in price history.
"""

from __future__ import annotations

import pandas as pd

from estimator import clock
from estimator.bands import parse_tiers
from estimator.data.files import builtin_data_dir
from estimator.data.importers.common import parse_mappings
from estimator.data.importers.epoch import epoch_observations
from estimator.data.importers.quotes import TEMPLATE, read_quotes
from estimator.data.importers.skypilot import read_skypilot
from estimator.data.importers.writer import write_folder
from estimator.data.profiles import load_profiles
from estimator.errors import InputError
from estimator.inputs.paths import path_list
from estimator.inputs.request import to_date

FORMATS = ("skypilot", "epoch", "csv")
"""Price-file formats `import_prices` reads: SkyPilot's vms.csv, Epoch AI's Hardware
prices.csv, and the quote sheet of `price_template()`."""

OBSERVATION_COLUMNS = ["date", "provider", "provider_class", "tier", "usd_per_gpu_hour",
                       "source", "origin"]


def import_prices(files, format: str, out, *, as_of=None, provider=None, mappings=(),
                  skip_unknown: bool = False, force: bool = False, profiles=None,
                  encoding: str | None = None) -> list:
    """Read price files and write one observation file per input into the folder ``out``.

    Parameters
    ----------
    files : path or list of paths
        Catalogs or quote sheets.
    format : {"skypilot", "epoch", "csv"}
        The files' format (FORMATS).
    out : path
        Folder for the observation files (written whole or not at all).
    as_of : date or "YYYY-MM-DD", optional
        The day a SkyPilot catalog was fetched (required for it: the file carries no date).
    provider : str, optional
        Provider name (default: from the file name).
    mappings : list of "NAME=GPU", optional
        Extra accelerator names mapped to profile ids.
    skip_unknown : bool
        Leave out rows with unmapped accelerator names instead of failing.
    force : bool
        Replace observation files already in ``out``.
    profiles : path or list of paths, optional
        Extra profile folders (names map onto their ids too).
    encoding : str, optional
        The files' text encoding (a Python codec name); default UTF-8 with or without a BOM.
        Other bytes are an error naming the line, never a guess.

    Returns
    -------
    list of (ImportResult, pathlib.Path)
        Per input: what was read (observations, rows left out and why, flags) and the file
        written.
    """
    if format not in FORMATS:
        raise InputError(f"unknown price-file format {format!r}", key="format",
                         hint="Use " + ", ".join(FORMATS) + ".")
    files = path_list(files)
    loaded = load_profiles(profiles)
    extra = parse_mappings(mappings, loaded)
    known = [name for p in loaded for name in (p.id, *p.aliases)]
    date = to_date(as_of, "as_of") if as_of else None
    if format == "skypilot" and date is None:
        raise InputError("a SkyPilot catalog carries no date", key="as-of",
                         hint="Pass --as-of DATE: the day the catalog was fetched.")
    today = clock.today()
    if date is not None and date > today:
        raise InputError(f"--as-of {date.isoformat()} is in the future (today is "
                         f"{today.isoformat()})", key="as-of",
                         hint="Pass the day the catalog was fetched.")
    if str(out).strip() == "":
        raise InputError("an empty path names no folder", key="out",
                         hint="Give a folder for the observation files, e.g. --out my-prices.")
    results = []
    for file in files:
        if format == "skypilot":
            results.append(read_skypilot(file, date=date, provider=provider, extra_names=extra,
                                         skip_unknown=skip_unknown, known_gpus=known,
                                         encoding=encoding))
        elif format == "epoch":
            results.append(epoch_observations(file, extra_names=extra, encoding=encoding,
                                              skip_unknown=skip_unknown, known_gpus=known))
        else:
            results.append(read_quotes(file, loaded, encoding=encoding))
    written = write_folder(results, out, force=force, inputs=files, profiles=profiles,
                           today=today, gpu_known=lambda name: _known(loaded, name))
    return list(zip(results, written))


def _known(profiles, name: str) -> bool:
    try:
        profiles.get(name)
    except LookupError:
        return False
    return True


def price_template() -> str:
    """The quote-sheet CSV (header and two example rows) that ``import_prices(format="csv")``
    reads.

    Parameters
    ----------
    None

    Returns
    -------
    str
        The CSV text.
    """
    return TEMPLATE


def price_observations(gpu: str, *, tier="all", as_of=None, profiles=None):
    """A GPU's rental observations and its band per tier at a date (`estimator prices GPU`).

    Parameters
    ----------
    gpu : str
        GPU id or alias.
    tier : str or list, default "all"
        Tier(s) to list: on_demand, commit_1y, commit_3y, spot, marketplace, or all (spot is
        not in all; name it).
    as_of : date or "YYYY-MM-DD", optional
        Observations dated on or before this day (default today); bands at this day.
    profiles : path or list of paths, optional
        Extra profile or observation folders (``--prices DIR``).

    Returns
    -------
    (pandas.DataFrame, dict)
        The observations (date, provider, provider_class, tier, usd_per_gpu_hour [USD/GPU-h],
        source, origin: built-in or the file it came from), and tier -> Band (None where the
        tier has no observation; a derived profile's band comes from its base profile).
    """
    profile = load_profiles(profiles).get(gpu)
    tiers = parse_tiers(tier)
    on = to_date(as_of, "as_of") or clock.today()
    built_in = str(profile.file or "").startswith(str(builtin_data_dir("hardware_profiles")))
    origin = "built-in" if built_in else str(profile.file)
    rows = [_row(o, origin) for o in sorted(profile.rental, key=lambda o: (o.date, o.provider))
            if o.tier in tiers and o.date <= on]
    bands = {name: profile.band(on, name) for name in tiers}   # derived bands included
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS), bands


def _row(o, origin: str) -> dict:
    return {"date": o.date.isoformat(), "provider": o.provider,
            "provider_class": o.provider_class, "tier": o.tier,
            "usd_per_gpu_hour": round(o.price_usd_per_gpu_hour, 6), "source": o.source,
            "origin": o.origin or origin}
