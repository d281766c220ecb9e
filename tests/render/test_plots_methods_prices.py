"""`plot prices` and `plot methods` (render/plots.py, cli/pictures.py; issues 13 and 15)."""

import datetime as dt

import pytest

import estimator
from estimator.scenarios import load_scenario

AS_OF = dt.date(2024, 12, 1)


def test_plot_prices_draws_each_observation_and_the_bands():
    # hardware_profiles/nvidia-h800-sxm5-80gb.yaml: on or before 2024-12-01 there are two
    # on_demand observations (CR8DL 3.42 on 2024-08-24, DeepSeek 2.0 dated 2024-12); the band
    # is derived from the H100 SXM for on_demand, commit_1y and commit_3y; marketplace has none
    history = {"H800": estimator.price_observations("H800", tier="all", as_of=AS_OF)}
    fig = estimator.plot_prices(history, AS_OF)
    [ax] = fig.axes
    observed = [line for line in ax.lines if line.get_linestyle() == "None"
                and line.get_marker() == "o"]
    assert [line.get_label() for line in observed] == ["on_demand"]
    assert sorted(observed[0].get_ydata()) == [2.0, 3.42]
    bands = [line.get_label() for line in ax.lines if "band at" in line.get_label()]
    assert bands == [f"{t} band at 2024-12-01" for t in ("on_demand", "commit_1y", "commit_3y")]
    # one observation series + (bar + typical tick) per band = 1 + 2 * 3
    assert len(ax.lines) == 7
    assert ax.get_title() == "H800: rental price observations by tier"


def test_plot_prices_one_panel_per_gpu():
    history = {name: estimator.price_observations(name, tier="on_demand", as_of=AS_OF)
               for name in ("H800", "H100")}
    fig = estimator.plot_prices(history, AS_OF)
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == ["H800", "H100"]


def test_plot_methods_one_bar_per_method():
    frame = estimator.estimate(gpu="H100", count=1000, hours=100,
                               method="rental,cloud,amortised,acquisition", date="2024-06-01")
    fig = estimator.plot_methods(frame)
    [ax] = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "rental", "cloud", "amortised", "acquisition"]
    assert len(ax.lines) == 8       # a low-high bar and a typical marker per method
    # the cloud bar spans 0.5x-2x the typical commit_3y price x 100,000 GPU-hours
    bar = ax.lines[2].get_xdata()
    assert bar[1] / bar[0] == pytest.approx(4.0)
    assert ax.get_xscale() == "log"


def test_plot_methods_for_a_scenario_labels_its_stages():
    # scenarios/deepseek-v3-final-run.yaml: three stages (pre-training, context extension,
    # post-training), four methods each
    frame = estimator.scenario_methods(load_scenario("deepseek-v3-final-run"))
    labels = [t.get_text() for t in estimator.plot_methods(frame).axes[0].get_yticklabels()]
    assert len(labels) == 12
    assert labels[:2] == ["pre-training: rental", "pre-training: cloud"]
    assert labels[-1] == "post-training: acquisition"


def test_plot_commands_write_pngs(run, tmp_path):
    out = tmp_path / "prices.png"
    code, _, err = run("plot", "prices", "--gpu", "H100,A100", "--as-of", "2024-12-01",
                       "--out", out)
    assert code == 0 and out.read_bytes()[:4] == b"\x89PNG", err
    out = tmp_path / "methods.png"
    code, _, err = run("plot", "methods", "--gpu", "H100", "--count", "512", "--hours", "100",
                       "--date", "2024-06-01", "--out", out)
    assert code == 0 and out.exists(), err
    out = tmp_path / "v3.png"
    code, _, err = run("plot", "methods", "deepseek-v3-final-run", "--out", out)
    assert code == 0 and out.exists(), err


@pytest.mark.parametrize("args", [
    ["prices", "--gpu", "H9000"],
    ["prices", "--gpu", "H100", "--tier", "bogus"],
    ["prices", "--gpu", "H100", "--as-of", "2024-13-45"],
    ["methods"],
    ["methods", "deepseek-v3-final-run", "--gpu", "H100"],
    ["methods", "deepseek-v3-final-run", "--count", "8"],
    ["methods", "no-such-scenario"],
    ["methods", "--gpu", "H100", "--count", "-3", "--hours", "10"],
])
def test_plot_bad_input_exits_2(run, tmp_path, args):
    out = tmp_path / "x.png"
    code, _, err = run("plot", *args, "--out", out)
    assert code == 2, err
    assert "Traceback" not in err and not out.exists()
