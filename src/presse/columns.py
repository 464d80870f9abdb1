"""Sequences held as columns (raw bytes, arrays, tuples of shared strings) rather than
one object an item, each item made when read: what a large archive's build keeps an
entry of per output or per article (see :class:`presse.digest.Digests`,
:class:`presse.recipes.Recipes`). Pure."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class Column(Sequence[T]):
    """Equal to any sequence of the same items; unhashable, like a list; its ``repr``
    says its length, not its thousands of items."""

    __slots__ = ()

    def _items(self, where: slice) -> list[T]:
        """The items of a slice, as a list (for ``__getitem__``)."""
        return [self[n] for n in range(len(self))[where]]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)})"


class Sparse(Column[T | None]):
    """A sequence of None but for a few items, held as its length and those items by
    position: a plan's makers (one an output, None for every page planned lazily, which
    is nearly all of an archive's outputs)."""

    __slots__ = ("_at", "_length")

    def __init__(self, length: int = 0, at: Mapping[int, T] | None = None) -> None:
        self._length = length
        self._at: dict[int, T] = {n: item for n, item in (at or {}).items() if item is not None}
        if any(not 0 <= n < length for n in self._at):
            raise IndexError("an item outside the sequence")

    @classmethod
    def of(cls, items: Iterable[T | None]) -> Sparse[T]:
        """The sparse sequence of ``items``."""
        at: dict[int, T] = {}
        length = 0
        for length, item in enumerate(items, 1):
            if item is not None:
                at[length - 1] = item
        return cls(length, at)

    def present(self) -> Mapping[int, T]:
        """The items that are not None, by position."""
        return self._at

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return self._items(position)
        if position < 0:
            position += self._length
        if not 0 <= position < self._length:
            raise IndexError("position out of range")
        return self._at.get(position)

    def __iter__(self) -> Iterator[T | None]:
        at = self._at
        return (at.get(n) for n in range(self._length))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Sparse, (self._length, self._at))


class Around(Column[str]):
    """Strings held as the parts around a string held elsewhere: a plan's origins, where
    an article's page names its source path, ``content/2025/`` + its slug + ``.md``. The
    head and the tail are one pair for thousands, held once and named by number (four
    bytes a string); the slug is the article's own (a reference). A string given without
    its middle is held whole, in the middle's place: 12 bytes a string in all, where
    three references cost 24."""

    __slots__ = ("_middles", "_pairs", "_parts")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        built = AroundBuilder()
        for text in strings:
            built.append(text)
        self._pairs, self._middles, self._parts = built.columns()

    def __len__(self) -> int:
        return len(self._middles)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return self._items(position)
        return self._joined(self._middles[position], self._parts[position])

    def __iter__(self) -> Iterator[str]:
        return map(self._joined, self._middles, self._parts)

    def _joined(self, middle: str, part: int) -> str:
        if part == _WHOLE:
            return middle
        head, tail = self._pairs[part]
        return f"{head}{middle}{tail}"

    def middle(self, position: int) -> str | None:
        """The string held elsewhere that the one at ``position`` is cut around; None
        when that one is held whole."""
        return None if self._parts[position] == _WHOLE else self._middles[position]

    def replaced(self, changes: Mapping[int, str]) -> Around:
        """A copy with the strings at some positions changed (held whole)."""
        middles, parts = list(self._middles), array(self._parts.typecode, self._parts)
        for position, text in changes.items():
            middles[position], parts[position] = text, _WHOLE
        return _around_of(self._pairs, tuple(middles), parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_around_of, (self._pairs, self._middles, self._parts))


_WHOLE = 0xFFFFFFFF  # the part of a string held whole, in the middle's place


class AroundBuilder:
    """:class:`Around` filled one string at a time."""

    __slots__ = ("middles", "numbers", "parts")

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}  # (head, tail) → its number
        self.middles: list[str] = []
        self.parts = array("I")

    def append(self, text: str, middle: str = "") -> None:
        """Add ``text``, held as the parts around ``middle`` (its last occurrence) if it
        is there: the caller's ``middle`` object is kept, not a copy cut from ``text``."""
        head, found, tail = text.rpartition(middle) if middle else ("", "", "")
        if found:
            pair = (sys.intern(head), sys.intern(tail))
            self.parts.append(self.numbers.setdefault(pair, len(self.numbers)))
            self.middles.append(middle)
        else:
            self.parts.append(_WHOLE)
            self.middles.append(text)

    def __len__(self) -> int:
        return len(self.parts)

    def columns(self) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], array[int]]:
        return tuple(self.numbers), tuple(self.middles), self.parts

    def finish(self) -> Around:
        return _around_of(*self.columns())


def _around_of(
    pairs: tuple[tuple[str, str], ...], middles: tuple[str, ...], parts: array[int]
) -> Around:
    if len(middles) != len(parts):
        raise ValueError("columns of different lengths")
    if any(part != _WHOLE and part >= len(pairs) for part in set(parts)):
        raise ValueError("a part that names no pair")
    around = Around()
    around._pairs, around._middles, around._parts = pairs, middles, parts
    return around


class Picked(Column[T]):
    """Some items of a tuple held elsewhere, named by their places: an array of them (4
    bytes an item, not a reference: 8), or a range (nothing an item) when they follow
    each other. A site's sections, tags and authors list their articles' slugs so, from
    the site's slugs in order; its years and months, each a run of them.

    It stands for the tuple of its items: its ``repr`` and hash are that tuple's (pages'
    keys hash the terms they show through their ``repr``), and it is pickled as that
    tuple (a slice of the site sent to a worker carries its items, not the site's)."""

    __slots__ = ("_of", "_places")

    def __init__(self, of: tuple[T, ...], places: array[int] | range) -> None:
        if len(places) and (min(places) < 0 or max(places) >= len(of)):
            raise IndexError("a place outside the items")
        self._of, self._places = of, places

    @classmethod
    def of_places(cls, of: tuple[T, ...], places: array[int]) -> Picked[T]:
        """``places`` (increasing), as a range when they follow each other."""
        if len(places) and places[-1] - places[0] + 1 == len(places):
            return cls(of, range(places[0], places[-1] + 1))
        return cls(of, places)

    @property
    def of(self) -> tuple[T, ...]:
        """The tuple the items are picked from."""
        return self._of

    def __len__(self) -> int:
        return len(self._places)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):  # a tuple, as a tuple's slice is
            return tuple(map(self._of.__getitem__, self._places[position]))
        return self._of[self._places[position]]

    def __iter__(self) -> Iterator[T]:
        return map(self._of.__getitem__, self._places)

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __hash__(self) -> int:  # type: ignore[override]  # hashable, as its tuple is
        return hash(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))
