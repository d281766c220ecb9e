"""Date rules and price-row choice of the three cost methods, over a tidy price table.

The tidy price table is a DataFrame with columns ``date``, ``hardware``, ``vendor``,
``on_demand``, ``commit_1y``, ``commit_3y`` [USD/chip-hour], ``purchase`` [USD], ``notes``,
``source``, ``row`` (see :func:`estimator.data.importers.epoch.read_epoch_prices`). The rules
are Epoch AI's (arXiv 2405.21015; epoch-research/training-cost-trends), stated in
docs/epoch-method.md §2.0-2.3; the formulas are in
:mod:`estimator.models.cost_methods`; the constants in ``estimator/data/cost_methods.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from estimator.data.cost_tables import load_cost_tables
from estimator.errors import InputError
from estimator.models import cost_methods as cm


@dataclass(frozen=True)
class PriceChoice:
    """A price picked from the table, with where it came from."""

    usd: float                      # USD per chip-hour (3-yr CUD basis) or USD per chip
    date: pd.Timestamp
    hardware: str
    vendor: str
    price_type: str                 # commit_3y / commit_1y / on_demand / purchase / tpu-equivalent
    row: int | None
    source: str


def _tables(tables):
    return tables if tables is not None else load_cost_tables()


def _constant(tables, name):
    return _tables(tables)["constants"][name]["value"]


def is_tpu(hardware: str) -> bool:
    return "TPU" in hardware


def training_start(publication, training_hours=None, *, tables=None) -> pd.Timestamp:
    """Training start S = publication - T - 60 d, T the training time truncated to whole
    hours (793.5 h when unknown). Epoch AI get_training_start_date (docs/epoch-method.md §2.0)."""
    if training_hours is None or pd.isna(training_hours):
        duration = pd.Timedelta(hours=_constant(tables, "default_training_hours"))
    else:
        duration = pd.Timedelta(hours=int(training_hours))
    lag = pd.Timedelta(days=_constant(tables, "publication_lag_days"))
    return pd.Timestamp(publication) - duration - lag


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
    rules = _tables(tables)["vendors"]
    vendor = rules["default"]
    for name in str(organisation or "").split(","):
        for key, value in rules["by_organisation"].items():
            if key in name.lower():
                vendor = value
    return vendor


def pue_for(organisation: str, *, tables=None) -> float:
    """PUE 1.1 for hyperscalers (google, deepmind, microsoft, amazon, meta, facebook), else
    1.25 (Epoch AI power_usage_effectiveness)."""
    table = _tables(tables)["pue"]
    lowered = str(organisation or "").lower()
    hyperscale = any(name in lowered for name in table["hyperscale_organisations"])
    return table["hyperscale"] if hyperscale else table["other"]


def candidate_names(hardware: str, *, tables=None) -> list[str]:
    """Price-row names to try: exact, then the family name, then its members (§2.1 step 3)."""
    names = [hardware]
    for family, members in _tables(tables)["price_families"]["families"].items():
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
    rules = _tables(tables)["vendors"]
    if is_tpu(hardware):
        return [rules["tpu_vendor"]]
    order = [vendor_for(organisation, tables=tables), *rules["fallback_order"]]
    order += [v for v in prices["vendor"].dropna().unique() if v]
    return list(dict.fromkeys(order))


def discounts_for(vendor: str, *, tables=None, match_case: bool = True,
                  default_vendor: bool = False) -> tuple[dict | None, str | None]:
    """A vendor's committed-use discounts (Epoch AI DEFAULT_CUD) and its name in the table.

    Epoch's convention (the defaults): the exact name or an alias, case as written, and no
    discounts (None, None) for a vendor outside the table (Epoch's code raises). The profile
    path of ``cost --method`` asks for ``match_case=False`` (providers are written freely in
    profiles) and ``default_vendor=True`` (the default vendor's, AWS, for the others).
    """
    table = _tables(tables)
    for name, entry in table["cud_discounts"]["vendors"].items():
        names = (name, *entry["aliases"])
        if (vendor in names if match_case
                else vendor.lower() in (n.lower() for n in names)):
            return entry, name
    if default_vendor:
        default = table["vendors"]["default"]
        return table["cud_discounts"]["vendors"][default], default
    return None, None


def _discounts(vendor: str, tables) -> dict | None:
    return discounts_for(vendor, tables=tables)[0]


def cloud_price(prices: pd.DataFrame, hardware: str, organisation: str, start,
                *, tables=None) -> PriceChoice | None:
    """The rental price [USD/chip-hour] on a 3-yr CUD basis for a run starting at ``start``,
    or None. Outer loop price type (3y, 1y, on-demand), inner loop vendor; per vendor the
    first candidate name with rows; the row is chosen by date before the column is read; a
    vendor without a CUD entry is skipped (Epoch's code raises). docs/epoch-method.md §2.1."""
    when = rental_date(start, tables=tables)
    vendors = vendor_order(prices, hardware, organisation, tables=tables)
    names = candidate_names(hardware, tables=tables)
    for price_type in cm.PRICE_TYPES:
        for vendor in vendors:
            choice = _vendor_price(prices, names, vendor, price_type, when, tables)
            if choice is not None:
                return choice
    return None


def _vendor_price(prices, names, vendor, price_type, when, tables) -> PriceChoice | None:
    discounts = _discounts(vendor, tables)
    if discounts is None:
        return None
    at_vendor = prices[prices["vendor"] == vendor]
    for name in names:
        rows = at_vendor[at_vendor["hardware"] == name]
        if rows.empty:
            continue
        row = closest_row(rows, when)
        price = row[price_type]
        if pd.isna(price):
            return None
        usd = float(cm.committed_use_price(price, discounts[price_type], discounts[cm.THREE_YEAR]))
        return PriceChoice(usd, row["date"], name, vendor, price_type, int(row["row"]),
                           row["source"])
    return None


def gpu_alias(hardware: str, *, tables=None) -> str | None:
    """First alias that is a case-sensitive substring of the chip name (§2.2 step 1)."""
    return next((a for a in _tables(tables)["gpu_aliases"]["names"] if a in hardware), None)


def server_price_factor(hardware: str, *, tables=None) -> float:
    """F = server price / chip price: A100 1.66, V100 1.69, P100 1.54, else 1.64."""
    table = _tables(tables)["server_price_factor"]
    return next((f for key, f in table["by_alias"].items() if key in hardware), table["default"])


def server_power_factor(hardware: str, *, tables=None) -> float:
    """k_srv = server power per chip / chip TDP (Epoch AI chip_to_server_power)."""
    table = _tables(tables)["server_power_factor"]
    if is_tpu(hardware):
        return table["tpu"].get(hardware, table["tpu_default"])
    return next((k for key, k in table["gpu"].items() if key in hardware), table["gpu_default"])


def power_fraction(hardware: str, *, tables=None) -> float:
    """f_pow = average power / TDP: TPU 0.43, GPU 0.75 (Epoch AI server_TDP_fraction)."""
    table = _tables(tables)["power_fraction"]
    return table["tpu"] if is_tpu(hardware) else table["gpu"]


def electricity_price(year: int, *, tables=None, clamp: bool = False) -> float:
    """US industrial electricity price of ``year`` [USD/kWh] (EIA, as Epoch AI uses).

    Outside the table: an error (Epoch's convention), or with ``clamp`` the nearest year's
    price (the profile path of ``cost --method``; :func:`electricity_year` says which)."""
    by_year = _tables(tables)["electricity_usd_per_kwh"]["by_year"]
    if clamp:
        year = electricity_year(year, tables=tables)
    if year not in by_year:
        raise InputError(f"no electricity price for {year}",
                         hint=f"The table covers {min(by_year)}-{max(by_year)}; "
                              "pass electricity_usd_per_kwh.")
    return by_year[year]


def electricity_year(year: int, *, tables=None) -> int:
    """The year of the electricity table nearest ``year`` (itself when the table has it)."""
    by_year = _tables(tables)["electricity_usd_per_kwh"]["by_year"]
    return min(max(year, min(by_year)), max(by_year))


def server_price(prices: pd.DataFrame, hardware: str, release_date, *,
                 tables=None) -> tuple[PriceChoice, pd.Timestamp] | None:
    """Per-chip server price P [USD] and acquisition date A, or None (§2.2 step 1).

    GPUs: purchase rows whose name contains the alias, by date (stable); the first with
    "DGX" in the notes, else the earliest; "single-unit" prices x F. TPUs: the TPU-equivalent
    price x the default F, bought at release.
    """
    if "," in hardware:
        return None
    if is_tpu(hardware):
        return _tpu_price(hardware, release_date, tables)
    alias = gpu_alias(hardware, tables=tables)
    if alias is None:
        return None
    rows = prices[prices["purchase"].notna() & prices["hardware"].str.contains(alias, regex=False)]
    if rows.empty:
        return None
    rows = rows.sort_values("date", kind="stable")
    dgx = rows[rows["notes"].fillna("").str.contains("DGX", regex=False)]
    row = dgx.iloc[0] if not dgx.empty else rows.iloc[0]
    usd = float(row["purchase"])
    if "single-unit" in str(row["notes"] or "").lower():
        usd *= server_price_factor(hardware, tables=tables)
    choice = PriceChoice(usd, row["date"], row["hardware"], row["vendor"] or "", "purchase",
                         int(row["row"]), row["source"])
    return choice, acquisition_date(row["date"], release_date, tables=tables)


def _tpu_price(hardware, release_date, tables):
    table = _tables(tables)
    equivalent = table["tpu_equivalent_price_usd"]["by_chip"].get(hardware)
    if equivalent is None or release_date is None or pd.isna(release_date):
        return None
    usd = equivalent * table["server_price_factor"]["default"]
    source = table["tpu_equivalent_price_usd"]["source"]
    release = pd.Timestamp(release_date)
    return PriceChoice(usd, release, hardware, "", "tpu-equivalent", None, source), release


def depreciation_years(acquired, start, hardware: str) -> float:
    """Whole days from A to S over 365.25; GPUs bought after S count from A (y = 0)."""
    days = (pd.Timestamp(start) - pd.Timestamp(acquired)).days
    if not is_tpu(hardware):
        days = max(days, 0)
    return float(cm.years_from_days(days))
