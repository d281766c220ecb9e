"""Issue 16: public runs written as scenario files (tests/fixtures/scenarios/holdout/) give
honest verdicts; new claim quantities, stated-vs-range assumptions, split PUE, mismatch reasons,
implied values that invert the forward formulas, `new --from-run`."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.data.yamlio import loads
from estimator.errors import DataFileError
from estimator.models import energy
from estimator.scenarios import check, load_scenario
from estimator.scenarios.model import parse_scenario

HOLDOUT = Path(__file__).parent.parent / "fixtures" / "scenarios" / "holdout"


def _rows(name):
    frame = check([str(HOLDOUT / f"{name}.yaml")], as_of="2025-06-01")
    return frame.to_dict(orient="records")


def test_every_holdout_claim_gets_its_expected_verdict():
    frame = check([str(HOLDOUT)], as_of="2025-06-01")
    assert len(frame) == 16
    assert frame["ok"].all(), frame[~frame["ok"]][["scenario", "mismatch"]]


def test_opt_throughput_implies_mfu_of_the_bf16_peak():
    throughput, count, mfu = _rows("opt-175b-2022")
    assert throughput["verdict"] == "consistent"
    # 147 TFLOP/s / 312 TFLOP/s (A100 BF16 dense peak) = 0.47115
    assert throughput["implied"]["mfu"] == pytest.approx(0.47115, rel=1e-4)
    # range: 312 x the default MFU range 0.15-0.65 = 46.8-202.8 TFLOP/s
    assert throughput["range_low"] == pytest.approx(46.8)
    assert throughput["range_high"] == pytest.approx(202.8)
    assert "BF16 peak" in throughput["explanation"]
    assert mfu["derived"] is True and "derived by the file's author" in mfu["explanation"]
    assert count["verdict"] == "reproduced"


def test_source_mfu_is_stated_and_the_range_is_kept():
    mfu, _ = _rows("palm-540b-2022")
    assert mfu["stated_value"] == pytest.approx(0.462)
    assert (mfu["range_low"], mfu["range_high"]) == (pytest.approx(0.15), pytest.approx(0.65))
    assert "MFU 0.462 as stated, range 0.15-0.65 kept" in mfu["explanation"]


def test_up_to_n_gpus():
    up_to, wrong = _rows("falcon-180b-2023")
    assert up_to["verdict"] == "reproduced"
    assert wrong["verdict"] == "inconsistent"


def test_split_pue_energy_before_and_co2_after():
    _, it, co2 = _rows("starcoder-2023")
    # 320,256 GPU-h x 280 W = 89,671.68 kWh (before PUE)
    assert it["stated_value"] == pytest.approx(89_671.68)
    # x PUE 1.2 x 0.15495 kg/kWh / 1000 = 16.674 t
    assert co2["stated_value"] == pytest.approx(16.674, rel=1e-4)
    assert "PUE 1.2 (pinned by the file)" in co2["explanation"]


def test_implied_power_uses_the_scenario_pue():
    _, facility, _, _ = _rows("llama-65b-2023")
    # 449,000 kWh x 1000 / (1,022,362 GPU-h x PUE 1.1) = 399.25 W (not 439 W ignoring PUE)
    assert facility["implied"]["power_w_per_gpu"] == pytest.approx(399.25, rel=1e-4)


@given(claim_mwh=st.floats(10, 10_000), pue=st.floats(1.0, 2.0),
       gpu_hours=st.floats(1e4, 1e7))
def test_forward_of_implied_power_is_the_claim(claim_mwh, pue, gpu_hours):
    watts = energy.implied_power_w(claim_mwh * 1000, gpu_hours, pue)
    assert energy.energy_kwh(gpu_hours, watts, pue) == pytest.approx(claim_mwh * 1000)


@given(value=st.floats(0.05, 3.0))
def test_forward_of_every_implied_value_is_the_claim(value):
    """Scale each holdout claim by ``value``; the implied value put back into the forward
    formula gives the scaled claim (power and intensity; mfu for throughput)."""
    from dataclasses import replace

    from estimator.models import flops as fl

    scenario = load_scenario(str(HOLDOUT / "llama-65b-2023.yaml"))
    claims = tuple(replace(c, value=c.value * value) for c in scenario.claims)
    result = replace(scenario, claims=claims).run()
    gh = 1_022_362
    for c in result.claims:
        if c.claim.quantity == "energy_facility":
            w = c.implied["power_w_per_gpu"]
            assert energy.energy_kwh(gh, w, 1.1) == pytest.approx(c.claim.value)
        if c.claim.quantity == "co2":
            ci = c.implied["carbon_intensity_kg_per_kwh"]
            kwh = result.totals["energy"].stated
            assert energy.co2e_tonnes(kwh, ci) == pytest.approx(c.claim.value)
    opt = load_scenario(str(HOLDOUT / "opt-175b-2022.yaml"))
    tp = replace(opt.claims[0], value=147 * value)
    mfu = replace(opt, claims=(tp,)).run().claims[0].implied["mfu"]
    assert fl.achieved_tflops_per_gpu(fl.achieved_flop(1.0, 312, mfu), 1.0) == \
        pytest.approx(147 * value)


BASE = """id: x
title: t
sources: [{outlet: o, title: t, date: "2024-01-01"}]
claim: {text: t, quantity: gpu_hours, value: 100, expect: {verdict: reproduced, implied: %s}}
stages: [{name: s, gpu: A100, gpu_hours: 100}]
"""


def test_misspelled_implied_key_names_the_valid_keys():
    with pytest.raises(DataFileError) as err:
        parse_scenario(loads(BASE % "{carbon_intensity: {max: 1}}", file="<t>"), "<t>")
    text = str(err.value)
    assert "carbon_intensity_kg_per_kwh" in text and "power_w_per_gpu" in text


def test_mismatch_says_which_expectation_failed(run, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(BASE % "{hours: {min: 5}}")
    code, out, _ = run("check", path, "--format", "json")
    assert code == 1
    row = json.loads(out)[0]
    assert row["verdict"] == "reproduced" and row["ok"] is False
    assert "implied hours was not computed" in row["mismatch"]


def test_pinned_range_collapses_the_band():
    text = BASE.replace("gpu_hours, value: 100", "flop, value: 1e20").replace(
        "gpu_hours: 100}", "gpu_hours: 100, mfu: {value: 0.4, range: pinned}}") % "{}"
    result = parse_scenario(loads(text, file="<t>"), "<t>").run()
    flop = result.claims[0].computed
    # 100 GPU-h x 3600 s x 312e12 FLOP/s x 0.4 = 4.4928e19 FLOP at every variant
    assert flop.low == pytest.approx(4.4928e19) and flop.high == pytest.approx(4.4928e19)


def test_new_from_run_writes_a_valid_checked_file(run, tmp_path):
    out = tmp_path / "r1.yaml"
    code, _, err = run("new", "--from-run", "--gpu", "H800", "--count", "512", "--hours", "80",
                       "--price", "2 USD/h", "--claim", "294000 USD", "--id", "r1", "--out", out)
    assert code == 0, err
    # priced at a fixed date (the file is dated today, whose market moves): at 2025-09-19
    # the H800 band tops out near $3.42/GPU-h (README), far below the implied $7.18
    row = check([str(out)], as_of="2025-09-19").iloc[0]
    assert row["computed_value"] == pytest.approx(81_920)     # 512 x 80 h x $2
    assert row["verdict"] == "inconsistent"


def test_new_from_run_bad_flag_names_it(run):
    code, _, err = run("new", "--from-run", "--gpu", "H800", "--count", "-5", "--hours", "80",
                       "--claim", "294000 USD")
    assert code == 2
    assert err.startswith("Error: --count:") and "Traceback" not in err


RATE_CLAIMS = """
id: rate-claims
title: "Throughput and price claims"
date: "2025-01-31"
sources: [{outlet: test, title: test, date: "2025-01-31"}]
claims:
  - {text: "2.5M tokens per second", quantity: tokens_per_second, value: 2.5e+6}
  - {text: "2 USD per GPU-hour", quantity: price_usd_per_gpu_hour, value: "2 USD/h"}
stages:
  - {name: run, gpu: H100, count: 1000, hours: 100, params: 7B, tokens: 1T}
assumptions: {as_of: "2026-11-29"}
"""


def test_rate_claims_imply_hours_and_cost():
    result = parse_scenario(loads(RATE_CLAIMS, file="<rate>"), "<rate>").run()
    tokens, price = result.claims
    # 1e12 tokens / (2.5e6 tokens/s x 3600 s/h) = 111.11 h (models.flops, inverse of
    # tokens_per_second); 1000 GPUs x 100 h = 1e5 GPU-hours at $2 = $200,000
    assert tokens.implied["hours"] == pytest.approx(1e12 / 2.5e6 / 3600, rel=1e-12)
    assert tokens.implied["hours"] == pytest.approx(111.111111, rel=1e-8)
    assert price.implied["cost_usd"] == pytest.approx(200_000.0, rel=1e-12)
