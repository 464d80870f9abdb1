"""Columns compare as the sequences they stand for."""

from __future__ import annotations

import pickle
import sys

import pytest

from presse.columns import Around, AroundBuilder, Column, Sparse


class Squares(Column[int]):
    __slots__ = ("count",)

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, position: object) -> object:
        if isinstance(position, slice):
            return self._items(position)
        assert isinstance(position, int)
        if not -self.count <= position < self.count:
            raise IndexError(position)
        return (position % self.count) ** 2


def test_a_column_equals_any_sequence_of_its_items() -> None:
    column = Squares(4)
    assert column == [0, 1, 4, 9] == column and column == (0, 1, 4, 9)
    assert column != [0, 1, 4] and column != [0, 1, 4, 10] and column != "0149"
    assert column[1:3] == [1, 4] and column[::-1] == [9, 4, 1, 0] and list(column) == column
    assert repr(column) == "Squares(4)"
    with pytest.raises(TypeError):
        hash(column)


def test_a_sparse_column_holds_only_its_items() -> None:
    items = [None, "a", None, None, "b", None]
    column = Sparse.of(items)
    assert column == items and list(column) == items and len(column) == 6
    assert column[1] == "a" and column[-2] == "b" and column[-1] is None
    assert column[1:5] == items[1:5]
    assert dict(column.present()) == {1: "a", 4: "b"}
    assert pickle.loads(pickle.dumps(column)) == items
    assert Sparse(3, {0: "x", 2: None}) == ["x", None, None]
    with pytest.raises(IndexError):
        column[6]
    with pytest.raises(IndexError):
        Sparse(2, {2: "x"})


def test_strings_around_a_slug_are_held_as_its_parts() -> None:
    slug = "".join(["mon-", "article"])  # the article's own object
    built = AroundBuilder()
    built.append("content/2025/mon-article.md", slug)
    built.append("template index.html")
    built.append("content/pages/autre.md", slug)  # not around it: held whole
    built.append("content/2025/mon-article/index.md", slug)
    column = built.finish()
    expected = [
        "content/2025/mon-article.md",
        "template index.html",
        "content/pages/autre.md",
        "content/2025/mon-article/index.md",
    ]
    assert column == expected and list(column) == expected and column[-1] == expected[-1]
    assert column.middle(0) is slug and column.middle(1) is None
    assert column._parts[0] != column._parts[3] and len(column._pairs) == 2
    assert column._pairs[0][0] is column._pairs[1][0]  # "content/2025/": one string
    again = pickle.loads(pickle.dumps(column))
    assert again == expected
    assert column.replaced({0: "template 404.html"}) == ["template 404.html", *expected[1:]]
    assert Around(expected) == expected


def test_strings_around_slugs_cost_twelve_bytes_each() -> None:
    """An archive's origins: a reference and a number a string, not three references;
    the pairs around the slugs are held once."""
    slugs = [f"article-{n}" for n in range(50_000)]
    built = AroundBuilder()
    for n, slug in enumerate(slugs):
        built.append(f"content/{2000 + n % 20}/{slug}.md", slug)
    column = built.finish()
    assert len(column._pairs) == 20 and column[12_345] == "content/2005/article-12345.md"
    cost = sys.getsizeof(column._middles) + sys.getsizeof(column._parts)
    assert cost / len(slugs) < 12.5  # the array grown as built: some room to spare
