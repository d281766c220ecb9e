"""Weighted quantiles and band values (estimator/price_quantiles.py), by hand and as
properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.price_quantiles import age_weights, band_values, weighted_quantile


def test_equal_weights_median_is_the_ordinary_median():
    assert float(weighted_quantile([3.0, 1.0, 2.0], [1, 1, 1], 0.5)) == 2.0
    assert float(weighted_quantile([1.0, 2.0, 3.0, 10.0], [1, 1, 1, 1], 0.5)) == 2.5


def test_hazen_quantile_by_hand():
    # four equal weights: positions 0.125, 0.375, 0.625, 0.875 (Hyndman & Fan definition 5);
    # q = 0.1 is below the first position -> the minimum; q = 0.25 halfway 1..2 -> 1.5
    values = [1.0, 2.0, 3.0, 10.0]
    assert weighted_quantile(values, [1] * 4, [0.1, 0.25, 0.9]) == pytest.approx([1, 1.5, 10])
    # weights 3, 1: positions 0.375 and 0.875; median = 1 + (0.5 - 0.375) / 0.5 x (5 - 1) = 2
    assert float(weighted_quantile([1.0, 5.0], [3, 1], 0.5)) == pytest.approx(2.0)


def test_age_weights_halve_every_half_life():
    assert age_weights([0, 180, 360], 180) == pytest.approx([1, 0.5, 0.25])
    assert age_weights([0, 999], None) == pytest.approx([1, 1])


def test_minimum_width_widens_one_price_and_leaves_a_wide_band():
    assert band_values([4.0], [1.0], 0.1, 0.3) == pytest.approx((2.8, 4.0, 5.2))
    # 2, 3, 12: 0.1/0.9 quantiles at Hazen positions 1/6, 1/2, 5/6 -> 2 and 12, already wider
    assert band_values([2.0, 3.0, 12.0], [1, 1, 1], 0.1, 0.3) == pytest.approx((2.0, 3.0, 12.0))
    assert band_values([2.0, 3.0, 12.0], [1, 1, 1], 0.0, 0.0) == pytest.approx((2.0, 3.0, 12.0))


prices = st.lists(st.floats(0.05, 100.0), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(prices, st.floats(0.0, 0.49), st.floats(0.0, 0.9), st.integers(0, 2000))
def test_band_is_ordered_and_inside_the_price_range_widened(values, q, width, age):
    weights = age_weights(np.arange(len(values)) * age / max(len(values), 1), 180)
    low, typical, high = band_values(values, weights, q, width)
    assert low <= typical <= high
    assert min(values) * (1 - width) - 1e-9 <= low and high <= max(values) * (1 + width) + 1e-9
    assert high - low >= 2 * width * typical - 1e-9
