"""Date rules, price-row choice and the three methods against Epoch AI's published figures
(rows transcribed in epoch_reference.py; rules in docs/epoch-method.md)."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from estimator.calc.cost_methods import costs, rules
from estimator.calc.cost_methods.price_sources import EpochPriceTable
from estimator.calc.deflator import deflate
from estimator.errors import EstimatorError
from tests.calc.epoch_reference import REFERENCE, _price, prices

DEC_2024 = "2024-12"


def _run(ref):
    """The three methods through the one cost path, with Epoch's table and conventions."""
    (name, org, pub, hw, qty, hours, chip_hours, release, tdp, start, rows, *_) = ref
    source = EpochPriceTable(prices(rows), hw, organisation=org, release_date=release)
    options = costs.Options(conventions=rules.EPOCH, electricity_year=pd.Timestamp(pub).year)

    def run(hours_):
        return costs.Run(hw, np.full(3, float(hours_)), count=float(qty), tdp_w=float(tdp),
                         pue=rules.pue_for(org), power_fraction=rules.power_fraction(hw))

    start = pd.Timestamp(start)
    results = [costs.cloud(source, run(qty * hours), start, options),
               costs.amortised(source, run(chip_hours), start, options),
               costs.acquisition(source, run(qty), start, options)]
    return [float(deflate(r.cost[1], pub, DEC_2024)) for r in results]


@pytest.mark.parametrize("ref", REFERENCE, ids=[r[0] for r in REFERENCE])
def test_reference_rows_match_published_figures(ref):
    ours = _run(ref)
    assert ours == pytest.approx(list(ref[-3:]), rel=1e-9)


@pytest.mark.parametrize(
    "name, figures",
    [
        # docs/epoch-method.md §4, each equal to model_costs.csv to the cent
        ("GPT-3 175B (davinci)", (4_336_473.30, 2_198_104.57, 242_000_906.33)),
        ("Llama 2-70B", (3_153_947.70, 1_102_561.19, 30_967_792.28)),
        ("PaLM (540B)", (13_947_799.46, 2_864_192.46, 65_515_455.86)),
    ],
)
def test_worked_examples_to_the_cent(name, figures):
    ref = next(r for r in REFERENCE if r[0] == name)
    for ours, published in zip(_run(ref), figures):
        assert ours == pytest.approx(published, abs=0.006)


def test_training_start_llama2():
    # 2023-07-18 - 1,728 h (72 d) - 60 d = 2023-03-08 (docs/epoch-method.md §4)
    assert rules.training_start("2023-07-18", 1728) == pd.Timestamp("2023-03-08")


def test_training_start_truncates_hours_and_defaults_to_793_5():
    # Llama 3.1: 2024-07-23 - 2142 h - 60 d = 2024-02-24 18:00; 2142.9 h truncates to 2142
    assert rules.training_start("2024-07-23", 2142.9) == pd.Timestamp("2024-02-24 18:00")
    # unknown time: 793.5 h = 33 d 1.5 h; 2024-07-23 - 33 d 1.5 h - 60 d = 2024-04-20 22:30
    assert rules.training_start("2024-07-23", None) == pd.Timestamp("2024-04-20 22:30")


def test_rental_and_acquisition_dates():
    assert rules.rental_date("2019-10-01") == pd.Timestamp("2019-08-02")
    # GPT-3: max(2017-07-01, 2018-03-27 + 90 d) = 2018-06-25
    assert rules.acquisition_date("2017-07-01", "2018-03-27") == pd.Timestamp("2018-06-25")


@pytest.mark.parametrize(
    "org, vendor",
    [
        ("OpenAI", "Microsoft Azure"),
        ("Google DeepMind", "Google Cloud"),
        ("Meta AI", "Amazon Web Services"),
        ("Microsoft,NVIDIA", "Microsoft Azure"),
        ("OpenAI,Google", "Google Cloud"),
    ],
)
def test_vendor_by_organisation(org, vendor):
    assert rules.vendor_for(org) == vendor


def test_pue_by_operator():
    assert rules.pue_for("Meta AI") == 1.1
    assert rules.pue_for("Technology Innovation Institute") == 1.25


def test_row_before_date_wins_else_closest_after():
    table = pd.DataFrame(
        [
            _price(1, "2020-01-01", "X", "Google Cloud", commit_3y=1.0),
            _price(2, "2021-01-01", "X", "Google Cloud", commit_3y=2.0),
            _price(3, "2023-01-01", "X", "Google Cloud", commit_3y=3.0),
        ]
    )
    assert rules.closest_row(table, "2021-06-01")["row"] == 2
    assert rules.closest_row(table, "2019-06-01")["row"] == 1


