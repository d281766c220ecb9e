"""`estimator simulate` and `estimator sweep`."""

from __future__ import annotations

import json

import click

from estimator.calc.simulate import simulate
from estimator.calc.sweep import dask_sweep_to_file, sweep, sweep_to_file
from estimator.cli.common import (
    DISTRIBUTION_HELP,
    OPTIONS,
    OutPath,
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
)
from estimator.render.output import records
from estimator.scenarios import load_scenario
from estimator.scenarios.montecarlo import simulate_scenario


def engine_options(func):
    """--engine, --currency/--fx-date, --as-of, --format, --profiles and the pricing options
    (--tier, --provider-class, --dollars, --deflator), shared by simulate and sweep."""
    for decorate in (profiles_option, format_option(), as_of_option, currency_options,
                     pricing_options,
                   click.option("--engine", type=click.Choice(["local", "dask"]),
                                default="local", show_default=True,
                                help="local numpy, or a Dask graph (pip install '.[dask]').")):
        func = decorate(func)
    return func


@click.command("simulate")
@option("gpu", help="One GPU id or alias.")
@option("count", extra_help=DISTRIBUTION_HELP)
@option("hours", extra_help=DISTRIBUTION_HELP)
@option("gpu_hours", extra_help=DISTRIBUTION_HELP)
@option("price", help="Price per GPU-hour, a point or a distribution; default lognormal over "
                      "the profile's band.")
@option("pue", extra_help=DISTRIBUTION_HELP)
@option("power_fraction", extra_help=DISTRIBUTION_HELP)
@click.option("--scenario", default=None, metavar="ID_OR_PATH",
              help="Simulate a scenario instead: percentiles and P(claim holds) per claim.")
@click.option("--samples", default=100_000, show_default=True, type=click.IntRange(2, 10**7),
              help="Number of Monte Carlo draws.")
@click.option("--seed", default=None, type=click.IntRange(min=0),
              help="Random seed, a non-negative integer (same seed, same result).")
@click.option("--method", default="rental", show_default=True, metavar="METHOD",
              help="Cost to sample: rental, cloud, amortised or acquisition (each method's "
                   "price lognormal 0.5x-2x its typical value; README, Monte Carlo).")
@click.option("--date", default=None, metavar="DATE",
              help="Training start for --method's prices (default --as-of, else today).")
@engine_options
def simulate_command(gpu, count, hours, gpu_hours, price, pue, power_fraction, scenario, samples,
                     seed, method, date, engine, currency, fx_date, as_of, fmt, profiles,
                     **pricing):
    """Monte Carlo: P5 / P50 / P95 and mean of cost, GPU-hours and energy, and what drives them.

    Inputs take a point, low:high (uniform), triangular(low, mode, high) or
    lognormal(p5, p95) (the 90% interval, as Epoch AI fits its inputs).

    \b
    Examples:
      estimator simulate --gpu H800 --count 512 --hours 70:90 --samples 1000000 --seed 1
      estimator simulate --gpu H100 --gpu-hours 1.3M --price "lognormal(1.7, 6)"
      estimator simulate --scenario deepseek-r1-total-nature-2025 --seed 1
      estimator simulate --gpu H100 --count 16384 --hours 1300 --method cloud --date 2024-03-01
    """
    if scenario is not None:
        if any(v is not None for v in (gpu, count, hours, gpu_hours, price, currency, as_of,
                                       pricing["provider_class"], pricing["dollars"], date)) \
                or pricing["tier"] != OPTIONS["tier"][1]["default"] or method != "rental":
            raise click.UsageError("--scenario takes its inputs from the file; drop --gpu, "
                                   "--count, --hours, --price, --currency, --as-of, --tier, "
                                   "--provider-class, --dollars, --method and --date")
        frame = simulate_scenario(load_scenario(scenario), samples, seed, profiles_arg(profiles))
        echo_frame(frame, fmt, ["scenario", "quantity", "claim_value", "claim_unit", "p5", "p50",
                                "p95", "mean", "probability_claim_holds"])
        note("Draws use market prices and ranges, not the source's own stated price.")
        return
    if gpu is None:
        raise click.UsageError("give --gpu (or --scenario)")
    result = simulate(gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours, price=price,
                      pue=pue, power_fraction=power_fraction, n=samples, seed=seed,
                      as_of=as_of, currency=currency, fx_date=fx_date,
                      profiles=profiles_arg(profiles), engine=engine, method=method, date=date,
                      **pricing)
    if fmt == "json":
        click.echo(json.dumps({"summary": records(result.summary),
                               "drivers": records(result.drivers),
                               "samples": samples, "seed": seed}, indent=2))
        return
    echo_frame(result.summary, fmt)
    click.echo("\nWhat drives the spread (rank correlation with cost):")
    echo_frame(result.drivers, fmt)


@click.command("sweep")
@option("gpu", required=True)
@run_options("count", "hours", "gpu_hours", "price", "pue", "power_fraction")
@click.option("--out", default=None, type=OutPath(),
              help="Write to FILE.csv or FILE.parquet in chunks (default: print).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.option("--chunk-rows", "chunk_rows", default=2_000_000, show_default=True,
              type=click.IntRange(1000, 10**7), help="Rows per chunk when writing.")
@engine_options
def sweep_command(gpu, count, hours, gpu_hours, price, pue, power_fraction, out, force,
                  chunk_rows, engine, currency, fx_date, as_of, fmt, profiles, **pricing):
    """The cartesian product of GPUs, counts, hours and prices as a tidy table.

    \b
    Examples:
      estimator sweep --gpu H800,H100,A100 --count 256..4096..256 --hours 24..2400..24 \\
          --out s.parquet
      estimator sweep --gpu H100 --count 512,1024 --hours 80,96 --format csv
    """
    kwargs = dict(gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours, price=price, pue=pue,
                  power_fraction=power_fraction, as_of=as_of, profiles=profiles_arg(profiles),
                  **pricing)
    if currency and (out or engine == "dask"):
        raise click.UsageError("--currency works with printed local sweeps; convert the file's "
                               "USD columns with the rate from `estimator convert`")
    if out:
        if engine == "dask":
            rows = dask_sweep_to_file(out, force=force, chunk_rows=chunk_rows, **kwargs)
        else:
            rows = sweep_to_file(out, force=force, chunk_rows=chunk_rows, **kwargs)
        note(f"Wrote {rows:,} rows to {out}.")
        return
    frame = sweep(engine=engine, chunk_rows=chunk_rows, currency=currency, fx_date=fx_date,
                  **kwargs)
    echo_frame(frame.compute() if engine == "dask" else frame, fmt)


COMMANDS = [simulate_command, sweep_command]
