"""« À lire également »: explicit picks first, then the best-scoring other articles. Pure.

Scoring, for a candidate ``c`` of an article ``a`` (both published):

    score = 3 × (tags shared with a) + 2 × (same section as a) + closeness
    closeness = 1 / (1 + |days between a and c| / 7)        (between 0 and 1)

so one shared tag outweighs a shared section, a shared section outweighs any closeness
in time, and among equals the article nearest in time wins. Ties are broken by the
newer article, then by slug: the result never depends on input order or hashing.

Candidates come from an inverted index (tag → articles, section → articles), not from
all pairs. In each tag or section only the ``WINDOW`` articles nearest in time on each
side are considered, which keeps the cost linear in the corpus even when one tag
covers thousands of articles.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from presse.model import Article
from presse.slugs import slugify

TAG_WEIGHT = 3.0
SECTION_WEIGHT = 2.0
CLOSENESS_DAYS = 7.0
WINDOW = 30


def related_articles(articles: Sequence[Article], count: int) -> Mapping[str, tuple[str, ...]]:
    """Slugs of the related articles of every article; ``articles`` are the published ones."""
    by_slug = {a.slug: a for a in articles}
    order = sorted(range(len(articles)), key=lambda i: (articles[i].date, articles[i].slug))
    rank = {articles[i].slug: position for position, i in enumerate(order)}  # oldest = 0
    tags = {a.slug: frozenset(slugify(t) for t in a.tags) for a in articles}
    sections = {a.slug: slugify(a.section) if a.section else "" for a in articles}

    index: dict[str, list[int]] = defaultdict(list)  # key → ranks, ascending
    for position, i in enumerate(order):
        article = articles[i]
        for tag in tags[article.slug]:
            index["t:" + tag].append(position)
        if sections[article.slug]:
            index["s:" + sections[article.slug]].append(position)
    by_rank = [articles[i] for i in order]

    result: dict[str, tuple[str, ...]] = {}
    for article in articles:
        picks = list(
            dict.fromkeys(s for s in article.related if s in by_slug and s != article.slug)
        )
        if len(picks) < count:
            keys = ["t:" + t for t in tags[article.slug]]
            if sections[article.slug]:
                keys.append("s:" + sections[article.slug])
            candidates = _neighbours(index, keys, rank[article.slug]) - {rank[article.slug]}
            scored = sorted(
                (
                    (
                        -_score(article, by_rank[c], tags, sections),
                        -by_rank[c].date.timestamp(),
                        by_rank[c].slug,
                    )
                    for c in candidates
                    if by_rank[c].slug not in picks
                ),
            )
            picks += [slug for _, _, slug in scored[: count - len(picks)]]
        result[article.slug] = tuple(picks[:count])
    return MappingProxyType(result)


def _neighbours(index: Mapping[str, list[int]], keys: list[str], position: int) -> set[int]:
    found: set[int] = set()
    for key in keys:
        ranks = index[key]
        at = bisect.bisect_left(ranks, position)
        found.update(ranks[max(0, at - WINDOW) : at + WINDOW + 1])
    return found


def _score(
    a: Article, c: Article, tags: Mapping[str, frozenset[str]], sections: Mapping[str, str]
) -> float:
    shared = len(tags[a.slug] & tags[c.slug])
    same_section = bool(sections[a.slug]) and sections[a.slug] == sections[c.slug]
    days = abs((a.date - c.date).total_seconds()) / 86400
    return TAG_WEIGHT * shared + SECTION_WEIGHT * same_section + 1 / (1 + days / CLOSENESS_DAYS)
