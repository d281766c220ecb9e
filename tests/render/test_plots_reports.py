"""Plots, Markdown reports and the library table (plots.py, report.py, library.py)."""

import struct

import pytest

import estimator
from estimator.scenarios import builtin_scenario_dir, check, load_scenario

ARTICLE_SCENARIOS = sorted(builtin_scenario_dir().glob("*.yaml"))


def png_size(path):
    """(width, height) from a PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_plot_check(run, tmp_path):
    from estimator.render.plots import plot_check

    frame = check(ARTICLE_SCENARIOS)
    fig = plot_check(frame)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(frame)
    assert "deepseek-r1-headline-512xh800-80h (cost)" in labels
    # one range bar and one claim marker per claim, plus the reference line
    assert len(ax.lines) == 2 * len(frame) + 1
    assert ax.get_xscale() == "log"
    out = tmp_path / "claims.png"
    code, _, err = run("plot", "check", *ARTICLE_SCENARIOS, "--out", out)
    assert code == 0 and out.exists()
    width, height = png_size(out)
    assert width > 800 and height > 400


def test_plot_cost_and_simulate(run, tmp_path):
    from estimator.render.plots import plot_cost, plot_simulate

    frame = estimator.sweep(gpu=["H800", "H100", "A100"], count=[256, 512, 1024, 2048],
                            hours=720)
    ax = plot_cost(frame).axes[0]
    assert len(ax.lines) == 3 and len(ax.collections) == 3
    assert ax.get_xlabel() == "GPUs"
    sim = estimator.simulate(gpu="H800", count=512, hours="70:90", n=5000, seed=1)
    ax = plot_simulate(sim.samples).axes[0]
    assert len(ax.patches) == 80                         # histogram bars
    assert [t.get_text()[:3] for t in ax.texts] == ["P5 ", "P50", "P95"]
    for args in (["cost", "--gpu", "H800,H100", "--count", "256..1024..256", "--hours", "720"],
                 ["simulate", "--gpu", "H800", "--count", "512", "--hours", "70:90",
                  "--samples", "2000", "--seed", "1"]):
        out = tmp_path / f"{args[0]}.png"
        assert run("plot", *args, "--out", out)[0] == 0
        assert png_size(out)[0] > 500
        code, _, err = run("plot", *args, "--out", out)
        assert code == 2 and "already exists" in err


@pytest.mark.parametrize("path", ARTICLE_SCENARIOS, ids=lambda p: p.stem)
def test_report_cites_sources_and_reads_well(run, path):
    from estimator.render.report import markdown_report

    scenario = load_scenario(path)
    text = markdown_report(scenario.run())
    assert text.startswith(f"# Fact-check: {scenario.title}")
    assert "**Verdict: " in text and "## Sources" in text and "## Stage by stage" in text
    for source in scenario.sources:
        assert source["outlet"] in text
        if source.get("url"):
            assert f"]({source['url']})" in text
    code, out, _ = run("report", scenario.id)
    assert code == 0 and out == text


def test_report_never_overwrites_its_input(run, tmp_path):
    import shutil

    copy = tmp_path / "deepseek-v3-final-run.yaml"
    shutil.copy(builtin_scenario_dir() / copy.name, copy)
    before = copy.read_text()
    code, _, err = run("report", copy, "--out", copy, "--force")
    assert code == 2 and "input" in err
    assert copy.read_text() == before


def test_library_table(run_json):
    rows = run_json("library")
    assert len(rows) >= 30
    for key in ("date", "scenario", "hardware", "gpu_hours", "disclosed_cost_usd", "cost_usd_low",
                "cost_usd_typical", "cost_usd_high", "implied_mfu", "energy_kwh", "verdicts"):
        assert key in rows[0]
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates)


def test_plot_library(run, tmp_path):
    from estimator.render.plots import plot_library
    from estimator.scenarios.library import library

    frame = library()
    ax = plot_library(frame).axes[0]
    assert ax.get_yscale() == "log"
    names = {t.get_text() for t in ax.texts}
    assert {"gpt3-175b-2020"} <= names
    assert any("deepseek" in n for n in names)
    out = tmp_path / "trend.png"
    assert run("plot", "library", "--out", out)[0] == 0 and png_size(out)[0] > 1000
