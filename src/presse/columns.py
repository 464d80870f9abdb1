"""Sequences held as columns (raw bytes, arrays, tuples of shared strings) rather than
one object an item, each item made when read: what a large archive's build keeps an
entry of per output or per article (see :class:`presse.digest.Digests`,
:class:`presse.recipes.Recipes`). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

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
