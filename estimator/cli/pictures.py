"""`estimator plot ...`, `estimator report` and `estimator library`."""

from __future__ import annotations

import click
import numpy as np

from estimator import clock
from estimator.calc.cost_methods.by_method import estimate
from estimator.calc.coverage import price_coverage
from estimator.calc.mfu import anchors_for_plot, scaling
from estimator.calc.prices import price_observations
from estimator.calc.simulate import simulate
from estimator.calc.sweep import sweep
from estimator.cli.common import (
    DISTRIBUTION_HELP,
    EstimatorGroup,
    OutPath,
    as_of_option,
    echo_frame,
    format_option,
    note,
    option,
    profiles_arg,
    profiles_option,
    run_options,
    warn_rows,
)
from estimator.data.writers import check_target, write_text
from estimator.inputs.axes import as_list
from estimator.inputs.request import to_date
from estimator.models.goodput import LLAMA3_GPUS, goodput
from estimator.render.plots import (
    plot_check,
    plot_cost,
    plot_coverage,
    plot_goodput,
    plot_library,
    plot_methods,
    plot_mfu,
    plot_prices,
    plot_simulate,
    save,
)
from estimator.render.report import markdown_report
from estimator.scenarios import at_date, check, load_scenario
from estimator.scenarios.library import LIBRARY_TABLE, library
from estimator.scenarios.methods import ALL_METHODS, scenario_methods


def check_out(out, force, inputs=(), profiles=()):
    """Refuse a bad --out before computing (writers.py checks again when writing)."""
    check_target(out, force=force, inputs=inputs, profiles=profiles_arg(profiles))


