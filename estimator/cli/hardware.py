"""`estimator gpus`, `estimator gpu show` and `estimator gpu path`."""

from __future__ import annotations

import click

from estimator.calc.tables import profile_detail, profile_path, profiles_frame
from estimator.cli.common import (
    EstimatorGroup,
    as_of_option,
    echo_frame,
    format_option,
    profiles_arg,
    profiles_option,
)
from estimator.inputs.numbers import fmt_number
from estimator.render.escaping import visible
from estimator.render.formats import TEXT_FORMATS
from estimator.render.output import to_json

GPUS_TABLE = ["id", "aliases", "bf16_dense_tflops", "fp8_dense_tflops", "memory_gb", "tdp_w",
              "nvlink_gb_per_s", "price_usd_per_gpu_hour_low", "price_usd_per_gpu_hour_typical",
              "price_usd_per_gpu_hour_high", "price_band_rule"]


@click.command("gpus")
@format_option()
@as_of_option
@profiles_option
def gpus_command(fmt, as_of, profiles):
    """List the hardware profiles: key specs and price band (USD per GPU-hour).

    \b
    Example:
      estimator gpus --format json
    """
    frame = profiles_frame(profiles_arg(profiles), as_of=as_of)
    if fmt == "table":
        frame = frame.assign(aliases=frame["aliases"].map(lambda a: ", ".join(a[:2])))
    echo_frame(frame, fmt, GPUS_TABLE)


@click.group("gpu", cls=EstimatorGroup)
def gpu_group():
    """Look at one hardware profile."""


@gpu_group.command("show")
@click.argument("name")
@format_option(TEXT_FORMATS)
@as_of_option
@profiles_option
def gpu_show(name, fmt, as_of, profiles):
    """Show a whole profile with the source and date of every number.

    \b
    Example:
      estimator gpu show H800
    """
    detail = profile_detail(name, as_of, profiles_arg(profiles))
    if fmt == "json":
        click.echo(to_json(detail))
        return
    click.echo(visible(describe(detail), keep_newlines=True))


@gpu_group.command("path")
@click.argument("name")
@profiles_option
def gpu_path(name, profiles):
    """Print the file a profile comes from (to copy it and make your own).

    \b
    Example:
      mkdir -p my-gpus && cp "$(estimator gpu path H800)" my-gpus/
    """
    click.echo(visible(str(profile_path(name, profiles_arg(profiles)))))


def describe(d: dict) -> str:
    """Readable text of a profile_detail() dict."""
    lines = [f"{d['name']} ({d['id']})", f"  aliases: {', '.join(d['aliases'])}",
             f"  vendor: {d['vendor']}, architecture: {d['architecture']}, "
             f"launched {d['launch_date']}", f"  file: {d['file']}", "", "Specs (dense):"]
    for key, s in d["specs"].items():
        value = "none" if s.get("value") is None else fmt_number(s["value"])
        lines.append(f"  {key:28} {value:>10}  [{s.get('confidence', 'primary')}, "
                     f"{s['as_of']}] {s['source']}" + (f" ({s['note']})" if s.get("note") else ""))
    lines += ["", f"Rental prices (per {d['price_unit']}):"]
    for o in d["rental_prices"]:
        lines.append(f"  {o['date']}  {o['provider']:24} {o['kind']:10} "
                     f"{o['price_per_gpu_hour']:>8.2f} {o['currency']} "
                     f"(= {o['price_usd_per_gpu_hour']:.2f} USD)  [{o['confidence']}] "
                     f"{o['source']}")
    lines += ["", "Purchase prices (per GPU):"]
    for o in d["purchase_prices"]:
        lines.append(f"  {o['date']}  {o['seller']:24} {o['what']:10} "
                     f"{fmt_number(o['price_per_gpu']):>8} {o['currency']}  "
                     f"[{o['confidence']}] {o['source']}")
    band = d["price_band"]
    lines.append("")
    if band:
        lines.append(f"Price band (USD per GPU-hour): low {band['low']:.2f}, typical "
                     f"{band['typical']:.2f}, high {band['high']:.2f} ({band['rule']}"
                     + (f" as of {band['reference_date']}" if band["reference_date"] else "")
                     + (", stale" if band["stale"] else "") + ")")
        for used in band["observations_used"]:
            lines.append(f"  from {used}")
    else:
        lines.append("Price band: none (no usable rental observation); pass --price.")
    if d.get("notes"):
        lines += ["", f"Notes: {d['notes']}"]
    return "\n".join(lines)


COMMANDS = [gpus_command, gpu_group]
