"""estimator.inputs.request: the one parser behind the CLI, the API and scenario files."""

import datetime as dt
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from estimator.data.fx import load_fx, parsed_usd
from estimator.errors import InputError
from estimator.inputs import units
from estimator.inputs.distributions import parse_distribution
from estimator.inputs.request import expand, parse_axis, parse_band, time_inputs, to_date

JAN_31 = dt.date(2025, 1, 31)
CNY_PER_USD_JAN_31 = 7.5363 / 1.0393   # ECB 2025-01-31, per EUR: 7.251322
"""ECB reference rate of 2025-01-31 as a cross rate per USD (estimator/data/fx_rates.yaml)."""


@pytest.mark.parametrize(
    "value", [512, 512.0, "512", [512], (512,), np.array([512]), pd.Series([512])]
)
def test_every_container_gives_the_same_axis(value):
    assert parse_axis(value, "count", "count").tolist() == [512.0]


def test_comma_list_and_units():
    assert parse_axis("80 h, 3 days", "hours", "hours").tolist() == [80.0, 72.0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("256..1024..256", [256, 512, 768, 1024]),
        ("1..3", [1, 2, 3]),  # step 1 when left out
        ("256..1024..256, 4096", [256, 512, 768, 1024, 4096]),
    ],
)
def test_ranges(text, expected):
    assert parse_axis(text, "count", "count").tolist() == expected


@pytest.mark.parametrize(
    "text, words",
    [
        ("1024..256", "ends before it starts"),
        ("1..1e9..1", "at most 1e7 per axis"),
        ("1..2..3..4", "cannot read range"),
        ("2,048", "ambiguous"),
    ],
)
def test_bad_lists(text, words):
    with pytest.raises(InputError, match=words) as info:
        parse_axis(text, "count", "count")
    assert info.value.key == "count"


def test_expand_passes_non_ranges_through():
    assert expand("512, 1024", "count") == "512, 1024"
    assert expand("2..4", "count").tolist() == [2, 3, 4]


def test_currency_converted_at_the_date():
    # 14 CNY/h / 7.251322 CNY per USD = 1.930682 USD per GPU-hour
    [usd] = parse_axis("14 CNY/h", "price", "price", on=JAN_31, to_usd=parsed_usd)
    assert usd == pytest.approx(14 / CNY_PER_USD_JAN_31)
    assert usd == pytest.approx(1.930682, rel=1e-6)


def test_currency_without_a_converter_is_refused():
    with pytest.raises(InputError, match="this input takes USD"):
        parse_axis("14 CNY/h", "price", "price")


def test_band_range_and_point():
    band = parse_band("1.5:3", "price", "price")
    assert (band.low, band.typical, band.high) == (1.5, 2.25, 3.0)  # midpoint typical
    assert band.rule == "given" and not band.has_stated
    point = parse_band("2 USD/h", "price", "price")
    assert (point.low, point.high, point.stated) == (2.0, 2.0, 2.0)
    with pytest.raises(InputError, match="low > high"):
        parse_band("3:1.5", "price", "price")


def test_band_converts_both_ends():
    band = parse_band("14 CNY/h:28 CNY/h", "price", "price", on=JAN_31, to_usd=parsed_usd)
    assert band.low == pytest.approx(1.930682, rel=1e-6)
    assert band.high == pytest.approx(3.861364, rel=1e-6)


def test_distribution_uses_the_same_scalar_parser():
    dist = parse_distribution(
        "lognormal(14, 28) CNY/h", "price", "price", on=JAN_31, to_usd=parsed_usd
    )
    assert dist.params == pytest.approx((1.930682, 3.861364), rel=1e-6)
    with pytest.raises(InputError, match="ambiguous"):
        parse_distribution("2,048", "count", "count")


def test_dates():
    assert to_date("2025-01-31", "as_of") == JAN_31
    assert to_date(None, "as_of") is None
    with pytest.raises(InputError, match="not a date"):
        to_date("31/01/2025", "as_of")


@pytest.mark.parametrize(
    "given, mode",
    [
        (dict(count=1, hours=1), "count*hours"),
        (dict(gpu_hours=1), "gpu_hours"),
        (dict(gpu_hours=1, count=1), "gpu_hours/count"),
        (dict(gpu_hours=1, hours=1), "gpu_hours/hours"),
    ],
)
def test_time_inputs(given, mode):
    time = time_inputs(**given)
    assert time.mode == mode and time.given == set(given)


@pytest.mark.parametrize(
    "given, got",
    [
        ({}, "none of them"),
        (dict(count=1), "got count"),
        (dict(count=1, hours=1, gpu_hours=1), "got count, gpu_hours, hours"),
    ],
)
def test_time_inputs_one_message(given, got):
    with pytest.raises(InputError, match="give count and hours, or gpu_hours") as info:
        time_inputs(**given)
    assert got in info.value.message


def test_time_inputs_narrowed():
    with pytest.raises(InputError, match="Here: count\\*hours, gpu_hours"):
        time_inputs(gpu_hours=1, count=1, modes=("count*hours", "gpu_hours"))


def test_currency_codes_match_the_fx_table():
    assert set(units.CURRENCY_CODES) == load_fx().currencies()


def test_reading_a_price_loads_no_data_file():
    code = (
        "import sys; from estimator.inputs import units; "
        "print(units.parse('2 SEK/h', 'price').currency, "
        "any(m.startswith('estimator.data') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["SEK", "False"]
