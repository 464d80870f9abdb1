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
import heapq
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence

from presse.digest import value_fingerprint
from presse.model import Article
from presse.slug_links import Links
from presse.slugs import slugify

TAG_WEIGHT = 3.0
SECTION_WEIGHT = 2.0
CLOSENESS_DAYS = 7.0
WINDOW = 30


def relations_fingerprint(articles: Sequence[Article], count: int) -> str:
    """Everything the scoring reads: two corpora with the same one get the same result."""
    return value_fingerprint(
        WINDOW,
        count,
        [(a.slug, a.date, a.tags, a.section, a.related) for a in articles],
    )


def related_articles(articles: Sequence[Article], count: int) -> Mapping[str, tuple[str, ...]]:
    """Slugs of the related articles of every article; ``articles`` are the published ones.

    What the scoring reads is held lean, since it was the peak of a cold build's linking
    (0.6 KB an article as sets, floats and fresh strings): each tag and section slug once,
    an article's tags as a tuple of them, dates and ranks in arrays; and the picks are
    packed as they are found (see :meth:`Links.of_places`)."""
    ranked = sorted(articles, key=lambda a: (a.date, a.slug))  # oldest first
    rank = {a.slug: r for r, a in enumerate(ranked)}  # the published slugs, by rank
    slugs = [a.slug for a in ranked]
    stamps = array("d", (a.date.timestamp() for a in ranked))
    names: dict[str, str] = {}  # each tag or section slug once
    tags = [tuple({_once(names, slugify(t)): None for t in a.tags}) for a in ranked]
    sections = [_once(names, slugify(a.section)) if a.section else "" for a in ranked]

    index: dict[str, array[int]] = defaultdict(lambda: array("q"))  # key → ranks, ascending
    for r in range(len(ranked)):
        for tag in tags[r]:
            index["t:" + tag].append(r)
        if sections[r]:
            index["s:" + sections[r]].append(r)

    # Worked out in the order of the slugs, each pick as its slug's place in that order:
    # packed as they come (no dict of every article's picks, then a Links made of it).
    order = sorted(range(len(ranked)), key=slugs.__getitem__)
    place = array("I", bytes(4 * len(ranked)))  # rank → place in slug order
    for at, r in enumerate(order):
        place[r] = at
    starts, links = array("I", [0]), array("i")
    for me in order:
        article = ranked[me]
        picks = list(
            dict.fromkeys(rank[s] for s in article.related if s in rank and s != article.slug)
        )
        wanted = count - len(picks)
        if wanted > 0:
            mine = frozenset(tags[me])
            keys = ["t:" + t for t in mine] + (["s:" + sections[me]] if sections[me] else [])
            candidates = _neighbours(index, keys, me)
            candidates.discard(me)
            taken = set(picks)
            best = heapq.nsmallest(
                wanted,
                (
                    (-_score(me, c, mine, tags, sections, stamps), -stamps[c], slugs[c], c)
                    for c in candidates
                    if c not in taken
                ),
            )
            picks += [c for _, _, _, c in best]
        links.extend(place[r] for r in picks[:count])
        starts.append(len(links))
    return Links.of_places([slugs[r] for r in order], starts, links)


def _once(names: dict[str, str], name: str) -> str:
    return names.setdefault(name, name)


def _neighbours(index: Mapping[str, Sequence[int]], keys: list[str], position: int) -> set[int]:
    found: set[int] = set()
    for key in keys:
        ranks = index[key]
        at = bisect.bisect_left(ranks, position)
        found.update(ranks[max(0, at - WINDOW) : at + WINDOW + 1])
    return found


def _score(
    a: int,
    c: int,
    mine: frozenset[str],
    tags: Sequence[tuple[str, ...]],
    sections: Sequence[str],
    stamps: Sequence[float],
) -> float:
    same_section = bool(sections[a]) and sections[a] == sections[c]
    days = abs(stamps[a] - stamps[c]) / 86400
    return (
        TAG_WEIGHT * len(mine.intersection(tags[c]))
        + SECTION_WEIGHT * same_section
        + 1 / (1 + days / CLOSENESS_DAYS)
    )
