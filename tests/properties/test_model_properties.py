"""Hypothesis properties of the cost models: FX round trip, compute inverse, ownership."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.data import fx
from estimator.models import flops as fl
from estimator.models import ownership as om

amounts = st.floats(min_value=1e-2, max_value=1e12, allow_nan=False)
dates = st.dates(min_value=dt.date(2025, 1, 27), max_value=dt.date(2026, 12, 31))
currencies = st.sampled_from(["EUR", "SEK", "DKK", "RON", "CNY", "USD"])


@given(amounts, currencies, dates)
def test_fx_round_trip(amount, currency, on):
    there, _ = fx.from_usd(amount, currency, on)
    back, _ = fx.to_usd(there, currency, on)
    assert np.isclose(back, amount, rtol=1e-12)


def test_fx_one_way_literals():
    # the round trip above cancels a wrong rate; these do not. ECB 2025-01-31: SEK 11.474 and
    # USD 1.0393 per EUR -> 11.474 / 1.0393 = 11.040 SEK per USD; CNY 7.5363 / 1.0393 = 7.251
    on = dt.date(2025, 1, 31)
    assert fx.from_usd(1000.0, "SEK", on)[0] == pytest.approx(11_040, rel=1e-4)
    assert fx.to_usd(11_040.0, "SEK", on)[0] == pytest.approx(1000, rel=1e-4)
    assert fx.from_usd(1000.0, "CNY", on)[0] == pytest.approx(7_251, rel=1e-4)


@given(st.floats(min_value=1e18, max_value=1e27), st.floats(min_value=50, max_value=5000),
       st.floats(min_value=0.01, max_value=1.0))
def test_compute_forward_then_inverse_returns_mfu(flop, peak, mfu):
    gpu_hours = fl.gpu_hours_from_flop(flop, peak, mfu)
    assert np.isclose(fl.implied_mfu(flop, gpu_hours, peak), mfu, rtol=1e-12)


def test_compute_one_way_literals():
    # the inverse above cancels a wrong constant (e.g. 3600 s/h); these do not.
    # 7.2e23 FLOP / (989e12 FLOP/s x 0.4 x 3600 s/h) = 505,561.17 GPU-hours
    assert float(fl.gpu_hours_from_flop(7.2e23, 989, 0.4)) == pytest.approx(505_561.17, abs=0.01)
    # DeepSeek-V3 (arXiv 2412.19437, Table 1: 2.664M H800 GPU-hours of pre-training; 37B
    # active parameters, 14.8T tokens): 6 x 37e9 x 14.8e12 = 3.2856e24 FLOP
    # / (2.664e6 x 3600 x 989e12) = 3.2856e24 / 9.48491e24 = 0.34640
    assert float(fl.implied_mfu(3.2856e24, 2.664e6, 989)) == pytest.approx(0.34640, abs=1e-5)


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
