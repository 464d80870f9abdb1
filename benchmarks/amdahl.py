"""Where a cluster build's time goes, and what 1 000 000 articles on 8 machines would take.

One cold build (the default site, search on, empty cache) of a corpus from
``shared/bench/make_corpus.py`` with ``--dask`` on a real scheduler and ``--workers``
``dask worker`` processes on 127.0.0.1. The CPU time of each part, from the kernel:

* the coordinator itself (``presse build``): walking and stat-ing the sources, linking,
  planning, slicing and sending work, writing every file, publishing: the serial part;
* its own children (a render pool for the few pages it renders itself when they are
  many: the indexes of sections, tags and archives), on the coordinator's machine
  whatever the cluster's size;
* the Dask workers with the Pagefind processes they run (digests, parsing, article and
  listing pages, search shards): the part that spreads over the cluster;
* the Dask scheduler, one process however many workers: counted as serial.

The projection is Amdahl's law with every part linear in the number of articles:
``T = (coordinator + children / cores_here + scheduler) + workers / cores_in_cluster``, which
assumes no overlap between the serial part and the workers (the build does overlap them:
the coordinator writes pages while workers render the next), so it errs long. Usage::

    python benchmarks/amdahl.py --size 20000 [--workers 2] [--target 1000000] [--machines 8]
"""

from __future__ import annotations

import argparse
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
CORES_PER_MACHINE = 2

from tests.dask_cluster import start_cluster  # noqa: E402

# The build, then the CPU seconds of this process and of its waited-for children.
PROBE = """
import resource, sys
from presse.cli import main
status = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"CPU {me.ru_utime + me.ru_stime} {kids.ru_utime + kids.ru_stime}", file=sys.stderr)
sys.exit(status)
"""


def cpu_of(pid: int) -> float:
    """A live process's CPU seconds, with those of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_of(pid: int) -> int:
    """A live process's peak resident memory (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--target", type=int, default=1_000_000)
    parser.add_argument("--machines", type=int, default=8)
    parser.add_argument("--root", type=Path, default=None)
    args = parser.parse_args()
    shm = Path("/dev/shm")
    root = Path(tempfile.mkdtemp(prefix="presse-amdahl-", dir=args.root or shm))
    try:
        site = root / "site"
        subprocess.run(
            [sys.executable, str(CORPUS_SCRIPT), str(site), "--articles", str(args.size)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cluster = start_cluster(root / "cluster", workers=args.workers)
        try:
            before = sum(cpu_of(w.pid) for w in cluster.workers)
            scheduler_before = cpu_of(cluster.scheduler.pid)
            command = [
                *("build", "-s", str(site), "-o", str(root / "out"), "--now", NOW, "-q"),
                *("--cache-dir", str(root / "cache"), "--dask", cluster.address),
            ]
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-c", PROBE, *command], capture_output=True, text=True
            )
            elapsed = time.perf_counter() - started
            workers = sum(cpu_of(w.pid) for w in cluster.workers) - before
            scheduler = cpu_of(cluster.scheduler.pid) - scheduler_before
            worker_peak = max(peak_of(w.pid) for w in cluster.workers)
            scheduler_peak = peak_of(cluster.scheduler.pid)
        finally:
            cluster.stop()
        if result.returncode != 0:
            raise SystemExit(f"build failed: {result.stderr}")
        line = next(x for x in result.stderr.splitlines() if x.startswith("CPU "))
        coordinator, children = (float(v) for v in line.split()[1:])
    finally:
        shutil.rmtree(root, ignore_errors=True)

    n = args.size
    print(
        f"{n:,} articles, --dask with {args.workers} workers: {elapsed:.1f} s;"
        f" largest Dask worker peak {worker_peak / 1024:.0f} MB,"
        f" scheduler peak {scheduler_peak / 1024:.0f} MB\n"
    )
    print("| part | runs on | CPU | per article |")
    print("|---|---|---:|---:|")
    for name, where, seconds in (
        ("coordinator", "the build's machine, one core", coordinator),
        ("its pool (indexes)", "the build's machine, its pool", children),
        ("digests, parsing, article and listing pages, search", "the Dask workers", workers),
        ("scheduling", "the Dask scheduler", scheduler),
    ):
        print(f"| {name} | {where} | {seconds:.1f} s | {seconds / n * 1000:.2f} ms |")
    scale = args.target / n
    serial = (coordinator + children / CORES_PER_MACHINE + scheduler) * scale
    spread = workers * scale
    cores = args.machines * CORES_PER_MACHINE
    total = serial + spread / cores
    print(
        f"\nProjected for {args.target:,} articles on {args.machines} machines of"
        f" {CORES_PER_MACHINE} cores: serial {serial / 60:.0f} min + parallel"
        f" {spread / 60:.0f} min / {cores} cores = {total / 60:.0f} min"
        f" (serial share {serial / total:.0%}; on one such machine:"
        f" {(serial + spread / CORES_PER_MACHINE) / 60:.0f} min)".replace(",", " ")
    )


if __name__ == "__main__":
    main()
