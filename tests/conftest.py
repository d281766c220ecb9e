import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from estimator.cli import cli

os.environ.setdefault("ESTIMATOR_CACHE_DIR", tempfile.mkdtemp(prefix="estimator-cache-"))

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
