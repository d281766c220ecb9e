"""Hypothesis properties of the cost models: FX round trip, compute inverse, ownership."""

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import flops as cm
from estimator import fx
from estimator import ownership as om

amounts = st.floats(min_value=1e-2, max_value=1e12, allow_nan=False)
dates = st.dates(min_value=dt.date(2025, 1, 27), max_value=dt.date(2026, 12, 31))
currencies = st.sampled_from(["EUR", "SEK", "DKK", "RON", "CNY", "USD"])


@given(amounts, currencies, dates)
def test_fx_round_trip(amount, currency, on):
    there, _ = fx.from_usd(amount, currency, on)
    back, _ = fx.to_usd(there, currency, on)
    assert np.isclose(back, amount, rtol=1e-12)


@given(st.floats(min_value=1e18, max_value=1e27), st.floats(min_value=50, max_value=5000),
       st.floats(min_value=0.01, max_value=1.0))
def test_compute_forward_then_inverse_returns_mfu(flop, peak, mfu):
    gpu_hours = cm.gpu_hours_from_flop(flop, peak, mfu)
    assert np.isclose(cm.implied_mfu(flop, gpu_hours, peak), mfu, rtol=1e-12)


@settings(max_examples=200)
@given(st.floats(min_value=1000, max_value=100_000), st.floats(min_value=1, max_value=10),
       st.floats(min_value=1, max_value=10), st.floats(min_value=0.05, max_value=1),
       st.floats(min_value=1.01, max_value=3))
def test_ownership_falls_with_lifetime_and_rises_with_price(price, years, more, util, k):
    capex = om.capex_per_gpu_usd(price, 1.6)
    power = om.power_usd_per_gpu_hour(700, 0.08, 1.25)
    base = om.ownership_usd_per_gpu_hour(capex, years, util, power)
    assert om.ownership_usd_per_gpu_hour(capex, years + more, util, power) < base
    dearer = om.capex_per_gpu_usd(price * k, 1.6)
    assert om.ownership_usd_per_gpu_hour(dearer, years, util, power) > base
