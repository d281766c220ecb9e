"""estimator/output.py and escaping.py: control and bidi characters shown as escapes."""

import json

import pandas as pd
import pytest

from estimator.render.escaping import json_visible, visible
from estimator.render.output import render


@pytest.mark.parametrize("raw, shown", [
    ("a\u202eb", "a\\u202eb"),            # RIGHT-TO-LEFT OVERRIDE (Trojan Source)
    ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
    ("\u2066x\u2067y\u2068z\u2069", "\\u2066x\\u2067y\\u2068z\\u2069"),   # isolates
    ("\u200e\u200f", "\\u200e\\u200f"),    # LRM, RLM
    ("\x1b[31mred", "\\x1b[31mred"),       # ESC: terminal escape sequence
    ("a\rb\tc\x00", "a\\rb\\tc\\x00"),
    ("\x7f\x85\x9f", "\\x7f\\x85\\x9f"),   # DEL and C1 controls
    ("line\nnext", "line\\nnext"),
    ("Affärsvärlden 5,5 miljoner – ok", "Affärsvärlden 5,5 miljoner – ok"),   # left alone
])
def test_visible(raw, shown):
    assert visible(raw) == shown
    assert visible(shown) == shown                       # escaping twice changes nothing


def test_visible_keeps_newlines_of_multi_line_text():
    assert visible("a\u202e\nb\r\n", keep_newlines=True) == "a\\u202e\nb\\r\n"


def test_json_visible_is_valid_json_of_the_exact_string():
    raw = {"title": "x\u202ey\x85\u2066z\nw"}
    text = json_visible(json.dumps(raw, ensure_ascii=False, indent=2))
    assert "\u202e" not in text and "\x85" not in text and "\u2066" not in text
    assert '"x\\u202ey\\u0085\\u2066z\\nw"' in text
    assert json.loads(text) == raw


def test_table_and_markdown_escape_cells_and_stay_aligned():
    frame = pd.DataFrame({"name": ["a\u202eb", "plain"], "n": [1, 22]})
    table = render(frame, "table").splitlines()
    # widths: 8 = len("a\\u202eb") as shown, 2 = len("22"); two spaces between columns
    assert table == ["name       n",
                     "--------  --",
                     "a\\u202eb   1",
                     "plain     22"]
    markdown = render(frame, "markdown")
    assert "| a\\u202eb | 1 |" in markdown and "\u202e" not in markdown


def test_json_and_csv_keep_the_exact_string():
    frame = pd.DataFrame({"name": ["a\u202eb"]})
    text = render(frame, "json")
    assert "\u202e" not in text and json.loads(text) == [{"name": "a\u202eb"}]
    assert render(frame, "csv") == "name\na\u202eb"       # csv has no escape syntax
