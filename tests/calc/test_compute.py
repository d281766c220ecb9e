"""The compute route (estimator/compute.py, compute_api.py) against published figures."""

import numpy as np
import pytest

import estimator
from estimator.errors import InputError
from estimator.models import flops as fl


def test_deepseek_v3_implied_mfu_6nd():
    # DeepSeek-V3 (arXiv 2412.19437): 37B activated params, 14.8T tokens, 2.664M H800
    # GPU-hours of pre-training; BF16 dense peak 989 TFLOPS. 6ND / (GPU-h x 3600 x peak).
    row = estimator.compute(gpu="H800", params="37B", tokens="14.8T",
                            gpu_hours="2.664M").iloc[0]
    assert row["training_flop"] == pytest.approx(3.2856e24, rel=1e-4)
    assert row["mfu"] == pytest.approx(0.346, abs=0.001)


def test_deepseek_v3_mfu_from_250_gflop_per_token():
    # DeepSeek ISCA paper (arXiv 2505.09343): about 250 GFLOP per training token;
    # derived here: 250e9 x 14.8e12 = 3.7e24 FLOP / (2.664e6 GPU-h x 3600 s) = 385.8 TFLOP/s
    # per GPU: 39.0% of the H800's 989 BF16 dense TFLOPS, 19.5% of its 1,979 FP8 dense
    # (NVIDIA H100/H800 datasheet, dense = half the sparsity figure); 2.664M GPU-hours:
    # DeepSeek-V3 report (arXiv 2412.19437), Table 1.
    bf16 = estimator.compute(gpu="H800", flop_per_token="250G", tokens="14.8T",
                             gpu_hours="2.664M").iloc[0]
    assert bf16["mfu"] == pytest.approx(0.39, abs=0.002)
    fp8 = estimator.compute(gpu="H800", flop_per_token="250G", tokens="14.8T",
                            gpu_hours="2.664M", precision="fp8").iloc[0]
    assert fp8["mfu"] == pytest.approx(0.195, abs=0.001)


def test_gpt3_pf_days():
    # GPT-3 paper (arXiv 2005.14165), Table D.1: 3.14e23 FLOP = 3.64e3 PF-days.
    assert fl.pf_days(3.14e23) == pytest.approx(3640, rel=0.002)
    row = estimator.compute(gpu="V100", flop="3640 PF-days", precision="fp16", mfu=0.2).iloc[0]
    assert row["training_flop"] == pytest.approx(3.14e23, rel=0.002)


def test_mfu_range_gives_low_and_high_columns():
    row = estimator.compute(gpu="H800", params="37B", tokens="14.8T", mfu="0.3:0.45",
                            count=2048, price=2).iloc[0]
    assert row["gpu_hours_low"] < row["gpu_hours"] < row["gpu_hours_high"]
    assert row["gpu_hours_low"] == pytest.approx(3.2856e24 / (989e12 * 0.45 * 3600), rel=1e-4)
    assert row["wall_clock_hours"] == pytest.approx(row["gpu_hours"] / 2048)
    assert row["cost_usd_low"] == pytest.approx(row["gpu_hours_low"] * 2)
    assert row["cost_usd_high"] == pytest.approx(row["gpu_hours_high"] * 2)


def test_default_mfu_is_epochs_median():
    row = estimator.compute(gpu="H100", params="7B", tokens="2T").iloc[0]
    assert row["mfu"] == 0.375


def test_warnings_for_implausible_mfu():
    high = estimator.compute(gpu="H100", params="7B", tokens="2T", mfu=0.7).iloc[0]
    assert "implausible" in high["warnings"]
    low = estimator.compute(gpu="H100", params="7B", tokens="2T", gpu_hours="100M").iloc[0]
    assert "implausibly low" in low["warnings"]
    ok = estimator.compute(gpu="H100", params="7B", tokens="2T", mfu=0.4).iloc[0]
    assert ok["warnings"] == ""


def test_fp8_on_a100_is_an_error():
    with pytest.raises(InputError, match="precision: NVIDIA A100 SXM4 80GB has no FP8"):
        estimator.compute(gpu="A100", params="7B", tokens="1T", precision="fp8")


@pytest.mark.parametrize("kwargs", [
    {"params": "7B"},
    {"params": "7B", "tokens": "1T", "flop": 1e22},
    {"params": "7B", "tokens": "1T", "mfu": 0.3, "gpu_hours": 1000},
    {"params": "7B", "tokens": "1T", "mfu": 1.5},
])
def test_bad_combinations(kwargs):
    with pytest.raises(InputError):
        estimator.compute(gpu="H100", **kwargs)


def test_lists_form_a_product():
    frame = estimator.compute(gpu=["H100", "A100"], params=["7B", "70B"], tokens="2T",
                              mfu=[0.3, 0.4])
    assert len(frame) == 8
    np.testing.assert_allclose(frame["training_flop"][:4], [8.4e22, 8.4e22, 8.4e23, 8.4e23])


def test_mfu_above_one_is_impossible():
    row = estimator.compute(gpu="H800", params="37B", tokens="14.8T", gpu_hours="100K").iloc[0]
    assert row["mfu"] > 1 and "impossible" in row["warnings"]


def test_mfu_warning_edges_are_exclusive():
    # flops.MFU_PLAUSIBLE = (0.05, 0.6): a warning only strictly above 0.6 or below 0.05
    warnings = fl.mfu_warning([0.6, 0.6000001, 0.05, 0.0499999, 1.0, 1.0000001])
    assert warnings[0] == ""
    assert warnings[1] == "MFU above 0.6 is implausible for training at scale"
    assert warnings[2] == ""
    assert warnings[3] == "MFU below 0.05 is implausibly low"
    assert warnings[4] == "MFU above 0.6 is implausible for training at scale"
    assert warnings[5] == "MFU above 1 is impossible: too few GPU-hours for this much compute"


def test_mfu_exactly_0_6_gives_no_warning_through_compute():
    at_edge = estimator.compute(gpu="H100", params="7B", tokens="2T", mfu=0.6).iloc[0]
    assert at_edge["warnings"] == ""
    above = estimator.compute(gpu="H100", params="7B", tokens="2T", mfu=0.6000001).iloc[0]
    assert above["warnings"] == "MFU above 0.6 is implausible for training at scale"
