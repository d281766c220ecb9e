"""Default speeds of a GPU generation for the step-time model (models/step_time.py).

One table, keyed by a hardware profile's ``architecture``; each number with its source. A
profile's own specs win where it has them (memory bandwidth, NVLink); these fill the rest.
Every value is an option of ``compute --mfu auto`` / the API (``matmul_fraction``,
``dp_gb_per_s``, ``tp_gb_per_s``, ``latency_s``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkDefaults:
    """Per-generation defaults [units in the names]; ``sources`` says where each comes from."""

    matmul_fraction: float
    dp_gb_per_s: float
    tp_gb_per_s: float | None
    sources: str


MAMF_SOURCE = ("Bekman, Machine Learning Engineering Open Book, 'Maximum Achievable Matmul FLOPS "
               "comparison table' (BF16 matmul, best shape; A100 SXM 267.9 of 312 TFLOP/s = "
               "85.9%, H100 SXM 792.1 of 989 = 80.1%, MI300X 781.9 of 1300 = 60.1%; the table "
               "from 2024-08-07 to 2025-09-02, since re-measured as A100 86.9%, H100 80.3%, "
               "MI300X 51.4% with newer PyTorch), "
               "https://github.com/stas00/ml-engineering/tree/master/compute/accelerator")

MAMF_2025_SOURCE = ("Bekman, Machine Learning Engineering Open Book, 'Maximum Achievable Matmul "
                    "FLOPS comparison table', BF16, revision of 2025-08-30 (B200 SXM 1745.0 of "
                    "2250 = 77.6%, Gaudi 3 1243.0 of 1677 = 74.1%, A100 PCIe 252.9 of 312 = 81.1%) "
                    "and of 2026-08 (B300 SXM 1769.0 of 2250 = 78.6%, MI355X 1565.0 of 2300 = "
                    "68.0%), https://github.com/stas00/ml-engineering/blob/master/compute/"
                    "accelerator/README.md")

PCIE_GEN4_X16_GB_PER_S = 31.5
"""PCI Express 4.0 x16, one direction [GB/s]: 16 GT/s x 16 lanes x 128/130 encoding / 8 bits
(PCI-SIG, PCI Express Base Specification 4.0): the GPU-to-GPU path of a card without NVLink."""

KERNEL_EFFICIENCY = 0.8
"""Share of the best-shape matmul rate (MAMF) that a training framework's kernels reach on a
transformer layer, launch gaps and unfused kernels included [fraction]. An estimate, one value
for every generation, not measured per chip: the MAMF tables time a single large matmul, and the
layer-level published runs (benchmarks/mfu_anchors.py) sit near 0.8 of the rate the rest of the
model predicts from MAMF. The anchors were used to choose it, so the held-out runs printed by
the benchmark are its test."""

LATENCY_S = 5e-6
"""Latency per step of a ring collective [s]: an estimate of the order of NCCL's per-hop
latency on NVLink/InfiniBand (a few microseconds), not a measured figure."""

DEFAULTS = {
    "Ampere": LinkDefaults(
        matmul_fraction=0.859, dp_gb_per_s=25.0, tp_gb_per_s=None,
        sources=MAMF_SOURCE + "; 200 Gb/s HDR InfiniBand per GPU: eight 200 Gb/s HDR HCAs per "
        "8-GPU DGX A100 node (Narayanan et al. 2021, arXiv 2104.04473, sec. 5; NVIDIA DGX "
        "SuperPOD reference architecture)"),
    "Hopper": LinkDefaults(
        matmul_fraction=0.801, dp_gb_per_s=50.0, tp_gb_per_s=None,
        sources=MAMF_SOURCE + "; 400 Gb/s NDR InfiniBand per GPU: eight ConnectX-7 400 Gb/s "
        "ports per DGX H100 node (NVIDIA DGX SuperPOD with DGX H100 reference architecture, "
        "https://docs.nvidia.com/dgx-superpod/reference-architecture-scalable-infrastructure-"
        "h100/latest/)"),
    "CDNA 3": LinkDefaults(
        matmul_fraction=0.601, dp_gb_per_s=50.0, tp_gb_per_s=None,
        sources=MAMF_SOURCE + "; 400 Gb/s per GPU assumed as for H100 clusters (estimate)"),
    "TPU v4": LinkDefaults(
        matmul_fraction=0.859, dp_gb_per_s=268.6, tp_gb_per_s=268.6,
        sources="matmul fraction: no published MAMF for TPU v4, A100's 85.9% assumed "
        "(estimate); ICI: 'all-reduce bandwidth per Pod 1.1 PB/s' over 4,096 chips = 268.6 GB/s "
        "per chip, for tensor- and data-parallel collectives inside a pod (Google Cloud TPU v4 "
        "system architecture, https://docs.cloud.google.com/tpu/docs/v4)"),
    "Blackwell": LinkDefaults(
        matmul_fraction=0.776, dp_gb_per_s=50.0, tp_gb_per_s=None,
        sources=MAMF_2025_SOURCE + "; 400 Gb/s per GPU: NVIDIA HGX AI Factory reference "
        "architecture for H100, H200 and B200, a 2-8-9-400 configuration (8 GPUs, 400 Gb/s per "
        "GPU), https://docs.nvidia.com/reference-architectures/hgx-ai-factory-h100-h200-b200/"),
    "Blackwell Ultra": LinkDefaults(
        matmul_fraction=0.786, dp_gb_per_s=50.0, tp_gb_per_s=None,
        sources=MAMF_2025_SOURCE + "; 400 Gb/s per GPU assumed as for B200 (estimate)"),
    "CDNA 4": LinkDefaults(
        matmul_fraction=0.680, dp_gb_per_s=50.0, tp_gb_per_s=None,
        sources=MAMF_2025_SOURCE + "; 400 Gb/s per GPU assumed as for MI300X (estimate)"),
    "Gaudi 3": LinkDefaults(
        matmul_fraction=0.741, dp_gb_per_s=75.0, tp_gb_per_s=None,
        sources=MAMF_2025_SOURCE + "; scale-out 3 x 200 Gb/s RoCE ports per Gaudi 3 = 75 GB/s "
        "per direction (Intel Gaudi network configuration, https://docs.habana.ai/en/latest/"
        "Management_and_Monitoring/Network_Configuration/index.html)"),
    "Ada Lovelace": LinkDefaults(
        matmul_fraction=0.811, dp_gb_per_s=12.5, tp_gb_per_s=PCIE_GEN4_X16_GB_PER_S,
        sources="matmul fraction: no published MAMF for L40S, A100 PCIe's 81.1% assumed "
        "(estimate; " + MAMF_2025_SOURCE + "); tensor-parallel link: PCIe 4.0 x16, 31.5 GB/s "
        "per direction (the L40S has no NVLink: NVIDIA L40S datasheet, https://resources."
        "nvidia.com/en-us-l40s/l40s-datasheet-28413); data-parallel network 100 Gb/s per GPU, "
        "an estimate from the 4-GPU L40S server with two 200 Gb/s RoCE/InfiniBand NICs "
        "(NADDOD, 'High-Performance GPU Server Hardware Topology and Cluster Networking-L40S', "
        "2023-11-27, https://www.naddod.com/blog/high-performance-gpu-server-hardware-topology-"
        "and-cluster-networking-l40s)"),
}
"""Architecture (as the profile's ``architecture`` field spells it) -> defaults."""


def defaults_for(architecture: str) -> LinkDefaults | None:
    """The defaults of ``architecture``, or None when the table has none."""
    return DEFAULTS.get(architecture)
