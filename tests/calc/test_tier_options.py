"""--tier / --provider-class and the tier / price_date columns (issue 13), with hand-computed
bands from the fixture profile tests/fixtures/profiles/user/acme-x1.yaml."""

from __future__ import annotations

import pytest

import estimator
from estimator.calc.estimate import market_bands
from estimator.errors import EstimatorError
from tests.conftest import FIXTURES

USER = str(FIXTURES / "profiles" / "user")
ON = "2025-09-10"
# acme-x1 on_demand on 2025-09-10: CloudA 4.00 (2025-07-01, 71 days old) and CloudB
# 16.00 / 8 GPUs = 2.00 (2025-08-01, 40 days); CloudF 9.00 (2022-01-01) is older than the
# 365-day window and CloudE (2025-09-20) is after the date. Band rule (estimator.bands):
# weights 0.5 ** (age / 180) = 0.7607 (4.00) and 0.8572 (2.00); Hazen positions 0.2649 (2.00)
# and 0.7649 (4.00); median 2 + (0.5 - 0.2649) / 0.5 x 2 = 2.9404; the 0.1 / 0.9 quantiles
# 2.00 and 4.00 are wider than 2.9404 x (1 -/+ 0.3). Band 2.00 / 2.9404 / 4.00 [USD/GPU-h].
# commit_1y: CloudC 3.00 (2025-09-01) alone: 3.00 x (1 -/+ 0.3) = 2.10 / 3.00 / 3.90.


def _row(**kwargs):
    return estimator.estimate("acme-x1", gpu_hours=1000, as_of=ON, profiles=[USER],
                              **kwargs).iloc[0]


def test_default_tier_is_on_demand_within_the_window():
    row = _row()
    assert (row["cost_usd_low"], row["cost_usd_typical"], row["cost_usd_high"]) == pytest.approx(
        (1911.3, 2940.4, 4000.0), abs=0.1)   # 1000 GPU-h x 2.9404 x 0.65 (the +/-35% minimum
    # width reaches below the lowest price, 2.00) / 2.9404 / 4.00
    assert row["tier"] == "on_demand" and row["price_date"] == ON


def test_one_tier_and_all_tiers():
    row = _row(tier="commit_1y")
    assert (row["cost_usd_low"], row["cost_usd_typical"], row["cost_usd_high"]) == pytest.approx(
        (1950.0, 3000.0, 4050.0))               # 1000 x 3.00 x (1 -/+ 0.35)
    assert row["tier"] == "commit_1y"
    spot = _row(tier="spot")
    assert spot["cost_usd_typical"] == 500.0                                 # 1000 x 0.50


def _rows(**kwargs):
    return estimator.estimate("acme-x1", gpu_hours=1000, as_of=ON, profiles=[USER], **kwargs)


def test_a_tier_list_is_an_axis_and_all_is_every_tier_with_a_band():
    both = _rows(tier="on_demand,commit_1y")
    assert list(both["tier"]) == ["on_demand", "commit_1y"]
    assert list(both["cost_usd_typical"].round(1)) == [2940.4, 3000.0]
    # "all": every tier but spot in which acme-x1 has a band on 2025-09-10 (no commit_3y or
    # marketplace price), one row each, not one pooled band
    every = _rows(tier="all")
    assert list(every["tier"]) == ["on_demand", "commit_1y"]
    assert every.equals(both)
    assert "provider_class" not in every


def test_a_class_list_is_an_axis():
    frame = estimator.estimate("H100", gpu_hours=1000, as_of="2025-06-30",
                               tier="on_demand,commit_3y", provider_class="neocloud,hyperscaler")
    assert list(zip(frame["tier"], frame["provider_class"])) == [
        ("on_demand", "neocloud"), ("commit_3y", "neocloud"),
        ("on_demand", "hyperscaler"), ("commit_3y", "hyperscaler")]
    # each row is that class's band: neocloud on-demand below the hyperscalers' list prices
    one = estimator.estimate("H100", gpu_hours=1000, as_of="2025-06-30",
                             provider_class="hyperscaler")
    assert frame["cost_usd_typical"].iloc[2] == one["cost_usd_typical"].iloc[0]
    assert frame["cost_usd_typical"].iloc[0] < frame["cost_usd_typical"].iloc[2]
    # no class: the band pooled over every class, and no provider_class column
    assert "provider_class" not in estimate_default()


def estimate_default():
    return estimator.estimate("H100", gpu_hours=1000, as_of="2025-06-30")


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
    # acme-x1 has no commit_3y price in any class: no band (the class fallback needs the
    # tier's prices in another class; bands.FALLBACK_ORDER)
    with pytest.raises(EstimatorError, match="no rental price observations.*commit_3y"):
        _row(tier="commit_3y")


def test_a_class_without_observations_falls_back_to_a_derived_band():
    # acme-x1 is priced by neoclouds only: its hyperscaler on_demand band is the neocloud
    # band (1.9113 / 2.9404 / 4.00) times the hyperscaler / other-class ratio of the built-in
    # GPUs at the date (bands.fallback_band, "class" step)
    band = market_bands("acme-x1", as_of=ON, profiles=[USER],
                        provider_class="hyperscaler")["acme-x1"]
    assert band.rule == "derived" and "on_demand neocloud+marketplace+index band" in band.note
    assert 1.2 < band.typical / 2.9404 < 5        # hyperscaler list prices cost more
    row = _row(provider_class="hyperscaler")
    assert row["cost_usd_typical"] == pytest.approx(1000 * band.typical)
    assert row["provider_class"] == "hyperscaler"


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


def test_compute_takes_the_same_axes():
    frame = estimator.compute(gpu="acme-x1", params="1B", tokens="1B", gpu_hours=1000,
                              as_of=ON, profiles=[USER], tier="on_demand,commit_1y")
    assert list(frame["tier"]) == ["on_demand", "commit_1y"]
    assert list(frame["cost_usd_typical"].round(1)) == [2940.4, 3000.0]   # as in estimate()
