"""Benchmark presse's default site (search on) against Hugo, Hugo followed by Pagefind,
and Pelican, on corpora from ``shared/bench/make_corpus.py``, on a memory-backed folder
and on the disk.

    python benchmarks/run.py                        # 1 000 and 10 000 articles
    python benchmarks/run.py --sizes 100000         # on request (the peers are skipped)
    python benchmarks/run.py --sizes 1000 --fs tmpfs --no-peers

Prints one Markdown table. Every figure is measured in this run, on this machine:
compare ratios, not absolute times (machines are shared and noisy). Every presse row
builds the default configuration, Pagefind included. Peak memory is the largest
resident set reached by any one process of the command's tree (presse, its workers,
Pagefind), sampled from ``/proc``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2030-01-01T00:00:00+01:00"  # after every generated article: all are published
EDIT = "\n\nUne phrase ajoutée par le banc d’essai, avec le mot {word}.\n"

PRESSE_CONFIG = """\
title = "Banc d’essai"
base_url = "https://banc.example/"
# make_corpus.py links articles as /{year}/{slug}/
permalink = "/{year}/{slug}/"
"""

HUGO_CONFIG = """\
baseURL = "https://banc.example/"
languageCode = "fr-fr"
title = "Banc d'essai"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "section"]
[permalinks]
  posts = "/:year/:slug/"
"""
HUGO_INDEX = (
    '<!DOCTYPE html><html lang="fr"><title>{{ .Site.Title }}</title><ul>'
    '{{ range first 10 .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
    "{{ end }}</ul></html>\n"
)
HUGO_SINGLE = (
    '<!DOCTYPE html><html lang="fr"><title>{{ .Title }}</title>'
    "<article><h1>{{ .Title }}</h1>{{ .Content }}</article></html>\n"
)
PELICAN_CONFIG = """\
AUTHOR = "Banc"
SITENAME = "Banc d'essai"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest process of the command's tree


@dataclass
class Row:
    size: int
    fs: str
    presse: dict[str, float] = field(default_factory=dict)
    peers: dict[str, Run] = field(default_factory=dict)


# --------------------------------------------------------------------------- measuring


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            found.setdefault(parent, []).append(int(entry.name))
    return found


