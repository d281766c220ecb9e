"""`estimator plot ...`, `estimator report` and `estimator library`."""

from __future__ import annotations

import click
import numpy as np

from estimator.calc.library import LIBRARY_TABLE, library
from estimator.calc.simulate import simulate
from estimator.calc.sweep import sweep
from estimator.cli.common import (
    DISTRIBUTION_HELP,
    EstimatorGroup,
    as_of_option,
    echo_frame,
    format_option,
    note,
    option,
    profiles_arg,
    profiles_option,
    run_options,
)
from estimator.models.goodput import LLAMA3_GPUS, goodput
from estimator.render.plots import (
    plot_check,
    plot_cost,
    plot_goodput,
    plot_library,
    plot_simulate,
    save,
)
from estimator.render.report import markdown_report
from estimator.render.writers import check_target, write_text
from estimator.scenarios import at_date, check, load_scenario


def check_out(out, force, inputs=(), profiles=()):
    """Refuse a bad --out before computing (writers.py checks again when writing)."""
    check_target(out, force=force, inputs=inputs, profiles=profiles_arg(profiles))


def out_options(func):
    func = click.option("--force", is_flag=True, help="Overwrite an existing --out file.")(func)
    return click.option("--out", required=True, type=click.Path(),
                        help="PNG file to write.")(func)


@click.group("plot", cls=EstimatorGroup)
def plot_group():
    """Draw claims, cost bands, Monte Carlo histograms and the library trend as PNG."""


@plot_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@out_options
@profiles_option
def plot_check_command(paths, out, force, profiles):
    """Each scenario's claim against its computed range (log scale, verdict colours).

    \b
    Example:
      estimator plot check --out claims.png
    """
    check_out(out, force, paths, profiles)
    save(plot_check(check(list(paths) or None, profiles=profiles_arg(profiles))), out,
         force=force, inputs=paths, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("cost")
@run_options("gpu", "count", "hours", "price", gpu={"required": True},
             count={"required": True}, hours={"required": True})
@click.option("--x", "x", type=click.Choice(["count", "hours"]), default="count",
              show_default=True, help="What goes on the x axis.")
@out_options
@profiles_option
def plot_cost_command(gpu, count, hours, price, x, out, force, profiles):
    """The cost band against GPU count or hours, one band per GPU.

    \b
    Example:
      estimator plot cost --gpu H800,H100,A100 --count 256..4096..256 --hours 720 --out cost.png
    """
    check_out(out, force, profiles=profiles)
    frame = sweep(gpu=gpu, count=count, hours=hours,
                  price=price, profiles=profiles_arg(profiles))
    save(plot_cost(frame, x), out, force=force, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("simulate")
@option("gpu", required=True)
@option("count", extra_help=DISTRIBUTION_HELP)
@option("hours", extra_help=DISTRIBUTION_HELP)
@option("gpu_hours", extra_help=DISTRIBUTION_HELP)
@option("price", extra_help=DISTRIBUTION_HELP)
@click.option("--samples", default=100_000, show_default=True, type=click.IntRange(2, 10**7))
@click.option("--seed", default=None, type=click.IntRange(min=0),
              help="Random seed, a non-negative integer.")
@out_options
@profiles_option
def plot_simulate_command(gpu, count, hours, gpu_hours, price, samples, seed, out, force,
                          profiles):
    """Histogram of Monte Carlo cost draws with P5 / P50 / P95 marked.

    \b
    Example:
      estimator plot simulate --gpu H800 --count 512 --hours 70:90 --seed 1 --out mc.png
    """
    check_out(out, force, profiles=profiles)
    sim = simulate(gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours, price=price,
                   n=samples, seed=seed, profiles=profiles_arg(profiles))
    save(plot_simulate(sim.samples), out, force=force, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("library")
@click.argument("paths", nargs=-1, type=click.Path())
@out_options
@profiles_option
def plot_library_command(paths, out, force, profiles):
    """Training cost over time for the library of public runs (log axis, DeepSeek highlighted).

    \b
    Example:
      estimator plot library --out trend.png
    """
    check_out(out, force, paths, profiles)
    save(plot_library(library(list(paths) or None, profiles_arg(profiles))), out, force=force,
         inputs=paths, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("goodput")
@click.option("--max-count", "max_count", default=262_144, show_default=True,
              type=click.IntRange(2, 10**8), help="Largest GPU count on the x axis.")
@out_options
def plot_goodput_command(max_count, out, force):
    """Goodput against GPU count with the default failure model (Llama 3's rate).

    \b
    Example:
      estimator plot goodput --out goodput.png
    """
    counts = np.unique(np.geomspace(8, max_count, 200).round())
    save(plot_goodput(counts, goodput(counts), LLAMA3_GPUS), out, force=force)
    note(f"Wrote {out}")


@click.command("report")
@click.argument("scenario")
@click.option("--out", default=None, type=click.Path(), help="Write Markdown here.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@as_of_option
@profiles_option
def report_command(scenario, out, force, as_of, profiles):
    """A Markdown fact-check of one scenario: claim, verdict, sources, stages, prices used.

    \b
    Example:
      estimator report deepseek-r1-headline-512xh800-80h --out r1.md
    """
    loaded = at_date(load_scenario(scenario), as_of)
    if out is not None:
        check_out(out, force, [loaded.file], profiles)
    text = markdown_report(loaded.run(profiles_arg(profiles)))
    if out is None:
        click.echo(text, nl=False)
        return
    write_text(out, text, force=force, inputs=[loaded.file], profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@click.command("library")
@click.argument("paths", nargs=-1, type=click.Path())
@format_option()
@profiles_option
def library_command(paths, fmt, profiles):
    """One row per public training run: date, hardware, GPU-hours, costs, MFU, energy, verdicts.

    PATHS are scenario files or folders (searched for *.yaml); none means the built-in
    library of public runs. implied_mfu is on the peak named in mfu_basis (BF16 or FP8).

    \b
    Examples:
      estimator library --format csv > runs.csv
      estimator library my-runs/
    """
    frame = library(list(paths) or None, profiles_arg(profiles))
    echo_frame(frame, fmt, LIBRARY_TABLE)


COMMANDS = [plot_group, report_command, library_command]
