"""Issue 22, item 4: stage inputs for what sources report (throughput, tokens per second, MFU
as a percentage, the transformer shape and recomputation, the experiments scope)."""

import math

import pytest

import estimator
from estimator.models import development as dev
from estimator.scenarios import load_scenario
from tests.conftest import FIXTURES

ISSUE22 = FIXTURES / "scenarios" / "issue22"


def test_megatron_equation_3_with_attention_and_full_recompute():
    # Narayanan et al. 2021: GPT-3 175B, 300B tokens, 1,024 A100 at 140 TFLOP/s, ~34 days.
    # FLOP per token = 8 N + 16 L h s (full recompute; models/transformer_flops.py)
    scenario = load_scenario(ISSUE22 / "megatron-gpt3-recompute-2021.yaml")
    [stage] = scenario.stages
    per_token = 8 * 175e9 + 16 * 96 * 12288 * 2048
    assert stage.flop == pytest.approx(per_token * 300e9)
    assert stage.flop_formula == "8 N D + 16 L h s D (full recompute)"
    hours, mfu = scenario.run().claims
    # 140 TFLOP/s stated: GPU-hours = FLOP / 140e12 / 3600; wall clock / 1,024 GPUs
    assert hours.computed.stated == pytest.approx(per_token * 300e9 / 140e12 / 3600 / 1024)
    assert hours.verdict == "reproduced"                    # 836 h against "34 days"
    assert mfu.claim.value == 0.45 and mfu.computed.stated == pytest.approx(140 / 312)


def test_tokens_per_second_per_gpu_gives_the_gpu_hours():
    # TinyLlama: 3T tokens / (24,000 tokens/s per GPU) = 34,722 GPU-hours; / 16 = 2,170 h
    result = load_scenario(ISSUE22 / "tinyllama-tokens-per-second.yaml").run()
    assert result.scenario.stages[0].gpu_hours == pytest.approx(3e12 / 24_000 / 3600)
    [hours] = result.claims
    assert hours.computed.stated == pytest.approx(3e12 / 24_000 / 3600 / 16)
    assert hours.verdict == "reproduced"


BASE = """id: inputs
title: t
sources:
  - {outlet: o, title: t, date: "2024-06-01"}
claims:
CLAIMS
stages:
  - name: s
    gpu: H100
STAGE
"""


def _scenario(tmp_path, claims, stage):
    path = tmp_path / "inputs.yaml"
    path.write_text(BASE.replace("CLAIMS", claims).replace("STAGE", stage))
    return path


def test_cluster_tokens_per_second_gives_the_wall_clock(tmp_path):
    path = _scenario(tmp_path, '  - {text: c, quantity: tokens_per_second, '
                               'value: "1.44M tokens/min"}',
                     "    count: 512\n    tokens: 1T\n    tokens_per_second: '24,000 tokens/s'")
    [claim] = load_scenario(path).run().claims
    assert load_scenario(path).stages[0].hours == pytest.approx(1e12 / 24_000 / 3600)
    assert claim.claim.value == 24_000 and claim.verdict == "reproduced"


@pytest.mark.parametrize("text, value", [("56%", 0.56), ("46.2 %", 0.462), ("0.56", 0.56)])
def test_mfu_as_a_fraction_or_a_percentage(tmp_path, text, value):
    path = _scenario(tmp_path, '  - {text: c, quantity: hours, value: "10 h"}',
                     f"    count: 8\n    params: 7B\n    tokens: 1B\n    mfu: '{text}'")
    assert load_scenario(path).stages[0].mfu.stated == pytest.approx(value)


@pytest.mark.parametrize("stage, words", [
    ("    count: 8\n    tokens_per_second_per_gpu: 3000", "needs tokens"),
    ("    count: 8\n    hours: 10\n    tokens: 1B\n    tokens_per_second_per_gpu: 3000",
     "not both"),
    ("    count: 8\n    params: 7B\n    tokens: 1B\n    mfu: 0.4\n"
     "    throughput_tflops_per_gpu: 400", "give mfu or throughput_tflops_per_gpu"),
    ("    count: 8\n    params: 7B\n    tokens: 1B\n    layers: 32", "missing hidden, seq_len"),
    ("    count: 8\n    hours: 10\n    recompute: full", "need params and tokens"),
])
def test_stage_input_errors_are_located(tmp_path, stage, words):
    path = _scenario(tmp_path, '  - {text: c, quantity: hours, value: "10 h"}', stage)
    with pytest.raises(estimator.DataFileError, match=words) as info:
        load_scenario(path)
    assert info.value.file == str(path) and info.value.key.startswith("stages[0]")


def test_experiments_scope_is_the_final_run_times_the_experiments_factor(tmp_path):
    # Epoch AI (models/development.py): experiments 1.2-4x the final run; no staff share.
    claims = ('  - {text: final, value: "10M USD"}\n'
              '  - {text: with experiments, value: "20M USD", scope: experiments}\n'
              '  - {text: development, value: "40M USD", scope: development}')
    path = _scenario(tmp_path, claims, "    count: 1000\n    hours: 1000")
    final, experiments, development = load_scenario(path).run().claims
    low, high = dev.EXPERIMENT_FACTOR
    assert experiments.computed.low == pytest.approx(final.computed.low * low)
    assert experiments.computed.high == pytest.approx(final.computed.high * high)
    assert experiments.computed.typical == pytest.approx(final.computed.typical
                                                         * math.sqrt(low * high))
    assert development.computed.low > experiments.computed.low      # staff on top
    assert "experiments scope" in experiments.explanation and "no staff" in \
        experiments.explanation


def test_a_method_claim_uses_the_stated_throughput_as_its_mfu(tmp_path):
    # A cloud-method claim on a compute-route stage: with a stated throughput the chip-hours
    # are known (FLOP / (throughput x 3600)), so the claim has a stated value to reproduce.
    claims = '  - {text: c, value: "1M USD", method: cloud}'
    stage = "    count: 1000\n    params: 70B\n    tokens: 2T\n"
    plain = load_scenario(_scenario(tmp_path, claims, stage)).run().claims[0]
    path = _scenario(tmp_path, claims, stage + "    throughput_tflops_per_gpu: 400")
    stated = load_scenario(path).run().claims[0]
    assert math.isnan(plain.computed.stated) and math.isfinite(stated.computed.stated)
    # chip-hours = 6 x 70e9 x 2e12 / (400e12 x 3600) = 583,333.3: the same cost as a stage
    # that gives those GPU-hours directly
    path = _scenario(tmp_path, claims, "    count: 1000\n    gpu_hours: 583333.333333")
    direct = load_scenario(path).run().claims[0]
    assert stated.computed.stated == pytest.approx(direct.computed.stated, rel=1e-9)
