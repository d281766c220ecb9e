"""--tier / --provider-class and the tier / price_date columns (issue 13), with hand-computed
bands from the fixture profile tests/fixtures/profiles/user/acme-x1.yaml."""

from __future__ import annotations

import pytest

import estimator
from estimator.errors import EstimatorError
from tests.conftest import FIXTURES

USER = str(FIXTURES / "profiles" / "user")
ON = "2025-09-10"
# acme-x1 on_demand on 2025-09-10: CloudA 4.00 (2025-07-01) and CloudB 16.00 / 8 GPUs = 2.00
# (2025-08-01); CloudF 9.00 (2022-01-01) is older than the 730-day window and CloudE
# (2025-09-20) is after the date. Band: low 2.00, median 3.00, high 4.00 [USD/GPU-h].
# commit_1y: CloudC 3.00 (2025-09-01) alone.


def _row(**kwargs):
    return estimator.estimate("acme-x1", gpu_hours=1000, as_of=ON, profiles=[USER],
                              **kwargs).iloc[0]


def test_default_tier_is_on_demand_within_the_window():
    row = _row()
    assert (row["cost_usd_low"], row["cost_usd_typical"], row["cost_usd_high"]) == (
        2000.0, 3000.0, 4000.0)                 # 1000 GPU-h x 2.00 / 3.00 / 4.00
    assert row["tier"] == "on_demand" and row["price_date"] == ON


def test_one_tier_and_all_tiers():
    row = _row(tier="commit_1y")
    assert (row["cost_usd_low"], row["cost_usd_high"]) == (3000.0, 3000.0)   # 1000 x 3.00
    assert row["tier"] == "commit_1y"
    every = _row(tier="all")
    # on_demand 4.00, 2.00 and commit_1y 3.00 (spot 0.50 left out by "all"): 2 / 3 / 4
    assert (every["cost_usd_low"], every["cost_usd_typical"], every["cost_usd_high"]) == (
        2000.0, 3000.0, 4000.0)
    assert every["tier"] == "on_demand,commit_1y,commit_3y,marketplace"
    spot = _row(tier="spot")
    assert spot["cost_usd_typical"] == 500.0                                 # 1000 x 0.50


def test_a_given_price_is_tier_given_at_the_pricing_date():
    row = _row(price=2.5)
    assert row["tier"] == "given" and row["price_date"] == ON


def test_unknown_tier_and_class_name_the_choices():
    with pytest.raises(EstimatorError, match="unknown tier 'reserved'.*commit_1y") as info:
        _row(tier="reserved")
    assert info.value.key == "tier"
    with pytest.raises(EstimatorError, match="unknown provider class 'cloud'.*neocloud"):
        _row(provider_class="cloud")


def test_a_tier_without_observations_is_a_located_error():
    with pytest.raises(EstimatorError, match="no rental price observations.*commit_3y"):
        _row(tier="commit_3y")


@pytest.mark.parametrize("name", ["compute", "solve", "sweep", "own"])
def test_every_money_api_takes_tier(name):
    calls = {
        "compute": lambda: estimator.compute("acme-x1", flop=3.6e18, mfu=1.0, as_of=ON,
                                             profiles=[USER], tier="commit_1y"),
        "solve": lambda: estimator.solve("acme-x1", count=10, hours=100, as_of=ON,
                                         profiles=[USER], tier="commit_1y"),
        "sweep": lambda: estimator.sweep("acme-x1", count="10", hours=100, as_of=ON,
                                         profiles=[USER], tier="commit_1y"),
        "own": lambda: estimator.own("acme-x1", count=1, as_of=ON, profiles=[USER],
                                     tier="commit_1y"),
    }
    row = calls[name]().iloc[0]
    assert row["tier"] == "commit_1y" and row["price_date"] == ON
    price = {"own": "rental_usd_per_gpu_hour_typical", "solve": "price_usd_per_gpu_hour"}.get(
        name, "price_usd_per_gpu_hour_typical")
    assert row[price] == 3.0                    # CloudC's commit_1y 3.00


def test_simulate_summary_names_tier_and_date():
    sim = estimator.simulate("acme-x1", gpu_hours=1000, as_of=ON, profiles=[USER],
                             tier="commit_1y", n=100, seed=1)
    assert set(sim.summary["tier"]) == {"commit_1y"} and set(sim.summary["price_date"]) == {ON}


def test_cli_tier_and_provider_class(run_json, run):
    [row] = run_json("cost", "--gpu", "acme-x1", "--gpu-hours", "1000", "--as-of", ON,
                     "--profiles", USER, "--tier", "commit_1y")
    assert row["cost_usd_typical"] == 3000.0 and row["tier"] == "commit_1y"
    code, _, err = run("solve", "--gpu", "acme-x1", "--count", "1", "--hours", "1",
                       "--profiles", USER, "--tier", "reservd")
    assert code == 2 and "tier: unknown tier 'reservd'" in err
    code, _, err = run("sweep", "--gpu", "acme-x1", "--count", "1", "--hours", "1",
                       "--profiles", USER, "--provider-class", "clod")
    assert code == 2 and "unknown provider class 'clod'" in err
