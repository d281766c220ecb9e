"""mfu: auto on a scenario stage (issue 26): the MFU predicted from the stage's layout by the
step-time model replaces the default 0.15-0.65 range; verdicts on the built-in run stay."""

from pathlib import Path

import pytest

from estimator.errors import DataFileError
from estimator.scenarios import check

ROOT = Path(__file__).resolve().parents[2]
NEMOTRON = ROOT / "scenarios" / "public" / "nemotron-4-340b-2024.yaml"
NEMOTRON_LAYOUT = ("    mfu: auto\n    layout: {tp: 8, pp: 12, interleave: 8, global_batch: 2304, "
                   "layers: 96, hidden: 18432, heads: 96, seq_len: 4096, vocab: 256000}\n")

GPT3_DAYS = """\
id: gpt3-175b-34-days
title: "Narayanan et al.: GPT-3 175B on 300B tokens would take 34 days on 1,024 A100"
date: "2021-04-09"
sources:
  - outlet: "Narayanan et al. 2021 (SC'21)"
    title: "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM"
    date: "2021-04-09"
    url: "https://arxiv.org/abs/2104.04473"
    role: primary
claims:
  - text: "training GPT-3 175B on 300B tokens on 1,024 A100 GPUs takes about 34 days"
    quantity: hours
    value: "34 days"
    expect: {verdict: consistent}
stages:
  - name: "GPT-3 175B, 1,024 A100 (tensor 8 x pipeline 8 x data 16)"
    gpu: A100
    params: 175B
    tokens: 300B
    count: 1024
    mfu: auto
    layout: {model: gpt-3-175b, tp: 8, pp: 8, global_batch: 1536, recompute: full, zero: 1,
             flash_attention: false}
"""


def _write(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return str(path)


def test_builtin_nemotron_keeps_its_verdict_with_mfu_auto(tmp_path):
    text = NEMOTRON.read_text()
    assert "    mfu: 0.41\n" in text
    auto = _write(tmp_path, "nemotron-4-340b-2024", text.replace("    mfu: 0.41\n",
                                                                  NEMOTRON_LAYOUT))
    before = check([str(NEMOTRON)]).iloc[0]
    after = check([auto]).iloc[0]
    assert after["verdict"] == before["verdict"] == "inconsistent"
    assert after["ok"]


def test_hours_claim_uses_the_predicted_range_and_says_so(tmp_path):
    row = check([_write(tmp_path, "gpt3-175b-34-days", GPT3_DAYS)],
                as_of="2026-11-29").iloc[0]
    assert row["verdict"] == "consistent", row["explanation"]
    # hours = 6ND' / (1,024 x 312e12 x MFU); the range is the anchors' error band around
    # the prediction (about 0.33-0.39), narrower than the default 0.15-0.65
    assert row["range_high"] / row["range_low"] < 0.65 / 0.15 / 2
    assert "MFU predicted from the stated layout by the step-time model" in row["explanation"]


@pytest.mark.parametrize("old, new, message", [
    ("    mfu: auto\n", "", "mfu: auto and layout go together"),
    ("    layout: {model: gpt-3-175b, tp: 8, pp: 8, global_batch: 1536, recompute: full, "
     "zero: 1,\n             flash_attention: false}\n",
     "", "mfu: auto and layout go together"),
])
def test_auto_and_layout_go_together(tmp_path, old, new, message):
    path = _write(tmp_path, "gpt3-175b-34-days", GPT3_DAYS.replace(old, new))
    with pytest.raises(DataFileError, match=message):
        check([path], as_of="2026-11-29")


def test_a_layout_that_does_not_multiply_out_is_a_located_error(tmp_path):
    path = _write(tmp_path, "gpt3-175b-34-days", GPT3_DAYS.replace("global_batch: 1536",
                                                                     "global_batch: 1000"))
    with pytest.raises(Exception, match="global batch 1000 is not a multiple") as info:
        check([path], as_of="2026-11-29")
    assert "gpt3-175b-34-days.yaml" in str(info.value)
