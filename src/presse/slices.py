"""The part of a site that some pages read. Pure.

A cluster's worker plans and renders a chunk of pages from its slice rather than from
the whole site, which it never holds. For article pages: the chunk's articles and
those their pages show (related articles, the older and newer ones of their section),
the terms they name (without their lists of articles), the profiles, and the images
these articles show. For listing pages (the front page, sections, tags, authors,
archives): each listing's length and the stretch of it the chunk's pages show (a
:class:`Window`), those articles, the profiles and their images. Plain data: a slice
travels pickled. A page rendered from its slice is byte for byte the page rendered from
the whole site (tests compare the two on real corpora).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar, overload

from presse.images import ImageSize
from presse.model import Article, Period, Site, Term
from presse.pages import LISTINGS, Recipe
from presse.slugs import slugify

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Window(Sequence[T], Generic[T]):
    """A long list of which only a stretch travels: its length, and the items from
    ``start``. A listing page reads its list's length (how many pages) and its own
    stretch; asking for anything outside the stretch is a bug, and fails."""

    length: int
    start: int
    items: tuple[T, ...]

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            low, high, step = index.indices(self.length)
            if low >= high:
                return ()
            if step == 1 and self.start <= low and high <= self.start + len(self.items):
                return self.items[low - self.start : high - self.start]
            raise IndexError(f"{index} is outside the window {self._span}")
        position = index + self.length if index < 0 else index
        if not self.start <= position < self.start + len(self.items):
            raise IndexError(f"{index} is outside the window {self._span}")
        return self.items[position - self.start]

    @property
    def _span(self) -> str:
        return f"[{self.start}:{self.start + len(self.items)}] of {self.length}"


def article_slice(site: Site, slugs: Sequence[str]) -> Site:
    """What the pages of the articles ``slugs`` read of ``site``."""
    related = {slug: site.related.get(slug, ()) for slug in slugs}
    neighbours = {slug: site.neighbours[slug] for slug in slugs if slug in site.neighbours}
    shown: dict[str, Article] = {}
    for slug in slugs:
        older, newer = neighbours.get(slug, (None, None))
        for other in (slug, *related[slug], older, newer):
            if other is not None and other not in shown:
                shown[other] = site.by_slug[other]
    own = [site.by_slug[slug] for slug in slugs]
    return replace(
        site,
        articles=tuple(shown.values()),
        pages=(),
        by_slug=shown,
        related=related,
        sections=_named(site.sections, {a.section for a in own if a.section}),
        tags=_named(site.tags, {t for a in own for t in a.tags}),
        authors=_named(site.authors, {n for a in own for n in a.authors}),
        archives=(),
        neighbours=neighbours,
        profiles=dict(site.profiles),
        images=_images(site, shown.values()),
    )


def _named(terms: tuple[Term, ...], names: set[str]) -> tuple[Term, ...]:
    """The terms ``names`` spell, as an article page names them: without their articles."""
    slugs = {slugify(name) for name in names}
    return tuple(replace(term, articles=()) for term in terms if term.slug in slugs)


def listing_slice(site: Site, recipes: Sequence[Recipe], per_page: int) -> Site:
    """What the listing pages ``recipes`` (``("front", n)``, ``("term", kind, slug, n)``,
    ``("period", slug, n)``, pages of ``per_page`` articles) read of ``site``: each
    listing as a window on the stretch its pages show."""
    wanted: dict[tuple[str, ...], list[int]] = {}
    for recipe in recipes:
        assert recipe[0] in LISTINGS, recipe
        wanted.setdefault(tuple(recipe[:-1]), []).append(recipe[-1])
    terms = {(t.kind, t.slug): t for t in (*site.sections, *site.tags, *site.authors)}
    periods = {p.slug: p for p in site.archives}
    front: Sequence[Article] = ()
    kept: dict[tuple[str, str], Term] = {}
    archives: list[Period] = []
    shown: dict[str, Article] = {}
    for listing, numbers in wanted.items():
        low, high = (min(numbers) - 1) * per_page, max(numbers) * per_page
        if listing[0] == "front":
            front = _window(site.articles, low, high)
            shown.update((a.slug, a) for a in front[low:high])
            continue
        if listing[0] == "term":
            term = terms[(listing[1], listing[2])]
            kept[(term.kind, term.slug)] = replace(term, articles=_window(term.articles, low, high))
            slugs: Sequence[str] = term.articles[low:high]
        else:
            period = periods[listing[1]]
            archives.append(replace(period, articles=_window(period.articles, low, high)))
            slugs = period.articles[low:high]
        shown.update((slug, site.by_slug[slug]) for slug in slugs)
    return replace(
        site,
        articles=front,
        pages=(),
        by_slug=shown,
        related={},
        sections=tuple(kept[(t.kind, t.slug)] for t in site.sections if (t.kind, t.slug) in kept),
        tags=tuple(kept[(t.kind, t.slug)] for t in site.tags if (t.kind, t.slug) in kept),
        authors=tuple(kept[(t.kind, t.slug)] for t in site.authors if (t.kind, t.slug) in kept),
        archives=tuple(archives),
        neighbours={},
        profiles=dict(site.profiles),
        images=_images(site, shown.values()),
    )


def _window(items: Sequence[T], low: int, high: int) -> Window[T]:
    low = min(low, len(items))
    return Window(len(items), low, tuple(items[low:high]))


def _images(site: Site, articles: Iterable[Article]) -> dict[str, ImageSize | None]:
    """The sizes of the images ``articles`` show, and of those every page may show (the
    logo, the default image, the authors' photos)."""
    config = site.config
    wanted: set[str | None] = {
        config.logo,
        config.default_image,
        *(p.photo for p in site.profiles.values()),
    }
    for article in articles:
        wanted.add(article.image)
        wanted.update(photo.reference for photo in article.body.photos)
    return {r: site.images[r] for r in wanted if r and r in site.images}
