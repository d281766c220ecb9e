"""`estimator prices` import / template / GPU and --prices on a money command (issue 14)."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from estimator.cli import cli

FIX = Path(__file__).parents[1] / "fixtures" / "prices"


def shared_dir():
    """../shared/data found by walking up from the repo, or $ESTIMATOR_SHARED."""
    if os.environ.get("ESTIMATOR_SHARED"):
        return Path(os.environ["ESTIMATOR_SHARED"]) / "data"
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data" / "skypilot").is_dir():
            return parent / "shared" / "data"
    return None


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_import_then_list_and_cost(tmp_path):
    out = tmp_path / "mine"
    r = run("prices", "import", FIX / "runpod-vms.csv", "--format", "skypilot", "--as-of",
            "2025-09-01", "--out", out)
    assert r.exit_code == 0, r.output
    assert "look swapped" in r.output
    shown = run("prices", "H100 PCIe", "--prices", out, "--as-of", "2025-09-02", "--format",
                "csv")
    assert shown.exit_code == 0, shown.output
    assert "2025-09-01,RunPod,neocloud,on_demand,2.39," in shown.output   # 4.78 / 2 GPUs
    assert str(out / "runpod-vms.yaml") in shown.output
    cost = run("cost", "--gpu", "L40S", "--gpu-hours", "1000", "--prices", out, "--as-of",
               "2025-09-02", "--format", "csv")
    assert cost.exit_code == 0, cost.output


def test_skypilot_needs_a_date_and_unknown_names_exit_2(tmp_path):
    r = run("prices", "import", FIX / "aws-vms.csv", "--format", "skypilot", "--out",
            tmp_path / "a")
    assert r.exit_code == 2 and "carries no date" in r.output
    r = run("prices", "import", FIX / "aws-vms.csv", "--format", "skypilot", "--as-of",
            "2025-09-01", "--out", tmp_path / "a")
    assert r.exit_code == 2 and "aws-vms.csv:5: AcceleratorName" in r.output
    assert not (tmp_path / "a").exists()


def test_template_is_a_valid_quote_sheet(tmp_path):
    sheet = tmp_path / "q.csv"
    assert run("prices", "template", "--out", sheet).exit_code == 0
    r = run("prices", "import", sheet, "--format", "csv", "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    assert "q.csv: 2 observations" in r.output


@pytest.mark.skipif(shared_dir() is None, reason="../shared/data not present")
def test_shared_catalogs_import(tmp_path):
    data = shared_dir()
    out = tmp_path / "p"
    files = sorted((data / "skypilot").glob("*-vms.csv"))
    r = run("prices", "import", *files, "--format", "skypilot", "--as-of", "2025-09-01",
            "--skip-unknown", "--out", out)
    assert r.exit_code == 0, r.output
    text = (out / "lambda-vms.yaml").read_text()
    # Lambda gpu_8x_h100_sxm5 31.92 / 8 = 3.99 (SOURCE.md), the lowest H100 SXM row
    assert "price_min_per_gpu_hour: 3.99" in text
    gcp = (out / "gcp-vms.yaml").read_text()
    assert '"duplicate rows": 66' in gcp and "placeholder" in gcp     # SOURCE.md counts
    assert '"duplicate rows": 14' in (out / "runpod-vms.yaml").read_text()
    epoch = data / "epoch" / "Hardware prices.csv"
    r = run("prices", "import", epoch, "--format", "epoch", "--skip-unknown", "--out", out)
    assert r.exit_code == 0, r.output
    shown = run("prices", "H100", "--prices", out, "--as-of", "2025-09-02", "--tier",
                "on_demand,spot", "--format", "csv")
    assert "lambda-vms.yaml" in shown.output and ",spot," in shown.output


def _import_to(out, *extra):
    return run("prices", "import", FIX / "runpod-vms.csv", "--format", "skypilot",
               "--as-of", "2025-09-01", "--out", out, *extra)


def test_import_refuses_out_in_a_profiles_folder(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    r = _import_to(folder, "--profiles", folder)
    assert r.exit_code == 2, r.output
    assert "is in a folder of hardware profiles" in r.output
    assert list(folder.iterdir()) == []                    # nothing written


def test_import_refuses_out_in_an_estimator_prices_folder(tmp_path, monkeypatch):
    folder = tmp_path / "prices"
    folder.mkdir()
    monkeypatch.setenv("ESTIMATOR_PRICES", str(folder))
    r = _import_to(folder)
    assert r.exit_code == 2, r.output
    assert "refusing to write there" in r.output
    assert list(folder.iterdir()) == []


def test_import_refuses_out_in_the_built_in_data_folder():
    from importlib import resources

    data = Path(str(resources.files("estimator") / "data"))
    before = sorted(p.name for p in data.iterdir())
    try:
        r = _import_to(data)
        assert r.exit_code == 2, r.output
        assert "is in the built-in data folder" in r.output
    finally:
        for name in set(p.name for p in data.iterdir()) - set(before):   # never leave one
            path = data / name
            path.unlink() if path.is_file() else None
    assert sorted(p.name for p in data.iterdir()) == before


def test_import_into_a_new_folder_beside_the_input_is_fine(tmp_path):
    r = _import_to(tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "runpod-vms.yaml").is_file()
