"""Price tiers, provider classes, supersession, stale fallback and derived bands
(estimator/bands.py, estimator/data/observations.py, estimator/data/profiles.py), and lint's
thin-band warning (estimator/scenarios/lint.py). Numbers are hand-computed from the observations
written here."""

import datetime as dt
import math
from dataclasses import replace

import pytest

from estimator.bands import BAND_RULE, RentalObservation, derive_band, parse_tiers
from estimator.data.profiles import load_profiles
from estimator.errors import DataFileError, InputError, UnknownNameError
from estimator.scenarios.lint import lint
from tests.conftest import FIXTURES

USER = FIXTURES / "profiles" / "user"
REF = dt.date(2025, 12, 31)


def obs(provider, tier, usd, date, provider_class="neocloud", assumption=False):
    day = dt.date.fromisoformat(date)
    return RentalObservation(
        provider=provider,
        tier=tier,
        provider_class=provider_class,
        price_per_gpu_hour=usd,
        currency="USD",
        date=day,
        source="test",
        as_of=day,
        confidence="estimate",
        price_usd_per_gpu_hour=usd,
        assumption=assumption,
    )


MIXED = [
    obs("Lambda", "on_demand", 2.0, "2025-06-01"),
    obs("RunPod", "on_demand", 3.0, "2025-07-01"),
    obs("AWS p5 (us-east-1)", "on_demand", 12.0, "2025-03-01", "hyperscaler"),
    obs("Google Cloud a3", "commit_1y", 7.0, "2025-03-01", "hyperscaler"),
    obs("Google Cloud a3", "commit_3y", 4.0, "2025-03-01", "hyperscaler"),
    obs("vast.ai", "spot", 0.5, "2025-09-01", "marketplace"),
    obs("vast.ai", "marketplace", 1.5, "2025-09-01", "marketplace"),
    obs("DeepSeek", "on_demand", 1.0, "2025-09-01", assumption=True),
]


MINMAX = replace(BAND_RULE, quantile=0.0, min_half_width=0.0, half_life_days=None)
"""The band rule's choice of prices (tier, class, window, one price per provider) with
min / median / max values, so the choice is read off the numbers."""


def test_band_within_the_default_tier():
    band = derive_band(MIXED, REF, rule=MINMAX)
    # on_demand only: 2.0, 3.0, 12.0 (the assumed 1.0 is never in a band)
    assert (band.low, band.typical, band.high) == (2.0, 3.0, 12.0)
    assert band.tier == "on_demand" and band.provider_class is None
    assert band.reference_date == REF and not band.stale


def test_band_of_a_tier_set_a_class_and_all():
    commits = derive_band(MIXED, REF, tier="commit_1y,commit_3y", rule=MINMAX)
    assert (commits.low, commits.typical, commits.high) == (4.0, 5.5, 7.0)  # median of 4, 7
    assert commits.tier == "commit_1y,commit_3y"
    neo = derive_band(MIXED, REF, provider_class="neocloud", rule=MINMAX)
    assert (neo.low, neo.typical, neo.high) == (2.0, 2.5, 3.0)
    assert neo.provider_class == "neocloud"
    every = derive_band(MIXED, REF, tier="all", rule=MINMAX)
    # 2, 3, 12, 7, 4, 1.5 (spot 0.5 and the assumption left out): median of 1.5 2 3 4 7 12 = 3.5
    assert (every.low, every.typical, every.high) == (1.5, 3.5, 12.0)
    assert "spot" not in parse_tiers("all")


def test_unknown_tier_or_class_names_the_choices():
    with pytest.raises(UnknownNameError, match="unknown tier 'on-demand'.*on_demand"):
        derive_band(MIXED, REF, tier="on-demand")
    with pytest.raises(UnknownNameError, match="provider class 'cloud'"):
        derive_band(MIXED, REF, provider_class="cloud")


