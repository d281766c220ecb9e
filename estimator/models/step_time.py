"""Time of one training step for a parallel layout, and the MFU it implies.

Pure vectorised functions: every argument broadcasts (scalar or ndarray), one row per layout.

The step is built from the pieces of Narayanan et al. 2021 ("Efficient Large-Scale Language
Model Training on GPU Clusters Using Megatron-LM", SC'21, arXiv 2104.04473):

* **Matrix multiplies.** A transformer layer's forward pass does 2 b s P + 4 b s^2 h FLOP, with
  P = (N - V h) / L the parameters of one layer (24 b s h^2 + 4 b s^2 h for the 12 h^2 of a
  GPT layer, sec. 5.1; written with P so that gated or grouped-query layers count their own
  weights), split over t tensor-parallel GPUs; backward does twice that; the logit layer adds
  2 b s h V forward on the last pipeline stage. They run at
  ``matmul_fraction`` of dense peak (the chip's measured maximum achievable matmul rate:
  models/link_defaults.py).
* **Memory-bound kernels** (layer norm, softmax, dropout, GeLU, residual adds): the bytes the
  layer stores for the backward pass (Korthikanti et al. 2022, "Reducing Activation
  Recomputation in Large Transformer Models", arXiv 2205.05198, Table 2; models/memory.py) are
  written once and read once in the forward pass and twice that in the backward, at HBM
  bandwidth. This traffic rule is an estimate in the spirit of Calculon (Isaev et al. 2023,
  "Calculon: a Methodology and Tool for High-Level Codesign of Systems and Large Language
  Models", SC'23), which times each non-matmul operation by its memory traffic.
* **Tensor-parallel communication**: two all-reduces of b s h values per layer forward and two
  backward (sec. 3.3; with sequence parallelism an all-gather plus a reduce-scatter of the same
  volume, Korthikanti sec. 4.2.2), ring volume 2 (t-1)/t of the message, over the intra-node
  link at ``tp_gb_per_s`` plus ``latency_s`` per collective. Not overlapped with compute
  (Megatron-LM runs them on the critical path).
* **Pipeline bubble**: with m micro-batches per step and p stages, 1F1B spends (p-1) micro-batch
  times filling and draining the pipeline, (p-1)/v with v interleaved chunks per GPU
  (sec. 2.2.1-2.2.2); bubble share of the step = (p-1)/v / (m + (p-1)/v). Point-to-point sends
  between stages are small and overlapped (sec. 4.1, scatter/gather), so not timed.
* **Data-parallel gradient reduction**: the gradients of the N/(t p) parameters a GPU holds, in
  2-byte precision, ring all-reduced over d GPUs: 2 (d-1)/d x bytes at ``dp_gb_per_s`` (the
  inter-node network per GPU) plus 2 (d-1) latencies. Overlap rule: with ``dp_overlap`` false
  (Megatron-LM 2021) it runs after the pipeline flush; true (ZeRO-3 / FSDP prefetch, Megatron
  distributed optimizer with overlapped reduce) only the part longer than the backward
  compute of the step is exposed, and never less than one layer's share, (p / L) of it: the
  gradients of the stage's first layer are reduced after the backward has ended, with nothing
  left to overlap ("the 1st all-gather will not be able to overlap with anything", PyTorch FSDP
  notes, https://docs.pytorch.org/docs/stable/notes/fsdp.html). ZeRO stage 3 (and FSDP)
  moves 1.5x the volume of a plain all-reduce, gathering the weights in forward and backward
  (Rajbhandari et al. 2020, "ZeRO", SC'20, sec. 7); stages 1 and 2 move the same volume.
* **Recompute**: full recomputation repeats every layer's forward (matmuls, memory-bound kernels
  and its tensor-parallel all-reduces) before its backward; selective repeats only the
  attention core, 4 b s^2 h FLOP and its 5 a s^2 b bytes (Korthikanti sec. 5). With
  ``distribute_checkpoints`` (Megatron-LM's ``--distribute-checkpointed-activations``, used by
  OPT-175B: the stored layer inputs are split over the t tensor-parallel GPUs) each layer's
  input is all-gathered before it is recomputed: (t-1)/t x 2 b s h bytes, one more collective
  on the tensor-parallel link per layer and micro-batch.
* **Flash attention** (Dao et al. 2022, "FlashAttention: Fast and Memory-Efficient Exact
  Attention with IO-Awareness", NeurIPS, arXiv 2205.14135): the s x s score and probability
  matrices are never written to HBM, so the 5 a s^2 b bytes of the attention core leave the
  memory traffic (the layer's bytes become Korthikanti's selective-recompute figure) and
  selective recompute costs only its FLOP. The 4 b s^2 h attention FLOP stay at the matmul rate:
  a causal kernel skips the masked half of them but runs at about half the GEMM rate
  (FlashAttention-2, Dao 2023, arXiv 2307.08691: 50-73% of A100 peak forward), the same time
  within the model's error.
* **Optimizer step**: Adam with 16-bit weights and fp32 master weights, fp32 moments and fp32
  main gradients (Micikevicius et al. 2018, "Mixed Precision Training", ICLR; Megatron-LM keeps
  fp32 main gradients) reads 16 bytes and writes 14 per parameter a GPU updates
  (N / (t p), / d with ZeRO stage >= 1 which shards the optimizer state, Rajbhandari et al.
  2020, sec. 5.1), memory-bound at HBM bandwidth, once per step; counted in ``compute``.

MFU (Chowdhery et al. 2022, PaLM, appendix B) = model FLOP of the step / (GPUs x peak x step
time), with model FLOP = B s (6 N + 12 L h s), which is Narayanan's eq. 3 without recomputation,
72 B s L h^2 (1 + s/(6h) + V/(12 L h)), for N = 12 L h^2 + V h, and the 6ND + 12 L h s D of
models/transformer_flops.py. The FLOP counted with recomputation (full: every layer's forward
again, B s (2 (N - V h) + 4 L h s); eq. 3's 96 B s L h^2 (1 + s/(6h) + V/(16 L h))) gives the
hardware rate Megatron-LM reports.
"""

