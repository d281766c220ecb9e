"""Distributions, Monte Carlo and sweeps (estimator/distributions.py, simulate.py, sweep.py)."""

import numpy as np
import pandas as pd
import pytest

import estimator
from estimator.errors import InputError
from estimator.inputs.distributions import Distribution, lognormal_params, parse_distribution
from estimator.scenarios import load_scenario
from estimator.scenarios.montecarlo import simulate_scenario


@pytest.mark.parametrize("text, kind, params", [
    ("2", "point", (2.0,)),
    ("1.5:4", "uniform", (1.5, 4.0)),
    ("uniform(1.5, 4)", "uniform", (1.5, 4.0)),
    ("triangular(1.5, 2, 4)", "triangular", (1.5, 2.0, 4.0)),
    ("lognormal(1.5, 4) USD/h", "lognormal", (1.5, 4.0)),
    ("lognormal(2, 2)", "point", (2.0,)),
])
def test_parse_distribution(text, kind, params):
    d = parse_distribution(text, "price", "price")
    assert (d.kind, d.params) == (kind, params)


@pytest.mark.parametrize("text", ["lognormal(4, 1.5)", "triangular(1, 5, 2)", "uniform(1)",
                                  "lognormal(-1, 2)", "uniform(1 h, 2 h)"])
def test_bad_distributions(text):
    with pytest.raises(InputError):
        parse_distribution(text, "price", "price")


def test_lognormal_90_percent_interval():
    # Epoch AI fits lognormals to 90% intervals: P5 and P95 are the two given values.
    d = Distribution("lognormal", (1.5, 6.0))
    draws = d.sample(400_000, np.random.default_rng(0))
    p5, p95 = np.percentile(draws, [5, 95])
    assert p5 == pytest.approx(1.5, rel=0.01) and p95 == pytest.approx(6.0, rel=0.01)
    mu, sigma = lognormal_params(1.5, 6.0)
    assert np.exp(mu) == pytest.approx(3.0)


def test_simulate_summary_and_drivers():
    sim = estimator.simulate(gpu="H800", count=512, hours="70:90", price="1.5:3", n=50_000,
                             seed=1)
    cost = sim.summary.set_index("output").loc["cost_usd"]
    assert cost["p5"] < cost["p50"] < cost["p95"]
    assert 512 * 70 * 1.5 <= cost["p5"] and cost["p95"] <= 512 * 90 * 3
    assert list(sim.drivers["input"])[0] == "price"          # price spans 2x, hours 1.3x
    assert set(sim.drivers["input"]) == {"price", "hours"}


def test_point_inputs_give_zero_width():
    sim = estimator.simulate(gpu="H800", count=512, hours=80, price=2, n=1000, seed=0)
    cost = sim.summary.set_index("output").loc["cost_usd"]
    assert cost["p5"] == cost["p95"] == 81_920
    assert sim.drivers.empty


def test_scenario_percentiles_and_probability():
    frame = simulate_scenario(load_scenario("deepseek-r1-headline-512xh800-80h"), 100_000,
                              seed=2)
    row = frame.iloc[0]
    assert row["p5"] < row["p50"] < row["p95"]
    # $294K for 40,960 GPU-hours needs ~$7.2/GPU-h: rare under H800 market prices
    assert row["probability_claim_holds"] < 0.1
    frame = simulate_scenario(load_scenario("gpt4-over-100-million"), 100_000, seed=2)
    assert frame.iloc[0]["probability_claim_holds"] > 0.5


def test_sweep_matches_estimate_row_for_row():
    kwargs = dict(gpu=["H800", "H100"], count=[512, 2048], hours=[80, 198])
    sweep = estimator.sweep(**kwargs)
    est = estimator.estimate(**kwargs)
    assert len(sweep) == 8
    for col in ("count", "hours", "gpu_hours", "cost_usd_low", "cost_usd_typical",
                "cost_usd_high", "energy_kwh"):
        np.testing.assert_allclose(sweep[col], est[col])
    assert list(sweep["gpu"].astype(str)) == list(est["gpu"])


