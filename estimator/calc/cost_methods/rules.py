"""Epoch AI's date and vendor rules of the cost methods, and the conventions that choose
between Epoch's way and the product's where they differ.

The rules are Epoch AI's (Cottier et al. 2024, arXiv 2405.21015; code
epoch-research/training-cost-trends), stated in docs/epoch-method.md §2.0-2.3. Their
tables and dated constants (days of the date rules, committed-use discounts, vendors, server
price and power factors, PUE, electricity by year) are read from
``estimator/data/cost_methods.yaml``, their one home; every function takes ``tables`` (the
loaded file, :func:`estimator.data.cost_tables.load_cost_tables`) so that another copy of the
file can be used. The formulas are in :mod:`estimator.models.cost_formulas`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from estimator.data.cost_tables import load_cost_tables
from estimator.errors import InputError
from estimator.models import cost_formulas as formulas
from estimator.models.energy import DEFAULT_POWER_FRACTION, DEFAULT_PUE


@dataclass(frozen=True)
class Conventions:
    """The choices where the product's defaults differ from Epoch AI's code
    (docs/epoch-method.md, "Where the product differs from Epoch").

    ``vendor_any_case``: match a provider to the committed-use discount table in any case
    (profiles write providers freely) rather than exactly as written (Epoch).
    ``unknown_vendor_discounts``: a provider outside that table gets the default vendor's
    (Amazon Web Services) discounts rather than none, which skips the provider (Epoch's code
    raises). ``clamp_electricity``: a year outside the EIA table takes the nearest year's
    price rather than being an error (Epoch). ``electricity_year``: which date's year prices
    the electricity, the training ``"start"`` (the product: the date a user gives) or the
    ``"publication"`` (Epoch).
    """

    name: str
    vendor_any_case: bool
    unknown_vendor_discounts: bool
    clamp_electricity: bool
    electricity_year: str


EPOCH = Conventions("epoch", vendor_any_case=False, unknown_vendor_discounts=False,
                    clamp_electricity=False, electricity_year="publication")
"""Epoch AI's conventions, as its code has them (the parity benchmark's)."""

PRODUCT = Conventions("product", vendor_any_case=True, unknown_vendor_discounts=True,
                      clamp_electricity=True, electricity_year="start")
"""The defaults of ``cost --method``, method claims and ``simulate --method``."""

CONVENTIONS = {c.name: c for c in (PRODUCT, EPOCH)}


def load_tables(tables=None) -> dict:
    """The cost-method tables given, else the built-in file's (data/cost_methods.yaml)."""
    return tables if tables is not None else load_cost_tables()


def _constant(tables, name):
    return load_tables(tables)["constants"][name]["value"]


def is_tpu(hardware: str) -> bool:
    return "TPU" in hardware


def training_start(publication, training_hours=None, *, tables=None) -> pd.Timestamp:
    """Training start S = publication - T - 60 d, T the training time truncated to whole
    hours (793.5 h when unknown). Epoch AI get_training_start_date (docs/epoch-method.md §2.0)."""
    return pd.Timestamp(publication) - _start_to_publication(training_hours, tables)


def _start_to_publication(training_hours, tables) -> pd.Timedelta:
    """T + 60 d: the training time in whole hours (793.5 h when unknown) and the lag."""
    if training_hours is None or pd.isna(training_hours):
        duration = pd.Timedelta(hours=_constant(tables, "default_training_hours"))
    else:
        duration = pd.Timedelta(hours=int(training_hours))
    return duration + pd.Timedelta(days=_constant(tables, "publication_lag_days"))


def publication_date(start, training_hours=None, *, tables=None) -> pd.Timestamp:
    """The publication date :func:`training_start` implies: S + T + 60 d (T whole hours,
    793.5 h when unknown); the inverse of Epoch AI's rule (docs/epoch-method.md §2.0)."""
    return pd.Timestamp(start) + _start_to_publication(training_hours, tables)


def rental_date(start, *, tables=None) -> pd.Timestamp:
    """Date of the rental price A_c = S - 60 d (Epoch AI get_acquisition_date, §2.1)."""
    return pd.Timestamp(start) - pd.Timedelta(days=_constant(tables, "rental_lead_days"))


def acquisition_date(price_date, release_date, *, tables=None) -> pd.Timestamp:
    """A = max(price date, release + 90 d): nobody buys a GPU before it ships (§2.2 step 1)."""
    lag = pd.Timedelta(days=_constant(tables, "release_lag_days"))
    return max(pd.Timestamp(price_date), pd.Timestamp(release_date) + lag)


def vendor_for(organisation: str, *, tables=None) -> str:
    """Cloud vendor of an organisation: google/deepmind -> Google Cloud, microsoft/openai ->
    Azure, else AWS; of several matching organisations the last wins (§2.1 step 1)."""
    rules = load_tables(tables)["vendors"]
    vendor = rules["default"]
    for name in str(organisation or "").split(","):
        for key, value in rules["by_organisation"].items():
            if key in name.lower():
                vendor = value
    return vendor


def pue_for(organisation: str, *, tables=None) -> float:
    """PUE 1.1 for hyperscalers (google, deepmind, microsoft, amazon, meta, facebook), else
    the package's default, 1.25 (Epoch AI power_usage_effectiveness)."""
    table = load_tables(tables)["pue"]
    lowered = str(organisation or "").lower()
    hyperscale = any(name in lowered for name in table["hyperscale_organisations"])
    return table["hyperscale"] if hyperscale else DEFAULT_PUE


