"""`estimator plan`: GPUs, count and parallel layout for a run under a deadline and budget."""

from __future__ import annotations

import click

from estimator.calc.plan import PLAN_TABLE, InfeasiblePlanError, plan
from estimator.cli.common import (
    as_of_option,
    echo_frame,
    format_option,
    note,
    option,
    profiles_arg,
    profiles_option,
)

EXIT_INFEASIBLE = 1


@click.command("plan")
@click.option("--params", default=None, metavar="N", help="Parameters, e.g. 70B.")
@click.option("--tokens", required=True, metavar="N", help="Training tokens, e.g. 2T.")
@click.option("--model", default=None, metavar="NAME",
              help="Built-in architecture (llama-3-70b, gpt-3-175b, deepseek-v3...).")
@option("gpu", default="H100,H200,A100", show_default=True)
@click.option("--deadline", default=None, metavar="TIME", help="Wall-clock limit, e.g. 30d.")
@click.option("--budget", default=None, metavar="MONEY",
              help="Limit on the typical rental cost, e.g. 5M or '4M EUR'.")
@click.option("--mfu", default=None, metavar="LOW:HIGH",
              help="Utilisation of the counted FLOP (default 0.38:0.462: Llama 3 405B "
                   "38-43%, PaLM 46.2%).")
@option("count", help="GPU counts to try: comma list or start..stop..step (default "
                      "8..65,536).")
@click.option("--seq-len", "seq_len", default=None, metavar="N", help="Sequence length.")
@click.option("--layers", default=None, metavar="N", help="Transformer layers.")
@click.option("--hidden", default=None, metavar="N", help="Hidden size.")
@click.option("--heads", default=None, metavar="N", help="Attention heads.")
@click.option("--active-params", "active_params", default=None, metavar="N",
              help="MoE: parameters activated per token, e.g. 37B.")
@click.option("--recompute", default=None, metavar="MODE",
              help="none, selective or full (comma list; default: search all three).")
@click.option("--zero", default=None, metavar="STAGE",
              help="ZeRO stage(s) 0-3, comma list (default: search all).")
@option("price")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="Rows to show.")
@as_of_option
@format_option()
@profiles_option
@click.pass_context
def plan_command(ctx, params, tokens, model, gpu, deadline, budget, mfu, count, seq_len, layers,
                 hidden, heads, active_params, recompute, zero, price, top, as_of, fmt,
                 profiles):
    """Cheapest and fastest GPU configurations that fit in memory, meet a deadline and a budget.

    Searches GPU type x count x tensor/pipeline/data parallel x ZeRO stage x recompute in
    one pass; GPU-hours include failures and checkpoints (goodput). Exit 1 when nothing
    qualifies, naming the constraint that binds and by how much.

    \b
    Examples:
      estimator plan --params 70B --tokens 2T --deadline 30d
      estimator plan --model llama-3.1-405b --tokens 15T --gpu H100 --deadline 90d --budget 100M
    """
    try:
        frame = plan(params=params, tokens=tokens, model=model, gpu=gpu, deadline=deadline,
                     budget=budget, mfu=mfu, count=count, seq_len=seq_len,
                     layers=layers, hidden=hidden, heads=heads, active_params=active_params,
                     recompute=recompute, zero=zero, price=price, as_of=as_of, top=top,
                     profiles=profiles_arg(profiles))
    except InfeasiblePlanError as exc:
        note(f"No feasible plan: {exc}")
        ctx.exit(EXIT_INFEASIBLE)
    echo_frame(frame, fmt, PLAN_TABLE)
    for text in frame.attrs.get("notes", []):
        note(f"Note: {text}")
    note(f"Training FLOP: {frame.attrs['flop_formula']} (plus recompute as listed); "
         "GPU-hours = FLOP / (peak x MFU) / goodput.")


COMMANDS = [plan_command]
