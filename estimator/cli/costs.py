"""`estimator cost`: the what-if calculator."""

from __future__ import annotations

import click

from ..energy import DEFAULT_POWER_FRACTION, DEFAULT_PUE
from .common import (as_of_option, currency_options, echo_frame, format_option, note,
                     profiles_arg, profiles_option)

COST_TABLE = ["gpu", "count", "hours", "gpu_hours", "price_usd_per_gpu_hour_low",
              "price_usd_per_gpu_hour_typical", "price_usd_per_gpu_hour_high", "cost_usd_low",
              "cost_usd_typical", "cost_usd_high", "energy_kwh", "co2e_t"]


def time_options(func):
    func = click.option("--gpu-hours", "gpu_hours", default=None, metavar="N",
                        help="Total GPU-hours, e.g. 2.788M (instead of --count x --hours).")(func)
    func = click.option("--hours", default=None, metavar="H",
                        help="Wall-clock hours, e.g. 80 or '3.7 days'. Comma list allowed.")(func)
    return click.option("--count", default=None, metavar="N",
                        help="Number of GPUs, e.g. 512. Comma list allowed.")(func)


def energy_options(func):
    func = click.option("--carbon-intensity", "carbon_intensity", default=None,
                        metavar="KG_PER_KWH",
                        help="Grid intensity, e.g. '0.42 kg/kWh' or a region name; adds "
                             "co2e_t.")(func)
    func = click.option("--power-fraction", "power_fraction", default=str(DEFAULT_POWER_FRACTION),
                        show_default=True, help="Average draw as a share of TDP.")(func)
    return click.option("--pue", default=str(DEFAULT_PUE), show_default=True,
                        help="Data-centre power usage effectiveness.")(func)


@click.command("cost")
@click.option("--gpu", required=True, metavar="NAME",
              help="GPU id or alias (H800, H100, A100...). Comma list allowed.")
@time_options
@click.option("--price", default=None, metavar="PRICE",
              help="Rental price per GPU-hour, e.g. 2, '2 USD/h', '14 CNY/h', '1.5:3'. "
                   "Default: the profile's price band.")
@energy_options
@currency_options
@as_of_option
@format_option()
@profiles_option
def cost_command(gpu, count, hours, gpu_hours, price, pue, power_fraction, carbon_intensity,
                 currency, fx_date, as_of, fmt, profiles):
    """Rental cost range, GPU-hours and energy of a training run.

    Comma lists (--gpu H800,H100 --count 512,2048) give one row per combination.

    \b
    Examples:
      estimator cost --gpu H800 --count 512 --hours 80 --price 2
      estimator cost --gpu H800,H100,A100 --gpu-hours 2.788M
      estimator cost --gpu H800 --gpu-hours 2.788M --price 2 --currency SEK --fx-date 2025-01-31
    """
    from ..api import estimate

    frame = estimate(gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours, price=price,
                     pue=pue, power_fraction=power_fraction, as_of=as_of, currency=currency,
                     fx_date=fx_date, carbon_intensity=carbon_intensity,
                     profiles=profiles_arg(profiles))
    columns = COST_TABLE + [c for c in frame.columns if c.startswith("cost_") and c not in
                            COST_TABLE]
    echo_frame(frame, fmt, columns)
    explain_bands(frame, as_of is not None)


def explain_bands(frame, verbose: bool) -> None:
    """Say on stderr where each price band came from (always with --as-of)."""
    for label, band in frame.attrs.get("price_bands", {}).items():
        if band.rule == "observations" and (verbose or band.stale):
            used = "; ".join(f"{o.provider} {o.kind} {o.date.isoformat()} "
                             f"{o.price_usd_per_gpu_hour:.2f}" for o in band.used)
            stale = " (none within the window: stale)" if band.stale else ""
            note(f"{label}: band as of {band.reference_date.isoformat()} from {used}{stale}")


COMMANDS = [cost_command]
