"""`estimator check`, `run`, `solve`, `new` / `scenario init`, `schema`."""

from __future__ import annotations

import json
import sys

import click

from estimator.calc.solve import solve
from estimator.cli.common import (
    EXIT_BAD_INPUT,
    EstimatorGroup,
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
from estimator.data.writers import write_text
from estimator.render.breakdown import breakdown_json, breakdown_text
from estimator.render.escaping import visible
from estimator.render.formats import TEXT_FORMATS
from estimator.scenarios import check_report, json_schema, run
from estimator.scenarios.lint import lint
from estimator.scenarios.schema import QUANTITIES
from estimator.scenarios.template import from_run_text, template

CHECK_TABLE = ["scenario", "quantity", "claim_value", "claim_unit", "computed_value",
               "range_low", "range_high", "verdict", "expected_verdict", "ok"]


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@format_option()
@click.option("--explain/--no-explain", default=True, show_default=True,
              help="Print each claim's explanation under the table (table format).")
@click.option("--failed", is_flag=True, help="Show only claims whose verdict differs from "
                                             "the file's expect.")
@click.option("--strict", is_flag=True, help="Also refuse placeholders left in a file "
                                             "('FILL IN', the template's samples): exit 2.")
@as_of_option
@profiles_option
def check_command(paths, fmt, explain, failed, strict, as_of, profiles):
    """Check scenario files: one row per claim; exit 1 if a verdict differs from `expect`.

    PATHS are files, folders (searched for *.yaml) or built-in scenario ids; none means every
    built-in scenario. --as-of prices all of them at that date's bands, so a CI run does not
    change as observations age. A file that does not load, or a claim that cannot be judged
    (verdict `error`), does not stop the others: every other claim is judged and printed, and
    every error is listed after the table. --strict also refuses placeholders ("FILL IN").
    Exit codes: 0 every verdict as expected, 1 some differ, 2 bad input (after the table).

    \b
    Examples:
      estimator check
      estimator check my-claims/ --format json
    """
    report = check_report(list(paths) or None, profiles=profiles_arg(profiles), as_of=as_of,
                          strict=strict)
    full = report.frame
    frame = full[~full["ok"]] if failed and not full.empty else full
    if frame.empty:
        pass
    elif fmt == "table":
        echo_frame(frame, fmt, CHECK_TABLE + (["mismatch"] if not frame["ok"].all() else []))
        if explain:
            for row in frame.itertuples():
                if row.verdict == "error":
                    continue                     # listed with the errors below
                mark = "ok" if row.ok else f"MISMATCH: {row.mismatch}"
                click.echo(visible(f"\n[{mark}] {row.scenario} ({row.scope}): "
                                   f"{row.explanation}", keep_newlines=True))
    else:
        echo_frame(frame.drop(columns=["file"]), fmt)
    judged = full[full["verdict"] != "error"] if not full.empty else full
    bad = judged[~judged["ok"]] if not judged.empty else judged
    scenarios = judged["scenario"].nunique() if not judged.empty else 0
    if not judged.empty or not report.errors:
        note(f"{len(judged)} claim(s) in {scenarios} scenario(s): "
             f"{len(judged) - len(bad)} as expected, {len(bad)} not.")
    for error in report.errors:
        note(f"Error: {error}")
    if report.errors and not judged.empty:
        note(f"{len(report.errors)} error(s) (listed above).")
    if report.errors:
        sys.exit(EXIT_BAD_INPUT)
    if len(bad):
        sys.exit(1)


@click.command("run")
@click.argument("scenario")
@format_option(TEXT_FORMATS)
@as_of_option
@profiles_option
def run_command(scenario, fmt, as_of, profiles):
    """Show one scenario in full: sources, assumptions, stages, range, verdict, implied values.

    SCENARIO is a built-in id or a path to a .yaml file.

    \b
    Example:
      estimator run deepseek-r1-headline-512xh800-80h
    """
    result = run(scenario, profiles_arg(profiles), as_of, collect_errors=True)
    click.echo(breakdown_json(result) if fmt == "json" else breakdown_text(result))
    for error in result.errors:                    # claims that could not be judged
        note(f"Error: {error}")
    if result.errors:
        sys.exit(EXIT_BAD_INPUT)


@click.command("solve")
@run_options("gpu", "count", "hours", "gpu_hours", gpu={"required": True})
@option("price", help="Price per GPU-hour (default: the profile's band, unless it is the "
                      "unknown).")
@click.option("--cost", default=None, metavar="USD", help="Total cost, e.g. 294000 or 100M.")
@pricing_options
@currency_options
@as_of_option
@format_option()
@profiles_option
def solve_command(gpu, count, hours, gpu_hours, price, cost, currency, fx_date, as_of, fmt,
                  profiles, **pricing):
    """Give all but one of count, hours (or GPU-hours), price and cost; get the missing one.

    \b
    Examples:
      estimator solve --gpu H800 --count 512 --cost 294000 --price 2     # hours: 287
      estimator solve --gpu H800 --count 512 --cost 294000 --hours 80    # price: $7.18/GPU-h
      estimator solve --gpu H100 --cost 100M --hours 2160                # count
    """
    frame = solve(gpu=gpu, count=count, hours=hours, gpu_hours=gpu_hours, price=price,
                  cost=cost, as_of=as_of, currency=currency, fx_date=fx_date,
                  profiles=profiles_arg(profiles), **pricing)
    echo_frame(frame, fmt)


@click.command("new")
@click.option("--id", "scenario_id", default="my-claim", show_default=True,
              help="Scenario id (also the file name).")
@click.option("--out", default=None, type=OutPath(),
              help="Write to this file (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.option("--from-run", "from_run", is_flag=True,
              help="Fill the file from the flags below instead of writing the template.")
@click.option("--gpu", default=None, metavar="NAME", help="--from-run: GPU id or alias.")
@click.option("--count", default=None, metavar="N", help="--from-run: number of GPUs.")
@click.option("--hours", default=None, metavar="H", help="--from-run: wall-clock hours.")
@click.option("--gpu-hours", "gpu_hours", default=None, metavar="N",
              help="--from-run: total GPU-hours.")
@click.option("--price", default=None, metavar="PRICE",
              help="--from-run: the source's price per GPU-hour, e.g. '2 USD/h'.")
@click.option("--claim", default=None, metavar="VALUE",
              help="--from-run: the claimed figure, e.g. '294000 USD'.")
@click.option("--quantity", default="cost", show_default=True,
              type=click.Choice(sorted(QUANTITIES)), help="--from-run: what --claim states.")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD",
              help="--from-run: when the claim was published (its price date; default today).")