from __future__ import annotations

import numpy as np

from estimator.models.memory import activation_bytes_per_layer

BYTES_PER_VALUE = 2.0
"""Activations, gradients and all-reduce messages in 16-bit precision (BF16/FP16) [bytes]."""

RECOMPUTE_CODES = {"none": 0, "selective": 1, "full": 2}
"""Activation recomputation, as models/transformer_flops.py codes it."""

ZERO3_VOLUME = 1.5
"""ZeRO stage 3's data-parallel traffic relative to an all-reduce of the gradients
(Rajbhandari et al. 2020, sec. 7.2.2: 3 Psi vs 2 Psi)."""

ADAM_BYTES_PER_PARAM = 30.0
"""HBM traffic of one mixed-precision Adam update per parameter [bytes]: reads fp32 master
weight, first and second moment and fp32 gradient (16), writes the three fp32 values and the
16-bit weight (14) (Micikevicius et al. 2018; Kingma & Ba 2015, Algorithm 1)."""

SHARE_NAMES = ("compute", "tp_comm", "pp_bubble", "dp_comm", "recompute")
"""The parts of a step, in the order of the ``time_share_*`` columns."""


def ring_collective_bytes(message_bytes, group):
    """Bytes each GPU sends in a ring all-reduce of ``message_bytes`` over ``group`` GPUs:
    2 (g-1)/g x message (Patarasuk & Yuan 2009; NCCL's bus-bandwidth definition)."""
    g = np.asarray(group, dtype=float)
    return 2.0 * (g - 1.0) / g * np.asarray(message_bytes, dtype=float)


def pipeline_bubble_share(pp, micro_batches, interleave=1):
    """Share of a step the pipeline idles: (p-1)/v / (m + (p-1)/v) (Narayanan et al. 2021,
    sec. 2.2; 1F1B with v = 1, the interleaved schedule with v chunks per GPU)."""
    fill = (np.asarray(pp, dtype=float) - 1.0) / np.asarray(interleave, dtype=float)
    return fill / (np.asarray(micro_batches, dtype=float) + fill)


