"""Parameter counts of a decoder-only transformer from its shape: dense, GQA, SwiGLU, MoE.

Pure functions of plain numbers; ``TransformerShape`` is the frozen description the
planner, the memory model and the step-time model share.

References
----------
Vaswani et al. 2017, "Attention Is All You Need", arXiv 1706.03762, sec. 3.2-3.3: attention
    has four h x h projections (Q, K, V, output); the MLP two matrices h x f and f x h.
Ainslie et al. 2023, "GQA", arXiv 2305.13245, sec. 2: grouped-query attention keeps
    ``kv_heads`` key/value heads, so K and V are h x (h kv_heads / heads) each.
Shazeer 2020, "GLU Variants Improve Transformer", arXiv 2002.05202, sec. 2: SwiGLU has three
    matrices (gate, up: h x f; down: f x h).
Fedus et al. 2021, "Switch Transformers", arXiv 2101.03961, sec. 2.1: a router h x E picks
    experts; each token passes through top-k of E expert MLPs (DeepSeek-AI 2024, arXiv
    2412.19437, sec. 2.1.2, adds always-on shared experts).
Megatron-LM layer norms: two per layer (before attention and MLP) and one final, h weights
    each when RMSNorm (Zhang and Sennrich 2019, arXiv 1910.07467) as in Llama.
"""

from __future__ import annotations

import numpy as np

from estimator.data.transformer_shape import MLP_MATRICES, TransformerShape


def attention_params(hidden, heads, kv_heads):
    """Q, K, V and output projections of one layer [params] = 2 h^2 + 2 h (h kv / heads)."""
    h = np.asarray(hidden, dtype=float)
    return 2.0 * h * h + 2.0 * h * h * np.divide(kv_heads, heads)


def mlp_params(hidden, ffn_hidden, mlp="gelu"):
    """One MLP [params] = (2 for GeLU, 3 for SwiGLU) x h x f."""
    return MLP_MATRICES[mlp] * np.multiply(np.asarray(hidden, dtype=float), ffn_hidden)


def layer_params(shape: TransformerShape, active: bool = False) -> dict:
    """Parameters of one average layer by part [params]: ``attention``, ``dense_mlp``
    (dense MLPs, shared experts, router and norms) and ``experts`` (routed experts; with
    ``active`` only the top-k a token passes through)."""
    s = shape
    attn = float(attention_params(s.hidden, s.heads, s.kv_heads))
    norms = 2.0 * s.hidden
    if not s.moe:
        return {"attention": attn, "dense_mlp": float(mlp_params(s.hidden, s.ffn_hidden, s.mlp))
                + norms, "experts": 0.0}
    expert = float(mlp_params(s.hidden, s.expert_ffn_hidden or s.ffn_hidden, s.mlp))
    moe_layers = s.layers - s.dense_layers
    dense = s.dense_layers * float(mlp_params(s.hidden, s.ffn_hidden, s.mlp))
    shared = moe_layers * (s.shared_experts * expert + s.hidden * s.experts)
    routed = moe_layers * (s.top_k if active else s.experts) * expert
    return {"attention": attn, "dense_mlp": (dense + shared) / s.layers + norms,
            "experts": routed / s.layers}


def embedding_params(shape: TransformerShape) -> float:
    """Input embedding plus output layer [params]: V x h, twice unless tied; plus the final
    norm's h."""
    copies = 1 if shape.tied_embeddings else 2
    return float(copies * shape.vocab * shape.hidden + shape.hidden)


def total_params(shape: TransformerShape) -> float:
    """All parameters [params]: layers plus embeddings (Megatron-LM counts both)."""
    return shape.layers * sum(layer_params(shape).values()) + embedding_params(shape)


def active_params(shape: TransformerShape) -> float:
    """Parameters one token passes through [params]: routed experts counted top-k times
    (DeepSeek-V3: 37B of 671B, arXiv 2412.19437, Table 1)."""
    return shape.layers * sum(layer_params(shape, active=True).values()) + embedding_params(shape)


PARAMS_MISMATCH_WARNING = 0.05
"""Relative gap between a headline parameter count and the one derived from the shape above
which the planner and `compute` warn (issue 25: "a mismatch over 5% is a warning")."""


def params_mismatch(headline, derived) -> float:
    """|headline / derived - 1| [fraction]."""
    return float(abs(np.divide(headline, derived) - 1.0))
