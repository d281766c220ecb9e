"""The step-time model (estimator/models/step_time.py): a small layout timed by hand, the
pipeline bubble of Narayanan et al. 2021, and its invariants (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.models.step_time import (
    model_flop_per_step,
    pipeline_bubble_share,
    ring_collective_bytes,
    step_time,
)

SMALL = dict(layers=2, hidden=1024, heads=8, seq_len=512, vocab=1000,
             params=12 * 2 * 1024**2 + 1000 * 1024,          # 26,189,824 = 12 L h^2 + V h
             tp=2, pp=2, dp=2, micro_batch=1, global_batch=8, peak_tflops=100,
             matmul_fraction=0.5, hbm_tb_per_s=1, tp_gb_per_s=100, dp_gb_per_s=10,
             latency_s=0, sequence_parallel=False)


def test_small_layout_by_hand():
    # m = B / (d b) = 8 / 2 = 4 micro-batches; one layer per stage (L / p = 1).
    # matmuls, one layer forward: (2 b s 12h^2 + 4 b s^2 h) / t = 13,958,643,712 / 2 FLOP
    #   at 100e12 x 0.5 FLOP/s = 1.3958643712e-4 s
    # memory-bound: 2 x s b h (10 + 24/t + 5 a s/(h t)) = 2 x 524,288 x 32 bytes at 1e12 B/s
    #   = 3.3554432e-5 s
    # tensor-parallel: 2 all-reduces x 2 (t-1)/t x 2 b s h bytes = 2 x 1,048,576 B at 100e9 B/s
    #   = 2.097152e-5 s
    # logits: 2 b s h V / t = 524,288,000 FLOP at 5e13 = 1.048576e-5 s
    # per micro-batch: compute 3 x (1.3958643712e-4 + 3.3554432e-5) + 3 x 1.048576e-5
    #   = 5.5087988736e-4 s; tensor-parallel 2 x 2.097152e-5 = 4.194304e-5 s
    # data-parallel: 2 (d-1)/d x 2 N / (t p) bytes = 13,094,912 B at 10e9 B/s = 1.3094912e-3 s
    # optimizer (Adam, 30 bytes per parameter of the N / (t p) = 6,547,456 a GPU updates):
    #   196,423,680 B at 1e12 B/s = 1.9642368e-4 s, once per step, in compute
    out = step_time(**SMALL)
    assert out["micro_batches"] == 4
    assert out["optimizer_s"] == pytest.approx(1.9642368e-4, rel=1e-12)
    assert out["compute_s"] == pytest.approx(4 * 5.5087988736e-4 + 1.9642368e-4, rel=1e-12)
    assert out["tp_comm_s"] == pytest.approx(4 * 4.194304e-5, rel=1e-12)
    assert out["pp_bubble_s"] == pytest.approx(5.5087988736e-4 + 4.194304e-5, rel=1e-12)
    assert out["dp_comm_s"] == pytest.approx(1.3094912e-3, rel=1e-12)
    assert out["recompute_s"] == 0
    assert out["step_s"] == pytest.approx(4.4700295168e-3, rel=1e-12)
    # model FLOP = B s (6 N + 12 L h s) = 4096 x 169,721,856
    assert out["model_flop"] == 695_180_722_176
    assert out["mfu"] == pytest.approx(695_180_722_176 / (8 * 100e12 * 4.4700295168e-3))


def test_optimizer_state_sharded_by_zero():
    # ZeRO stage >= 1 shards the Adam state over d = 2: 3,273,728 parameters x 30 B at 1 TB/s
    assert step_time(**{**SMALL, "zero": 1})["optimizer_s"] == pytest.approx(9.821184e-5)
    assert step_time(**{**SMALL, "zero": 0})["optimizer_s"] == pytest.approx(1.9642368e-4)



def test_flash_attention_drops_the_score_traffic():
    # without the 5 a s / (h t) = 10 of the 32 s b h: 2 x 524,288 x 22 B = 2.3068672e-5 s
    # forward; x 3 (forward + backward) x 4 micro-batches less than 3.3554432e-5 s each
    base, flash = step_time(**SMALL), step_time(**{**SMALL, "flash_attention": True})
    saved = 4 * 3 * (3.3554432e-5 - 2.3068672e-5)
    assert base["compute_s"] - flash["compute_s"] == pytest.approx(saved, rel=1e-9)
    # selective recompute keeps the attention FLOP, 4 b s^2 h / t = 536,870,912 at 5e13
    sel = step_time(**{**SMALL, "flash_attention": True, "recompute": 1})
    assert sel["recompute_s"] == pytest.approx(4 * 1.073741824e-5, rel=1e-9)


def test_distributed_checkpoints_gather_before_recompute():
    # one all-gather of 2 b s h = 1,048,576 B per layer: (t-1)/t of it at 100 GB/s = 5.24288e-6 s
    full = step_time(**{**SMALL, "recompute": 2})
    split = step_time(**{**SMALL, "recompute": 2, "distribute_checkpoints": True})
    assert split["tp_comm_s"] - full["tp_comm_s"] == pytest.approx(4 * 5.24288e-6, rel=1e-9)
    assert step_time(**{**SMALL, "distribute_checkpoints": True})["tp_comm_s"] == \
        pytest.approx(full["tp_comm_s"])


def test_full_recompute_repeats_the_forward():
    base = step_time(**SMALL)
    full = step_time(**{**SMALL, "recompute": 2})
    # one forward per layer and micro-batch: matmuls + memory + the two all-reduces
    forward = 1.3958643712e-4 + 3.3554432e-5 + 2.097152e-5
    assert full["recompute_s"] == pytest.approx(4 * forward, rel=1e-12)
    assert full["compute_s"] == pytest.approx(base["compute_s"])
    assert full["hardware_flop"] > full["model_flop"] == base["model_flop"]


def test_dp_overlap_hides_gradient_reduction_behind_backward():
    # no pipeline: two layers per stage; a fast network hides all but the last layer's half:
    # 2 (d-1)/d x 2 N / t = 26,189,824 B at 1e12 B/s = 2.6189824e-5 s, half of it exposed
    hidden_away = step_time(**{**SMALL, "pp": 1, "dp_overlap": True, "dp_gb_per_s": 1000})
    assert hidden_away["dp_comm_s"] == pytest.approx(2.6189824e-5 / 2, rel=1e-12)
    # one layer per stage: nothing of the reduction can overlap
    one_layer = step_time(**{**SMALL, "dp_overlap": True, "dp_gb_per_s": 1000})
    assert one_layer["dp_comm_s"] == pytest.approx(1.3094912e-5, rel=1e-12)
    # a slow network: all but the backward window (4 micro-batches x 2 layers x backward)
    exposed = step_time(**{**SMALL, "pp": 1, "dp_overlap": True, "dp_gb_per_s": 0.1})
    window = 4 * 2 * 2 * (1.3958643712e-4 + 3.3554432e-5)
    assert exposed["dp_comm_s"] == pytest.approx(26_189_824 / 0.1e9 - window, rel=1e-9)


def test_bubble_formula_narayanan():
    # (p-1)/(m+p-1): p = 8, m = 32 -> 7/39; interleaved v = 4 -> 1.75/33.75 (sec. 2.2.2)
    assert pipeline_bubble_share(8, 32) == pytest.approx(7 / 39)
    assert pipeline_bubble_share(8, 32, 4) == pytest.approx(1.75 / 33.75)
    assert pipeline_bubble_share(1, 5) == 0


def test_ring_volume_and_narayanan_flop_count():
    assert ring_collective_bytes(100.0, 8) == pytest.approx(175.0)
    # Narayanan eq. 3: 72 B s L h^2 (1 + s/(6h) + V/(12 L h)) for N = 12 L h^2 + V h
    B, s, L, h, V = 1536, 2048, 96, 12288, 51200
    n = 12 * L * h**2 + V * h
    eq3 = 72 * B * s * L * h**2 * (1 + s / (6 * h) + V / (12 * L * h))
    assert model_flop_per_step(B, s, L, h, V, n) == pytest.approx(eq3, rel=1e-12)
    full = 96 * B * s * L * h**2 * (1 + s / (6 * h) + V / (16 * L * h))
    assert model_flop_per_step(B, s, L, h, V, n, 2) == pytest.approx(full, rel=1e-12)


def test_vectorised_over_layouts():
    out = step_time(**{**SMALL, "tp": np.array([1, 2, 4]), "dp": np.array([4, 2, 1])})
    assert out["step_s"].shape == (3,)
    single = step_time(**{**SMALL, "tp": 4, "dp": 1})
    assert out["step_s"][2] == pytest.approx(single["step_s"])


layouts = st.fixed_dictionaries({
    "tp": st.sampled_from([1, 2, 4, 8]), "pp": st.sampled_from([1, 2, 4, 8]),
    "dp": st.sampled_from([1, 2, 16, 64]), "micro_batch": st.sampled_from([1, 2]),
    "accumulation": st.integers(1, 64), "recompute": st.sampled_from([0, 1, 2]),
    "interleave": st.sampled_from([1, 2]), "dp_overlap": st.booleans(),
    "sequence_parallel": st.booleans(), "flash_attention": st.booleans(),
    "distribute_checkpoints": st.booleans(), "zero": st.sampled_from([0, 1, 2, 3])})


def _run(layout, **speeds):
    layout = dict(layout)
    accumulation = layout.pop("accumulation")
    layout["global_batch"] = layout["dp"] * layout["micro_batch"] * accumulation
    base = dict(layers=32, hidden=4096, heads=32, seq_len=2048, vocab=32000, params=6.7e9,
                peak_tflops=312, matmul_fraction=0.86, hbm_tb_per_s=2.0, tp_gb_per_s=300,
                dp_gb_per_s=25, latency_s=5e-6)
    return step_time(**{**base, **layout, **speeds})


@settings(max_examples=60, deadline=None)
@given(layouts, st.floats(1.01, 10))
def test_more_bandwidth_never_lowers_mfu(layout, factor):
    slow = _run(layout)
    fast_tp = _run(layout, tp_gb_per_s=300 * factor)
    fast_dp = _run(layout, dp_gb_per_s=25 * factor)
    assert fast_tp["mfu"] >= slow["mfu"] * (1 - 1e-12)
    assert fast_dp["mfu"] >= slow["mfu"] * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(layouts)
def test_more_micro_batches_never_raise_the_bubble_share(layout):
    fewer = _run(layout)
    more = _run({**layout, "accumulation": layout["accumulation"] + 1})
    assert more["time_share_pp_bubble"] <= fewer["time_share_pp_bubble"] + 1e-12


@settings(max_examples=60, deadline=None)
@given(layouts)
def test_shares_sum_to_one_and_mfu_is_a_fraction(layout):
    out = _run(layout)
    shares = sum(out[f"time_share_{n}"] for n in
                 ("compute", "tp_comm", "pp_bubble", "dp_comm", "recompute"))
    assert shares == pytest.approx(1.0, abs=1e-12)
    assert 0 < out["mfu"] <= out["hfu"] < 1


def test_zero3_moves_one_and_a_half_times_the_gradient_volume():
    # Rajbhandari et al. 2020, sec. 7.2.2: 3 Psi (ZeRO-3) vs 2 Psi (all-reduce)
    plain = step_time(**SMALL)
    zero3 = step_time(**{**SMALL, "zero": 3})
    assert zero3["dp_comm_s"] == pytest.approx(1.5 * plain["dp_comm_s"])
    # by hand: 1.5 x 13,094,912 B at 10e9 B/s; stage 2 (FSDP without resharding after the
    # forward, as OPT-175B ran) moves the all-reduce volume
    assert zero3["dp_comm_s"] == pytest.approx(1.9642368e-3, rel=1e-12)
    assert step_time(**{**SMALL, "zero": 2})["dp_comm_s"] == pytest.approx(1.3094912e-3)
    assert step_time(**{**SMALL, "zero": 1})["dp_comm_s"] == plain["dp_comm_s"]
