"""The price band rule (estimator/prices.py), on a fixture profile with known observations."""

import datetime as dt

import pytest

from estimator.prices import PriceBand, derive_band
from estimator.profiles import load_profiles

from .conftest import FIXTURES

USER = FIXTURES / "profiles" / "user"


@pytest.fixture
def x1():
    return load_profiles([USER]).get("X1")


def test_instance_price_is_divided_and_cny_converted(x1):
    per_gpu = {o.provider: o.price_usd_per_gpu_hour for o in x1.rental}
    assert per_gpu["CloudB"] == 2.0
    # 20 CNY at the 2025-09-19 ECB cross rate of 7.116 CNY per USD (facts.md)
    assert per_gpu["CloudE"] == pytest.approx(20 / 7.116)


def test_band_uses_on_demand_reserved_and_market_only(x1):
    band = x1.band(dt.date(2025, 12, 31))
    # on-demand 4.0, 2.0, 2.81 (CNY); 1-yr 3.0; spot, assumption and the 2022 price left out
    assert band.low == 2.0
    assert band.high == 4.0
    assert band.typical == pytest.approx((20 / 7.116 + 3.0) / 2)
    assert {o.provider for o in band.used} == {"CloudA", "CloudB", "CloudC", "CloudE"}
    assert not band.stale


def test_as_of_limits_observations(x1):
    band = x1.band(dt.date(2025, 7, 15))
    assert (band.low, band.typical, band.high) == (4.0, 4.0, 4.0)
    assert x1.band(dt.date(2021, 1, 1)) is None


def test_stale_fallback_when_nothing_recent(x1):
    band = x1.band(dt.date(2030, 1, 1))
    assert band.stale
    assert band.high == 9.0 and band.low == 2.0


def test_band_must_be_ordered():
    with pytest.raises(ValueError):
        PriceBand(3, 2, 4, rule="given")
    assert derive_band([], dt.date(2025, 1, 1)) is None
