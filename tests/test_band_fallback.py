"""Fallback bands (estimator.bands.fallback_band, issue 23 items 2 and 7): hand-computed bands on a
small synthetic market, and properties: ordered, never a price after the date, never another
GPU's price without a price of its own, and in the backtest a provider never predicts itself."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.bands import (
    BAND_RULE,
    PROVIDER_CLASSES,
    RentalObservation,
    band_evidence,
    fallback_band,
    market_ratio,
)

DAY = dt.date(2025, 6, 1)
PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "price_backtest.py"


def _obs(provider, usd, date=DAY, cls="neocloud", tier="on_demand"):
    day = date if isinstance(date, dt.date) else dt.date.fromisoformat(date)
    return RentalObservation(provider=provider, tier=tier, provider_class=cls,
                             price_per_gpu_hour=usd, currency="USD", date=day, source="test",
                             as_of=day, confidence="test", price_usd_per_gpu_hour=usd)


# GPU "x": two neoclouds on demand, 2.00 and 3.00, on DAY. Same day, equal weights; Hazen
# positions 0.25 / 0.75: median 2.50, 0.1 / 0.9 quantiles clamp to 2.00 / 3.00; the +/-35 %
# minimum width gives 1.625 / 2.50 / 3.375 (estimator/price_quantiles.py).
X = [_obs("A", 2.0), _obs("B", 3.0)]
# Other GPUs: "y" neocloud 2.00, hyperscaler 4.00 (ratio 2.0), neocloud commit_1y 1.50
# (commit_1y / on_demand 0.75); "z" neocloud 3.00, hyperscaler 9.00 (ratio 3.0).
MARKET = {"y": [_obs("P", 2.0), _obs("Q", 4.0, cls="hyperscaler"),
                _obs("P", 1.5, tier="commit_1y")],
          "z": [_obs("R", 3.0), _obs("S", 9.0, cls="hyperscaler")]}


def test_the_exact_band_comes_first():
    band = fallback_band(X, DAY, "on_demand", "neocloud", MARKET)
    assert band.rule == "observations"
    assert (band.low, band.typical, band.high) == pytest.approx((1.625, 2.5, 3.375))


def test_class_step_scales_the_other_classes_by_the_median_ratio_of_other_gpus():
    ratio = market_ratio(MARKET, DAY, ("on_demand", ("hyperscaler",)),
                         ("on_demand", ("neocloud", "marketplace", "index")))
    assert (ratio.value, ratio.low, ratio.high, ratio.gpus) == (2.5, 2.0, 3.0, ("y", "z"))
    band = fallback_band(X, DAY, "on_demand", "hyperscaler", MARKET, steps=("class",),
                         widen=False)
    assert band.rule == "derived" and band.provider_class == "hyperscaler"
    assert (band.low, band.typical, band.high) == pytest.approx((4.0625, 6.25, 8.4375))
    assert "x 2.50" in band.note and "2 other GPUs" in band.note
    assert {o.provider for o in band.used} == {"A", "B"}        # count, newest, thin travel
    wide = fallback_band(X, DAY, "on_demand", "hyperscaler", MARKET, steps=("class",),
                         widen=True)            # ends scaled by the smallest / largest ratio
    assert (wide.low, wide.typical, wide.high) == pytest.approx((3.25, 6.25, 10.125))


def test_tier_step_scales_another_tier_of_the_same_class():
    band = fallback_band(X, DAY, "commit_1y", "neocloud", MARKET, steps=("class", "tier"))
    # no commit_1y price of x in any class; on_demand neocloud x 0.75 (y alone)
    assert band.rule == "derived" and band.tier == "commit_1y"
    assert (band.low, band.typical, band.high) == pytest.approx((1.21875, 1.875, 2.53125))
    assert "on_demand neocloud band" in band.note and "1 other GPU " in band.note


def test_no_ratio_no_band_and_no_own_price_no_band():
    assert fallback_band(X, DAY, "commit_3y", "neocloud", MARKET,
                         steps=("class", "tier")) is None       # nobody's commit_3y
    assert fallback_band([], DAY, "on_demand", "neocloud", MARKET) is None  # (c): never borrowed
    assert fallback_band(X, DAY, "on_demand", "hyperscaler", None) is None


def test_a_stale_market_gives_no_ratio():
    old = {gpu: [_obs(o.provider, o.price_usd_per_gpu_hour, DAY - dt.timedelta(days=400),
                      o.provider_class, o.tier) for o in obs] for gpu, obs in MARKET.items()}
    assert market_ratio(old, DAY, ("on_demand", ("hyperscaler",)), ("on_demand", None)) is None


def test_profiles_fall_back_with_the_other_profiles_as_market():
    from estimator.data.profiles import load_profiles
    profiles = load_profiles()
    h100 = profiles.get("H100")
    assert "nvidia-h100-sxm5-80gb" not in h100.market and len(h100.market) >= 5
    exact = h100.band(DAY, "on_demand", fallback=False)
    assert h100.band(DAY, "on_demand") == exact                 # a band of its own comes first


# --- properties -----------------------------------------------------------------------------

DATES = st.integers(0, 1500).map(lambda d: dt.date(2022, 1, 1) + dt.timedelta(days=d))
OBS = st.builds(_obs, provider=st.sampled_from("ABCDE"),
                usd=st.floats(0.2, 20, allow_nan=False), date=DATES,
                cls=st.sampled_from(PROVIDER_CLASSES),
                tier=st.sampled_from(("on_demand", "commit_1y", "commit_3y", "spot")))
MARKETS = st.dictionaries(st.sampled_from(("g1", "g2", "g3")), st.lists(OBS, max_size=12),
                          max_size=3)
KIND = st.tuples(st.sampled_from(("on_demand", "commit_1y", "commit_3y", "spot")),
                 st.sampled_from((None,) + PROVIDER_CLASSES))


@settings(max_examples=150, deadline=None)
@given(st.lists(OBS, max_size=10), MARKETS, DATES, KIND, st.booleans())
def test_fallback_bands_are_ordered_and_never_see_a_later_price(own, market, on, kind, widen):
    steps = ("class", "tier", "class+tier")
    band = fallback_band(own, on, kind[0], kind[1], market, steps=steps, widen=widen)
    if band is None:
        return
    assert band.low <= band.typical <= band.high
    assert all(o.date <= on for o in band.used) and band.used
    later = _obs("L", 99.0, on + dt.timedelta(days=1), kind[1] or "neocloud", kind[0])
    more = {gpu: obs + [later] for gpu, obs in market.items()}
    assert fallback_band(own + [later], on, kind[0], kind[1], more, steps=steps,
                         widen=widen) == band


@pytest.fixture(scope="module")
def backtest():
    spec = importlib.util.spec_from_file_location("price_backtest", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["price_backtest"] = module
    spec.loader.exec_module(module)
    return module


class _Profile:
    derived = None
    band_override = None

    def __init__(self, gpu, rental):
        self.id, self.rental = gpu, rental


@settings(max_examples=60, deadline=None)
@given(st.lists(OBS, min_size=1, max_size=10), MARKETS, st.data())
def test_a_providers_own_prices_never_change_its_prediction(backtest, own, market, data):
    profiles = [_Profile("x", own)] + [_Profile(g, obs) for g, obs in market.items()]
    target = data.draw(st.sampled_from(own))
    rest = [o for o in own if o is target or o.provider != target.provider]
    without = [_Profile("x", rest)] + [
        _Profile(g, [o for o in obs if o.provider != target.provider])
        for g, obs in market.items()]

    def predicted(sets):
        case = next(c for c in backtest.cases(sets) if c.gpu == "x" and c.date == target.date
                    and c.provider == target.provider.lower()
                    and c.price == target.price_usd_per_gpu_hour and c.tier == target.tier)
        return [backtest.fallback_prediction(case, BAND_RULE, which)
                for which in ("own_class", "pooled")]

    assert predicted(profiles) == predicted(without)


def test_the_evidence_phrase_says_derived_and_from_what():
    band = fallback_band(X, DAY, "commit_1y", "neocloud", MARKET, steps=("tier",))
    text = band_evidence(band)
    assert text.startswith("range from 2 observations (2 providers), newest 2025-06-01; derived;")
    assert "derived from the on_demand neocloud band x 0.75, the median commit_1y neocloud / " \
           "on_demand neocloud ratio of typical prices on 1 other GPU at 2025-06-01" in text