def test_three_year_price_preferred_over_own_vendor_on_demand():
    # Outer loop is the price type: AWS's 3-yr row beats Azure's on-demand-only row for OpenAI
    table = pd.DataFrame(
        [
            _price(1, "2021-01-01", "NVIDIA A100", "Microsoft Azure", on_demand=4.0),
            _price(2, "2021-01-01", "NVIDIA A100", "Amazon Web Services", 4.0, 2.0, 1.5),
        ]
    )
    choice = EpochPriceTable(table, "NVIDIA A100 SXM4 40 GB", "OpenAI").cloud_price("2021-06-01")
    assert (choice.vendor, choice.price_type) == ("Amazon Web Services", "commit_3y")
    assert choice.usd == pytest.approx(1.5, rel=1e-12)


def test_no_price_for_multi_hardware():
    table = prices((46, 27))
    source = EpochPriceTable(table, "NVIDIA V100,Google TPU v3", "OpenAI", "2018-01-01")
    assert source.cloud_price("2019-10-01") is None
    assert source.purchase() is None


def test_tpu_after_v4_has_no_server_price():
    source = EpochPriceTable(prices((98,)), "Google TPU v5p", release_date="2023-12-06")
    assert source.purchase() is None


def _epoch_dir():
    """$EPOCH_DIR, else ../shared/data/epoch beside the repository or any folder above it."""
    above = [
        parent / "shared" / "data" / "epoch" for parent in Path(__file__).resolve().parents[3:]
    ]
    for candidate in (os.environ.get("EPOCH_DIR"), *above):
        if candidate and (Path(candidate) / "model_costs.csv").exists():
            return Path(candidate)
    return None


def test_parity_all_163_published_figures_within_1_percent(monkeypatch):
    """benchmarks/epoch_parity.py through the cost path users run (costs.method_cost, the path
    of cost --method) with Epoch's table: every published figure within 1% (about 2 s)."""
    epoch_dir = _epoch_dir()
    if epoch_dir is None:
        pytest.skip("Epoch AI data (../shared/data/epoch) not present")
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "epoch_parity.py"
    spec = importlib.util.spec_from_file_location("epoch_parity", path)
    parity = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(parity)
    calls = []
    user_path = costs.method_cost
    monkeypatch.setattr(costs, "method_cost",
                        lambda method, *a, **k: calls.append(method) or user_path(method, *a, **k))
    records = parity.run_parity(epoch_dir)
    assert len(records) == 163
    assert all(r["ratio"] is not None and abs(r["ratio"] - 1) <= 0.01 for r in records)
    assert set(calls) == {"cloud", "amortised", "acquisition"}


def test_deflate_to_december_2024_ppi():
    # I(2024-12) = 119.349, I(2020-05) = 113.4 (FRED PCU518210518210): f = 1.052460
    assert float(deflate(1_000_000, "2020-05-28", 2024)) == pytest.approx(1_052_460.32, abs=0.01)
    assert float(deflate(1_000_000, "2020-05-28", "2024-12")) == pytest.approx(
        1_052_460.32, abs=0.01
    )


def test_deflate_outside_the_series_is_an_input_error():
    from estimator.errors import InputError, UnknownNameError

    with pytest.raises(InputError, match="no value for 1999-01.*2000-12 to 2025-05"):
        deflate(1.0, "1999-01-15", 2024)
    with pytest.raises(UnknownNameError, match="unknown price index 'gdp'"):
        deflate(1.0, "2020-01-01", 2024, index="gdp")
    # CPI-U ships as annual averages (BLS via FRED CPIAUCNS): 2020 = 258.811, 2024 = 313.689
    assert deflate(1.0, "2020-01-01", 2024, index="cpi") == pytest.approx(313.689 / 258.811)


def test_one_cud_rule_with_epochs_convention_and_the_profile_options():
    from estimator.calc.cost_methods.rules import (
        PRODUCT,
        discounts_for,
        electricity_price,
        electricity_year,
    )
    # Epoch AI DEFAULT_CUD: Lambda 3-yr 0.56, AWS 3-yr 0.64; exact names, none for others
    assert discounts_for("Lambda Labs")[0]["commit_3y"] == 0.56
    assert discounts_for("lambda") == (None, None)
    assert discounts_for("CoreWeave") == (None, None)
    # the profile path: any case, AWS's for a provider outside the table
    assert discounts_for("lambda", conventions=PRODUCT)[1] == "Lambda Labs"
    entry, vendor = discounts_for("CoreWeave", conventions=PRODUCT)
    assert (vendor, entry["commit_3y"]) == ("Amazon Web Services", 0.64)
    # EIA industrial prices 2010-2025: outside, an error (Epoch) or the nearest year (clamp)
    assert electricity_year(2031) == 2025 and electricity_year(2003) == 2010
    assert electricity_price(2031, conventions=PRODUCT) == electricity_price(2025) == 0.0826
    with pytest.raises(EstimatorError):
        electricity_price(2031)
