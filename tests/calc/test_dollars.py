"""--dollars / dollars= : constant December-YEAR USD with the PPI deflator (issue 13).

Index values from estimator/data/ppi_pcu518210518210.yaml (FRED PCU518210518210, snapshot
epoch-research/training-cost-trends@e13599f): 2020-06 = 114.100, 2023-12 = 119.029,
2024-12 = 119.349, 2025-05 = 121.742 (the last month).
"""

from __future__ import annotations

import pytest

import estimator
from estimator.errors import EstimatorError
from tests.conftest import FIXTURES

USER = str(FIXTURES / "profiles" / "user")
REAL_2020_06_TO_2023 = 119.029 / 114.100


def test_given_price_restated_from_its_date_into_december_dollars():
    row = estimator.estimate("H100", gpu_hours=1000, price=2, as_of="2020-06-15",
                             dollars=2023).iloc[0]
    assert row["cost_usd_typical"] == 2000.0                       # nominal stays
    assert row["cost_real_usd_typical"] == pytest.approx(2000 * REAL_2020_06_TO_2023)
    # 2000 x 119.029 / 114.100 = 2086.398...
    assert row["cost_real_usd_typical"] == pytest.approx(2086.3979, abs=1e-3)
    assert row["dollar_year"] == 2023 and row["price_date"] == "2020-06-15"


def test_band_rows_use_the_band_date():
    # acme-x1 on_demand band on 2025-05-20: CloudF 9.00 (2022-01-01) is the only one dated
    # before and within 730 days; 2025-05 is the index's last month, so 2024 dollars are
    # 9.00 x 1000 x 119.349 / 121.742
    row = estimator.estimate("acme-x1", gpu_hours=1000, as_of="2025-05-20", profiles=[USER],
                             dollars="2024").iloc[0]
    assert row["cost_usd_typical"] == 9000.0
    assert row["cost_real_usd_typical"] == pytest.approx(9000 * 119.349 / 121.742)


def test_price_date_after_the_index_uses_its_last_month_with_a_warning():
    with pytest.warns(UserWarning, match="ends at 2025-05"):
        row = estimator.estimate("H100", gpu_hours=1000, price=2, as_of="2026-01-15",
                                 dollars=2024).iloc[0]
    assert row["cost_real_usd_typical"] == pytest.approx(2000 * 119.349 / 121.742)


def test_own_restates_capex_and_solve_cost():
    own = estimator.own("H100", count=1, purchase_price=30000, price=2, as_of="2020-06-15",
                        dollars=2023).iloc[0]
    assert own["capex_real_usd_low"] == pytest.approx(own["capex_usd_low"] *
                                                      REAL_2020_06_TO_2023)
    # low capex = the chip alone (ownership.py): 30,000 x 119.029 / 114.100 = 31,295.97
    assert own["capex_real_usd_low"] == pytest.approx(31295.97, abs=0.01)
    solved = estimator.solve("H100", count=10, hours=100, price=2, as_of="2024-12-15",
                             dollars=2023).iloc[0]
    assert solved["cost_real_usd"] == pytest.approx(2000 * 119.029 / 119.349)   # 1994.64


def test_sweep_and_simulate_add_real_cost():
    frame = estimator.sweep("H100", count="1,2", hours=1000, price=2, as_of="2020-06-15",
                            dollars=2023)
    assert list(frame["cost_real_usd_typical"]) == pytest.approx(
        [2000 * REAL_2020_06_TO_2023, 4000 * REAL_2020_06_TO_2023])
    sim = estimator.simulate("H100", gpu_hours=1000, price=2, as_of="2020-06-15",
                             dollars=2023, n=100, seed=1)
    real = sim.summary.set_index("output").loc["cost_real_usd"]
    assert real["p50"] == pytest.approx(2000 * REAL_2020_06_TO_2023)


def test_bad_year_and_unknown_deflator_are_located_errors():
    with pytest.raises(EstimatorError, match="expected a year") as info:
        estimator.estimate("H100", gpu_hours=1, price=2, dollars="20x3")
    assert info.value.key == "dollars"
    with pytest.raises(EstimatorError, match="no value for 1999-12"):
        estimator.estimate("H100", gpu_hours=1, price=2, as_of="2020-06-15", dollars=1999)
    with pytest.raises(EstimatorError, match="unknown deflator 'cpu'") as info:
        estimator.estimate("H100", gpu_hours=1, price=2, dollars=2023, deflator="cpu")
    assert info.value.key == "deflator"


def test_cli_dollars_and_its_alias(run_json, run):
    args = ("cost", "--gpu", "H100", "--gpu-hours", "1000", "--price", "2", "--as-of",
            "2020-06-15")
    [row] = run_json(*args, "--dollars", "2023")
    [alias] = run_json(*args, "--dollar-year", "2023")
    assert row["cost_real_usd_typical"] == pytest.approx(2086.3979, abs=1e-3)
    assert alias == row
    # CPI-U annual averages (BLS via FRED CPIAUCNS): 2020 = 258.811, 2023 = 304.702, so
    # $2,000 of 2020 is 2,000 x 304.702 / 258.811 = 2,354.63 dollars of 2023
    [cpi] = run_json(*args, "--dollars", "2023", "--deflator", "cpi")
    assert cpi["cost_real_usd_typical"] == pytest.approx(2000 * 304.702 / 258.811, rel=1e-9)
    assert cpi["cost_real_usd_typical"] == pytest.approx(2354.63, abs=0.01)
    code, out, err = run(*args, "--dollars", "2023", "--deflator", "cpu")
    assert code == 2 and "unknown deflator 'cpu'" in err
    for command in (["compute", "--gpu", "H100", "--flop", "1e21", "--price", "2"],
                    ["own", "--gpu", "H100", "--price", "2", "--purchase-price", "30000"]):
        [record] = run_json(*command, "--as-of", "2020-06-15", "--dollars", "2023")
        assert record["dollar_year"] == 2023
