"""The price band rule (estimator/prices.py), on a fixture profile with known observations."""

import datetime as dt

import pytest

from estimator.bands import (
    BAND_RULE,
    LEGACY_RULE,
    Band,
    Range,
    RentalObservation,
    derive_band,
    rental_band,
)
from estimator.data.profiles import load_profiles
from estimator.price_quantiles import age_weights, band_values
from estimator.scenarios import load_scenario
from estimator.scenarios.evaluate import input_bands, stage_context
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
    assert {o.provider for o in band.used} == {"CloudA", "CloudB", "CloudC", "CloudE"}
    assert not band.stale
    on = dt.date(2025, 12, 31)
    used = sorted(band.used, key=lambda o: o.provider)
    expected = band_values([o.price_usd_per_gpu_hour for o in used],
                           age_weights([(on - o.date).days for o in used],
                                       BAND_RULE.half_life_days),
                           BAND_RULE.quantile, BAND_RULE.min_half_width)
    assert (band.low, band.typical, band.high) == pytest.approx(expected)
    # the pre-issue-23 rule over the same prices: min / median / max
    old = derive_band(x1.rental, on, tier="all", rule=LEGACY_RULE)
    assert (old.low, old.high) == (2.0, 4.0)
    assert old.typical == pytest.approx((20 / (8.3510 / 1.1736) + 3.0) / 2)


def test_as_of_limits_observations(x1):
    band = x1.band(dt.date(2025, 7, 15))
    # one price, 4.0: the minimum width makes it 4.0 x (1 -/+ 0.35)
    assert (band.low, band.typical, band.high) == pytest.approx((2.6, 4.0, 5.4))
    assert band.thin and band.count == 1
    assert x1.band(dt.date(2021, 1, 1)) is None


def test_stale_fallback_when_nothing_recent(x1):
    band = x1.band(dt.date(2030, 1, 1))
    assert band.stale
    # every provider's last price, none within the window; min / max of the old rule
    old = derive_band(x1.rental, dt.date(2030, 1, 1), rule=LEGACY_RULE)
    assert old.stale and old.high == 9.0 and old.low == 2.0
    assert {o.provider for o in band.used} == {o.provider for o in old.used}


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
    # The window keeps o.date > reference - window days: exactly 730 days before is OUT
    # (the old rule's two years; the min/max rule makes the values easy to read).
    reference = dt.date(2025, 12, 31)
    out = _observation(reference - dt.timedelta(days=730), 9.0)     # 2024-01-01
    inside = _observation(reference - dt.timedelta(days=729), 1.0)  # 2024-01-02
    assert out.date == dt.date(2024, 1, 1) and inside.date == dt.date(2024, 1, 2)
    band = derive_band([out, inside], reference, rule=LEGACY_RULE)
    assert (band.low, band.typical, band.high) == (1.0, 1.0, 1.0)
    assert not band.stale
    # alone, the observation exactly 730 days old is not recent: all candidates, marked stale
    alone = derive_band([out], reference, rule=LEGACY_RULE)
    assert alone.stale and (alone.low, alone.high) == (9.0, 9.0)
    # the observation dated on the reference date itself is in
    today = derive_band([out, _observation(reference, 3.0)], reference, rule=LEGACY_RULE)
    assert (today.low, today.high, today.stale) == (3.0, 3.0, False)
    # one day later than the reference date is not yet observed
    assert derive_band([_observation(reference + dt.timedelta(days=1), 5.0)], reference) is None


def test_band_evidence_says_count_newest_thin_and_stale(x1):
    from estimator.bands import band_evidence

    one = x1.band(dt.date(2025, 7, 15))               # CloudA 4.00 of 2025-07-01 alone
    assert band_evidence(one) == "range from 1 observation (1 provider), newest 2025-07-01; thin"
    assert one.count == 1 and one.newest == dt.date(2025, 7, 1) and one.thin and not one.stale
    old = x1.band(dt.date(2030, 1, 1))                 # every provider's last price, none recent
    assert band_evidence(old).endswith("newest 2025-09-20; stale")
    assert band_evidence(Band.given(2.0)) == "" and band_evidence(None) == ""


def test_prices_command_says_what_a_band_rests_on(run):
    code, _, err = run("prices", "X1", "--tier", "on_demand", "--as-of", "2025-07-15",
                       "--prices", str(USER))
    assert code == 0
    assert ("X1 on_demand band at 2025-07-15: 2.6 / 4 / 5.4 USD per GPU-hour (low / typical "
            "/ high, range from 1 observation (1 provider), newest 2025-07-01; thin)") in err


def test_equal_bands_hash_alike_so_sets_and_dicts_hold_one():
    # issue 24: __eq__ compares fields with NaN equal to NaN; the hash must agree with it
    a, b = Band(1.0, 2.0, 3.0), Band(1.0, 2.0, 3.0)
    assert a == b and hash(a) == hash(b)
    assert len({a, b, Band(1.0, 2.0, 3.0, source="x")}) == 2
    assert {a: "first"}[b] == "first"
    nan_stated = Band(1.0, 2.0, 3.0, float("nan"))
    assert hash(nan_stated) == hash(Band(1.0, 2.0, 3.0, float("nan")))


def test_scenario_inputs_other_than_prices_are_ranges_without_price_fields():
    # issue 24: MFU, PUE, power and grid ranges are Ranges; the price input keeps its Band
    scenario = load_scenario("deepseek-v3-final-run")
    ctx = stage_context(scenario.stages[0], scenario, load_profiles(), 0)
    inputs = input_bands(ctx, scenario)
    assert type(inputs["mfu"]) is Range and type(inputs["pue"]) is Range
    assert type(inputs["carbon_intensity"]) is Range
    assert type(inputs["price"]) is Band
    assert inputs["price"].stated == pytest.approx(2.0)   # DeepSeek's stated $2/GPU-hour


def test_a_band_far_after_its_prices_is_finite_and_stale():
    # fuzz find: at --as-of 2556-10-01 every age weight 0.5 ** (age / 180) underflowed to 0
    # and the band came out NaN (cost printed null, exit 0); weights are relative to the newest
    prices = [_observation(dt.date(2025, 1, day), usd) for day, usd in ((1, 2.0), (2, 3.0),
                                                                          (3, 4.0))]
    near = rental_band(prices, dt.date(2025, 1, 10))
    far = rental_band(prices, dt.date(2556, 10, 1))
    assert far.stale and not near.stale
    assert (far.low, far.typical, far.high) == pytest.approx((near.low, near.typical, near.high))
