"""simulate(..., method=...): a cost method's price drawn over its range
(calc/cost_methods/simulate_inputs.py)."""

import pytest

import estimator
from estimator.errors import EstimatorError

RUN = dict(gpu="H100", count=1000, hours=100, as_of="2024-06-01", n=20_000, seed=7)


@pytest.mark.parametrize("method", ["cloud", "amortised", "acquisition"])
def test_p50_within_the_deterministic_range(method):
    sim = estimator.simulate(method=method, **RUN)
    [cost] = sim.summary[sim.summary["output"] == "cost_usd"].to_dict("records")
    [row] = estimator.estimate(gpu="H100", count=1000, hours=100, method=method,
                               date="2024-06-01").to_dict("records")
    assert row["cost_usd_low"] < cost["p50"] < row["cost_usd_high"]
    # the lognormal's median is the typical value (0.5x-2x is symmetric on a log scale)
    assert cost["p50"] == pytest.approx(row["cost_usd_typical"], rel=0.03)
    assert cost["method"] == method


def test_cloud_draws_the_price_over_half_to_twice():
    sim = estimator.simulate(method="cloud", **RUN)
    # 90% interval of the price = 0.5x-2x: P95 / P5 of the cost = 4 (GPU-hours fixed)
    [cost] = sim.summary[sim.summary["output"] == "cost_usd"].to_dict("records")
    assert cost["p95"] / cost["p5"] == pytest.approx(4.0, rel=0.05)
    assert cost["tier"] == "commit_3y"
    assert str(sim.inputs["price"]).startswith("lognormal(")


def test_acquisition_scales_with_the_count_not_the_hours():
    short = estimator.simulate(method="acquisition", **{**RUN, "hours": 1})
    long = estimator.simulate(method="acquisition", **RUN)
    assert short.summary["p50"][0] == long.summary["p50"][0]


def test_reproducible_with_a_seed():
    a = estimator.simulate(method="amortised", **RUN)
    b = estimator.simulate(method="amortised", **RUN)
    assert a.samples["cost_usd"].equals(b.samples["cost_usd"])


def test_rental_default_unchanged():
    a = estimator.simulate(**RUN)
    b = estimator.simulate(method="rental", **RUN)
    assert a.samples["cost_usd"].equals(b.samples["cost_usd"])
    assert "method" not in a.summary


@pytest.mark.parametrize("kwargs", [
    {"method": "bogus"},
    {"method": "cloud,amortised"},
    {"method": "cloud", "price": 2},
    {"method": "acquisition", "count": None, "hours": None, "gpu_hours": 1000},
])
def test_bad_method_input(kwargs):
    with pytest.raises(EstimatorError):
        estimator.simulate(**{**RUN, **kwargs})


def test_cli_simulate_method(run):
    code, out, err = run("simulate", "--gpu", "H100", "--count", "100", "--hours", "10",
                         "--method", "cloud", "--date", "2024-06-01", "--seed", "1",
                         "--samples", "1000", "--format", "json")
    assert code == 0, err
    assert '"method": "cloud"' in out
    code, _, err = run("simulate", "--gpu", "H100", "--count", "100", "--hours", "10",
                       "--method", "nope")
    assert code == 2 and "unknown method 'nope'" in err
