"""Every scenario file main accepted before issue 22 still loads and gives the same verdicts
(tests/compat/record.py says where the files come from and how to re-record)."""

import json

import pytest

from estimator.scenarios import load_scenario
from estimator.scenarios.model import FORMAT_VERSION
from tests.compat.record import FILES, VERDICTS, verdicts

RECORDED = json.loads(VERDICTS.read_text())


def test_the_corpus_is_complete():
    # 74 versions of built-in, library and fixture scenarios in main's history up to 888dc48,
    # plus the two README `estimator new` outputs
    on_disk = sorted(p.relative_to(FILES).as_posix() for p in FILES.glob("*/*.yaml"))
    assert on_disk == sorted(RECORDED) and len(on_disk) == 76
    assert all(entry["origin"] for entry in RECORDED.values())


@pytest.mark.parametrize("key", sorted(RECORDED))
def test_same_verdicts_as_recorded(key):
    assert verdicts(FILES / key) == RECORDED[key]["verdicts"]


@pytest.mark.parametrize("key", sorted(RECORDED))
def test_files_without_format_version_are_version_1(key):
    assert load_scenario(FILES / key).format_version == FORMAT_VERSION == 1


MINIMAL = """format_version: VERSION
id: versioned
title: t
sources:
  - {outlet: o, title: t, date: "2025-01-01"}
claim: {text: c, quantity: hours, value: "80 h"}
stages:
  - {name: s, gpu: H800, count: 512, hours: 80}
"""


def test_format_version_1_loads(tmp_path):
    path = tmp_path / "versioned.yaml"
    path.write_text(MINIMAL.replace("VERSION", "1"))
    assert load_scenario(path).format_version == 1


@pytest.mark.parametrize("version, words", [
    ("2", "format_version 2 is newer than this estimator reads (format 1, estimator 0.4.0). "
          "Upgrade: pip install -U training-cost-estimator"),
    ("0", "0 is out of range; must be >= 1"),
    ("one", "expected a number"),
    ("1.5", "1.5 is not a whole number"),
])
def test_a_format_version_this_estimator_cannot_read_is_a_located_error(tmp_path, run, version,
                                                                        words):
    path = tmp_path / "versioned.yaml"
    path.write_text(MINIMAL.replace("VERSION", version))
    code, _, err = run("check", path)
    assert code == 2 and err.startswith(f"Error: {path}:1: format_version: ")
    assert words in err
