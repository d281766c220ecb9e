"""Scale-out stays real (issue 12, item 9): a sweep and a scenario simulation run on a
distributed.LocalCluster with two worker processes give exactly the local engine's results.
Skipped when the `dask` extra (dask + distributed) is not installed."""
import os

import pandas as pd
import pytest

import estimator
from estimator.scenarios.montecarlo import simulate_scenario

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

pytestmark = pytest.mark.slow      # starts two worker processes (a few seconds)


@pytest.fixture(scope="module")
def client():
    # two worker processes: every task and its inputs (the sweep plan, the chunk function, the
    # distributions) must survive pickling to reach them
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as dask_client:
        yield dask_client


def test_sweep_on_a_cluster_equals_local(client):
    kwargs = dict(gpu=["H800", "H100"], count=[512, 1024, 2048], hours=[80, 90], price=[1, 2])
    frame = estimator.sweep(engine="dask", chunk_rows=5, **kwargs)
    remote = client.compute(frame).result()          # on the workers, not in this process
    local = estimator.sweep(**kwargs)
    assert len(local) == 24                          # 2 GPUs x 3 counts x 2 hours x 2 prices
    pd.testing.assert_frame_equal(remote.reset_index(drop=True), local)


def test_scenario_simulation_on_a_cluster_equals_local(client):
    scenario = estimator.load_scenario("deepseek-v3-final-run")
    remote = simulate_scenario(scenario, n=20_000, seed=3, engine="dask")
    local = simulate_scenario(scenario, n=20_000, seed=3)
    assert len(local) == len(scenario.claims) > 0
    pd.testing.assert_frame_equal(remote, local)


def test_the_cluster_ran_the_work(client):
    # the Client is the default scheduler, and its two workers are separate processes
    info = client.scheduler_info()
    assert len(info["workers"]) == 2
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2
