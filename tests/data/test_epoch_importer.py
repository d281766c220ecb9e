"""read_epoch_prices on a small hand-written fixture in Epoch AI's Hardware prices.csv format
(a BOM, a quoted newline, a "$1,234.50" price, an empty date)."""

from pathlib import Path

import pandas as pd
import pytest

from estimator.data.importers.epoch import TIDY_COLUMNS, parse_money, read_epoch_prices
from estimator.errors import DataFileError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "epoch"


@pytest.fixture
def frame():
    return read_epoch_prices(FIXTURES / "hardware_prices_small.csv")


def test_tidy_columns_and_undated_row_dropped(frame):
    assert list(frame.columns) == list(TIDY_COLUMNS)
    assert len(frame) == 2
    assert frame.attrs["dropped_undated"] == 1


def test_bom_stripped_and_values_read(frame):
    first = frame.iloc[0]
    assert first["source"] == "https://example.org/a"
    assert first["date"] == pd.Timestamp("2022-01-20")
    assert (first["vendor"], first["on_demand"], first["commit_1y"], first["commit_3y"]) == (
        "Microsoft Azure",
        3.40,
        2.35,
        1.36,
    )
    assert pd.isna(first["purchase"])


def test_dollar_string_with_thousands_separator(frame):
    second = frame.iloc[1]
    assert second["purchase"] == 1234.50
    assert second["notes"] == "DGX A100, 8 GPU"
    assert second["vendor"] == ""


def test_row_is_the_file_line_where_the_record_starts(frame):
    # line 1 header, record a on lines 2-3 (quoted newline), record b on line 4
    assert list(frame["row"]) == [2, 4]


@pytest.mark.parametrize("text, usd", [("$1,234.50", 1234.5), ("18625", 18625.0), (" $5 ", 5.0)])
def test_parse_money(text, usd):
    assert parse_money(text) == usd


def test_parse_money_empty_is_nan_and_text_is_an_error():
    assert pd.isna(parse_money(""))
    with pytest.raises(ValueError):
        parse_money("call us")


def test_bad_date_names_file_line_and_column():
    with pytest.raises(DataFileError) as err:
        read_epoch_prices(FIXTURES / "bad_date.csv")
    assert "bad_date.csv:2: Price date: expected a date YYYY-MM-DD, got '2020-13-01'" in str(
        err.value
    )


def test_not_an_epoch_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataFileError, match="missing column 'Price date'"):
        read_epoch_prices(path)
