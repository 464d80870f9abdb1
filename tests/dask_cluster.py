"""A real Dask cluster for the tests: one scheduler and its workers, each a separate
process on 127.0.0.1, started from this interpreter's environment.

Workers run without a nanny, one thread each: a killed worker stays dead and the
scheduler reruns its tasks on the others, as it would for a machine lost mid-build.
Every process gets its own process group (so a task's children die with it) and dies
with the test process (PDEATHSIG). Logs go to files beside the scheduler file; a
cluster that does not come up raises :class:`RuntimeError` showing them.

Use the fixtures ``dask_cluster`` (one per test module, for builds) and
``fresh_dask_cluster`` (one per test, for tests that kill or add workers); a test
module gets them by importing ``dask_cluster_fixture`` / ``fresh_dask_cluster_fixture``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from distributed import Client

from presse.cluster import KEPT_MESSAGES_ENV
from presse.parallel import die_with_parent

REPO = Path(__file__).parent.parent
START_TIMEOUT = 60.0  # seconds for processes to come up: generous for a loaded 2-core CI
STOP_TIMEOUT = 15.0  # seconds for a graceful exit before SIGKILL
CONNECT_TIMEOUT = 10.0  # seconds for the harness's own client to reach the scheduler
POLL = 0.05  # seconds between two looks at the scheduler or a file
LOG_TAIL = 4000  # characters of each log shown when something fails


@dataclass
class DaskCluster:
    """A running cluster. ``workers[i]`` is the process of the worker named ``worker-i``;
    a killed worker stays in the list (names are never reused)."""

    address: str  # "tcp://127.0.0.1:PORT"
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]
    folder: Path  # scheduler file, logs, workers' local directories
    env: dict[str, str]
    stopped: bool = field(default=False, init=False)

    @property
    def scheduler_file(self) -> Path:
        return self.folder / "scheduler.json"

    def processes(self) -> list[subprocess.Popen[bytes]]:
        return [self.scheduler, *self.workers]

    def client(self) -> Client:
        """A client of the cluster, for a ``with`` block."""
        return Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)

    def worker_addresses(self) -> dict[str, str]:
        """The scheduler's live workers: name → address ("tcp://127.0.0.1:PORT")."""
        with self.client() as client:
            return _workers(client)

    def worker_address(self, index: int) -> str:
        """The address of the live worker ``worker-<index>``."""
        return self.worker_addresses()[f"worker-{index}"]

    def kill_worker(self, index: int = 0, wait: bool = True) -> None:
        """SIGKILL worker ``index`` and its process group: no goodbye to the scheduler,
        no nanny to restart it. With ``wait``, return once the scheduler has dropped it
        (the closed connection tells it at once; its running tasks are rescheduled)."""
        process = self.workers[index]
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)
        if wait:
            name = f"worker-{index}"
            self._wait_until(lambda names: name not in names, f"the scheduler still has {name}")

    def add_worker(self) -> None:
        """Start one more worker (``worker-<len(workers)>``) and wait until the scheduler
        has it."""
        name = f"worker-{len(self.workers)}"
        self.workers.append(_start_worker(self.folder, name, self.env))
        self._wait_until(lambda names: name in names, f"{name} did not join")

    def wait_for_workers(self, n: int, timeout: float = START_TIMEOUT) -> None:
        """Wait until the scheduler has exactly ``n`` workers."""
        self._wait_until(lambda names: len(names) == n, f"expected {n} workers", timeout)

    def stop(self) -> None:
        """SIGTERM the workers, then the scheduler (a worker closing while its scheduler
        closes can hang), wait, SIGKILL what is left and what their process groups hold.
        Safe to call twice."""
        if self.stopped:
            return
        self.stopped = True
        running = [process for process in self.processes() if process.poll() is None]
        deadline = time.monotonic() + STOP_TIMEOUT
        for group in (self.workers, [self.scheduler]):
            for process in group:
                if process in running:
                    _signal_group(process, signal.SIGTERM)
            for process in group:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=max(0.0, deadline - time.monotonic()))
        for process in running:
            _signal_group(process, signal.SIGKILL)  # stragglers, and tasks' children
            process.wait()

    def leftovers(self, timeout: float = 5.0) -> list[int]:
        """Processes still alive in the cluster's process groups (zombies do not count:
        they are dead, waiting for a reaper), after waiting up to ``timeout`` for them."""
        groups = {process.pid for process in self.processes()}
        deadline = time.monotonic() + timeout
        while (alive := _live_members(groups)) and time.monotonic() < deadline:
            time.sleep(POLL)
        return alive

    def report(self, problem: str) -> str:
        """``problem``, then each process's state and the end of its log."""
        parts = [problem]
        named = [("scheduler", self.scheduler), *_named_workers(self.workers)]
        for name, process in named:
            log = self.folder / f"{name}.log"
            text = log.read_text(errors="replace")[-LOG_TAIL:] if log.exists() else ""
            parts.append(f"--- {name} (pid {process.pid}, exit {process.returncode}):\n{text}")
        return "\n".join(parts)

    def _wait_until(
        self,
        done: Callable[[dict[str, str]], bool],
        problem: str,
        timeout: float = START_TIMEOUT,
    ) -> None:
        """Poll the scheduler's workers (name → address) until ``done`` holds."""
        deadline = time.monotonic() + timeout
        try:
            with self.client() as client:
                while not done(names := _workers(client)):
                    if self.scheduler.poll() is not None:
                        raise RuntimeError(self.report(f"{problem}: the scheduler exited"))
                    if time.monotonic() > deadline:
                        raise RuntimeError(self.report(f"{problem} after {timeout} s: {names}"))
                    time.sleep(POLL)
        except OSError as error:  # the scheduler cannot be reached
            raise RuntimeError(self.report(f"{problem}: {error}")) from error


