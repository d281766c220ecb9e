"""Parity with Epoch AI's published training costs (model_costs.csv, constant Dec-2024 USD).

    python benchmarks/epoch_parity.py --epoch-dir ../shared/data/epoch [--format json]

Feeds Epoch AI's frontier models through the package's one cost path
(estimator.calc.cost_methods.costs, the path `cost --method` runs) with Epoch AI's price table
as the price source (price_sources.EpochPriceTable) and Epoch's conventions (rules.EPOCH), and
compares each figure with the published one. The dataset-specific parts live here: frontier
selection (Epoch's own frontier_systems_by_top_n.json, top 10), hardware imputation, fixed
training starts, chip look-ups and chip-hours; the methods, date rules, price choice and
constants live in the package. Rules: docs/epoch-method.md. Data: Epoch AI training-cost-trends
@e13599f (Apache-2.0), read in place, never copied.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from estimator.calc.cost_methods import costs, rules
from estimator.calc.cost_methods.price_sources import EpochPriceTable
from estimator.calc.deflator import deflate
from estimator.data.cost_tables import constant
from estimator.data.importers.epoch import read_epoch_prices
from estimator.models.constants import DEFAULT_MFU
from estimator.models.cost_formulas import chip_hours_from_flop

TOP_N = 10
TARGET_MONTH = "2024-12"
METHODS = {
    "cloud": "Cloud_Cost",
    "amortised": "Hardware_Capex_Energy_Cost",
    "acquisition": "Hardware_Acquisition_Cost",
}
FIXED_STARTS = (("Gemini 1.0 Ultra", "2023-05-10"),)
"""Training starts Epoch fixes by name (docs/epoch-method.md §2.0); GPT-4 and GPT-3 below."""
PEAK_COLUMNS = (
    "Tensor-FP16/BF16 performance (FLOP/s)",
    "TF32 (TensorFloat-32) performance (FLOP/s)",
)


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig")


def frontier_names(epoch_dir: Path, top_n: int = TOP_N) -> set:
    """The models ranked top-N by compute when published (Epoch's own selection file)."""
    by_rank = json.loads((epoch_dir / "frontier_systems_by_top_n.json").read_text())
    return {name for rank, names in by_rank.items() if int(rank) <= top_n for name in names}


def imputed_hardware(models: pd.DataFrame) -> dict:
    """Most common non-TPU chip per publication year over all models (comma lists count each
    name; ties to the alphabetically first)."""
    counts = collections.defaultdict(collections.Counter)
    for date, hardware in zip(models["Publication date"], models["Training hardware"]):
        if pd.isna(date) or pd.isna(hardware) or "TPU" in hardware:
            continue
        for name in hardware.split(","):
            counts[pd.Timestamp(date).year][name.strip()] += 1
    return {year: min(c, key=lambda n: (-c[n], n)) for year, c in counts.items()}


def start_date(model: pd.Series):
    name, published = model["Model"], pd.Timestamp(model["Publication date"])
    fixed = dict(FIXED_STARTS)
    if name in fixed:
        return pd.Timestamp(fixed[name])
    if name == "GPT-4":
        return pd.Timestamp("2022-08-15") - pd.Timedelta(hours=model["Training time (hours)"])
    if "GPT-3.5" in name:
        return pd.Timestamp("2022-03-14")
    if "GPT-3" in name:
        return pd.Timestamp("2019-10-01")
    return rules.training_start(published, model["Training time (hours)"])


def peak_flop_per_s(chip: pd.Series, hardware: str) -> float:
    columns = list(PEAK_COLUMNS)
    if "TPU" in hardware:
        columns.append("FP16 (half precision) performance (FLOP/s)")
    columns.append(
        "INT8 performance (OP/s)"
        if hardware == "Google TPU v1"
        else "FP32 (single precision) performance (FLOP/s)"
    )
    return next((float(chip[c]) for c in columns if pd.notna(chip.get(c))), float("nan"))


def capex_chip_hours(model: pd.Series, chip: pd.Series | None, hardware: str) -> float:
    if pd.notna(model["Training chip-hours"]):
        return float(model["Training chip-hours"])
    if pd.notna(model["Hardware quantity"]) and pd.notna(model["Training time (hours)"]):
        return float(model["Hardware quantity"] * model["Training time (hours)"])
    if chip is None or pd.isna(model["Training compute (FLOP)"]):
        return float("nan")
    mfu = model["Hardware utilization"]
    mfu = DEFAULT_MFU if pd.isna(mfu) else mfu
    return float(
        chip_hours_from_flop(model["Training compute (FLOP)"], peak_flop_per_s(chip, hardware), mfu)
    )


def estimate_model(model: pd.Series, prices, chips, imputed) -> dict:
    """Nominal USD of each method for one models-table row (None = no estimate)."""
    published = pd.Timestamp(model["Publication date"])
    hardware = model["Training hardware"]
    if pd.isna(hardware):
        hardware = imputed.get(published.year)
    if hardware is None:
        return {m: None for m in METHODS}
    chip = chips.loc[hardware] if hardware in chips.index else None
    release = chip["Release date"] if chip is not None else None
    tdp = chip["TDP (W)"] if chip is not None else float("nan")
    if pd.isna(tdp) and hardware == "Google TPU v4":
        tdp = constant("tpu_v4_tdp_w")
    start, org = start_date(model), model["Organization"]
    quantity, hours = model["Hardware quantity"], model["Training time (hours)"]
    source = EpochPriceTable(prices, hardware, organisation=org, release_date=release,
                             conventions=rules.EPOCH)
    year = rules.electricity_year_of(rules.EPOCH, start=start, publication=published)
    options = costs.Options(conventions=rules.EPOCH, electricity_year=year)

    def run(chip_hours) -> costs.Run:
        return costs.Run(hardware, np.full(3, float(chip_hours)), count=float(quantity),
                         tdp_w=float(tdp), pue=rules.pue_for(org),
                         power_fraction=rules.power_fraction(hardware), label=hardware)

    runs = {  # the cloud method counts quantity x hours only (docs/epoch-method.md §2.0)
        "cloud": run(quantity * hours),
        "amortised": run(capex_chip_hours(model, chip, hardware)),
        "acquisition": run(quantity),
    }
    results = {m: costs.method_cost(m, source, r, start, options) for m, r in runs.items()}
    return {
        m: None if not np.isfinite(r.cost[1]) else float(deflate(r.cost[1], published,
                                                                  TARGET_MONTH))
        for m, r in results.items()
    }


def run_parity(epoch_dir) -> list[dict]:
    """One record per published figure: model, method, ours_usd, epoch_usd, ratio."""
    epoch_dir = Path(epoch_dir)
    models = read_csv(epoch_dir / "All ML Systems - full view.csv")
    chips = (
        read_csv(epoch_dir / "Chip dataset-Grid view.csv")
        .drop_duplicates("Hardware name", keep="first")
        .set_index("Hardware name")
    )
    prices = read_epoch_prices(epoch_dir / "Hardware prices.csv")
    published = read_csv(epoch_dir / "model_costs.csv").set_index("Model")
    imputed = imputed_hardware(models)
    frontier = models[models["Model"].isin(frontier_names(epoch_dir))].drop_duplicates("Model")
    ours = {
        row["Model"]: estimate_model(row, prices, chips, imputed) for _, row in frontier.iterrows()
    }
    records = []
    for name, row in published.iterrows():
        for method, column in METHODS.items():
            if pd.isna(row[column]):
                continue
            mine = ours.get(name, {}).get(method)
            records.append(
                {
                    "model": name,
                    "method": method,
                    "ours_usd": mine,
                    "epoch_usd": float(row[column]),
                    "ratio": None if mine is None else mine / float(row[column]),
                }
            )
    return records


def summary(records: list[dict]) -> list[dict]:
    """Per method: count of published figures, share within 1%, largest relative error."""
    out = []
    for method in METHODS:
        rows = [r for r in records if r["method"] == method]
        errors = [abs(r["ratio"] - 1) if r["ratio"] is not None else float("inf") for r in rows]
        out.append(
            {
                "method": method,
                "count": len(rows),
                "within_1pct": sum(e <= 0.01 for e in errors) / max(len(rows), 1),
                "largest_error": max(errors, default=0.0),
            }
        )
    return out


def _money(value) -> str:
    return "-" if value is None else f"{value:,.0f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epoch-dir", default="../shared/data/epoch")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    records = run_parity(args.epoch_dir)
    if args.format == "json":
        json.dump(records, sys.stdout, indent=1)
        print()
        return 0
    print(f"{'model':40} {'method':12} {'ours (USD)':>16} {'Epoch (USD)':>16} {'ratio':>10}")
    for r in records:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.6f}"
        print(
            f"{r['model'][:40]:40} {r['method']:12} {_money(r['ours_usd']):>16} "
            f"{_money(r['epoch_usd']):>16} {ratio:>10}"
        )
    print()
    for s in summary(records):
        print(
            f"{s['method']:12} {s['count']:3d} figures, {s['within_1pct']:.0%} within 1%, "
            f"largest error {s['largest_error']:.2e}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
