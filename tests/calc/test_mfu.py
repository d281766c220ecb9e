"""--mfu auto (estimator/calc/mfu.py): the published anchors, the range, compute()'s columns."""

import json

import pytest
from click.testing import CliRunner

from estimator.calc.compute import compute
from estimator.calc.mfu import anchor_table, error_band, scaling
from estimator.calc.plan import plan
from estimator.cli import cli
from estimator.data.mfu_anchors import ANCHORS, HELD_OUT

TABLE = anchor_table()


@pytest.mark.parametrize("anchor", ANCHORS, ids=[a.id for a in ANCHORS])
def test_every_anchor_within_15_percent(anchor):
    row = TABLE.set_index("id").loc[anchor.id]
    assert abs(row["error"]) <= 0.15, (row["predicted"], row["reported"])


def test_median_error_within_7_percent():
    assert TABLE["error"].abs().median() <= 0.07


def test_each_anchor_has_a_source_and_its_layout_multiplies_out():
    for anchor in ANCHORS + HELD_OUT:
        assert anchor.source and anchor.as_of
        assert anchor.global_batch % (anchor.dp * anchor.micro_batch) == 0
    assert TABLE["gpus"].tolist() == [3072, 1024, 992, 384, 6144, 6144]


def test_error_band_is_the_anchor_ratios():
    low, high = error_band()
    ratio = TABLE["reported"] / TABLE["predicted"]
    assert (low, high) == (pytest.approx(ratio.min()), pytest.approx(ratio.max()))
    assert low < 1 < high


def test_compute_auto_gives_prediction_range_and_breakdown():
    frame = compute(gpu="A100", tokens="300B", mfu="auto", recompute="full",
                    layout={"model": "gpt-3-175b", "tp": 8, "pp": 8, "dp": 16,
                            "global_batch": 1536}, price=2)
    row = frame.iloc[0]
    low, high = error_band()
    assert row["mfu"] == row["mfu_predicted"]
    assert row["mfu_low"] == pytest.approx(row["mfu_predicted"] * low)
    assert row["mfu_high"] == pytest.approx(row["mfu_predicted"] * high)
    shares = [row[f"time_share_{n}"] for n in
              ("compute", "tp_comm", "pp_bubble", "dp_comm", "recompute")]
    assert sum(shares) == pytest.approx(1.0)
    assert row["count"] == 1024
    # hours from the model FLOP (recomputation is time, not model FLOP): 6ND + 12 L h s D
    assert row["flop_formula"] == "6 N D + 12 L h s D"
    assert row["gpu_hours"] == pytest.approx(
        row["training_flop"] / (312e12 * row["mfu_predicted"] * 3600))
    # the range is narrower than the default 0.15-0.65 spread
    assert row["mfu_high"] / row["mfu_low"] < 0.65 / 0.15


def test_more_tensor_link_bandwidth_raises_predicted_mfu():
    base = {"model": "gpt-3-175b", "tp": 8, "pp": 8, "dp": 16, "global_batch": 1536}
    slow = compute(gpu="A100", tokens="300B", mfu="auto", layout={**base, "tp_gb_per_s": 50},
                   price=2)
    fast = compute(gpu="A100", tokens="300B", mfu="auto", layout=base, price=2)
    assert fast["mfu"].iloc[0] > slow["mfu"].iloc[0]


