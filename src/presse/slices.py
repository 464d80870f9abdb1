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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar, overload

from presse.authors import Author
from presse.images import ImageSize
from presse.model import Article, Period, Site, Term
from presse.pages import LISTINGS
from presse.recipes import Recipe
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


@dataclass(frozen=True, slots=True)
class Slicer:
    """Cuts the slices of one site. Made once per build: a chunk's slice looks its terms,
    periods and images up, rather than passing over every tag of the archive (tens of
    thousands in a newsroom's) for each of thousands of chunks."""

    site: Site
    terms: Mapping[tuple[str, str], tuple[int, Term]]  # (kind, slug) → place in the site, term
    periods: Mapping[str, Period]
    profiles: Mapping[str, Author]
    every_page: frozenset[str]  # images any page may show: logo, default image, profiles

    @classmethod
    def of(cls, site: Site) -> Slicer:
        config = site.config
        terms = (*site.sections, *site.tags, *site.authors)
        shown = {config.logo, config.default_image, *(p.photo for p in site.profiles.values())}
        return cls(
            site,
            {(term.kind, term.slug): (place, term) for place, term in enumerate(terms)},
            {period.slug: period for period in site.archives},
            dict(site.profiles),
            frozenset(r for r in shown if r),
        )

    def articles(self, slugs: Sequence[str]) -> Site:
        """What the pages of the articles ``slugs`` read."""
        site = self.site
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
            sections=self._named("section", {a.section for a in own if a.section}),
            tags=self._named("tag", {t for a in own for t in a.tags}),
            authors=self._named("author", {n for a in own for n in a.authors}),
            archives=(),
            neighbours=neighbours,
            profiles=self.profiles,
            images=self._images(shown.values()),
        )

    def listings(self, recipes: Sequence[Recipe]) -> Site:
        """What the listing pages ``recipes`` (``("front", n)``, ``("term", kind, slug,
        n)``, ``("period", slug, n)``) read: each listing as a window on the stretch its
        pages show."""
        site = self.site
        per_page = site.config.per_page
        wanted: dict[tuple[str, ...], list[int]] = {}
        for recipe in recipes:
            assert recipe[0] in LISTINGS, recipe
            wanted.setdefault(tuple(recipe[:-1]), []).append(recipe[-1])
        front: Sequence[Article] = ()
        kept: dict[str, list[tuple[int, Term]]] = {"section": [], "tag": [], "author": []}
        archives: list[Period] = []
        shown: dict[str, Article] = {}
        for listing, numbers in wanted.items():
            low, high = (min(numbers) - 1) * per_page, max(numbers) * per_page
            if listing[0] == "front":
                front = _window(site.articles, low, high)
                shown.update((a.slug, a) for a in front[low:high])
                continue
            if listing[0] == "term":
                place, term = self.terms[(listing[1], listing[2])]
                window = _window(term.articles, low, high)
                kept[term.kind].append((place, replace(term, articles=window)))
            else:
                period = self.periods[listing[1]]
                window = _window(period.articles, low, high)
                archives.append(replace(period, articles=window))
            shown.update((slug, site.by_slug[slug]) for slug in window.items)
        return replace(
            site,
            articles=front,
            pages=(),
            by_slug=shown,
            related={},
            sections=_in_place(kept["section"]),
            tags=_in_place(kept["tag"]),
            authors=_in_place(kept["author"]),
            archives=tuple(archives),
            neighbours={},
            profiles=self.profiles,
            images=self._images(shown.values()),
        )

    def _named(self, kind: str, names: set[str]) -> tuple[Term, ...]:
        """The terms ``names`` spell, as an article page names them: without their
        articles, in the site's order."""
        found = filter(None, (self.terms.get((kind, slugify(name))) for name in names))
        return _in_place([(place, replace(term, articles=())) for place, term in found])

    def _images(self, articles: Iterable[Article]) -> dict[str, ImageSize | None]:
        """The sizes of the images ``articles`` show, and of those any page may show."""
        wanted = set(self.every_page)
        for article in articles:
            if article.image:
                wanted.add(article.image)
            wanted.update(photo.reference for photo in article.body.photos)
        images = self.site.images
        return {r: images[r] for r in sorted(wanted) if r in images}


def _in_place(terms: list[tuple[int, Term]]) -> tuple[Term, ...]:
    return tuple(term for _, term in sorted(terms, key=lambda found: found[0]))


def _window(items: Sequence[T], low: int, high: int) -> Window[T]:
    low = min(low, len(items))
    return Window(len(items), low, tuple(items[low:high]))
