"""`estimator claim "TEXT"`: read a news sentence, show what was read, judge it."""

from __future__ import annotations

from pathlib import Path

import click

from estimator.claimtext import read_claim
from estimator.claimtext.build import DURATION_UNITS
from estimator.claimtext.languages import LANGUAGES
from estimator.cli.common import echo_frame, profiles_arg, profiles_option
from estimator.data.writers import write_text
from estimator.render.escaping import visible
from estimator.render.output import render

TABLE_COLUMNS = ["quantity", "claim_value", "claim_unit", "computed_value", "range_low",
                 "range_high", "verdict"]
KIND_LABELS = {"money": "amount", "price": "price per GPU-hour", "gpu": "GPU",
               "count": "GPU count", "duration": "duration", "gpu_hours": "GPU-hours",
               "flop": "FLOP", "relation": "relation", "date": "date"}


def _describe(item) -> str:
    if item.kind in ("gpu", "relation", "date"):
        return str(item.value)
    if item.kind == "duration":
        return f"{item.value:,.10g} {DURATION_UNITS[item.unit]}"
    return f"{item.value:,.10g} {item.unit}".strip()


@click.command("claim")
@click.argument("text")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="The claim's date (price band and exchange rate); default a date in TEXT.")
@click.option("--lang", default="auto", show_default=True, metavar="CODE",
              help="The text's language: auto, en, de, da, sv, no, ro.")
@click.option("--out", default=None, type=click.Path(),
              help="Also write the scenario file (sources to fill in) for review and CI.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--gpu", default=None, metavar="NAME", help="Override the GPU read.")
@click.option("--count", default=None, metavar="N", help="Override the GPU count read.")
@click.option("--hours", default=None, metavar="H", help="Override the duration read.")
@click.option("--gpu-hours", "gpu_hours", default=None, metavar="N",
              help="Override the GPU-hours read.")
@click.option("--cost", default=None, metavar="AMOUNT",
              help="Override the amount read, e.g. '294000 USD'.")
@click.option("--price", default=None, metavar="PRICE",
              help="The price per GPU-hour the source states, e.g. '2 USD/h'.")
@click.option("--like", default=None, metavar="ID",
              help="Take the run from this built-in claim when TEXT lacks GPU, count or hours.")
@profiles_option
def claim_command(text, date, lang, out, force, fmt, gpu, count, hours, gpu_hours, cost, price,
                  like, profiles):
    """Read a cost claim from a news sentence and check it.

    TEXT is the sentence as printed, in English, German, Danish, Swedish, Norwegian or
    Romanian ("294.000 US-Dollar", "60 miljoner kronor", "512 Nvidia H800 chips for 80
    hours"). What was read is printed beside the words it came from; the claim is then
    judged exactly as a scenario file would be. Flags override what was read.

    \b
    Examples:
      estimator claim 'R1 took 512 Nvidia H800 chips 80 hours and $294,000' \\
          --date 2025-09-19
      estimator claim "Deepseek hat nur 294.000 US-Dollar gekostet" --date 2025-09-19
      estimator claim "..." --date 2025-09-19 --out my-claims/r1.yaml
    """
    scenario_id = Path(out).stem if out else None
    reading = read_claim(text, date=date, lang=lang, profiles=profiles_arg(profiles), gpu=gpu,
                         count=count, hours=hours, gpu_hours=gpu_hours, cost=cost,
                         price=price, like=like, scenario_id=scenario_id)
    if out is not None:
        write_text(out, reading.scenario_text, force=force)
        click.echo(f"Wrote {out}. Fill in its source, then: estimator check {out}", err=True)
    if fmt == "json":
        click.echo(render(reading.frame(), "json"))
        return
    click.echo(f"Read ({LANGUAGES[reading.language].name}):")
    for item in reading.items:
        click.echo(visible(f"  {KIND_LABELS[item.kind]:<19} {_describe(item):<26} "
                           f"from \"{item.text.strip()}\""))
    if reading.library_match:
        click.echo(f"  (the text gives no complete run; the run and assumptions (stated price, "
                   f"provider class) of the built-in claim {reading.library_match} are used: "
                   f"`estimator run {reading.library_match}` shows them)")
    click.echo("")
    frame = reading.frame()
    echo_frame(frame, "table", TABLE_COLUMNS)
    for row in frame.itertuples():
        click.echo(visible(f"\n{row.explanation}", keep_newlines=True))


COMMANDS = [claim_command]
