"""`estimator cost`: the what-if calculator."""

from __future__ import annotations

import click

from estimator.bands import band_evidence
from estimator.calc.compute import compute
from estimator.calc.convert import convert
from estimator.calc.cost_methods import by_method
from estimator.calc.estimate import resolve_gpus
from estimator.calc.mfu import SHARE_COLUMNS
from estimator.calc.own import own
from estimator.calc.price_columns import kind_axes
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
    run_options,
    warn_rows,
)
from estimator.cli.planning import SHAPE_KEYS, shape_options
from estimator.inputs.request import to_date
from estimator.models import constants
from estimator.models import ownership as om

COST_TABLE = ["gpu", "count", "hours", "gpu_hours", "price_usd_per_gpu_hour_low",
              "price_usd_per_gpu_hour_typical", "price_usd_per_gpu_hour_high", "cost_usd_low",
              "cost_usd_typical", "cost_usd_high", "energy_kwh", "co2e_t"]


def time_options(func):
    """--count, --hours and --gpu-hours (cli/common.py OPTIONS)."""
    return run_options("count", "hours", "gpu_hours")(func)


def energy_options(func):
    """--pue, --power-fraction (shared) and --carbon-intensity."""
    func = click.option("--carbon-intensity", "carbon_intensity", default=None,
                        metavar="KG_PER_KWH",
                        help="Grid intensity, e.g. '0.42 kg/kWh' or a region name; adds "
                             "co2e_t.")(func)
    return run_options("pue", "power_fraction")(func)


METHOD_TABLE = ["gpu", "method", "date", "count", "hours", "gpu_hours",
                "price_usd_per_gpu_hour_typical", "hardware_usd_per_gpu", "cost_usd_low",
                "cost_usd_typical", "cost_usd_high", "dollars"]
PRICE_COLUMNS = ["tier", "price_date"]
"""Which price a row used (calc/price_columns.py); shown after a table's own columns."""


def with_pricing(table: list, frame, prefix: str = "cost_") -> list:
    """``table`` + tier and price_date + the frame's other ``prefix`` columns (currency,
    constant dollars) + dollar_year when present."""
    extra = [c for c in frame.columns if c.startswith(prefix) and c not in table]
    kind = PRICE_COLUMNS[:1] + (["provider_class"] if "provider_class" in frame else [])
    return (table + kind + PRICE_COLUMNS[1:] + extra
            + (["dollar_year"] if "dollar_year" in frame else []))
DEVELOPMENT_TABLE = ["experiments_usd_typical", "staff_usd_typical", "total_usd_low",
                     "total_usd_typical", "total_usd_high"]


def method_options(func):
    """--method, --date, --flop, --mfu, --scope and Epoch AI's constants (--dollars, with its
    alias --dollar-year, is in pricing_options)."""
    for name, metavar, text in reversed([
        ("--method", "NAMES", "rental (default), cloud, amortised, acquisition; comma list."),
        ("--date", "DATE", "Training start (YYYY-MM-DD; default --as-of, else today)."),
        ("--flop", "FLOP", "Training compute, e.g. 3.8e25: chip-hours = FLOP / (peak x MFU)."),
        ("--mfu", "MFU", f"Utilisation with --flop (default {constants.DEFAULT_MFU:g} in "
                         f"{constants.MFU_RANGE[0]:g}-"
                         f"{constants.MFU_RANGE[1]:g}; models/constants.py), e.g. 0.4."),
        ("--scope", "SCOPE", "final-run (default), all-stages or development (adds "
                             "experiments and staff)."),
        ("--depreciation", "OOM", f"Hardware value loss [orders of magnitude/year] "
                                  f"(default {constants.DEPRECIATION_OOM_PER_YEAR:g}, Epoch AI)."),
        ("--server-factor", "X", "Server price / chip price (default Epoch AI's per chip: "
                                 "1.64, A100 1.66, V100 1.69)."),
        ("--interconnect-share", "SHARE", f"Network share of cluster cost (default "
                                          f"{constants.INTERCONNECT_SHARE:g}, Epoch AI)."),
        ("--electricity-price", "USD_PER_KWH", "Default: US industrial price of the "
                                               "training year (EIA)."),
        ("--conventions", "NAME", "product (default) or epoch: Epoch AI's own rules where "
                                  "they differ (README \"Three ways to count\")."),
    ]):
        dest = name[2:].replace("-", "_")
        func = click.option(name, dest, default=None, metavar=metavar, help=text)(func)
    return func


