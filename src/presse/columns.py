"""Sequences held as columns (raw bytes, arrays, tuples of shared strings) rather than
one object an item, each item made when read: what a large archive's build keeps an
entry of per output or per article (see :class:`presse.digest.Digests`,
:class:`presse.recipes.Recipes`). Pure."""

from __future__ import annotations

import sys
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
    head and the tail are each one string for thousands; the slug is the article's own.
    A string given without its middle is held whole, as its head."""

    __slots__ = ("_heads", "_middles", "_tails")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        built = AroundBuilder()
        for text in strings:
            built.append(text)
        self._heads, self._middles, self._tails = built.columns()

    def __len__(self) -> int:
        return len(self._heads)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return self._items(position)
        head, middle = self._heads[position], self._middles[position]
        return head if middle is None else f"{head}{middle}{self._tails[position]}"

    def replaced(self, changes: Mapping[int, str]) -> Around:
        """A copy with the strings at some positions changed (held whole)."""
        heads, middles, tails = list(self._heads), list(self._middles), list(self._tails)
        for position, text in changes.items():
            heads[position], middles[position], tails[position] = text, None, None
        return _around_of(tuple(heads), tuple(middles), tuple(tails))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_around_of, (self._heads, self._middles, self._tails))


class AroundBuilder:
    """:class:`Around` filled one string at a time."""

    __slots__ = ("heads", "middles", "tails")

    def __init__(self) -> None:
        self.heads: list[str] = []
        self.middles: list[str | None] = []
        self.tails: list[str | None] = []

    def append(self, text: str, middle: str = "") -> None:
        """Add ``text``, held as the parts around ``middle`` (its last occurrence) if it
        is there: the caller's ``middle`` object is kept, not a copy cut from ``text``."""
        head, found, tail = text.rpartition(middle) if middle else ("", "", "")
        if found:
            self.heads.append(sys.intern(head))
            self.middles.append(middle)
            self.tails.append(sys.intern(tail))
        else:
            self.heads.append(text)
            self.middles.append(None)
            self.tails.append(None)

    def columns(self) -> tuple[tuple[str, ...], tuple[str | None, ...], tuple[str | None, ...]]:
        return tuple(self.heads), tuple(self.middles), tuple(self.tails)

    def finish(self) -> Around:
        return _around_of(*self.columns())


def _around_of(
    heads: tuple[str, ...], middles: tuple[str | None, ...], tails: tuple[str | None, ...]
) -> Around:
    if not len(heads) == len(middles) == len(tails):
        raise ValueError("columns of different lengths")
    around = Around()
    around._heads, around._middles, around._tails = heads, middles, tails
    return around