def model_flop_per_step(global_batch, seq_len, layers, hidden, vocab, params, recompute=0):
    """FLOP of one step [FLOP]: B s (6 N + 12 L h s) without recomputation (Narayanan et al.
    2021, eq. 3 with N = 12 L h^2 + V h; PaLM appendix B); full recomputation (code 2) adds
    every layer's forward, B s (2 (N - V h) + 4 L h s) (eq. 3's 96 ... V/(16 L h) form);
    selective (code 1) the attention core's forward, 4 B s^2 h per layer (Korthikanti et al.
    2022, sec. 5)."""
    tokens = np.asarray(global_batch, float) * np.asarray(seq_len, float)
    s, L, h = np.asarray(seq_len, float), np.asarray(layers, float), np.asarray(hidden, float)
    N, V = np.asarray(params, float), np.asarray(vocab, float)
    base = tokens * (6.0 * N + 12.0 * L * h * s)
    full = base + tokens * (2.0 * (N - V * h) + 4.0 * L * h * s)
    selective = base + tokens * 4.0 * L * h * s
    code = np.asarray(recompute)
    return np.where(code == 2, full, np.where(code == 1, selective, base))


def optimizer_step_seconds(params_per_gpu, hbm_tb_per_s, kernel_efficiency=1.0):
    """Seconds of one memory-bound Adam update of ``params_per_gpu`` parameters [s]:
    ADAM_BYTES_PER_PARAM x parameters / (HBM bandwidth [TB/s] x kernel efficiency)."""
    rate = (np.asarray(hbm_tb_per_s, float) * 1e12 * np.asarray(kernel_efficiency, float))
    return ADAM_BYTES_PER_PARAM * np.asarray(params_per_gpu, float) / rate


