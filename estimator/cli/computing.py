"""The `compute` command: GPU-hours and cost from training compute, or the implied MFU;
with ``--mfu auto`` and a layout, the step-time model's predicted MFU (calc/compute.py).

Kept apart from `cost` (cli/costs.py) so a rental what-if does not import the FLOP, layout
and step-time modules (start-up, issue 24)."""

from __future__ import annotations

import click

from estimator.calc.compute import compute
from estimator.calc.mfu import SHARE_COLUMNS
from estimator.cli.common import (
    as_of_option,
    currency_options,
    echo_frame,
    format_option,
    note,
    option,
    pricing_options,
    profiles_arg,
    profiles_option,
    warn_rows,
)
from estimator.cli.costs import energy_options, explain_bands, with_pricing
from estimator.cli.planning import SHAPE_KEYS, shape_options

COMPUTE_TABLE = ["gpu", "flop_formula", "training_flop", "mfu", "mfu_low", "mfu_high", "gpu_hours",
                 "gpu_hours_low", "gpu_hours_high", "count", "wall_clock_hours", "cost_usd_low",
                 "cost_usd_typical", "cost_usd_high", "energy_kwh", "co2e_t"]


COMPUTE_AUTO_TABLE = (COMPUTE_TABLE[:6]
                      + list(SHARE_COLUMNS) + COMPUTE_TABLE[6:])
MFU_AUTO_NOTE = ("MFU predicted by the step-time model (Narayanan et al. 2021): matmuls, memory-"
                 "bound kernels (flash attention unless --no-flash-attention), optimizer step, "
                 "tensor-parallel all-reduces, pipeline bubble, data-parallel gradient "
                 "all-reduce, recompute; the range is its error on published runs "
                 "(benchmarks/mfu_anchors.py).")
LAYOUT_KEYS = ("tp", "pp", "dp", "micro_batch", "global_batch", "interleave", "zero",
               "matmul_fraction", "tp_gb_per_s", "dp_gb_per_s", "flash_attention")


def layout_options(func):
    """The layout and model options of --mfu auto (names as `plan` uses them)."""
    specs = [
        ("--tp", "tp", "N", "Tensor-parallel size (GPUs per layer)."),
        ("--pp", "pp", "N", "Pipeline-parallel stages."),
        ("--dp", "dp", "N", "Data-parallel size (default: --count / (tp x pp))."),
        ("--micro-batch", "micro_batch", "N", "Sequences per micro-batch (default 1)."),
        ("--global-batch", "global_batch", "N", "Sequences per optimizer step."),
        ("--interleave", "interleave", "V", "Interleaved pipeline chunks per GPU (default 1)."),
        ("--zero", "zero", "STAGE", "ZeRO stage 0-3 (3: 1.5x the data-parallel traffic)."),
        ("--matmul-fraction", "matmul_fraction", "F",
         "Achievable share of peak for large matmuls (default: per GPU generation)."),
        ("--tp-gb-per-s", "tp_gb_per_s", "GB/s",
         "Tensor-parallel link per GPU, one direction (default: NVLink / 2)."),
        ("--dp-gb-per-s", "dp_gb_per_s", "GB/s",
         "Inter-node network per GPU (default: per GPU generation)."),
    ]
    flash = click.option("--flash-attention/--no-flash-attention", "flash_attention",
                         default=None, help="Fused attention: no s x s score traffic in the "
                         "step-time model (default: on; off for runs before FlashAttention).")
    func = flash(func)
    for flag, name, metavar, text in reversed(specs):
        func = click.option(flag, name, default=None, metavar=metavar, help=text)(func)
    return func


@click.command("compute")
@option("gpu", required=True)
@click.option("--params", default=None, metavar="N",
              help="Parameters per token (MoE: activated), e.g. 37B.")
@click.option("--tokens", default=None, metavar="N", help="Training tokens, e.g. 14.8T.")
@click.option("--flop", default=None, metavar="FLOP", help="Training compute, e.g. 3.14e23.")
@click.option("--flop-per-token", "flop_per_token", default=None, metavar="FLOP",
              help="Training FLOP per token, e.g. 250G (with --tokens).")
@option("precision")
@click.option("--mfu", default=None, metavar="MFU",
              help="Model FLOP utilisation, e.g. 0.35 or 0.3:0.45 (default 0.375), or auto: "
              "predicted from the layout (--tp --pp --dp --micro-batch --global-batch, "
              "--model) by the step-time model.")
@option("gpu_hours", help="Disclosed GPU-hours: gives the implied MFU instead.")
@option("count", extra_help=" Gives the wall-clock hours.")
@layout_options
@option("price")
@click.option("--layers", default=None, metavar="N", help="Layers (adds the attention term).")
@click.option("--hidden", default=None, metavar="N", help="Hidden size (with --layers).")
@click.option("--seq-len", "seq_len", default=None, metavar="N",
              help="Sequence length (with --layers).")
@click.option("--recompute", default=None, type=click.Choice(["none", "selective", "full"]),
              help="Activation recompute: full adds one forward pass (8ND).")
@click.option("--active-params", "active_params", default=None, metavar="N",
              help="MoE: parameters activated per token (used instead of --params).")
@click.option("--model", default=None, metavar="NAME",
              help="Built-in architecture: N (activated, for MoE), layers, hidden and "
                   "sequence from it unless given.")
@shape_options
@energy_options
@pricing_options
@currency_options
@as_of_option
@format_option()
@profiles_option
def compute_command(gpu, params, tokens, flop, flop_per_token, precision, mfu, gpu_hours, count,
                    price, layers, hidden, seq_len, recompute, active_params, model, pue,
                    power_fraction, carbon_intensity, currency, fx_date, as_of, fmt, profiles,
                    **pricing):
    """GPU-hours and cost from training compute (6 x params x tokens), or the implied MFU.

    \b
    Examples:
      estimator compute --params 37B --tokens 14.8T --gpu H800 --gpu-hours 2.664M
      estimator compute --params 37B --tokens 14.8T --gpu H800 --mfu 0.3:0.45 --count 2048
      estimator compute --flop 3.14e23 --gpu V100 --precision fp16 --mfu 0.2
      estimator compute --model llama-2-7b --tokens 2T --gpu A100 --mfu 0.5
      estimator compute --model gpt-3-175b --tokens 300B --gpu A100 --mfu auto --tp 8 --pp 8
        --dp 16 --global-batch 1536 --recompute full
    """
    layout = {k: pricing.pop(k) for k in LAYOUT_KEYS}
    layout = {k: v for k, v in layout.items() if v is not None}
    shape = {k: pricing.pop(k) for k in SHAPE_KEYS}
    frame = compute(gpu=gpu, params=params, tokens=tokens, flop=flop,
                    flop_per_token=flop_per_token, precision=precision, mfu=mfu,
                    gpu_hours=gpu_hours, count=count, price=price, pue=pue,
                    power_fraction=power_fraction, as_of=as_of, currency=currency,
                    fx_date=fx_date, carbon_intensity=carbon_intensity,
                    profiles=profiles_arg(profiles), layers=layers, hidden=hidden,
                    seq_len=seq_len, recompute=recompute, active_params=active_params,
                    model=model, **shape, layout=layout or None, **pricing)
    auto = "mfu_predicted" in frame
    echo_frame(frame, fmt, with_pricing(COMPUTE_AUTO_TABLE if auto else COMPUTE_TABLE, frame))
    if auto and fmt == "table":
        note(MFU_AUTO_NOTE)
    warn_rows(frame)
    explain_bands(gpu, price, as_of, profiles, pricing)


COMMANDS = [compute_command]
