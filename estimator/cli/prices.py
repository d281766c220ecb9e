"""`estimator prices`: import price catalogs and quote sheets, write the quote template, and
list a GPU's observations with their origin and the band per tier (``prices GPU`` is short
for ``prices show GPU``)."""

from __future__ import annotations

import datetime as dt

import click
import pandas as pd

from estimator.bands import TIERS, derive_band, parse_tiers
from estimator.cli.common import (
    EstimatorGroup,
    as_of_option,
    echo_frame,
    format_option,
    note,
    profiles_arg,
    profiles_option,
)
from estimator.data.importers.common import parse_mappings
from estimator.data.importers.epoch import epoch_observations
from estimator.data.importers.quotes import TEMPLATE, read_quotes
from estimator.data.importers.skypilot import read_skypilot
from estimator.data.importers.writer import write_folder
from estimator.data.profiles import builtin_dir, load_profiles
from estimator.errors import InputError
from estimator.inputs.request import to_date
from estimator.render.writers import write_text


class PricesGroup(EstimatorGroup):
    """A group whose unknown first argument is a GPU name: ``prices H100`` = ``prices show
    H100``."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


@click.group("prices", cls=PricesGroup, invoke_without_command=False)
def prices():
    """Rental price observations: import your own, list a GPU's.

    \b
    Examples:
      estimator prices H100 --tier all
      estimator prices import aws-vms.csv --format skypilot --as-of 2025-09-01 --out my-prices
      estimator cost --gpu H100 --gpu-hours 1M --prices my-prices
    """


@prices.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", required=True, type=click.Choice(["skypilot", "epoch", "csv"]),
              help="skypilot: a vms.csv catalog; epoch: Epoch AI's Hardware prices.csv; csv: "
                   "a quote sheet (estimator prices template).")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Date of the catalog (SkyPilot catalogs carry none; required there).")
@click.option("--provider", default=None, help="Provider name (default: from the file name, "
                                               "aws-vms.csv -> AWS).")
@click.option("--map", "mappings", multiple=True, metavar="NAME=GPU",
              help="Map a catalog accelerator name to a GPU profile (repeatable).")
@click.option("--skip-unknown", is_flag=True,
              help="Leave rows of unknown accelerators out (listed, counted) instead of failing.")
@click.option("--out", required=True, type=click.Path(), help="Folder for observation files.")
@click.option("--force", is_flag=True, help="Replace observation files already in --out.")
@profiles_option
def import_(files, fmt, as_of, provider, mappings, skip_unknown, out, force, profiles):
    """Import price files as observation files in --out (use it with --prices)."""
    loaded = load_profiles(profiles_arg(profiles))
    extra = parse_mappings(mappings, loaded)
    known = [name for p in loaded for name in (p.id, *p.aliases)]
    date = to_date(as_of, "as_of") if as_of else None
    if fmt == "skypilot" and date is None:
        raise InputError("a SkyPilot catalog carries no date", key="as-of",
                         hint="Pass --as-of DATE: the day the catalog was fetched.")
    results = []
    for file in files:
        if fmt == "skypilot":
            results.append(read_skypilot(file, date=date, provider=provider, extra_names=extra,
                                         skip_unknown=skip_unknown, known_gpus=known))
        elif fmt == "epoch":
            results.append(epoch_observations(file, extra_names=extra,
                                              skip_unknown=skip_unknown, known_gpus=known))
        else:
            results.append(read_quotes(file, loaded))
    written = write_folder(results, out, force=force, inputs=files)
    for result, path in zip(results, written):
        dropped = ", ".join(f"{k}: {v}" for k, v in sorted(result.dropped.items()) if v)
        note(f"{result.name}: {len(result.observations)} observations -> {path}"
             + (f" (left out: {dropped})" if dropped else ""))
        for text in result.notes:
            note(f"Flag: {text}")


@prices.command("template")
@click.option("--out", default=None, type=click.Path(), help="Write to this .csv file.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def template(out, force):
    """The quote-sheet CSV format, with two example rows (replace them with your quotes)."""
    if out:
        write_text(out, TEMPLATE, force=force)
    else:
        click.echo(TEMPLATE, nl=False)


@prices.command("show")
@click.argument("gpu")
@click.option("--tier", default="all", show_default=True,
              help="Tier(s): " + ", ".join(TIERS) + ", a comma list, or all (spot is not in "
                   "all; name it).")
@as_of_option
@format_option()
@profiles_option
def show(gpu, tier, as_of, fmt, profiles):
    """A GPU's rental observations (with origin: built-in or the imported file) and the
    band per tier at --as-of."""
    profile = load_profiles(profiles_arg(profiles)).get(gpu)
    tiers = parse_tiers(tier)
    on = to_date(as_of, "as_of") if as_of else dt.date.today()
    built_in = str(profile.file or "").startswith(str(builtin_dir()))
    origin = "built-in" if built_in else str(profile.file)
    rows = [_row(o, origin) for o in sorted(profile.rental, key=lambda o: (o.date, o.provider))
            if o.tier in tiers and o.date <= on]
    echo_frame(pd.DataFrame(rows, columns=["date", "provider", "provider_class", "tier",
                                           "usd_per_gpu_hour", "source", "origin"]), fmt)
    for name in tiers:
        band = derive_band(profile.rental, on, tier=name)
        text = "no observation" if band is None else (
            f"{band.low:.4g} / {band.typical:.4g} / {band.high:.4g} USD per GPU-hour "
            f"(low / typical / high, {len(band.used)} observations"
            + (", stale" if band.stale else "") + ")")
        note(f"{profile.name} {name} band at {on.isoformat()}: {text}")


def _row(o, origin: str) -> dict:
    return {"date": o.date.isoformat(), "provider": o.provider,
            "provider_class": o.provider_class, "tier": o.kind,
            "usd_per_gpu_hour": round(o.price_usd_per_gpu_hour, 6), "source": o.source,
            "origin": o.origin or origin}


COMMANDS = [prices]
