"""The Dask test cluster itself: real scheduler and worker processes, killed and added,
leaving nothing behind."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from distributed import get_worker
from distributed.scheduler import KilledWorker

from tests.dask_cluster import DaskCluster, start_cluster


def slow_on(marker: Path, slow_worker: str, seconds: float) -> str:
    """A task: say where it started (a file in ``marker``), sleep ``seconds`` if it runs on
    ``slow_worker``, and return the name of the worker that ran it to the end."""
    name = str(get_worker().name)
    (marker / f"started-{name}").touch()
    if name == slow_worker:
        time.sleep(seconds)
    return name


def wait_for_file(path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_two_workers_run_a_task_and_stop_leaves_nothing(tmp_path: Path) -> None:
    cluster = start_cluster(tmp_path / "dask")
    try:
        assert cluster.address.startswith("tcp://127.0.0.1:")
        addresses = cluster.worker_addresses()
        assert sorted(addresses) == ["worker-0", "worker-1"]
        assert all(a.startswith("tcp://127.0.0.1:") for a in addresses.values())
        with cluster.client() as client:
            assert client.submit(sum, [1, 2]).result(timeout=60) == 3
    finally:
        cluster.stop()
    assert cluster.leftovers() == []
    assert all(p.returncode is not None for p in cluster.processes())
    cluster.stop()  # twice is harmless


def test_a_killed_workers_task_reruns_on_the_other(
    fresh_dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    cluster = fresh_dask_cluster
    with cluster.client() as client:
        future = client.submit(
            slow_on,
            tmp_path,
            "worker-0",
            600,  # never ends there: only the rerun can answer
            pure=False,
            workers=[cluster.worker_address(0)],
            allow_other_workers=True,
        )
        wait_for_file(tmp_path / "started-worker-0")
        cluster.kill_worker(0)
        assert future.result(timeout=60) == "worker-1"
    assert cluster.workers[0].returncode == -9
    assert sorted(cluster.worker_addresses()) == ["worker-1"]


def test_add_worker_brings_the_count_back(fresh_dask_cluster: DaskCluster, tmp_path: Path) -> None:
    cluster = fresh_dask_cluster
    cluster.kill_worker(1)
    cluster.wait_for_workers(1)
    cluster.add_worker()
    cluster.wait_for_workers(2)
    assert sorted(cluster.worker_addresses()) == ["worker-0", "worker-2"]
    with cluster.client() as client:
        future = client.submit(
            slow_on, tmp_path, "", 0, pure=False, workers=[cluster.worker_address(2)]
        )
        assert future.result(timeout=60) == "worker-2"


def test_a_tasks_exception_reaches_the_executor_as_itself(dask_cluster: DaskCluster) -> None:
    with dask_cluster.client() as client:
        executor = client.get_executor()
        with pytest.raises(ValueError, match="invalid literal for int"):
            executor.submit(int, "x").result(timeout=60)
        assert executor.submit(sum, [1, 2]).result(timeout=60) == 3


def test_a_task_whose_workers_all_died_fails_with_killed_worker(tmp_path: Path) -> None:
    """Dask reruns a lost worker's task ``allowed-failures`` times (3 by default), then
    gives up: with 0, the first lost worker fails the task."""
    env = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    cluster = start_cluster(tmp_path / "dask", env=env)
    try:
        with cluster.client() as client:
            executor = client.get_executor(pure=False, workers=[cluster.worker_address(0)])
            future = executor.submit(slow_on, tmp_path, "worker-0", 600)
            wait_for_file(tmp_path / "started-worker-0")
            cluster.kill_worker(0)
            with pytest.raises(KilledWorker, match="all those workers died"):
                future.result(timeout=60)
    finally:
        cluster.stop()
    assert cluster.leftovers() == []


def test_a_cluster_that_cannot_start_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken" / "distributed"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('distributed broken on purpose')\n")
    with pytest.raises(RuntimeError, match="broken on purpose") as caught:
        start_cluster(tmp_path / "dask", env={"PYTHONPATH": str(broken.parent)})
    report = str(caught.value)
    assert "--- scheduler (pid" in report
    for pid in re.findall(r"\(pid (\d+),", report):
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
