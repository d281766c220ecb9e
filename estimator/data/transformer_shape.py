"""TransformerShape: a decoder-only transformer's shape, the object the parameter, FLOP,
memory and step-time models take (formulas in estimator/models/transformer_params.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

MLP_KINDS = ("gelu", "swiglu")
"""MLP types: two matrices (GeLU, GPT-3/OPT/Falcon) or three (SwiGLU, Llama/Mixtral)."""

MLP_MATRICES = {"gelu": 2, "swiglu": 3}
"""Weight matrices of h x f in one MLP (Vaswani et al. 2017; Shazeer 2020)."""


@dataclass(frozen=True)
class TransformerShape:
    """A decoder-only transformer's shape [counts]; MoE fields stay 0 for a dense model.

    ``ffn_hidden`` is the dense MLP width f; ``expert_ffn_hidden`` the width of one expert
    (default f); ``dense_layers`` the leading layers with a dense MLP in a MoE model
    (DeepSeek-V3: 3); ``shared_experts`` always-on experts per MoE layer.
    """

    layers: int
    hidden: int
    heads: int
    kv_heads: int
    ffn_hidden: int
    vocab: int
    seq_len: int
    mlp: str = "gelu"
    tied_embeddings: bool = False
    experts: int = 0
    top_k: int = 0
    shared_experts: int = 0
    expert_ffn_hidden: int = 0
    dense_layers: int = 0

    @property
    def moe(self) -> bool:
        return self.experts > 0

    def with_changes(self, **changes) -> TransformerShape:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
