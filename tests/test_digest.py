"""Fingerprints of values: equal values agree, any difference shows, and a long list is
never turned into one string of its whole repr."""

from __future__ import annotations

import pickle
import sys
import tracemalloc
from array import array
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from presse.columns import Picked
from presse.digest import STRETCH, Digests, DigestsOf, value_fingerprint
from presse.model import Term


@dataclass(frozen=True)
class Entry:
    address: str
    lastmod: datetime


WHEN = datetime(2025, 2, 1, 10, tzinfo=UTC)
LONG = [Entry(f"https://example.org/2025/02/article-{n}/", WHEN) for n in range(3 * STRETCH + 7)]


def test_equal_values_give_equal_fingerprints() -> None:
    context = {"urls": list(LONG), "title": "Plan du site", "tags": ("a", "b")}
    again = {"urls": [Entry(e.address, e.lastmod) for e in LONG], "title": "Plan du site"}
    again["tags"] = ("a", "b")
    assert value_fingerprint("t", context) == value_fingerprint("t", again)


@pytest.mark.parametrize("position", [0, STRETCH - 1, STRETCH, len(LONG) - 1])
def test_a_change_anywhere_in_a_long_list_shows(position: int) -> None:
    changed = list(LONG)
    changed[position] = Entry(changed[position].address + "x", WHEN)
    assert value_fingerprint({"urls": LONG}) != value_fingerprint({"urls": changed})


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ([1, 2], (1, 2)),
        (("a", ("b",)), (("a", "b"),)),
        (("a", ["b", "c"]), ("a", ["b"], "c")),
        ({"a": "b"}, {"b": "a"}),
        ({"a": ("b", "c")}, {"a": ("b",), "c": ()}),
        (LONG, LONG[:-1]),
        (LONG, [*LONG[:STRETCH], *LONG[STRETCH + 1 :], LONG[STRETCH]]),
        ("a,b", ("a", "b")),
    ],
)
def test_different_values_give_different_fingerprints(one: object, other: object) -> None:
    assert value_fingerprint(one) != value_fingerprint(other)


def test_a_long_list_is_hashed_a_stretch_at_a_time() -> None:
    urls = [Entry(f"https://example.org/{n}/’", WHEN) for n in range(20_000)]  # UCS-2
    whole = len(repr(urls)) * 2  # what its repr alone took, in bytes
    tracemalloc.start()
    try:
        value_fingerprint("sitemap.xml", {"urls": urls})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < whole / 20


def test_digests_read_back_as_given_and_take_less_room() -> None:
    values = [value_fingerprint(n) for n in range(1000)]
    odd = ["static:12:345:/theme/site.css", "", values[3].upper(), values[4][:-2] + " 0"]
    mixed = [*values[:3], *odd, *values[3:]]
    digests = Digests(mixed)
    assert list(digests) == mixed and len(digests) == len(mixed)
    assert digests[5] == odd[2] and digests[-1] == values[-1] and digests[1:3] == mixed[1:3]
    with pytest.raises(IndexError):
        digests[len(mixed)]
    assert digests == mixed and digests == Digests(mixed) and digests != Digests(values)
    again = pickle.loads(pickle.dumps(digests))
    assert again == digests and list(again) == mixed
    changed = digests.replaced({0: "stamp", 3: values[9], 7: values[0]})
    assert changed[0] == "stamp" and changed[3] == values[9] and changed[7] == values[0]
    assert list(digests) == mixed  # the copy is changed, not the column
    as_strings = sum(sys.getsizeof(v) for v in values)
    assert len(pickle.dumps(Digests(values))) < as_strings / 3


def test_digests_given_as_their_bytes_equal_those_given_in_hex() -> None:
    raw = [bytes(range(n, n + 20)) for n in range(3)]
    assert Digests.of_raw(raw) == Digests([r.hex() for r in raw]) == [r.hex() for r in raw]
    assert len(Digests.of_raw([])) == 0
    with pytest.raises(ValueError):
        Digests.of_raw([b"short"])


def test_picked_slugs_fingerprint_as_their_tuple() -> None:
    """A fresh site's listings pick their slugs (Picked); a plan read back holds tuples:
    both give a page the same key, short or long, alone or in a term."""
    order = tuple(f"article-{n}" for n in range(3 * STRETCH))
    for places in (array("I", [0, 5, 9]), range(STRETCH // 2, 2 * STRETCH + 3)):
        picked = Picked(order, places)
        as_tuple = tuple(order[n] for n in places)
        assert value_fingerprint(picked) == value_fingerprint(as_tuple)
        assert value_fingerprint({"a": [picked]}) == value_fingerprint({"a": [as_tuple]})
        term = Term("tag", "x", "X", picked)
        assert value_fingerprint(term) == value_fingerprint(Term("tag", "x", "X", as_tuple))


def test_digests_of_articles_are_read_from_them_and_saved_as_digests() -> None:
    @dataclass(frozen=True)
    class Parsed:
        digest: bytes

    articles = tuple(Parsed(bytes([n]) * 20) for n in range(3))
    read = DigestsOf(articles)
    copied = Digests.of_raw(a.digest for a in articles)
    assert read == copied and list(read) == list(copied) and read[-1] == "02" * 20
    again = pickle.loads(pickle.dumps(read))
    assert type(again) is Digests and again == copied
    changed = read.replaced({1: "ff" * 20})
    assert type(changed) is Digests and list(changed) == [read[0], "ff" * 20, read[2]]
