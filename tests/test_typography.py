"""Tests for presse.typography: the fixture cases, idempotence, markers, protected spans."""

from __future__ import annotations

import random
from pathlib import Path
from typing import NamedTuple

import pytest

from presse.typography import BOUNDARY, WORD, typographize

FIXTURE = Path(__file__).parent / "fixtures" / "typography.txt"

NBSP = "\u00a0"
NNBSP = "\u202f"
B = BOUNDARY

ESCAPES = {
    "{nbsp}": NBSP,
    "{nnbsp}": NNBSP,
    "{b}": BOUNDARY,
    "{w}": WORD,
    "{tab}": "\t",
    "{n}": "\n",
}


class Case(NamedTuple):
    title: str
    input: str
    expected: str
    language: str = "fr"
    jolitypo: str | None = None  # what JoliTypo gives, where presse differs on purpose
    why: str | None = None


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


def load_cases(path: Path = FIXTURE) -> list[Case]:
    """The cases of a fixture file: ``=== title``, then ``lang:`` (optional), ``input:``,
    ``expected:``, and optionally ``jolitypo:`` and ``why:``."""
    cases: list[Case] = []
    current: dict[str, str] = {}
    names = ("lang", "input", "expected", "jolitypo", "why")
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        if raw.startswith("==="):
            if current:
                cases.append(_case(current, where))
            current = {"title": raw[3:].strip()}
            assert current["title"], f"{where}: a case needs a title"
        elif any((value := field(raw, name)) is not None for name in names):
            name = raw.split(":", 1)[0]
            assert current and name not in current, f"{where}: {name}: out of place"
            current[name] = value  # type: ignore[assignment]
        else:
            assert not raw.strip() or raw.startswith("#"), f"{where}: unexpected line {raw!r}"
    if current:
        cases.append(_case(current, f"{path.name}:end"))
    return cases


def _case(fields: dict[str, str], where: str) -> Case:
    assert "input" in fields and "expected" in fields, f"{where}: unfinished case"
    assert ("jolitypo" in fields) == ("why" in fields), f"{where}: jolitypo: needs why:"
    return Case(
        fields["title"],
        fields["input"],
        fields["expected"],
        fields.get("lang", "fr"),
        fields.get("jolitypo"),
        fields.get("why"),
    )


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


JOLITYPO = load_cases(Path(__file__).parent / "fixtures" / "jolitypo" / "cases.txt")


@pytest.mark.parametrize("case", JOLITYPO, ids=[c.title for c in JOLITYPO])
def test_jolitypo_french_cases(case: Case) -> None:
    """JoliTypo's French suite: its result, or presse's documented choice."""
    assert typographize(case.input, case.language) == case.expected
    if case.jolitypo is not None:
        assert case.jolitypo != case.expected and case.why


def test_jolitypo_suite_agreement_is_counted() -> None:
    same = sum(case.jolitypo is None for case in JOLITYPO)
    assert len(JOLITYPO) >= 45 and same >= 25  # most of the suite holds as JoliTypo has it
