"""The price band rule (estimator/prices.py), on a fixture profile with known observations."""

import datetime as dt

import pytest

from estimator.bands import Band, RentalObservation, derive_band
from estimator.data.profiles import load_profiles
from tests.conftest import FIXTURES

USER = FIXTURES / "profiles" / "user"


@pytest.fixture
def x1():
    return load_profiles([USER]).get("X1")


def test_instance_price_is_divided_and_cny_converted(x1):
    per_gpu = {o.provider: o.price_usd_per_gpu_hour for o in x1.rental}
    assert per_gpu["CloudB"] == 2.0
    # 20 CNY at the 2025-09-19 ECB cross rate: 8.3510 CNY per EUR / 1.1736 USD per EUR
    # = 7.116 CNY per USD (ECB euro foreign exchange reference rates,
    # https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/)
    assert per_gpu["CloudE"] == pytest.approx(20 / (8.3510 / 1.1736))


def test_band_of_all_tiers_leaves_spot_and_assumptions_out(x1):
    band = x1.band(dt.date(2025, 12, 31), tier="all")
    # on-demand 4.0, 2.0, 2.81 (CNY); 1-yr 3.0; spot, assumption and the 2022 price left out
    assert band.low == 2.0
    assert band.high == 4.0
    assert band.typical == pytest.approx((20 / (8.3510 / 1.1736) + 3.0) / 2)
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
        Band(3, 2, 4, rule="given")
    assert derive_band([], dt.date(2025, 1, 1)) is None


def _observation(date: dt.date, usd: float) -> RentalObservation:
    return RentalObservation(provider=f"P{usd:g}", tier="on_demand",
                             provider_class="neocloud", price_per_gpu_hour=usd,
                             currency="USD", date=date, source="test", as_of=date,
                             confidence="test", price_usd_per_gpu_hour=usd)


def test_window_edge_730_days_before_is_out_729_is_in():
    # README "Price bands": observations within two years (WINDOW_DAYS = 730) of the reference
    # date. prices._band keeps o.date > reference - 730 days: exactly 730 days before is OUT.
    reference = dt.date(2025, 12, 31)
    out = _observation(reference - dt.timedelta(days=730), 9.0)     # 2024-01-01
    inside = _observation(reference - dt.timedelta(days=729), 1.0)  # 2024-01-02
    assert out.date == dt.date(2024, 1, 1) and inside.date == dt.date(2024, 1, 2)
    band = derive_band([out, inside], reference)
    assert (band.low, band.typical, band.high) == (1.0, 1.0, 1.0)
    assert not band.stale
    # alone, the observation exactly 730 days old is not recent: all candidates, marked stale
    alone = derive_band([out], reference)
    assert alone.stale and (alone.low, alone.high) == (9.0, 9.0)
    # the observation dated on the reference date itself is in
    today = derive_band([out, _observation(reference, 3.0)], reference)
    assert (today.low, today.high, today.stale) == (3.0, 3.0, False)
    # one day later than the reference date is not yet observed
    assert derive_band([_observation(reference + dt.timedelta(days=1), 5.0)], reference) is None


def test_equal_bands_hash_alike_so_sets_and_dicts_hold_one():
    # issue 24: __eq__ compares fields with NaN equal to NaN; the hash must agree with it
    a, b = Band(1.0, 2.0, 3.0), Band(1.0, 2.0, 3.0)
    assert a == b and hash(a) == hash(b)
    assert len({a, b, Band(1.0, 2.0, 3.0, source="x")}) == 2
    assert {a: "first"}[b] == "first"
    nan_stated = Band(1.0, 2.0, 3.0, float("nan"))
    assert hash(nan_stated) == hash(Band(1.0, 2.0, 3.0, float("nan")))
