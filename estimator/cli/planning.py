"""`estimator plan`: GPUs, count and parallel layout for a run under a deadline and budget."""

from __future__ import annotations

import click
import numpy as np

from estimator.calc.mfu import PLAN_COLUMNS
from estimator.calc.plan import PLAN_TABLE, InfeasiblePlanError, plan
from estimator.cli.common import (
    as_of_option,
    echo_frame,
    format_option,
    note,
    option,
    profiles_arg,
    profiles_option,
    run_options,
)
from estimator.data.transformer_shape import MLP_KINDS
from estimator.models.memory import DEFAULT_GRADIENT_DTYPE, GRADIENT_DTYPE_BYTES

EXIT_INFEASIBLE = 1


def architecture_options(command):
    """--layers, --hidden and the shape options of shape_options (for `plan`)."""
    command = shape_options(command)
    for decorator in reversed([
        click.option("--layers", default=None, metavar="N", help="Transformer layers."),
        click.option("--hidden", default=None, metavar="N", help="Hidden size."),
    ]):
        command = decorator(command)
    return command


def shape_options(command):
    """The shape options beyond layers, hidden and sequence (`plan` and `compute`)."""
    for decorator in reversed([
        click.option("--heads", default=None, metavar="N", help="Attention heads."),
        click.option("--kv-heads", "kv_heads", default=None, metavar="N",
                     help="Key/value heads (GQA; default: --heads)."),
        click.option("--ffn-hidden", "ffn_hidden", default=None, metavar="N",
                     help="MLP width (default 4 x hidden for gelu)."),
        click.option("--mlp", default=None, type=click.Choice(MLP_KINDS),
                     help="MLP type: gelu (2 matrices) or swiglu (3)."),
        click.option("--vocab", default=None, metavar="N", help="Vocabulary size."),
        click.option("--tied-embeddings/--untied-embeddings", "tied_embeddings",
                     default=None, help="Output layer shares the input embedding."),
        click.option("--experts", default=None, metavar="N", help="MoE: routed experts."),
        click.option("--top-k", "top_k", default=None, metavar="K",
                     help="MoE: experts per token."),
        click.option("--shared-experts", "shared_experts", default=None, metavar="N",
                     help="MoE: always-on experts per layer."),
    ]):
        command = decorator(command)
    return command


SHAPE_KEYS = ("heads", "kv_heads", "ffn_hidden", "mlp", "vocab", "tied_embeddings", "experts",
              "top_k", "shared_experts")


@click.command("plan")
@click.option("--params", default=None, metavar="N", help="Parameters, e.g. 70B.")
@click.option("--tokens", required=True, metavar="N", help="Training tokens, e.g. 2T.")
@click.option("--model", default=None, metavar="NAME",
              help="Built-in architecture (llama-3-70b, gpt-3-175b, mixtral-8x7b, "
                   "deepseek-v3...).")
@option("gpu", default="H100,H200,A100", show_default=True,
        extra_help=" 'all': every GPU with a price band at the date.")
@click.option("--deadline", default=None, metavar="TIME", help="Wall-clock limit, e.g. 30d.")
@click.option("--budget", default=None, metavar="MONEY",
              help="Limit on the typical rental cost, e.g. 5M or '4M EUR'.")
@click.option("--mfu", default=None, metavar="LOW:HIGH",
              help="Utilisation of the counted FLOP (default 0.38:0.462: Llama 3 405B "
                   "38-43%, PaLM 46.2%), or auto: predicted for each layout by the step-time "
                   "model, with its breakdown.")
@option("count", help="GPU counts to try: comma list or start..stop..step (default "
                      "8..65,536).")
@click.option("--seq-len", "seq_len", default=None, metavar="N", help="Sequence length.")
@architecture_options
@click.option("--active-params", "active_params", default=None, metavar="N",
              help="MoE: parameters activated per token, e.g. 37B.")
@click.option("--tp", default=None, metavar="N", help="Pin tensor-parallel size(s).")
@click.option("--pp", default=None, metavar="N", help="Pin pipeline-parallel size(s).")
@click.option("--dp", default=None, metavar="N", help="Pin data-parallel size(s).")
@click.option("--ep", default=None, metavar="N", help="Pin expert-parallel size(s) (MoE).")
@click.option("--micro-batch", "micro_batch", default=None, metavar="N",
              help="Pin micro-batch size(s) [sequences] (default: search 1, 2, 4, 8).")
@click.option("--global-batch", "global_batch", default=None, metavar="N",
              help="Sequences per step, or e.g. '4M tokens' (default by model size, GPT-3 "
                   "Table 2.1).")
@click.option("--recompute", default=None, metavar="MODE",
              help="none, selective or full (comma list; default: search all three).")
@click.option("--zero", default=None, metavar="STAGE",
              help="ZeRO stage(s) 0-3, comma list (default: search all).")
@click.option("--flash-attention/--no-flash-attention", "flash_attention", default=True,
              show_default=True,
              help="FlashAttention memory; off: Korthikanti et al. 2022's formula.")
@click.option("--sequence-parallel/--no-sequence-parallel", "sequence_parallel",
              default=True, show_default=True, help="Megatron-LM sequence parallelism.")
