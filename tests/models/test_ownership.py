"""Ownership (estimator/ownership.py, ownership_api.py): capex, cost to own, break-even."""

import numpy as np
import pytest

import estimator
from estimator.models import ownership as om


def test_formulas_by_hand():
    # Epoch AI (arXiv 2405.21015): server 1.54-1.69x chip; interconnect 19% of cluster cost.
    capex = om.capex_per_gpu_usd(30_000, 1.615, 0.19)
    assert capex == pytest.approx(30_000 * 1.615 / 0.81)
    power = om.power_usd_per_gpu_hour(700, 0.08, 1.25)
    assert power == pytest.approx(0.7 * 0.08 * 1.25)
    per_hour = om.ownership_usd_per_gpu_hour(capex, 4, 0.75, power)
    assert per_hour == pytest.approx(capex / (4 * 8766 * 0.75) + power)
    u = om.breakeven_utilisation(capex, 4, power, 3.0)
    assert om.ownership_usd_per_gpu_hour(capex, 4, u, power) == pytest.approx(3.0)
    assert om.breakeven_utilisation(capex, 4, power, 0.01) == np.inf


def test_50k_h100_fleet():
    row = estimator.own(gpu="H100", count=50_000, purchase_price="31905", price=2).iloc[0]
    assert row["capex_usd_low"] == pytest.approx(50_000 * 31_905)           # chips alone
    assert row["capex_usd_typical"] == pytest.approx(50_000 * 31_905 * 1.615 / 0.81)
    assert row["capex_usd_high"] == pytest.approx(50_000 * 31_905 * 1.69 / 0.81)
    # 63,613.06 / (4 x 8,766 h x (2 - 0.07) USD/h): see test_defaults_by_hand
    assert row["breakeven_utilisation"] == pytest.approx(0.94000, abs=1e-5)


def test_defaults_by_hand():
    # defaults (ownership.py): server overhead 1.54-1.69 (typical 1.615) and interconnect 19%
    # (Epoch AI, arXiv 2405.21015), lifetime 4 y of 8,766 h, utilisation 0.75, 0.08 USD/kWh,
    # PUE 1.25; H100 TDP 700 W. Rental price given: 2 USD/GPU-h.
    # capex/GPU = 31,905 x 1.615 / 0.81 = 63,613.06; power = 0.7 x 0.08 x 1.25 = 0.07 USD/h;
    # cost/h = 63,613.06 / (4 x 8,766 x 0.75) + 0.07 = 2.4189 + 0.07 = 2.4889;
    # break-even u = 63,613.06 / (4 x 8,766 x (2 - 0.07)) = 0.94000
    row = estimator.own(gpu="H100", count=1, purchase_price="31905", price=2).iloc[0]
    assert row["capex_usd_typical"] == pytest.approx(63_613.06, abs=0.01)
    assert row["cost_usd_per_gpu_hour_typical"] == pytest.approx(2.4889, abs=1e-4)
    assert row["breakeven_utilisation"] == pytest.approx(0.94000, abs=1e-5)


def test_profile_purchase_observations_give_an_ordered_band():
    frame = estimator.own(gpu=["H100", "H800", "A100"], count=1000)
    for name in ("capex_usd", "cost_usd_per_gpu_hour"):
        assert (frame[f"{name}_low"] <= frame[f"{name}_typical"]).all()
        assert (frame[f"{name}_typical"] <= frame[f"{name}_high"]).all()


def test_currency_columns():
    row = estimator.own(gpu="H100", count=10, purchase_price=30000, currency="SEK",
                        fx_date="2025-01-31").iloc[0]
    assert row["capex_sek_low"] == pytest.approx(10 * 30000 * 11.474 / 1.0393)


def test_no_purchase_price_is_an_error():
    with pytest.raises(estimator.InputError, match="purchase"):
        estimator.own(gpu="GB200", count=10)
