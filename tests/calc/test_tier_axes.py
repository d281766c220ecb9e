"""Comma lists of tiers and provider classes are axes in sweep, solve and simulate (issue 23
item 4), as in cost: one row per tier / class, each priced at its own band. Hand figures from
the fixture profile tests/fixtures/profiles/user/acme-x1.yaml (tests/calc/test_tier_options.py):
on_demand 1.9113 / 2.9404 / 4.00 and commit_1y 1.95 / 3.00 / 4.05 USD per GPU-hour on
2025-09-10."""

from __future__ import annotations

import pytest

import estimator
from tests.conftest import FIXTURES

USER = str(FIXTURES / "profiles" / "user")
ON = "2025-09-10"
TYPICAL = {"on_demand": 2.9404, "commit_1y": 3.00}


def test_sweep_gives_one_row_per_tier():
    frame = estimator.sweep("acme-x1", count="10,20", hours=100, as_of=ON, profiles=[USER],
                            tier="on_demand,commit_1y")
    assert list(frame["tier"].astype(str)) == ["on_demand", "on_demand", "commit_1y",
                                               "commit_1y"]
    assert list(frame["count"]) == [10, 20, 10, 20]
    assert list(frame["cost_usd_typical"].round(1)) == [2940.4, 5880.8, 3000.0, 6000.0]
    assert list(frame["gpu"].astype(str)) == ["acme-x1"] * 4
    every = estimator.sweep("acme-x1", count="10,20", hours=100, as_of=ON, profiles=[USER],
                            tier="all")         # every tier with a band: the same two
    assert every.equals(frame)


def test_sweep_and_cost_agree_per_gpu_class_and_tier():
    kinds = {"tier": "on_demand,commit_3y", "provider_class": "neocloud,hyperscaler"}
    swept = estimator.sweep("H100,A100", count=8, hours=10, as_of="2025-06-01", **kinds)
    costed = estimator.estimate("H100,A100", count=8, hours=10, as_of="2025-06-01", **kinds)
    assert len(swept) == 8
    assert list(swept["gpu"].astype(str)) == list(costed["gpu"])
    assert list(swept["tier"].astype(str)) == list(costed["tier"])
    assert list(swept["provider_class"].astype(str)) == list(costed["provider_class"])
    for name in ("low", "typical", "high"):
        assert swept[f"cost_usd_{name}"].to_numpy() == pytest.approx(
            costed[f"cost_usd_{name}"].to_numpy())


def test_solve_gives_one_row_per_tier():
    cost = estimator.solve("acme-x1", count=10, hours=100, as_of=ON, profiles=[USER],
                           tier="on_demand,commit_1y")
    assert list(cost["tier"]) == ["on_demand", "commit_1y"]
    assert list(cost["cost_usd"].round(1)) == [2940.4, 3000.0]
    price = estimator.solve("acme-x1", count=10, hours=100, cost=3500, as_of=ON,
                            profiles=[USER], tier="on_demand,commit_1y")
    assert list(price["price_usd_per_gpu_hour"]) == [3.5, 3.5]
    assert list(price["band_usd_per_gpu_hour_typical"].round(4)) == [2.9404, 3.0]
    assert list(price["band_usd_per_gpu_hour_high"].round(2)) == [4.0, 4.05]
    assert list(price["price_vs_band"].str.startswith("within")) == [True, True]


