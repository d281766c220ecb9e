"""Per-component memory and GPU-hours against llm-analysis 0.2.2 on four dense layouts.

The figures in tests/fixtures/llm_analysis/parity.json were produced by the commands stored
beside them (llm-analysis 0.2.2 from PyPI in a throwaway venv, FlashAttention on, the same
N). Weights, gradients (fp32, as llm-analysis keeps them), optimizer states, per-layer
activations and GPU-hours must agree within 3%.
"""

import json
import shlex
from pathlib import Path

import pytest

from estimator.data.transformer_shape import TransformerShape
from estimator.models import memory as mem
from estimator.models import transformer_flops as tf
from estimator.models import transformer_params as tparams

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "llm_analysis" / "parity.json"
CASES = json.loads(FIXTURE.read_text())["cases"]
PEAK_TFLOPS = {"a100-sxm-80gb": 312.0, "h100-sxm-80gb": 989.0}
"""Dense 16-bit peaks llm-analysis 0.2.2 uses (its gpu_configs/*.json, peak_fp16_TFLOPS)."""


def _args(command: str) -> dict:
    words = shlex.split(command)
    return {w[2:]: words[i + 1] for i, w in enumerate(words) if w.startswith("--")}


def _case(name):
    case = CASES[name]
    cfg, args, out = case["model_config"], _args(case["command"]), case["output"]
    shape = TransformerShape(layers=cfg["num_layers"], hidden=cfg["hidden_dim"],
                             heads=cfg["n_head"], kv_heads=cfg.get("num_key_value_heads",
                                                                  cfg["n_head"]),
                             ffn_hidden=cfg["ffn_embed_dim"], vocab=cfg["vocab_size"],
                             seq_len=int(args["seq_len"]), mlp="gelu", tied_embeddings=True)
    layout = {"tp": int(args["tp_size"]), "pp": int(args["pp_size"]), "dp": out["dp_size"],
              "zero": int(args["ds_zero"]), "recompute": int(args["activation_recomputation"]),
              "micro_batch": out["batch_size_per_gpu"],
              "grad_accum": out["gradient_accumulation_steps"]}
    return shape, layout, args, out


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_parameter_count(name):
    shape, _, _, out = _case(name)
    assert tparams.total_params(shape) == pytest.approx(out["num_params_total"], rel=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_memory_components_within_3_percent(name):
    shape, layout, _, out = _case(name)
    ours = mem.memory_breakdown(shape, **layout)
    assert float(ours["weights"]) == pytest.approx(out["weight_memory_per_gpu"], rel=0.03)
    assert float(ours["gradients"]) == pytest.approx(out["gradient_memory_per_gpu"], rel=0.03)
    assert float(ours["optimizer"]) == pytest.approx(out["optimizer_state_memory_per_gpu"],
                                                     rel=0.03)
    layers = (out["activation_memory_attn_per_gpu"] + out["activation_memory_mlp_per_gpu"]
              + out["activation_memory_layernorm_per_gpu"])
    if layout["recompute"] == 2:    # llm-analysis folds full recompute into the total, which
        # also holds the logits twice (micro-batch 1) and no final-norm input
        layers = (out["activation_memory_per_gpu"]
                  - 2 * out["activation_memory_embedding_output_per_gpu"])
    assert float(ours["activations"]) == pytest.approx(layers, rel=0.03)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gpu_hours_within_3_percent(name):
    shape, layout, args, out = _case(name)
    flop = tf.training_flop(tparams.total_params(shape), float(args["total_num_tokens"]),
                            shape.layers, shape.hidden, shape.seq_len, layout["recompute"])
    hours = flop / (PEAK_TFLOPS[args["gpu_name"]] * 1e12 * float(args["flops_efficiency"])
                    * 3600)
    assert hours == pytest.approx(out["gpu_hours"], rel=0.03)
