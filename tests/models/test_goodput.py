"""Failures and goodput: Llama 3's 16,384-GPU run, and how goodput falls with scale."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.models import goodput as gp


def test_default_rate_is_llama3_419_interruptions_in_54_days_on_16384_gpus():
    # 419 / (54 x 24 x 16,384) = 1.97328e-5 per GPU-hour; MTBF at 16,384 GPUs 54 x 24 / 419
    assert gp.DEFAULT_FAILURES_PER_GPU_HOUR == pytest.approx(1.97328e-5, rel=1e-5)
    assert float(gp.job_mtbf_hours(16_384)) == pytest.approx(1296 / 419)


def test_llama3_scale_keeps_more_than_90_percent_goodput():
    # Llama 3 report (arXiv 2407.21783) sec. 3.3.4: "higher than 90% effective training time"
    assert float(gp.goodput(16_384)) > 0.90


def test_goodput_falls_with_scale():
    shares = gp.goodput(np.array([1_024, 4_096, 16_384, 65_536, 262_144]))
    assert np.all(np.diff(shares) < 0)


def test_young_interval():
    # sqrt(2 x 0.1 h x 10 h) = sqrt(2) = 1.41421 h (Young 1974)
    assert float(gp.young_interval_hours(0.1, 10)) == pytest.approx(1.41421, rel=1e-5)


def test_daly_interval_higher_order():
    # Daly 2006 eq. (37): sqrt(2) x (1 + sqrt(0.005)/3 + 0.1/180) - 0.1
    # = 1.41421 x 1.024126 - 0.1 = 1.348331 h
    assert float(gp.daly_interval_hours(0.1, 10)) == pytest.approx(1.348331, rel=1e-5)


def test_daly_interval_is_mtbf_when_checkpoints_are_too_slow():
    assert float(gp.daly_interval_hours(5, 2)) == 2.0


def test_goodput_by_hand():
    # M = 10 h, tau = 1 h, delta = 0.1 h, R = 0.2 h: 1 / 1.1 x (1 - (0.2 + 0.55) / 10)
    # = 0.909091 x 0.925 = 0.840909
    share = gp.goodput(1, failures_per_gpu_hour=0.1, checkpoint_hours=0.1, restart_hours=0.2,
                       interval_hours=1.0)
    assert float(share) == pytest.approx(0.840909, rel=1e-5)


def test_planned_gpu_hours_divide_by_goodput():
    assert float(gp.planned_gpu_hours(900, 0.9)) == pytest.approx(1000)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10**6), st.floats(min_value=1.01, max_value=10))
def test_goodput_never_rises_with_more_gpus(count, factor):
    assert gp.goodput(int(count * factor) + 1) <= gp.goodput(count)
