"""Rental arithmetic: GPU-hours, wall-clock hours and rental cost.

Pure vectorised functions on plain numbers in canonical units; inputs broadcast
(scalar, list, ndarray, Series) and the result follows numpy broadcasting (a
pandas Series in gives a Series out, with its index).
"""

from __future__ import annotations

import numpy as np


def gpu_hours(count, hours):
    """GPU-hours used by ``count`` GPUs for ``hours`` of wall clock.

    gpu_hours [GPU·h] = count [GPU] x hours [h]. E.g. DeepSeek-R1's RL stage:
    512 H800 x 80 h = 40,960 GPU·h (Nature 2025, supplementary B.4.4).
    """
    return np.multiply(count, hours)


def wall_clock_hours(gpu_hours_, count):
    """Wall-clock hours [h] = gpu_hours [GPU·h] / count [GPU] (all GPUs busy together)."""
    return np.divide(gpu_hours_, count)


def gpu_count(gpu_hours_, hours):
    """GPUs needed [GPU] = gpu_hours [GPU·h] / wall-clock hours [h]."""
    return np.divide(gpu_hours_, hours)


def rental_cost_usd(gpu_hours_, price_usd_per_gpu_hour):
    """Rental cost [USD] = gpu_hours [GPU·h] x price [USD/(GPU·h)].

    The method of the DeepSeek-V3 report, Table 1 (arXiv 2412.19437): 2,788K H800
    GPU-hours x $2 = $5.576M.
    """
    return np.multiply(gpu_hours_, price_usd_per_gpu_hour)


def price_per_gpu_hour(cost_usd, gpu_hours_):
    """Price [USD/(GPU·h)] = rental cost [USD] / GPU-hours (the inverse of rental_cost_usd)."""
    return np.divide(cost_usd, gpu_hours_)
