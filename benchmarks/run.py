"""Performance harness: each figure is a ratio against a baseline measured beside it.

    python benchmarks/run.py            # all five; about two minutes on a 2-core machine
    python benchmarks/run.py --quick    # smaller sizes, for a smoke test

a. 10M-row sweep (3 GPUs x 3,334 counts x 1,000 hours) vs hand-written numpy broadcasting that
   builds the same columns into a DataFrame (target <= 1.5x);
b. the same sweep vs a per-row Python loop, timed on 100k rows and scaled (target >= 100x);
c. Monte Carlo, 1M samples of the R1 three-stage scenario (target <= 1 s);
d. peak RSS of a streamed 1e8-row sweep written to Parquet (target <= 1 GiB), beside the RSS
   of a process that only imports the same libraries;
e. `estimator cost` what-if wall time vs `python -c "import numpy, pint, yaml, click, pandas"`
   (target <= 1.2x).

Each timing is the median of several repetitions, baseline and candidate interleaved, in one
process (d and e use fresh child processes, as a user would). Benchmarks are not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import estimator
from estimator.scenarios import load_scenario
from estimator.scenarios.montecarlo import simulate_scenario

GPUS = ["H800", "H100", "A100"]


def timed(func, repeat: int) -> float:
    """Median wall time of ``func()`` over ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_baseline(counts: np.ndarray, hours: np.ndarray) -> pd.DataFrame:
    """The same columns as estimator.sweep, written by hand with numpy broadcasting."""
    profiles = [estimator.get_profile(g) for g in GPUS]
    bands = np.array([[b.low, b.typical, b.high] for b in (p.band() for p in profiles)])
    tdp = np.array([p.tdp_w for p in profiles])
    n_g, n_c, n_h = len(GPUS), len(counts), len(hours)
    per_gpu = n_c * n_h
    codes = np.repeat(np.arange(n_g, dtype=np.int8), per_gpu)
    count = np.tile(np.repeat(counts, n_h), n_g)
    hrs = np.tile(hours, n_g * n_c)
    gh = count * hrs
    data = {"gpu": pd.Categorical.from_codes(codes, [p.id for p in profiles], validate=False),
            "count": count, "hours": hrs, "gpu_hours": gh}
    prices = [np.repeat(bands[:, i], per_gpu) for i in range(3)]
    for price, name in zip(prices, ("low", "typical", "high")):
        data[f"price_usd_per_gpu_hour_{name}"] = price
    for price, name in zip(prices, ("low", "typical", "high")):
        data[f"cost_usd_{name}"] = gh * price
    data["energy_kwh"] = gh * np.repeat(tdp * (0.75 * 1.25 / 1000), per_gpu)
    return pd.DataFrame(data, copy=False)


def core_loop(rows: list[tuple]) -> list[dict]:
    """The package's own core functions applied one row at a time (a non-vectorised tool)."""
    from estimator import energy, rental

    profiles = {g: estimator.get_profile(g) for g in GPUS}
    bands = {g: p.band() for g, p in profiles.items()}
    out = []
    for gpu, count, hours in rows:
        band, tdp = bands[gpu], profiles[gpu].tdp_w
        gh = rental.gpu_hours(count, hours)
        out.append({"gpu": profiles[gpu].id, "count": count, "hours": hours, "gpu_hours": gh,
                    "price_usd_per_gpu_hour_low": band.low,
                    "price_usd_per_gpu_hour_typical": band.typical,
                    "price_usd_per_gpu_hour_high": band.high,
                    "cost_usd_low": rental.rental_cost_usd(gh, band.low),
                    "cost_usd_typical": rental.rental_cost_usd(gh, band.typical),
                    "cost_usd_high": rental.rental_cost_usd(gh, band.high),
                    "energy_kwh": energy.energy_kwh(gh, tdp)})
    return out


def python_loop(rows: list[tuple]) -> list[dict]:
    """The tightest per-row pure-Python arithmetic (no function calls): a lower bound."""
    profiles = {g: estimator.get_profile(g) for g in GPUS}
    bands = {g: p.band() for g, p in profiles.items()}
    out = []
    for gpu, count, hours in rows:
        band, gh = bands[gpu], count * hours
        out.append({"gpu": profiles[gpu].id, "count": count, "hours": hours, "gpu_hours": gh,
                    "price_usd_per_gpu_hour_low": band.low,
                    "price_usd_per_gpu_hour_typical": band.typical,
                    "price_usd_per_gpu_hour_high": band.high, "cost_usd_low": gh * band.low,
                    "cost_usd_typical": gh * band.typical, "cost_usd_high": gh * band.high,
                    "energy_kwh": gh * profiles[gpu].tdp_w * 0.75 * 1.25 / 1000})
    return out


def bench_sweep(n_counts: int, n_hours: int, repeat: int) -> dict:
    counts = np.arange(1, n_counts + 1, dtype=float)
    hours = np.arange(1, n_hours + 1, dtype=float)
    ours = estimator.sweep(gpu=GPUS, count=counts, hours=hours)
    pd.testing.assert_frame_equal(ours, numpy_baseline(counts, hours))   # same columns, same rows
    t_ours, t_base = [], []
    for _ in range(repeat):
        t_base.append(timed(lambda: numpy_baseline(counts, hours), 1))
        t_ours.append(timed(lambda: estimator.sweep(gpu=GPUS, count=counts, hours=hours), 1))
    rows = len(ours)
    sample = [(GPUS[i % 3], float(c), float(h)) for i, (c, h) in
              enumerate(zip(np.resize(counts, 100_000), np.resize(hours, 100_000)))]
    t_loop = timed(lambda: pd.DataFrame(core_loop(sample)), 1) * rows / len(sample)
    t_bare = timed(lambda: pd.DataFrame(python_loop(sample)), 1) * rows / len(sample)
    return {"rows": rows, "sweep_s": statistics.median(t_ours),
            "numpy_s": statistics.median(t_base), "python_loop_s_scaled": t_loop,
            "bare_python_loop_s_scaled": t_bare}


