"""Published training runs with their layouts and measured throughput: the anchors that check
the step-time model (models/step_time.py, benchmarks/mfu_anchors.py).

Each run carries the source of its figure and of its layout; where the source leaves a layout
value out, ``assumed`` names it and says what was assumed. ``held_out`` runs were not looked at
while choosing the model's rules and are printed apart as its test. ``basis`` says what the
source reports: ``hardware_tflops`` (TFLOP/s per GPU counting recomputed FLOP, as Megatron-LM
does), ``model_tflops`` or ``mfu`` (model FLOP only, PaLM's definition).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    id: str
    name: str
    gpu: str
    layers: int
    hidden: int
    heads: int
    seq_len: int
    vocab: int
    params: float
    tp: int
    pp: int
    dp: int
    micro_batch: int
    global_batch: int
    reported: float
    basis: str
    source: str
    as_of: str
    interleave: int = 1
    recompute: str = "full"
    sequence_parallel: bool = False
    dp_overlap: bool = False
    zero: int = 0
    flash_attention: bool = False
    distribute_checkpoints: bool = False
    dp_gb_per_s: float | None = None
    assumed: str = ""
    held_out: bool = False

    @property
    def gpus(self) -> int:
        return self.tp * self.pp * self.dp


NARAYANAN = ("Narayanan et al. 2021, Efficient Large-Scale Language Model Training on GPU "
             "Clusters Using Megatron-LM, SC'21, arXiv 2104.04473")

ANCHORS = (
    Anchor("megatron-1t", "Megatron-LM 1T", "nvidia-a100-sxm4-80gb", layers=128, hidden=25600,
           heads=160, seq_len=2048, vocab=51200, params=1008e9, tp=8, pp=64, dp=6,
           micro_batch=1, global_batch=3072, reported=163.0, basis="hardware_tflops",
           source=NARAYANAN + ", Table 1 (1008B row: 3,072 GPUs, 163 TFLOP/s per GPU, 52% of "
           "peak, counted with activation recomputation)", as_of="2021-04-09",
           assumed="micro-batch 1 and the plain 1F1B schedule (Table 1 gives neither)"),
    Anchor("megatron-gpt3-175b", "GPT-3 175B (Megatron-LM)", "nvidia-a100-sxm4-80gb",
           layers=96, hidden=12288, heads=96, seq_len=2048, vocab=51200, params=175e9, tp=8,
           pp=8, dp=16, micro_batch=1, global_batch=1536, reported=140.0,
           basis="hardware_tflops", source=NARAYANAN + ", sec. 5.1 (GPT-3 175B on 1,024 "
           "A100 with batch 1,536 at 140 TFLOP/s per GPU)", as_of="2021-04-09",
           assumed="tensor 8 x pipeline 8 (the paper gives 1,024 GPUs, not the split), "
           "micro-batch 1"),
    Anchor("opt-175b", "OPT-175B", "nvidia-a100-sxm4-80gb", layers=96, hidden=12288,
           heads=96, seq_len=2048, vocab=50272, params=175e9, tp=8, pp=1, dp=124,
           micro_batch=8, global_batch=992, reported=147.0, basis="hardware_tflops",
           dp_overlap=True, zero=2, distribute_checkpoints=True,
           source="Zhang et al. 2022, OPT: Open Pre-trained Transformer Language Models, arXiv "
           "2205.01068, sec. 2.4 (992 80GB A100, Megatron-LM tensor parallelism and FSDP, up "
           "to 147 TFLOP/s per GPU); layout from the OPT launcher, github.com/facebookresearch/"
           "metaseq metaseq/launcher/opt_baselines.py and opt_job_constants.py (175b: tensor "
           "parallel 8, 2M-token batch of 2048-token sequences = 8 per data-parallel rank on "
           "992 GPUs, --checkpoint-activations, --distribute-checkpointed-activations, FSDP "
           "with --no-reshard-after-forward: weights gathered once and kept for backward, "
           "ZeRO-2 traffic, fp16 reduce-scatter); basis from the OPT logbook summary "
           "(projects/OPT/chronicles/final_update.md: 4.30E+23 FLOP = about 33 days on 1024 "
           "A100, i.e. 147 TFLOP/s per GPU, and 4.30E+23 is 300B tokens x (8 N + 16 L h s), "
           "the count with full recomputation)", as_of="2022-05-02",
           assumed="no flash attention (2021 run, before FlashAttention); FSDP gathers and "
           "reduce-scatters overlapped with compute (PyTorch FSDP notes: implicit prefetch on "
           "a separate stream)"),
    Anchor("bloom-176b", "BLOOM 176B", "nvidia-a100-sxm4-80gb", layers=70, hidden=14336,
           heads=112, seq_len=2048, vocab=250880, params=176e9, tp=4, pp=12, dp=8,
           micro_batch=2, global_batch=2048, reported=150.0, basis="hardware_tflops",
           dp_gb_per_s=6.25,
           source="BigScience Workshop 2022, BLOOM: A 176B-Parameter Open-Access Multilingual "
           "Language Model, arXiv 2211.05100, sec. 3.4-3.5 (384 A100 80GB, TP 4 x PP 12 x DP 8, "
           "micro-batch 2, global batch 2048, 150 TFLOP/s per GPU; nodes of 8 GPUs with four "
           "100 Gb/s Omni-Path links, 6.25 GB/s per GPU)", as_of="2022-11-09"),
    Anchor("palm-540b", "PaLM 540B", "google-tpu-v4", layers=118, hidden=18432, heads=48,
           seq_len=2048, vocab=256000, params=540.35e9, tp=12, pp=1, dp=512, micro_batch=4,
           global_batch=2048, reported=0.462, basis="mfu", sequence_parallel=True,
           dp_overlap=True, zero=3,
           source="Chowdhery et al. 2022, PaLM: Scaling Language Modeling with Pathways, arXiv "
           "2204.02311, sec. 4 and Table 3 (6,144 TPU v4 in two pods, 12-way model x 256-way "
           "sharded data parallelism per pod, batch 2048 x 2048 tokens, 46.2% MFU with "
           "rematerialisation)", as_of="2022-04-05",
           assumed="rematerialisation as full recomputation; sharded-weight gathers overlapped"),
    Anchor("nemotron-4-340b", "Nemotron-4 340B", "nvidia-h100-sxm5-80gb", layers=96,
           hidden=18432, heads=96, seq_len=4096, vocab=256000, params=341e9, tp=8, pp=12,
           dp=64, micro_batch=1, global_batch=2304, reported=0.410, basis="mfu",
           interleave=8, recompute="none", sequence_parallel=True, dp_overlap=True,
           flash_attention=True,
           source="NVIDIA 2024, Nemotron-4 340B Technical Report, arXiv 2406.11704, Table 2 "
           "(6,144 H100: TP 8, PP 12, DP 64, batch 2304, 8.0 s per iteration, 41.0% MFU)",
           as_of="2024-06-14",
           assumed="one layer per virtual pipeline stage (v = 8), as NVIDIA's published NeMo "
           "recipe for this model (github.com/NVIDIA/dgxc-benchmarking, nemotron4-340b: "
           "PP 8, VP 12); no recomputation; fused (flash) attention, Megatron-Core's "
           "Transformer Engine attention in that recipe"),
)
"""The anchors the issue names; the model's error on them is the range of --mfu auto."""

