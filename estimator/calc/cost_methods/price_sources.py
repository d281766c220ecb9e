"""Where the cost methods get their prices: one interface, two implementations.

A :class:`PriceSource` answers the two questions the methods ask of a chip (Epoch AI, arXiv
2405.21015; docs/epoch-method.md §2.1-2.3):

* ``cloud_price(start)`` -- the rental price per chip-hour on a 3-year committed-use basis
  for a run starting at ``start`` [USD/chip-hour];
* ``server_value(start, depreciate=...)`` -- the per-chip server price [USD] (server share
  included), depreciated to ``start`` for the amortised method, as bought for acquisition.

:class:`EpochPriceTable` answers from Epoch AI's price table (one row per answer, chosen by
Epoch's vendor and date rules; the parity benchmark's source). :class:`ProfilePrices` answers
from a hardware profile's dated observations (the median of those the band rule picks; the
source of ``cost --method``, method claims and ``simulate --method``), because Epoch's table
is not in the package:

* cloud: the observations of the 730 days before the rental date (training start - 60 d),
  else the earliest later ones; 3-year prices as they are, 1-year and on-demand ones converted
  with the provider's committed-use discounts; their median.
* server value: each purchase observation is a price per GPU; chip-only prices (card, HGX
  board, kit, estimate) x the server price factor, DGX / server shares as they are; for
  amortised each is depreciated from its own acquisition date; the median of the
  observations the band rule picks at the training start (else the earliest ones).

Both use the same rules (rules.py) with the :class:`~estimator.calc.cost_methods.rules.
Conventions` they are given, and the same formulas (models/cost_formulas.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import pandas as pd

from estimator.bands import LEGACY_RULE, derive_band, derive_purchase_band
from estimator.calc.cost_methods import rules
from estimator.calc.cost_methods.rules import EPOCH, PRODUCT, Conventions
from estimator.models import cost_formulas as formulas

SERVER_SHARE_KINDS = ("dgx", "server")
"""Purchase observations already priced as a share of a whole server (no server factor)."""

LEGACY_TIERS = {"3-yr": formulas.THREE_YEAR, "1-yr": formulas.ONE_YEAR,
                "on-demand": formulas.ON_DEMAND}
"""Observation ``kind`` values of profiles written before observations gained a ``tier``."""


@dataclass(frozen=True)
class MethodPrice:
    """A central price a method uses, and where it came from.

    ``usd`` is USD per chip-hour (cloud) or USD per chip (server value); ``basis`` says where
    it came from in words (the ``basis`` column); ``stale`` that no observation was recent
    enough at the date. ``date``, ``hardware``, ``vendor``, ``price_type``, ``row`` and
    ``source`` name the price row when the price is one row of a table.
    """

    usd: float
    basis: str
    stale: bool = False
    date: pd.Timestamp | None = None
    hardware: str = ""
    vendor: str = ""
    price_type: str = ""
    row: int | None = None
    source: str = ""


class PriceSource(Protocol):
    """The prices of one chip for the cost methods (see the module docstring)."""

    def cloud_price(self, start) -> MethodPrice | None:
        """3-year committed-use price [USD/chip-hour] for a run starting at ``start``."""

    def server_value(self, start, *, depreciate: bool,
                     trend_oom_per_year: float = formulas.DEPRECIATION_OOM_PER_YEAR,
                     server_factor: float | None = None) -> MethodPrice | None:
        """Per-chip server price [USD] at ``start`` (depreciated when ``depreciate``)."""


# --- Epoch AI's price table ------------------------------------------------------------------


@dataclass(frozen=True)
class EpochPriceTable:
    """Prices of ``hardware`` from Epoch AI's tidy price table.

    ``prices`` has columns ``date``, ``hardware``, ``vendor``, ``on_demand``, ``commit_1y``,
    ``commit_3y`` [USD/chip-hour], ``purchase`` [USD], ``notes``, ``source``, ``row``
    (:func:`estimator.data.importers.epoch.read_epoch_prices`); ``organisation`` picks the
    cloud vendor, ``release_date`` the earliest acquisition date.
    """

    prices: pd.DataFrame
    hardware: str
    organisation: str = ""
    release_date: object = None
    conventions: Conventions = EPOCH
    tables: dict | None = None

    def cloud_price(self, start) -> MethodPrice | None:
        """Outer loop price type (3y, 1y, on-demand), inner loop vendor; per vendor the first
        candidate name with rows; the row is chosen by date before the column is read; a
        vendor without committed-use discounts is skipped (docs/epoch-method.md §2.1)."""
        when = rules.rental_date(start, tables=self.tables)
        vendors = rules.vendor_order(self.prices, self.hardware, self.organisation,
                                     tables=self.tables)
        names = rules.candidate_names(self.hardware, tables=self.tables)
        for price_type in formulas.PRICE_TYPES:
            for vendor in vendors:
                choice = self._vendor_price(names, vendor, price_type, when)
                if choice is not None:
                    return choice
        return None

    def _vendor_price(self, names, vendor, price_type, when) -> MethodPrice | None:
        discounts, _ = rules.discounts_for(vendor, conventions=self.conventions,
                                           tables=self.tables)
        if discounts is None:
            return None
        at_vendor = self.prices[self.prices["vendor"] == vendor]
        for name in names:
            rows = at_vendor[at_vendor["hardware"] == name]
            if rows.empty:
                continue
            row = rules.closest_row(rows, when)
            price = row[price_type]
            if pd.isna(price):
                return None
            usd = float(formulas.committed_use_price(price, discounts[price_type],
                                                     discounts[formulas.THREE_YEAR]))
            return MethodPrice(usd, f"{vendor} {name} {price_type}, row {int(row['row'])}",
                               date=row["date"], hardware=name, vendor=vendor,
                               price_type=price_type, row=int(row["row"]),
                               source=row["source"])
        return None

    def purchase(self, server_factor: float | None = None
                 ) -> tuple[MethodPrice, pd.Timestamp] | None:
        """Per-chip server price P [USD] and acquisition date A, or None (§2.2 step 1).

        GPUs: purchase rows whose name contains the alias, by date (stable); the first with
        "DGX" in the notes, else the earliest; "single-unit" prices x the server price factor.
        TPUs: the TPU-equivalent price x the default factor, bought at release.
        """
        hardware = self.hardware
        if "," in hardware:
            return None
        if rules.is_tpu(hardware):
            return self._tpu_purchase(server_factor)
        alias = rules.gpu_alias(hardware, tables=self.tables)
        if alias is None:
            return None
        prices = self.prices
        rows = prices[prices["purchase"].notna()
                      & prices["hardware"].str.contains(alias, regex=False)]
        if rows.empty:
            return None
        rows = rows.sort_values("date", kind="stable")
        dgx = rows[rows["notes"].fillna("").str.contains("DGX", regex=False)]
        row = dgx.iloc[0] if not dgx.empty else rows.iloc[0]
        usd = float(row["purchase"])
        if "single-unit" in str(row["notes"] or "").lower():
            usd *= (server_factor if server_factor is not None
                    else rules.server_price_factor(hardware, tables=self.tables))
        choice = MethodPrice(usd, f"{row['hardware']} purchase, row {int(row['row'])}",
                             date=row["date"], hardware=row["hardware"],
                             vendor=row["vendor"] or "", price_type="purchase",
                             row=int(row["row"]), source=row["source"])
        return choice, rules.acquisition_date(row["date"], self.release_date, tables=self.tables)

    def _tpu_purchase(self, server_factor):
        table = rules.load_tables(self.tables)
        equivalent = table["tpu_equivalent_price_usd"]["by_chip"].get(self.hardware)
        release = self.release_date
        if equivalent is None or release is None or pd.isna(release):
            return None
        factor = (server_factor if server_factor is not None
                  else table["server_price_factor"]["default"])
        release = pd.Timestamp(release)
        return MethodPrice(equivalent * factor, f"{self.hardware} TPU-equivalent price",
                           date=release, hardware=self.hardware, price_type="tpu-equivalent",
                           source=table["tpu_equivalent_price_usd"]["source"]), release

    def server_value(self, start, *, depreciate: bool,
                     trend_oom_per_year: float = formulas.DEPRECIATION_OOM_PER_YEAR,
                     server_factor: float | None = None) -> MethodPrice | None:
        """P, or V = P x 10^(-trend x y) with y from A to ``start`` (§2.2 steps 1-2)."""
        picked = self.purchase(server_factor)
        if picked is None:
            return None
        choice, acquired = picked
        if not depreciate:
            return choice
        years = rules.depreciation_years(acquired, start, self.hardware)
        value = float(formulas.depreciated_value(choice.usd, years,
                                                 trend_oom_per_year=trend_oom_per_year))
        return replace(choice, usd=value,
                       basis=f"{choice.basis}, depreciated {years:.3f} years")


# --- a hardware profile's dated observations -------------------------------------------------


def tier_of(observation) -> str | None:
    """The commitment tier of a rental observation: its ``tier`` if it has one, else the
    tier its ``kind`` names (3-yr, 1-yr, on-demand); None for spot, market, assumption."""
    tier = getattr(observation, "tier", None)
    if tier in formulas.PRICE_TYPES:
        return tier
    return LEGACY_TIERS.get(observation.kind)


def chip_only_to_server(observation, factor: float) -> float:
    """Per-chip server price [USD]: chip-only prices x the server factor."""
    if observation.what in SERVER_SHARE_KINDS:
        return observation.price_usd_per_gpu
    return observation.price_usd_per_gpu * factor


@dataclass(frozen=True)
class ProfilePrices:
    """Prices of a hardware profile's chip from its own dated observations."""

    profile: object
    conventions: Conventions = PRODUCT
    tables: dict | None = None

    def three_year_price(self, observation) -> float:
        """An observation's price on a 3-year committed-use basis [USD/chip-hour]:
        p3 = p (1 - d3) / (1 - d_tier) (Epoch AI, docs/epoch-method.md §2.1 step 5); NaN
        when the provider has no discounts under the conventions."""
        discounts, _ = rules.discounts_for(observation.provider, conventions=self.conventions,
                                           tables=self.tables)
        if discounts is None:
            return float("nan")
        return float(formulas.committed_use_price(observation.price_usd_per_gpu_hour,
                                                  discounts[tier_of(observation)],
                                                  discounts[formulas.THREE_YEAR]))

    def cloud_price(self, start) -> MethodPrice | None:
        """Median 3-year committed-use price [USD/chip-hour] at start - 60 d, or None."""
        when = rules.rental_date(start, tables=self.tables).date()
        converted = [replace(o, tier=formulas.THREE_YEAR, note=tier_of(o),
                             price_usd_per_gpu_hour=self.three_year_price(o))
                     for o in self.profile.rental if tier_of(o) is not None]
        converted = [o for o in converted if np.isfinite(o.price_usd_per_gpu_hour)]
        if not converted:
            return None
        band = derive_band(converted, when, tier=formulas.THREE_YEAR, rule=LEGACY_RULE)
        stale = band is None or band.stale
        if band is None:
            band = derive_band(converted, min(o.date for o in converted),
                               tier=formulas.THREE_YEAR, rule=LEGACY_RULE)
        tiers = sorted({o.note for o in band.used})  # the tier before conversion
        basis = (f"{len(band.used)} rental observations ({', '.join(tiers)}) as 3-yr committed "
                 f"use, median, at {when.isoformat()}")
        return MethodPrice(band.typical, basis, stale)

    def server_factor(self, server_factor=None) -> float:
        """Server price / chip price: the given one, else Epoch AI's for the chip."""
        if server_factor is not None:
            return float(server_factor)
        return rules.server_price_factor(self.profile.name, tables=self.tables)

    def depreciated(self, observation, factor, start, trend_oom_per_year) -> float:
        """One observation's server value per chip at ``start`` [USD]: acquired at
        A = max(price date, launch + 90 d), depreciated to ``start`` (§2.2 steps 1-2)."""
        acquired = rules.acquisition_date(observation.date, self.profile.launch_date,
                                          tables=self.tables)
        years = rules.depreciation_years(acquired, start, "GPU")
        return float(formulas.depreciated_value(chip_only_to_server(observation, factor), years,
                                                trend_oom_per_year=trend_oom_per_year))

    def server_value(self, start, *, depreciate: bool,
                     trend_oom_per_year: float = formulas.DEPRECIATION_OOM_PER_YEAR,
                     server_factor: float | None = None) -> MethodPrice | None:
        """Median per-chip server price [USD] at ``start``, depreciated when ``depreciate``."""
        purchase = self.profile.purchase
        if not purchase:
            return None
        start = start if isinstance(start, dt.date) else pd.Timestamp(start).date()
        factor = self.server_factor(server_factor)
        if depreciate:
            values = [self.depreciated(o, factor, start, trend_oom_per_year) for o in purchase]
        else:
            values = [chip_only_to_server(o, factor) for o in purchase]
        priced = [replace(o, price_usd_per_gpu=v) for o, v in zip(purchase, values)]
        band = derive_purchase_band(priced, start)
        stale = band is None or band.stale
        if band is None:
            band = derive_purchase_band(priced, min(o.date for o in priced))
        what = "depreciated to " + start.isoformat() if depreciate else "undepreciated"
        basis = (f"{len(band.used)} purchase observations x server factor {factor:g} where "
                 f"chip-only, {what}, median")
        return MethodPrice(float(np.median([o.price_usd_per_gpu for o in band.used])), basis,
                           stale)
