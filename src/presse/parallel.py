"""Parallel map over chunks, on any :class:`concurrent.futures.Executor`.

Work is sent in chunks so the cost of shipping items to workers stays small next to
the work itself; results come back in input order, so the output never depends on the
number of workers. Any executor fits (a process pool here; a distributed one later).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")

MIN_ITEMS_FOR_WORKERS = 64  # below this, starting workers costs more than it saves
MAX_CHUNK = 500  # items a task carries at most: a worker holds one chunk's results at a time
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """A hook, run in a child process, that has the kernel kill it if the build dies (Linux).

    A killed build must not leave workers behind: pool workers would wait forever, and
    Pagefind would go on writing into a staging folder the next build deletes. The hook
    suits ``preexec_fn`` (an exec keeps the setting) and a pool's ``initializer``.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the build died before the setting took
            os._exit(1)

    return hook


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_pool(jobs: int) -> Executor | None:
    """A process pool of ``jobs`` workers, or None for one job (work stays in-process)."""
    if jobs <= 1:
        return None
    methods = multiprocessing.get_all_start_methods()
    # fork starts workers in milliseconds and shares the parent's imports.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=die_with_parent())


def chunked_map(
    work: Callable[[Sequence[A]], list[R]],
    items: Sequence[A],
    executor: Executor | None,
    workers: int,
) -> list[R]:
    """``work`` over ``items`` in chunks, in order; in-process without an executor."""
    return list(chunked_results(work, items, executor, workers))


def chunked_results(
    work: Callable[[Sequence[A]], list[R]],
    items: Sequence[A],
    executor: Executor | None,
    workers: int,
) -> Iterator[R]:
    """The results of :func:`chunked_map` one by one, as their chunks come back: a caller
    that files each result away holds one chunk's, not the archive's, in a list."""
    if executor is None or len(items) < MIN_ITEMS_FOR_WORKERS:
        yield from work(items)
        return
    # A few chunks per worker balances uneven chunks without much shipping overhead; past
    # MAX_CHUNK, more chunks: a worker's memory (and each result sent back) is bounded by
    # its chunk, not by the archive.
    size = min(MAX_CHUNK, max(16, -(-len(items) // (workers * 4))))
    chunks = (items[i : i + size] for i in range(0, len(items), size))
    # A few chunks in flight per worker, not all: a cluster's worker keeps each result
    # until it is fetched, so submitting everything at once would pile the whole
    # archive's results up on the workers.
    for chunk_result in ordered_map(work, chunks, executor, window=4 * workers):
        yield from chunk_result


def ordered_map(
    work: Callable[[A], R], items: Iterable[A], executor: Executor, window: int
) -> Iterator[R]:
    """``work`` over ``items`` on ``executor``, results in order, at most ``window`` items
    in flight: results are consumed as they come instead of piling up in memory."""
    return in_order((executor.submit(work, item) for item in items), window)


def in_order(futures: Iterable[Future[R]], window: int) -> Iterator[R]:
    """The results of ``futures``, in order, drawing the next (so submitting its work)
    only while fewer than ``window`` are in flight; those left are cancelled if the
    consumer stops early."""
    pending: deque[Future[R]] = deque()
    try:
        for future in futures:
            pending.append(future)
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


class Workers:
    """The processes a build reads and parses on: the executor it was given (a Dask
    cluster's), else a fork pool of ``jobs`` started at the first batch worth it, and
    stopped by :meth:`close` (before rendering forks its own, from the linked site)."""

    def __init__(self, given: Executor | None, jobs: int) -> None:
        self.given = given
        self.jobs = jobs
        self._pool: Executor | None = None

    def for_items(self, count: int) -> Executor | None:
        """Where to run ``count`` items: None when in this process is quicker."""
        if count < MIN_ITEMS_FOR_WORKERS:
            return None
        if self.given is not None:
            return self.given
        if self._pool is None:
            self._pool = process_pool(self.jobs)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