@click.option("--gradient-dtype", "gradient_dtype", default=DEFAULT_GRADIENT_DTYPE,
              show_default=True, type=click.Choice(list(GRADIENT_DTYPE_BYTES)),
              help="Gradient dtype (Megatron-LM keeps fp32 gradients).")
@option("price")
@run_options("tier", "provider_class")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="Rows to show.")
@click.option("--explain", is_flag=True, help="Say how many layouts each rule dropped.")
@as_of_option
@format_option()
@profiles_option
@click.pass_context
def plan_command(ctx, params, tokens, model, gpu, deadline, budget, mfu, count, seq_len,
                 active_params, tp, pp, dp, ep, micro_batch, global_batch, recompute, zero,
                 flash_attention, sequence_parallel, gradient_dtype, price, tier,
                 provider_class, top, explain, as_of, fmt, profiles, **shape):
    """Cheapest and fastest GPU layouts that obey the layout rules, fit in memory and meet
    a deadline and a budget.

    Searches GPU type x count x tensor/pipeline/data/expert parallel x ZeRO stage x
    micro-batch x recompute in one pass; tp divides heads, key/value heads and MLP width,
    pp divides layers, dp x micro-batch x accumulation = global batch. GPU-hours include
    failures and checkpoints (goodput). Exit 1 when nothing qualifies, naming the
    constraint that binds and by how much.

    \b
    Examples:
      estimator plan --params 70B --tokens 2T --deadline 30d
      estimator plan --model llama-2-70b --tokens 2T --gpu A100 --tp 8 --pp 4 --count 2048
      estimator plan --model mixtral-8x7b --tokens 1T --gpu all --explain
    """
    try:
        frame = plan(params=params, tokens=tokens, model=model, gpu=gpu, deadline=deadline,
                     budget=budget, mfu=mfu, count=count, seq_len=seq_len,
                     active_params=active_params, tp=tp, pp=pp, dp=dp, ep=ep,
                     micro_batch=micro_batch, global_batch=global_batch, recompute=recompute,
                     zero=zero, flash_attention=flash_attention,
                     sequence_parallel=sequence_parallel, gradient_dtype=gradient_dtype,
                     price=price, as_of=as_of, top=top, profiles=profiles_arg(profiles),
                     tier=tier, provider_class=provider_class, **shape)
    except InfeasiblePlanError as exc:
        note(f"No feasible plan: {exc}")
        if exc.gpus_searched:
            note(f"GPUs searched: {', '.join(exc.gpus_searched)}.")
        if explain and exc.dropped:
            note(_dropped(exc.dropped))
        ctx.exit(EXIT_INFEASIBLE)
    table = [c for c in frame.columns if c in PLAN_TABLE + ["tier", "provider_class"]]
    echo_frame(frame, fmt, table + [c for c in PLAN_COLUMNS if c in frame])
    arch = frame.attrs["architecture"]
    scaled = abs(arch.params_scale - 1.0) > 1e-9
    note(f"Model: {arch.name}, N = {arch.params_derived / 1e9:,.4g}B from the architecture"
         + (f", layers scaled to the headline {arch.params / 1e9:,.4g}B for memory" if scaled
            else f" (headline {arch.params / 1e9:,.4g}B)"
            if abs(arch.params - arch.params_derived) > 0.5e6 else "")
         + (f", {arch.active_params / 1e9:,.4g}B active" if arch.shape.moe else "")
         + f"; global batch {frame.attrs['global_batch']:,} sequences of "
         f"{arch.shape.seq_len:,} tokens.")
    for text in frame.attrs.get("notes", []):
        note(f"Note: {text}")
    note(f"GPUs searched: {', '.join(frame.attrs['gpus_searched'])}.")
    note("Best per GPU: " + "; ".join(_best(gpu_id, row) for gpu_id, row
                                      in frame.attrs["best_per_gpu"].iterrows()) + ".")
    if explain:
        note(_dropped(frame.attrs["dropped"]))
    note(f"Training FLOP: {frame.attrs['flop_formula']} (plus recompute as listed); "
         "GPU-hours = FLOP / (peak x MFU) / goodput. Memory GB = 1e9 bytes.")


def _dropped(dropped: dict) -> str:
    rows = ("does not fit in memory", "misses the deadline", "over the budget")
    layouts = "; ".join(f"{n:,} {why}" for why, n in dropped.items() if why not in rows)
    crossed = "; ".join(f"{n:,} {why}" for why, n in dropped.items() if why in rows)
    return ("Dropped layouts: " + (layouts or "none") + ". Dropped GPU x layout rows: "
            + (crossed or "none") + ".")


def _best(gpu_id: str, row) -> str:
    if not np.isfinite(row["cost_usd_typical"]):
        return f"{gpu_id}: {row['status']}"
    status = "" if row["status"] == "feasible" else f" ({row['status']})"
    return (f"{gpu_id}: {row['count']:,.0f} GPUs, tp {row['tp']:.0f} pp {row['pp']:.0f} "
            f"dp {row['dp']:.0f}, {row['memory_gb_per_gpu']:.1f} GB, "
            f"{row['wall_clock_days']:,.1f} days, {row['cost_usd_typical']:,.0f} USD{status}")


COMMANDS = [plan_command]