@pytest.mark.parametrize("args, message", [
    (["--tp", "8"], "Error: mfu: layout options are used with --mfu auto"),
    (["--mfu", "auto", "--tp", "8", "--dp", "4"],
     "Error: global_batch: --mfu auto needs --global-batch"),
    (["--mfu", "auto", "--dp", "8", "--global-batch", "63"],
     "Error: global_batch: global batch 63 is not a multiple of dp x micro-batch = 8"),
    (["--mfu", "auto", "--tp", "8", "--count", "100", "--global-batch", "64"],
     "Error: count: count 100 is not a multiple of tp x pp = 8"),
])
def test_cli_layout_errors(args, message):
    result = CliRunner().invoke(cli, ["compute", "--model", "llama-2-7b", "--tokens", "1T",
                                       "--gpu", "H100", "--price", "2", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_cli_prints_breakdown():
    result = CliRunner().invoke(cli, [
        "compute", "--model", "llama-2-7b", "--tokens", "1T", "--gpu", "H100", "--price", "2",
        "--mfu", "auto", "--dp", "64", "--global-batch", "512", "--format", "json"])
    assert result.exit_code == 0, result.output
    for key in ("mfu_predicted", "mfu_low", "mfu_high", "time_share_compute",
                "time_share_tp_comm", "time_share_pp_bubble", "time_share_dp_comm",
                "time_share_recompute"):
        assert f'"{key}"' in result.output


def test_scaling_family_strong_scaling():

    frame = scaling("A100", model="gpt-3-175b", tp=8, pp=8, global_batch=1536,
                    recompute="full")
    # every divisor of 1536 as data-parallel size: 1,536 = 2^9 x 3 has 20 divisors
    assert len(frame) == 20
    assert frame["gpus"].iloc[0] == 64 and frame["gpus"].iloc[-1] == 98_304
    assert (frame["micro_batches"] * frame["dp"] == 1536).all()
    # the bubble grows as the batch is split over more replicas, so MFU falls
    assert frame["time_share_pp_bubble"].is_monotonic_increasing
    assert frame["mfu_predicted"].is_monotonic_decreasing
    row = frame.set_index("gpus").loc[1024]
    one = compute(gpu="A100", tokens="300B", mfu="auto", recompute="full", price=2,
                  layout={"model": "gpt-3-175b", "tp": 8, "pp": 8, "dp": 16,
                          "global_batch": 1536})
    assert row["mfu_predicted"] == pytest.approx(one["mfu_predicted"].iloc[0])


def test_plot_mfu_writes_a_png(tmp_path):
    out = tmp_path / "mfu.png"
    result = CliRunner().invoke(cli, ["plot", "mfu", "--gpu", "A100", "--model", "gpt-3-175b",
                                      "--tp", "8", "--pp", "8", "--global-batch", "1536",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(cli, ["plot", "mfu", "--gpu", "A100", "--model", "gpt-9",
                                   "--global-batch", "8", "--out", str(tmp_path / "x.png")])
    assert bad.exit_code == 2 and "unknown model 'gpt-9'" in bad.output


def test_plan_mfu_auto_predicts_each_layout():

    frame = plan(model="gpt-3-175b", tokens="300B", gpu="A100", mfu="auto", count=1024,
                 price=2, top=5)
    assert {"mfu_predicted", "mfu_low", "mfu_high", "time_share_compute",
            "time_share_pp_bubble"} <= set(frame.columns)
    assert (frame["mfu_low"] < frame["mfu_predicted"]).all()
    assert (frame["mfu_predicted"] <= frame["mfu_high"]).all()
    shares = frame[[c for c in frame.columns if c.startswith("time_share_")]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(1.0)
    # GPU-hours = model FLOP (no recompute term) / (peak x predicted MFU x 3600) / goodput
    row = frame.iloc[0]
    ideal = row["training_flop"] / (312e12 * row["mfu_predicted"] * 3600)
    assert row["gpu_hours"] == pytest.approx(ideal / row["goodput"])


def test_compute_zero3_slows_a_network_bound_layout():
    base = {"model": "opt-175b", "tp": 8, "dp": 124, "micro_batch": 8, "global_batch": 992,
            "dp_gb_per_s": 5}
    rows = [compute(gpu="A100", tokens="180B", mfu="auto", price=2,
                    layout={**base, "zero": z}).iloc[0] for z in (0, 3)]
    assert rows[1]["time_share_dp_comm"] > rows[0]["time_share_dp_comm"] > 0
    assert rows[1]["mfu"] < rows[0]["mfu"]
    with pytest.raises(Exception, match="zero must be a ZeRO stage 0-3"):
        compute(gpu="A100", tokens="180B", mfu="auto", price=2, layout={**base, "zero": 5})


def test_flash_attention_switch_on_compute_and_cli():
    # Llama 2 7B at 4,096 tokens: the s x s scores (5 a s / h = 160 of 194 s b h bytes per
    # layer) dominate the memory traffic without flash attention, so it predicts more with it
    base = {"dp": 64, "global_batch": 512}
    rows = [compute(gpu="H100", model="llama-2-7b", tokens="1T", mfu="auto", price=2,
                    layout={**base, "flash_attention": flag}).iloc[0] for flag in (False, True)]
    assert rows[1]["mfu_predicted"] > 1.3 * rows[0]["mfu_predicted"]
    default = compute(gpu="H100", model="llama-2-7b", tokens="1T", mfu="auto", price=2,
                      layout=base).iloc[0]
    assert default["mfu_predicted"] == pytest.approx(rows[1]["mfu_predicted"])
    args = ["compute", "--model", "llama-2-7b", "--tokens", "1T", "--gpu", "H100", "--price",
            "2", "--mfu", "auto", "--dp", "64", "--global-batch", "512", "--format", "json"]
    off = CliRunner().invoke(cli, [*args, "--no-flash-attention"])
    assert off.exit_code == 0, off.output
    printed = json.loads(off.output)[0]
    assert printed["mfu_predicted"] == pytest.approx(rows[0]["mfu_predicted"])
    bare = CliRunner().invoke(cli, ["compute", "--model", "llama-2-7b", "--tokens", "1T",
                                    "--gpu", "H100", "--price", "2", "--no-flash-attention"])
    assert bare.exit_code == 2 and "layout options are used with --mfu auto" in bare.output


def test_opt_anchor_layout_is_the_launchers():
    # metaseq opt_baselines.py: 2M tokens / (992 / 8 = 124 ranks) / 2048 = 8 sequences per rank
    opt = next(a for a in ANCHORS if a.id == "opt-175b")
    assert (opt.tp, opt.dp, opt.micro_batch) == (8, 124, (2 * 1024**2 // 124) // 2048)
    assert opt.zero == 2 and opt.recompute == "full" and opt.distribute_checkpoints
    assert not opt.flash_attention
    # the logbook's 4.30E+23 FLOP for 300B tokens is the count with full recomputation
    L, h, s, n = opt.layers, opt.hidden, opt.seq_len, opt.params
    assert 300e9 * (8 * n + 16 * L * h * s) == pytest.approx(4.30e23, rel=0.01)
    assert 300e9 * (6 * n + 12 * L * h * s) == pytest.approx(3.24e23, rel=0.01)


def test_plan_auto_covers_a_pcie_only_gpu_with_every_json_key():
    # L40S: no NVLink, so tensor parallelism runs over PCIe 4.0 x16 (31.5 GB/s one direction)
    from estimator.models.link_defaults import PCIE_GEN4_X16_GB_PER_S, defaults_for
    assert defaults_for("Ada Lovelace").tp_gb_per_s == PCIE_GEN4_X16_GB_PER_S == 31.5
    result = CliRunner().invoke(cli, [
        "plan", "--model", "llama-2-7b", "--tokens", "1T", "--gpu", "L40S", "--mfu", "auto",
        "--count", "64", "--top", "1", "--price", "1", "--as-of", "2026-11-29",
        "--format", "json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output[:result.output.rindex("]") + 1])[0]
    keys = ("mfu_predicted", "mfu_low", "mfu_high", "time_share_compute", "time_share_tp_comm",
            "time_share_pp_bubble", "time_share_dp_comm", "time_share_recompute")
    assert all(row[k] is not None for k in keys), row
    assert 0 < row["mfu_low"] < row["mfu_predicted"] <= row["mfu_high"] < 1
    assert sum(row[k] for k in keys[3:]) == pytest.approx(1.0)


def test_tensor_parallel_over_pcie_is_slower_than_over_nvlink():
    # the same 8-way layout on L40S with its PCIe default vs a made-up NVLink-class link
    base = {"tp": 8, "dp": 8, "global_batch": 64}
    pcie = compute(gpu="L40S", model="llama-2-7b", tokens="1T", mfu="auto", price=1,
                   layout=base).iloc[0]
    fast = compute(gpu="L40S", model="llama-2-7b", tokens="1T", mfu="auto", price=1,
                   layout={**base, "tp_gb_per_s": 450}).iloc[0]
    assert pcie["time_share_tp_comm"] > fast["time_share_tp_comm"]
    assert pcie["mfu_predicted"] < fast["mfu_predicted"]


def test_reported_figures_match_their_step_times_and_basis():
    # each source's throughput re-derived from its step time, on the basis the anchor names
    from estimator.models.step_time import model_flop_per_step
    runs = {a.id: a for a in ANCHORS + HELD_OUT}
    # Nemotron-4 340B: 8.0 s per step on 6,144 H100 (989 TFLOP/s) -> 41% MFU (model FLOP)
    n = runs["nemotron-4-340b"]
    flop = model_flop_per_step(n.global_batch, n.seq_len, n.layers, n.hidden, n.vocab, n.params)
    assert flop / (n.gpus * 989e12 * 8.0) == pytest.approx(n.reported, abs=0.005)
    # MT-NLG 530B: 60.1 s per step on 2,240 A100 -> 126 TFLOP/s counting full recomputation
    m = runs["mt-nlg-530b"]
    flop = model_flop_per_step(m.global_batch, m.seq_len, m.layers, m.hidden, m.vocab,
                               m.params, 2)
    assert flop / (m.gpus * 60.1) / 1e12 == pytest.approx(m.reported, rel=0.01)
