"""Groupings of the published articles: sections, tags, authors and date archives. Pure.

Names that differ only by case or accents (« Économie », « economie ») share a slug and
so a page; the page shows the spelling most articles use (ties: the first in sorted order).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from presse.config import SiteConfig
from presse.model import Article, Period, Term
from presse.slug_links import Links
from presse.slugs import slugify


def terms(articles: Sequence[Article], kind: str) -> tuple[Term, ...]:
    """Every section, tag or author used by ``articles``, sorted by slug."""
    names: Callable[[Article], Iterable[str]] = {
        "section": lambda a: [a.section] if a.section else [],
        "tag": lambda a: a.tags,
        "author": lambda a: a.authors,
    }[kind]
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        for name in names(article):
            slug = slugify(name)
            if slug and article.slug not in members[slug][-1:]:
                spellings[slug][name] += 1
                members[slug].append(article.slug)
    return tuple(
        Term(kind=kind, slug=slug, name=_preferred(spellings[slug]), articles=tuple(members[slug]))
        for slug in sorted(members)
    )


def _preferred(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))


def archives(articles: Sequence[Article], config: SiteConfig) -> tuple[Period, ...]:
    """Years and months that have articles, newest first; dates in the site's zone."""
    years: dict[int, list[str]] = defaultdict(list)
    months: dict[tuple[int, int], list[str]] = defaultdict(list)
    for article in articles:
        local = article.date.astimezone(config.tzinfo)
        years[local.year].append(article.slug)
        months[(local.year, local.month)].append(article.slug)
    periods = [Period(y, 0, tuple(s)) for y, s in years.items()]
    periods += [Period(y, m, tuple(s)) for (y, m), s in months.items()]
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
