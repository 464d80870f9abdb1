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
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice


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


class PostingsBuilder:
    """:class:`Postings` gathered output by output, as a plan is made: each slug an output
    shows is a number in an array. The dict of lists of int objects it replaces, with
    every output's tuple of slugs held until the end, made a third of the peak of
    planning an archive (0.4 KB an article)."""

    __slots__ = ("_ranks", "_seen", "_sizes")

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}  # slug → its number, in the order first shown
        self._ranks = array("I")  # the slugs each output shows, output after output
        self._sizes = array("I")  # how many each output shows

    def add(self, slugs: Iterable[str]) -> None:
        """The slugs the next output shows."""
        seen, ranks = self._seen, self._ranks
        before = len(ranks)
        for slug in slugs:
            rank = seen.get(slug)
            if rank is None:
                rank = seen[slug] = len(seen)
            ranks.append(rank)
        self._sizes.append(len(ranks) - before)

    def finish(self) -> Postings:
        """The postings: the slugs sorted, each one's output numbers in increasing order
        (placed by counting: no list an article)."""
        slugs = sorted(self._seen)
        place = array("I", bytes(4 * len(slugs)))  # a slug's first-shown number → its place
        for position, slug in enumerate(slugs):
            place[self._seen[slug]] = position
        starts = array("I", bytes(4 * (len(slugs) + 1)))
        for rank in self._ranks:
            starts[place[rank] + 1] += 1
        for position in range(len(slugs)):
            starts[position + 1] += starts[position]
        free = array("I", starts)  # where each slug's next number goes
        numbers = array("I", bytes(4 * len(self._ranks)))
        ranks = iter(self._ranks)
        for number, size in enumerate(self._sizes):
            for rank in islice(ranks, size):
                at = place[rank]
                numbers[free[at]] = number
                free[at] += 1
        postings = Postings.__new__(Postings)
        postings._slugs, postings._starts, postings._numbers = slugs, starts, numbers
        return postings


def _restore(slugs: list[str], starts: array[int], numbers: array[int]) -> Postings:
    """The slugs interned, as the articles' own are when unpickled: one copy of each."""
    postings = Postings.__new__(Postings)
    postings._slugs = [sys.intern(slug) for slug in slugs]
    postings._starts, postings._numbers = starts, numbers
    return postings
