"""solve(): the missing one of count, hours, price and cost (estimator/solve.py)."""

import pytest

import estimator
from estimator.errors import InputError


def test_hours_from_cost_and_price():
    # $294,000 at $2 per GPU-hour on 512 GPUs: 287 h (the R1 headline taken literally)
    row = estimator.solve(gpu="H800", count=512, cost=294_000, price=2).iloc[0]
    assert row["solved_for"] == "hours"
    assert row["hours"] == pytest.approx(287.1, abs=0.05)


def test_price_from_cost_and_hours():
    row = estimator.solve(gpu="H800", count=512, cost=294_000, hours=80).iloc[0]
    assert row["price_usd_per_gpu_hour"] == pytest.approx(7.18, abs=0.005)
    assert row["price_vs_band"].startswith("above the band high")


def test_count_from_cost_and_hours_uses_the_band():
    row = estimator.solve(gpu="H100", cost="100M", hours=2160).iloc[0]
    assert row["solved_for"] == "count"
    assert row["count_low"] < row["count"] < row["count_high"]
    assert row["count"] == pytest.approx(100e6 / (2160 * row["band_usd_per_gpu_hour_typical"]))


def test_cost_is_estimate():
    row = estimator.solve(gpu="H800", count=512, hours=80, price=2).iloc[0]
    assert row["cost_usd"] == 81_920


@pytest.mark.parametrize("gh, count, hours, price", [(147_000, 512, 287.109375, 2.0)])
def test_solve_inverts_estimate(gh, count, hours, price):
    cost = estimator.estimate(gpu="H800", count=count, hours=hours, price=price)[
        "cost_usd_typical"].iloc[0]
    assert estimator.solve(gpu="H800", count=count, cost=cost, price=price)["hours"].iloc[0] \
        == pytest.approx(hours)


def test_underdetermined():
    with pytest.raises(InputError, match="give all but one"):
        estimator.solve(gpu="H800", cost=1000, count=1, hours=1, price=2)
    with pytest.raises(InputError):
        estimator.solve(gpu="H800", cost="60M SEK", count=512, price=2)


def test_cli_solve(run_json):
    [row] = run_json("solve", "--gpu", "H800", "--count", "512", "--cost", "294000", "--hours",
                     "80")
    assert row["price_usd_per_gpu_hour"] == pytest.approx(7.1777, abs=1e-3)
    [row] = run_json("solve", "--gpu", "H100", "--cost", "100M", "--hours", "2160")
    assert "count" in row and "band_usd_per_gpu_hour_high" in row
