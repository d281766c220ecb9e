"""The strict YAML loader (estimator/yamlio.py): YAML 1.1 traps are handled or rejected."""

import pytest

from estimator.data.yamlio import MAX_FILE_BYTES, load_file, loads
from estimator.errors import DataFileError


def test_scalars_follow_a_strict_core_schema():
    doc = loads("a: yes\nb: on\nc: 012\nd: 2025-01-31\ne: 2.788e6\nf: 1e3\ng: true\nh: 7\n"
                "i: 2.5\nj: null\n")
    assert doc == {"a": "yes", "b": "on", "c": "012", "d": "2025-01-31", "e": 2.788e6,
                   "f": 1000.0, "g": True, "h": 7, "i": 2.5, "j": None}


def test_line_numbers_are_kept():
    doc = loads("a: 1\nb:\n  c: 2\n  d: [1, 2]\n")
    assert doc.line_of("b") == 2
    assert doc["b"].line_of("d") == 4


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\na: 2\n", 2, "duplicate key (first at line 1)"),
    ("a: &x 1\nb: *x\n", 1, "aliases"),
    ("a: !!python/object:os.system x\n", 1, "not allowed"),
    ("a:\n\tb: 1\n", 2, "tab"),
    ("a: [1, 2\n", 2, "YAML syntax error"),
    ("<<: {a: 1}\n", 1, "merge keys"),
])
def test_rejections_name_the_line(text, line, words):
    with pytest.raises(DataFileError) as info:
        loads(text, file="x.yaml")
    assert info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"x.yaml:{line}: ")


def test_billion_laughs_rejected():
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\n'
    with pytest.raises(DataFileError, match="aliases"):
        loads(bomb)


def test_deep_nesting_rejected():
    with pytest.raises(DataFileError, match="nested deeper"):
        loads("a: " + "[" * 100 + "]" * 100)


def test_empty_and_multi_document():
    with pytest.raises(DataFileError, match="empty"):
        loads("")
    with pytest.raises(DataFileError, match="more than one"):
        loads("a: 1\n---\nb: 2\n")


def test_files(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: Malm\xf6\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="UTF-8"):
        load_file(bad)
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(DataFileError, match="larger than"):
        load_file(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(DataFileError):
        load_file(binary)
    with pytest.raises(DataFileError, match="no such file"):
        load_file(tmp_path / "missing.yaml")