def new_command(scenario_id, out, force, from_run, gpu, count, hours, gpu_hours, price, claim,
                quantity, date):
    """Write a commented scenario template for your own claim, or (--from-run) a filled,
    checked file from a sentence's figures.

    \b
    Examples:
      estimator new --id my-claim --out my-claims/my-claim.yaml
      estimator new --from-run --gpu H800 --count 512 --hours 80 --claim "294000 USD" \\
          --date 2025-09-17 --id r1-headline --out my-claims/r1-headline.yaml
      estimator check my-claims/
    """
    if from_run:
        text = from_run_text(scenario_id, out, gpu=gpu, claim=claim, quantity=quantity,
                             count=count, hours=hours, gpu_hours=gpu_hours, price=price,
                             date=date)
    else:
        text = template(scenario_id)
    if out is None:
        click.echo(text, nl=False)
        return
    write_text(out, text, force=force)
    note(f"Wrote {out}. Fill it in, then: estimator check {out}")


@click.group("scenario", cls=EstimatorGroup)
def scenario_group():
    """Scenario helpers (init is the same as `estimator new`)."""


scenario_group.add_command(new_command, name="init")


@click.command("schema")
@click.argument("kind", type=click.Choice(["scenario", "profile"]))
def schema_command(kind):
    """Print the JSON Schema of scenario or profile files, for editors.

    \b
    Example:
      estimator schema scenario > scenario.schema.json
    """
    click.echo(json.dumps(json_schema(kind), indent=2))


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@format_option()
def lint_command(paths, fmt):
    """Check data files: provenance of every number, dates, price plausibility, aliases.

    PATHS are profile, scenario or FX files or folders; none means the built-in data.
    Exit 0 when clean, 1 when there are findings.

    \b
    Example:
      estimator lint my-gpus/ my-claims/
    """
    frame = lint(list(paths) or None)
    if frame.empty:
        note("No problems found.")
        return
    echo_frame(frame, fmt)
    note(f"{len(frame)} problem(s) in {frame['file'].nunique()} file(s).")
    sys.exit(1)


COMMANDS = [lint_command, check_command, run_command, solve_command, new_command, scenario_group,
            schema_command]
