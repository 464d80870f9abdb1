"""Running Pagefind over search shards (see :mod:`presse.search`). I/O edge.

A shard's articles are written as small HTML documents (title, date, chapô, body: what
a reader searches for, and nothing of the page around it) into a scratch folder, and
Pagefind's command line (the binary that ``pagefind[bin]`` ships) indexes that folder
into the shard's bundle folder. Only what the search page loads is kept: the index,
the fragments, the entry file, ``pagefind.js`` with its worker and the French WASM;
Pagefind's own UIs are deleted.

Shards are indexed in worker processes forked after planning (they inherit the job),
so documents are rendered in parallel too; each Pagefind dies with its worker, and the
workers with the build (``PR_SET_PDEATHSIG``). A bundle appears under its final name
only once complete (written beside it, then renamed), so a folder with that name is
always a whole index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from presse.errors import PresseError
from presse.parallel import die_with_parent, ordered_map, process_pool
from presse.search import Shard

TIMEOUT_SECONDS = 1800
# Files of Pagefind's bundle that presse's search page never loads.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    "wasm.unknown.pagefind",
)

Documents = Callable[[Shard], Iterable[tuple[str, str]]]  # (output path, HTML) of each article


@dataclass(frozen=True, slots=True)
class ShardJob:
    shard: Shard
    target: Path  # the bundle folder to make; must not exist yet


def index_shards(
    jobs: Sequence[ShardJob], documents: Documents, language: str, workers: int
) -> None:
    """Index every job's shard into its target folder; a failure is a PresseError."""
    global _JOB
    executor = process_pool(min(workers, len(jobs))) if len(jobs) > 1 else None
    if executor is None:
        for job in jobs:
            index_shard(job, documents, language)
        return
    _JOB = (jobs, documents, language)  # before the pool forks its workers, at the first submit
    try:
        for _ in ordered_map(_index_one, range(len(jobs)), executor, window=workers * 2):
            pass
    finally:
        executor.shutdown(cancel_futures=True)
        _JOB = None


_JOB: tuple[Sequence[ShardJob], Documents, str] | None = None


def _index_one(number: int) -> None:
    """In a worker: index job ``number`` of the job list inherited from the parent."""
    assert _JOB is not None, "index workers must be forked after the jobs are set"
    jobs, documents, language = _JOB
    index_shard(jobs[number], documents, language)


def telling_line(output: str) -> str:
    """What a failed Pagefind said, in one line: a Rust panic's place and message (on
    two lines since Rust 1.73), else its last line but Rust's notes on backtraces."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    for number, line in enumerate(lines):
        if "panicked at" in line:
            following = lines[number + 1 : number + 2]
            if line.endswith(":") and following and not following[0].startswith("note:"):
                return f"{line} {following[0]}"
            return line
    said = [line for line in lines if not line.startswith("note:")]
    return said[-1] if said else (lines[-1] if lines else "")


def index_shard(job: ShardJob, documents: Documents, language: str) -> None:
    """Index one shard and wait for it."""
    Indexing(job, documents, language).finish()


class Indexing:
    """Pagefind started on a shard, running while the build goes on (a process: the build
    renders pages meanwhile on the other core); :meth:`finish` waits for it and keeps the
    bundle. The shard's documents are written to a scratch folder beside the bundle."""

    def __init__(self, job: ShardJob, documents: Documents, language: str):
        self.job = job
        self.scratch = job.target.with_name(f".{job.target.name}.input")
        self.partial = job.target.with_name(f".{job.target.name}.partial")
        for leftover in (self.scratch, self.partial):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            for path, html in documents(job.shard):
                file = self.scratch / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(html, encoding="utf-8")
            command = [
                *_pagefind(),
                "--site",
                str(self.scratch),
                "--output-path",
                str(self.partial),
                "--force-language",
                language,
                "--quiet",
            ]
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                preexec_fn=die_with_parent(),
            )
        except OSError as exc:
            self._clean()
            raise PresseError(f"search index: could not run Pagefind ({exc})") from None
        except BaseException:
            self._clean()
            raise

    def finish(self) -> None:
        try:
            try:
                out, err = self.process.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise PresseError("search index: Pagefind took too long") from None
            entry = self.partial / "pagefind-entry.json"
            if self.process.returncode != 0 or not entry.is_file():
                detail = telling_line(err or out)
                raise PresseError(
                    "search index: Pagefind failed"
                    + (f": {detail}" if detail else f" (exit status {self.process.returncode})")
                    + " (is the pagefind[bin] package installed? set search = false to skip)"
                )
            for name in UNUSED:
                (self.partial / name).unlink(missing_ok=True)
            self.partial.rename(self.job.target)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.communicate()  # waits, and closes the pipes
            self._clean()

    def abandon(self) -> None:
        """Stop it (the build failed) and delete what it wrote."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()  # waits, and closes the pipes
        self._clean()

    def _clean(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)
        shutil.rmtree(self.partial, ignore_errors=True)


def _pagefind() -> list[str]:
    """The Pagefind binary, as the ``pagefind`` package finds it (its ``[bin]`` extra)."""
    try:
        from pagefind.service import get_executable

        binary = get_executable()
    except ImportError:
        binary = None
    if binary is not None and os.access(binary, os.X_OK):
        return [str(binary)]
    return [sys.executable, "-m", "pagefind"]


def pagefind_version() -> str:
    """The installed Pagefind's version: a shard's key depends on it."""
    try:
        from importlib.metadata import version

        return version("pagefind")
    except Exception:  # not installed as a distribution: the key just never matches
        return "unknown"
