"""Groupings of the published articles: sections, tags, authors and date archives. Pure.

Names that differ only by case or accents (« Économie », « economie ») share a slug and
so a page; the page shows the spelling most articles use (ties: the first in sorted order).
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from presse.columns import Picked
from presse.config import SiteConfig
from presse.model import Article, Period, Term
from presse.slug_links import Links
from presse.slugs import slugify


def terms(
    articles: Sequence[Article], kind: str, order: tuple[str, ...] | None = None
) -> tuple[Term, ...]:
    """Every section, tag or author used by ``articles``, sorted by slug. ``order``: the
    articles' slugs, which each term's list picks from (see :class:`Picked`; its own
    tuple of an archive's slugs cost 8 bytes a listing an article)."""
    order = order if order is not None else tuple(a.slug for a in articles)
    names: Callable[[Article], Iterable[str]] = {
        "section": lambda a: [a.section] if a.section else [],
        "tag": lambda a: a.tags,
        "author": lambda a: a.authors,
    }[kind]
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, array[int]] = defaultdict(lambda: array("I"))
    for place, article in enumerate(articles):
        for name in names(article):
            slug = slugify(name)
            if not slug:
                continue
            places = members[slug]
            if not places or places[-1] != place:  # two spellings in one article: once
                spellings[slug][name] += 1
                places.append(place)
    return tuple(
        Term(
            kind=kind,
            slug=slug,
            name=_preferred(spellings[slug]),
            articles=Picked.of_places(order, members[slug]),
        )
        for slug in sorted(members)
    )


def _preferred(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))


def archives(
    articles: Sequence[Article], config: SiteConfig, order: tuple[str, ...] | None = None
) -> tuple[Period, ...]:
    """Years and months that have articles, newest first; dates in the site's zone.
    ``order`` as for :func:`terms`: the site's articles being newest first, a period's
    are a run of them, held as the range of their places."""
    order = order if order is not None else tuple(a.slug for a in articles)
    years: dict[int, array[int]] = defaultdict(lambda: array("I"))
    months: dict[tuple[int, int], array[int]] = defaultdict(lambda: array("I"))
    for place, article in enumerate(articles):
        local = article.date.astimezone(config.tzinfo)
        years[local.year].append(place)
        months[(local.year, local.month)].append(place)
    periods = [Period(y, 0, Picked.of_places(order, p)) for y, p in years.items()]
    periods += [Period(y, m, Picked.of_places(order, p)) for (y, m), p in months.items()]
    return tuple(sorted(periods, key=lambda p: (-p.year, p.month != 0, -p.month)))


def section_neighbours(sections: Iterable[Term]) -> Mapping[str, tuple[str | None, str | None]]:
    """For each article: (older, newer) article of the same section, or None."""
    result: dict[str, tuple[str | None, str | None]] = {}
    for term in sections:
        slugs = term.articles  # newest first
        for i, slug in enumerate(slugs):
            older = slugs[i + 1] if i + 1 < len(slugs) else None
            newer = slugs[i - 1] if i > 0 else None
            result[slug] = (older, newer)
    return Links(result)
