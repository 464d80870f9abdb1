"""Writing what an importer read into ``content/``: all or nothing, never over a file,
never twice the same item. I/O edge (the importers themselves are pure readers).

The items stream in (a large WordPress export never sits whole in memory): each is
written at once into a scratch folder beside ``content/``, with its photos; only when
the whole input has been read are the files moved into place, each with a hard link
that fails rather than replace an existing file. A failure before that leaves
``content/`` as it was, and the scratch folder is removed whatever happens.

An item imported before carries the same ``id`` (a WordPress guid, a feed entry's id,
a file of the old site): it is skipped, so an export imported twice duplicates nothing.
A slug the site already has for another article gets a number (``-2``), since an
address may only serve one article.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from presse.authors import parse_authors
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.imports import Imported, ImportedAuthor, ImportSource, file_text
from presse.model import PAGES_FOLDER
from presse.parse import is_page_source, split_frontmatter
from presse.slugs import slugify
from presse.sources import decode_source, find_sources, read_source
from presse.wording import counted


@dataclass(frozen=True, slots=True)
class Known:
    """What the site already holds: the identities of imported items, and slugs."""

    ids: dict[str, str]  # id → the file that has it
    slugs: set[str]


def known_items(site_dir: Path, config: SiteConfig) -> Known:
    """Every article's ``id`` and slug (as written, or the title's); unreadable files are
    skipped here: the build reports them."""
    ids: dict[str, str] = {}
    slugs: set[str] = set()
    for path in find_sources(site_dir / config.content_dir):
        try:
            meta, _, _ = split_frontmatter(read_source(path, site_dir))
        except (OSError, PresseError):
            continue
        if isinstance(meta.get("id"), str):
            ids[meta["id"]] = Path(path).relative_to(site_dir).as_posix()
        slug, title = meta.get("slug"), meta.get("title")
        shown = Path(path).relative_to(site_dir)
        if isinstance(slug, str) and slug:
            slugs.add(slug)
        elif is_page_source(shown, config):
            slugs.add(slugify(shown.parent.name if shown.name == "index.md" else shown.stem))
        elif isinstance(title, str):
            slugs.add(slugify(title))
    return Known(ids, slugs)


@dataclass(slots=True)
class Report:
    """What an import did, for the closing lines."""

    written: list[tuple[Imported, str]] = field(default_factory=list)  # (item, its file)
    skipped: list[tuple[Imported, str]] = field(default_factory=list)  # (item, the file it is in)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (slug wanted, slug given)
    authors: list[str] = field(default_factory=list)  # added to the authors file

    def lines(self) -> Iterator[str]:
        for item, target in self.written:
            kind = "page" if item.page else ("draft" if item.front.get("draft") else "article")
            yield f"{item.origin} → {target} ({kind})"
            for line in item.recognised:  # understood and kept
                yield f"  {line}"
            for line in item.dropped:  # left out, or to review: each line says which
                yield f"  ! {line}"
            for url in item.remote:
                yield f"  left on the old site: {url}"
        for item, target in self.skipped:
            yield f"{item.origin}: already imported ({target}), skipped"
        for wanted, given in self.renamed:
            yield f'slug "{wanted}" is taken: imported as "{given}"'
        for name in self.authors:
            yield f"author added to the authors file: {name}"

    def totals(self) -> str:
        pages = sum(1 for item, _ in self.written if item.page)
        drafts = sum(1 for item, _ in self.written if not item.page and item.front.get("draft"))
        articles = len(self.written) - pages
        parts = [counted(articles, "article"), counted(pages, "page")]
        text = f"imported {', '.join(parts)}"
        if drafts:
            text += f" ({drafts} of them draft{'s' if drafts > 1 else ''})"
        if self.skipped:
            text += f"; {len(self.skipped)} already imported, skipped"
        return text


def write_items(source: ImportSource, site_dir: Path, config: SiteConfig) -> Report:
    """Read ``source`` to the end, then write its items into ``site_dir``'s content."""
    known = known_items(site_dir, config)
    content = site_dir / config.content_dir
    report = Report()
    content.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".presse-import-", dir=site_dir))
    try:
        for item in source.items():
            _stage(item, scratch, known, config, report)
        authors_text = _authors_text(site_dir, config, source.authors(), report)
        _commit(scratch, site_dir, config, report)
        if authors_text is not None:
            (content / config.authors_file).write_text(authors_text, encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report


def _stage(item: Imported, scratch: Path, known: Known, config: SiteConfig, report: Report) -> None:
    identity = item.identity
    if identity and identity in known.ids:
        report.skipped.append((item, known.ids[identity]))
        return
    slug = _free_slug(item.slug, known.slugs)
    if slug != item.slug:
        report.renamed.append((item.slug, slug))
    known.slugs.add(slug)
    if identity:
        known.ids[identity] = "(this import)"
    front: dict[str, Any] = dict(item.front)
    if "slug" in front or (not item.page and slugify(str(front.get("title", ""))) != slug):
        # The address the importer chose (the old site's last segment, a free number),
        # written down: presse would make another one from the title. A page's is its
        # file name.
        entries = [(k, v) for k, v in front.items() if k != "slug"]
        at = next((i + 1 for i, (k, _) in enumerate(entries) if k == "title"), 0)
        front = dict([*entries[:at], ("slug", slug), *entries[at:]])
    folder = PAGES_FOLDER if item.page else f"{item.year:04d}"
    relative = f"{config.content_dir}/{folder}/{slug}"
    target = f"{relative}/index.md" if item.media else f"{relative}.md"
    staged = scratch / target
    staged.parent.mkdir(parents=True, exist_ok=True)
    text = file_text(replace(item, front=front, slug=slug))
    with staged.open("x", encoding="utf-8") as handle:
        handle.write(text)
    for media in item.media:
        try:
            shutil.copyfile(media.source, staged.parent / media.name)
        except OSError as exc:
            raise PresseError(f"cannot copy: {exc.strerror}", media.source) from None
    report.written.append((item, target))


def _free_slug(slug: str, taken: set[str]) -> str:
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def _authors_text(
    site_dir: Path, config: SiteConfig, authors: Iterable[ImportedAuthor], report: Report
) -> str | None:
    """The authors file with an entry for each imported author it lacks, or None when
    nothing is to be added (existing entries are never touched)."""
    path = site_dir / config.content_dir / config.authors_file
    shown = path.relative_to(site_dir)
    text = decode_source(path.read_bytes(), shown) if path.is_file() else ""
    present = parse_authors(text, shown) if text else {}
    added = []
    for author in authors:
        if author.slug in present or not author.slug:
            continue
        lines = [f"[{author.slug}]", f"name = {_toml_string(author.name)}"]
        lines += [f"{key} = {_toml_string(value)}" for key, value in author.fields.items() if value]
        added.append("\n".join(lines))
        report.authors.append(author.name)
    if not added:
        return None
    head = text.rstrip("\n") + "\n\n" if text.strip() else _AUTHORS_HEADER
    return head + "\n\n".join(added) + "\n"


_AUTHORS_HEADER = (
    "# Authors, one table per author keyed by the slug of the name used in articles'\n"
    '# "authors"; every field but "name" is optional: role, bio, photo, url.\n\n'
)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def _commit(scratch: Path, site_dir: Path, config: SiteConfig, report: Report) -> None:
    """Move the staged files into place. Every target is checked first, and each file is
    created exclusively, which fails rather than replace a file written meanwhile; on a
    failure what was placed is taken back."""
    staged = sorted(p for p in scratch.rglob("*") if p.is_file())
    for path in staged:
        target = site_dir / path.relative_to(scratch)
        if target.exists():
            raise PresseError("already exists, not overwritten", target.relative_to(site_dir))
    placed: list[Path] = []
    made: list[Path] = []
    try:
        for path in staged:
            target = site_dir / path.relative_to(scratch)
            missing = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            made += reversed(missing)
            with path.open("rb") as source, target.open("xb") as handle:
                placed.append(target)
                shutil.copyfileobj(source, handle)
    except OSError as exc:
        for target in placed:
            target.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        shown = Path(exc.filename).relative_to(site_dir) if exc.filename else None
        raise PresseError(f"cannot write: {exc.strerror}", shown) from None
