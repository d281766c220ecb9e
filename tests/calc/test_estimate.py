"""estimator/calc/estimate.py: one estimate frame, by hand."""
import datetime as dt

import pytest

import estimator
from estimator.calc.estimate import to_date
from estimator.errors import InputError


def test_cost_is_gpus_times_hours_times_price():
    [row] = estimator.estimate(gpu="H800", count=8, hours=10, price=2).to_dict("records")
    # 8 GPUs x 10 h = 80 GPU-hours; x 2 USD/GPU-hour = 160 USD
    assert row["gpu_hours"] == 80
    assert [row[f"cost_usd_{k}"] for k in ("low", "typical", "high")] == [160, 160, 160]
    # H800 TDP 700 W x 80 GPU-hours x power fraction 0.75 x PUE 1.25 / 1000 = 52.5 kWh
    assert row["energy_kwh"] == pytest.approx(52.5)


def test_to_date_reads_iso_text_and_names_the_key_otherwise():
    assert to_date("2025-01-31", "as_of") == dt.date(2025, 1, 31)
    assert to_date(None, "as_of") is None
    with pytest.raises(InputError, match="is not a date") as info:
        to_date("31/01/2025", "as_of")
    assert info.value.key == "as_of"
