"""Every bug the hypothesis fuzz group (tests/fuzz, marker `slow`) found, as a fast, explicit case.

The fuzz group keeps these inputs as ``@example``s too; here they run in the quick loop
(`-m "not slow"`) and state the exact expected outcome. Sources: commits 1dda77c and 7ed4583
(finds of the fuzz group and the malformed-input corpus) and issue 11 (the `solve` overflow).
Finds of the corpus itself are its cases (tests/corpus/*.yaml) and are not repeated here.
"""

import math

import pytest
from click.testing import CliRunner

from estimator.cli import cli
from estimator.data.yamlio import loads
from estimator.errors import DataFileError, InputError
from estimator.inputs import units


def _cli(args):
    result = CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    return result.exit_code, errors, result.stdout


@pytest.mark.parametrize("args, words", [
    (["cost", "--gpu", "H800", "--count", "E9", "--hours", "80"],
     "no digits before the exponent"),
    (["cost", "--gpu", "H800", "--gpu-hours", "1M", "--price", "5 $"], "unknown unit '$'"),
    (["cost", "--gpu", "H800", "--gpu-hours", "1M", "--price", "1e308"],
     "above the maximum 100000"),
    # count x hours = 1e309 overflowed to inf and was shown as null
    (["cost", "--gpu", "H800", "--count", "1e9", "--hours", "1e300"], "above the maximum 1e+07"),
    (["solve", "--gpu", "H800", "--count", "512", "--cost", "E9"],
     "no digits before the exponent"),
    (["solve", "--gpu", "H800", "--count", "512", "--hours", "80 h/0"], "unknown unit 'h/0'"),
])
def test_fuzz_found_command_lines_exit_2(args, words):
    code, errors, _ = _cli(args)
    assert code == 2
    assert len(errors) == 1 and words in errors[0], errors


def test_solve_tiny_price_and_hours_exit_2():
    """Issue 11: count = 1 USD / (7.85e-212 USD/h x 7.85e-212 h) = 1.6e422 overflowed to inf,
    printed as `inf` (table) / `null` (JSON) with exit 0. Input limits must refuse it with one
    error line (the fix to solve's limits is a separate change; until it lands this fails)."""
    code, errors, out = _cli(["solve", "--gpu", "H800", "--cost", "1.0", "--price", "7.85e-212",
                              "--hours", "7.85e-212"])
    assert code == 2, out
    assert len(errors) == 1, errors


@pytest.mark.parametrize("value, kind, words", [
    (10**400, "count", "(401 digits) is not a finite number"),
    ("E9", "hours", "no digits before the exponent"),
    ("+e5", "count", "no digits before the exponent"),
    ("1|", "price", "unknown unit '|'"),
    ("80 h/0", "hours", "unknown unit 'h/0'"),
    ("5 $", "price", "unknown unit '$'"),
    ("1 h**0", "hours", "unknown unit 'h**0'"),
])
def test_fuzz_found_unit_texts_raise_input_errors(value, kind, words):
    with pytest.raises(InputError) as info:
        units.parse(value, kind)
    assert words in str(info.value)


@pytest.mark.parametrize("text, words", [
    ("name: a\x07b\n", "special characters are not allowed"),
    ("value: !!int twelve\n", "f.yaml:1: !!int 'twelve' is not an integer"),
    ("value: !!bool maybe\n", "f.yaml:1: !!bool 'maybe' is not true or false"),
])
def test_fuzz_found_yaml_texts_raise_located_errors(text, words):
    with pytest.raises(DataFileError) as info:
        loads(text, file="f.yaml")
    assert words in str(info.value) and str(info.value).startswith("f.yaml")


def test_yaml_inf_is_read_as_infinity_for_the_schema_to_refuse():
    """`.inf` once crashed the float constructor; it is now read as inf, and every numeric field
    of the schema refuses it (the corpus has one such case per file kind)."""
    assert loads("value: .inf\n", file="f.yaml")["value"] == math.inf


def test_default_hypothesis_profile_is_deterministic():
    """tests/conftest.py loads the "ci" profile unless --explore / HYPOTHESIS_PROFILE=explore."""
    from hypothesis import settings

    from tests.conftest import PROFILE
    from tests.properties.test_estimate_properties import (
        test_cost_is_monotone_in_count_hours_and_price,
    )

    # a test's own @settings(max_examples=...) inherits the profile loaded before collection
    own = test_cost_is_monotone_in_count_hours_and_price._hypothesis_internal_use_settings
    for current in (settings(), own):
        if PROFILE == "ci":
            assert current.derandomize is True
            assert current.database is None
            assert current.deadline is None
        else:
            assert current.derandomize is False
