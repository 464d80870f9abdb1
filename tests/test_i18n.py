from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import presse
from presse.i18n import format_date_local, format_number, load_translations
from presse.theme import PACKAGE_THEME

PARIS = "Europe/Paris"


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        ("2025-02-01T10:00:00+01:00", "datetime", "1er\u00a0février 2025 à\u00a010\u00a0h\u00a000"),
        ("2025-02-01T10:00:00+01:00", "long", "1er\u00a0février 2025"),
        ("2025-02-12T09:05:00+01:00", "long", "12\u00a0février 2025"),
        ("2025-02-12T09:05:00+01:00", "time", "9\u00a0h\u00a005"),
        ("2025-02-12T09:05:00+01:00", "month", "février 2025"),
        ("2025-07-14T00:00:00+02:00", "datetime", "14\u00a0juillet 2025"),  # no invented time
        ("2025-01-31T23:30:00+00:00", "long", "1er\u00a0février 2025"),  # shown in Paris time
    ],
)
def test_french_dates(value: str, style: str, expected: str) -> None:
    assert format_date_local(datetime.fromisoformat(value), "fr_FR", PARIS, style) == expected


def test_other_locales_use_cldr() -> None:
    value = datetime.fromisoformat("2025-02-01T10:00:00+01:00")
    assert format_date_local(value, "en_GB", PARIS, "long") == "1 February 2025"


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown date style"):
        format_date_local(datetime.fromisoformat("2025-02-01T10:00:00+01:00"), "fr_FR", PARIS, "x")


def test_numbers() -> None:
    assert format_number(1234, "fr_FR") == "1\u202f234"
    assert format_number(3.5, "fr_FR") == "3,5"


def test_catalogue_translates_interface_strings() -> None:
    fr = load_translations("fr_FR")
    assert fr.gettext("Related reading") == "À lire également"
    assert fr.gettext("Published on") == "Publié le"
    assert fr.gettext("Updated on") == "Mis à jour le"
    assert fr.gettext("%(minutes)s min read") == "%(minutes)s min de lecture"
    assert load_translations("de_DE").gettext("Related reading") == "Related reading"


def test_every_interface_string_has_a_french_translation() -> None:
    """Every ``_()`` of the templates and of the code is in the French catalogue."""
    theme_strings = extract_from_dir(
        PACKAGE_THEME / "templates",
        [("**.html", "jinja2"), ("**.xml", "jinja2"), ("**.txt", "jinja2")],
        {"**.html": {"extensions": "jinja2.ext.i18n"}, "**.xml": {}, "**.txt": {}},
    )
    code_strings = extract_from_dir(Path(presse.__file__).parent, [("*.py", "python")])
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in [*theme_strings, *code_strings]
    }
    assert {"Related reading", "Front page", "%(title)s, page %(number)s"} <= found
    po = Path(presse.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    missing = sorted(m for m in found if m not in catalog or not catalog[m].string)
    assert missing == []
