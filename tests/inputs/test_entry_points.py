"""Every entry point, CLI, API and scenario files, accepts the same text for the same input
(issue 12 item 3).

Reference numbers: 14 CNY/h at the ECB rates of 2025-01-31 (7.5363 CNY and 1.0393 USD per
EUR: 7.251322 CNY per USD) is 14 / 7.251322 = 1.930682 USD per GPU-hour; "1.5:3" has the
midpoint 2.25 as its typical value.
"""

import pytest

import estimator
from estimator.errors import InputError

CNY_PRICE_USD = 14 / (7.5363 / 1.0393)   # = 1.930682
FX = "2025-01-31"
TIME = dict(count=512, hours=80)
TIME_ARGS = ["--count", "512", "--hours", "80"]


def _api_price(entry, price):
    """The typical USD price per GPU-hour an API entry point used for ``price``."""
    if entry == "estimate":
        frame = estimator.estimate(gpu="H800", **TIME, price=price, fx_date=FX)
    elif entry == "sweep":
        frame = estimator.sweep(gpu="H800", **TIME, price=price, fx_date=FX)
    elif entry == "compute":
        frame = estimator.compute(gpu="H800", params="7B", tokens="1T", price=price, fx_date=FX)
    elif entry == "solve":
        frame = estimator.solve(gpu="H800", **TIME, price=price, fx_date=FX)
        return float(frame["cost_usd"].iloc[0]) / 40960        # 512 x 80 GPU-hours
    else:
        result = estimator.simulate(gpu="H800", **TIME, price=price, fx_date=FX, n=1000, seed=1)
        return float(result.samples["cost_usd"].median()) / 40960
    return float(frame["price_usd_per_gpu_hour_typical"].iloc[0])


