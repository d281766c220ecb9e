"""The compute route: training FLOP <-> GPU-hours through model FLOP utilisation (MFU).

Pure vectorised functions on plain numbers.

References
----------
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv 2001.08361, section
2.1: training compute C ~= 6 N D FLOP (N parameters, D tokens; forward 2ND, backward 4ND).
For a mixture-of-experts model N is the parameters activated per token.
Chowdhery et al. 2022, "PaLM", arXiv 2204.02311, appendix B: MFU = achieved model FLOP/s
divided by the hardware's peak FLOP/s.
"""

from __future__ import annotations

import numpy as np

from estimator.models.constants import DEFAULT_MFU, MFU_RANGE  # noqa: F401 (the MFU defaults)

SECONDS_PER_HOUR = 3600.0
FLOP_PER_PF_DAY = 1e15 * 86400.0
"""One petaFLOP/s-day [FLOP], the unit of the GPT-3 paper (arXiv 2005.14165, Table D.1)."""

MFU_PLAUSIBLE = (0.05, 0.6)
"""Outside this MFU range a result is flagged (warnings column and stderr)."""


def training_flop(params, tokens):
    """Training compute [FLOP] = 6 x params x tokens (Kaplan et al. 2020)."""
    return np.multiply(6.0, np.multiply(params, tokens))


def flop_from_per_token(flop_per_token, tokens):
    """Training compute [FLOP] = FLOP per token x tokens (e.g. DeepSeek's 250 GFLOP/token)."""
    return np.multiply(flop_per_token, tokens)


def gpu_hours_from_flop(flop, peak_tflops, mfu):
    """GPU-hours [GPU·h] = FLOP / (peak [TFLOP/s] x 1e12 x MFU x 3600 s/h)."""
    return np.divide(flop, np.multiply(np.multiply(peak_tflops, 1e12), mfu) * SECONDS_PER_HOUR)


def achieved_flop(gpu_hours, peak_tflops, mfu):
    """Model FLOP done [FLOP] = GPU-hours x 3600 s/h x peak [TFLOP/s] x 1e12 x MFU (the
    inverse of :func:`gpu_hours_from_flop`)."""
    return np.multiply(np.multiply(gpu_hours, SECONDS_PER_HOUR) * np.multiply(peak_tflops, 1e12),
                       mfu)


def implied_mfu(flop, gpu_hours, peak_tflops):
    """MFU = FLOP / (GPU-hours x 3600 s/h x peak [TFLOP/s] x 1e12) (PaLM's definition)."""
    return np.divide(flop, np.multiply(gpu_hours, SECONDS_PER_HOUR) *
                     np.multiply(peak_tflops, 1e12))


def pf_days(flop):
    """Compute in petaFLOP/s-days: FLOP / (1e15 x 86400)."""
    return np.divide(flop, FLOP_PER_PF_DAY)


def mfu_warning(mfu) -> np.ndarray:
    """Per-row warning text for implausible MFU values ('' where plausible)."""
    mfu = np.asarray(mfu, dtype=float)
    low, high = MFU_PLAUSIBLE
    out = np.full(mfu.shape, "", dtype=object)
    out[mfu > high] = f"MFU above {high:g} is implausible for training at scale"
    out[mfu > 1] = "MFU above 1 is impossible: too few GPU-hours for this much compute"
    out[mfu < low] = f"MFU below {low:g} is implausibly low"
    return out


def utilisation(model_flop, peak_capacity_flop):
    """MFU = model FLOP / the FLOP the same GPU time could do at peak (PaLM, arXiv 2204.02311,
    appendix B); ``peak_capacity_flop`` is :func:`achieved_flop` at MFU 1, so totals over
    stages on different GPUs weight each stage by its own peak."""
    return np.divide(model_flop, peak_capacity_flop)


def achieved_tflops_per_gpu(flop, gpu_hours):
    """Achieved model throughput [TFLOP/s per GPU] = FLOP / (GPU-hours x 3600 s/h) / 1e12
    (OPT-175B, arXiv 2205.01068, reports 147 TFLOP/s per A100 this way)."""
    return np.divide(flop, np.multiply(gpu_hours, SECONDS_PER_HOUR)) / 1e12


def tokens_per_second(tokens, wall_clock_hours):
    """Training throughput [tokens/s] = tokens / (wall-clock hours x 3600 s/h)."""
    return np.divide(tokens, np.multiply(wall_clock_hours, SECONDS_PER_HOUR))


def hours_from_tokens_per_second(tokens, tokens_per_second_):
    """Wall-clock hours [h] = tokens / (tokens per second x 3600 s/h), the inverse of
    :func:`tokens_per_second`."""
    return np.divide(tokens, np.multiply(tokens_per_second_, SECONDS_PER_HOUR))
