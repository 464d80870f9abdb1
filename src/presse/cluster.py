"""``presse build --dask``: the work of a build on a Dask cluster. I/O edge (network).

presse's pipeline already maps its per-article work over any
:class:`concurrent.futures.Executor`; Dask's ``distributed`` provides one
(``Client.get_executor()``) on a cluster of any size, with its scheduler, its
placement and its retries when a worker dies. presse schedules nothing of its own.

Dask is an optional extra (``pip install 'presse[dask]'``): without ``--dask`` it is not
even imported. Before any work is sent, the cluster is checked, each problem a one-line
error that leaves the previous site in place:

* the scheduler answers (an address with nothing listening is named);
* every worker runs the same presse version (work pickled by one version and run by
  another would give another site, or fail deep inside);
* every worker sees the site folder at the same path, and the folders of the cache and of
  the output (a shared filesystem: the workers read the sources, and write into the
  cache and into the staging tree beside the output folder).

Dask keeps the last messages of each stream for its developers' debugging
(``distributed.admin.low-level-log-length``, 1 000 by default), and presse's messages
carry its work: a chunk of articles' slice of the site, up to a megabyte each. Kept on
every stream, that is gigabytes on the scheduler and on this machine, growing with the
chunks, not with any need. A build keeps none in this process and in a cluster it
starts; a scheduler or workers started otherwise that keep many get a warning.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presse import __version__
from presse.errors import PresseError

LOCAL = "local"
CONNECT_TIMEOUT = "10s"
KEPT_MESSAGES = "distributed.admin.low-level-log-length"
KEPT_MESSAGES_ENV = "DASK_DISTRIBUTED__ADMIN__LOW_LEVEL_LOG_LENGTH"
FEW_KEPT_MESSAGES = 100  # at most a megabyte each: a bounded, modest cost
WORKERS_TIMEOUT = 30.0  # seconds for a cluster to show its first worker


@dataclass(frozen=True, slots=True)
class Cluster:
    """A connected, checked cluster: where to send work, and how many workers take it."""

    address: str
    executor: Executor
    workers: int  # worker threads across the cluster: how finely to cut the work
    warnings: tuple[str, ...] = ()  # what the cluster's setup will cost the build


def presse_version() -> str:
    """Run on each worker: the presse it imports."""
    return __version__


def sees_folder(path: str) -> bool:
    """Run on each worker: the site folder is there, at the same path."""
    return Path(path).is_dir()


def kept_messages() -> int | None:
    """Run on the scheduler and each worker: how many messages it keeps per stream
    (None: all)."""
    import dask

    kept = dask.config.get(KEPT_MESSAGES)
    return None if kept is None else int(kept)


@contextmanager
def connect(
    address: str,
    site_dir: Path,
    jobs: int | None = None,
    folders: Sequence[tuple[str, Path]] = (),
) -> Iterator[Cluster]:
    """A cluster at ``address`` (``tcp://host:8786``), or ``local``: one started here with
    ``jobs`` worker processes, stopped at the end. ``folders`` are others the workers
    must see besides the site folder (what each is, and where)."""
    try:
        import distributed
    except ImportError:
        raise PresseError(
            "--dask needs Dask's distributed package: pip install 'presse[dask]'"
        ) from None
    import dask

    # Set for the whole build: streams are opened as workers join, and read it then.
    with (
        dask.config.set({KEPT_MESSAGES: 0}),
        _connected(distributed, address, site_dir, jobs, folders) as cluster,
    ):
        yield cluster


@contextmanager
def _connected(
    distributed: Any,
    address: str,
    site_dir: Path,
    jobs: int | None,
    folders: Sequence[tuple[str, Path]],
) -> Iterator[Cluster]:
    """:func:`connect`'s cluster, reached (or started) and checked; closed (or stopped)
    at the end."""
    local = None
    try:
        if address == LOCAL:
            local = distributed.LocalCluster(
                n_workers=jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # No dashboard, but the scheduler serves HTTP all the same, on 8787 unless
                # told otherwise: on a free port, so a cluster already running here is no
                # matter (and no warning).
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                host="127.0.0.1",
            )
            client = distributed.Client(local)
        else:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: a malformed address
        if local is not None:
            local.close()
        raise PresseError(f"cannot reach the Dask scheduler at {address}: {_reason(exc)}") from None
    try:
        workers = _check(client, address, site_dir, folders)
        # pure=False: tasks are keyed by a counter, not by hashing each chunk of articles.
        yield Cluster(address, client.get_executor(pure=False), workers, _keeping_messages(client))
    finally:
        client.close()
        if local is not None:
            local.close()


def _check(
    client: Any, address: str, site_dir: Path, folders: Sequence[tuple[str, Path]] = ()
) -> int:
    """The cluster's worker threads, once every worker is known to fit."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        raise PresseError(
            f"the Dask scheduler at {address} has no worker (waited {WORKERS_TIMEOUT:.0f} s)"
        ) from None
    versions = client.run(presse_version)
    for worker, version in sorted(versions.items()):
        if version != __version__:
            raise PresseError(
                f"Dask worker {worker} runs presse {version}, this build presse {__version__}:"
                " every worker needs the same version"
            )
    for what, folder in (("the site folder", site_dir), *folders):
        probe = str(_existing(folder.resolve()))
        for worker, seen in sorted(client.run(sees_folder, probe).items()):
            if not seen:
                raise PresseError(
                    f'Dask worker {worker} cannot see {what} "{probe}": the workers need it'
                    " at the same path, on a filesystem they all see (the same machine, or NFS)"
                )
    info = client.scheduler_info()["workers"]
    return sum(int(w.get("nthreads", 1)) for w in info.values()) or 1


def _keeping_messages(client: Any) -> tuple[str, ...]:
    """A warning for each part of the cluster (the scheduler, its workers) that keeps many
    of its streams' messages, with the build's work in them."""
    parts = [("the Dask scheduler", client.run_on_scheduler(kept_messages))]
    keeping = {w: kept for w, kept in client.run(kept_messages).items() if _many(kept)}
    if keeping:
        parts.append((f"{len(keeping)} Dask worker(s)", max(keeping.values(), key=_size)))
    return tuple(
        f"warning: {who} {_keeps(kept)} of each stream ({KEPT_MESSAGES}), each up to a"
        f" megabyte of this build's work: start it with {KEPT_MESSAGES_ENV}=0"
        for who, kept in parts
        if _many(kept)
    )


def _keeps(kept: int | None) -> str:
    return "keeps every message" if kept is None else f"keeps the last {kept} messages"


def _many(kept: int | None) -> bool:
    return kept is None or kept > FEW_KEPT_MESSAGES


def _size(kept: int | None) -> float:
    return float("inf") if kept is None else kept


def _existing(folder: Path) -> Path:
    """``folder``, or its nearest parent that exists: where a folder a build will make
    (the output, the cache) is to be seen."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