ENTRIES = ["estimate", "sweep", "compute", "solve", "simulate"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_api_price_in_another_currency(entry):
    assert _api_price(entry, "14 CNY/h") == pytest.approx(CNY_PRICE_USD, rel=1e-6)


@pytest.mark.parametrize("entry", ["estimate", "sweep", "compute"])
def test_api_price_range(entry):
    assert _api_price(entry, "1.5:3") == pytest.approx(2.25)


CLI = {
    "cost": ["cost", "--gpu", "H800", *TIME_ARGS],
    "sweep": ["sweep", "--gpu", "H800", *TIME_ARGS],
    "compute": ["compute", "--gpu", "H800", "--params", "7B", "--tokens", "1T"],
    "solve": ["solve", "--gpu", "H800", *TIME_ARGS],
}


@pytest.mark.parametrize("command", list(CLI))
def test_cli_price_in_another_currency(run_json, command):
    rows = run_json(*CLI[command], "--price", "14 CNY/h", "--fx-date", FX)
    column = "price_usd_per_gpu_hour" if command == "solve" else "price_usd_per_gpu_hour_typical"
    assert rows[0][column] == pytest.approx(CNY_PRICE_USD, rel=1e-6)


def test_cli_simulate_price_in_another_currency(run_json):
    # was "this input takes USD" before issue 12; a point price gives one cost for every draw
    out = run_json("simulate", "--gpu", "H800", *TIME_ARGS, "--price", "14 CNY/h",
                   "--fx-date", FX, "--samples", "100", "--seed", "1")
    [cost] = [row for row in out["summary"] if row["output"] == "cost_usd"]
    assert cost["p50"] == pytest.approx(40960 * CNY_PRICE_USD, rel=1e-6)   # 79,084.26 USD


@pytest.mark.parametrize("call", [
    lambda: estimator.estimate(gpu="H800", count="256..1024..256", hours=80),
    lambda: estimator.sweep(gpu="H800", count="256..1024..256", hours=80),
    lambda: estimator.compute(gpu="H800", params="7B", tokens="1T", count="256..1024..256"),
    lambda: estimator.solve(gpu="H800", count="256..1024..256", hours=80, price=2),
])
def test_api_range_syntax(call):
    assert call()["count"].tolist() == [256, 512, 768, 1024]


@pytest.mark.parametrize("command", ["cost", "sweep"])
def test_cli_range_syntax(run_json, command):
    rows = run_json(command, "--gpu", "H800", "--count", "256..1024..256", "--hours", "80")
    assert [row["count"] for row in rows] == [256, 512, 768, 1024]


@pytest.mark.parametrize("call", [
    lambda: estimator.estimate(gpu="H800", count="2,048", hours=80),
    lambda: estimator.sweep(gpu="H800", count="2,048", hours=80),
    lambda: estimator.compute(gpu="H800", params="7B", tokens="1T", count="2,048"),
    lambda: estimator.solve(gpu="H800", count="2,048", hours=80, price=2),
    lambda: estimator.simulate(gpu="H800", count="2,048", hours=80, n=10),
])
def test_grouped_number_is_ambiguous_everywhere(call):
    with pytest.raises(InputError, match="ambiguous"):
        call()


@pytest.mark.parametrize("command", ["cost", "sweep", "simulate", "solve"])
def test_cli_grouped_number_is_ambiguous(run, command):
    code, _, err = run(command, "--gpu", "H800", "--count", "2,048", "--hours", "80")
    assert code == 2 and "ambiguous" in err


@pytest.mark.parametrize("call", [
    lambda pue: estimator.estimate(gpu="H800", **TIME, price=2, pue=pue),
    lambda pue: estimator.compute(gpu="H800", params="7B", tokens="1T", price=2, pue=pue),
    lambda pue: estimator.sweep(gpu="H800", **TIME, price=2, pue=pue),
])
def test_pue_is_an_axis(call):
    frame = call("1.1, 1.3")
    assert frame["pue"].tolist() == [1.1, 1.3]
    # energy is proportional to PUE (models/energy.py): 1.3 / 1.1
    ratio = frame["energy_kwh"].iloc[1] / frame["energy_kwh"].iloc[0]
    assert ratio == pytest.approx(1.3 / 1.1)


@pytest.mark.parametrize("command", ["compute", "sweep"])
def test_cli_power_fraction_is_an_axis(run_json, command):
    base = CLI[command]
    rows = run_json(*base, "--price", "2", "--power-fraction", "0.5, 1")
    assert [row["power_fraction"] for row in rows] == [0.5, 1.0]
    assert rows[1]["energy_kwh"] == pytest.approx(2 * rows[0]["energy_kwh"])   # linear in draw


@pytest.mark.parametrize("call", [
    lambda: estimator.estimate(gpu="H800", count=512),
    lambda: estimator.sweep(gpu="H800", count=512),
    lambda: estimator.simulate(gpu="H800", count=512, n=10),
    lambda: estimator.solve(gpu="H800", count=512),
])
def test_one_time_message(call):
    with pytest.raises(InputError, match=r"give count and hours, or gpu_hours .*got count"):
        call()


# Scenario files: the third entry point. Stage and assumption values go through the same
# parser (inputs/request.py parse_quantity / parse_quantity_range) as the CLI and the API.

SCENARIO = """\
id: entry
title: "512 H800 for 80 h"
date: "2025-01-31"
sources:
  - {{outlet: "test", title: "fixture", date: "2025-01-31", language: en}}
claim:
  text: "512 H800 for 80 h"
  quantity: {quantity}
  value: "{value}"
stages:
  - {{name: run, gpu: H800, {stage}}}
assumptions:
  fx_date: "{fx}"
{assumptions}"""


def _scenario_file(tmp_path, stage, quantity="cost", value="79084.26 USD", assumptions=""):
    path = tmp_path / "entry.yaml"
    path.write_text(SCENARIO.format(quantity=quantity, value=value, stage=stage, fx=FX,
                                    assumptions=assumptions), encoding="utf-8")
    return path


def test_scenario_price_in_another_currency(tmp_path):
    path = _scenario_file(tmp_path, 'count: 512, hours: 80, price: "14 CNY/h"')
    [row] = estimator.check([path]).to_dict("records")
    # 512 x 80 = 40,960 GPU-hours at 1.930768 USD = 79,084.26 USD
    assert row["computed_value"] == pytest.approx(40960 * CNY_PRICE_USD, rel=1e-6)


def test_scenario_si_suffix(tmp_path):
    # 40.96K GPU-hours is 512 x 80; at 14 CNY/h the same 79,084.26 USD
    path = _scenario_file(tmp_path, 'gpu_hours: "40.96K", price: "14 CNY/h"')
    [row] = estimator.check([path]).to_dict("records")
    assert row["computed_value"] == pytest.approx(40960 * CNY_PRICE_USD, rel=1e-6)


def test_scenario_range(tmp_path):
    # facility energy = GPU-hours x TDP x power fraction x PUE (models/energy.py): H800 TDP
    # 700 W (hardware_profiles), power fraction pinned at 0.75, PUE "1.1:1.3":
    # 40,960 x 0.7 kW x 0.75 x 1.1 = 23,654.4 kWh and x 1.3 = 27,955.2 kWh
    path = _scenario_file(tmp_path, "count: 512, hours: 80", quantity="energy",
                          value="25 MWh", assumptions='  pue: "1.1:1.3"\n'
                                                      "  power_fraction: {value: 0.75, "
                                                      "range: pinned}\n")
    [row] = estimator.check([path]).to_dict("records")
    assert row["range_low"] == pytest.approx(23654.4)
    assert row["range_high"] == pytest.approx(27955.2)


def test_scenario_grouped_number_is_one_number(tmp_path, run):
    # Issue 22: a stage field takes one value, so "2,048" is 2048 with a thousands separator
    # (it was "ambiguous", which broke files copied from papers: gpu_hours "1,720,320").
    path = _scenario_file(tmp_path, 'count: "2,048", hours: 80, price: 2')
    [row] = estimator.check([path]).to_dict("records")
    assert row["computed_value"] == 2048 * 80 * 2
    code, _, err = run("check", path)
    assert code in (0, 1) and "ambiguous" not in err


def test_scenario_price_range_where_no_range_is_allowed(tmp_path):
    # a stage's stated price is one figure; "1.5:3" is refused with a located error
    path = _scenario_file(tmp_path, 'count: 512, hours: 80, price: "1.5:3"')
    with pytest.raises(InputError, match="price"):
        estimator.check([path])
