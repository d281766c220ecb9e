"""CLI of the cost models: compute, own, convert, --as-of."""

import pytest


def test_compute_json_keys(run_json):
    [row] = run_json("compute", "--params", "37B", "--tokens", "14.8T", "--gpu", "H800",
                     "--gpu-hours", "2.664M", "--count", "2048")
    assert row["mfu"] == pytest.approx(0.346, abs=0.001)
    for key in ("training_flop", "gpu_hours", "wall_clock_hours", "cost_usd_low",
                "cost_usd_typical", "cost_usd_high"):
        assert key in row
    [row] = run_json("compute", "--params", "37B", "--tokens", "14.8T", "--gpu", "H800",
                     "--mfu", "0.3:0.45")
    assert row["gpu_hours_low"] < row["gpu_hours_high"]


def test_compute_warns_on_stderr(run):
    code, out, err = run("compute", "--params", "7B", "--tokens", "1T", "--gpu", "H100",
                         "--mfu", "0.8")
    assert code == 0 and "Warning: MFU above 0.6" in err


def test_compute_fp8_on_a100_exits_2(run):
    code, _, err = run("compute", "--params", "7B", "--tokens", "1T", "--gpu", "A100",
                       "--precision", "fp8")
    assert code == 2 and "no FP8" in err


def test_own_json_keys(run_json):
    [row] = run_json("own", "--gpu", "H100", "--count", "50000", "--lifetime", "4y",
                     "--utilisation", "0.75", "--electricity", "0.08 USD/kWh", "--pue", "1.25",
                     "--purchase-price", "31905", "--price", "2")
    # by hand (Epoch AI, arXiv 2405.21015: server 1.54-1.69 x chip, interconnect 19%):
    # capex = 50,000 x 31,905 x {1 (chips alone), 1.615, 1.69} / {1, 0.81, 0.81}
    assert row["capex_usd_low"] == pytest.approx(1_595_250_000)
    assert row["capex_usd_typical"] == pytest.approx(3_180_652_777.8, rel=1e-9)
    assert row["capex_usd_high"] == pytest.approx(3_328_361_111.1, rel=1e-9)
    # per used hour: capex/GPU / (4 y x 8,766 h x 0.75) + 0.7 kW x 1.25 x 0.08 USD/kWh (0.07)
    assert row["cost_usd_per_gpu_hour_low"] == pytest.approx(31_905 / 26_298 + 0.07, rel=1e-9)
    assert row["cost_usd_per_gpu_hour_typical"] == pytest.approx(2.488931, abs=1e-6)
    assert row["cost_usd_per_gpu_hour_high"] == pytest.approx(2.601266, abs=1e-6)
    # 63,613.06 / (35,064 h x (2 - 0.07) USD/h)
    assert row["breakeven_utilisation"] == pytest.approx(0.939999, abs=1e-6)


def test_convert(run_json):
    [row] = run_json("convert", "5.576M USD", "--to", "SEK", "--on", "2025-01-31")
    assert row["result"] == pytest.approx(5.576e6 * 11.474 / 1.0393)    # ECB SEK, USD per EUR


def test_as_of_builds_band_from_older_observations(run):
    code, out, err = run("cost", "--gpu", "H100", "--gpu-hours", "1000", "--as-of",
                         "2024-06-30", "--format", "json")
    assert code == 0
    assert "band as of 2024-06-30, range from " in err and ", from " in err
    import json

    [row] = json.loads(out)
    [now] = json.loads(run("cost", "--gpu", "H100", "--gpu-hours", "1000",
                           "--format", "json")[1])
    assert row["price_usd_per_gpu_hour_low"] != now["price_usd_per_gpu_hour_low"] or \
        row["price_usd_per_gpu_hour_high"] != now["price_usd_per_gpu_hour_high"]


def test_as_of_before_any_observation_exits_2(run):
    code, _, err = run("cost", "--gpu", "H100", "--gpu-hours", "1000", "--as-of", "2019-01-01")
    assert code == 2 and "no rental price observation on or before 2019-01-01" in err
