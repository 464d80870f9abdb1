"""Links from article to article by slug, packed: the « À lire également » picks and the
section neighbours (older, newer) of every article. Pure.

The site holds both from linking to the end of the build, and the plan cache keeps
them for the next build. As dicts of tuples of slugs they cost a coordinator 0.2 KB an
article (an entry and a tuple each). Here they are the slugs in order (strings the
articles already hold), where each one's links start, and each link as the place of
its slug in that list (-1 for none), looked up by bisection.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar

_NONE = -1  # no article there (the newest of a section has no newer one)
V = TypeVar("V")


class SlugMap(Mapping[str, V]):
    """A mapping whose keys are slugs held sorted (strings the articles already hold) and
    found by bisection: what the packed maps of a plan and a site have in common."""

    __slots__ = ("_slugs",)
    _slugs: list[str]

    def _at(self, slug: object) -> int:
        """Where ``slug`` is among the slugs, or -1."""
        if not isinstance(slug, str):
            return -1
        slugs = self._slugs
        at = bisect_left(slugs, slug)
        return at if at < len(slugs) and slugs[at] == slug else -1

    def __contains__(self, slug: object) -> bool:
        return self._at(slug) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)


def share_slugs(first: object, *others: object) -> None:
    """Let each of ``others`` that is a :class:`SlugMap` with the same slugs as ``first``
    hold ``first``'s list of them (none changes its list in place): a site's articles
    by slug, related articles and section neighbours, and a plan's postings, each keep
    every article's slug, sorted, at 8 bytes an article a list."""
    if not isinstance(first, SlugMap):
        return
    for other in others:
        if isinstance(other, SlugMap) and other._slugs == first._slugs:
            other._slugs = first._slugs  # equal when the same: compared item by item


class Links(SlugMap[tuple[Any, ...]]):
    """Slug → the slugs it links to, in order (None where there is none)."""

    __slots__ = ("_keyed", "_links", "_size", "_starts")

    def __init__(self, links: Mapping[str, Sequence[str | None]] | None = None) -> None:
        links = links if links is not None else {}
        named = set(links)
        for linked in links.values():
            named.update(t for t in linked if t is not None)
        self._slugs = sorted(named)
        place = {slug: n for n, slug in enumerate(self._slugs)}
        self._keyed = bytearray(len(self._slugs))  # 1 where the slug is a key
        self._starts = array("I", [0])
        self._links = array("i")
        for n, slug in enumerate(self._slugs):
            targets = links.get(slug)
            if targets is not None:
                self._keyed[n] = 1
                self._links.extend(_NONE if t is None else place[t] for t in targets)
            self._starts.append(len(self._links))
        self._size = len(links)

    @classmethod
    def of_places(cls, slugs: list[str], starts: array[int], links: array[int]) -> Links:
        """Links already packed: every one of ``slugs`` (sorted) a key, the links of the
        n-th from ``starts[n]`` to ``starts[n + 1]`` in ``links``, as places in ``slugs``.
        A builder that works them out in that order holds no dict of the archive."""
        assert len(starts) == len(slugs) + 1 and starts[-1] == len(links)
        return _restore(slugs, b"\x01" * len(slugs), starts, links, len(slugs))

    def _place(self, slug: object) -> int:
        """Where the key ``slug`` is among the slugs (not only linked to), or -1."""
        at = self._at(slug)
        return at if at >= 0 and self._keyed[at] else -1

    def __getitem__(self, slug: str) -> tuple[Any, ...]:
        at = self._place(slug)
        if at < 0:
            raise KeyError(slug)
        slugs = self._slugs
        targets = self._links[self._starts[at] : self._starts[at + 1]]
        return tuple(None if n == _NONE else slugs[n] for n in targets)

    def __contains__(self, slug: object) -> bool:
        return self._place(slug) >= 0

    def __iter__(self) -> Iterator[str]:
        return (slug for slug, keyed in zip(self._slugs, self._keyed, strict=True) if keyed)

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return f"Links({self._size} articles)"

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its parts (the plan and parse caches): no dict made again. The slugs
        go as one string when none holds a line break (a slug never does): a pickler
        remembers every object it writes, and the related articles' slugs, remembered one
        by one, were a tenth of a 100 000-article build's last peak, as it saved them."""
        slugs: list[str] | str = self._slugs
        joined = "\n".join(self._slugs)
        if joined and joined.count("\n") == len(self._slugs) - 1:
            slugs = joined
        return (_restore, (slugs, bytes(self._keyed), self._starts, self._links, self._size))


def _restore(
    slugs: list[str] | str, keyed: bytes, starts: array[int], links: array[int], size: int
) -> Links:
    """The slugs interned, as the articles' own are when unpickled: one copy of each."""
    if isinstance(slugs, str):
        slugs = slugs.split("\n")
    restored = Links.__new__(Links)
    restored._slugs = [sys.intern(slug) for slug in slugs]
    restored._keyed, restored._starts, restored._links = bytearray(keyed), starts, links
    restored._size = size
    return restored


class _Slugged(Protocol):
    @property
    def slug(self) -> str: ...


S = TypeVar("S", bound=_Slugged)


class BySlug(SlugMap[S]):
    """The items of a sequence (the site's articles) by slug: their slugs in order and
    each one's place in the sequence, found by bisection. A dict of an archive's
    articles cost a coordinator 0.05 KB an article from linking to the end of the build;
    this costs 0.012. The slugs are unique (see :func:`presse.enrich.check_corpus`)."""

    __slots__ = ("_items", "_places")

    def __init__(self, items: Sequence[S]) -> None:
        order = sorted(range(len(items)), key=lambda n: items[n].slug)
        self._items = items
        self._slugs = [items[n].slug for n in order]
        self._places = array("I", order)

    def __getitem__(self, slug: str) -> S:
        at = self._at(slug)
        if at < 0:
            raise KeyError(slug)
        return self._items[self._places[at]]

    def __repr__(self) -> str:
        return f"BySlug({len(self._slugs)} items)"