def candidate_names(hardware: str, *, tables=None) -> list[str]:
    """Price-row names to try: exact, then the family name, then its members (§2.1 step 3)."""
    names = [hardware]
    for family, members in load_tables(tables)["price_families"]["families"].items():
        if family.split()[-1] in hardware and "," not in hardware:
            names += [family, *members]
            break
    return names


def closest_row(rows: pd.DataFrame, when) -> pd.Series | None:
    """The row dated closest to ``when`` among rows dated <= when, else the closest later row;
    ties keep file order (§2.1 step 4)."""
    if rows.empty:
        return None
    when = pd.Timestamp(when)
    before = rows[rows["date"] <= when]
    if not before.empty:
        return before.loc[before["date"].idxmax()]
    return rows.loc[rows["date"].idxmin()]


def vendor_order(prices: pd.DataFrame, hardware: str, organisation: str, *, tables=None) -> list:
    """Vendors to search: TPUs Google Cloud only; GPUs the organisation's vendor, then AWS,
    Azure, Google Cloud, then the rest in order of first appearance (§2.1 step 2)."""
    rules = load_tables(tables)["vendors"]
    if is_tpu(hardware):
        return [rules["tpu_vendor"]]
    order = [vendor_for(organisation, tables=tables), *rules["fallback_order"]]
    order += [v for v in prices["vendor"].dropna().unique() if v]
    return list(dict.fromkeys(order))


def discounts_for(vendor: str, *, conventions: Conventions = EPOCH,
                  tables=None) -> tuple[dict | None, str | None]:
    """A vendor's committed-use discounts (Epoch AI DEFAULT_CUD) and its name in the table.

    Epoch's convention: the exact name or an alias, case as written, and no discounts
    (None, None) for a vendor outside the table (Epoch's code raises). The product's
    (:data:`PRODUCT`): any case, and the default vendor's (AWS) for the others.
    """
    table = load_tables(tables)
    for name, entry in table["cud_discounts"]["vendors"].items():
        names = (name, *entry["aliases"])
        if (vendor.lower() in (n.lower() for n in names) if conventions.vendor_any_case
                else vendor in names):
            return entry, name
    if conventions.unknown_vendor_discounts:
        default = table["vendors"]["default"]
        return table["cud_discounts"]["vendors"][default], default
    return None, None


def gpu_alias(hardware: str, *, tables=None) -> str | None:
    """First alias that is a case-sensitive substring of the chip name (§2.2 step 1)."""
    return next((a for a in load_tables(tables)["gpu_aliases"]["names"] if a in hardware), None)


def server_price_factor(hardware: str, *, tables=None) -> float:
    """F = server price / chip price: A100 1.66, V100 1.69, P100 1.54, else 1.64."""
    table = load_tables(tables)["server_price_factor"]
    return next((f for key, f in table["by_alias"].items() if key in hardware), table["default"])


def server_power_factor(hardware: str, *, tables=None) -> float:
    """k_srv = server power per chip / chip TDP (Epoch AI chip_to_server_power)."""
    table = load_tables(tables)["server_power_factor"]
    if is_tpu(hardware):
        return table["tpu"].get(hardware, table["tpu_default"])
    return next((k for key, k in table["gpu"].items() if key in hardware), table["gpu_default"])


def power_fraction(hardware: str, *, tables=None) -> float:
    """f_pow = average power / TDP: TPU 0.43, GPU the package's default, 0.75 (Epoch AI
    server_TDP_fraction)."""
    if is_tpu(hardware):
        return load_tables(tables)["power_fraction"]["tpu"]
    return DEFAULT_POWER_FRACTION


def electricity_price(year: int, *, conventions: Conventions = EPOCH, tables=None) -> float:
    """US industrial electricity price of ``year`` [USD/kWh] (EIA, as Epoch AI uses).

    Outside the table: an error (Epoch's convention), or the nearest year's price when the
    conventions clamp (the product's; :func:`electricity_year` says which year)."""
    by_year = load_tables(tables)["electricity_usd_per_kwh"]["by_year"]
    if conventions.clamp_electricity:
        year = electricity_year(year, tables=tables)
    if year not in by_year:
        raise InputError(f"no electricity price for {year} (Epoch's conventions)",
                         key="electricity_price",
                         hint=f"The EIA table covers {min(by_year)}-{max(by_year)}; give "
                              "--electricity-price, or the product's conventions (the "
                              "nearest year).")
    return by_year[year]


def electricity_year_of(conventions: Conventions, *, start, publication=None) -> int:
    """The year whose electricity price a run pays: the publication's under Epoch's
    convention (when known), else the training start's."""
    if conventions.electricity_year == "publication" and publication is not None:
        return pd.Timestamp(publication).year
    return pd.Timestamp(start).year


def electricity_year(year: int, *, tables=None) -> int:
    """The year of the electricity table nearest ``year`` (itself when the table has it)."""
    by_year = load_tables(tables)["electricity_usd_per_kwh"]["by_year"]
    return min(max(year, min(by_year)), max(by_year))


def depreciation_years(acquired, start, hardware: str) -> float:
    """Whole days from A to S over 365.25; GPUs bought after S count from A (y = 0)."""
    days = (pd.Timestamp(start) - pd.Timestamp(acquired)).days
    if not is_tpu(hardware):
        days = max(days, 0)
    return float(formulas.years_from_days(days))
