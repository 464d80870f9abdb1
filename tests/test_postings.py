"""The plan's packed index of the articles each output shows, against the dict it replaces."""

from __future__ import annotations

import pickle
import random
import sys
from array import array

import pytest

from presse import postings as postings_module
from presse.postings import Postings, PostingsBuilder

FOUND = {"b-article": [0, 7, 300], "a-article": [2], "z": [5, 6], "m\u00e9t\u00e9o": [1, 70_000]}


def test_holds_what_a_dict_of_tuples_held() -> None:
    postings = Postings(FOUND)
    expected = {slug: tuple(numbers) for slug, numbers in FOUND.items()}
    assert dict(postings.items()) == expected
    assert postings == expected
    assert len(postings) == 4
    assert list(postings) == sorted(FOUND)


@pytest.mark.parametrize("slug", ["", "a", "b-article-2", "zz", "0"])
def test_an_article_no_output_shows_is_absent(slug: str) -> None:
    postings = Postings(FOUND)
    assert slug not in postings
    assert postings.get(slug, ()) == ()
    with pytest.raises(KeyError):
        postings[slug]


def test_not_a_string_is_absent() -> None:
    assert 3 not in Postings(FOUND)


def test_empty() -> None:
    postings = Postings({})
    assert len(postings) == 0
    assert postings.get("x", ()) == ()


def test_pickled_round_trip_interns_the_slugs() -> None:
    again = pickle.loads(pickle.dumps(Postings(FOUND)))
    assert again == Postings(FOUND)
    name = "".join(["b-", "article"])  # made at run time: not the literal's object
    assert next(iter(again)) == "a-article"
    assert sys.intern(name) is list(again)[1]


SHOWN = [
    ("z", "b-article"),
    (),
    ("a-article", "z", "z"),
    ("b-article",),
    ("m\u00e9t\u00e9o", "a-article"),
]


def test_gathered_output_by_output_as_the_dict_would_hold() -> None:
    built = PostingsBuilder()
    for slugs in SHOWN:
        built.add(iter(slugs))
    found: dict[str, list[int]] = {}
    for number, slugs in enumerate(SHOWN):
        for slug in slugs:
            found.setdefault(slug, []).append(number)
    postings = built.finish()
    assert postings == Postings(found)
    assert postings["z"] == (0, 2, 2)
    assert list(postings) == sorted(found)


def test_gathered_from_nothing() -> None:
    assert len(PostingsBuilder().finish()) == 0


def test_shown_finds_every_output_asked_for_by_search_or_walk() -> None:
    """Slugs numbered so that some number's bytes also appear across two neighbours
    (256 is 00 01 00 00, found inside 0x01000000 followed by 0): never taken for it."""
    chance = random.Random(7)
    slugs = [f"article-{n}" for n in range(300)]
    built, found = PostingsBuilder(), dict[str, list[int]]()
    for number in range(2000):
        shown = chance.sample(slugs, chance.randrange(6))
        built.add(shown)
        for slug in shown:
            found.setdefault(slug, []).append(number)
    postings = built.finish()
    assert dict(postings) == {slug: tuple(numbers) for slug, numbers in found.items()}
    few = slugs[:3]
    assert postings.shown(few) == sorted({n for s in few if s in found for n in found[s]})
    many = slugs[::7]
    assert len(many) > postings_module._FEW
    assert postings.shown(many) == sorted({n for s in many if s in found for n in found[s]})
    assert postings.shown(["absent"]) == []


def test_a_number_across_two_neighbours_is_not_a_match() -> None:
    """Output 1 shows the slugs numbered 256 and 0: on a little-endian machine its bytes
    hold those of 1 (00 [01 00 00 | 00] 00 00 00) across the two. Only output 0 shows 1."""
    built = PostingsBuilder()
    built.add([f"s{n}" for n in range(257)])  # numbered 0 to 256 in this order
    built.add(["s256", "s0"])
    postings = built.finish()
    pair = array("I", [256, 0]).tobytes()
    assert sys.byteorder != "little" or pair[1:5] == array("I", [1]).tobytes()
    assert postings["s1"] == (0,) and postings.shown(["s1"]) == [0]
    assert postings.shown(["s0"]) == [0, 1] and postings["s256"] == (0, 1)
