"""``presse check``: the editorial linter. I/O edge: reads the site, prints findings.

Loading happens here (config, articles, authors file, static file list); every
rule is a pure function in :mod:`presse.checks`, listed in
:data:`~presse.checks.article_rules.ARTICLE_RULES` (one file at a time) and
:data:`~presse.checks.corpus_rules.CORPUS_RULES` (the whole corpus). Nothing
stops at the first problem: a file that cannot be read gets its finding and the
others are still checked. On a large corpus the per-file rules run in a pool of
processes; the result does not depend on it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path

from presse.arguments import iso_datetime
from presse.build import build_time
from presse.checks.authors_rules import check_authors
from presse.checks.corpus_rules import CORPUS_RULES, Corpus
from presse.checks.findings import (
    ERROR,
    Finding,
    error,
    format_json,
    format_text,
    sort_findings,
    summary,
    warning,
)
from presse.checks.inspect import FileReport, inspect_source
from presse.config import CONFIG_FILE, SiteConfig, load_config
from presse.errors import PresseError
from presse.model import SourceFile
from presse.parallel import chunked_map, default_jobs, process_pool
from presse.parse import shared_markdown
from presse.photos import is_photo_file
from presse.sources import (
    NOT_ARTICLES,
    check_site_folder,
    decode_source,
    find_sources,
    read_source,
)
from presse.theme import collect_static

__all__ = ["Finding", "check_site", "exit_status", "format_json", "format_text", "register"]

PARALLEL_FROM = 200  # files; below this, starting processes costs more than it saves


def check_site(site_dir: Path, *, now: datetime, workers: int | None = None) -> list[Finding]:
    """Every finding for the site in ``site_dir``, sorted by path and line.

    ``now`` decides what is published (drafts, embargoes, expiry); ``workers`` is
    the number of processes for the per-file rules (default: the CPUs available,
    for a corpus of at least :data:`PARALLEL_FROM` files).
    """
    check_site_folder(site_dir)
    findings: list[Finding] = []
    config = _load_config(site_dir, findings)
    media: list[str] = []
    sources = _read_sources(site_dir, config, findings, media)
    reports = _inspect_all(sources, config, now, workers)
    facts = []
    for report in reports:
        findings += report.findings
        if report.facts is not None:
            facts.append(report.facts)
    findings += _check_authors_file(site_dir, config)
    texts = {source.path.as_posix(): source.text for source in sources}
    corpus = Corpus(
        config=config,
        now=now,
        articles=tuple(facts),
        bodies={fact.path: texts[fact.path][fact.body_start :] for fact in facts},
        static_files=frozenset(f"/{f.path}" for f in collect_static(site_dir)),
        media_files=frozenset(media),
    )
    for rule in CORPUS_RULES:
        findings += rule(corpus)
    return sort_findings(findings)


def exit_status(findings: Iterable[Finding], *, strict: bool = False) -> int:
    """1 when there is an error (with ``strict``, any finding), else 0."""
    return int(any(strict or f.severity == ERROR for f in findings))


def _load_config(site_dir: Path, findings: list[Finding]) -> SiteConfig:
    """The site's config; a broken one is a finding, and the defaults stand in for it."""
    try:
        return load_config(site_dir)
    except PresseError as exc:
        findings.append(error(str(exc.path or CONFIG_FILE), exc.line or 1, "config", exc.message))
        return SiteConfig()


def _read_sources(
    site_dir: Path, config: SiteConfig, findings: list[Finding], media: list[str]
) -> list[SourceFile]:
    """The article files, read; the photos beside them added to ``media`` (from the site
    folder); what cannot be read becomes a finding."""
    sources: list[SourceFile] = []
    skipped: list[str] = []
    found: list[str] = []
    names = find_sources(site_dir / config.content_dir, skipped, found)
    media += (Path(name).relative_to(site_dir).as_posix() for name in found if is_photo_file(name))
    for name in skipped:
        shown = Path(name).relative_to(site_dir).as_posix()
        why = NOT_ARTICLES[Path(name).name]
        findings.append(warning(shown, 1, "not-an-article", f"is not an article: {why}"))
    for name in names:
        path = Path(name)
        try:
            sources.append(read_source(path, site_dir))
        except PresseError as exc:  # not UTF-8, or a binary file
            shown = (exc.path or path.relative_to(site_dir)).as_posix()
            findings.append(error(shown, exc.line or 1, "encoding", exc.message))
        except OSError as exc:
            shown = path.relative_to(site_dir).as_posix()
            findings.append(error(shown, 1, "encoding", f"cannot be read: {exc.strerror}"))
    return sources


def _check_authors_file(site_dir: Path, config: SiteConfig) -> list[Finding]:
    path = site_dir / config.content_dir / config.authors_file
    if not path.is_file():
        return []
    shown = path.relative_to(site_dir)
    try:
        text = decode_source(path.read_bytes(), shown)
    except PresseError as exc:
        return [error(shown.as_posix(), exc.line or 1, "authors", exc.message)]
    return check_authors(text, shown.as_posix())


def _inspect_all(
    sources: Sequence[SourceFile], config: SiteConfig, now: datetime, workers: int | None
) -> list[FileReport]:
    """Run the article rules on every file, in worker processes when the corpus is large."""
    if workers is None:
        workers = default_jobs() if len(sources) >= PARALLEL_FROM else 1
    executor = process_pool(workers)
    try:
        inspect = partial(_inspect_chunk, config=config, now=now)
        return chunked_map(inspect, sources, executor, workers)
    finally:
        if executor is not None:
            executor.shutdown()


def _inspect_chunk(
    sources: Sequence[SourceFile], *, config: SiteConfig, now: datetime
) -> list[FileReport]:
    md = shared_markdown(config.allow_html, config.embeds)
    return [inspect_source(source, config, now, md) for source in sources]


# --- command line ------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``presse check`` to the ``presse`` command; its handler returns the exit status."""
    parser = subparsers.add_parser(
        "check",
        help="lint the articles: links, duplicates, frontmatter, typography",
        description="Lint every article (and the authors file) and print one line per "
        "finding, like a compiler. Exit status 1 when there is an error.",
    )
    parser.add_argument("-s", "--site", type=Path, default=Path(), help="site folder (default: .)")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    parser.add_argument(
        "--now",
        type=iso_datetime,
        help="check as if at this ISO 8601 time (what is published: drafts, embargoes)",
    )
    parser.set_defaults(command="check", handler=run)


def run(args: argparse.Namespace) -> int:
    """The ``check`` handler: findings on stdout, the count on stderr, the exit status."""
    findings = check_site(args.site, now=args.now or build_time())
    if args.format == "json":
        sys.stdout.write(format_json(findings) + "\n")
    else:
        sys.stdout.write(format_text(findings))
    # The count, even when it is nothing: a silent linter cannot be told from one that did
    # not run.
    print(summary(findings) or "no findings", file=sys.stderr)
    return exit_status(findings, strict=args.strict)