def bench_monte_carlo(samples: int, repeat: int) -> dict:
    scenario = load_scenario("deepseek-r1-total-nature-2025")
    simulate_scenario(scenario, 1000, seed=0)                 # warm caches, as a session would
    seconds = timed(lambda: simulate_scenario(scenario, samples, seed=1), repeat)
    return {"samples": samples, "seconds": seconds, "samples_per_s": samples / seconds}


# Peak RSS is read from /proc/self/status (VmHWM, this process's own high-water mark):
# ru_maxrss of a child can carry its parent's pre-exec peak.
PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
CHILD_SWEEP = """
import sys, numpy as np
from estimator.sweeping import sweep_to_file
rows = sweep_to_file(sys.argv[1], gpu=["H800", "H100", "A100"], count=np.arange(1, {counts} + 1),
                     hours=np.arange(1, {hours} + 1), progress=False, chunk_rows=1_000_000)
print(rows, %s)
""" % PEAK
CHILD_IMPORTS = """
import numpy, pandas, pyarrow.parquet, estimator.sweeping
print(0, %s)
""" % PEAK


def bench_stream(n_counts: int, n_hours: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "sweep.parquet")
        start = time.perf_counter()
        rows, rss_kib = _child(CHILD_SWEEP.format(counts=n_counts, hours=n_hours), out)
        seconds = time.perf_counter() - start
        size = os.path.getsize(out)
    _, base_kib = _child(CHILD_IMPORTS)
    return {"rows": rows, "peak_rss_gib": rss_kib / 2**20, "imports_rss_gib": base_kib / 2**20,
            "seconds": seconds, "file_gib": size / 2**30}


def _child(code: str, *args) -> tuple[int, int]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            check=True)
    rows, rss = result.stdout.split()
    return int(rows), int(rss)


def bench_cli(repeat: int) -> dict:
    env = dict(os.environ)
    cli = [sys.executable, "-m", "estimator", "cost", "--gpu", "H800", "--count", "512",
           "--hours", "80", "--price", "2"]
    imports = [sys.executable, "-c", "import numpy, pint, yaml, click, pandas"]
    subprocess.run(cli, capture_output=True, check=True, env=env)       # fill the profile cache
    t_cli, t_imp = [], []
    for _ in range(repeat):
        t_imp.append(timed(lambda: subprocess.run(imports, capture_output=True, check=True), 1))
        t_cli.append(timed(lambda: subprocess.run(cli, capture_output=True, check=True,
                                                  env=env), 1))
    return {"cli_s": statistics.median(t_cli), "imports_s": statistics.median(t_imp)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    q = args.quick
    results = {}

    a = bench_sweep(334 if q else 3334, 100 if q else 1000, 3 if q else 5)
    results["a_sweep_vs_numpy"] = a
    print(f"a. sweep of {a['rows']:,} rows: {a['sweep_s']:.3f} s vs hand-written numpy "
          f"{a['numpy_s']:.3f} s -> {a['sweep_s'] / a['numpy_s']:.2f}x (target <= 1.5x)")
    print(f"b. vs a per-row Python loop over the same core functions "
          f"({a['python_loop_s_scaled']:.1f} s scaled from 100k rows) -> "
          f"{a['python_loop_s_scaled'] / a['sweep_s']:.0f}x faster (target >= 100x); vs the "
          f"tightest inline-arithmetic loop ({a['bare_python_loop_s_scaled']:.1f} s) -> "
          f"{a['bare_python_loop_s_scaled'] / a['sweep_s']:.0f}x")

    c = bench_monte_carlo(100_000 if q else 1_000_000, 3 if q else 5)
    results["c_monte_carlo"] = c
    print(f"c. Monte Carlo, {c['samples']:,} samples of the R1 three-stage scenario: "
          f"{c['seconds']:.3f} s, {c['samples_per_s']:,.0f} samples/s (target <= 1 s)")

    d = bench_stream(334 if q else 33_334, 100 if q else 1000)
    results["d_streamed_sweep"] = d
    print(f"d. streamed sweep of {d['rows']:,} rows to Parquet: peak RSS {d['peak_rss_gib']:.2f}"
          f" GiB (imports alone {d['imports_rss_gib']:.2f} GiB; "
          f"{d['peak_rss_gib'] / d['imports_rss_gib']:.1f}x) in {d['seconds']:.0f} s, file "
          f"{d['file_gib']:.2f} GiB (target <= 1 GiB)")

    e = bench_cli(3 if q else 7)
    results["e_cli_what_if"] = e
    print(f"e. `estimator cost` what-if: {e['cli_s']:.3f} s vs importing numpy, pint, yaml, "
          f"click, pandas {e['imports_s']:.3f} s -> {e['cli_s'] / e['imports_s']:.2f}x "
          "(target <= 1.2x)")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
