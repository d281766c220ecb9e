"""`estimator site PATHS --with-library`: the built-in claims published beside the user's."""

from __future__ import annotations

import re
import shutil

from click.testing import CliRunner

from estimator.cli import cli
from estimator.scenarios import builtin_scenario_dir, find_scenario_files

SEK = builtin_scenario_dir() / "deepseek-v3-60-million-sek.yaml"


def _rows(site):
    html = (site / "index.html").read_text("utf-8")
    return re.findall(r'<tr data-scenario="([^"]+)"', html)


def test_with_library_adds_every_builtin_claim_and_marks_them(tmp_path, check_frame):
    claims = tmp_path / "claims"
    claims.mkdir()
    mine = claims / "my-sek-claim.yaml"
    mine.write_text(SEK.read_text("utf-8").replace("id: deepseek-v3-60-million-sek",
                                                   "id: my-sek-claim"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", str(claims), "--with-library",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "out")
    assert rows.count("my-sek-claim") == 1
    assert len(rows) == len(check_frame) + 1                  # every built-in claim, plus mine
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert html.count("(estimator's library)") == len(check_frame)
    # Without the flag only the user's claims are published, and nothing is marked.
    alone = CliRunner().invoke(cli, ["site", str(claims), "--out", str(tmp_path / "alone")])
    assert alone.exit_code == 0 and _rows(tmp_path / "alone") == ["my-sek-claim"]
    assert "estimator's library" not in (tmp_path / "alone" / "index.html").read_text()


def test_a_user_file_reusing_a_builtin_id_is_a_located_error(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(SEK, claims / SEK.name)
    result = CliRunner().invoke(cli, ["site", str(claims), "--with-library",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "id: scenario id 'deepseek-v3-60-million-sek' also used by" in result.output
    assert not (tmp_path / "out").exists()


def test_builtin_folder_named_and_with_library_is_not_loaded_twice(tmp_path):
    result = CliRunner().invoke(cli, ["site", str(builtin_scenario_dir()), "--with-library",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(set(_rows(tmp_path / "out"))) == len(find_scenario_files())
