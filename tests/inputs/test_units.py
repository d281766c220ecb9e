"""Parsing of numbers and quantities typed by people (estimator/units.py)."""

import pytest

from estimator.errors import EstimatorError, InputError, UnitError
from estimator.inputs import units


@pytest.mark.parametrize("text, kind, expected", [
    ("80 h", "hours", 80),
    ("80", "hours", 80),
    (80, "hours", 80),
    ("3.7 days", "hours", 88.8),
    ("2 weeks", "hours", 336),
    ("2 USD/hour", "price", 2),
    ("2 USD/h", "price", 2),
    ("$2/GPU-hour", "price", 2),
    ("2 USD per GPU-hour", "price", 2),
    ("2.788M", "gpu_hours", 2.788e6),
    ("2.788M GPU-hours", "gpu_hours", 2.788e6),
    ("14.8T", "tokens", 14.8e12),
    ("37B", "params", 37e9),
    ("2.664 million", "gpu_hours", 2.664e6),
    ("5.576M USD", "money", 5.576e6),
    ("700 W", "power", 700),
    ("1.2 kW", "power", 1200),
    ("1,287 MWh", "energy", 1.287e6),
    ("0.42 kg/kWh", "carbon_intensity", 0.42),
    ("4y", "years", 4),
    ("48 months", "years", 4),
    ("0.08 USD/kWh", "electricity_price", 0.08),
    ("3.14e23", "flop", 3.14e23),
    ("3640 PF-days", "flop", 3640 * 1e15 * 86400),
    ("2,048", "count", 2048),
    ("512 GPUs", "count", 512),
])
def test_parse_accepts(text, kind, expected):
    assert units.parse(text, kind).value == pytest.approx(expected, rel=1e-12)


def test_pint_default_registry_traps_do_not_apply():
    # pint's default registry (pint/default_en.txt, https://github.com/hgrecco/pint) defines
    # M = molar, T = tesla and B = byte; these must be SI count suffixes instead.
    assert units.parse("2.788M", "number").value == 2.788e6
    assert units.parse("14.8T", "number").value == 14.8e12
    assert units.parse("37B", "number").value == 37e9


def test_currency_is_kept():
    parsed = units.parse("14 CNY/h", "price")
    assert (parsed.value, parsed.currency) == (14, "CNY")
    assert units.parse("60 million SEK", "money").currency == "SEK"


@pytest.mark.parametrize("text, kind, message", [
    ("80h", "price", "'h' is a time, but USD per GPU-hour were expected"),
    ("80 days", "price", "'days' is a time, but USD per GPU-hour were expected"),
    ("80 USD", "hours", "'USD' is money, but hours were expected"),
    ("2 foo", "hours", "unknown unit 'foo'"),
])
def test_wrong_dimension_or_unit(text, kind, message):
    with pytest.raises(UnitError) as info:
        units.parse(text, kind, key="price")
    assert message in str(info.value)
    assert str(info.value).startswith("price: ")


@pytest.mark.parametrize("value", ["-1", -5, "nan", float("nan"), "1e400", float("inf"), "0",
                                   "abc", "1.2.3", "", True, None, [1]])
def test_rejects_bad_numbers(value):
    with pytest.raises(InputError):
        units.parse(value, "count")


def test_errors_are_value_errors_too():
    with pytest.raises(ValueError):
        units.parse("-3", "hours")
    assert issubclass(UnitError, EstimatorError)


def test_fraction_above_one_rejected():
    with pytest.raises(InputError, match="maximum"):
        units.parse("1.5", "fraction")


def test_range():
    low, high = units.parse_range("0.3:0.45", "fraction")
    assert (low.value, high.value) == (0.3, 0.45)
    with pytest.raises(InputError, match="low > high"):
        units.parse_range("3:2", "price")


@pytest.mark.parametrize("number, text", [
    (2_788_000, "2.788M"), (14.8e12, "14.8T"), (37e9, "37B"), (512, "512"),
    (1e6, "1M"), (1e3, "1K"), (1e9, "1B"), (1e12, "1T"),     # exactly at each suffix's edge
    (999_999.9, "1M"), (999_999, "1M"), (999.96, "1K"),      # rounds up into the next suffix
    (999_949, "999.9K"), (999.9, "999.9"), (-999_999.9, "-1M"),
])
def test_format_si(number, text):
    assert units.format_si(number) == text


@pytest.mark.parametrize("text, kind, expected", [
    ("420 g/kWh", "carbon_intensity", 0.42),
    ("552 t", "mass", 552),
    ("80 kWh", "energy", 80),
    ("5 Million USD", "money", 5e6),
])
def test_lowercase_units_are_not_count_suffixes(text, kind, expected):
    assert units.parse(text, kind).value == pytest.approx(expected)
