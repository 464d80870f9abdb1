"""Search shards: which articles each part of the search index holds. Pure.

Pagefind's memory and time grow with the pages it indexes (about 0.37 MB and 2–3 ms an
article), so one index over a whole archive can neither be built on one machine past
some tens of thousands of articles nor be brought up to date quickly after an edit.
The published articles are therefore split into **shards**, each indexed on its own
into ``/pagefind/<name>/`` and merged in the reader's browser at query time.

Shards follow publication time: months are packed, oldest first, into shards of at
most ``search_shard_size`` articles (500 by default; a month larger than that is cut
into several). The newest months (:data:`HOT_MONTHS`), where corrections and new
articles land, go into shards half as large, so an edit there re-indexes little. The
packing depends only on the articles' dates, so an edit that keeps its date changes
one shard, a new article changes the newest one, and older shards keep their names
and contents: their key (the fingerprints of their articles) is unchanged and they
are reused, never indexed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from presse.model import Article, Site, quick_pickle

FOLDER = "pagefind"  # the shards live in /pagefind/<name>/
DOCUMENT_TEMPLATE = "search/document.html"
HOT_MONTHS = 2  # the newest article's month and the one before it
# search_shard_size (500) bounds Pagefind's time after an edit (~2 s) and its memory
# (~0.2 GB); the newest months' shards are half as large.


@quick_pickle
@dataclass(frozen=True, slots=True)
class Shard:
    """A part of the search index: a name (its first month, ``2024-03``, with ``-2``,
    ``-3``… for the later parts of a month cut in several) and its articles' slugs,
    oldest first."""

    name: str
    slugs: tuple[str, ...]

    @property
    def folder(self) -> str:
        """Its output folder, ``pagefind/2024-03/``."""
        return f"{FOLDER}/{self.name}/"


def plan_shards(site: Site) -> tuple[Shard, ...]:
    """The shards of the site's published articles, newest first (the order of the search
    page's list, so that equal scores favour fresher articles)."""
    zone = site.config.tzinfo
    oldest_first = sorted(site.articles, key=lambda a: (a.date, a.slug))
    months = [
        (month, [a.slug for a in group])
        for month, group in groupby(
            oldest_first, key=lambda a: a.date.astimezone(zone).strftime("%Y-%m")
        )
    ]
    if not months:
        return ()
    hot_from = _months_before(months[-1][0], HOT_MONTHS - 1)
    size = site.config.search_shard_size
    return tuple(reversed(_pack(months, hot_from, size, max(1, size // 2))))


def _pack(
    months: Sequence[tuple[str, list[str]]], hot_from: str, cold_size: int, hot_size: int
) -> list[Shard]:
    shards: list[Shard] = []
    name, hot = "", False
    slugs: list[str] = []
    for month, members in months:
        month_hot = month >= hot_from
        size = hot_size if month_hot else cold_size
        if slugs and (month_hot != hot or len(slugs) + len(members) > size):
            shards.append(Shard(name, tuple(slugs)))
            slugs = []
        if not slugs:
            name, hot = month, month_hot
        if len(members) <= size:
            slugs += members
            continue
        # A month too large for one shard: full parts, the last one left open.
        parts = [members[i : i + size] for i in range(0, len(members), size)]
        for number, part in enumerate(parts[:-1], start=1):
            shards.append(Shard(month if number == 1 else f"{month}-{number}", tuple(part)))
        name, slugs = f"{month}-{len(parts)}", parts[-1]
    if slugs:
        shards.append(Shard(name, tuple(slugs)))
    return shards


def _months_before(month: str, count: int) -> str:
    year, number = int(month[:4]), int(month[5:7]) - count
    while number < 1:
        year, number = year - 1, number + 12
    return f"{year:04d}-{number:02d}"


_HEADING_ID = re.compile(r"(<h[1-6])\s+id=\"[^\"]*\"")


def indexed_body(article: Article) -> str:
    """The body as the index reads it: headings without their ``id``, since Pagefind makes
    a sub-result of every heading with one (a third of its time), and a news search
    lists articles, not their sections."""
    body = article.body.html_with(lambda photo: photo.caption)
    return _HEADING_ID.sub(r"\1", body)


def shard_articles(shard: Shard, site: Site) -> Iterable[Article]:
    return (site.by_slug[slug] for slug in shard.slugs)
