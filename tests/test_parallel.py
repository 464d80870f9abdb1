"""Chunked maps over an executor: results in order, chunks bounded (issue 14)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from presse.parallel import MAX_CHUNK, chunked_map, chunked_results


class Recording(Executor):
    """Runs each task here, at once, and remembers the size of each chunk it was sent."""

    def __init__(self) -> None:
        self.chunks: list[int] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.chunks.append(len(args[0]))
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def doubled(items: Sequence[int]) -> list[int]:
    return [2 * item for item in items]


def test_a_large_archive_is_sent_in_bounded_chunks_and_comes_back_in_order() -> None:
    executor = Recording()
    items = list(range(40 * MAX_CHUNK + 7))
    assert chunked_map(doubled, items, executor, workers=2) == [2 * i for i in items]
    assert max(executor.chunks) == MAX_CHUNK and sum(executor.chunks) == len(items)


def test_a_small_batch_is_a_few_chunks_per_worker() -> None:
    executor = Recording()
    assert chunked_map(doubled, list(range(800)), executor, workers=2) == list(range(0, 1600, 2))
    assert executor.chunks == [100] * 8


class Watching(Executor):
    """Runs tasks when asked for their result, counting those submitted and not yet run."""

    def __init__(self) -> None:
        self.waiting = 0
        self.most = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.waiting += 1
        self.most = max(self.most, self.waiting)
        watcher = self

        class Lazy(Future[Any]):
            def result(self, timeout: float | None = None) -> Any:
                if not self.done():
                    watcher.waiting -= 1
                    self.set_result(fn(*args, **kwargs))
                return super().result(timeout)

        return Lazy()


def test_only_a_few_chunks_per_worker_are_in_flight() -> None:
    executor = Watching()
    items = list(range(100 * MAX_CHUNK))
    assert chunked_map(doubled, items, executor, workers=2) == [2 * i for i in items]
    assert executor.most == 4 * 2


def test_results_come_one_by_one_as_their_chunks_come_back() -> None:
    executor = Watching()
    items = list(range(100 * MAX_CHUNK))
    results = chunked_results(doubled, items, executor, workers=2)
    assert next(results) == 0
    assert executor.most == 4 * 2  # the first chunk fetched: only the window was sent
    assert [0, *results] == [2 * i for i in items]
    assert list(chunked_results(doubled, [1, 2], executor, workers=2)) == [2, 4]
