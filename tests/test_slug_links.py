"""Packed links between articles against the dict of tuples they replace."""

from __future__ import annotations

import pickle
import sys
from array import array
from dataclasses import dataclass

import pytest

from presse.slug_links import BySlug, Links, share_slugs

RELATED = {
    "b-article": ("z", "a-article", "m\u00e9t\u00e9o"),
    "a-article": (),
    "z": ("b-article",),
    "m\u00e9t\u00e9o": ("a-article", "b-article"),
}
NEIGHBOURS = {"a": ("b", None), "b": ("c", "a"), "c": (None, "b"), "d": (None, None)}


@pytest.mark.parametrize("links", [RELATED, NEIGHBOURS, {}])
def test_holds_what_the_dict_held(links: dict[str, tuple[str | None, ...]]) -> None:
    packed = Links(links)
    assert dict(packed.items()) == links
    assert packed == links
    assert len(packed) == len(links)
    assert sorted(packed) == sorted(links)


def test_a_slug_only_linked_to_is_not_a_key() -> None:
    packed = Links({"a": ("elsewhere",)})
    assert packed["a"] == ("elsewhere",)
    assert "elsewhere" not in packed
    assert packed.get("elsewhere", ()) == ()
    assert list(packed) == ["a"]
    with pytest.raises(KeyError):
        packed["elsewhere"]


@pytest.mark.parametrize("slug", ["", "0", "zz", "b-articl", 3, None])
def test_anything_else_is_absent(slug: object) -> None:
    packed = Links(RELATED)
    assert slug not in packed
    assert packed.get(slug, "absent") == "absent"  # type: ignore[call-overload]


def test_pickled_round_trip_interns_the_slugs() -> None:
    again = pickle.loads(pickle.dumps(Links(RELATED)))
    assert again == RELATED
    name = "".join(["b-", "article"])  # made at run time: not the literal's object
    assert next(s for s in again if s == name) is sys.intern(name)
    assert again["z"][0] is sys.intern(name)


@pytest.mark.parametrize("links", [RELATED, NEIGHBOURS, {}, {"a\nb": ("c",), "c": ()}])
def test_pickled_slugs_go_as_one_string_unless_one_holds_a_line_break(
    links: dict[str, tuple[str | None, ...]],
) -> None:
    packed = Links(links)
    assert pickle.loads(pickle.dumps(packed)) == links
    assert pickle.loads(pickle.dumps(packed, protocol=0)) == links
    slugs = packed.__reduce__()[1][0]
    assert isinstance(slugs, str) == (bool(links) and "a\nb" not in links)


def test_links_packed_in_slug_order_are_those_of_the_dict() -> None:
    packed = Links.of_places(["a", "b", "c"], array("I", [0, 2, 2, 3]), array("i", [1, 2, 0]))
    assert packed == {"a": ("b", "c"), "b": (), "c": ("a",)}


@dataclass(frozen=True)
class Item:
    slug: str
    number: int


def test_by_slug_finds_what_a_dict_finds() -> None:
    items = tuple(Item(slug, n) for n, slug in enumerate(["m\u00e9t\u00e9o", "b", "a", "z", "ab"]))
    found = BySlug(items)
    assert dict(found) == {item.slug: item for item in items}
    assert found["a"].number == 2 and found["m\u00e9t\u00e9o"].number == 0
    assert "b" in found and "c" not in found and 3 not in found
    assert found.get("c") is None and len(found) == 5 and list(found) == sorted(found)
    with pytest.raises(KeyError):
        found["aa"]
    assert len(BySlug(())) == 0 and "a" not in BySlug(())


def test_by_slug_costs_less_than_a_dict() -> None:
    items = tuple(Item(f"article-{n}", n) for n in range(100_000))
    found = BySlug(items)
    cost = sys.getsizeof(found._slugs) + sys.getsizeof(found._places)
    assert cost < sys.getsizeof({item.slug: item for item in items}) / 3


def test_maps_of_the_same_slugs_share_one_list() -> None:
    """The site's maps each held every slug, sorted: equal lists become one; a map of
    other slugs keeps its own, and all read as before."""
    items = tuple(Item(slug, n) for n, slug in enumerate(["a", "b", "c", "d"]))
    found = BySlug(items)
    neighbours, related, other = Links(NEIGHBOURS), Links({"a": ("b",)}), Links(RELATED)
    share_slugs(found, neighbours, related, other, None)
    assert neighbours._slugs is found._slugs and related._slugs is not found._slugs
    assert other._slugs is not found._slugs
    assert dict(neighbours) == NEIGHBOURS and dict(other) == RELATED
    share_slugs({"a": 1}, neighbours)  # not a packed map: nothing to share
