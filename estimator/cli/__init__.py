"""The `estimator` command line: thin click commands over the API.

Each command parses options, calls one API function, and prints the result; data goes
to stdout, messages to stderr. Any EstimatorError becomes a one-line
``Error: ...`` message and exit code 2; a usage error also exits 2.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import MutableMapping

import click

from estimator import __version__
from estimator.render.escaping import visible

COMMANDS = {
    "check": ("claims", "check_command", "Check scenario files: one row per claim; exit 1 if a "
              "verdict differs from `expect`."),
    "claim": ("claim_text", "claim_command", "Read a cost claim from a news sentence and check "
              "it."),
    "compute": ("computing", "compute_command", "GPU-hours and cost from training compute "
                "(6 x params x tokens), or the implied MFU."),
    "convert": ("costs", "convert_command",
                "Convert an amount between currencies at a dated ECB reference rate."),
    "cost": ("costs", "cost_command",
             "Training cost of a run: rental (default), or by the field's methods (--method)."),
    "gpu": ("hardware", "gpu_group", "Look at one hardware profile."),
    "gpus": ("hardware", "gpus_command",
             "List the hardware profiles: key specs and price band (USD per GPU-hour)."),
    "library": ("pictures", "library_command", "One row per public training run: date, "
                "hardware, GPU-hours, costs, MFU, energy, verdicts."),
    "lint": ("claims", "lint_command", "Check data files: provenance of every number, dates, "
             "price plausibility, aliases."),
    "new": ("claims", "new_command", "Write a commented scenario template for your own claim, "
            "or (--from-run) a filled, checked file from a sentence's figures."),
    "own": ("costs", "own_command", "Fleet capital cost and cost per GPU-hour of owning; "
            "break-even against renting."),
    "plan": ("planning", "plan_command", "Cheapest and fastest GPU layouts that obey the "
             "layout rules, fit in memory and meet a deadline and a budget."),
    "plot": ("pictures", "plot_group", "Draw claims, cost bands, Monte Carlo histograms and the "
             "library trend as PNG."),
    "prices": ("prices", "prices", "Rental price observations: import your own, list a GPU's."),
    "report": ("pictures", "report_command", "A Markdown fact-check of one scenario: claim, "
               "verdict, sources, stages, prices used."),
    "run": ("claims", "run_command", "Show one scenario in full: sources, assumptions, stages, "
            "range, verdict, implied values."),
    "scenario": ("claims", "scenario_group",
                 "Scenario helpers (init is the same as `estimator new`)."),
    "schema": ("claims", "schema_command",
               "Print the JSON Schema of scenario or profile files, for editors."),
    "simulate": ("uncertainty", "simulate_command", "Monte Carlo: P5 / P50 / P95 and mean of "
                 "cost, GPU-hours and energy, and what drives them."),
    "site": ("site", "site_command", "Build a static fact-check site: an index of every claim, "
             "a page per scenario, the library, hardware pages and how we compute."),
    "solve": ("claims", "solve_command", "Give all but one of count, hours (or GPU-hours), "
              "price and cost; get the missing one."),
    "sweep": ("uncertainty", "sweep_command",
              "The cartesian product of GPUs, counts, hours and prices as a tidy table."),
}
"""Every top-level command: (module of estimator.cli, attribute, the start of its help text).
A command's module is imported only when that command runs (or its own --help is asked), so
`estimator --version` and `estimator --help` load neither numpy nor pandas (issue 24).
tests/cli/test_lazy_commands.py checks this table against the modules' COMMANDS lists and the
help texts: a command added to a module's COMMANDS must be added here too."""


class LazyCommands(MutableMapping):
    """The ``commands`` mapping of the top-level group: a command's module is imported the first
    time the command is looked up; commands added at run time are kept as given."""

    def __init__(self, table: dict):
        self._table = table
        self._loaded: dict = {}

    def __getitem__(self, name):
        if name not in self._loaded:
            if name not in self._table:
                raise KeyError(name)
            module, attribute, _ = self._table[name]
            self._loaded[name] = getattr(importlib.import_module(f"estimator.cli.{module}"),
                                         attribute)
        return self._loaded[name]

    def __setitem__(self, name, command):
        self._loaded[name] = command

    def __delitem__(self, name):
        raise TypeError("the estimator commands cannot be removed")

    def __iter__(self):
        return iter(sorted(set(self._table) | set(self._loaded)))

    def __len__(self):
        return len(set(self._table) | set(self._loaded))

    def short_help(self, name: str, limit: int) -> str:
        """A command's line in --help, from COMMANDS' text when it has one (no import)."""
        if name in self._table:
            return click.Command(name, help=self._table[name][2]).get_short_help_str(limit)
        return self[name].get_short_help_str(limit)


class LazyCommandGroup(click.Group):
    """The top-level group: commands from COMMANDS, imported on first use; an EstimatorError
    becomes a one-line message and exit code 2 (cli/common.py, reported_errors)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(COMMANDS)

    def format_commands(self, ctx, formatter):
        """The command list of --help from COMMANDS' help texts, without importing them."""
        names = list(self.commands)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self.commands.short_help(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        with importlib.import_module("estimator.cli.common").reported_errors():
            return super().invoke(ctx)


@click.group(cls=LazyCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="estimator")
def cli():
    """Estimate what training an AI model costs, and check published cost claims.

    \b
    Examples:
      estimator gpus
      estimator cost --gpu H800 --count 512 --hours 80 --price 2
      estimator cost --gpu H800,H100 --gpu-hours 2.788M --currency SEK
    """


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
