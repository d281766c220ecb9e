"""estimator/__init__.py: the flat public API does what the CLI does, under the same names
(issue 12, item 8)."""

import json
from pathlib import Path

import click
import pytest

import estimator
from estimator.cli import cli

API_NAME = {
    "cost": "estimate", "site": "build_site", "prices import": "import_prices",
    "prices show": "price_observations", "prices template": "price_template",
    "prices coverage": "price_coverage",
    "gpus": "profiles_frame",
    "gpu show": "profile_detail",
    "gpu path": "profile_path",
    "new": "scenario_template",
    "scenario init": "scenario_template",
    "schema": "json_schema",
    "report": "markdown_report",
}
"""CLI command -> API function where the names differ; otherwise the command's words joined
by "_" ("plot cost" -> plot_cost)."""


def cli_commands(group=cli, prefix="") -> list[str]:
    """Every leaf command of the CLI, as typed ("gpu show")."""
    out = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += cli_commands(command, f"{prefix}{name} ")
        else:
            out.append(prefix + name)
    return out


def test_the_cli_has_its_commands():
    # a sanity check, so that an empty command list cannot pass the test below
    assert {"cost", "check", "gpu path", "plot goodput", "scenario init"} <= set(cli_commands())


@pytest.mark.parametrize("command", cli_commands())
def test_every_command_has_an_api_function(command):
    name = API_NAME.get(command, command.replace(" ", "_"))
    assert name in estimator.__all__
    assert callable(getattr(estimator, name))


def test_the_name_table_has_no_stale_entries():
    assert set(API_NAME) <= set(cli_commands())


def test_profile_path_is_what_gpu_path_prints(run):
    path = estimator.profile_path("H800")
    # the built-in H800 profile (hardware_profiles/nvidia-h800-sxm5-80gb.yaml)
    assert path.name == "nvidia-h800-sxm5-80gb.yaml" and path.is_file()
    code, out, _ = run("gpu", "path", "H800")
    assert code == 0 and Path(out.strip()) == path


def test_profile_detail_takes_a_name():
    assert estimator.profile_detail("H800")["id"] == "nvidia-h800-sxm5-80gb"


def test_run_takes_an_id_like_the_cli():
    # scenarios/deepseek-r1-headline-512xh800-80h.yaml: 512 x 80 h at the stated $2 is
    # $81,920 against the claimed $294,000 (3.59x): inconsistent
    [claim] = estimator.run("deepseek-r1-headline-512xh800-80h").claims
    assert claim.computed.stated == 81_920
    assert claim.verdict == "inconsistent"


def test_scenario_template_is_what_new_writes(run):
    code, out, _ = run("new", "--id", "mine")
    assert code == 0 and estimator.scenario_template("mine") == out
    assert "id: mine" in out


def test_json_schema_is_what_schema_prints(run):
    code, out, _ = run("schema", "profile")
    assert code == 0 and estimator.json_schema("profile") == json.loads(out)
    assert estimator.json_schema()["$schema"].endswith("2020-12/schema")


CALC_FUNCTIONS = sorted(name for name, module in estimator._EXPORTS.items()
                        if (module.startswith("calc.")
                            or module in ("scenarios.library", "scenarios.lint"))
                        and name[0].islower())
"""The calculators, and library and lint (API functions over scenario files, issue 24)."""


def test_there_are_calc_functions():
    assert {"estimate", "sweep", "profile_path"} <= set(CALC_FUNCTIONS)


@pytest.mark.parametrize("name", CALC_FUNCTIONS)
def test_calc_functions_have_numpydoc(name):
    doc = getattr(estimator, name).__doc__ or ""
    assert "    Parameters\n    ----------\n" in doc and "    Returns\n    -------\n" in doc
