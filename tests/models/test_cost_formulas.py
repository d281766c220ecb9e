"""The three cost-method formulas, on Epoch AI's worked examples (docs/epoch-method.md §4;
inputs from Epoch's models CSV at training-cost-trends@e13599f, model_costs.csv figures)."""

import math

import numpy as np
import pytest

from estimator.models import cost_formulas as cm


def test_committed_use_conversion_azure_one_year_to_three_year():
    # Azure d1 = 0.25, d3 = 0.49 (Epoch DEFAULT_CUD): 2.35 x 0.51 / 0.75 = 1.598
    assert cm.committed_use_price(2.35, 0.25, 0.49) == pytest.approx(1.598, rel=1e-12)


def test_on_demand_to_three_year_gcp():
    # GCP d3 = 0.56: 2.0 x 0.44 / 1 = 0.88 (AlphaStar's TPU v3 on-demand row)
    assert cm.committed_use_price(2.0, 0.0, 0.56) == pytest.approx(0.88, rel=1e-12)


def test_depreciated_value_gpt3():
    # 18,625 x 10^(-0.14 x 463/365.25) = 12,377.38 (docs/epoch-method.md §4, GPT-3)
    assert cm.depreciated_value(18625, cm.years_from_days(463)) == pytest.approx(12377.38, abs=0.01)


def test_one_year_loses_0_14_orders_of_magnitude():
    assert cm.depreciated_value(1000.0, 1.0) == pytest.approx(1000 * 10 ** -0.14, rel=1e-12)


def test_amortised_capex_gpt3():
    # 12,377.38 x 0.322362/8766 x 3,552,000 = 1,616,754 (docs/epoch-method.md §4)
    value = 18625 * 10 ** (-0.14 * 463 / 365.25)
    assert cm.amortised_capex(value, 3_552_000) == pytest.approx(1_616_754, abs=1)


def test_interconnect_divides_by_0_81():
    assert cm.with_interconnect(810.0) == pytest.approx(1000.0, rel=1e-12)
    assert cm.with_interconnect(800.0, interconnect_share=0.2) == pytest.approx(1000.0, rel=1e-12)


def test_energy_gpt3():
    # 0.25 kW x 5/3 x 0.75 x 1.25 x 3,552,000 h x 0.0667 USD/kWh = 92,546 (docs/epoch-method.md §4)
    usd = cm.energy_cost(250, 3_552_000, 0.0667, server_power_factor=5 / 3, power_fraction=0.75,
                         pue=1.25)
    assert usd == pytest.approx(92_546.25, abs=0.01)


def test_energy_palm_tpu_v4():
    # 0.170 x 1.56 x 0.43 x 1.1 x 8,404,992 x 0.0832 = 87,719 (docs/epoch-method.md §4, PaLM)
    usd = cm.energy_cost(170, 8_404_992, 0.0832, server_power_factor=1.56, power_fraction=0.43,
                         pue=1.1)
    assert usd == pytest.approx(87_719, abs=1)


def test_acquisition_gpt3_nominal():
    # 10,000 x 18,625 / 0.81 = 229,938,272 (docs/epoch-method.md §4)
    assert cm.acquisition_cost(10_000, 18_625) == pytest.approx(229_938_271.6, abs=0.1)


def test_real_dollars_gpt3_cloud_to_the_cent():
    # 4,120,320 x 119.349 / 113.4 = 4,336,473.30 (published Cloud_Cost, model_costs.csv)
    assert cm.real_dollars(4_120_320, 119.349, 113.4) == pytest.approx(4_336_473.30, abs=0.01)


def test_chip_hours_from_flop():
    # 3.6e21 FLOP / (1e15 FLOP/s x 0.375) / 3600 s/h = 2,666.67 chip-h
    assert cm.chip_hours_from_flop(3.6e21, 1e15) == pytest.approx(8000 / 3, rel=1e-12)


def test_formulas_are_vectorised():
    out = cm.depreciated_value(np.array([100.0, 100.0]), np.array([0.0, 1 / 0.14]))
    assert out == pytest.approx([100.0, 10.0])
    assert not math.isnan(float(cm.amortised_cost(1.0, 1.0, 0.0)))
