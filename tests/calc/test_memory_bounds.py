"""The documented maxima run within a stated memory bound, and beyond them the tool exits 2
(issue 21, item 3). Each case runs `estimator` in a subprocess whose address space is capped
with setrlimit(RLIMIT_AS), so a regression is a MemoryError or a kill, never a swapping
machine. The bounds are README's ("Limits"): measured peak RSS ~1.1-1.2 GB at each maximum;
the cap leaves room for the libraries' address-space reservations."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

ADDRESS_SPACE_CAP = 4 * 1024**3
"""RLIMIT_AS for the cases that must succeed [bytes]."""

SMALL_CAP = 2 * 1024**3
"""RLIMIT_AS for the cases that must be refused quickly, before any large allocation [bytes]."""


def run(args: list, cap: int) -> subprocess.CompletedProcess:
    def limit():                                   # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    command = args if args[0] == "-c" else ["-m", "estimator", *args]
    return subprocess.run([sys.executable, *command], capture_output=True,
                          text=True, timeout=900, preexec_fn=limit,
                          env={"PATH": "/usr/bin:/bin", "ESTIMATOR_NO_CACHE": "1",
                               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})


@pytest.mark.parametrize("args", [
    ["sweep", "--gpu", "H100", "--count", "1..1e7..1", "--hours", "1..1e7..1"],
    ["plan", "--params", "70B", "--tokens", "2T", "--count", "1..1000000..1"],
    ["simulate", "--gpu", "H800", "--count", "512", "--hours", "70:90", "--samples",
     "100000000"],
    # 1e7 draws is the maximum for all tier x class simulations together, not for each
    ["simulate", "--gpu", "H100", "--count", "512", "--hours", "70:90", "--samples",
     "10000000", "--tier", "on_demand,commit_1y", "--provider-class", "neocloud,hyperscaler"],
], ids=["sweep-1e14-rows", "plan-1e6-counts", "simulate-1e8-samples",
        "simulate-1e7-samples-x4-tiers-classes"])
def test_beyond_the_maximum_is_exit_2_within_a_small_cap(args):
    result = run([*args, *(["--as-of", "2026-11-29"] if args[0] != "plan" else [])],
                 SMALL_CAP)
    assert result.returncode == 2, result.stderr[-500:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr[-500:]


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["-c", "import estimator; f = estimator.sweep(gpu='H100', count='1..1000', "
     "hours='1..10000', as_of='2026-11-29'); assert len(f) == 10**7"],
    ["plan", "--params", "70B", "--tokens", "2T", "--count", "1..10000"],
    ["simulate", "--gpu", "H800", "--count", "512", "--hours", "70:90", "--samples",
     "10000000", "--seed", "1", "--as-of", "2026-11-29"],
], ids=["sweep-1e7-rows", "plan-1e4-counts", "simulate-1e7-samples"])
def test_each_maximum_runs_within_the_cap(args):
    result = run(args, ADDRESS_SPACE_CAP)
    assert result.returncode == 0, result.stderr[-800:]
