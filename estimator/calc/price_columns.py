"""Which price and which dollars, for every money command (README, "Which price?").

* ``tier`` / ``provider_class``: which observations a profile's band is built from
  (estimator.bands.parse_tiers: a tier, a comma list or "all" = every tier but spot); in the
  what-if commands a comma list is an **axis** like ``--gpu H100,A100`` (:func:`kind_axes`):
  one row per tier and class, and ``all`` is every tier in which the GPU has a band;
* ``tier`` and ``price_date`` columns: the tier(s) and reference date of the band a row was
  priced with ("given" and the pricing date for a price the user gave);
* ``dollars`` / ``deflator``: ``<prefix>_real_usd_{low,typical,high}`` = the nominal columns
  restated from each row's price date into December-``dollars`` USD (calc/deflator.py), and
  ``dollar_year``; the nominal columns stay.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from estimator import clock
from estimator.bands import ALL_TIERS, RANGE_ENDS, Band, parse_provider_classes, parse_tiers
from estimator.calc.deflator import check_deflator, restate_factor
from estimator.errors import EstimatorError, InputError

GIVEN_TIER = "given"
"""The ``tier`` of a row priced with a price the user gave."""


def price_kind(tier=None, provider_class=None) -> tuple[str, str | None]:
    """The tier(s) and provider class(es) as comma lists, checked; errors keyed to the
    option (``tier`` / ``provider_class``) with the valid choices."""
    try:
        tiers = parse_tiers(tier)
    except EstimatorError as exc:
        raise exc.located(key="tier")
    try:
        classes = parse_provider_classes(provider_class)
    except EstimatorError as exc:
        raise exc.located(key="provider_class")
    return ",".join(tiers), ",".join(classes) if classes else None


def kind_axes(gpus, tier=None, provider_class=None, as_of: dt.date | None = None
              ) -> tuple[list, list, list]:
    """Tier and provider class as axes: (profiles, tiers, classes), one entry per GPU x class x
    tier, in the order of ``--gpu``, then of the class and tier lists.

    ``tier`` and ``provider_class`` are comma lists (or lists); ``all`` among the tiers is
    every tier of :data:`estimator.bands.ALL_TIERS` in which that GPU has a band at ``as_of``
    (on_demand if none has, so the missing band is reported); a class of None is every class
    (the pooled band). Errors keyed to the option, with the valid choices."""
    price_kind(tier, provider_class)            # checks both, errors keyed to the option
    names = [t.strip() for t in tier.split(",")] if isinstance(tier, str) else (
        list(tier) if tier is not None else [None])
    classes = parse_provider_classes(provider_class) or (None,)
    out_gpus, out_tiers, out_classes = [], [], []
    for profile in gpus:
        for cls in classes:
            tiers: list = []
            for name in names:
                if name == "all":
                    have = [t for t in ALL_TIERS
                            if profile.band(as_of, t, cls, fallback=False) is not None]
                    tiers += [t for t in (have or ["on_demand"]) if t not in tiers]
                else:
                    tiers += [t for t in parse_tiers(name) if t not in tiers]
            for t in tiers:
                out_gpus.append(profile)
                out_tiers.append(t)
                out_classes.append(cls)
    return out_gpus, out_tiers, out_classes


def band_tier(band: Band, tier: str, price_given: bool) -> str:
    """The tier a row was priced at: "given" for a user's price, else the band's tiers."""
    if price_given:
        return GIVEN_TIER
    return getattr(band, "tier", None) or tier


def band_date(band: Band, on: dt.date | None) -> str:
    """The band's reference date (YYYY-MM-DD); a given price or an override band is dated
    ``on`` (the pricing date), else today."""
    when = getattr(band, "reference_date", None) or on or clock.today()
    return when.isoformat()


def add_price_columns(frame: pd.DataFrame, bands_by_row, tier: str, price_given: bool,
                      on: dt.date | None) -> None:
    """Add ``tier`` and ``price_date`` (one band per row of ``frame``), and
    ``provider_class`` where a band was narrowed to a class."""
    frame["tier"] = [band_tier(b, tier, price_given) for b in bands_by_row]
    frame["price_date"] = [band_date(b, on) for b in bands_by_row]
    classes = [None if price_given else getattr(b, "provider_class", None) for b in bands_by_row]
    if any(c is not None for c in classes):
        frame["provider_class"] = [c or "all" for c in classes]


def dollar_year(dollars) -> int | None:
    """The target year of ``dollars`` (an int or "2023"); None for nominal only."""
    if dollars is None:
        return None
    text = str(dollars).strip()
    if isinstance(dollars, bool) or not re.fullmatch(r"\d{4}", text):
        raise InputError(f"expected a year like 2023, got {dollars!r}", key="dollars",
                         hint="Constant dollars of December of that year (PPI).")
    return int(text)


def add_real_columns(frame: pd.DataFrame, dollars, deflator: str = "ppi",
                     prefixes=("cost",), date_column: str = "price_date") -> None:
    """Add ``<prefix>_real_usd_{low,typical,high}`` (and ``<prefix>_real_usd``) restating each
    row's nominal USD from its ``date_column`` month into December-``dollars`` USD with the
    deflator (amount x I(Dec year) / I(price month), Epoch AI, docs/epoch-method.md §2.4), and
    ``dollar_year``. Nothing without ``dollars``."""
    year = dollar_year(dollars)
    if year is None:
        return
    check_deflator(deflator)
    factors = {d: restate_factor(d, year, deflator) for d in set(frame[date_column])}
    factor = frame[date_column].map(factors).to_numpy(dtype=float)
    for prefix in prefixes:
        for name in RANGE_ENDS + ("",):
            nominal = f"{prefix}_usd_{name}" if name else f"{prefix}_usd"
            if nominal in frame:
                real = f"{prefix}_real_usd_{name}" if name else f"{prefix}_real_usd"
                frame[real] = frame[nominal].to_numpy(dtype=float) * factor
    frame["dollar_year"] = year
