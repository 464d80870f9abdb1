"""``presse import`` on the command line. I/O edge.

What is read depends on the input, recognised by its content rather than its name:

* a **WordPress export** (WXR, the XML file of Tools → Export): :mod:`presse.wordpress`;
* an **RSS or Atom feed** (a file, or a saved copy of a feed's address):
  :mod:`presse.feed_import`;
* a **Hugo or Jekyll folder** (the site's root, or a folder of its posts):
  :mod:`presse.generators`;
* **plain text** pasted from a web page or a wire: :func:`presse.importer.convert`,
  written as drafts.

The first three are written by :mod:`presse.import_writer`: all or nothing, never over a
file, and an item imported before is skipped.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from presse.config import SiteConfig, load_config
from presse.errors import PresseError
from presse.import_writer import known_items, write_items
from presse.importer import ImportedArticle, convert
from presse.imports import ImportSource
from presse.sources import check_site_folder, decode_source

SNIFF_BYTES = 4096  # enough for an XML declaration, comments and the root element


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``presse import`` to the ``presse`` command."""
    p = subparsers.add_parser(
        "import",
        help="bring articles in: a WordPress export, an RSS/Atom feed, a Hugo or Jekyll folder,"
        " or pasted plain text",
    )
    p.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="SOURCE",
        help="a WordPress export (.xml), a feed, a Hugo or Jekyll folder, or UTF-8 text files",
    )
    p.add_argument("-s", "--site", type=Path, default=Path(), help="site folder (default: .)")
    p.add_argument(
        "--media",
        type=Path,
        metavar="DIR",
        help="WordPress: a copy of wp-content/uploads; photos are copied beside their articles",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="text: a folder, or a .md file for a single input (default: content/<year>/<slug>.md)",
    )
    p.add_argument("--date", type=date_argument, help="text: YYYY-MM-DD or ISO 8601 (default: now)")
    p.add_argument("--section", help="text: the articles' section")
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
    """An export, a feed or a folder through its importer; text files as drafts."""
    check_site_folder(args.site)
    config = load_config(args.site)
    files: list[Path] = args.files
    for path in files:
        if not path.exists():
            raise PresseError("does not exist", path)
    kinds = [_kind(path) for path in files]
    if any(kind != "text" for kind in kinds):
        return _import_structured(args, config, files, kinds)
    if args.media is not None:
        raise PresseError("--media is for a WordPress export, and no export is imported")
    return _import_text(args, config)


def _kind(path: Path) -> str:
    """What an input is, from its content: "wordpress", "feed", "folder" or "text"."""
    if path.is_dir():
        return "folder"
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise PresseError(f"cannot read: {exc.strerror}", path) from None
    # The importers (lxml, markdownify, feedparser) are loaded only for an import: every
    # other command, a build above all, would pay a quarter of a second to start.
    from presse.feed_import import is_feed
    from presse.wordpress import is_wordpress_export

    if is_wordpress_export(head):
        return "wordpress"
    return "feed" if is_feed(head) else "text"


def _import_structured(
    args: argparse.Namespace, config: SiteConfig, files: list[Path], kinds: list[str]
) -> int:
    if len(files) > 1:
        raise PresseError(
            "import one export, feed or folder at a time (each is imported all or nothing)"
        )
    for option, name in ((args.output, "-o"), (args.date, "--date"), (args.section, "--section")):
        if option is not None:
            raise PresseError(f"{name} is for text files; a {kinds[0]} brings its own")
    path, kind = files[0], kinds[0]
    if args.media is not None and kind != "wordpress":
        raise PresseError(f"--media is for a WordPress export, not a {kind}")
    if args.media is not None and not args.media.is_dir():
        problem = "is a file, not a folder" if args.media.exists() else "does not exist"
        raise PresseError(f'media folder "{args.media}" {problem}')
    from presse.feed_import import FeedFile
    from presse.generators import GeneratorFolder
    from presse.wordpress import WordPressExport

    source: ImportSource
    if kind == "wordpress":
        source = WordPressExport(path, config, args.media)
    elif kind == "feed":
        source = FeedFile(path.read_bytes(), path, config, datetime.now(config.tzinfo))
    else:
        source = GeneratorFolder(path, config)
    report = write_items(source, args.site, config)
    if not report.written and not report.skipped:
        for line in source.summary():
            print(line)
        raise PresseError(f"nothing to import: no article, page or entry found ({kind})", path)
    for line in report.lines():
        print(line)
    for line in source.summary():
        print(line)
    print(report.totals())
    return 0


def _import_text(args: argparse.Namespace, config: SiteConfig) -> int:
    """Convert every file, check every target, then write: all or nothing."""
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
    return frozenset(known_items(site, config).slugs)
