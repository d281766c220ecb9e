"""`estimator cost`: the what-if calculator."""

from __future__ import annotations

import click

from estimator.bands import band_evidence
from estimator.calc.convert import convert
from estimator.calc.cost_methods import by_method
from estimator.calc.estimate import resolve_gpus
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


COMMANDS = [cost_command, own_command, convert_command]
