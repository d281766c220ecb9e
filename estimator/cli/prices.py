"""`estimator prices`: import price catalogs and quote sheets, write the quote template, and
list a GPU's observations with their origin and the band per tier (``prices GPU`` is short
for ``prices show GPU``). The work is in estimator/calc/prices.py."""

from __future__ import annotations

import click

from estimator.bands import TIERS, band_evidence
from estimator.calc.coverage import coverage_grid, price_coverage
from estimator.calc.prices import import_prices, price_observations, price_template
from estimator.cli.common import (
    EstimatorGroup,
    OutPath,
    as_of_option,
    echo_frame,
    format_option,
    note,
    profiles_arg,
    profiles_option,
)
from estimator.data.writers import write_text


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
@click.option("--out", required=True, type=OutPath(), help="Folder for observation files.")
@click.option("--force", is_flag=True, help="Replace observation files already in --out.")
@click.option("--encoding", default=None, metavar="CODEC",
              help="Text encoding of the files (default UTF-8, with or without a BOM), e.g. "
                   "latin-1, cp1252, utf-16.")
@profiles_option
def import_(files, fmt, as_of, provider, mappings, skip_unknown, out, force, encoding,
            profiles):
    """Import price files as observation files in --out (use it with --prices).

    \b
    Examples:
      estimator prices import aws-vms.csv --format skypilot --as-of 2025-09-01 --out my-prices
      estimator prices import "Hardware prices.csv" --format epoch --out my-prices
      estimator prices import quotes.csv --format csv --out my-prices
    """
    written = import_prices(list(files), fmt, out, as_of=as_of, provider=provider,
                            mappings=mappings, skip_unknown=skip_unknown, force=force,
                            profiles=profiles_arg(profiles), encoding=encoding)
    for result, path in written:
        dropped = ", ".join(f"{k}: {v}" for k, v in sorted(result.dropped.items()) if v)
        note(f"{result.name}: {len(result.observations)} observations -> {path}"
             + (f" (left out: {dropped})" if dropped else ""))
        for text in result.notes:
            note(f"Flag: {text}")


@prices.command("template")
@click.option("--out", default=None, type=OutPath(), help="Write to this .csv file.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def template(out, force):
    """The quote-sheet CSV format, with two example rows (replace them with your quotes).

    \b
    Example:
      estimator prices template --out quotes.csv
    """
    if out:
        write_text(out, price_template(), force=force)
    else:
        click.echo(price_template(), nl=False)


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
    band per tier at --as-of.

    \b
    Examples:
      estimator prices H100
      estimator prices show H800 --tier on_demand --as-of 2024-12-31
    """
    frame, bands = price_observations(gpu, tier=tier, as_of=as_of, profiles=profiles_arg(profiles))
    echo_frame(frame, fmt)
    for name, band in bands.items():
        text = "no observation" if band is None else (
            f"{band.low:.4g} / {band.typical:.4g} / {band.high:.4g} USD per GPU-hour "
            f"(low / typical / high, {band_evidence(band)})")
        when = band.reference_date.isoformat() if band is not None and band.reference_date \
            else "the date"
        note(f"{gpu} {name} band at {when}: {text}")


@prices.command("coverage")
@click.argument("gpu", required=False)
@click.option("--tier", default="all", show_default=True,
              help="Tier(s): " + ", ".join(TIERS) + ", a comma list, or all (spot is not in "
                   "all; name it).")
@as_of_option
@format_option()
@profiles_option
def coverage(gpu, tier, as_of, fmt, profiles):
    """Observations per GPU x quarter x tier x provider class, gaps marked.

    The table shows one row per GPU, tier and class and a column per quarter:
    "observations/providers", "-" for a quarter without any (a gap), blank before the first.
    csv / json give one record per quarter with its status: covered (>= 3 observations from
    >= 2 providers), thin, or gap.

    \b
    Examples:
      estimator prices coverage H100 --as-of 2026-11-30
      estimator prices coverage --tier on_demand --format csv
    """
    frame = price_coverage(gpu, tier=tier, as_of=as_of, profiles=profiles_arg(profiles))
    if fmt in ("table", "markdown"):
        echo_frame(coverage_grid(frame), fmt)
    else:
        echo_frame(frame, fmt)
    counts = frame["status"].value_counts()
    note(f"{len(frame)} GPU x tier x class quarters: {counts.get('covered', 0)} covered "
         f"(>= 3 observations from >= 2 providers), {counts.get('thin', 0)} thin, "
         f"{counts.get('gap', 0)} gaps")


COMMANDS = [prices]
