"""Hypothesis properties of the one cost path of the methods (estimator/calc/cost_methods).

Any price source (the PriceSource interface) goes through the same path: ranges stay ordered,
costs scale with chip-hours and count as the formulas say, amortised rows' kWh and USD agree,
and ``estimate(method=...)`` is that path over the profile's prices (issue 24 item 2)."""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import estimator
from estimator.calc.cost_methods import costs
from estimator.calc.cost_methods.price_sources import MethodPrice, ProfilePrices
from estimator.data.profiles import load_profiles


@dataclass(frozen=True)
class FixedPrices:
    """A price source with one cloud price and one server value, whatever the date."""

    cloud: float
    server: float

    def cloud_price(self, start):
        return MethodPrice(self.cloud, "fixed")

    def server_value(self, start, *, depreciate, trend_oom_per_year=0.14, server_factor=None):
        return MethodPrice(self.server, "fixed")


positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
hours = st.lists(st.floats(min_value=1.0, max_value=1e8, allow_nan=False), min_size=3,
                 max_size=3).map(sorted)
counts = st.integers(min_value=1, max_value=100_000)
methods = st.sampled_from(["cloud", "amortised", "acquisition"])
gpus = st.sampled_from(["NVIDIA H100 SXM5", "NVIDIA A100", "NVIDIA V100", "Test"])


@settings(max_examples=80, deadline=None)
@given(methods, positive, positive, hours, counts, gpus,
       st.floats(min_value=1.0, max_value=2.0), st.floats(min_value=0.1, max_value=1.0))
def test_ranges_ordered_and_linear(method, cloud, server, gpu_hours, count, gpu, pue, fraction):
    source = FixedPrices(cloud, server)
    run = costs.Run(gpu, np.array(gpu_hours), count=float(count), tdp_w=700.0, pue=pue,
                    power_fraction=fraction)
    options = costs.Options(usd_per_kwh=0.08)
    result = costs.method_cost(method, source, run, "2024-01-01", options)
    low, typical, high = result.cost
    assert 0 < low <= typical <= high
    double = costs.Run(gpu, 2 * np.array(gpu_hours), count=2.0 * count, tdp_w=700.0, pue=pue,
                       power_fraction=fraction)
    twice = costs.method_cost(method, source, double, "2024-01-01", options)
    # cloud and amortised are linear in chip-hours, acquisition in the count
    assert twice.cost == pytest.approx(2 * result.cost, rel=1e-12)
    if method == "cloud":
        assert typical == pytest.approx(cloud * gpu_hours[1], rel=1e-12)
    if method == "amortised":
        assert result.energy_usd == pytest.approx(result.energy_kwh * 0.08, rel=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["H100", "A100", "H800"]), counts,
       st.floats(min_value=1.0, max_value=5000.0, allow_nan=False),
       st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 6, 1)), methods)
def test_estimate_is_the_cost_path_over_the_profile(gpu, count, h, start, method):
    row = estimator.estimate(gpu, count=count, hours=h, method=method, date=start,
                             as_of="2026-11-29").iloc[0]
    profile = load_profiles().get(gpu)
    run = costs.Run(profile.name, np.full(3, count * h), count=float(count),
                    tdp_w=float(profile.tdp_w), label=profile.id)
    direct = costs.method_cost(method, ProfilePrices(profile), run, start)
    for i, name in enumerate(("low", "typical", "high")):
        assert row[f"cost_usd_{name}"] == pytest.approx(direct.cost[i], rel=1e-9, nan_ok=True)
