"""Hypothesis properties of the rental calculator and unit parsing."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import estimator
from estimator.inputs import units
from estimator.models import rental

counts = st.integers(min_value=1, max_value=100_000)
hours = st.floats(min_value=0.1, max_value=20_000, allow_nan=False)
prices = st.floats(min_value=0.01, max_value=100, allow_nan=False)
factor = st.floats(min_value=1.001, max_value=10)


@settings(max_examples=60, deadline=None)
@given(counts, hours, prices, factor)
def test_cost_is_monotone_in_count_hours_and_price(count, h, price, k):
    base = estimator.estimate(gpu="H800", count=count, hours=h, price=price)
    more_count = estimator.estimate(gpu="H800", count=int(count * k) + 1, hours=h, price=price)
    more_hours = estimator.estimate(gpu="H800", count=count, hours=h * k, price=price)
    more_price = estimator.estimate(gpu="H800", count=count, hours=h, price=price * k)
    c = base["cost_usd_typical"].iloc[0]
    assert more_count["cost_usd_typical"].iloc[0] > c
    assert more_hours["cost_usd_typical"].iloc[0] > c
    assert more_price["cost_usd_typical"].iloc[0] > c


@settings(max_examples=40, deadline=None)
@given(st.lists(counts, min_size=1, max_size=5), st.lists(hours, min_size=1, max_size=5),
       st.sampled_from(["H800", "H100", "A100", "A100 40GB", "H100 PCIe"]))
def test_band_ordered_and_gpu_hours_round_trip(cs, hs, gpu):
    frame = estimator.estimate(gpu=gpu, count=cs, hours=hs)
    assert len(frame) == len(cs) * len(hs)
    assert (frame["cost_usd_low"] <= frame["cost_usd_typical"]).all()
    assert (frame["cost_usd_typical"] <= frame["cost_usd_high"]).all()
    back = rental.wall_clock_hours(frame["gpu_hours"], frame["count"])
    np.testing.assert_allclose(back, frame["hours"], rtol=1e-12)


@given(st.floats(min_value=1e-3, max_value=1e20, allow_nan=False),
       st.sampled_from([("", 1), ("K", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12)]))
def test_si_suffix_parsing_round_trips(number, suffix_scale):
    # literal SI scales (not units.SUFFIXES, the table under test): K 1e3, M 1e6, B 1e9, T 1e12
    suffix, scale = suffix_scale
    text = f"{number!r}{suffix}"
    assert units.parse(text, "number").value == number * scale


@given(st.floats(min_value=1e-3, max_value=1e4, allow_nan=False),
       st.sampled_from([("h", 1), ("min", 1 / 60), ("days", 24), ("weeks", 168)]))
def test_time_units_round_trip(value, unit):
    name, hours_per_unit = unit
    parsed = units.parse(f"{value!r} {name}", "hours").value
    assert np.isclose(parsed / hours_per_unit, value, rtol=1e-12)


@given(st.floats(min_value=1, max_value=1e15, allow_nan=False))
def test_format_si_parses_back(number):
    text = units.format_si(number, digits=12)
    assert np.isclose(units.parse(text, "number").value, number, rtol=1e-9)
