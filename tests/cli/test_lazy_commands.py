"""The top-level command table (estimator/cli/__init__.py COMMANDS) and the fast start-up it
buys: `estimator --version` and `--help` import neither numpy nor pandas (issue 24)."""

import importlib
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from estimator.cli import COMMANDS, cli

MODULES = sorted({module for module, _, _ in COMMANDS.values()})


def registered() -> dict:
    """name -> command of every module's COMMANDS list (imports them all)."""
    out = {}
    for module in MODULES:
        for command in importlib.import_module(f"estimator.cli.{module}").COMMANDS:
            out[command.name] = command
    return out


def test_the_table_lists_every_command_of_every_module():
    commands = registered()
    assert set(commands) == set(COMMANDS)
    for name, command in commands.items():
        module, attribute, _ = COMMANDS[name]
        assert getattr(importlib.import_module(f"estimator.cli.{module}"), attribute) is command


@pytest.mark.parametrize("limit", [30, 45, 70, 200])
def test_the_help_list_shows_each_command_s_own_short_help(limit):
    for name, command in registered().items():
        stub = click.Command(name, help=COMMANDS[name][2])
        assert stub.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_help_lists_the_commands_like_an_eager_group_would():
    eager = click.Group("estimator", commands=registered())
    lazy_help = CliRunner().invoke(cli, ["--help"]).stdout
    eager_help = CliRunner().invoke(eager, ["--help"]).stdout
    assert lazy_help.split("Commands:")[1] == eager_help.split("Commands:")[1]
    assert "cost      Training cost of a run" in lazy_help


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_heavy_library(args):
    code = ("import sys; from estimator.cli import main; sys.argv = ['estimator', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('numpy', 'pandas', 'yaml', 'pint') if m in sys.modules)\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("HEAVY []"), out
