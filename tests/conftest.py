import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from estimator.cli import cli

os.environ.setdefault("ESTIMATOR_CACHE_DIR", tempfile.mkdtemp(prefix="estimator-cache-"))

# Hypothesis profiles. "ci" (the default) is deterministic: each test draws the same examples on
# every run and machine (derandomize: the seed is a hash of the test), no example database is
# read or written, and nothing depends on the clock (no deadline, no too_slow health check), so
# README's test command gives the same result every time; a failure prints its reproduction blob.
# "explore" draws fresh random examples, five times as many, and keeps a local database of
# failures: run it with `--explore` or HYPOTHESIS_PROFILE=explore, and pin every bug it finds as
# an @example before fixing it (tests/fuzz/test_fuzz.py).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", derandomize=False, print_blob=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
EXPLORE_FACTOR = 5
"""How many times more examples each test draws under the explore profile."""


def pytest_addoption(parser):
    parser.addoption("--explore", action="store_true",
                     help="hypothesis: random (not derandomized) examples, 5x as many")


def pytest_configure(config):
    global PROFILE
    if config.getoption("--explore"):
        PROFILE = "explore"
    settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """max_examples for a test: n under the default "ci" profile, more when exploring."""
    return n * EXPLORE_FACTOR if PROFILE == "explore" else n

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"


@pytest.fixture
def run():
    """Run the CLI in-process; returns (exit_code, stdout, stderr)."""
    def _run(*args, **kwargs):
        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)
        return result.exit_code, result.stdout, result.stderr
    return _run


@pytest.fixture
def run_json(run):
    def _run(*args):
        code, out, err = run(*args, "--format", "json")
        assert code == 0, err
        return json.loads(out)
    return _run
