"""Development cost beyond the final training run: experiments and staff.

Pure formulas over a final-run cost [USD]. Both ranges are Epoch AI's (Cottier et al. 2024,
"The rising costs of training frontier AI models", arXiv 2405.21015):

* experiments and ablations: total (experiments + final run) compute is 1.2x-4x the final
  run's (90% interval of a lognormal, median ~2.2x), from GPT-3's smaller models (1.14x),
  Meta's 10:20 experiment:training power split (1.5x), BLOOM (2.7x) and OPT-175B ("roughly
  2x") -- epoch-research/training-cost-trends development_cost.ipynb (commit 0efb2ce);
* R&D staff: 29-49% of the total development cost of GPT-3, OPT-175B, GPT-4 and Gemini Ultra
  (staff including equity; Epoch AI, "How much does it cost to train frontier AI models?",
  https://epoch.ai/blog/how-much-does-it-cost-to-train-frontier-ai-models). A share s of
  the total is s / (1 - s) times the compute cost.
"""

from __future__ import annotations

import numpy as np

EXPERIMENT_FACTOR = (1.2, 4.0)
"""(experiments + final run) compute / final-run compute, 90% interval (Epoch AI)."""

STAFF_SHARE = (0.29, 0.49)
"""R&D staff share of total development cost, range over four frontier models (Epoch AI)."""


def geometric_mid(low, high):
    """Median of a lognormal fitted to a 90% interval: sqrt(low x high)."""
    return float(np.sqrt(low * high))


def experiments_usd(final_run_usd, factor):
    """Experiments and ablations [USD] = final-run cost x (factor - 1)."""
    return np.asarray(final_run_usd, dtype=float) * (np.asarray(factor, dtype=float) - 1.0)


def staff_usd(compute_usd, share):
    """R&D staff [USD] = compute cost x s / (1 - s), s the staff share of the total."""
    share = np.asarray(share, dtype=float)
    return np.asarray(compute_usd, dtype=float) * share / (1.0 - share)


def experiment_factors() -> tuple[float, float, float]:
    """The experiments factor at (low, typical, high): 1.2, sqrt(1.2 x 4) = 2.19, 4."""
    low, high = EXPERIMENT_FACTOR
    return low, geometric_mid(low, high), high


def staff_shares() -> tuple[float, float, float]:
    """The staff share at (low, typical, high): 0.29, the middle 0.39, 0.49."""
    low, high = STAFF_SHARE
    return low, (low + high) / 2, high