def step_time(*, layers, hidden, heads, seq_len, vocab, params, tp, pp, dp, micro_batch,
              global_batch, peak_tflops, matmul_fraction, hbm_tb_per_s, tp_gb_per_s,
              dp_gb_per_s, latency_s=5e-6, interleave=1, recompute=0,
              sequence_parallel=True, dp_overlap=False, kernel_efficiency=1.0,
              zero=0, flash_attention=False, distribute_checkpoints=False) -> dict:
    """Seconds of one training step and its parts, for each layout (arrays broadcast).

    Parameters
    ----------
    layers, hidden, heads, seq_len, vocab : numeric
        Transformer shape: L, h, a, s [tokens], V [tokens].
    params : numeric
        Parameters N [count] (gradient volume of data parallelism).
    tp, pp, dp : numeric
        Tensor-, pipeline- and data-parallel sizes t, p, d [GPUs].
    micro_batch, global_batch : numeric
        Sequences per micro-batch b and per step B; m = B / (d b) micro-batches per pipeline.
    peak_tflops : numeric
        Dense peak at the training precision [TFLOP/s].
    matmul_fraction : numeric
        Achievable share of peak for large matrix multiplies [fraction].
    hbm_tb_per_s, tp_gb_per_s, dp_gb_per_s : numeric
        Memory bandwidth [TB/s], tensor-parallel link [GB/s per GPU, one direction],
        data-parallel network [GB/s per GPU].
    latency_s : numeric
        Latency per collective step [s].
    interleave : numeric
        Model chunks per GPU v (1 = plain 1F1B).
    recompute : numeric
        0 none, 1 selective, 2 full.
    sequence_parallel, dp_overlap : bool
        Korthikanti's sequence parallelism; gradient reduction overlapped with backward.
    kernel_efficiency : numeric
        Share of the matmul and memory rates the framework's kernels reach on a layer
        [fraction] (models/link_defaults.KERNEL_EFFICIENCY); scales both.
    zero : numeric
        ZeRO stage (3: 1.5x the data-parallel volume; >= 1: optimizer state sharded over d).
    flash_attention : bool
        Fused attention: no s^2 memory traffic (Dao et al. 2022).
    distribute_checkpoints : bool
        Full recomputation with the stored layer inputs split over the tensor-parallel GPUs:
        one all-gather per layer before its recompute.

    Returns
    -------
    dict of ndarray
        ``step_s`` and ``compute_s`` (with ``optimizer_s``, the Adam update in it),
        ``tp_comm_s``, ``pp_bubble_s``, ``dp_comm_s``, ``recompute_s`` [s] (the five sum to
        ``step_s``), ``micro_batches``, ``model_flop``
        [FLOP per step], ``hardware_flop`` [FLOP per step, with recomputation], ``mfu``
        [fraction], ``hfu`` [fraction] and ``time_share_*`` [fraction, summing to 1].
    """
    L, h, a = (np.asarray(x, float) for x in (layers, hidden, heads))
    s, V, N = (np.asarray(x, float) for x in (seq_len, vocab, params))
    t, p, d = (np.asarray(x, float) for x in (tp, pp, dp))
    b, B, v = (np.asarray(x, float) for x in (micro_batch, global_batch, interleave))
    code = np.asarray(recompute)
    kernels = np.asarray(kernel_efficiency, float)
    matmul_rate = (np.asarray(peak_tflops, float) * 1e12 * np.asarray(matmul_fraction, float)
                   * kernels)
    hbm = np.asarray(hbm_tb_per_s, float) * 1e12 * kernels
    m = B / (d * b)

    # one layer, one micro-batch, forward, on one GPU
    layer_params = (N - V * h) / L
    gemm_fwd = (2.0 * b * s * layer_params + 4.0 * b * s**2 * h) / t / matmul_rate
    flash = np.asarray(flash_attention, bool)
    stored = activation_bytes_per_layer(s, h, a, b, t, np.where(flash, 1, 0), sequence_parallel)
    memory_fwd = 2.0 * stored / hbm
    message = BYTES_PER_VALUE * b * s * h
    tp_rate = np.asarray(tp_gb_per_s, float) * 1e9
    tp_fwd = np.where(t > 1, 2.0 * (ring_collective_bytes(message, t) / tp_rate
                                    + 2.0 * (t - 1.0) * latency_s), 0.0)
    # all-gather of a split checkpoint: half a ring all-reduce, (t-1)/t x message
    gather = np.where((t > 1) & np.asarray(distribute_checkpoints, bool) & (code == 2),
                      0.5 * ring_collective_bytes(message, t) / tp_rate
                      + (t - 1.0) * latency_s, 0.0)
    logit_fwd = 2.0 * b * s * h * V / t / matmul_rate
    layers_per_stage = L / p

    # forward + backward (2x the forward's matmuls and memory traffic, same all-reduces)
    compute_mb = layers_per_stage * 3.0 * (gemm_fwd + memory_fwd) + 3.0 * logit_fwd
    tp_mb = layers_per_stage * (2.0 * tp_fwd + gather)
    selective_fwd = (4.0 * b * s**2 * h / t / matmul_rate
                     + np.where(flash, 0.0, 2.0 * 5.0 * a * s**2 * b / t / hbm))
    recompute_mb = layers_per_stage * np.where(
        code == 2, gemm_fwd + memory_fwd + tp_fwd, np.where(code == 1, selective_fwd, 0.0))
    per_micro_batch = compute_mb + tp_mb + recompute_mb

    fill = (p - 1.0) / v
    grad_bytes = BYTES_PER_VALUE * N / (t * p)
    zero_factor = np.where(np.asarray(zero) == 3, ZERO3_VOLUME, 1.0)
    dp_full = np.where(d > 1, zero_factor * ring_collective_bytes(grad_bytes, d) / (
        np.asarray(dp_gb_per_s, float) * 1e9) + 2.0 * (d - 1.0) * latency_s, 0.0)
    backward_window = m * layers_per_stage * 2.0 * (gemm_fwd + memory_fwd)
    last_layer = dp_full * np.minimum(1.0 / layers_per_stage, 1.0)
    dp_exposed = np.where(np.asarray(dp_overlap, bool),
                          np.maximum(dp_full - backward_window, last_layer), dp_full)

    sharded = np.where(np.asarray(zero) >= 1, d, 1.0)
    optimizer = optimizer_step_seconds(N / (t * p) / sharded, hbm_tb_per_s, kernels)

    parts = {"compute_s": m * compute_mb + optimizer, "tp_comm_s": m * tp_mb,
             "pp_bubble_s": fill * per_micro_batch, "dp_comm_s": dp_exposed,
             "recompute_s": m * recompute_mb}
    parts = {k: np.broadcast_to(val, np.broadcast(*parts.values()).shape).astype(float)
             for k, val in parts.items()}
    step = sum(parts.values())
    gpus = t * p * d
    peak = np.asarray(peak_tflops, float) * 1e12
    model = model_flop_per_step(B, s, L, h, V, N, 0)
    hardware = model_flop_per_step(B, s, L, h, V, N, code)
    out = dict(parts, step_s=step, optimizer_s=np.broadcast_to(optimizer, step.shape).astype(
        float), micro_batches=m, model_flop=model, hardware_flop=hardware,
               mfu=model / (gpus * peak * step), hfu=hardware / (gpus * peak * step))
    for name in SHARE_NAMES:
        out[f"time_share_{name}"] = parts[f"{name}_s"] / step
    return out
