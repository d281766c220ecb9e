"""Scenarios are priced at their own date, in their own tier and provider class, never at
today's (issue 13); one clock (estimator/clock.py) for everything that asks for today."""

import datetime as dt
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from estimator import clock
from estimator.data.profiles import load_profiles
from estimator.scenarios import check, load_scenario

H800_FACTOR = 0.866   # hardware_profiles/nvidia-h800-sxm5-80gb.yaml: CR8DL 3.42 / 3.95


def test_h800_band_is_h100_neocloud_band_times_factor():
    # H100 SXM neocloud on-demand prices within the 365-day window on 2025-09-19 (the
    # profile's rows, each provider's latest): DataCrunch 1.77 (2025-08-08), Nebius 2.95
    # (2025-07-25), Hyperstack 2.40 (2025-07-24), Lambda 2.99 (2025-07-20), DigitalOcean 2.99
    # (2025-07-07), Crusoe 3.90 (2025-05-29), FluidStack 3.19 (2025-04-25), RunPod 2.99
    # (2025-04-24), Cudo 2.45, Oblivus 2.94 and CR8DL 3.95 (2025-03-03), their weights halved
    # every 180 days; NovoNimbus's 4.78 of 2024-02 is older than a year and AWS/Google/Oracle
    # (hyperscaler) are another class. The H800 band is that H100 band x 0.866.
    band = load_profiles().get("H800").band(dt.date(2025, 9, 19))
    h100 = load_profiles().get("H100").band(dt.date(2025, 9, 19), provider_class="neocloud")
    assert band.rule == "derived"
    assert {round(o.price_usd_per_gpu_hour, 2) for o in band.used} == {
        1.77, 2.40, 2.45, 2.94, 2.95, 2.99, 3.19, 3.90, 3.95}
    assert band.values() == pytest.approx(h100.values() * H800_FACTOR)
    # typical: the weighted median, between Nebius's 2.95 and the 2.99 of Lambda, DigitalOcean
    # and RunPod
    assert 2.95 * H800_FACTOR < band.typical < 2.99 * H800_FACTOR
    # the 0.1 / 0.9 quantiles lie inside the minimum width (+/-35%), which sets both ends
    assert band.low == pytest.approx(band.typical * 0.65)
    assert band.high == pytest.approx(band.typical * 1.35)
    assert band.low > 1.77 * H800_FACTOR and band.high > 3.95 * H800_FACTOR
    assert "neocloud" in band.note


def test_h800_has_no_hyperscaler_band():
    assert load_profiles().get("H800").band(dt.date(2025, 9, 19), "on_demand",
                                            "hyperscaler") is None


def test_r1_headline_priced_at_its_publication_date():
    # 512 x 80 h = 40,960 GPU-hours x the H800 band on 2025-09-19 (above): high at most
    # 40,960 x 4.78 x 0.866 = 169,555 USD. $294,000 is above the high end: inconsistent.
    result = load_scenario("deepseek-r1-headline-512xh800-80h").run()
    claim = result.claims[0]
    band = load_profiles().get("H800").band(dt.date(2025, 9, 19))
    assert claim.computed.low == pytest.approx(40_960 * band.low)
    assert claim.computed.high == pytest.approx(40_960 * band.high)
    assert claim.computed.high <= 40_960 * 4.78 * H800_FACTOR + 1e-6
    assert claim.verdict == "inconsistent"


def test_gpt3_priced_at_2020_v100_on_demand_prices():
    # V100 on-demand on 2020-05-28: AWS p3dn 3.90 (2019-08-05), Azure ND40rs v2 2.75
    # (2020-03-09); 10,000 GPUs x 14.8 d x 24 h = 3,552,000 GPU-hours.
    result = load_scenario("gpt3-175b-2020").run()
    band = result.stages[0].price_band
    assert sorted(o.price_usd_per_gpu_hour for o in band.used) == [2.75, 3.9]
    # the band rule by hand: tests/test_tiers.py, test_no_band_value_is_nan_...
    # two prices: the weighted median 3.097; the minimum width +/-35% sets both ends
    typical = 3.097
    assert (band.low, band.typical, band.high) == pytest.approx(
        (typical * 0.65, typical, typical * 1.35), abs=2e-3)
    assert band.reference_date == dt.date(2020, 5, 28)


def test_stage_start_date_wins_over_publication_date():
    s = load_scenario("gpt3-175b-2020")
    early = replace(s.stages[0], start=dt.date(2019, 9, 1))
    s2 = replace(s, stages=(early,) + s.stages[1:])
    assert s2.price_date(early) == dt.date(2019, 9, 1)
    # on 2019-09-01 only AWS's 3.90 (2019-08-05) is on or before the date: one price,
    # widened to 3.90 x (1 -/+ 0.35) by the minimum width, and thin
    band = s2.run().stages[0].price_band
    assert (band.low, band.typical, band.high) == pytest.approx((2.535, 3.9, 5.265))
    assert band.thin


def test_as_of_reprices_deliberately():
    frame = check(["deepseek-r1-headline-512xh800-80h"], as_of="2024-12-26")
    # H100 SXM neocloud on 2024-12-26, 365-day window, each provider's latest price (NovoNimbus
    # 4.78, CoreWeave 4.76, FluidStack 3.75, Oblivus 3.45, CR8DL 3.95, Hyperstack 3.00, RunPod
    # 2.99, DigitalOcean 2.99, DataCrunch 2.65, Nebius 2.95, Lambda 3.29), x 0.866 x 40,960:
    # repriced at that date, not at 2025-09-19
    h100 = load_profiles().get("H100").band(dt.date(2024, 12, 26), provider_class="neocloud")
    assert h100.provider_count == 11
    assert frame["range_low"].iloc[0] == pytest.approx(40_960 * h100.low * H800_FACTOR)
    assert frame["range_high"].iloc[0] == pytest.approx(40_960 * h100.high * H800_FACTOR)


def _verdicts():
    frame = check()
    return list(zip(frame["scenario"], frame["quantity"], frame["verdict"],
                    frame["computed_value"].round(6)))


@pytest.mark.slow
def test_check_identical_whatever_today(monkeypatch):
    now = _verdicts()
    for day in (dt.date(2027, 6, 1), dt.date(2031, 1, 1)):
        monkeypatch.setattr(clock, "today", lambda day=day: day)
        assert _verdicts() == now


@pytest.mark.slow
def test_check_identical_with_env_clock():
    def run(day):
        env = {**os.environ, clock.ENV_VAR: day}
        return subprocess.run([sys.executable, "-m", "estimator", "check", "--format", "csv"],
                              env=env, capture_output=True, text=True).stdout
    first = run("2027-06-01")
    assert first and first == run("2031-01-01")


def test_env_clock_typo_is_an_error(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "2027-13-01")
    with pytest.raises(ValueError, match="ESTIMATOR_TODAY"):
        clock.today()
    monkeypatch.setenv(clock.ENV_VAR, "2027-06-01")
    assert clock.today() == dt.date(2027, 6, 1)
