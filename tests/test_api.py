"""estimate(): reference figures and the cartesian product (estimator/api.py)."""

import numpy as np
import pandas as pd
import pytest

import estimator
from estimator.errors import InputError, UnknownNameError

# DeepSeek-V3 technical report (arXiv 2412.19437), Table 1: H800 GPU-hours by stage, and
# their cost "assuming the rental price of H800 is $2 per GPU hour".
V3_TABLE_1 = [("pre-training", 2_664_000, 5.328e6), ("context extension", 119_000, 0.238e6),
              ("post-training", 5_000, 0.01e6)]

# DeepSeek-R1 (Nature, 17 Sep 2025, supplementary B.4.4): 64*8 H800 GPUs, R1-Zero ~198 h,
# SFT data 5K GPU-hours, R1 ~80 h; $2 per GPU-hour; the cost table rounds to 101K/5K/41K.
R1_STAGES = [("R1-Zero", 512, 198, 202_752), ("R1", 512, 80, 81_920)]


def test_512_h800_for_80_hours_at_2_dollars():
    row = estimator.estimate(gpu="H800", count=512, hours=80, price=2).iloc[0]
    assert row["gpu_hours"] == 40_960
    assert row["cost_usd_typical"] == 81_920
    assert row["cost_usd_low"] == row["cost_usd_high"] == 81_920


@pytest.mark.parametrize("stage, gpu_hours, usd", V3_TABLE_1)
def test_deepseek_v3_table_1_by_stage(stage, gpu_hours, usd):
    row = estimator.estimate(gpu="H800", gpu_hours=gpu_hours, price="2 USD/h").iloc[0]
    assert row["cost_usd_typical"] == pytest.approx(usd, rel=1e-9)


def test_deepseek_v3_table_1_total():
    frame = estimator.estimate(gpu="H800", gpu_hours=[g for _, g, _ in V3_TABLE_1], price=2)
    assert frame["gpu_hours"].sum() == 2_788_000
    assert frame["cost_usd_typical"].sum() == pytest.approx(5.576e6, rel=1e-12)
    # "3.7 days on our cluster with 2048 H800 GPUs" per trillion tokens (180K GPU-hours)
    days = estimator.estimate(gpu="H800", gpu_hours="180K", count=2048, price=2)["hours"] / 24
    assert days.iloc[0] == pytest.approx(3.66, abs=0.01)


@pytest.mark.parametrize("stage, count, hours, usd", R1_STAGES)
def test_deepseek_r1_cost_table(stage, count, hours, usd):
    row = estimator.estimate(gpu="H800", count=count, hours=hours, price=2).iloc[0]
    # the Nature table's 202K / 82K are these, rounded to thousands
    assert row["cost_usd_typical"] == usd
    assert round(row["cost_usd_typical"], -3) == round(usd, -3)


def test_cartesian_product_order_and_size():
    frame = estimator.estimate(gpu=["H800", "H100"], count=[512, 2048], hours=[80, 198],
                               price=[2, 3])
    assert len(frame) == 2 * 2 * 2 * 2
    assert list(frame["gpu"][:8].unique()) == ["nvidia-h800-sxm5-80gb"]
    assert list(frame["count"][:4]) == [512, 512, 512, 512]
    assert list(frame["price_usd_per_gpu_hour_typical"][:2]) == [2, 3]
    assert (frame["gpu_hours"] == frame["count"] * frame["hours"]).all()


def test_comma_text_lists_like_the_cli():
    frame = estimator.estimate(gpu="H800,H100", count="512,2048", hours=80, price=2)
    assert list(frame["gpu"]) == ["nvidia-h800-sxm5-80gb"] * 2 + ["nvidia-h100-sxm5-80gb"] * 2
    assert list(frame["count"]) == [512, 2048, 512, 2048]
    # 512 x 80 h x 2 USD = 81,920; 2048 x 80 x 2 = 327,680
    assert list(frame["cost_usd_typical"]) == [81_920, 327_680, 81_920, 327_680]


def test_gpu_hours_with_count_gives_wall_clock():
    row = estimator.estimate(gpu="H800", gpu_hours="2.788M", count=2048, price=2).iloc[0]
    assert row["hours"] / 24 == pytest.approx(56.7, abs=0.05)


def test_default_band_is_ordered_and_from_profile():
    frame = estimator.estimate(gpu=["H800", "H100", "A100"], gpu_hours=1000)
    assert (frame["cost_usd_low"] <= frame["cost_usd_typical"]).all()
    assert (frame["cost_usd_typical"] <= frame["cost_usd_high"]).all()
    assert frame["price_usd_per_gpu_hour_low"].gt(0).all()


def test_energy_uses_tdp_fraction_and_pue():
    row = estimator.estimate(gpu="H100", count=1, hours=1000, price=2, pue=1.0,
                             power_fraction=1.0).iloc[0]
    assert row["energy_kwh"] == pytest.approx(700)  # 700 W TDP x 1000 h
    row = estimator.estimate(gpu="H100", count=1, hours=1000, price=2).iloc[0]
    assert row["energy_kwh"] == pytest.approx(700 * 0.75 * 1.25)


def test_price_range_and_other_currency():
    row = estimator.estimate(gpu="H800", gpu_hours=1000, price="1.5:2.5").iloc[0]
    assert (row["cost_usd_low"], row["cost_usd_typical"], row["cost_usd_high"]) == (
        1500, 2000, 2500)
    row = estimator.estimate(gpu="H800", gpu_hours=1000, price="7.251 CNY/h",
                             fx_date="2025-01-31").iloc[0]
    # ECB 2025-01-31: CNY 7.5363, USD 1.0393 per EUR -> 7.25132 CNY per USD
    assert row["cost_usd_typical"] == pytest.approx(7.251 / (7.5363 / 1.0393) * 1000)


def test_core_functions_follow_input_type():
    from estimator.models import rental

    series = pd.Series([1.0, 2.0], index=["a", "b"])
    out = rental.gpu_hours(series, 80)
    assert isinstance(out, pd.Series) and list(out.index) == ["a", "b"]
    assert isinstance(rental.gpu_hours(np.array([1, 2]), 3), np.ndarray)
    assert rental.gpu_hours(512, 80) == 40960


@pytest.mark.parametrize("kwargs, error, words", [
    ({"gpu": "H900", "count": 1, "hours": 1}, UnknownNameError, "did you mean H800"),
    ({"count": 1}, InputError, "give count and hours"),
    ({"count": 1, "hours": 1, "gpu_hours": 1}, InputError, "give count and hours"),
    ({"count": -1, "hours": 1}, InputError, "negative"),
    ({"count": 1, "hours": 1, "price": "80 days"}, InputError, "USD per GPU-hour"),
    ({"count": 1, "hours": "80 USD"}, InputError, "hours were expected"),
    ({"count": 1, "hours": 1, "pue": 0.5}, InputError, "below 1"),
    ({"count": 1, "hours": 1, "as_of": "yesterday"}, InputError, "not a date"),
])
def test_bad_input(kwargs, error, words):
    with pytest.raises(error) as info:
        estimator.estimate(**{"gpu": "H800", **kwargs})
    assert words in str(info.value)
