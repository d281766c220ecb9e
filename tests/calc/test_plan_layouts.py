"""plan(): layout rules, pinned layouts, the memory breakdown, headroom, budget and GB units
pinned by hand (issue 25)."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from estimator.calc.architecture import resolve_architecture
from estimator.calc.plan import (
    RULES,
    InfeasiblePlanError,
    default_global_batch,
    layout_grid,
    plan,
)
from estimator.cli import cli
from estimator.data.architectures import get_architecture
from estimator.models import memory as mem

GB = 1e9


def test_7b_fits_at_tp_1_and_70b_at_tp_8_pp_4_on_80_gb_with_flash_attention():
    seven = plan(model="llama-2-7b", tokens="2T", gpu="A100", count=512, tp=1, pp=1, zero=1,
                 recompute="none", micro_batch=1, price=2)
    assert seven["fits"].all() and (seven["tp"] == 1).all()
    assert seven["memory_gb_per_gpu"].iloc[0] < 72
    seventy = plan(model="llama-2-70b", tokens="2T", gpu="A100", count=2048, tp=8, pp=4,
                   zero=1, recompute="none", micro_batch=1, price=2)
    assert seventy["fits"].all() and seventy["memory_gb_per_gpu"].iloc[0] < 72


def test_without_flash_attention_the_7b_at_tp_1_does_not_fit():
    # Korthikanti's 5 a s / h = 160 at s = 4096 makes 32 x 4096 x 4096 x (34 + 160) bytes
    # = 104 GB of activations alone
    with pytest.raises(InfeasiblePlanError, match="nothing fits in memory"):
        plan(model="llama-2-7b", tokens="2T", gpu="A100", count=512, tp=1, pp=1, zero=1,
             recompute="none", micro_batch=1, price=2, flash_attention=False)


def test_memory_is_in_gb_of_1e9_bytes_at_tp_pp_1():
    # Llama 2 7B, tp = pp = 1, dp 512, ZeRO 1, by hand: N = 6,738,415,616;
    # weights 2N = 13.476831 GB, fp32 gradients 4N = 26.953662 GB, optimizer 12N / 512 =
    # 0.157932 GB. A GiB slip would give 12.551 for the weights.
    row = plan(model="llama-2-7b", tokens="2T", gpu="A100", count=512, tp=1, pp=1, zero=1,
               recompute="none", micro_batch=1, price=2).iloc[0]
    assert row["memory_weights_gb"] == pytest.approx(13.476831, abs=1e-6)
    assert row["memory_gradients_gb"] == pytest.approx(26.953662, abs=1e-6)
    assert row["memory_optimizer_gb"] == pytest.approx(0.157932, abs=1e-6)
    total = sum(row[f"memory_{k}_gb"] for k in ("weights", "gradients", "optimizer",
                                                 "activations", "other"))
    assert row["memory_gb_per_gpu"] == pytest.approx(total)


def test_headroom_refuses_a_layout_between_72_and_80_gb():
    # Llama 2 13B (N = 13.016e9) at tp 4, micro-batch 2, ZeRO 0 on 256 GPUs: model states
    # 18 N / 4 = 58.57 GB plus ~15.5 GB of activations and logits = 74.0 GB: above the
    # 72 GB usable with 10% headroom, below the 80 GB of an H100.
    args = dict(model="llama-2-13b", tokens="1T", gpu="H100", count=256, tp=4, pp=1,
                recompute="none", micro_batch=2, price=2)
    row = plan(**args, zero=0, headroom=0.0).iloc[0]
    assert 72 < row["memory_gb_per_gpu"] < 80
    states = (row["memory_weights_gb"] + row["memory_gradients_gb"]
              + row["memory_optimizer_gb"])
    assert states == pytest.approx(18 * 13_015_864_320 / 4 / 1e9, rel=1e-6)
    with pytest.raises(InfeasiblePlanError, match="72.0 GB usable"):
        plan(**args, zero=0)


def test_budget_is_compared_with_the_typical_cost():
    args = dict(model="llama-2-7b", tokens="1T", gpu="H100", count=256, tp=1, pp=1, zero=1,
                recompute="none", micro_batch=1, price="1.5:2.5")
    row = plan(**args).iloc[0]
    low, typical = row["cost_usd_low"], row["cost_usd_typical"]
    assert low < typical
    with pytest.raises(InfeasiblePlanError, match="budget binds"):
        plan(**args, budget=(low + typical) / 2)
    assert plan(**args, budget=typical).iloc[0]["cost_usd_typical"] == typical


@pytest.mark.parametrize("option, value, reason", [
    ("heads", 60, 1), ("heads", 7, 1), ("hidden", 8190, 1), ("layers", 30, 2)])
def test_layouts_breaking_divisibility_are_never_recommended(option, value, reason):
    shape = dict(layers=32, hidden=8192, heads=64)
    if option == "hidden":
        shape["heads"] = 63 * 2    # 8190 = 126 x 65
    shape[option] = value
    if option == "heads":
        shape["hidden"] = value * 128
    frame = plan(params="20B", tokens="1T", gpu="H100", count=[64, 128, 256], price=2,
                 top=1000, **shape)
    arch = resolve_architecture("20B", **shape).shape
    assert (arch.heads % frame["tp"] == 0).all()
    assert (arch.kv_heads % frame["tp"] == 0).all()
    assert (arch.ffn_hidden % frame["tp"] == 0).all()
    assert (arch.layers % frame["pp"] == 0).all()
    assert RULES[reason] in frame.attrs["dropped"]


def test_batch_rule_holds_on_every_row():
    frame = plan(model="llama-3-8b", tokens="1T", gpu="H100", price=2, top=1000)
    assert (frame["dp"] * frame["micro_batch"] * frame["grad_accum"]
            == frame["global_batch"]).all()
    assert (frame["grad_accum"] >= frame["pp"]).all()
    assert (frame["count"] == frame["tp"] * frame["pp"] * frame["dp"]).all()


def test_layout_grid_reasons_by_hand():
    shape = get_architecture("llama-2-7b").shape      # 32 heads, 32 layers, f 11008
    table, reason = layout_grid(shape, [24], 64, tp=[1, 8], pp=[3], zero=[0], recompute=[0],
                                micro_batch=[1])
    # 24 / (1 x 3) = 8 dp: 3 does not divide 32 layers; tp 8: 24 / 24 = 1, 11008 % 8 = 0,
    # 32 % 8 = 0, but pp 3 still breaks the layers rule
    assert list(reason) == [2, 2]
    table, reason = layout_grid(shape, [16], 12, tp=[1], pp=[1], zero=[0], recompute=[0],
                                micro_batch=[1])
    assert list(reason) == [4]        # 12 sequences do not split over 16 data-parallel ranks


def test_default_global_batch_follows_gpt3_table():
    # GPT-3 Table 2.1: 6.7B-13B use 2M tokens = 512 sequences of 4,096; 175B 3.2M tokens at
    # 2,048 = 1,562.5 -> 2,048 (power of two); 125M 0.5M tokens at 2,048 = 244 -> 256
    assert default_global_batch(7e9, 4096) == 512
    assert default_global_batch(175e9, 2048) == 2048
    assert default_global_batch(125e6, 2048) == 256


def test_pins_and_global_batch_in_tokens():
    frame = plan(model="llama-2-7b", tokens="1T", gpu="H100", tp=2, pp=2, dp=64, zero=1,
                 micro_batch=2, recompute="selective", global_batch="4194304 tokens",
                 price=2)
    row = frame.iloc[0]
    assert (row["tp"], row["pp"], row["dp"], row["zero"], row["micro_batch"],
            row["recompute"], row["count"]) == (2, 2, 64, 1, 2, "selective", 256)
    assert row["grad_accum"] == 1024 // (64 * 2)


def test_moe_expert_parallel_shards_expert_states():
    base = dict(model="mixtral-8x7b", tokens="1T", gpu="H100", count=64, tp=1, pp=1, zero=1,
                recompute="full", micro_batch=1, price=2, headroom=0.0)
    with pytest.raises(InfeasiblePlanError):
        plan(**base, ep=1)
    eight = plan(**base, ep=8).iloc[0]
    assert eight["ep"] == 8
    # experts: 32 x 8 x 3 x 4096 x 14336 = 45.1e9 params / 8; the rest 1.6e9 whole, so
    # weights = 2 x (45.1e9 / 8 + 1.61e9) = 14.5 GB
    shape = get_architecture("mixtral-8x7b").shape
    experts = 32 * 8 * 3 * 4096 * 14336
    rest = 46.70e9 - experts
    assert eight["memory_weights_gb"] == pytest.approx(2 * (experts / 8 + rest) / GB,
                                                       rel=0.005)
    assert shape.top_k == 2


def test_activations_scale_with_top_k():
    shape = get_architecture("mixtral-8x7b").shape
    one = mem.layer_activation_bytes(shape.with_changes(top_k=1))
    two = mem.layer_activation_bytes(shape)
    # per s b h: the routed MLP keeps 2 x 3 x 14336 / 4096 = 21 per expert a token visits
    assert float((two - one) / (4096 * 32768 * 2 * 3 * 14336 / 4096)) == pytest.approx(1.0)


def test_gpu_all_names_every_gpu_searched_and_best_per_gpu():
    frame = plan(model="llama-2-7b", tokens="1T", gpu="all", count=[64, 128],
                 as_of="2026-06-01", top=5)
    searched = frame.attrs["gpus_searched"]
    assert len(searched) > 3 and "nvidia-h100-sxm5-80gb" in searched
    best = frame.attrs["best_per_gpu"]
    assert list(best.index) == searched
    assert frame.iloc[0]["cost_usd_typical"] == np.nanmin(best["cost_usd_typical"])


def test_cli_prints_breakdown_gpus_searched_and_explain():
    runner = CliRunner()
    out = runner.invoke(cli, ["plan", "--model", "llama-2-7b", "--tokens", "1T", "--gpu",
                              "H100,A100", "--count", "64, 128", "--price", "2", "--explain",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    for key in ("memory_weights_gb", "memory_gradients_gb", "memory_optimizer_gb",
                "memory_activations_gb", "memory_other_gb", "memory_gb_per_gpu", "tp", "pp",
                "dp", "ep", "zero", "micro_batch", "grad_accum", "recompute"):
        assert key in rows[0]
    assert "GPUs searched: nvidia-h100-sxm5-80gb, nvidia-a100-sxm4-80gb" in out.stderr
    assert "Best per GPU" in out.stderr
    assert "dp x micro-batch does not divide the global batch" in out.stderr
    bad = runner.invoke(cli, ["plan", "--model", "llama-2-7b", "--tokens", "1T", "--tp", "3",
                              "--gpu", "H100", "--price", "2", "--explain"])
    assert bad.exit_code == 1 and "tp does not divide" in bad.stderr
    assert "GPUs searched: nvidia-h100-sxm5-80gb." in bad.stderr
    assert "Dropped layouts: " in bad.stderr


def test_compute_takes_a_model_and_derives_n():
    from estimator.calc.compute import compute
    # Llama 2 7B: N = 6,738,415,616; (6N + 12 x 32 x 4096 x 4096) x 2e12 = 9.374589e22 FLOP
    row = compute(gpu="A100", model="llama-2-7b", tokens="2T", mfu=0.5, price=2).iloc[0]
    assert row["params"] == 6_738_415_616
    assert row["training_flop"] == pytest.approx(9.374589e22, rel=1e-6)
    assert row["warnings"] == ""
    moe = compute(gpu="H100", model="mixtral-8x7b", tokens="1T", price=2).iloc[0]
    assert moe["params"] == pytest.approx(12.88e9, rel=0.001)     # activated, derived
    off = compute(gpu="H100", model="mixtral-8x7b", params="20B", tokens="1T", price=2)
    assert "more than 5% away" in off["warnings"].iloc[0]


def test_plan_warns_when_headline_params_are_far_from_the_architecture():
    frame = plan(params="10B", model="llama-2-7b", tokens="1T", gpu="H100", count=64, price=2)
    assert any("48% away" in w for w in frame.attrs["warnings"])
    assert frame.attrs["architecture"].params_derived == 6_738_415_616


def test_search_space_is_bounded():
    from estimator.errors import InputError
    shape = get_architecture("llama-2-7b").shape
    # counts no tp x pp can split into <= 4 data-parallel ranks are dropped before the grid
    table, reason = layout_grid(shape, np.arange(1, 100_000), 4, tp=[8], pp=[1], zero=[0],
                                recompute=[0], micro_batch=[1])
    assert set(table["count"]) == {8, 16, 24, 32}
    with pytest.raises(InputError, match="candidate layouts"):
        layout_grid(shape, np.arange(1, 2_000_000), 10**6)