def test_a_later_price_from_the_same_provider_and_tier_supersedes():
    history = [
        obs("AWS p5.48xlarge (us-east-1)", "on_demand", 12.29, "2025-03-17"),
        obs("Amazon Web Services (US East)", "on_demand", 6.88, "2025-06-01"),
        obs("Lambda", "on_demand", 2.99, "2025-01-01"),
    ]
    # before the cut both AWS labels are one provider: the 12.29 list price is in the band
    before = derive_band(history, dt.date(2025, 5, 1), rule=MINMAX)
    assert (before.low, before.high) == (2.99, 12.29)
    after = derive_band(history, dt.date(2025, 7, 1), rule=MINMAX)
    assert (after.low, after.typical, after.high) == (2.99, (2.99 + 6.88) / 2, 6.88)
    assert [o.price_usd_per_gpu_hour for o in after.used] == [2.99, 6.88]
    # supersession is per tier: a later commitment price does not retire the on-demand one
    mixed = history[:1] + [obs("AWS p5", "commit_1y", 5.0, "2025-06-01")]
    assert derive_band(mixed, dt.date(2025, 7, 1), rule=MINMAX).high == 12.29


def test_stale_fallback_uses_every_providers_last_price():
    old = [
        obs("Azure", "on_demand", 3.06, "2019-01-01"),
        obs("Azure", "on_demand", 2.75, "2020-03-09"),
        obs("AWS", "on_demand", 3.90, "2019-08-05"),
    ]
    band = derive_band(old, dt.date(2023, 1, 1), rule=MINMAX)  # 365-day window starts 2022-01-01
    assert band.stale
    assert (band.low, band.typical, band.high) == (2.75, (2.75 + 3.90) / 2, 3.90)


def test_error_before_the_first_observation():
    x1 = load_profiles([USER]).get("X1")
    assert x1.band(dt.date(2021, 1, 1)) is None
    with pytest.raises(
        InputError,
        match="no rental price observation on or before "
        "2021-01-01; the earliest is dated 2022-01-01 \\(tier on_demand\\)",
    ):
        x1.market_band(dt.date(2021, 1, 1))


def test_old_kind_key_is_read_and_mapped():
    x1 = load_profiles([USER]).get("X1")
    by_provider = {o.provider: o for o in x1.rental}
    assert (by_provider["CloudC"].tier, by_provider["CloudD"].tier) == ("commit_1y", "spot")
    assert by_provider["Someone"].assumption and by_provider["Someone"].kind == "assumption"
    assert by_provider["CloudA"].provider_class == "neocloud"


def test_builtin_profiles_use_tiers_and_assumptions_stay_out():
    h800 = load_profiles().get("H800")
    assumed = [o for o in h800.rental if o.assumption]
    assert [o.price_usd_per_gpu_hour for o in assumed] == [2.0, 2.0]  # DeepSeek's own $2
    assert {o.tier for o in load_profiles().get("H100").rental} >= {
        "on_demand",
        "commit_1y",
        "commit_3y",
    }


def _write(folder, pid, body):
    (folder / f"{pid}.yaml").write_text(
        f"id: {pid}\nname: {pid.upper()}\nvendor: ACME\narchitecture: Imaginary\n"
        "references:\n  sheet: {title: sheet}\n"
        'launch_date: {value: "2025-01-01", source: "ref:sheet", as_of: "2025-01-01"}\n'
        'specs:\n  bf16_dense_tflops: {value: 100, source: "ref:sheet", as_of: "2025-01-01"}\n'
        + body
    )


def test_derived_band_scales_the_base_band(tmp_path):
    (tmp_path / "acme-x1.yaml").write_text((USER / "acme-x1.yaml").read_text())
    _write(
        tmp_path,
        "acme-x1c",
        'derived_from: {profile: X1, factor: 0.5, reason: "export part",'
        ' source: "same-day price pair", as_of: "2025-09-01"}\n',
    )
    derived = load_profiles([tmp_path]).get("acme-x1c")
    band = derived.band(REF)
    # X1 on-demand at 2025-12-31: 4.0, 2.0 and 20 CNY at 8.3510/1.1736 CNY per USD (2.8107);
    # the 2022 price is outside the window. Times 0.5:
    base = load_profiles([tmp_path]).get("X1").band(REF)
    assert sorted(o.price_usd_per_gpu_hour for o in base.used) == pytest.approx(
        [2.0, 20 / (8.3510 / 1.1736), 4.0])
    assert band.values() == pytest.approx(base.values() * 0.5)
    assert band.rule == "derived" and "export part" in band.note and "X1 band x 0.5" in band.note
    assert band.tier == "on_demand" and band.reference_date == REF
    assert len(band.used) == 3


