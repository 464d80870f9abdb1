"""Which outputs show each article: the plan's index of the articles each output shows.

After an edit, the outputs that show an edited article are planned again (see
:func:`presse.render.replan`); the plan keeps what each output shows for the next build.
As a dict of tuples of ints (slug → output numbers) that cost a coordinator 0.19 KB an
article for the whole build. Inverted into arrays (0.07 KB), it was still held twice
while inverted, the peak of planning an archive (0.13 KB an article more). It is kept
as planned, output after output, each slug shown as a number (4 bytes), and searched
when asked: an edit asks for a few articles, once per build.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence

from presse.slug_links import SlugMap

_FEW = 16  # slugs asked at once up to which the numbers are searched, not walked


class Postings(SlugMap[tuple[int, ...]]):
    """Slug → the numbers of the outputs that show it, in increasing order (an output
    that shows it twice, twice)."""

    __slots__ = ("_numbers", "_shown", "_starts")
    _numbers: array[int]  # each slug's number
    _shown: array[int]  # the numbers of the slugs each output shows, output after output
    _starts: array[int]  # where each output's start in ``_shown``, then its end

    def __init__(self, found: Mapping[str, Sequence[int]] | None = None) -> None:
        """From each slug's output numbers (tests; a plan gathers its own, see
        :class:`PostingsBuilder`)."""
        by_output: dict[int, list[str]] = {}
        for slug, numbers in (found or {}).items():
            for number in numbers:
                by_output.setdefault(number, []).append(slug)
        builder = PostingsBuilder()
        for number in range(max(by_output, default=-1) + 1):
            builder.add(by_output.get(number, ()))
        built = builder.finish()
        self._slugs, self._numbers = built._slugs, built._numbers
        self._shown, self._starts = built._shown, built._starts

    def shown(self, slugs: Iterable[str]) -> list[int]:
        """The numbers of the outputs that show any of ``slugs``, each once, in order."""
        return sorted(set(self._positions(slugs)))

    def _positions(self, slugs: Iterable[str]) -> Iterator[int]:
        """The output number of each place where one of ``slugs`` is shown, in order."""
        places = (self._at(slug) for slug in slugs)
        wanted = {self._numbers[place] for place in places if place >= 0}
        shown, starts = self._shown, self._starts
        if len(wanted) <= _FEW:  # a search of the bytes for each number
            found: list[int] = []
            for number in wanted:
                pattern = re.compile(re.escape(array("I", [number]).tobytes()))
                at = pattern.search(shown)
                while at is not None:
                    if at.start() % 4 == 0:  # not the end of one number and the next's start
                        found.append(at.start() // 4)
                    at = pattern.search(shown, at.start() + 1)
            found.sort()
            at_places: Iterable[int] = found
        else:  # one walk
            at_places = (at for at, number in enumerate(shown) if number in wanted)
        return (bisect_right(starts, at) - 1 for at in at_places)

    def __getitem__(self, slug: str) -> tuple[int, ...]:
        if self._at(slug) < 0:
            raise KeyError(slug)
        return tuple(self._positions((slug,)))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its parts (the plan cache): no dict of lists made again."""
        return (_restore, (self._slugs, self._numbers, self._shown, self._starts))


class PostingsBuilder:
    """:class:`Postings` gathered output by output, as a plan is made. The dict of lists
    of int objects it replaces, with every output's tuple of slugs held until the end,
    made a third of the peak of planning an archive (0.4 KB an article)."""

    __slots__ = ("_seen", "_shown", "_starts")

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}  # slug → its number, in the order first shown
        self._shown = array("I")  # the numbers of the slugs each output shows, in turn
        self._starts = array("I", [0])  # where each output's start, then the end

    def add(self, slugs: Iterable[str]) -> None:
        """The slugs the next output shows."""
        seen, shown = self._seen, self._shown
        for slug in slugs:
            number = seen.get(slug)
            if number is None:
                number = seen[slug] = len(seen)
            shown.append(number)
        self._starts.append(len(shown))

    def finish(self) -> Postings:
        """The postings: the slugs sorted, with their numbers."""
        postings = Postings.__new__(Postings)
        postings._slugs = sorted(self._seen)
        postings._numbers = array("I", map(self._seen.__getitem__, postings._slugs))
        postings._shown, postings._starts = self._shown, self._starts
        self._seen = {}
        return postings


def _restore(
    slugs: list[str], numbers: array[int], shown: array[int], starts: array[int]
) -> Postings:
    """The slugs interned, as the articles' own are when unpickled: one copy of each."""
    postings = Postings.__new__(Postings)
    postings._slugs = [sys.intern(slug) for slug in slugs]
    postings._numbers, postings._shown, postings._starts = numbers, shown, starts
    return postings
