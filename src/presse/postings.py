"""Which outputs show each article: the plan's inverted index, packed.

After an edit, the outputs that show an edited article are planned again (see
:func:`presse.render.replan`); the plan keeps, for every article, the numbers of those
outputs. As a dict of tuples of ints that cost a coordinator 0.19 KB an article for the
whole build (an entry, a tuple, an int object per number above 256) and the plan cache as
much again. Here it is the slugs in order (strings the articles already hold) and two
arrays of machine integers, looked up by bisection: 0.07 KB an article at 20 000 (memray).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping


class Postings(Mapping[str, tuple[int, ...]]):
    """Slug → the numbers of the outputs that show it, in increasing order."""

    __slots__ = ("_numbers", "_slugs", "_starts")

    def __init__(self, found: Mapping[str, list[int]]) -> None:
        """From each slug's output numbers, each list in increasing order."""
        self._slugs = sorted(found)
        self._starts = array("I", [0])
        self._numbers = array("I")
        for slug in self._slugs:
            self._numbers.extend(found[slug])
            self._starts.append(len(self._numbers))

    def _place(self, slug: object) -> int:
        """Where ``slug`` is among the slugs, or -1."""
        if not isinstance(slug, str):
            return -1
        place = bisect_left(self._slugs, slug)
        return place if place < len(self._slugs) and self._slugs[place] == slug else -1

    def __getitem__(self, slug: str) -> tuple[int, ...]:
        place = self._place(slug)
        if place < 0:
            raise KeyError(slug)
        return tuple(self._numbers[self._starts[place] : self._starts[place + 1]])

    def __contains__(self, slug: object) -> bool:
        return self._place(slug) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its three parts (the plan cache): no dict of lists made again."""
        return (_restore, (self._slugs, self._starts, self._numbers))


def _restore(slugs: list[str], starts: array[int], numbers: array[int]) -> Postings:
    """The slugs interned, as the articles' own are when unpickled: one copy of each."""
    postings = Postings.__new__(Postings)
    postings._slugs = [sys.intern(slug) for slug in slugs]
    postings._starts, postings._numbers = starts, numbers
    return postings
