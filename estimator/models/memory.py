"""Per-GPU training memory: model states (weights, gradients, optimizer) and activations.

Pure vectorised numpy; sizes in bytes unless a name says otherwise (GB = 1e9 bytes).

References
----------
Rajbhandari et al. 2019, "ZeRO: Memory Optimizations Toward Training Trillion Parameter
    Models", arXiv 1910.02054, sec. 3.1 and 5: mixed-precision Adam keeps 2 bytes of fp16
    weights + 2 of fp16 gradients + K = 12 of optimizer state (fp32 weights, momentum,
    variance) per parameter, 16 bytes in all; stage 1 partitions the optimizer states,
    stage 2 also the gradients, stage 3 also the weights, over the N_d data-parallel ranks.
Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models",
    arXiv 2205.05198, sec. 4 and Table 2: activation bytes per layer with 16-bit
    activations, micro-batch b, sequence s, hidden h, heads a, tensor-parallel size t.
Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters
    Using Megatron-LM", arXiv 2104.04473: tensor parallelism splits each layer's weights
    t ways, pipeline parallelism splits the layers p ways; with 1F1B scheduling the first
    stage holds p micro-batches in flight, i.e. L layers' worth of activations
    (Korthikanti et al. 2022, sec. 4.2.3).
"""

from __future__ import annotations

import numpy as np

GB = 1e9

WEIGHT_BYTES = 2.0
"""Bytes per parameter of the 16-bit (bf16/fp16) working weights (ZeRO sec. 3.1)."""

GRADIENT_BYTES = 2.0
"""Bytes per parameter of the 16-bit gradients (ZeRO sec. 3.1)."""

OPTIMIZER_BYTES = {"adam": 12.0, "sgd": 8.0}
"""Optimizer-state bytes per parameter in mixed precision: Adam keeps fp32 weights,
momentum and variance, K = 12 (ZeRO sec. 3.1); SGD with momentum keeps fp32 weights and
momentum, 8 (same accounting, one state fewer)."""

ZERO_STAGES = (0, 1, 2, 3)

DEFAULT_HEADROOM = 0.1
"""Share of GPU memory kept free for the CUDA context, communication buffers and
fragmentation. An estimate (not from a source): fits means total <= (1 - headroom) x memory."""


def model_state_bytes(params, tp=1, pp=1, dp=1, zero=0, optimizer_bytes=12.0,
                      weight_bytes=WEIGHT_BYTES, gradient_bytes=GRADIENT_BYTES):
    """Bytes per GPU of weights + gradients + optimizer states.

    The model is split tp x pp ways (Megatron-LM); ZeRO stage >= 1 divides the optimizer
    states by dp, >= 2 also the gradients, 3 also the weights (ZeRO sec. 5.1-5.3).
    With tp = pp = 1 and 7.5B parameters on dp = 64: 120 / 31.4 / 16.6 / 1.88 GB for
    stages 0-3 (ZeRO Figure 1).
    """
    shard = np.divide(params, np.multiply(tp, pp))
    zero = np.asarray(zero)
    dp = np.asarray(dp, dtype=float)
    weights = shard * weight_bytes / np.where(zero >= 3, dp, 1.0)
    grads = shard * gradient_bytes / np.where(zero >= 2, dp, 1.0)
    optim = shard * np.asarray(optimizer_bytes) / np.where(zero >= 1, dp, 1.0)
    return weights + grads + optim


def activation_bytes_per_layer(seq_len, hidden, heads, micro_batch=1, tp=1, recompute=0,
                               sequence_parallel=True):
    """Activation bytes per transformer layer on one GPU (Korthikanti et al. 2022, Table 2).

    recompute 0 (none):      s b h (10 + 24/t + 5 a s / (h t))   no sequence parallelism
                             s b h / t (34 + 5 a s / h)          with it
    recompute 1 (selective): s b h (10 + 24/t)                   no sequence parallelism
                             34 s b h / t                        with it
    recompute 2 (full):      2 s b h, only the layer input; / t with sequence parallelism,
                             which shards that input along the sequence (sec. 4.2.2).
    With t = 1 the first line is eq. (1), s b h (34 + 5 a s / h).
    """
    sbh = np.multiply(np.multiply(seq_len, micro_batch), hidden).astype(float)
    t = np.asarray(tp, dtype=float)
    sp = np.asarray(sequence_parallel, dtype=bool) & (t > 1)
    attn = 5.0 * np.multiply(heads, seq_len) / np.asarray(hidden, dtype=float)
    none = np.where(sp, sbh / t * (34.0 + attn), sbh * (10.0 + 24.0 / t + attn / t))
    selective = np.where(sp, 34.0 * sbh / t, sbh * (10.0 + 24.0 / t))
    full = np.where(sp, 2.0 * sbh / t, 2.0 * sbh)
    recompute = np.asarray(recompute)
    return np.where(recompute == 0, none, np.where(recompute == 1, selective, full))


def activation_bytes(layers, seq_len, hidden, heads, micro_batch=1, tp=1, recompute=0,
                     sequence_parallel=True):
    """Activation bytes on the busiest GPU = per layer x L (Korthikanti sec. 4.2.3: with
    1F1B pipelining the first stage keeps p micro-batches of L/p layers, L layers' worth,
    whatever p is). Embedding, output layer and loss buffers are left out (a few percent)."""
    return np.multiply(layers, activation_bytes_per_layer(
        seq_len, hidden, heads, micro_batch, tp, recompute, sequence_parallel))


def memory_per_gpu_bytes(params, layers, seq_len, hidden, heads, tp=1, pp=1, dp=1, zero=0,
                         recompute=0, micro_batch=1, sequence_parallel=True,
                         optimizer_bytes=12.0):
    """Model states plus activations per GPU [bytes]."""
    return (model_state_bytes(params, tp, pp, dp, zero, optimizer_bytes)
            + activation_bytes(layers, seq_len, hidden, heads, micro_batch, tp, recompute,
                               sequence_parallel))


def usable_bytes(memory_gb, headroom=DEFAULT_HEADROOM):
    """Bytes a training job may use on a GPU of ``memory_gb`` [GB]: (1 - headroom) x memory."""
    return np.multiply(memory_gb, GB) * (1.0 - np.asarray(headroom))


def smallest_count_that_fits(params, activation_bytes_per_gpu, memory_gb, tp=1, pp=1,
                             headroom=DEFAULT_HEADROOM, optimizer_bytes=12.0):
    """Smallest GPU count [GPU] holding the model with ZeRO-3 at the given tp x pp.

    With ZeRO-3 every model-state byte is divided by the total count (tp x pp x dp), so
    count >= (2 + 2 + K) N / (usable - activations), rounded up to a multiple of tp x pp.
    Infinity where the activations alone exceed the usable memory.
    """
    room = usable_bytes(memory_gb, headroom) - np.asarray(activation_bytes_per_gpu)
    states = np.multiply(params, WEIGHT_BYTES + GRADIENT_BYTES + np.asarray(optimizer_bytes))
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(room > 0, states / np.where(room > 0, room, 1.0), np.inf)
    unit = np.multiply(tp, pp)
    return np.where(np.isfinite(raw), np.ceil(raw / unit) * unit, np.inf)
