"""Issue 22: a claim is judged whenever its own inputs exist; check goes on past bad files;
one price-date precedence (assumptions.as_of > stage start/end > date); every error's advice,
followed, makes the file run."""

import json
import re
import shutil

import pytest

import estimator
from estimator.scenarios import check, check_report, load_scenario
from tests.conftest import FIXTURES

PRICELESS = FIXTURES / "scenarios" / "issue22"
MEGATRON = PRICELESS / "megatron-gpt3-1024xa100-2021.yaml"
A100_FIRST_BAND = "2022-04-15"     # hardware_profiles/nvidia-a100-sxm4-80gb.yaml, on_demand

COST_CLAIM = """  - text: "Test: the run's rental cost at the market band"
    quantity: cost
    value: "1.5M USD"
"""


def with_cost_claim(tmp_path, extra: str = ""):
    """The Megatron file plus a rental cost claim (needs a price the A100 lacks in 2021)."""
    text = MEGATRON.read_text().replace("stages:\n", COST_CLAIM + "stages:\n", 1) + extra
    path = tmp_path / MEGATRON.name
    path.write_text(text)
    return path


def test_claims_that_need_no_price_are_judged_before_the_first_price():
    frame = load_scenario(MEGATRON).run().frame()
    assert list(frame["verdict"]) == ["reproduced", "reproduced", "reproduced", "inconsistent"]
    # 1,024 x 34 d x 24 h = 835,584 GPU-hours; 6 x 175e9 x 300e9 = 3.15e23 FLOP, over
    # 835,584 x 3,600 s = 104.7 TFLOP/s per GPU (the paper's 140 counts recompute).
    assert frame["computed_value"].tolist()[:3] == pytest.approx([816, 1024, 3.15e23])
    assert frame["computed_value"].iloc[3] == pytest.approx(3.15e23 / 835_584 / 3600 / 1e12)


def test_a_cost_claim_without_a_price_is_a_located_error_naming_what_to_do(tmp_path, run):
    path = with_cost_claim(tmp_path)
    with pytest.raises(estimator.ScenarioError) as info:
        load_scenario(path).run()
    text = str(info.value)
    line = path.read_text().splitlines().index(
        "  - text: \"Test: the run's rental cost at the market band\"") + 1
    assert text.startswith(f'{path}:{line}: claims[4]: the claim "Test: the run')
    for part in ("NVIDIA A100 SXM4 80GB", "stage 'gpt3-175b'", "on 2021-04-09",
                 "(its publication date)", f"earliest price band is on {A100_FIRST_BAND}",
                 f"assumptions.as_of: {A100_FIRST_BAND}", f"--as-of {A100_FIRST_BAND}"):
        assert part in text
    result = load_scenario(path).run(collect_errors=True)
    assert [c.verdict for c in result.claims] == ["reproduced", "reproduced", "reproduced",
                                                  "inconsistent"]
    assert [str(e) for e in result.errors] == [text]
    code, out, err = run("run", path)
    assert code == 2 and "inconsistent" in out and f"Error: {text}" in err
    code, out, err = run("check", path)
    assert code == 2 and out.count("reproduced    reproduced") == 3
    assert f"Error: {text}" in err and "4 claim(s) in 1 scenario(s): 4 as expected" in err


@pytest.mark.parametrize("fix", ["assumptions", "option"])
def test_following_the_advice_makes_the_file_run(tmp_path, run, fix):
    path = with_cost_claim(tmp_path)
    try:
        load_scenario(path).run()
    except estimator.ScenarioError as exc:
        first = re.search(r"as_of: (\d{4}-\d\d-\d\d)", exc.hint).group(1)
    if fix == "assumptions":
        path = with_cost_claim(tmp_path, f"assumptions:\n  as_of: {first}\n")
        code, out, err = run("check", path, "--format", "json")
    else:
        code, out, err = run("check", path, "--as-of", first, "--format", "json")
    rows = json.loads(out)
    assert code in (0, 1), err          # judged: no error left (the cost verdict is unpinned)
    assert len(rows) == 5 and {r["price_date"] for r in rows} == {first}
    assert all(r["verdict"] != "error" for r in rows)


def test_a_gpu_without_any_price_is_named(tmp_path):
    # Used to say "a stage lacks an input it needs" without naming the GPU.
    path = with_cost_claim(tmp_path)
    path.write_text(path.read_text().replace("gpu: A100 80GB", "gpu: MI250X"))
    with pytest.raises(estimator.ScenarioError) as info:
        load_scenario(path).run()
    assert "AMD" in str(info.value) and "MI250X" in str(info.value)
    assert "has no rental price observations" in str(info.value)
    assert "assumptions.price" in info.value.hint
    # following the advice: the source's price makes the file run
    path.write_text(path.read_text() + "assumptions:\n  price: \"2 USD/h\"\n")
    result = load_scenario(path).run()
    assert result.claims[4].computed.stated == pytest.approx(835_584 * 2)


