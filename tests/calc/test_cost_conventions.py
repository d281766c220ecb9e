"""The product's conventions and Epoch AI's, and the YAML as the home of the method tables
(issue 24 items 2-4). Hand-computed on a small test profile (tests/calc/test_method_costs.py
has the same chip): Epoch AI DEFAULT_CUD Lambda 3-yr 0.56, AWS 3-yr 0.64; server power factor
1.8; EIA industrial 2024 0.0771, 2025 0.0826 USD/kWh (estimator/data/cost_methods.yaml)."""

import shutil
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import estimator
from estimator.calc.cost_methods import by_method, costs, rules
from estimator.calc.cost_methods.price_sources import ProfilePrices
from estimator.cli import cli
from estimator.data.cost_tables import load_cost_tables
from estimator.data.profiles import load_profiles
from estimator.errors import EstimatorError
from tests.calc.test_method_costs import PROFILE

FREE_PROVIDERS = PROFILE.replace('provider: "Lambda"', 'provider: "lambda"').replace(
    "purchase_prices:",
    '  - {provider: "CoreWeave", kind: "on-demand", price_per_gpu_hour: 4.0,\n'
    '     date: "2024-03-01", source: "test", as_of: "2024-03-01"}\npurchase_prices:')


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "test-chip.yaml").write_text(FREE_PROVIDERS)
    return str(tmp_path)


def row(folder, method, date="2024-06-01", **kw):
    frame = estimator.estimate("TESTCHIP", count=100, hours=10, method=method, date=date,
                               profiles=[folder], **kw)
    return frame.set_index("method").loc[method]


def test_cloud_discount_lookup_product_vs_epoch(folder):
    # product: AWS 3-yr 2.00; "lambda" (any case) 3.00 x (1 - 0.56) = 1.32; CoreWeave (not in
    # Epoch's table: AWS's discounts) 4.00 x (1 - 0.64) = 1.44; median 1.44 x 1,000 chip-h
    assert row(folder, "cloud")["cost_usd_typical"] == pytest.approx(1440.0)
    # Epoch: "lambda" is not "Lambda" and CoreWeave has no discounts: both skipped; AWS 2.00
    epoch = row(folder, "cloud", conventions="epoch")
    assert epoch["cost_usd_typical"] == pytest.approx(2000.0)
    assert epoch["basis"].startswith("1 rental observations")


def test_electricity_year_start_vs_publication(folder):
    # 0.5 kW x 1.8 x 0.75 x 1.25 x 1,000 chip-h = 843.75 kWh in both
    product = row(folder, "amortised", date="2024-11-15")
    epoch = row(folder, "amortised", date="2024-11-15", conventions="epoch")
    assert product["energy_kwh"] == epoch["energy_kwh"] == pytest.approx(843.75)
    # product: the start year, 2024; Epoch: the publication its rule implies,
    # 2024-11-15 + 10 h + 60 d = 2025-01-14, so 2025's price
    assert product["energy_usd"] == pytest.approx(843.75 * 0.0771)
    assert epoch["energy_usd"] == pytest.approx(843.75 * 0.0826)
    assert "EIA 2025" in epoch["basis"] and "EIA 2024" in product["basis"]


def test_electricity_outside_the_table_clamp_vs_error(folder):
    # product: the nearest year of the EIA table (2025)
    assert row(folder, "amortised", date="2030-01-01")["energy_usd"] == pytest.approx(
        843.75 * 0.0826)
    with pytest.raises(EstimatorError, match="no electricity price for 2030"):
        row(folder, "amortised", date="2030-01-01", conventions="epoch")
    result = CliRunner().invoke(cli, ["cost", "--gpu", "TESTCHIP", "--count", "100", "--hours",
                                      "10", "--method", "amortised", "--date", "2030-01-01",
                                      "--conventions", "epoch", "--profiles", folder])
    assert result.exit_code == 2
    assert "electricity_price" in result.output and "2010-2025" in result.output


