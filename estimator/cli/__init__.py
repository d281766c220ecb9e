"""The `estimator` command line: thin click commands over the API.

Each command parses options, calls one API function, and prints the result; data goes
to stdout, messages to stderr. Any EstimatorError becomes a one-line
``Error: ...`` message and exit code 2; a usage error also exits 2.
"""

from __future__ import annotations

import os
import sys

import click

from estimator import __version__
from estimator.cli import (
    claim_text,
    claims,
    costs,
    hardware,
    pictures,
    planning,
    prices,
    site,
    uncertainty,
)
from estimator.cli.common import EstimatorGroup
from estimator.render.escaping import visible


@click.group(cls=EstimatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="estimator")
def cli():
    """Estimate what training an AI model costs, and check published cost claims.

    \b
    Examples:
      estimator gpus
      estimator cost --gpu H800 --count 512 --hours 80 --price 2
      estimator cost --gpu H800,H100 --gpu-hours 2.788M --currency SEK
    """


def _register() -> None:
    for module in (hardware, costs, uncertainty, pictures, planning, claims, claim_text, site,
                   prices):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point; an unexpected exception is reported as a bug, briefly."""
    try:
        cli(prog_name="estimator", standalone_mode=True)
    except Exception as exc:  # a bug, not bad input: EstimatorError never gets here
        if os.environ.get("ESTIMATOR_DEBUG"):
            raise
        click.echo(f"Error: internal error ({type(exc).__name__}: {visible(exc)}). This is a bug "
                   "in estimator; please report it with the command you ran. Set "
                   "ESTIMATOR_DEBUG=1 to see the traceback.", err=True)
        sys.exit(3)