def test_simulate_stacks_one_simulation_per_tier():
    sim = estimator.simulate("acme-x1", count=10, hours=100, n=20_000, seed=3, as_of=ON,
                             profiles=[USER], tier="on_demand,commit_1y")
    cost = sim.summary[sim.summary["output"] == "cost_usd"].set_index("tier")
    assert list(cost.index) == ["on_demand", "commit_1y"]
    # the price is lognormal with the band as its 90 % interval: p5 / p95 = 1000 GPU-h x low /
    # high (within sampling error of 20,000 draws)
    assert cost.loc["on_demand", "p5"] == pytest.approx(1911.3, rel=0.03)
    assert cost.loc["on_demand", "p95"] == pytest.approx(4000.0, rel=0.03)
    assert cost.loc["commit_1y", "p5"] == pytest.approx(1950.0, rel=0.03)
    assert cost.loc["commit_1y", "p95"] == pytest.approx(4050.0, rel=0.03)
    assert set(sim.inputs) == {"on_demand", "commit_1y"}
    assert len(sim.samples) == 40_000 and set(sim.samples["tier"]) == set(TYPICAL)
    single = estimator.simulate("acme-x1", count=10, hours=100, n=20_000, seed=3, as_of=ON,
                                profiles=[USER], tier="commit_1y")
    assert single.summary["p50"].tolist() == sim.summary[
        sim.summary["tier"] == "commit_1y"]["p50"].tolist()


def test_plan_plans_each_gpu_once_per_tier():
    frame = estimator.plan(params="7B", tokens="100B", gpu="acme-x1", as_of=ON,
                           profiles=[USER], tier="on_demand,commit_1y", count=[64, 128])
    assert {"tier", "provider_class"} <= set(frame.columns)
    assert set(frame["tier"]) == set(TYPICAL) and set(frame["provider_class"]) == {"all"}
    for tier, typical in TYPICAL.items():      # cost = GPU-hours x the tier's typical price
        rows = frame[frame["tier"] == tier]
        assert rows["cost_usd_typical"].to_numpy() == pytest.approx(
            rows["gpu_hours"].to_numpy() * typical, rel=1e-4)
    best = frame.attrs["best_per_gpu"]
    assert list(best.index) == ["acme-x1 on_demand all", "acme-x1 commit_1y all"]
    # the same layout at both tiers: costs in the ratio of the typical prices
    assert best["count"].nunique() == 1
    assert best["cost_usd_typical"].iloc[1] / best["cost_usd_typical"].iloc[0] == \
        pytest.approx(3.00 / 2.9404, rel=1e-4)
    assert frame.attrs["gpus_searched"] == list(best.index)
    one = estimator.plan(params="7B", tokens="100B", gpu="acme-x1", as_of=ON, profiles=[USER],
                         count=[64, 128])                 # the default: no tier columns
    assert "tier" not in one.columns and list(one.attrs["best_per_gpu"].index) == ["acme-x1"]


def test_sweep_chunks_carry_each_rows_tier_and_class():
    import pandas as pd

    from estimator.calc.sweep import chunk_frame, chunks, sweep_grid
    grid = sweep_grid("H100,A100", "8, 16, 24", 10, as_of="2025-06-01",
                      tier="on_demand,commit_3y", provider_class="neocloud,hyperscaler")
    whole = chunk_frame(grid, 0, grid.rows)
    parts = pd.concat([chunk_frame(grid, a, b) for a, b in chunks(grid, 5)], ignore_index=True)
    assert len(whole) == 24 and parts.equals(whole)       # 2 GPUs x 2 classes x 2 tiers x 3
    assert list(whole["tier"].cat.categories) == ["on_demand", "commit_3y"]
    assert whole.groupby(["gpu", "provider_class", "tier"], observed=True).size().eq(3).all()


def test_solve_with_a_given_price_compares_it_with_each_tiers_band():
    frame = estimator.solve("acme-x1", count=10, cost=3950, price=3.95, as_of=ON,
                            profiles=[USER], tier="on_demand,commit_1y")
    assert list(frame["band_tier"]) == ["on_demand", "commit_1y"]
    assert list(frame["tier"]) == ["given", "given"] and list(frame["hours"]) == [100, 100]
    # 3.95 is within on_demand's 1.91-4.00 and commit_1y's 1.95-4.05, near both high ends
    assert list(frame["band_usd_per_gpu_hour_high"].round(2)) == [4.0, 4.05]
    assert frame["price_vs_band"].str.startswith("within").all()
    one = estimator.solve("acme-x1", count=10, cost=3950, price=3.95, as_of=ON,
                          profiles=[USER])
    assert "band_tier" not in one and len(one) == 1
