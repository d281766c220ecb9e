"""Running sweeps and simulations on Dask (the optional `estimator[dask]` extra).

The same chunk function builds each partition as on the local engine, so a Dask cluster
scales a sweep out unchanged and the results are equal, row for row. Monte Carlo draws are
made in blocks, each from its own child of ``np.random.SeedSequence(seed)``, on both
engines, so the same seed gives the same samples wherever they are drawn.
"""

from __future__ import annotations

import numpy as np

from estimator.errors import InputError

SAMPLE_BLOCK = 1_000_000
"""Draws per block; block i uses child i of SeedSequence(seed)."""


def _dask():
    try:  # lazy: Dask is an optional extra and slow to import
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise InputError("engine 'dask' needs Dask", key="engine",
                         hint="pip install 'training-cost-estimator[dask]'.") from None
    return dask, dd


def dask_frame(build, ranges: list, meta):
    """A lazy dask.dataframe with one partition per (start, stop) in ``ranges``, each made by
    ``build(start, stop)``; ``meta`` is an empty frame with the partitions' columns."""
    _, dd = _dask()
    return dd.from_map(lambda r: build(r[0], r[1]), ranges, meta=meta, enforce_metadata=False)


def check_seed(seed):
    """A seed is None or a non-negative integer (numpy's SeedSequence takes any size)."""
    if seed is None:
        return None
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}", key="seed",
                         hint="Use e.g. --seed 1.")
    return int(seed)


def blocks(n: int, seed) -> list[tuple[int, np.random.SeedSequence]]:
    """(size, seed sequence) of each block of draws."""
    count = max(1, -(-n // SAMPLE_BLOCK))
    children = np.random.SeedSequence(seed).spawn(count)
    sizes = [SAMPLE_BLOCK] * (count - 1) + [n - SAMPLE_BLOCK * (count - 1)]
    return list(zip(sizes, children))


def draw_block(dists: dict, size: int, seq) -> dict:
    rng = np.random.default_rng(seq)
    return {name: d.sample(size, rng) for name, d in dists.items()}


def local_samples(dists: dict, n: int, seed) -> dict:
    parts = [draw_block(dists, size, seq) for size, seq in blocks(n, seed)]
    return {name: np.concatenate([p[name] for p in parts]) for name in dists}


def dask_samples(dists: dict, n: int, seed) -> dict:
    """The same draws as local_samples, computed as a Dask graph of blocks."""
    dask, _ = _dask()
    tasks = [dask.delayed(draw_block)(dists, size, seq) for size, seq in blocks(n, seed)]
    parts = dask.compute(*tasks)
    return {name: np.concatenate([p[name] for p in parts]) for name in dists}
