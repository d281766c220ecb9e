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

from estimator.models.transformer_params import layer_params

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


# --- Per-component memory of a full layout (issue 25) -------------------------------------
#
# Dao et al. 2022, "FlashAttention", arXiv 2205.14135, sec. 3.1 and Algorithm 2: the fused
#     kernel never stores the s x s attention matrix; for the backward pass it keeps its
#     output O and the softmax statistics (logsumexp, fp32, one per head and token).
# Korthikanti et al. 2022, sec. 4.3: the cross-entropy loss keeps the logits in 32-bit
#     floating point, 4 s b v / t bytes on the last pipeline stage.
# Megatron-LM docs/source/api-guide/dist_optimizer.md ("bf16 param, fp32 grads": 2 + 4 + 12
#     = 18 bytes per parameter, 6 + 12/d with the distributed optimizer): gradients are kept
#     in fp32 by default for bf16 training.

GRADIENT_DTYPE_BYTES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0}
"""Bytes per gradient element by dtype; DEFAULT_GRADIENT_DTYPE is Megatron-LM's."""

DEFAULT_GRADIENT_DTYPE = "fp32"
"""Gradient dtype by default: Megatron-LM keeps fp32 main gradients for bf16 parameters
(docs/source/api-guide/dist_optimizer.md, 18 bytes per parameter); llm-analysis 0.2.2 does
the same (master_weights_dtype_bytes = 4)."""

ACTIVATION_BYTES = 2.0
"""Bytes per 16-bit activation element (Korthikanti et al. 2022, sec. 4)."""

SOFTMAX_STAT_BYTES = 4.0
"""Bytes per FlashAttention softmax statistic (logsumexp), fp32 (Dao et al. 2022, Alg. 2)."""

LOGIT_BYTES = 4.0
"""Bytes per logit kept for the loss, fp32 (Korthikanti et al. 2022, sec. 4.3)."""

MLP_SAVED_WIDE_TENSORS = {"gelu": 2.0, "swiglu": 3.0}
"""16-bit s x b x f tensors an MLP keeps for backward: GeLU input and output (Korthikanti
Table 2: 8 s b h each at f = 4h, i.e. 2 bytes x f); SwiGLU (Shazeer 2020) keeps the
gate and up projections and their product, the down projection's input (Megatron-LM's fused
swiglu saves its input, 2f wide, and the product)."""

ZERO3_GATHERED_LAYERS = 2
"""Layers whose weights ZeRO-3 holds gathered at once (the one running and the one being
prefetched). An estimate: DeepSpeed's prefetch is set in bytes, not layers."""


def layer_activation_bytes(shape, micro_batch=1, tp=1, recompute=0, flash_attention=True,
                           sequence_parallel=True):
    """Activation bytes one layer keeps for backward on one GPU, averaged over layers.

    With FlashAttention (default), per s b h: attention 3 / sp (QKV input 2, dropout mask
    1) + (2 + 4 kv/a + 2 + 2) / t (Q, K and V, the kernel's output O, the output
    projection's input), plus the logsumexp 4 a s b / t; MLP 3 / sp (input 2, dropout
    mask 1) + 2 x (2 for GeLU, 3 for SwiGLU) x f / h / t, MoE experts x top-k and shared
    experts added; two norms 4 / sp. sp = t with sequence parallelism, else 1.
    Selective recompute drops the attention core (O and the logsumexp), full recompute
    keeps only the layer input, 2 s b h / sp. Without FlashAttention this is Korthikanti
    et al. 2022's Table 2 (activation_bytes_per_layer), whose attention core is 5 a s^2 b.
    ``shape`` is a models.transformer_params.TransformerShape.
    """
    s = shape
    if not flash_attention:
        return activation_bytes_per_layer(s.seq_len, s.hidden, s.heads, micro_batch, tp,
                                          recompute, sequence_parallel)
    sbh = float(s.seq_len) * s.hidden * np.asarray(micro_batch, dtype=float)
    t = np.asarray(tp, dtype=float)
    sp = np.where(np.asarray(sequence_parallel, dtype=bool), t, 1.0)
    kv = s.kv_heads / s.heads
    wide = MLP_SAVED_WIDE_TENSORS[s.mlp] * ACTIVATION_BYTES
    if s.moe:
        f_e = s.expert_ffn_hidden or s.ffn_hidden
        moe_layers = s.layers - s.dense_layers
        width = (s.dense_layers * s.ffn_hidden
                 + moe_layers * (s.top_k + s.shared_experts) * f_e) / s.layers
    else:
        width = s.ffn_hidden
    core = 2.0 * sbh / t + SOFTMAX_STAT_BYTES * s.heads * sbh / s.hidden / t
    kept = (3.0 * sbh / sp + (2.0 + 4.0 * kv + 2.0) * sbh / t      # attention, no core
            + 3.0 * sbh / sp + wide * width / s.hidden * sbh / t   # MLP
            + 4.0 * sbh / sp)                                       # two norms
    recompute = np.asarray(recompute)
    return np.where(recompute == 0, kept + core,
                    np.where(recompute == 1, kept, ACTIVATION_BYTES * sbh / sp))