@click.command("cost")
@option("gpu", required=True)
@time_options
@option("price")
@method_options
@option("precision")
@energy_options
@pricing_options
@currency_options
@as_of_option
@format_option()
@profiles_option
def cost_command(gpu, count, hours, gpu_hours, price, method, date, flop, mfu, scope,
                 depreciation, server_factor, interconnect_share, electricity_price,
                 conventions, precision, pue, power_fraction, carbon_intensity, currency,
                 fx_date, as_of, fmt, profiles, **pricing):
    """Training cost of a run: rental (default), or by the field's methods (--method).

    Comma lists (--gpu H800,H100 --count 512,2048) give one row per combination.
    --method cloud,amortised,acquisition gives Epoch AI's three numbers (README "Three ways
    to count"); --scope development adds experiments and staff.

    \b
    Examples:
      estimator cost --gpu H800 --count 512 --hours 80 --price 2
      estimator cost --gpu H800,H100,A100 --gpu-hours 2.788M
      estimator cost --gpu H800 --gpu-hours 2.788M --price 2 --currency SEK --fx-date 2025-01-31
      estimator cost --gpu H100 --count 16384 --hours 1300 --date 2024-01-15 \\
          --method cloud,amortised,acquisition
      estimator cost --gpu H800 --flop 3.4e24 --count 2048 --method amortised --scope development
      estimator cost --gpu V100 --gpu-hours 2.5M --as-of 2020-06-01 --tier all --dollars 2023
    """
    constants = {k: v for k, v in (("depreciation", depreciation),
                                   ("server_factor", server_factor),
                                   ("interconnect_share", interconnect_share)) if v is not None}
    frame = by_method.estimate(
        gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours, price=price, method=method,
        date=date, flop=flop, mfu=mfu, precision=precision or "bf16", scope=scope,
        electricity_price=electricity_price, conventions=conventions, pue=pue,
        power_fraction=power_fraction, as_of=as_of, currency=currency, fx_date=fx_date,
        carbon_intensity=carbon_intensity, profiles=profiles_arg(profiles), **constants,
        **pricing)
    table = METHOD_TABLE if "method" in frame else COST_TABLE
    if "total_usd_typical" in frame:
        table = table + DEVELOPMENT_TABLE
    table = table + [c for c in frame.columns if c.startswith("total_real_usd_")]
    echo_frame(frame, fmt, with_pricing(table, frame))
    warn_rows(frame)
    if "method" not in frame or "rental" in set(frame["method"]):
        explain_bands(gpu, price, as_of, profiles, pricing)


def explain_bands(gpu, price, as_of, profiles, pricing=None) -> None:
    """Say on stderr where each market price band came from (one line per GPU x class x tier,
    as the rows): always with --as-of, and for a stale, thin or derived (fallback) band."""
    if price is not None:
        return
    kind = {k: (pricing or {}).get(k) for k in ("tier", "provider_class")}
    on = to_date(as_of, "as_of")
    gpus, tiers, classes = kind_axes(resolve_gpus(gpu, profiles_arg(profiles)), kind["tier"],
                                     kind["provider_class"], on)
    several = len(set(zip(tiers, classes))) > 1
    for profile, tier, cls in zip(gpus, tiers, classes):
        band = profile.band(on, tier, cls)
        if band is None or band.rule not in ("observations", "derived") or not (
                as_of or band.stale or band.thin or band.rule == "derived"):
            continue
        used = "; ".join(f"{o.provider} {o.kind} {o.date.isoformat()} "
                         f"{o.price_usd_per_gpu_hour:.2f}" for o in band.used)
        which = f" {tier}" + (f" {cls}" if cls else "") if several else ""
        note(f"{profile.id}{which}: band as of {band.reference_date.isoformat()}, "
             f"{band_evidence(band)}, from {used}")


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


