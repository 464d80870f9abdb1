"""Tests for presse.typography: the fixture cases, idempotence, markers, protected spans."""

from __future__ import annotations

import random
from pathlib import Path
from typing import NamedTuple

import pytest

from presse.typography import BOUNDARY, typographize

FIXTURE = Path(__file__).parent / "fixtures" / "typography.txt"

NBSP = "\u00a0"
NNBSP = "\u202f"
B = BOUNDARY

ESCAPES = {"{nbsp}": NBSP, "{nnbsp}": NNBSP, "{b}": BOUNDARY, "{tab}": "\t"}


class Case(NamedTuple):
    title: str
    input: str
    expected: str


def unescape(value: str) -> str:
    for escape, char in ESCAPES.items():
        value = value.replace(escape, char)
    return value


def field(line: str, name: str) -> str | None:
    """The value of ``name: value`` on ``line`` (one space after the colon is optional)."""
    prefix = f"{name}:"
    if not line.startswith(prefix):
        return None
    value = line[len(prefix) :]
    return unescape(value[1:] if value.startswith(" ") else value)


def load_cases() -> list[Case]:
    cases: list[Case] = []
    title: str | None = None
    given: str | None = None
    for number, raw in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{FIXTURE.name}:{number}"
        if raw.startswith("==="):
            assert title is None, f"{where}: case {title!r} has no expected: line"
            title = raw[3:].strip()
            assert title, f"{where}: a case needs a title"
        elif (value := field(raw, "input")) is not None:
            assert title is not None and given is None, f"{where}: input: out of place"
            given = value
        elif (value := field(raw, "expected")) is not None:
            assert title is not None and given is not None, f"{where}: expected: out of place"
            cases.append(Case(title, given, value))
            title = given = None
        else:
            assert not raw.strip() or raw.startswith("#"), f"{where}: unexpected line {raw!r}"
    assert title is None, f"{FIXTURE.name}: the last case is unfinished"
    return cases


CASES = load_cases()
IDS = [case.title for case in CASES]


def test_fixture_is_well_formed() -> None:
    assert len(CASES) >= 40
    assert len(set(IDS)) == len(IDS), "case titles must be unique"
    raw = FIXTURE.read_text(encoding="utf-8")
    for char in (NBSP, NNBSP, BOUNDARY, "\t"):
        assert char not in raw, f"write {char!r} as an escape in the fixture"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fixture_case(case: Case) -> None:
    assert typographize(case.input) == case.expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expected_output_is_a_fixed_point(case: Case) -> None:
    assert typographize(case.expected) == case.expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_idempotent_on_input(case: Case) -> None:
    once = typographize(case.input)
    assert typographize(once) == once


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_markers_are_preserved(case: Case) -> None:
    assert typographize(case.input).count(BOUNDARY) == case.input.count(BOUNDARY)


def test_public_api() -> None:
    assert BOUNDARY == "\ue000"
    assert typographize("") == ""


def test_text_without_triggers_is_returned_unchanged() -> None:
    text = "La séance reprend à 10 h 30 avec 120 députés"
    assert typographize(text) is text


def test_direct_rules() -> None:
    assert typographize("l'homme") == "l’homme"
    assert typographize("Attention: ceci") == f"Attention{NBSP}: ceci"
    assert typographize("Quoi?!") == f"Quoi{NNBSP}?!"
    assert typographize('"mot"') == f"«{NNBSP}mot{NNBSP}»"
    assert typographize("50%") == f"50{NBSP}%"
    assert typographize("14:30 et 3:2") == "14:30 et 3:2"


def test_spec_marker_examples() -> None:
    assert typographize(f'"{B}mot{B}"') == f"«{NNBSP}{B}mot{B}{NNBSP}»"
    assert typographize(f"Note{B}: la suite") == f"Note{B}{NBSP}: la suite"
    assert typographize(f"« {B}mot{B} »") == f"«{NNBSP}{B}mot{B}{NNBSP}»"


@pytest.mark.parametrize(
    "span",
    [
        "https://ex.com/a?b=1&c=2",
        "http://exemple.fr/l'article:2?x=1;y=2!z",
        "https://fr.wikipedia.org/wiki/Foo_(bar)",
        "www.exemple.fr/page...html",
        "ftp://files.example.org/a:b",
        "mailto:redaction@journal.fr?subject=l'info",
        "contact@journal.fr",
        "jean.dupont@example.fr",
    ],
)
@pytest.mark.parametrize(
    "template",
    ["{}", "Voir {}.", "Voir {} : ici", "«{}»", '"{}"', "({})", "l'adresse {}!", "{}?"],
)
def test_protected_spans_are_unchanged(span: str, template: str) -> None:
    assert span in typographize(template.format(span))


def visible_skeleton(text: str) -> list[str]:
    """Letters, digits and markers in order: what the rules must never move or drop."""
    return [c for c in text if c.isalnum() or c == BOUNDARY]


def test_random_strings_are_stable() -> None:
    """Seeded random strings of tricky pieces: idempotence and marker order (no hypothesis)."""
    pieces = [
        *"ab1 '\".:;!?%«»()[]\t\n-",
        NBSP,
        NNBSP,
        BOUNDARY,
        "…",
        "...",
        "14:30",
        '"mot"',
        "http://x.fr/a?b",
        "www.a.fr",
        "j@x.fr",
        "mailto:a@b.fr",
        "\ue001",
    ]
    rng = random.Random(20240601)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        once = typographize(text)
        assert typographize(once) == once, repr(text)
        assert visible_skeleton(once) == visible_skeleton(text), repr(text)
