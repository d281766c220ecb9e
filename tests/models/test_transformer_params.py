"""Parameter counts from a transformer's shape, against published totals and hand counts."""

import pytest

from estimator.data.architectures import get_architecture
from estimator.data.transformer_shape import TransformerShape
from estimator.models import transformer_flops as tf
from estimator.models import transformer_params as tparams


def test_llama_2_7b_by_hand():
    # 32 layers x (4 x 4096^2 attention + 3 x 4096 x 11008 SwiGLU + 2 x 4096 norms)
    # + 2 x 32000 x 4096 untied embeddings + 4096 final norm = 6,738,415,616, the count
    # Hugging Face reports for meta-llama/Llama-2-7b-hf
    shape = get_architecture("llama-2-7b").shape
    assert tparams.total_params(shape) == 6_738_415_616


def test_gqa_shrinks_k_and_v():
    # Llama 2 70B: K and V are 8192 x 1024 each (8 of 64 heads): 2 x 8192^2 + 2 x 8192 x 1024
    assert tparams.attention_params(8192, 64, 8) == 2 * 8192**2 + 2 * 8192 * 1024


@pytest.mark.parametrize("name, total, active", [
    ("mixtral-8x7b", 46.7e9, 12.9e9),      # Jiang et al. 2024, sec. 2
    ("deepseek-v3", 671e9, 37e9),          # DeepSeek-V3 report, Table 1
    ("llama-3.1-405b", 405e9, 405e9),      # Llama 3 report, Table 3
])
def test_derived_counts_match_the_papers_within_5_percent(name, total, active):
    shape = get_architecture(name).shape
    assert tparams.total_params(shape) == pytest.approx(total, rel=0.05)
    assert tparams.active_params(shape) == pytest.approx(active, rel=0.05)


def test_moe_flop_is_six_times_active_params_plus_attention_by_hand():
    # A toy MoE: 2 layers, h 8, 2 heads (MHA), 4 experts of f 16, top-2, SwiGLU, vocab 10,
    # untied. Per layer: attention 4 x 64 = 256, norms 16, router 8 x 4 = 32, one expert
    # 3 x 8 x 16 = 384. Active = 2 x (256 + 16 + 32 + 2 x 384) + 2 x 80 + 8 = 2,312;
    # total = 2 x (256 + 16 + 32 + 4 x 384) + 168 = 3,848.
    shape = TransformerShape(layers=2, hidden=8, heads=2, kv_heads=2, ffn_hidden=16, vocab=10,
                             seq_len=4, mlp="swiglu", experts=4, top_k=2)
    assert tparams.active_params(shape) == 2_312
    assert tparams.total_params(shape) == 3_848
    # FLOP per token = 6 x 2,312 + 12 x 2 x 8 x 4 (attention, PaLM appendix B) = 14,640
    flop = tf.training_flop_per_token(tparams.total_params(shape), 2, 8, 4,
                                      active_params=tparams.active_params(shape))
    assert flop == 14_640


def test_mismatch_is_relative():
    assert tparams.params_mismatch(7e9, 6.738e9) == pytest.approx(0.0389, abs=1e-4)
