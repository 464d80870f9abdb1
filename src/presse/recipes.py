"""Recipes: how the plan makes each output again, held as columns. Pure.

A recipe is a short tuple: ``("article", slug)``, ``("term", "tag", slug, 3)``,
``("period", "2024/03", 2)``, ``("front", 12)``, ``("search",)``… A plan keeps one an
output from build to build (see :mod:`presse.incremental`). As tuples they cost 0.07 KB
an output (a tuple, and an int object for a page number past 256): :class:`Recipes`
holds each as the number of its form (its kind, how many strings follow, whether a page
number ends it, and the first of two strings: a term's kind), its last string and its
number, and makes the tuple when one is read.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from presse.columns import Column

Recipe = tuple[Any, ...]  # ("article", slug), ("term", kind, slug, n)…

# Kind, strings after it (0 to 2), a page number last?, the first of two strings or "".
_Form = tuple[str, int, bool, str]
_Strings = tuple[str | None, ...]
_Columns = tuple[tuple[_Form, ...], bytes, _Strings, "array[int]", dict[int, Recipe]]
_ODD = 255  # the form number of a recipe held as it is (a photo's: see presse.render)


class Recipes(Column[Recipe]):
    """A plan's recipes, parallel to its outputs (see the module's docstring)."""

    __slots__ = ("_forms", "_kinds", "_last", "_numbers", "_odd")

    def __init__(self, recipes: Iterable[Recipe] = ()) -> None:
        built = RecipesBuilder()
        for recipe in recipes:
            built.append(recipe)
        self._forms, self._kinds, self._last, self._numbers, self._odd = built.columns()

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return self._items(position)
        code = self._kinds[position]  # raises IndexError, takes negative positions
        if position < 0:
            position += len(self)
        if code == _ODD:
            return self._odd[position]
        kind, strings, numbered, first = self._forms[code]
        parts: tuple[Any, ...] = (
            (kind,)
            if not strings
            else (kind, self._last[position])
            if strings == 1
            else (kind, first, self._last[position])
        )
        return (*parts, self._numbers[position]) if numbered else parts

    def kind(self, position: int) -> str:
        """``self[position][0]``, without making the tuple."""
        code = self._kinds[position]
        if code == _ODD:
            return str(self._odd[position % len(self)][0])
        return self._forms[code][0]

    def __iter__(self) -> Iterator[Recipe]:
        for position in range(len(self)):
            yield self[position]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_recipes_of, (self._forms, self._kinds, self._last, self._numbers, self._odd))


class RecipesBuilder:
    """:class:`Recipes` filled one at a time, as a plan is made: its pages' recipes are
    not all held as tuples first."""

    __slots__ = ("forms", "kinds", "last", "numbers", "odd")

    def __init__(self) -> None:
        self.forms: dict[_Form, int] = {}
        self.kinds = bytearray()
        self.last: list[str | None] = []
        self.numbers = array("I")
        self.odd: dict[int, Recipe] = {}

    def append(self, recipe: Recipe) -> None:
        form = _form_of(recipe)
        code = self.forms.setdefault(form, len(self.forms)) if form is not None else _ODD
        if code >= _ODD:  # not a usual recipe, or too many forms: kept whole
            code = _ODD
            self.odd[len(self.kinds)] = recipe
            form = None
        self.kinds.append(code)
        self.last.append(recipe[form[1]] if form is not None and form[1] else None)
        self.numbers.append(recipe[-1] if form is not None and form[2] else 0)

    def columns(self) -> _Columns:
        """What :class:`Recipes` holds, in the order of its ``__reduce__``."""
        return (tuple(self.forms), bytes(self.kinds), tuple(self.last), self.numbers, self.odd)

    def finish(self) -> Recipes:
        return _recipes_of(*self.columns())


def _recipes_of(
    forms: tuple[_Form, ...],
    kinds: bytes,
    last: tuple[str | None, ...],
    numbers: array[int],
    odd: dict[int, Recipe],
) -> Recipes:
    recipes = Recipes()
    recipes._forms, recipes._kinds, recipes._odd = forms, kinds, odd
    recipes._last, recipes._numbers = last, numbers
    return recipes


def _form_of(recipe: Recipe) -> _Form | None:
    """The form of a usual recipe: a kind, up to two strings, perhaps a page number; the
    first of two strings (a term's kind: a few for all) is part of the form."""
    if not recipe or type(recipe[0]) is not str:
        return None
    rest = recipe[1:]
    numbered = bool(rest) and type(rest[-1]) is int
    strings = rest[:-1] if numbered else rest
    if len(strings) > 2 or any(type(s) is not str for s in strings):
        return None
    if numbered and not -(2**63) <= rest[-1] < 2**63:
        return None
    return recipe[0], len(strings), numbered, strings[0] if len(strings) == 2 else ""
