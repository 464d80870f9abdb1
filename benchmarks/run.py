"""Benchmark presse against itself (cold, warm, one edit, dev server) and against Hugo
and Pelican when they are installed, on corpora from ``shared/bench/make_corpus.py``.

    python benchmarks/run.py                     # 1 000 and 10 000 articles
    python benchmarks/run.py --sizes 100000      # on request: 100 000 articles
    python benchmarks/run.py --sizes 1000 --no-peers

Prints one Markdown table. Every figure is measured in this run, on this machine:
compare ratios, not absolute times (machines are shared and noisy). Peak memory is the
maximum resident set of the measured process and the processes it waited for.
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
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2030-01-01T00:00:00+01:00"  # after every generated article: all are published
EDIT = "\n\nUne phrase ajoutée par le banc d’essai.\n"

PRESSE_CONFIG = """\
title = "Banc d’essai"
base_url = "https://banc.example/"
# make_corpus.py links articles as /{year}/{slug}/
permalink = "/{year}/{slug}/"
search = %s
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
    peak_mb: float


def measure(command: list[str], cwd: Path) -> Run:
    """Wall time and peak memory of one command (and what it waited for)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({status}):\n{error}")
    return Run(elapsed, usage.ru_maxrss / 1024)


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


def serve_edit(site: Path, article: Path) -> float:
    """Seconds from saving an edited article to the dev server's reload signal."""
    process = subprocess.Popen(
        [sys.executable, "-m", "presse", "serve", "--port", "0", "-s", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = 0
        for line in process.stdout:
            found = re.search(r"127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        threading.Thread(target=lambda: [None for _ in process.stdout or []], daemon=True).start()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        connection.request("GET", "/__presse/events")
        events = connection.getresponse()
        events.readline()  # retry
        while events.readline().strip():  # the "ok" event
            pass
        started = time.perf_counter()
        article.write_text(article.read_text("utf-8") + EDIT, encoding="utf-8")
        for raw in events:
            if raw.startswith(b"event: reload"):
                return time.perf_counter() - started
        raise SystemExit("no reload event")
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench_presse(source: Path, work: Path, search: bool) -> dict[str, float]:
    site = work / ("presse-search" if search else "presse")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site)
    (site / "presse.toml").write_text(PRESSE_CONFIG % str(search).lower(), encoding="utf-8")
    cache, out = site / ".presse-cache", site / "public"
    results: dict[str, float] = {}
    cold = measure(presse(site, "--cache-dir", str(cache)), site)
    results["cold"], results["peak"] = cold.seconds, cold.peak_mb
    results["pages"] = sum(1 for _ in out.rglob("*.html"))
    if search:
        return results
    results["warm"] = measure(presse(site, "--cache-dir", str(cache)), site).seconds
    article = sorted((site / "content").rglob("*.md"))[len(results) % 7]
    article.write_text(article.read_text("utf-8") + EDIT, encoding="utf-8")
    results["edit"] = measure(presse(site, "--cache-dir", str(cache)), site).seconds
    results["serve"] = serve_edit(site, sorted((site / "content").rglob("*.md"))[3])
    return results


def bench_hugo(source: Path, work: Path) -> Run | None:
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
    return measure([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], site)


def bench_pelican(source: Path, work: Path) -> Run | None:
    if shutil.which("pelican") is None:
        return None
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    return measure(["pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, help="folder for corpora and builds (kept)")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    args = parser.parse_args()
    if not CORPUS_SCRIPT.is_file():
        raise SystemExit(f"corpus generator not found: {CORPUS_SCRIPT}")
    work = args.work or Path(tempfile.mkdtemp(prefix="presse-bench-"))
    print(f"machine: {os.cpu_count()} cores; work folder: {work}\n", file=sys.stderr)
    rows = []
    for size in args.sizes:
        source = corpus(size, work)
        print(f"{size} articles…", file=sys.stderr)
        p = bench_presse(source, work / str(size), search=False)
        ps = bench_presse(source, work / str(size), search=True)
        hugo = None if args.no_peers else bench_hugo(source, work / str(size))
        pelican = (
            None
            if args.no_peers
            else bench_pelican(corpus(size, work, "pelican"), work / str(size))
        )
        rows.append((size, p, ps, hugo, pelican))

    print(
        "| articles | presse cold | cold + search | warm, unchanged | warm, 1 edit "
        "| serve, 1 edit | peak RSS | pages | Hugo cold (RSS) | Pelican cold "
        "| presse/Hugo | Pelican/presse |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, p, ps, hugo, pelican in rows:
        hugo_cell = f"{hugo.seconds:.2f} s ({hugo.peak_mb:.0f} MB)" if hugo else "–"
        pelican_cell = f"{pelican.seconds:.2f} s" if pelican else "–"
        ratio_hugo = f"{p['cold'] / hugo.seconds:.1f}×" if hugo else "–"
        ratio_pelican = f"{pelican.seconds / p['cold']:.1f}×" if pelican else "–"
        print(
            f"| {size:,} | {p['cold']:.2f} s | {ps['cold']:.2f} s | {p['warm']:.2f} s | "
            f"{p['edit']:.2f} s | {p['serve']:.2f} s | {p['peak']:.0f} MB | {p['pages']:,.0f} | "
            f"{hugo_cell} | {pelican_cell} | {ratio_hugo} | {ratio_pelican} |".replace(",", " ")
        )


if __name__ == "__main__":
    main()