def out_options(func):
    func = click.option("--force", is_flag=True, help="Overwrite an existing --out file.")(func)
    return click.option("--out", required=True, type=OutPath(),
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


@plot_group.command("mfu")
@option("gpu", required=True)
@click.option("--model", required=True, metavar="NAME",
              help="Built-in architecture (gpt-3-175b, llama-3-70b, ...).")
@click.option("--tp", default=1, show_default=True, type=click.IntRange(1),
              help="Tensor-parallel size.")
@click.option("--pp", default=1, show_default=True, type=click.IntRange(1), help="Pipeline stages.")
@click.option("--micro-batch", "micro_batch", default=1, show_default=True, type=click.IntRange(1),
              help="Sequences per micro-batch.")
@click.option("--global-batch", "global_batch", required=True, type=click.IntRange(1),
              help="Sequences per step (fixed: more GPUs split it over more replicas).")
@click.option("--interleave", default=1, show_default=True, type=click.IntRange(1),
              help="Interleaved pipeline chunks per GPU.")
@click.option("--recompute", default="none", show_default=True,
              type=click.Choice(["none", "selective", "full"]), help="Activation recompute.")
@click.option("--flash-attention/--no-flash-attention", "flash_attention", default=True,
              show_default=True, help="Fused attention (off for runs before FlashAttention).")
@option("precision")
@out_options
@profiles_option
def plot_mfu_command(gpu, model, tp, pp, micro_batch, global_batch, interleave, recompute,
                     flash_attention, precision, out, force, profiles):
    """Predicted MFU against GPU count for one layout family, published runs marked.

    The data-parallel size runs over every divisor of global batch / micro-batch, so the
    pipeline gets fewer micro-batches (a larger bubble) as the GPU count grows.

    \b
    Example:
      estimator plot mfu --gpu A100 --model gpt-3-175b --tp 8 --pp 8 --global-batch 1536
        --recompute full --no-flash-attention --out mfu.png
    """
    check_out(out, force, profiles=profiles)
    curve = scaling(gpu, model=model, tp=tp, pp=pp, micro_batch=micro_batch,
                    global_batch=global_batch, interleave=interleave, recompute=recompute,
                    precision=precision, profiles=profiles_arg(profiles),
                    flash_attention=flash_attention)
    anchors = anchors_for_plot()
    anchors["same_generation"] = anchors["architecture"] == curve.attrs["architecture"]
    title = (f"Predicted MFU, {model} on {curve.attrs['gpu']}: tensor {tp} x pipeline {pp}, "
             f"batch {global_batch}, recompute {recompute}")
    save(plot_mfu(curve, anchors, title), out, force=force, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("prices")
@click.option("--gpu", required=True, metavar="GPUS", help="GPU ids or aliases, a comma list.")
@click.option("--tier", default="all", show_default=True, metavar="TIERS",
              help="Tier(s) to draw: on_demand, commit_1y, commit_3y, spot, marketplace; comma "
                   "list, or 'all' (every tier but spot).")
@as_of_option
@out_options
@profiles_option
def plot_prices_command(gpu, tier, as_of, out, force, profiles):
    """Rental price history per tier (a marker per observation) with the band at --as-of.

    One panel per GPU; a derived profile's band comes from its base profile.

    \b
    Example:
      estimator plot prices --gpu H100,A100 --as-of 2024-12-01 --out prices.png
    """
    check_out(out, force, profiles=profiles)
    on = to_date(as_of, "as_of") or clock.today()
    history = {name: price_observations(name, tier=tier, as_of=on,
                                        profiles=profiles_arg(profiles))
               for name in as_list(gpu)}
    save(plot_prices(history, on), out, force=force, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("coverage")
@click.option("--gpu", default=None, metavar="GPUS",
              help="GPU ids or aliases, a comma list (default: every profile).")
@click.option("--tier", default="all", show_default=True, metavar="TIERS",
              help="Tier(s): on_demand, commit_1y, commit_3y, spot, marketplace; comma list, or "
                   "'all' (every tier but spot).")
@as_of_option
@out_options
@profiles_option
def plot_coverage_command(gpu, tier, as_of, out, force, profiles):
    """A heatmap of rental price observations per GPU x tier x class and quarter, gaps marked
    (the picture of `estimator prices coverage`).

    \b
    Example:
      estimator plot coverage --gpu H100,H200,B200 --as-of 2026-11-30 --out coverage.png
    """
    check_out(out, force, profiles=profiles)
    frame = price_coverage(as_list(gpu) if gpu else None, tier=tier, as_of=as_of,
                           profiles=profiles_arg(profiles))
    save(plot_coverage(frame), out, force=force, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@plot_group.command("methods")
@click.argument("scenario", required=False)
@run_options("gpu", "count", "hours", "gpu_hours")
@click.option("--date", default=None, metavar="DATE",
              help="Training start (YYYY-MM-DD): the date every method prices at (default "
                   "today).")
@out_options
@profiles_option
def plot_methods_command(scenario, gpu, count, hours, gpu_hours, date, out, force, profiles):
    """Rental, cloud, amortised and acquisition cost side by side, with ranges.

    SCENARIO (an id or file) counts each stage at its price date; otherwise give --gpu with
    --count and --hours (or --gpu-hours) and --date.

    \b
    Examples:
      estimator plot methods deepseek-v3-final-run --out v3.png
      estimator plot methods --gpu H100 --count 16384 --hours 1300 --date 2024-03-01 --out m.png
    """
    if (scenario is None) == (gpu is None):
        raise click.UsageError("give a SCENARIO or --gpu with --count/--hours, not both")
    if scenario is not None and any(v is not None for v in (count, hours, gpu_hours, date)):
        raise click.UsageError("a SCENARIO brings its own GPUs, hours and dates; drop --count, "
                               "--hours, --gpu-hours and --date")
    inputs = ()
    if scenario is not None:
        loaded = load_scenario(scenario)
        inputs = [loaded.file]
        check_out(out, force, inputs, profiles)
        frame = scenario_methods(loaded, profiles_arg(profiles))
    else:
        check_out(out, force, profiles=profiles)
        frame = estimate(gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours,
                         method=ALL_METHODS, date=date, as_of=date,
                         profiles=profiles_arg(profiles))
    warn_rows(frame)
    save(plot_methods(frame), out, force=force, inputs=inputs, profiles=profiles_arg(profiles))
    note(f"Wrote {out}")


@click.command("report")
@click.argument("scenario")
@click.option("--out", default=None, type=OutPath(), help="Write Markdown here.")
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
