"""Another generator's site (Jekyll, Hugo, or a folder of their Markdown files) brought
into presse: the importer behind ``presse import path/to/folder``. Reads files.

The work is shared out, one job a module:

* :mod:`presse.generator_site`: whose rules read the folder, what its config says, and
  what each Markdown file is by its place (a post, a page, a draft, a page bundle);
* :mod:`presse.generator_front`: one file's front matter mapped to presse's keys;
* :mod:`presse.generator_urls`: the address the old site gave it, kept as an alias;
* :mod:`presse.generator_bodies`: the template code of its body, converted where its
  meaning is clear (a video, a post, a figure, a code block, a link's
  ``{{ site.baseurl }}``), else reported with its line (presse's build leaves it out,
  see :mod:`presse.foreign`).

This module walks the folder, keeps slugs and aliases unique across the import, and
sums up what was done, in English like every line the command prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from presse.config import SiteConfig
from presse.enrich import alias_key
from presse.errors import PresseError
from presse.generator_bodies import template_summary
from presse.generator_front import Tally, read_item
from presse.generator_site import detect_generator, read_site, site_files
from presse.imports import Imported, ImportedAuthor
from presse.slugs import slugify

__all__ = ["GeneratorFolder", "detect_generator"]


class GeneratorFolder:
    """A Jekyll or Hugo site (or a folder of Markdown files) as presse articles and pages
    (a :class:`presse.imports.ImportSource`).

    Front matter is mapped to presse's keys as :mod:`presse.generator_front` tabulates;
    any other key is left out and reported, each item saying what it left out
    (``dropped``) and what it converted (``recognised``). A slug met before gets ``-2``,
    and an alias met before is dropped (presse's slugs and old addresses lead to one
    page each). Reading a folder raises :class:`PresseError` (path and line) for a
    broken config or front matter, or a date that is none.
    """

    def __init__(self, folder: Path, config: SiteConfig) -> None:
        if not folder.is_dir():
            raise PresseError("is not a folder", folder)
        self._site = read_site(folder)
        self._config = config
        self._authors: dict[str, ImportedAuthor] = {}
        self._kinds: Counter[str] = Counter()  # articles, pages, drafts
        self._ignored: Counter[str] = Counter()  # front matter keys left out
        self._skipped: Counter[str] = Counter()  # files left out, by reason
        self._tallies: list[Tally] = []
        self._renamed: list[str] = []

    def items(self) -> Iterator[Imported]:
        slugs: dict[str, str] = {}
        aliases: dict[str, str] = {}
        for file in site_files(self._site, self._skipped):
            read = read_item(file, self._site, self._config)
            if isinstance(read, str):
                self._skipped[read] += 1
                continue
            item, tally = read
            item = self._unique(item, slugs)
            item, tally = _unique_aliases(item, tally, aliases)
            self._count(item, tally)
            yield item

    def authors(self) -> tuple[ImportedAuthor, ...]:
        return tuple(self._authors.values())

    def summary(self) -> tuple[str, ...]:
        """What the import did, one line each, the counts first."""
        origin = {"jekyll": "a Jekyll site", "hugo": "a Hugo site"}
        articles, pages = self._kinds["article"], self._kinds["page"]
        made = _n(articles, "article") + (", " + _n(pages, "page") if pages else "")
        made += " imported from "
        first = [made + origin.get(self._site.generator or "", "a folder of Markdown files")]
        if self._kinds["draft"]:
            first.append(_n(self._kinds["draft"], "draft"))
        if self._ignored:
            keys = ", ".join(f"{k} ({n})" for k, n in _ranked(self._ignored))
            first.append(f"{_n(len(self._ignored), 'key')} dropped: {keys}")
        totals = Counter[str]()
        for tally in self._tallies:
            totals.update(tally.template)
        first += template_summary(totals)
        lines = ["; ".join(first)]
        old = [t.old_url for t in self._tallies if t.old_url]
        if old:
            kept = _n(len(old), "old address", "old addresses")
            kept += " kept as aliases" if len(old) > 1 else " kept as an alias"
            lines.append(f"{kept} (e.g. {old[0]})")
        unknown = Counter(t.unknown for t in self._tallies if t.unknown)
        if unknown:
            missed = _n(unknown.total(), "old address", "old addresses")
            placeholders = ", ".join(dict(_ranked(unknown)))
            lines.append(f"{missed} not computed: unknown placeholder {placeholders}")
        refused = [alias for t in self._tallies for alias in t.refused]
        if refused:
            dropped = _n(len(refused), "alias", "aliases")
            lines.append(f"{dropped} dropped (each item's report says why): {', '.join(refused)}")
        reviews = sum(t.reviews for t in self._tallies)
        if reviews:
            lines.append(
                f"{_n(reviews, 'image')} without alt text: the title or caption stands in,"
                " to review"
            )
        if self._renamed:
            renamed = _n(len(self._renamed), "slug")
            lines.append(f"{renamed} renamed (already taken): {', '.join(self._renamed)}")
        lines += self._images_line()
        if self._skipped:
            reasons = ", ".join(f"{reason} ({n})" for reason, n in _ranked(self._skipped))
            lines.append(f"{_n(self._skipped.total(), 'file')} skipped: {reasons}")
        return tuple(lines)

    def _unique(self, item: Imported, taken: dict[str, str]) -> Imported:
        """The item with a slug no earlier item has (presse's slugs are the site's)."""
        slug, n = item.slug, 1
        while slug in taken:
            n += 1
            slug = f"{item.slug}-{n}"
        taken[slug] = item.origin
        if slug == item.slug:
            return item
        self._renamed.append(f"{item.slug} → {slug}")
        line = f'slug "{item.slug}" already taken by {taken[item.slug]}: renamed "{slug}"'
        front = {k: slug if k == "slug" else v for k, v in item.front.items()}
        return replace(item, slug=slug, front=front, dropped=(*item.dropped, line))

    def _count(self, item: Imported, tally: Tally) -> None:
        self._kinds["page" if item.page else "article"] += 1
        self._kinds["draft"] += bool(item.front.get("draft"))
        self._ignored.update(tally.ignored)
        self._tallies.append(tally)
        for name in item.front.get("authors", ()):
            slug = slugify(name)
            if slug and slug not in self._authors:
                self._authors[slug] = ImportedAuthor(slug, name)

    def _images_line(self) -> list[str]:
        """The old site's own images are not copied: which, and where they are."""
        paths = sorted({p for t in self._tallies for p in t.site_images})
        if not paths:
            return []
        hugo = self._site.generator == "hugo"
        static = self._site.root / "static" if hugo else self._site.root
        missing = sum(1 for p in paths if not (static / p.lstrip("/").split("?")[0]).is_file())
        where = "the imported site's static/ folder" if hugo else "the imported site's root"
        them = "them" if len(paths) > 1 else "it"
        line = (
            f"{_n(len(paths), 'image')} named by a path of the site ({paths[0]}…):"
            f" copy {them} from {where} into static/"
        )
        if missing:
            line += f" ({missing} missing from the imported folder)"
        return [line]


def _unique_aliases(item: Imported, tally: Tally, taken: dict[str, str]) -> tuple[Imported, Tally]:
    """The item without the aliases an earlier item has (an old address redirects to one
    page only: two would stop the build), nor twice one address (``/a``, ``/a/``)."""
    written = list(item.front.get("aliases", ()))
    kept: dict[str, str] = {}  # alias_key → alias
    lines: list[str] = []
    refused: list[str] = []
    for alias in written:
        key = alias_key(alias)
        owner = taken.setdefault(key, item.origin)
        if owner != item.origin:
            lines.append(f'alias "{alias}" dropped: already an alias of {owner}')
            refused.append(alias)
        else:
            kept.setdefault(key, alias)
    if list(kept.values()) == written:
        return item, tally
    front = {k: v for k, v in item.front.items() if k != "aliases" or kept}
    if kept:
        front["aliases"] = list(kept.values())
    item = replace(item, front=front, dropped=(*item.dropped, *lines))
    old = tally.old_url if tally.old_url in kept.values() else ""
    return item, replace(tally, old_url=old, refused=(*tally.refused, *refused))


def _n(count: int, singular: str, plural: str = "") -> str:
    """``1 article``, ``2 articles``, ``0 articles``."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
