"""cost --method / estimate(method=...): hand-computed numbers on a small test profile.

The profile (written to a temporary folder) has two rental observations (AWS 3-yr 2.00 USD,
Lambda on-demand 3.00 USD) and two purchase observations (a 20,000 USD card, a 30,000 USD
DGX share), TDP 500 W, bf16 peak 1,000 TFLOPS, launched 2022-01-01. The constants are Epoch
AI's (estimator/data/cost_methods.yaml): Lambda 3-yr CUD 0.56, server factor 1.64, 0.14 OOM
per year, interconnect 0.19, server power factor 1.8, EIA 2024 0.0771 USD/kWh.
"""

import json

import pytest
from click.testing import CliRunner

import estimator
from estimator.cli import cli
from estimator.errors import EstimatorError

PROFILE = """\
id: test-chip
name: "Test Chip"
aliases: ["TESTCHIP"]
vendor: "Test"
architecture: "Test"
launch_date: {value: "2022-01-01", source: "test", as_of: "2026-01-01"}
specs:
  bf16_dense_tflops: {value: 1000, source: "test", as_of: "2026-01-01"}
  tdp_w: {value: 500, source: "test", as_of: "2026-01-01"}
rental_prices:
  - {provider: "AWS", kind: "3-yr", price_per_gpu_hour: 2.0,
     date: "2024-01-01", source: "test", as_of: "2024-01-01"}
  - {provider: "Lambda", kind: "on-demand", price_per_gpu_hour: 3.0,
     date: "2024-02-01", source: "test", as_of: "2024-02-01"}
purchase_prices:
  - {seller: "a shop", what: "card", price_per_gpu: 20000,
     date: "2024-01-01", source: "test", as_of: "2024-01-01"}
  - {seller: "a DGX", what: "dgx", price_per_gpu: 30000,
     date: "2023-06-01", source: "test", as_of: "2023-06-01"}
"""


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "test-chip.yaml").write_text(PROFILE)
    return str(tmp_path)


def run(folder, method, **kw):
    return estimator.estimate("TESTCHIP", count=100, hours=10, method=method,
                              date="2024-06-01", profiles=[folder], **kw).set_index("method")


def test_cloud_is_the_median_3yr_price_times_chip_hours(folder):
    row = run(folder, "cloud").loc["cloud"]
    # 3-yr prices: AWS 2.00; Lambda 3.00 x (1 - 0.56) = 1.32; median 1.66; x 1,000 chip-h
    assert row["price_usd_per_gpu_hour_typical"] == pytest.approx(1.66)
    assert row["cost_usd_typical"] == pytest.approx(1660.0)
    # Epoch AI's 90% price interval 0.5x-2x
    assert (row["cost_usd_low"], row["cost_usd_high"]) == pytest.approx((830.0, 3320.0))


def test_amortised_depreciates_each_purchase_from_its_acquisition_date(folder):
    row = run(folder, "amortised").loc["amortised"]
    # card 20,000 x 1.64 = 32,800 bought 2024-01-01, 152 d before the start:
    #   32,800 x 10^(-0.14 x 152/365.25) = 28,682.19; DGX 30,000 bought 2023-06-01, 366 d:
    #   21,718.70; median 25,200.45 per chip
    assert row["hardware_usd_per_gpu"] == pytest.approx(25200.446, rel=1e-6)
    # hardware 25,200.45 x 0.14 ln10 / 8766 / 0.81 = 1.144104 USD/chip-h; energy 0.5 kW x 1.8
    # x 0.75 x 1.25 x 0.0771 = 0.065053 USD/chip-h; x 1,000 chip-h
    assert row["cost_usd_typical"] == pytest.approx(1209.157, rel=1e-6)
    assert row["energy_usd"] == pytest.approx(65.053125)
    # the energy column counts the same server draw: 0.5 kW x 1.8 x 0.75 x 1.25 x 1,000 chip-h
    # = 843.75 kWh, so energy_usd = kWh x 0.0771 (it left out the 1.8 before, issue 24)
    assert row["energy_kwh"] == pytest.approx(843.75)
    assert row["energy_usd"] == pytest.approx(row["energy_kwh"] * 0.0771)
    # the other methods keep the accelerators' own draw: 0.5 kW x 0.75 x 1.25 x 1,000 chip-h
    assert run(folder, "cloud").loc["cloud", "energy_kwh"] == pytest.approx(468.75)