def memory_breakdown(shape, tp=1, pp=1, dp=1, ep=1, zero=0, recompute=0, micro_batch=1,
                     grad_accum=None, flash_attention=True, sequence_parallel=True,
                     gradient_bytes=GRADIENT_DTYPE_BYTES[DEFAULT_GRADIENT_DTYPE],
                     optimizer_bytes=12.0, weight_bytes=WEIGHT_BYTES, params_scale=1.0) -> dict:
    """Bytes per GPU by component on the busiest pipeline stage: ``weights``, ``gradients``,
    ``optimizer``, ``activations``, ``other`` (fp32 logits on the last stage and ZeRO-3's
    gathered layers) and ``total``; every layout argument broadcasts.

    Layers are split t x p ways, routed experts also ep ways (Megatron-LM); the input
    embedding sits on the first stage and the output layer on the last (both on one GPU
    when p = 1, one matrix when tied), each split t ways. ZeRO (Rajbhandari et al. 2019)
    shards optimizer (stage >= 1), gradients (>= 2) and weights (3) over dp, expert states
    over dp / ep. With 1F1B the first stage keeps min(p, micro-batches) micro-batches of
    L / p layers, L layers' worth when there are enough (Korthikanti sec. 4.2.3); the last
    stage keeps one, plus the logits. ``params_scale`` multiplies the layers' parameters
    (a borrowed shape scaled to a headline size).
    """
    s = shape
    t, p = np.asarray(tp, dtype=float), np.asarray(pp, dtype=float)
    d, e = np.asarray(dp, dtype=float), np.asarray(ep, dtype=float)
    zero = np.asarray(zero)
    parts = layer_params(s)
    dense_layer = params_scale * (parts["attention"] + parts["dense_mlp"]) / t
    expert_layer = params_scale * parts["experts"] / (t * e)
    per_stage = s.layers / p
    embedding = s.vocab * s.hidden / t
    copies = np.where(p > 1, 1.0, 1.0 if s.tied_embeddings else 2.0)
    first = per_stage * dense_layer + copies * embedding
    last = first + s.hidden / t                               # the final norm
    experts = per_stage * expert_layer
    expert_dp = np.maximum(d / e, 1.0)

    def states(dense_params, nbytes, stage):
        shard = zero >= stage
        return nbytes * (dense_params / np.where(shard, d, 1.0)
                         + experts / np.where(shard, expert_dp, 1.0))

    micro_batches = p if grad_accum is None else np.minimum(p, np.asarray(grad_accum))
    per_layer = layer_activation_bytes(s, micro_batch, t, recompute, flash_attention,
                                       sequence_parallel)
    acts_first = per_stage * micro_batches * per_layer
    acts_last = per_stage * per_layer
    logits = LOGIT_BYTES * s.vocab * s.seq_len * np.asarray(micro_batch, dtype=float) / t
    gathered = np.where(zero >= 3, ZERO3_GATHERED_LAYERS * weight_bytes
                        * (dense_layer + expert_layer), 0.0)
    one_stage = p <= 1
    out = {}
    for name, stage in (("first", first), ("last", last)):
        acts = acts_first if name == "first" else acts_last
        other = gathered + (logits if name == "last" else np.where(one_stage, logits, 0.0))
        parts_ = {"weights": states(stage, weight_bytes, 3),
                  "gradients": states(stage, gradient_bytes, 2),
                  "optimizer": states(stage, np.asarray(optimizer_bytes), 1),
                  "activations": np.where(one_stage, acts_first, acts), "other": other}
        parts_["total"] = sum(parts_.values())
        out[name] = parts_
    busiest_last = out["last"]["total"] > out["first"]["total"]
    return {k: np.where(busiest_last, out["last"][k], out["first"][k]) for k in out["first"]}