HELD_OUT = (
    Anchor("llama-3-405b-8k", "Llama 3 405B (8,192 GPUs)", "nvidia-h100-sxm5-80gb",
           layers=126, hidden=16384, heads=128, seq_len=8192, vocab=128256, params=405e9,
           tp=8, pp=16, dp=64, micro_batch=1, global_batch=2048, reported=0.43, basis="mfu",
           interleave=4, recompute="none", sequence_parallel=True, dp_overlap=True,
           flash_attention=True, held_out=True,
           source="Llama Team 2024, The Llama 3 Herd of Models, arXiv 2407.21783, Table 4 "
           "(8,192 H100: TP 8, CP 1, PP 16, DP 64, 16M tokens per batch, 430 TFLOP/s, 43% BF16 "
           "MFU)", as_of="2024-07-23",
           assumed="4 interleaved stages per GPU (the paper's schedule is interleaved, the "
           "count not given); flash attention (a 2024 H100 run; the paper does not name the "
           "attention kernel)"),
    Anchor("llama-3-405b-16k", "Llama 3 405B (16,384 GPUs)", "nvidia-h100-sxm5-80gb",
           layers=126, hidden=16384, heads=128, seq_len=8192, vocab=128256, params=405e9,
           tp=8, pp=16, dp=128, micro_batch=1, global_batch=2048, reported=0.41, basis="mfu",
           interleave=4, recompute="none", sequence_parallel=True, dp_overlap=True,
           flash_attention=True, held_out=True,
           source="Llama Team 2024, The Llama 3 Herd of Models, arXiv 2407.21783, Table 4 "
           "(16,384 H100: DP 128, 400 TFLOP/s, 41% BF16 MFU)", as_of="2024-07-23",
           assumed="as the 8,192-GPU row"),
    Anchor("mt-nlg-530b", "MT-NLG 530B", "nvidia-a100-sxm4-80gb", layers=105, hidden=20480,
           heads=128, seq_len=2048, vocab=51200, params=530e9, tp=8, pp=35, dp=8,
           micro_batch=1, global_batch=1920, reported=126.0, basis="hardware_tflops",
           held_out=True,
           source="Smith et al. 2022, Using DeepSpeed and Megatron to Train Megatron-Turing "
           "NLG 530B, arXiv 2201.11990, sec. 2.2 and 2.4 (280 DGX A100 nodes = 2,240 GPUs, "
           "8-way tensor x 35-way pipeline, batch 1920 of 2048 tokens, 60.1 s per iteration, "
           "126 TFLOP/s per GPU; 350 and 420 nodes: 121 and 113)", as_of="2022-01-28",
           assumed="micro-batch 1, full recomputation, 1F1B"),
)
"""Published runs kept out of the choice of the model's rules: its test."""
