"""Hypothesis: a claim built from estimate() at its stated assumptions is reproduced; one far
outside the computed range is inconsistent; solve inverts estimate."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import estimator
from estimator.scenarios.evaluate import run_scenario
from estimator.scenarios.model import Claim, Scenario, Stage

SOURCE = ({"outlet": "t", "title": "t", "date": dt.date(2026, 6, 1), "role": "article"},)
"""A scenario is priced at its own date (the source's, here): 2026-06-01, when every GPU below
has rental observations (MI300X's start 2026-05-01)."""
gpus = st.sampled_from(["H800", "H100", "A100", "H200", "MI300X", "TPU v5e"])
counts = st.integers(min_value=1, max_value=50_000)
hours = st.floats(min_value=1, max_value=5_000)
prices = st.floats(min_value=0.1, max_value=50)


def scenario(gpu, count, h, price, value, currency="USD"):
    claim = Claim("c", "cost", value, currency, "approx", 0.05, None, "final-run", None)
    stage = Stage(name="s", gpu=gpu, count=count, hours=h)
    return Scenario("p", "p", SOURCE, (claim,), (stage,), {"price": price})


@settings(max_examples=50, deadline=None)
@given(gpus, counts, hours, prices)
def test_claim_from_estimate_is_reproduced(gpu, count, h, price):
    cost = estimator.estimate(gpu=gpu, count=count, hours=h, price=price, as_of="2026-06-01")[
        "cost_usd_typical"].iloc[0]
    [result] = run_scenario(scenario(gpu, count, h, price, cost)).claims
    assert result.verdict == "reproduced"
    assert abs(result.implied["price_usd_per_gpu_hour"] / price - 1) < 1e-9


@settings(max_examples=50, deadline=None)
@given(gpus, counts, hours, prices, st.floats(min_value=3, max_value=1000),
       st.booleans())
def test_claim_far_outside_the_range_is_inconsistent(gpu, count, h, price, k, above):
    frame = estimator.estimate(gpu=gpu, count=count, hours=h, as_of="2026-06-01")
    low, high = frame["cost_usd_low"].iloc[0], frame["cost_usd_high"].iloc[0]
    stated = count * h * price
    value = max(high, stated) * k if above else min(low, stated) / k
    [result] = run_scenario(scenario(gpu, count, h, price, value)).claims
    assert result.verdict == "inconsistent"


@settings(max_examples=50, deadline=None)
@given(gpus, counts, hours, prices)
def test_solve_inverts_estimate(gpu, count, h, price):
    cost = estimator.estimate(gpu=gpu, count=count, hours=h, price=price, as_of="2026-06-01")[
        "cost_usd_typical"].iloc[0]
    assert abs(estimator.solve(gpu=gpu, count=count, cost=cost, price=price)["hours"].iloc[0]
               / h - 1) < 1e-9
    assert abs(estimator.solve(gpu=gpu, count=count, cost=cost, hours=h)[
        "price_usd_per_gpu_hour"].iloc[0] / price - 1) < 1e-9
    assert abs(estimator.solve(gpu=gpu, cost=cost, hours=h, price=price)["count"].iloc[0]
               / count - 1) < 1e-9