def test_derived_from_an_unknown_profile_is_an_error(tmp_path):
    _write(
        tmp_path,
        "acme-z9",
        'derived_from: {profile: NOPE, factor: 1, reason: r, source: s, as_of: "2025-01-01"}\n',
    )
    with pytest.raises(DataFileError, match="derived_from.profile 'NOPE' is not a profile"):
        load_profiles([tmp_path])


def test_tier_and_kind_together_or_neither_is_an_error(tmp_path):
    row = (
        'rental_prices:\n  - {provider: P, %s price_per_gpu_hour: 1.0, date: "2025-01-01",'
        ' source: "ref:sheet", as_of: "2025-01-01"}\n'
    )
    _write(tmp_path, "acme-z8", row % "tier: on_demand, kind: on-demand,")
    with pytest.raises(DataFileError, match="tier|kind"):
        load_profiles([tmp_path])
    _write(tmp_path, "acme-z8", row % "tier: reserved, provider_class: neocloud,")
    with pytest.raises(DataFileError, match="on_demand, commit_1y, commit_3y, spot, marketplace"):
        load_profiles([tmp_path])


def test_builtin_derived_h800_is_h100_times_the_cr8dl_ratio():
    on = dt.date(2024, 12, 27)
    h100 = load_profiles().get("H100").band(on, provider_class="neocloud")
    h800 = load_profiles().get("H800").band(on)
    # factor 0.866 = CR8DL 3.42 (H800) / 3.95 (H100), Epoch rows 438-439; only the H100's
    # neocloud prices (derived_from.provider_class)
    assert {o.provider_class for o in h800.used} == {"neocloud"}
    assert h800.rule == "derived" and h800.low == pytest.approx(h100.low * 0.866)
    assert h800.high == pytest.approx(h100.high * 0.866)


def test_lint_warns_about_a_thin_band_unless_explained(tmp_path):
    one = (
        "rental_prices:\n  - {provider: P, tier: on_demand, provider_class: neocloud,"
        ' price_per_gpu_hour: 1.0, date: "2025-01-01", source: "ref:sheet",'
        ' as_of: "2025-01-01"}\n'
    )
    _write(tmp_path, "acme-z7", one)
    frame = lint([tmp_path], today=dt.date(2025, 6, 1))
    [problem] = [p for p in frame["problem"] if "thin" in p]
    assert "2025-06-01 (1 from 1)" in problem
    _write(tmp_path, "acme-z7", one + 'thin_band: "one seller only"\n')
    assert not any("thin" in p for p in lint([tmp_path], today=dt.date(2025, 6, 1))["problem"])


def test_no_band_value_is_nan_for_a_profile_with_history():
    band = load_profiles().get("V100-SXM2-32GB").band(dt.date(2020, 5, 28))
    # AWS p3dn 3.90 (2019-08-05, 297 days old) and Azure ND40rs v2 2.75 (2020-03-09, 80 days),
    # on-demand; weights 0.5 ** (age / 180): 0.318 and 0.735; Hazen positions of 2.75 and 3.90:
    # 0.735 / 2 / 1.053 = 0.349 and (0.735 + 0.318 / 2) / 1.053 = 0.849; the median is
    # 2.75 + (0.5 - 0.349) / (0.849 - 0.349) x 1.15 = 3.097; 0.1/0.9 quantiles 2.75 and 3.90,
    # widened to at least 3.097 x (1 -/+ 0.35) = 2.013 .. 4.181
    assert sorted(o.price_usd_per_gpu_hour for o in band.used) == [2.75, 3.90]
    assert (band.low, band.typical, band.high) == pytest.approx((2.013, 3.097, 4.181), abs=2e-3)
    assert not any(math.isnan(v) for v in band.values())
