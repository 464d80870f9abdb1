"""``presse import`` on the command line: read the text files, write the drafts. I/O edge.

The conversion itself is :func:`presse.importer.convert`, which is pure.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from presse.config import SiteConfig, load_config
from presse.errors import PresseError
from presse.importer import ImportedArticle, convert
from presse.parse import split_frontmatter
from presse.slugs import slugify
from presse.sources import decode_source, find_sources, read_source


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``presse import`` to the ``presse`` command."""
    p = subparsers.add_parser("import", help="convert pasted plain text into draft articles")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="UTF-8 text files")
    p.add_argument("-s", "--site", type=Path, default=Path(), help="site folder (default: .)")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="a folder, or a .md file for a single input (default: content/<year>/<slug>.md)",
    )
    p.add_argument("--date", type=date_argument, help="YYYY-MM-DD or ISO 8601 (default: now)")
    p.add_argument("--section", help="the articles' section")
    p.set_defaults(command="import", handler=run_import)


def date_argument(text: str) -> datetime:
    """``--date``: a date or an ISO 8601 time; without an offset the site's zone applies."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a date (expected YYYY-MM-DD or ISO 8601)'
        ) from None


def run_import(args: argparse.Namespace) -> int:
    """Convert every file, check every target, then write: all or nothing."""
    config = load_config(args.site)
    given: datetime | None = args.date
    if given is None:
        date = datetime.now(config.tzinfo)
    elif given.tzinfo is None:
        date = given.replace(tzinfo=config.tzinfo)
    else:
        date = given.astimezone(config.tzinfo)
    files: list[Path] = args.files
    output: Path | None = args.output
    if output is not None and output.suffix == ".md" and len(files) > 1:
        raise PresseError(f"names one file but {len(files)} files are imported", output)
    known = site_slugs(args.site, config)
    planned: list[tuple[Path, Path, ImportedArticle]] = []
    for path in files:
        article = convert(_read(path), path, date=date, section=args.section, known_slugs=known)
        target = _target(output, args.site, config, date, article.slug)
        if target.exists():
            raise PresseError("already exists, not overwritten", target)
        if any(target == other for _, other, _ in planned):
            raise PresseError(f"would be written twice (also by {path})", target)
        planned.append((path, target, article))
    for path, target, article in planned:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("x", encoding="utf-8") as handle:
                handle.write(article.markdown)
        except FileExistsError:
            raise PresseError("already exists, not overwritten", target) from None
        print(f"{path} → {target} (draft)")
        for line in article.recognised:
            print(f"  {line}")
        for warning in article.warnings:
            print(f"{warning.location()}: warning: {warning.message}", file=sys.stderr)
    return 0


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PresseError(f"cannot read: {exc.strerror}", path) from None
    return decode_source(data, path)


def _target(output: Path | None, site: Path, config: SiteConfig, date: datetime, slug: str) -> Path:
    if output is None:
        return site / config.content_dir / f"{date.year:04d}" / f"{slug}.md"
    if output.suffix == ".md":
        return output
    return output / f"{slug}.md"


def site_slugs(site: Path, config: SiteConfig) -> frozenset[str]:
    """The slugs of the site's articles (``slug`` or the title's); unreadable files skipped."""
    slugs: set[str] = set()
    for path in find_sources(site / config.content_dir):
        try:
            meta, _, _ = split_frontmatter(read_source(path, site))
        except (OSError, PresseError):
            continue
        slug, title = meta.get("slug"), meta.get("title")
        if isinstance(slug, str) and slug:
            slugs.add(slug)
        elif isinstance(title, str):
            slugs.add(slugify(title))
    return frozenset(slugs)
