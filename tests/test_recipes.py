"""Recipes held as columns read back as the tuples given, and take less room."""

from __future__ import annotations

import pickle
import sys

import pytest

from presse.recipes import Recipes

USUAL = [
    ("front", 1),
    ("front", 300),
    ("article", "un-article"),
    ("term", "tag", "école", 2),
    ("term", "section", "culture", 1_000_000),
    ("period", "2024/03", 2),
    ("index", "tags"),
    ("search",),
    ("feed", "/atom.xml"),
]
ODD = [
    ("photo", "/images/a.jpg", (16, 9), (50.0, 50.0), 640, "webp"),  # held whole
    ("term", "tag", True),  # a bool is not a page number
    (),
]


def test_recipes_read_back_as_given() -> None:
    given = [*USUAL, *ODD, *USUAL]
    recipes = Recipes(given)
    assert list(recipes) == given and len(recipes) == len(given)
    assert recipes[3] == ("term", "tag", "école", 2) and recipes[-1] == given[-1]
    assert recipes[2:5] == given[2:5]
    assert [recipes.kind(n) for n in range(len(USUAL))] == [r[0] for r in USUAL]
    assert recipes.kind(len(USUAL)) == "photo"
    assert type(recipes[len(USUAL) + 1][-1]) is bool
    with pytest.raises(IndexError):
        recipes[len(given)]
    assert recipes == given and recipes != given[:-1]
    assert pickle.loads(pickle.dumps(recipes)) == given
    # A recipe read back is a key of the dict made from the tuples given.
    assert {r: n for n, r in enumerate(USUAL)}[recipes[4]] == 4


def test_recipes_take_less_room_than_tuples() -> None:
    given = [("term", "tag", f"tag-{n % 50}", 300 + n) for n in range(10_000)]
    as_tuples = sum(sys.getsizeof(r) + sys.getsizeof(r[-1]) for r in given)
    assert len(pickle.dumps(Recipes(given))) < as_tuples / 2


def test_the_first_of_two_strings_is_part_of_the_form() -> None:
    """A term's kind is held once in its form, not an output; recipes whose first
    strings are too many for the forms are held whole, and still read back."""
    terms = [("term", kind, f"x-{n}", n) for n in range(300) for kind in ("tag", "author")]
    recipes = Recipes(terms)
    assert len(recipes._forms) == 2 and not recipes._odd and list(recipes) == terms
    many = [("pair", f"first-{n}", "second", n) for n in range(300)]
    assert list(Recipes(many)) == many and len(Recipes(many)._odd) > 0
