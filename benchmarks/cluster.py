"""The same cold build, on this machine and on a Dask cluster: time and memory per process.

For each size, on a corpus from ``shared/bench/make_corpus.py`` (the default site, search
on, its build cache empty: a cold build in the default configuration), two rows:

* ``local``: ``presse build`` as usual (its own process pool);
* ``--dask``: a real ``dask scheduler`` and ``--workers`` ``dask worker`` processes on
  127.0.0.1 (as a cluster of machines would run them), ``presse build --dask ADDRESS``;
and in each, the coordinator's peak (the ``presse`` process itself), the largest peak
among its own children (render workers, Pagefind run here), the largest Dask worker's
peak (not counting the Pagefind it runs) and the Dask scheduler's.

The two outputs are compared file by file through their digests (a 300 000-article
site is 10 GB: neither is held in memory). ``--root`` is where corpora and outputs go
(default: /dev/shm; a disk folder for 300 000 articles and more); ``--corpora`` keeps
each generated corpus there (``site-<size>``) and reuses it next time. Usage::

    python benchmarks/cluster.py --sizes 10000 100000 [--workers 2] [--root DIR] [--corpora DIR]
        [--dask-only 300000] [--dask-local 300000]

Sizes in ``--dask-local`` are built with ``--dask local`` instead of an external
scheduler: its scheduler runs in the build's process (counted in the coordinator's peak)
and its workers are the build's children (counted in the largest child's).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS_SCRIPT = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2026-11-30T12:00:00+01:00"

from tests.dask_cluster import start_cluster  # noqa: E402

# Run in the build's process: the build, then its own peak and its children's (ru_maxrss
# in KiB on Linux; RUSAGE_CHILDREN is the largest waited-for descendant).
PROBE = """
import resource, sys
from presse.cli import main
status = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"PEAKS {me} {children}", file=sys.stderr)
sys.exit(status)
"""


def peak_of(pid: int) -> int:
    """A live process's peak resident memory (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def tree_digest(root: Path) -> dict[str, str]:
    """Each file's path in ``root`` and the digest of its bytes."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = hashlib.blake2b(path.read_bytes()).hexdigest()
    return found


def cold_build(site: Path, run: Path, extra: list[str]) -> tuple[float, int, int, dict[str, str]]:
    """A build with an empty cache in ``run``: time, peaks, the output's digests; then
    ``run`` (output, cache) is deleted."""
    try:
        out, cache = run / "public", run / "cache"
        return (*build(site, out, ["--cache-dir", str(cache), *extra]), tree_digest(out))
    finally:
        shutil.rmtree(run, ignore_errors=True)


def build(site: Path, out: Path, extra: list[str]) -> tuple[float, int, int]:
    out.parent.mkdir(parents=True, exist_ok=True)
    args = ["build", "-s", str(site), "-o", str(out), "--now", NOW, "-q", *extra]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed: {result.stderr}")
    line = next(x for x in result.stderr.splitlines() if x.startswith("PEAKS "))
    me, children = (int(v) for v in line.split()[1:])
    return elapsed, me, children


def mb(kib: int) -> str:
    return f"{kib / 1024:,.0f} MB".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--corpora", type=Path, default=None)
    parser.add_argument(
        "--dask-only",
        type=int,
        nargs="*",
        default=[],
        help="sizes measured with --dask alone (no local row, nothing to compare with)",
    )
    parser.add_argument(
        "--dask-local",
        type=int,
        nargs="*",
        default=[],
        help="sizes built with --dask local instead of an external scheduler (its scheduler"
        " in the build's process, its workers among the build's children)",
    )
    args = parser.parse_args()
    shm = Path("/dev/shm")
    where = args.root or (shm if shm.is_dir() else None)
    root = Path(tempfile.mkdtemp(prefix="presse-cluster-", dir=where))
    rows = []
    try:
        for size in args.sizes:
            site = (args.corpora or root) / f"site-{size}"
            if not (site / "content").is_dir():
                subprocess.run(
                    [sys.executable, str(CORPUS_SCRIPT), str(site), "--articles", str(size)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            local_files = None
            if size not in args.dask_only:
                *local, local_files = cold_build(site, root / f"local-{size}", [])
                rows.append((size, "local", *local, 0, 0))
                print(f"{size} local: {local}", file=sys.stderr, flush=True)
            if size in args.dask_local:
                jobs = ["--dask", "local", "--jobs", str(args.workers)]
                *remote, remote_files = cold_build(site, root / f"dask-local-{size}", jobs)
                rows.append((size, f"--dask local ({args.workers} workers)", *remote, 0, 0))
                print(f"{size} dask local: {remote}", file=sys.stderr, flush=True)
            else:
                cluster = start_cluster(root / f"cluster-{size}", workers=args.workers)
                try:
                    *remote, remote_files = cold_build(
                        site, root / f"dask-{size}", ["--dask", cluster.address]
                    )
                    workers = max(peak_of(w.pid) for w in cluster.workers)
                    scheduler = peak_of(cluster.scheduler.pid)
                finally:
                    cluster.stop()
                kind = f"--dask ({args.workers} workers)"
                rows.append((size, kind, *remote, workers, scheduler))
                print(f"{size} dask: {remote} {workers} {scheduler}", file=sys.stderr, flush=True)
            if local_files is not None and remote_files != local_files:
                raise SystemExit(f"{size} articles: the --dask build differs from the local one")
            if args.corpora is None:
                shutil.rmtree(site)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(
        "| articles | build | cold | coordinator peak | per article | largest child |"
        " largest Dask worker | Dask scheduler |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size, kind, seconds, me, children, worker, scheduler in rows:
        per = f"{me * 1024 / size / 1024:.1f} KB"
        print(
            f"| {size:,} | {kind} | {seconds:.1f} s | {mb(me)} | {per} | {mb(children)} |"
            f" {mb(worker) if worker else '–'} | {mb(scheduler) if scheduler else '–'} |".replace(
                ",", " "
            )
        )
    compared = [size for size in args.sizes if size not in args.dask_only]
    print(f"\nOutput byte-identical to the local build at {compared}. CPU: {os.cpu_count()}")


if __name__ == "__main__":
    main()
