"""Issue 22, item 7: placeholders, `new --from-run --date`, `plan --budget` <= 0, GPU names
as newsrooms write them."""

import pytest

import estimator
from estimator.data.profiles import load_profiles
from estimator.scenarios import check_report, load_scenario
from estimator.scenarios.placeholders import TEMPLATE_SAMPLES, find_placeholders
from estimator.scenarios.template import TEMPLATE, scenario_template

R1 = dict(gpu="H800", count=512, hours=80, price="2 USD/h", claim="294000 USD")


@pytest.fixture
def from_run_file(tmp_path):
    folder = tmp_path / "claims"
    folder.mkdir()
    path = folder / "r1.yaml"
    path.write_text(scenario_template("r1", date="2025-09-17", **R1))
    return path


def test_new_from_run_date_prices_at_that_date(from_run_file, run):
    scenario = load_scenario(from_run_file)
    assert str(scenario.date) == "2025-09-17" and str(scenario.sources[0]["date"]) == "2025-09-17"
    assert str(scenario.price_date(scenario.stages[0])) == "2025-09-17"
    code, out, err = run("new", "--from-run", "--gpu", "H800", "--count", "512", "--hours", "80",
                         "--claim", "294000 USD", "--date", "2025-09-17")
    assert code == 0 and 'date: "2025-09-17"' in out
    code, out, err = run("new", "--from-run", "--gpu", "H800", "--count", "512", "--hours", "80",
                         "--claim", "294000 USD", "--date", "17/09/2025")
    assert code == 2 and "--date" in err


def test_placeholders_are_found_with_their_lines(from_run_file):
    from estimator.data.yamlio import load_file
    found = find_placeholders(load_file(from_run_file))
    assert [(line, key) for line, key, _ in found] == [(6, "sources[0].outlet"),
                                                      (7, "sources[0].title")]


def test_the_template_samples_are_placeholders():
    assert all(sample in TEMPLATE for sample in TEMPLATE_SAMPLES)
    from estimator.data.yamlio import loads
    found = find_placeholders(loads(TEMPLATE.format(id="my-claim"), file="t.yaml"))
    assert {key for _, key, _ in found} >= {"title", "sources[0].outlet", "sources[0].title",
                                           "sources[0].url", "claim.text", "notes"}


def test_lint_and_check_strict_refuse_placeholders(from_run_file, run):
    code, out, _ = run("lint", from_run_file)
    assert code == 1 and "placeholder 'FILL IN: publication or author'" in out
    code, out, err = run("check", from_run_file)           # still judged while being written
    assert code == 0 and "Error" not in err
    code, out, err = run("check", "--strict", from_run_file)
    assert code == 2 and "r1" in out
    assert f"Error: {from_run_file}:6: sources[0].outlet: placeholder" in err
    assert len(check_report([from_run_file], strict=True).errors) == 2
    # following the advice: fill the source in, and --strict passes
    from_run_file.write_text(from_run_file.read_text()
                             .replace("FILL IN: publication or author", "Nature")
                             .replace("FILL IN: headline or paper title", "DeepSeek-R1"))
    code, out, err = run("check", "--strict", from_run_file)
    assert code == 0, err


def test_site_refuses_placeholders_unless_draft(from_run_file, tmp_path, run):
    out = tmp_path / "site"
    code, _, err = run("site", from_run_file.parent, "--out", out)
    assert code == 2 and "placeholder" in err and "--draft" in err and not out.exists()
    code, _, err = run("site", from_run_file.parent, "--out", out, "--draft")
    assert code == 0, err
    for page in ("index.html", "r1/index.html", "methods/index.html"):
        html = (out / page).read_text()
        assert 'class="draft-banner" role="note"' in html and "<strong>Draft:</strong>" in html
    code, _, err = run("site", "deepseek-v3-final-run", "--out", tmp_path / "clean")
    assert code == 0 and "draft-banner" not in (tmp_path / "clean" / "index.html").read_text()


@pytest.mark.parametrize("budget", ["0", "0M", "0 USD"])
def test_plan_budget_at_or_below_zero_mentions_shell_quoting(run, budget):
    # "$30M" in double quotes reaches the tool as "0M": the shell expanded $3 to nothing.
    code, out, err = run("plan", "--params", "7B", "--tokens", "1T", "--gpu", "H100",
                         "--budget", budget)
    assert code == 2 and out == ""
    assert f"Error: budget: a budget of '{budget}' leaves nothing to spend" in err
    assert "'$30M'" in err and "$3" in err
    with pytest.raises(estimator.InputError, match="leaves nothing to spend"):
        estimator.plan(params="7B", tokens="1T", gpu="H100", budget=budget)


@pytest.mark.parametrize("name, profile", [
    ("Nvidia H100", "nvidia-h100-sxm5-80gb"), ("NVIDIA H100 80GB", "nvidia-h100-sxm5-80gb"),
    ("H100s", "nvidia-h100-sxm5-80gb"), ("2,048 H800s", None), ("H800 chips",
                                                                "nvidia-h800-sxm5-80gb"),
    ("NVIDIA A100 40GB", "nvidia-a100-sxm4-40gb"), ("A100 80 GB", "nvidia-a100-sxm4-80gb"),
    ("Google TPU v4", "google-tpu-v4"), ("AMD MI300X", "amd-mi300x"), ("L40S", "nvidia-l40s-48gb"),
])
def test_gpu_names_as_newsrooms_write_them(name, profile):
    table = load_profiles()
    if profile is None:                         # a count is not part of a name
        with pytest.raises(estimator.UnknownNameError):
            table.get(name)
        return
    assert table.get(name).id == profile


@pytest.mark.parametrize("name, suggestion", [("H1OO", "H100"), ("A1OO", "A100"),
                                              ("HlOO", "H100"), ("H8OO", "H800")])
def test_near_misses_get_suggestions(name, suggestion, run):
    with pytest.raises(estimator.UnknownNameError) as info:
        load_profiles().get(name)
    assert f"unknown GPU {name!r}; did you mean {suggestion}" in str(info.value)
    code, _, err = run("cost", "--gpu", name, "--count", "8", "--hours", "1")
    assert code == 2 and f"did you mean {suggestion}" in err


def test_a_memory_size_the_gpu_lacks_does_not_resolve():
    with pytest.raises(estimator.UnknownNameError):
        load_profiles().get("H100 96GB")        # the NVL has 94 GB; no silent guess