def start_cluster(tmp: Path, workers: int = 2, env: dict[str, str] | None = None) -> DaskCluster:
    """Start a scheduler and ``workers`` workers on 127.0.0.1 (files in ``tmp``) and wait
    until the scheduler has them all, set up as the README asks (keeping none of their
    streams' messages). ``env`` is added to the processes' environment (``DASK_…``
    variables configure Dask). Nothing is left running if it fails."""
    tmp.mkdir(parents=True, exist_ok=True)
    scheduler_file = tmp / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)  # a stale file would point at a dead scheduler
    python_path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    full_env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": python_path,  # the tests' own functions can run on the workers
        KEPT_MESSAGES_ENV: "0",
        **(env or {}),
    }
    scheduler = _spawn(
        tmp,
        "scheduler",
        [
            *_dask("scheduler"),
            "--host", "127.0.0.1",
            "--port", "0",
            "--dashboard-address", "127.0.0.1:0",  # its HTTP server still starts
            "--no-dashboard",
            "--scheduler-file", str(scheduler_file),
        ],
        full_env,
    )  # fmt: skip
    cluster = DaskCluster("", scheduler, [], tmp, full_env)
    try:
        # Workers read the scheduler file as soon as it appears: start them now.
        cluster.workers = [_start_worker(tmp, f"worker-{i}", full_env) for i in range(workers)]
        cluster.address = _read_address(cluster)
        cluster.wait_for_workers(workers)
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="module", name="dask_cluster")
def dask_cluster_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    """A cluster of two workers shared by a test module's builds. Do not kill its workers."""
    yield from _running(tmp_path_factory.mktemp("dask"))


@pytest.fixture(name="fresh_dask_cluster")
def fresh_dask_cluster_fixture(tmp_path: Path) -> Iterator[DaskCluster]:
    """A cluster of two workers of the test's own, to kill and add workers."""
    yield from _running(tmp_path / "dask")


def _running(folder: Path) -> Iterator[DaskCluster]:
    cluster = start_cluster(folder)
    try:
        yield cluster
    finally:
        cluster.stop()
    left = cluster.leftovers()
    assert left == [], cluster.report(f"processes left behind: {left}")


def _dask(command: str) -> list[str]:
    """The ``dask <command>`` of this interpreter's environment (CI has its own venv)."""
    return [sys.executable, "-m", f"distributed.cli.dask_{command}"]


def _start_worker(folder: Path, name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return _spawn(
        folder,
        name,
        [
            *_dask("worker"),
            "--scheduler-file", str(folder / "scheduler.json"),
            "--name", name,
            "--host", "127.0.0.1",
            "--nthreads", "1",
            "--no-nanny",  # a killed worker stays dead; its tasks go elsewhere
            "--dashboard-address", "127.0.0.1:0",
            "--no-dashboard",
            "--memory-limit", "0",  # no spilling or pausing on a busy machine
            "--death-timeout", str(int(START_TIMEOUT)),  # no scheduler: give up
            "--local-directory", str(folder / name),
        ],
        env,
    )  # fmt: skip


def _spawn(
    folder: Path, name: str, args: list[str], env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """Start one process, in its own process group, logging to ``<name>.log``."""
    with (folder / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,  # a file, not a pipe: a full pipe would block the process
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=env,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # SIGKILL if the test process dies
        )
    return process


def _named_workers(
    workers: list[subprocess.Popen[bytes]],
) -> list[tuple[str, subprocess.Popen[bytes]]]:
    return [(f"worker-{i}", process) for i, process in enumerate(workers)]


def _read_address(cluster: DaskCluster) -> str:
    """The scheduler's address from its file (it may be read while being written)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        with contextlib.suppress(FileNotFoundError, ValueError):
            address = json.loads(cluster.scheduler_file.read_text())["address"]
            if isinstance(address, str):
                return address
        if cluster.scheduler.poll() is not None:
            raise RuntimeError(cluster.report("the Dask scheduler exited before it started"))
        if time.monotonic() > deadline:
            raise RuntimeError(cluster.report(f"no scheduler file after {START_TIMEOUT} s"))
        time.sleep(POLL)


def _workers(client: Client) -> dict[str, str]:
    info = client.scheduler_info(n_workers=-1)["workers"]
    return {str(worker["name"]): address for address, worker in info.items()}


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the process group ``process`` leads (the process and any children)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _live_members(groups: set[int]) -> list[int]:
    """Processes alive (not zombies) in the process groups ``groups``."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():  # no /proc: ask the kernel for each group
        return sorted(g for g in groups if _group_exists(g))
    alive = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) in groups and state not in ("Z", "X"):
            alive.append(int(entry.name))
    return sorted(alive)


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, whoever it belongs to now
        pass
    return True
