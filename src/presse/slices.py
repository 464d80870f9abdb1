"""The part of a site that some article pages read. Pure.

A cluster's worker plans and renders a chunk of article pages from its slice rather
than from the whole site, which it never holds: the chunk's articles and those their
pages show (related articles, the older and newer ones of their section), the terms
they name (without their lists of articles), the profiles, and the images these articles
show. Plain dictionaries: a slice travels pickled. A
page rendered from its slice is byte for byte the page rendered from the whole site
(tests compare the two on real corpora).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from presse.model import Article, Site, Term
from presse.slugs import slugify


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
    config = site.config
    wanted: set[str | None] = {
        config.logo,
        config.default_image,
        *(p.photo for p in site.profiles.values()),
    }
    for article in shown.values():
        wanted.add(article.image)
        wanted.update(photo.reference for photo in article.body.photos)
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
        images={r: site.images[r] for r in wanted if r and r in site.images},
    )


def _named(terms: tuple[Term, ...], names: set[str]) -> tuple[Term, ...]:
    """The terms ``names`` spell, as an article page names them: without their articles."""
    slugs = {slugify(name) for name in names}
    return tuple(replace(term, articles=()) for term in terms if term.slug in slugs)
