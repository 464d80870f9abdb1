from __future__ import annotations

from pathlib import Path

import pytest

from presse.authors import parse_authors
from presse.errors import PresseError

PATH = Path("content/auteurs.toml")


def test_profiles_by_slug_with_typography() -> None:
    authors = parse_authors(
        '[claire-vasseur]\nname = "Claire Vasseur"\nrole = "Journaliste : tech"\n'
        '[luc-roy]\nname = "Luc Roy"\n',
        PATH,
    )
    assert list(authors) == ["claire-vasseur", "luc-roy"]
    assert authors["claire-vasseur"].role == "Journaliste\u00a0: tech"
    assert authors["luc-roy"].bio == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[Claire]\nname = "Claire"\n',
            'content/auteurs.toml:1: author key "Claire" must be a slug, e.g. [claire]',
        ),
        (
            '[luc]\nname = "Luc"\nrol = "x"\n',
            'content/auteurs.toml:1: unknown author field "rol" in [luc] (did you mean "role"?)',
        ),
        ("[luc]\nrole = 'x'\n", "content/auteurs.toml:1: author [luc] has no name"),
        (
            '\n[luc]\nname = "Lucas"\n',
            'content/auteurs.toml:2: author [luc] is named "Lucas", whose slug is "lucas"',
        ),
        ("[luc]\nname = 3\n", 'content/auteurs.toml:1: author field "name" in [luc] must be text'),
        ('luc = "x"\n', 'content/auteurs.toml: "luc" must be a table: [luc]'),
        ("[luc\n", "content/auteurs.toml: invalid TOML"),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(PresseError) as info:
        parse_authors(text, PATH)
    assert str(info.value).startswith(message)