def test_acquisition_is_count_times_undepreciated_server_price(folder):
    row = run(folder, "acquisition").loc["acquisition"]
    # median(32,800, 30,000) = 31,400 x 100 GPUs / (1 - 0.19)
    assert row["cost_usd_typical"] == pytest.approx(3876543.21, rel=1e-9)
    # an overridden interconnect share: 31,400 x 100 / (1 - 0.1)
    other = run(folder, "acquisition", interconnect_share=0.1).loc["acquisition"]
    assert other["cost_usd_typical"] == pytest.approx(3488888.89, rel=1e-9)


def test_depreciation_zero_keeps_the_purchase_value(folder):
    row = run(folder, "amortised", depreciation=0).loc["amortised"]
    assert row["hardware_usd_per_gpu"] == pytest.approx(31400.0)


def test_flop_gives_chip_hours_with_the_mfu_range(folder):
    frame = estimator.estimate("TESTCHIP", flop=3.6e18, count=1, method="cloud",
                               date="2024-06-01", profiles=[folder])
    row = frame.iloc[0]
    # 3.6e18 / (1e15 x 0.375) / 3600 = 2.6667 chip-h; MFU 0.65 -> 1.5385, 0.15 -> 6.6667
    assert row["gpu_hours"] == pytest.approx(2.6666667)
    assert (row["gpu_hours_low"], row["gpu_hours_high"]) == pytest.approx((1.5384615, 6.6666667))
    # low price x low chip-hours: 0.83 x 1.5385; high 3.32 x 6.6667
    assert (row["cost_usd_low"], row["cost_usd_high"]) == pytest.approx((1.2769231, 22.133333))
    # Epoch AI's own interval on request: MFU 0.1 -> 10 chip-h
    epoch = estimator.estimate("TESTCHIP", flop=3.6e18, count=1, method="cloud", mfu="0.1:0.65",
                               date="2024-06-01", profiles=[folder]).iloc[0]
    assert epoch["gpu_hours_high"] == pytest.approx(10.0)


def test_development_adds_experiments_and_staff(folder):
    row = run(folder, "cloud", scope="development").loc["cloud"]
    # experiments: 1,660 x (sqrt(1.2 x 4) - 1) = 1,976.88; staff: (1,660 + 1,976.88) x 0.39 /
    # 0.61 = 2,325.22; total 5,962.09 (Epoch AI 1.2x-4x, staff 29-49% of the total)
    assert row["experiments_usd_typical"] == pytest.approx(1976.8778, rel=1e-6)
    assert row["staff_usd_typical"] == pytest.approx(2325.2169, rel=1e-6)
    assert row["total_usd_typical"] == pytest.approx(5962.0947, rel=1e-6)
    # low: 1,660 x 0.5 x 1.2 = 996, / (1 - 0.29)
    assert row["total_usd_low"] == pytest.approx(996 / 0.71)


def test_default_is_todays_rental_calculator(folder):
    plain = estimator.estimate("TESTCHIP", count=100, hours=10, price=2, profiles=[folder])
    assert "method" not in plain
    rental = run(folder, "rental", price=2).loc["rental"]
    assert rental["cost_usd_typical"] == plain["cost_usd_typical"].iloc[0] == 2000.0


def test_unknown_method_and_scope_name_the_choices(folder):
    with pytest.raises(EstimatorError, match="did you mean cloud"):
        run(folder, "clod")
    with pytest.raises(EstimatorError, match="development"):
        run(folder, "cloud", scope="everything")


def test_cli_three_methods_as_json(folder):
    result = CliRunner().invoke(cli, [
        "cost", "--gpu", "TESTCHIP", "--count", "100", "--hours", "10", "--date", "2024-06-01",
        "--method", "cloud,amortised,acquisition", "--profiles", folder, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["method"]: r for r in json.loads(result.stdout)}
    assert records["cloud"]["cost_usd_typical"] == pytest.approx(1660.0)
    assert records["amortised"]["cost_usd_typical"] == pytest.approx(1209.157, rel=1e-6)
    assert records["acquisition"]["cost_usd_typical"] == pytest.approx(3876543.21, rel=1e-9)


def test_cli_bad_method_exits_2(folder):
    result = CliRunner().invoke(cli, ["cost", "--gpu", "TESTCHIP", "--count", "1", "--hours",
                                      "1", "--method", "cheap", "--profiles", folder])
    assert result.exit_code == 2
    assert "unknown method 'cheap'" in result.output