def test_unknown_conventions_name_the_choices(folder):
    with pytest.raises(EstimatorError, match="did you mean epoch"):
        row(folder, "cloud", conventions="epok")
    result = CliRunner().invoke(cli, ["cost", "--gpu", "TESTCHIP", "--count", "1", "--hours",
                                      "1", "--method", "cloud", "--conventions", "x",
                                      "--profiles", folder])
    assert result.exit_code == 2 and "Known: epoch, product" in result.output


def test_amortised_energy_kwh_and_usd_agree(folder):
    # one formula (models/cost_formulas.server_energy_kwh) for both columns
    r = row(folder, "amortised")
    assert r["energy_usd"] == pytest.approx(r["energy_kwh"] * 0.0771, rel=1e-12)


def changed_tables(tmp_path, edit):
    (tmp_path / "tables").mkdir()
    path = tmp_path / "tables" / "cost_methods.yaml"
    shutil.copy(resources.files("estimator") / "data" / "cost_methods.yaml", path)
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data))
    return load_cost_tables(str(path))


def test_changing_the_yaml_changes_the_cost_path(tmp_path, folder):
    def edit(data):
        data["cud_discounts"]["vendors"]["Lambda Labs"]["commit_3y"] = 0.5
        data["electricity_usd_per_kwh"]["by_year"]["2024"] = 0.1
        data["server_power_factor"]["gpu_default"] = 2.0

    tables = changed_tables(tmp_path, edit)
    profile = load_profiles([folder]).get("TESTCHIP")
    source = ProfilePrices(profile, tables=tables)
    run = costs.Run(profile.name, np.full(3, 1000.0), count=100, tdp_w=500.0,
                    pue=1.25, power_fraction=0.75)
    options = costs.Options(tables=tables)
    # Lambda 3.00 x (1 - 0.5) = 1.50; CoreWeave 1.44; AWS 2.00: median 1.50 (was 1.44)
    cloud = costs.cloud(source, run, "2024-06-01", options)
    assert cloud.cost[1] == pytest.approx(1500.0)
    # 0.5 kW x 2.0 x 0.75 x 1.25 x 1,000 = 937.5 kWh at 0.1 USD/kWh
    amortised = costs.amortised(source, run, "2024-06-01", options)
    assert amortised.energy_kwh == pytest.approx(937.5)
    assert amortised.energy_usd == pytest.approx(93.75)


def test_estimate_reads_its_tables_from_the_yaml(tmp_path, folder, monkeypatch):
    # the user path loads the built-in file; another file in its place changes the answer
    before = row(folder, "cloud")["cost_usd_typical"]
    tables = changed_tables(
        tmp_path, lambda d: d["cud_discounts"]["vendors"]["Lambda Labs"].update(commit_3y=0.5))
    monkeypatch.setattr(rules, "load_cost_tables", lambda: tables)
    assert before == pytest.approx(1440.0)
    assert row(folder, "cloud")["cost_usd_typical"] == pytest.approx(1500.0)


def test_publication_date_inverts_the_training_start_rule():
    # Llama 2-70B: 2023-07-18 - 1,728 h - 60 d = 2023-03-08, and back
    assert rules.publication_date("2023-03-08", 1728) == pd.Timestamp("2023-07-18")
    # unknown time: 793.5 h (docs/epoch-method.md §2.0)
    assert rules.publication_date("2024-04-20 22:30", None) == pd.Timestamp("2024-07-23")


def test_conventions_presets_differ_on_every_field():
    assert by_method.parse_conventions(None) is rules.PRODUCT
    differ = [f for f in ("vendor_any_case", "unknown_vendor_discounts", "clamp_electricity",
                          "electricity_year")
              if getattr(rules.PRODUCT, f) != getattr(rules.EPOCH, f)]
    assert len(differ) == 4