OWN_TABLE = ["gpu", "count", "lifetime_years", "utilisation", "capex_usd_low", "capex_usd_typical",
             "capex_usd_high", "cost_usd_per_gpu_hour_low", "cost_usd_per_gpu_hour_typical",
             "cost_usd_per_gpu_hour_high", "rental_usd_per_gpu_hour_typical",
             "breakeven_utilisation"]


@click.command("own")
@option("gpu", required=True)
@option("count", default="1", show_default=True)
@click.option("--lifetime", default=f"{om.DEFAULT_LIFETIME_YEARS:g}y", show_default=True,
              help="Amortisation period.")
@click.option("--utilisation", default=f"{om.DEFAULT_UTILISATION:g}", show_default=True,
              help="Share of hours doing useful work.")
@click.option("--electricity", default=f"{om.DEFAULT_ELECTRICITY_USD_PER_KWH:g} USD/kWh",
              show_default=True, help="Electricity price.")
@option("pue")
@click.option("--server-overhead", "server_overhead",
              default=f"{om.SERVER_OVERHEAD[0]:g}:{om.SERVER_OVERHEAD[1]:g}", show_default=True,
              help="Server cost as a multiple of chip price (Epoch AI).")
@click.option("--interconnect-share", "interconnect_share",
              default=f"{constants.INTERCONNECT_SHARE:g}",
              show_default=True,
              help="Network share of cluster cost (Epoch AI).")
@click.option("--purchase-price", "purchase_price", default=None, metavar="USD",
              help="Price per GPU instead of the profile's observations, e.g. 30000 or 25K:35K.")
@option("price", help="Rental price to break even against (default: the profile's band).")
@pricing_options
@currency_options
@as_of_option
@format_option()
@profiles_option
def own_command(gpu, count, lifetime, utilisation, electricity, pue, server_overhead,
                interconnect_share, purchase_price, price, currency, fx_date, as_of, fmt,
                profiles, **pricing):
    """Fleet capital cost and cost per GPU-hour of owning; break-even against renting.

    \b
    Examples:
      estimator own --gpu H100 --count 50000
      estimator own --gpu H800 --count 2048 --lifetime 5y --utilisation 0.9 --price 2
    """
    frame = own(gpu=gpu, count=count, lifetime=lifetime, utilisation=utilisation,
                electricity=electricity, pue=pue, server_overhead=server_overhead,
                interconnect_share=interconnect_share, purchase_price=purchase_price,
                price=price, as_of=as_of, currency=currency, fx_date=fx_date,
                profiles=profiles_arg(profiles), **pricing)
    echo_frame(frame, fmt, with_pricing(OWN_TABLE, frame, prefix="capex_"))


@click.command("convert")
@click.argument("amount")
@click.option("--to", "to", required=True, metavar="CODE", help="Target currency, e.g. SEK.")
@click.option("--on", "on", default=None, metavar="DATE",
              help="Date of the rate (nearest earlier ECB rate is used; default latest).")
@format_option()
def convert_command(amount, to, on, fmt):
    """Convert an amount between currencies at a dated ECB reference rate.

    \b
    Examples:
      estimator convert "5.576M USD" --to SEK --on 2025-01-31
      estimator convert "60M SEK" --to USD --on 2025-02-02
    """
    echo_frame(convert(amount, to=to, on=on), fmt)


COMMANDS = [cost_command, compute_command, own_command, convert_command]
