"""One formula per quantity: estimate, sweep, simulate and a scenario check agree.

Each entry point reaches the cost and energy formulas (estimator.models.rental,
estimator.models.energy) through its own orchestration; given the same point inputs they must
give the same numbers. A regression here means one entry point has grown its own copy of a
formula (issue 12).
"""

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import estimator
from estimator.scenarios import parse_scenario

gpus = st.sampled_from(["H800", "H100", "A100", "V100"])
counts = st.integers(min_value=1, max_value=50_000)
hours = st.floats(min_value=0.5, max_value=5_000, allow_nan=False)
prices = st.floats(min_value=0.05, max_value=50, allow_nan=False)
pues = st.floats(min_value=1.0, max_value=2.0, allow_nan=False)
fractions = st.floats(min_value=0.2, max_value=1.0, allow_nan=False)


def _scenario(gpu, count, h, price, pue, fraction):
    """An in-memory scenario with one stage and a cost and an energy claim (values arbitrary:
    only the computed values at the stated assumptions are compared)."""
    doc = {
        "id": "agreement", "title": "agreement", "date": "2025-01-31",
        "sources": [{"outlet": "test", "title": "test", "date": "2025-01-31"}],
        "claims": [{"text": "cost", "quantity": "cost", "value": "1 USD"},
                   {"text": "energy", "quantity": "energy", "value": "1 kWh"}],
        "stages": [{"name": "run", "gpu": gpu, "count": count, "hours": h}],
        "assumptions": {"price": price, "pue": pue, "power_fraction": fraction,
                        "as_of": "2026-11-29"},
    }
    return parse_scenario(doc, "<agreement>")


@settings(max_examples=40, deadline=None)
@given(gpus, counts, hours, prices, pues, fractions)
def test_estimate_sweep_simulate_and_check_agree(gpu, count, h, price, pue, fraction):
    kwargs = dict(gpu=gpu, count=count, hours=h, price=price, pue=pue, power_fraction=fraction,
                  as_of=dt.date(2026, 11, 29))
    row = estimator.estimate(**kwargs).iloc[0]
    swept = estimator.sweep(**kwargs).iloc[0]
    simulated = estimator.simulate(**kwargs, n=4, seed=0).samples
    claims = _scenario(gpu, count, h, price, pue, fraction).run().claims
    cost, energy = (c.computed.stated for c in claims)

    expected_cost = count * h * price            # rental.rental_cost_usd, by hand
    tdp = estimator.get_profile(gpu).tdp_w
    expected_kwh = count * h * tdp * fraction * pue / 1000.0   # energy.energy_kwh, by hand
    for value in (row["cost_usd_typical"], swept["cost_usd_typical"], cost,
                  *simulated["cost_usd"]):
        np.testing.assert_allclose(value, expected_cost, rtol=1e-12)
    for value in (row["energy_kwh"], swept["energy_kwh"], energy, *simulated["energy_kwh"]):
        np.testing.assert_allclose(value, expected_kwh, rtol=1e-12)
