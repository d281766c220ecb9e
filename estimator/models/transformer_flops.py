"""Training FLOP of a decoder-only transformer, beyond 6ND: attention, recompute, MoE.

Pure vectorised numpy: every argument may be a scalar or an array; arrays broadcast.

References
----------
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv 2001.08361, sec. 2.1:
    C ~= 6 N D (forward 2ND, backward 4ND), N the non-embedding parameters.
Chowdhery et al. 2022, "PaLM", arXiv 2204.02311, appendix B: model FLOP per token
    = 6N + 12 L H Q T, L layers, H heads, Q head size (H x Q = hidden size h), T sequence
    length; the second term is the attention (QK^T and attention x V) matmuls.
Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models",
    arXiv 2205.05198, sec. 5: selective recompute re-runs only the attention core
    (QK^T, softmax, x V) in the backward pass; full recompute re-runs the whole forward.
DeepSeek-AI 2024, "DeepSeek-V3 Technical Report", arXiv 2412.19437: 671B parameters, 37B
    activated per token; for a mixture-of-experts model N is the activated parameters.
"""

from __future__ import annotations

import numpy as np

RECOMPUTE = ("none", "selective", "full")
"""Activation recompute settings; their index is the code the array functions take."""

DENSE_PASSES = np.array([3.0, 3.0, 4.0])
"""Forward-pass equivalents of the parameter matmuls per recompute code: forward 1 +
backward 2 (Kaplan et al. 2020), plus one forward again under full recompute."""

ATTENTION_PASSES = np.array([3.0, 4.0, 4.0])
"""Forward-pass equivalents of the attention core per recompute code: selective and full
recompute both re-run it once (Korthikanti et al. 2022, sec. 5)."""

FORWARD_FLOP_PER_PARAM = 2.0
"""Forward FLOP per parameter per token: one multiply and one add (Kaplan et al. 2020)."""

ATTENTION_FORWARD_FLOP = 4.0
"""Forward attention FLOP per token per layer per (hidden x sequence): QK^T and
attention x V, 2 FLOP per multiply-add each (PaLM appendix B: 12 L H Q T over 3 passes)."""


def recompute_code(name) -> np.ndarray:
    """Index into RECOMPUTE for a name or an array of names; ValueError on an unknown one."""
    names = np.atleast_1d(np.asarray(name, dtype=object))
    codes = np.array([RECOMPUTE.index(str(n).lower()) if str(n).lower() in RECOMPUTE else -1
                      for n in names])
    if (codes < 0).any():
        bad = names[codes < 0][0]
        raise ValueError(f"unknown recompute setting {bad!r}; valid: {', '.join(RECOMPUTE)}")
    return codes if np.ndim(name) else codes[0]


def dense_flop_per_token(params, recompute=0):
    """Parameter-matmul training FLOP per token [FLOP/token] = 2 N x passes.

    6N without recompute (Kaplan et al. 2020), 8N with full recompute (one more forward).
    ``params`` is N, the parameters a token passes through (MoE: the activated ones).
    """
    return np.multiply(FORWARD_FLOP_PER_PARAM * np.asarray(params, dtype=float),
                       DENSE_PASSES[recompute])


def attention_flop_per_token(layers, hidden, seq_len, recompute=0):
    """Attention-core training FLOP per token [FLOP/token] = 4 L h s x passes.

    12 L h s without recompute (PaLM appendix B, 12 L H Q T with H Q = h, T = s);
    16 L h s with selective or full recompute (the core runs forward twice).
    """
    per_pass = ATTENTION_FORWARD_FLOP * np.multiply(np.multiply(layers, hidden), seq_len)
    return np.multiply(per_pass, ATTENTION_PASSES[recompute])


def training_flop_per_token(params, layers=0, hidden=0, seq_len=0, recompute=0,
                            active_params=None):
    """Training FLOP per token [FLOP/token]: dense term plus attention term.

    ``active_params`` (MoE, e.g. DeepSeek-V3's 37B of 671B) replaces ``params`` when given.
    Layers, hidden size or sequence length of 0 drop the attention term (pure 6ND).
    """
    n = params if active_params is None else active_params
    return dense_flop_per_token(n, recompute) + attention_flop_per_token(
        layers, hidden, seq_len, recompute)


def training_flop(params, tokens, layers=0, hidden=0, seq_len=0, recompute=0,
                  active_params=None):
    """Training FLOP [FLOP] = FLOP per token x tokens (see training_flop_per_token)."""
    return np.multiply(training_flop_per_token(params, layers, hidden, seq_len, recompute,
                                               active_params), tokens)


def attention_share(params, layers, hidden, seq_len):
    """Attention FLOP as a share of 6N [1] = 12 L h s / 6 N = 2 L h s / N (PaLM appendix B)."""
    return np.divide(2.0 * np.multiply(np.multiply(layers, hidden), seq_len), params)


def formula_name(recompute: str = "none", attention: bool = False, moe: bool = False,
                 per_token: bool = False) -> str:
    """How training FLOP was counted, in words and symbols, for output columns and notes."""
    if per_token:
        return "FLOP per token x D (given)"
    n = "N_active" if moe else "N"
    dense = {"none": f"6 {n} D", "selective": f"6 {n} D", "full": f"8 {n} D"}[recompute]
    if not attention:
        return dense + ("" if recompute == "none" else f" ({recompute} recompute)")
    attn = "12 L h s D" if recompute == "none" else "16 L h s D"
    suffix = "" if recompute == "none" else f" ({recompute} recompute)"
    return f"{dense} + {attn}{suffix}"