def _tree(root: int) -> Iterator[int]:
    children = _children()
    stack = [root]
    while stack:
        pid = stack.pop()
        yield pid
        stack += children.get(pid, [])


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakSampler:
    """The largest peak resident set of any process under ``root``, sampled every 50 ms
    (VmHWM is a process's own high-water mark: a sample before it exits is enough)."""

    def __init__(self, root: int):
        self.root = root
        self.peaks: dict[int, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            for pid in _tree(self.root):
                self.peaks[pid] = max(self.peaks.get(pid, 0), _peak_kb(pid))
            self.stop.wait(0.05)

    def finish(self) -> float:
        self.stop.set()
        self.thread.join()
        return max(self.peaks.values(), default=0) / 1024


def measure(command: list[str], cwd: Path) -> Run:
    """Wall time and the largest process's peak memory of one command."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sampler = PeakSampler(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    peak = max(sampler.finish(), usage.ru_maxrss / 1024)
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({status}):\n{error}")
    if process.stderr:
        process.stderr.close()
    return Run(elapsed, peak)


def corpus(size: int, folder: Path, fmt: str = "yaml") -> Path:
    target = folder / f"{fmt}-{size}"
    if not target.exists():
        subprocess.run(
            [
                sys.executable,
                str(CORPUS_SCRIPT),
                str(target),
                "--articles",
                str(size),
                "--format",
                fmt,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return target


def presse(site: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "presse", "build", "-q", "--now", NOW, "-s", str(site), *args]


def newest_and_oldest(site: Path) -> tuple[Path, Path]:
    """The newest article (where a newsroom's corrections land) and the oldest one."""
    dated = []
    for path in (site / "content").rglob("*.md"):
        found = re.search(r"^date: (\S+)", path.read_text("utf-8"), re.MULTILINE)
        if found:
            dated.append((found.group(1), path))
    dated.sort()
    return dated[-1][1], dated[0][1]


def edit(article: Path, word: str) -> None:
    article.write_text(article.read_text("utf-8") + EDIT.format(word=word), encoding="utf-8")


def serve_edits(site: Path, article: Path, edits: int = 3) -> tuple[float, float, float]:
    """Median seconds from saving an edit to the dev server's reload event and to its
    search-ready event (the edited words findable), and the server's peak memory."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen(
        [sys.executable, "-m", "presse", "serve", "--port", "0", "-s", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    sampler = PeakSampler(process.pid)
    try:
        assert process.stdout is not None
        port = 0
        for line in process.stdout:
            found = re.search(r"127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        output = process.stdout
        threading.Thread(target=lambda: [None for _ in output], daemon=True).start()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        connection.request("GET", "/__presse/events")
        events = _events(connection.getresponse())
        next(events)  # the state on connection
        reloads, findable = [], []
        for number in range(edits):
            time.sleep(1.0)
            started = time.perf_counter()
            edit(article, f"servicetest{number}")
            seen: dict[str, float] = {}
            for name in events:
                seen.setdefault(name, time.perf_counter() - started)
                if name in ("search-ready", "build-error"):
                    break
            if "build-error" in seen:
                raise SystemExit("the dev server failed to rebuild")
            reloads.append(seen["reload"])
            findable.append(seen["search-ready"])
        return _median(reloads), _median(findable), sampler.finish()
    finally:
        process.terminate()
        process.wait(timeout=60)


def _events(response: http.client.HTTPResponse) -> Iterator[str]:
    for raw in response:
        line = raw.decode().strip()
        if line.startswith("event: "):
            yield line[7:]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


# --------------------------------------------------------------------------- the tools


def bench_presse(source: Path, work: Path) -> dict[str, float]:
    site = work / "presse"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site)
    (site / "presse.toml").write_text(PRESSE_CONFIG, encoding="utf-8")
    cache, out = site / ".presse-cache", site / "public"
    results: dict[str, float] = {}
    cold = measure(presse(site, "--cache-dir", str(cache)), site)
    results["cold"], results["peak"] = cold.seconds, cold.peak_mb
    results["pages"] = sum(1 for _ in out.rglob("*.html"))
    results["shards"] = sum(1 for _ in (out / "pagefind").iterdir())
    unchanged = [measure(presse(site, "--cache-dir", str(cache)), site) for _ in range(3)]
    results["warm"] = _median([r.seconds for r in unchanged])
    newest, oldest = newest_and_oldest(site)
    for name, article in (("edit", newest), ("archive", oldest)):
        runs = []
        for number in range(3):
            edit(article, f"banctest{name}{number}")
            runs.append(measure(presse(site, "--cache-dir", str(cache)), site))
        results[name] = _median([r.seconds for r in runs])
        results["peak"] = max(results["peak"], *(r.peak_mb for r in runs))
    reload, findable, peak = serve_edits(site, newest)
    results["serve"], results["findable"], results["serve_peak"] = reload, findable, peak
    return results


def bench_hugo(source: Path, work: Path, with_pagefind: bool) -> Run | None:
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    shutil.copytree(source / "content", site / "content" / "posts")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "index.html").write_text(HUGO_INDEX, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    built = measure([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], site)
    if not with_pagefind:
        return built
    pagefind = _pagefind_binary()
    indexed = measure([pagefind, "--site", str(site / "public"), "--quiet"], site)
    return Run(built.seconds + indexed.seconds, max(built.peak_mb, indexed.peak_mb))


def _pagefind_binary() -> str:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SystemExit("no Pagefind binary: pip install 'pagefind[bin]'")
    return str(binary)


def bench_pelican(source: Path, work: Path) -> Run | None:
    if shutil.which("pelican") is None:
        return None
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    return measure(["pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], site)


# --------------------------------------------------------------------------- the table


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or not b else f"{a / b:.2f}×"


def print_table(rows: list[Row]) -> None:
    print(
        "| articles | folder | cold | warm, unchanged | warm, 1 edit (newest) "
        "| warm, 1 edit (oldest) | serve: save → reload | serve: save → findable "
        "| peak process | pages (shards) | Hugo | Hugo + Pagefind (peak) | Pelican "
        "| unchanged / Hugo | edit / Hugo | cold / (Hugo + Pagefind) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        p = row.presse
        hugo = row.peers.get("hugo")
        both = row.peers.get("hugo+pagefind")
        pelican = row.peers.get("pelican")
        peak = max(p["peak"], p["serve_peak"])
        cells = [
            f"{row.size:,}".replace(",", " "),
            row.fs,
            _seconds(p["cold"]),
            _seconds(p["warm"]),
            _seconds(p["edit"]),
            _seconds(p["archive"]),
            _seconds(p["serve"]),
            _seconds(p["findable"]),
            f"{peak:.0f} MB",
            f"{p['pages']:,.0f} ({p['shards']:.0f})".replace(",", " "),
            _seconds(hugo.seconds if hugo else None),
            f"{both.seconds:.2f} s ({both.peak_mb:.0f} MB)" if both else "–",
            _seconds(pelican.seconds if pelican else None),
            _ratio(p["warm"], hugo.seconds if hugo else None),
            _ratio(p["edit"], hugo.seconds if hugo else None),
            _ratio(p["cold"], both.seconds if both else None),
        ]
        print("| " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--fs",
        nargs="+",
        choices=["tmpfs", "disk"],
        default=["tmpfs", "disk"],
        help="where the sites are built: /dev/shm, or the disk (the work folder)",
    )
    parser.add_argument("--work", type=Path, help="folder on the disk for corpora and builds")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    args = parser.parse_args()
    if not CORPUS_SCRIPT.is_file():
        raise SystemExit(f"corpus generator not found: {CORPUS_SCRIPT}")
    disk = args.work or Path(tempfile.mkdtemp(prefix="benchmark-", dir=REPO.parent))
    places = {"disk": disk}
    if "tmpfs" in args.fs:
        places["tmpfs"] = Path(tempfile.mkdtemp(prefix="benchmark-", dir="/dev/shm"))
    print(f"machine: {os.cpu_count()} cores; folders: {places}\n", file=sys.stderr)
    rows = []
    try:
        for size in args.sizes:
            for fs in args.fs:
                work = places[fs] / str(size)
                source = corpus(size, places[fs])
                print(f"{size} articles on {fs}…", file=sys.stderr)
                row = Row(size, fs, bench_presse(source, work))
                if not args.no_peers and size <= 10_000:
                    for name, run in (
                        ("hugo", bench_hugo(source, work, with_pagefind=False)),
                        ("hugo+pagefind", bench_hugo(source, work, with_pagefind=True)),
                        ("pelican", bench_pelican(corpus(size, places[fs], "pelican"), work)),
                    ):
                        if run is not None:
                            row.peers[name] = run
                rows.append(row)
                print_table([row])
    finally:
        if "tmpfs" in places:
            shutil.rmtree(places["tmpfs"], ignore_errors=True)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
