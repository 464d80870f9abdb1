"""The plan's packed inverted index against the dict it replaces."""

from __future__ import annotations

import pickle
import sys

import pytest

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
