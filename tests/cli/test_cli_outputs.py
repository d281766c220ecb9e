"""Issue 11 in the command line and the API: --out never destroys an input, exclusive
creation, one folder rule, exit code 2 for bad values, one path where a list is expected, and
control/bidi characters escaped in every text output."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import estimator
from estimator.data.profiles import builtin_dir
from estimator.errors import InputError
from estimator.scenarios import builtin_scenario_dir

H800 = builtin_dir() / "nvidia-h800-sxm5-80gb.yaml"
R1 = builtin_scenario_dir() / "deepseek-r1-headline-512xh800-80h.yaml"
RLO = "\u202e"          # RIGHT-TO-LEFT OVERRIDE


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def scenario_copy(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    path = folder / R1.name
    path.write_bytes(R1.read_bytes())
    return path


@pytest.fixture
def profile_dir(tmp_path):
    folder = tmp_path / "my-gpus"
    folder.mkdir()
    (folder / H800.name).write_bytes(H800.read_bytes())
    return folder


def test_plot_check_refuses_its_own_scenario_with_force(run, scenario_copy):
    before = digest(scenario_copy)
    code, _, err = run("plot", "check", scenario_copy, "--out", scenario_copy, "--force")
    assert code == 2 and "is an input of this command" in one_error_line(err)
    assert digest(scenario_copy) == before


def test_plot_and_report_refuse_a_profile_with_force(run, profile_dir):
    profile = profile_dir / H800.name
    before = digest(profile)
    for args in (["plot", "cost", "--gpu", "H800", "--count", "512", "--hours", "80"],
                 ["report", "deepseek-v3-final-run"]):
        code, _, err = run(*args, "--profiles", profile_dir, "--out", profile, "--force")
        assert code == 2 and "is a hardware profile" in one_error_line(err)
        code, _, err = run(*args, "--out", profile, "--force",
                           env={"ESTIMATOR_PROFILES": str(profile_dir)})
        assert code == 2 and "is a hardware profile" in one_error_line(err)
        code, _, err = run(*args, "--out", H800, "--force")           # a built-in one
        assert code == 2 and "is a hardware profile" in one_error_line(err)
    assert digest(profile) == before
    code, _, err = run("new", "--out", profile_dir / "claim.yaml",
                       env={"ESTIMATOR_PROFILES": str(profile_dir)})
    assert code == 2 and "folder of hardware profiles" in err
    assert sorted(p.name for p in profile_dir.iterdir()) == [H800.name]


def test_report_refuses_its_scenario_and_sweep_a_profile(run, scenario_copy, profile_dir):
    code, _, err = run("report", scenario_copy, "--out", scenario_copy, "--force")
    assert code == 2 and "is an input of this command" in err
    code, _, err = run("sweep", "--gpu", "H800", "--count", "512", "--hours", "80",
                       "--profiles", profile_dir, "--out", profile_dir / H800.name, "--force")
    assert code == 2 and "cannot write .yaml" in err       # the suffix check comes first
    code, _, err = run("new", "--out", builtin_scenario_dir() / "deepseek-v3-final-run.yaml",
                       "--force")
    assert code == 2 and "is a built-in scenario" in err


def test_two_sweeps_to_the_same_file_exactly_one_succeeds(tmp_path):
    out = tmp_path / "same.csv"
    command = [sys.executable, "-m", "estimator", "sweep", "--gpu", "H800,H100",
               "--count", "1..2048", "--hours", "1..200", "--out", str(out)]
    procs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(p.wait(300), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2], results
    [loser] = [err for code, err in results if code == 2]
    assert "already exists" in loser
    assert sum(1 for _ in out.open()) == 1 + 2 * 2048 * 200     # header + every row, once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.csv"]


@pytest.mark.parametrize("args", [
    ["new"],
    ["report", "deepseek-v3-final-run"],
    ["sweep", "--gpu", "H800", "--count", "512", "--hours", "80"],
    ["plot", "cost", "--gpu", "H800", "--count", "512,1024", "--hours", "80"],
], ids=lambda a: a[0])
def test_every_command_creates_missing_output_folders(run, tmp_path, args):
    suffix = {"new": ".yaml", "report": ".md", "sweep": ".csv", "plot": ".png"}[args[0]]
    out = tmp_path / "a" / "b" / f"x{suffix}"
    code, _, err = run(*args, "--out", out)
    assert code == 0, err
    assert out.stat().st_size > 0
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


def test_output_under_a_file_is_refused(run, tmp_path):
    (tmp_path / "f").write_text("")
    code, _, err = run("new", "--out", tmp_path / "f" / "x.yaml")
    assert code == 2 and "is a file, not a folder" in one_error_line(err)


# Item 4: every bad value is exit 2, one path is one path.

@pytest.mark.parametrize("args", [
    ["simulate", "--gpu", "H800", "--count", "512", "--hours", "80", "--seed", "-1"],
    ["simulate", "--scenario", "deepseek-v3-final-run", "--samples", "100", "--seed", "-5"],
    ["plot", "simulate", "--gpu", "H800", "--count", "512", "--hours", "80", "--seed", "-1",
     "--out", "never.png"],
    ["simulate", "--gpu", "H800", "--count", "512", "--hours", "80", "--seed", "1.5"],
    ["check", ""],
    ["run", ""],
    ["report", ""],
    ["gpus", "--profiles", ""],
], ids=["seed", "scenario-seed", "plot-seed", "float-seed", "check-empty", "run-empty",
        "report-empty", "profiles-empty"])
def test_bad_values_exit_2(run, args):
    code, _, err = run(*args)
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err


def test_seed_in_the_api():
    from estimator.scenarios.montecarlo import simulate_scenario

    for seed in (-1, 1.5, True, "3"):
        with pytest.raises(InputError, match="seed must be a non-negative integer"):
            estimator.simulate(gpu="H800", count=512, hours=80, n=100, seed=seed)
    with pytest.raises(InputError, match="seed"):
        simulate_scenario(estimator.load_scenario("deepseek-v3-final-run"), 100, -2)
    big = estimator.simulate(gpu="H800", count=512, hours=80, n=100, seed=2**70)
    assert len(big.samples) == 100


def test_check_takes_one_id_or_path_as_well_as_a_list():
    one = estimator.check("deepseek-v3-final-run")
    assert set(one["scenario"]) == {"deepseek-v3-final-run"}
    assert len(one) == 5                        # the five claims in the file
    assert estimator.check(R1)["scenario"].tolist() == [R1.stem]
    assert estimator.check([R1, "deepseek-v3-final-run"])["scenario"].nunique() == 2
    from estimator.scenarios import find_scenario_files

    assert find_scenario_files(str(R1)) == [R1]
    with pytest.raises(InputError, match="empty path"):
        estimator.check("")
    with pytest.raises(InputError, match="expected a path or id, got int"):
        estimator.check([1])
    with pytest.raises(InputError, match="expected one path or id"):
        estimator.load_scenario([R1])


def test_library_and_lint_take_one_path():
    dbrx = builtin_scenario_dir() / "public" / "dbrx-2024.yaml"
    assert estimator.library(str(dbrx))["scenario"].tolist() == ["dbrx-2024"]
    assert estimator.lint(dbrx).empty
    assert estimator.lint(str(dbrx)).empty


# Item 7: control and bidi characters escaped in every text output.

@pytest.fixture
def bidi_scenario(tmp_path):
    text = R1.read_text(encoding="utf-8")
    text = text.replace('title: "Headline: R1', f'title: "Headline{RLO}000,492$ :R1', 1)
    text = text.replace('quote: "modelul R1', f'quote: "{RLO}modelul\u2066 \\x1b[31mR1', 1)
    text = text.replace('text: "512 Nvidia', f'text: "{RLO}512 Nvidia', 1)
    path = tmp_path / R1.name
    path.write_text(text, encoding="utf-8")
    return path


def assert_escaped(text: str) -> None:
    assert not any(c in text for c in (RLO, "\u2066", "\x1b")), text
    assert "\\u202e" in text


def test_run_text_and_json_with_bidi_title_and_quote(run, bidi_scenario):
    code, out, _ = run("run", bidi_scenario)
    assert code == 0
    assert_escaped(out)
    assert out.splitlines()[0].startswith("Headline\\u202e000,492$ :R1 was trained")
    assert '"\\u202emodelul\\u2066 \\x1b[31mR1 a fost' in out
    code, out, _ = run("run", bidi_scenario, "--format", "json")
    assert code == 0
    assert not any(c in out for c in (RLO, "\u2066"))          # raw text is safe to print
    data = json.loads(out)                                       # and parses to the original
    assert data["title"].startswith(f"Headline{RLO}000,492$")
    assert data["sources"][0]["quote"].startswith(f"{RLO}modelul\u2066 \x1b[31mR1")


def test_check_report_and_library_escape_bidi(run, bidi_scenario, tmp_path):
    code, out, _ = run("check", bidi_scenario)      # the table does not show the claim text
    assert code == 0 and RLO not in out
    code, out, _ = run("check", bidi_scenario, "--format", "markdown")
    assert "| \\u202e512 Nvidia H800 chips" in out
    code, out, _ = run("check", bidi_scenario, "--format", "json")
    assert RLO not in out and json.loads(out)[0]["claim"].startswith(f"{RLO}512 Nvidia")
    code, out, _ = run("check", bidi_scenario, "--format", "csv")
    assert f'"{RLO}512 Nvidia' in out                       # csv keeps the exact string
    code, out, _ = run("report", bidi_scenario)
    assert_escaped(out)
    assert out.startswith("# Fact-check: Headline\\u202e000,492$ :R1")
    assert "  > \\u202emodelul\\u2066 \\x1b[31mR1" in out
    code, _, _ = run("report", bidi_scenario, "--out", tmp_path / "r.md")
    assert code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == out
    code, out, _ = run("library", bidi_scenario, "--format", "markdown")
    assert code == 0 and RLO not in out


def test_error_messages_escape_bidi(run):
    code, _, err = run("cost", "--gpu", f"H{RLO}800", "--count", "512", "--hours", "80")
    assert code == 2
    line = one_error_line(err)
    assert RLO not in line and "unknown GPU 'H\\u202e800'" in line
    code, _, err = run("cost", "--gpu", "H800", "--count", "512", "--hours", "80",
                       "--format", f"x{RLO}")                        # a click usage error
    assert code == 2 and RLO not in err


def test_api_report_and_breakdown_escape_bidi(bidi_scenario):
    from estimator.render.breakdown import breakdown_text
    from estimator.render.report import markdown_report

    result = estimator.load_scenario(bidi_scenario).run()
    assert_escaped(markdown_report(result))
    assert_escaped(breakdown_text(result))
    assert result.scenario.title.startswith(f"Headline{RLO}")   # the data itself is unchanged
