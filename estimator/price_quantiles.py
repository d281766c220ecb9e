"""Low / typical / high of a price band from one price per provider (pure numpy).

The rule's parameters (quantile, minimum width, age weights) are chosen by the time-forward
backtest ``benchmarks/price_backtest.py`` and live in :mod:`estimator.bands`. This module sits
beside bands.py, below the data layer that builds bands (tests/test_layers.py), not in models/.

Notes
-----
Weighted quantile with the Hazen plotting position: the i-th smallest of n values with
weights w sits at p_i = (W_i - w_i / 2) / W, W_i the cumulative weight; a quantile is the
linear interpolation of the values at q between those positions, clamped to the smallest
and largest value. With equal weights this is Hyndman & Fan (1996) definition 5, and its
median is the ordinary median (R. J. Hyndman, Y. Fan, "Sample quantiles in statistical
packages", The American Statistician 50(4), 361-365, 1996, doi:10.2307/2684934).
"""

from __future__ import annotations

import numpy as np


def age_weights(age_days, half_life_days: float | None) -> np.ndarray:
    """Weight of a price ``age_days`` [days] old: 0.5 ** (age / half-life); all 1 without a
    half-life (exponential decay, a price loses half its weight every ``half_life_days``)."""
    age = np.asarray(age_days, dtype=float)
    if half_life_days is None:
        return np.ones_like(age)
    return 0.5 ** (np.maximum(age, 0.0) / float(half_life_days))


def weighted_quantile(values, weights, q) -> np.ndarray:
    """The ``q`` quantile(s) of ``values`` with ``weights`` (Hazen positions; module Notes).

    Parameters
    ----------
    values : array-like, shape (n,)
        At least one value.
    weights : array-like, shape (n,)
        Positive weights.
    q : float or array-like
        Quantile level(s) in [0, 1].

    Returns
    -------
    numpy.ndarray
        One value per level (a 0-d array for a scalar ``q``).
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    total = w.sum()
    positions = (np.cumsum(w) - w / 2.0) / total
    return np.interp(np.asarray(q, dtype=float), positions, v)


def band_values(prices, weights, quantile: float, min_half_width: float
                ) -> tuple[float, float, float]:
    """(low, typical, high) of provider prices [USD/GPU-h]: typical = weighted median,
    low / high = the ``quantile`` and ``1 - quantile`` weighted quantiles, widened to at
    least typical x (1 -/+ ``min_half_width``) so that one or two prices never make a point.

    ``quantile=0, min_half_width=0`` gives min / median / max."""
    low, typical, high = weighted_quantile(prices, weights, [quantile, 0.5, 1.0 - quantile])
    low = min(float(low), float(typical) * (1.0 - min_half_width))
    high = max(float(high), float(typical) * (1.0 + min_half_width))
    return low, float(typical), high
