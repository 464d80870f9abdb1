"""Fingerprints of values: equal values agree, any difference shows, and a long list is
never turned into one string of its whole repr."""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from presse.digest import STRETCH, value_fingerprint


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
