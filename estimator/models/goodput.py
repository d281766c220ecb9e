"""Failures, checkpoints and goodput: how much of a run's GPU time is useful training.

Pure vectorised numpy; times in hours unless a name says otherwise.

References
----------
Llama Team, AI @ Meta 2024, "The Llama 3 Herd of Models", arXiv 2407.21783, sec. 3.3.4:
    466 job interruptions in a 54-day snapshot of 405B pre-training on up to 16,384 H100
    GPUs, 47 planned and 419 unexpected; "higher than 90% effective training time".
Young 1974, "A first order approximation to the optimum checkpoint interval", Comm. ACM
    17(9): optimal interval tau = sqrt(2 delta M) for checkpoint time delta, mean time
    between failures M.
Daly 2006, "A higher order estimate of the optimum checkpoint interval for restart dumps",
    Future Generation Computer Systems 22(3), eq. (37): tau = sqrt(2 delta M) [1 +
    sqrt(delta / (2M)) / 3 + delta / (18 M)] - delta for delta < 2M, else tau = M; and the
    first-order waste model used here: each failure loses the restart time plus on average
    half a checkpoint period; each period spends delta writing.
Wang et al. 2025, "FlashRecovery: Fast and Low-Cost Recovery from Failures for
    Large-Scale Training of LLMs", arXiv 2509.03047: training restored on 4,800 devices in
    150 seconds.
"""

from __future__ import annotations

import numpy as np

LLAMA3_UNEXPECTED_INTERRUPTIONS = 419
LLAMA3_SNAPSHOT_DAYS = 54
LLAMA3_GPUS = 16_384

DEFAULT_FAILURES_PER_GPU_HOUR = LLAMA3_UNEXPECTED_INTERRUPTIONS / (
    LLAMA3_SNAPSHOT_DAYS * 24 * LLAMA3_GPUS)
"""419 / (54 d x 24 h x 16,384 GPUs) = 1.973e-5 job-stopping failures per GPU-hour
(Llama 3 report, sec. 3.3.4); one interruption every 3.09 h at 16,384 GPUs."""

DEFAULT_CHECKPOINT_WRITE_HOURS = 0.5 / 60
"""Time training stalls to write a checkpoint: 30 s. An estimate, not from a source: the
blocking part of an asynchronous checkpoint (copy to host memory, write in the background)."""

DEFAULT_RESTART_HOURS = 150 / 3600
"""Time from a failure to training again, excluding lost work: 150 s, FlashRecovery's
restore on 4,800 devices (Wang et al. 2025). Restarts without such tooling take longer."""


def job_mtbf_hours(count, failures_per_gpu_hour=DEFAULT_FAILURES_PER_GPU_HOUR):
    """Mean time between job-stopping failures [h] = 1 / (count x rate per GPU-hour)."""
    return np.divide(1.0, np.multiply(count, failures_per_gpu_hour))


def young_interval_hours(checkpoint_hours, mtbf_hours):
    """Young's (1974) optimal compute time between checkpoints [h] = sqrt(2 delta M)."""
    return np.sqrt(2.0 * np.multiply(checkpoint_hours, mtbf_hours))


def daly_interval_hours(checkpoint_hours, mtbf_hours):
    """Daly's (2006) higher-order optimal interval [h]; M itself where delta >= 2M."""
    d = np.asarray(checkpoint_hours, dtype=float)
    m = np.asarray(mtbf_hours, dtype=float)
    ratio = np.divide(d, 2.0 * m)
    tau = np.sqrt(2.0 * d * m) * (1.0 + np.sqrt(ratio) / 3.0 + d / (18.0 * m)) - d
    return np.where(d < 2.0 * m, tau, m)


def goodput(count, failures_per_gpu_hour=DEFAULT_FAILURES_PER_GPU_HOUR,
            checkpoint_hours=DEFAULT_CHECKPOINT_WRITE_HOURS,
            restart_hours=DEFAULT_RESTART_HOURS, interval_hours=None):
    """Share of wall-clock time that is useful training [0..1] (first-order model, Daly 2006).

    goodput = tau / (tau + delta) x (1 - (R + (tau + delta) / 2) / M), floored at 0, with tau
    the checkpoint interval (default Daly's optimum), delta the checkpoint write time, R the
    restart time and M the job's mean time between failures.
    """
    m = job_mtbf_hours(count, failures_per_gpu_hour)
    d = np.asarray(checkpoint_hours, dtype=float)
    tau = daly_interval_hours(d, m) if interval_hours is None else np.asarray(interval_hours)
    writing = tau / (tau + d)
    lost = (np.asarray(restart_hours) + (tau + d) / 2.0) / m
    return np.clip(writing * (1.0 - lost), 0.0, 1.0)


def planned_gpu_hours(ideal_gpu_hours, goodput_share):
    """GPU-hours to book [GPU·h] = failure-free GPU-hours / goodput (inf at goodput 0)."""
    with np.errstate(divide="ignore"):
        return np.divide(ideal_gpu_hours, goodput_share)


def goodput_share(useful_gpu_hours, wall_clock_gpu_hours):
    """Goodput [0..1] = useful compute time / wall-clock GPU time: the GPU-hours the run's work
    needs at its steady-state MFU (flops.gpu_hours_from_flop) over the GPU-hours it booked
    (restarts, checkpoints and idle time make up the rest; Llama 3, arXiv 2407.21783, 3.3.4)."""
    return np.divide(useful_gpu_hours, wall_clock_gpu_hours)