def test_check_goes_on_past_a_broken_file_and_exits_2_at_the_end(tmp_path, run):
    folder = tmp_path / "claims"
    folder.mkdir()
    shutil.copy(MEGATRON, folder)
    shutil.copy(load_scenario("gpt4-over-100-million").file, folder)
    broken = folder / "a-broken.yaml"
    broken.write_text("id: a-broken\ntitle: t\nsources: []\n")
    report = check_report([folder])
    assert len(report.errors) == 1 and str(report.errors[0]).startswith(str(broken))
    assert set(report.frame["scenario"]) == {"megatron-gpt3-1024xa100-2021",
                                             "gpt4-over-100-million"}
    with pytest.raises(estimator.DataFileError):
        check([folder])                     # the API's check raises the first error
    code, out, err = run("check", folder)
    assert code == 2
    assert "megatron-gpt3-1024xa100-2021" in out and "gpt4-over-100-million" in out
    assert err.strip().splitlines()[-2].startswith(f"Error: {broken}")
    assert "1 error(s)" in err.strip().splitlines()[-1]


# --- one price-date precedence (item 2) ---

DATED = """id: dated
title: t
date: "2025-01-20"
sources:
  - {outlet: o, title: t, date: "2025-01-20", language: en}
claim:
  text: c
  quantity: cost
  value: "1M USD"
  method: cloud
stages:
  - {name: s, gpu: H100, count: 1000, hours: 100, start: "2024-06-01"}
"""


def _price_date(text, tmp_path, *args):
    path = tmp_path / "dated.yaml"
    path.write_text(text)
    scenario = estimator.scenarios.at_date(load_scenario(path), *args)
    return scenario.price_date(scenario.stages[0]), scenario.price_date_key(scenario.stages[0])


def test_price_date_precedence(tmp_path):
    import datetime as dt
    assert _price_date(DATED, tmp_path) == (dt.date(2024, 6, 1), "start")
    no_start = DATED.replace(', start: "2024-06-01"', "")
    assert _price_date(no_start, tmp_path) == (dt.date(2025, 1, 20), "date")
    explicit = DATED + "assumptions:\n  as_of: 2024-09-01\n"
    assert _price_date(explicit, tmp_path) == (dt.date(2024, 9, 1), "assumptions.as_of")
    assert _price_date(explicit, tmp_path, "2025-03-01") == (dt.date(2025, 3, 1), "as_of")


def test_method_claims_price_at_the_stage_start(tmp_path):
    # methods.py read stage.date, which stages do not have: the cloud method priced at the
    # publication date. Now it follows Scenario.price_date like every other claim.
    path = tmp_path / "dated.yaml"
    path.write_text(DATED)
    [claim] = load_scenario(path).run().claims
    path.write_text(DATED.replace('"2024-06-01"', '"2025-01-20"'))
    [later] = load_scenario(path).run().claims
    assert "Jun 2024" in claim.explanation or "2024-06" in claim.explanation
    assert claim.computed.typical != later.computed.typical


def test_simulate_advice_assumptions_as_of_now_works(tmp_path, run):
    # simulate needs every price; its error says "assumptions.as_of in a scenario", which
    # was ignored whenever the file had a date. Followed, the file now runs.
    path = with_cost_claim(tmp_path)
    code, _, err = run("simulate", "--scenario", path, "--samples", "200", "--seed", "1")
    assert code == 2 and "assumptions.as_of in a scenario" in err
    path = with_cost_claim(tmp_path, f"assumptions:\n  as_of: {A100_FIRST_BAND}\n")
    code, out, err = run("simulate", "--scenario", path, "--samples", "200", "--seed", "1")
    assert code == 0, err


def test_json_schema_documents_the_new_keys():
    schema = estimator.scenarios.json_schema("scenario")
    assert "format_version" in schema["properties"]
    stage = schema["properties"]["stages"]["items"]["properties"]
    for key in ("route", "throughput_tflops_per_gpu", "tokens_per_second_per_gpu",
                "tokens_per_second", "layers", "hidden", "seq_len", "recompute"):
        assert key in stage, key
    as_of = schema["properties"]["assumptions"]["properties"]["as_of"]["description"]
    assert "wins over stage start/end" in as_of


def test_a_claim_the_stages_cannot_compute_names_the_stage_and_gpu(tmp_path):
    # a capex claim on a stage without a GPU count: the message names the stage and its GPU
    path = tmp_path / "dated.yaml"
    path.write_text(DATED.replace("  quantity: cost\n  value: \"1M USD\"\n  method: cloud\n",
                                  "  quantity: capex\n  value: \"1B USD\"\n")
                    .replace("{name: s, gpu: H100, count: 1000, hours: 100, start: \"2024-06-01\"}",
                             "{name: s, gpu: H100, gpu_hours: 100000}"))
    with pytest.raises(estimator.ScenarioError) as info:
        load_scenario(path).run()
    assert "a stage ('s' on NVIDIA H100 SXM5 80GB) lacks an input it needs" in str(info.value)
    # following the advice: the stage's count makes it run
    path.write_text(path.read_text().replace("gpu_hours: 100000", "gpu_hours: 100000, "
                                             "count: 1000"))
    [claim] = load_scenario(path).run().claims
    assert claim.verdict in ("reproduced", "consistent", "inconsistent")
