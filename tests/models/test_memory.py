"""Per-GPU memory against published and peer-computed figures."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.models import memory as mem

GB = 1e9


@pytest.mark.parametrize("stage, expected_gb", [(0, 120), (1, 31.4), (2, 16.6), (3, 1.88)])
def test_zero_paper_7_5b_on_64_gpus(stage, expected_gb):
    # Rajbhandari et al. 2019 (arXiv 1910.02054), Figure 1: Psi = 7.5B, N_d = 64, K = 12:
    # baseline 120 GB, P_os 31.4 GB, P_os+g 16.6 GB, P_os+g+p 1.88 GB per device.
    got = mem.model_state_bytes(7.5e9, dp=64, zero=stage) / GB
    assert float(got) == pytest.approx(expected_gb, abs=0.05)  # the paper rounds to 3 digits


def test_mixed_precision_adam_is_16_bytes_per_parameter():
    # ZeRO sec. 3.1 and EleutherAI "Transformer Math 101" (2023): 2 + 2 + 12 bytes/param
    assert float(mem.model_state_bytes(1.0)) == 16.0


def test_gpt3_activations_per_layer_korthikanti_eq1():
    # Korthikanti et al. 2022 (arXiv 2205.05198), eq. (1) s b h (34 + 5 a s / h), for GPT-3
    # (a = 96, s = 2048, h = 12288, b = 1): the paper notes 5 a s / h = 80 for GPT-3, so
    # 2048 x 12288 x 114 = 2,868,903,936 bytes per layer.
    got = mem.activation_bytes_per_layer(2048, 12288, 96, micro_batch=1, tp=1)
    assert float(got) == 2_868_903_936


def test_selective_recompute_saves_70_percent_for_gpt3_korthikanti():
    # Korthikanti sec. 5: for GPT-3 selective recompute cuts activation memory by 70%
    # (80 of 34 + 80 = 114 is dropped); with tensor and sequence parallelism t = 8.
    full = mem.activation_bytes_per_layer(2048, 12288, 96, tp=8, recompute=0)
    selective = mem.activation_bytes_per_layer(2048, 12288, 96, tp=8, recompute=1)
    assert float(1 - selective / full) == pytest.approx(0.70, abs=0.005)


def test_tensor_parallel_without_sequence_parallel_table2():
    # Korthikanti Table 2, tensor parallel: s b h (10 + 24/t + 5 a s / (h t)); GPT-3, t = 8:
    # 2048 x 12288 x (10 + 3 + 10) = 578,813,952 bytes
    got = mem.activation_bytes_per_layer(2048, 12288, 96, tp=8, sequence_parallel=False)
    assert float(got) == 578_813_952


def test_full_recompute_keeps_only_layer_input():
    # Korthikanti Table 2, full recompute: 2 s b h = 2 x 2048 x 12288 = 50,331,648 bytes
    got = mem.activation_bytes_per_layer(2048, 12288, 96, recompute=2, sequence_parallel=False)
    assert float(got) == 50_331_648


def test_smallest_count_that_fits_70b_on_80gb():
    # 70e9 x 16 bytes = 1.12e12 bytes of model state; usable 72 GB with 10 GB activations
    # leaves 62 GB: 1.12e12 / 62e9 = 18.06 -> 24 at tp x pp = 8
    got = mem.smallest_count_that_fits(70e9, 10e9, 80, tp=8, pp=1)
    assert float(got) == 24


def test_smallest_count_is_infinite_when_activations_alone_overflow():
    assert np.isinf(mem.smallest_count_that_fits(7e9, 100e9, 80))


sizes = st.floats(min_value=1e8, max_value=2e12)
degrees = st.sampled_from([1, 2, 4, 8])


@settings(max_examples=60, deadline=None)
@given(sizes, degrees, degrees, st.integers(min_value=1, max_value=512),
       st.sampled_from([0, 1, 2, 3]))
def test_memory_per_gpu_falls_with_more_sharding(params, tp, pp, dp, zero):
    base = mem.memory_per_gpu_bytes(params, 32, 4096, 4096, 32, tp, pp, dp, zero)
    assert mem.memory_per_gpu_bytes(params, 32, 4096, 4096, 32, tp * 2, pp, dp, zero) < base
    assert mem.memory_per_gpu_bytes(params, 32, 4096, 4096, 32, tp, pp * 2, dp, zero) < base
    if zero:
        assert mem.memory_per_gpu_bytes(params, 32, 4096, 4096, 32, tp, pp, dp * 2,
                                        zero) < base
    if zero < 3 and dp > 1:
        assert mem.memory_per_gpu_bytes(params, 32, 4096, 4096, 32, tp, pp, dp,
                                        zero + 1) < base


def test_flash_attention_layer_inventory_by_hand():
    # Llama 2 7B (h 4096, 32 heads, SwiGLU f 11008), s 4096, b 1, t 1, per s b h:
    # attention 3 + 2 + 4 + 2 = 11; MLP 3 + 2 x 3 x 11008 / 4096 = 19.125; norms 4;
    # FlashAttention core: output 2 + fp32 logsumexp 4 x 32 / 4096 = 2.03125.
    # 36.15625 x 4096 x 4096 = 606,601,216 bytes
    from estimator.data.architectures import get_architecture
    shape = get_architecture("llama-2-7b").shape
    assert float(mem.layer_activation_bytes(shape)) == 606_601_216
    # selective drops the core; full keeps the 2-byte layer input
    assert float(mem.layer_activation_bytes(shape, recompute=1)) == 34.125 * 4096 * 4096
    assert float(mem.layer_activation_bytes(shape, recompute=2)) == 2 * 4096 * 4096
    # without FlashAttention: Korthikanti's eq. (1), s b h (34 + 5 a s / h)
    assert float(mem.layer_activation_bytes(shape, flash_attention=False)) == (
        4096 * 4096 * (34 + 5 * 32 * 4096 / 4096))


def test_breakdown_puts_embeddings_on_first_and_last_stage():
    from estimator.data.architectures import get_architecture
    from estimator.models.transformer_params import layer_params
    shape = get_architecture("llama-2-7b").shape
    per_layer = sum(layer_params(shape).values())
    one = mem.memory_breakdown(shape, pp=1, zero=0, recompute=2)
    # pp 1: 32 layers + input embedding + output layer + final norm, 2 bytes each
    assert float(one["weights"]) == 2 * (32 * per_layer + 2 * 32000 * 4096 + 4096)
    four = mem.memory_breakdown(shape, pp=4, zero=0, recompute=2, grad_accum=4)
    # pp 4: the busiest stage holds 8 layers and one of the two embedding matrices
    assert float(four["weights"]) in (2 * (8 * per_layer + 32000 * 4096),
                                      2 * (8 * per_layer + 32000 * 4096 + 4096))


shapes = st.sampled_from(["llama-2-7b", "llama-2-70b", "gpt-3-175b", "mixtral-8x7b"])


@settings(max_examples=60, deadline=None)
@given(shapes, st.sampled_from([1, 2, 4, 8]), st.sampled_from([1, 2, 4, 8]),
       st.sampled_from([8, 16, 64, 256]), st.sampled_from([0, 1, 2, 3]),
       st.sampled_from([0, 1, 2]), st.booleans())
def test_breakdown_sums_and_falls_with_sharding(name, tp, pp, dp, zero, recompute, flash):
    from estimator.data.architectures import get_architecture
    shape = get_architecture(name).shape
    args = dict(recompute=recompute, flash_attention=flash, grad_accum=64)
    base = mem.memory_breakdown(shape, tp, pp, dp, 1, zero, **args)
    parts = sum(base[k] for k in ("weights", "gradients", "optimizer", "activations", "other"))
    assert float(base["total"]) == pytest.approx(float(parts))
    assert all(float(base[k]) >= 0 for k in base)
    assert float(mem.memory_breakdown(shape, tp * 2, pp, dp, 1, zero, **args)["total"]) < float(
        base["total"])
    assert float(mem.memory_breakdown(shape, tp, pp, dp * 2, 1, zero, **args)["total"]) <= float(
        base["total"])
    if zero < 2:    # stages 1 and 2 only shard; stage 3 also holds gathered layers
        assert float(mem.memory_breakdown(shape, tp, pp, dp, 1, zero + 1, **args)["total"]) < (
            float(base["total"]))
    if recompute < 2:
        assert float(mem.memory_breakdown(shape, tp, pp, dp, 1, zero, recompute=recompute + 1,
                                          flash_attention=flash, grad_accum=64)["activations"]
                     ) < float(base["activations"])