def test_sweep_chunks_equal_the_whole():
    from estimator.calc.sweep import chunk_frame, chunks, sweep_grid

    p = sweep_grid(gpu=["H800", "A100"], count=np.arange(1, 8), hours=np.arange(1, 6),
                   price=[1, 2])
    whole = chunk_frame(p, 0, p.rows)
    parts = pd.concat([chunk_frame(p, a, b) for a, b in chunks(p, 9)], ignore_index=True)
    pd.testing.assert_frame_equal(parts, whole)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_sweep_to_file_streams_in_chunks(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    from estimator.calc.sweep import sweep_to_file

    out = tmp_path / f"s{suffix}"
    kwargs = dict(gpu=["H800", "H100"], count=np.arange(1, 51), hours=np.arange(1, 41))
    rows = sweep_to_file(out, chunk_rows=1000, progress=False, **kwargs)
    assert rows == 4000
    back = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    expected = estimator.sweep(**kwargs)
    np.testing.assert_allclose(back["cost_usd_typical"], expected["cost_usd_typical"])
    with pytest.raises(InputError, match="already exists"):
        sweep_to_file(out, progress=False, **kwargs)
    assert not list(tmp_path.glob(".*.part"))


def test_dask_engine_equals_local():
    pytest.importorskip("dask.dataframe")
    import dask

    kwargs = dict(gpu=["H800", "H100"], count=[512, 1024, 2048], hours=[80, 90], price=[1, 2])
    with dask.config.set(scheduler="synchronous"):
        remote = estimator.sweep(engine="dask", chunk_rows=5, **kwargs).compute()
        local = estimator.sweep(**kwargs)
        pd.testing.assert_frame_equal(remote.reset_index(drop=True), local)
    with dask.config.set(scheduler="threads"):
        a = estimator.simulate(gpu="H100", count=512, hours="70:90", n=1_500_000, seed=5,
                               engine="dask")
    b = estimator.simulate(gpu="H100", count=512, hours="70:90", n=1_500_000, seed=5)
    pd.testing.assert_frame_equal(a.samples, b.samples)
    pd.testing.assert_frame_equal(a.summary, b.summary)


def test_cli_simulate_and_sweep(run, tmp_path):
    import json

    code, out, _ = run("simulate", "--gpu", "H800", "--count", "512", "--hours", "70:90",
                       "--samples", "20000", "--seed", "3", "--format", "json")
    assert code == 0
    first = json.loads(out)
    again = json.loads(run("simulate", "--gpu", "H800", "--count", "512", "--hours", "70:90",
                           "--samples", "20000", "--seed", "3", "--format", "json")[1])
    assert first == again
    code, out, _ = run("simulate", "--scenario", "deepseek-v3-final-run", "--samples", "5000",
                       "--seed", "1")
    assert code == 0 and "probability_claim_holds" in out
    target = tmp_path / "s.csv"
    code, _, err = run("sweep", "--gpu", "H800,H100", "--count", "256..1024..256", "--hours",
                       "24..240..24", "--out", target)
    assert code == 0 and "Wrote 80 rows" in err
    assert len(pd.read_csv(target)) == 80
    assert run("sweep", "--gpu", "H800", "--count", "1..2", "--hours", "1", "--out",
               target)[0] == 2


def test_review_fixes_for_sweeps_and_simulation():
    # gpu_hours sweeps leave count and hours unknown, as estimate() does
    frame = estimator.sweep(gpu="H800", gpu_hours=[1000, 2000], price=[2, 3])
    assert frame["count"].isna().all() and frame["hours"].isna().all()
    assert list(frame["gpu_hours"]) == [1000, 1000, 2000, 2000]       # price varies fastest
    est = estimator.estimate(gpu="H800", gpu_hours=[1000, 2000], price=[2, 3])
    np.testing.assert_allclose(frame["cost_usd_typical"], est["cost_usd_typical"])
    with pytest.raises(InputError, match="one GPU"):
        estimator.simulate(gpu="H800,A100", count=8, hours=1, n=10)
    with pytest.raises(InputError, match="whole"):
        estimator.estimate(gpu="H800", count="1.5", hours=1)
    with pytest.raises(InputError, match="count: 1.5 is not a valid value"):
        estimator.estimate(gpu="H800", count=np.array([1.5]), hours=1, price=2)


def test_prices_in_other_currencies_use_the_fx_date():
    from estimator.calc.solve import solve

    a = estimator.estimate(gpu="H800", gpu_hours=1000, price="14 CNY/h", fx_date="2025-01-31")
    b = solve(gpu="H800", gpu_hours=1000, price="14 CNY/h", fx_date="2025-01-31")
    c = estimator.sweep(gpu="H800", gpu_hours=[1000], price="14 CNY/h", fx_date="2025-01-31")
    assert a["cost_usd_typical"].iloc[0] == pytest.approx(14 / (7.5363 / 1.0393) * 1000)
    assert b["cost_usd"].iloc[0] == pytest.approx(a["cost_usd_typical"].iloc[0])
    assert c["cost_usd_typical"].iloc[0] == pytest.approx(a["cost_usd_typical"].iloc[0])
    with pytest.raises(InputError, match="mixes"):
        estimator.estimate(gpu="H800", gpu_hours=1000, price="2 USD/h:10 CNY/h")
    row = estimator.own(gpu="H100", count=10, purchase_price="200000 CNY",
                        as_of="2025-02-03").iloc[0]
    # 7.251 CNY per USD (ECB cross rate of 2025-02-03)
    assert row["purchase_usd_per_gpu_typical"] == pytest.approx(200_000 / 7.251, rel=1e-4)
