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


def index_shard(job: ShardJob, documents: Documents, language: str) -> None:
    """Write the shard's documents to a scratch folder, index it, keep what is used."""
    scratch = job.target.with_name(f".{job.target.name}.input")
    partial = job.target.with_name(f".{job.target.name}.partial")
    for leftover in (scratch, partial):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        for path, html in documents(job.shard):
            file = scratch / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(html, encoding="utf-8")
        _run_pagefind(scratch, partial, language)
        for name in UNUSED:
            (partial / name).unlink(missing_ok=True)
        partial.rename(job.target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(partial, ignore_errors=True)


def _run_pagefind(site: Path, output: Path, language: str) -> None:
    command = [
        *_pagefind(),
        "--site",
        str(site),
        "--output-path",
        str(output),
        "--force-language",
        language,
        "--quiet",
    ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            preexec_fn=die_with_parent(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PresseError(f"search index: could not run Pagefind ({exc})") from None
    if result.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PresseError(
            "search index: Pagefind failed"
            + (f": {detail[-1]}" if detail else f" (exit status {result.returncode})")
            + " (is the pagefind[bin] package installed? set search = false to skip)"
        )


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
