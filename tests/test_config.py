from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from presse.config import OPTION_DOCS, SiteConfig, load_config, parse_config
from presse.errors import PresseError
from tests.conftest import REPO


def test_defaults_when_empty() -> None:
    config = parse_config("")
    assert config == SiteConfig()
    assert config.locale == "fr_FR"
    assert config.timezone == "Europe/Paris"
    assert config.permalink == "/{year}/{month}/{slug}/"


def test_values_are_read() -> None:
    config = parse_config(
        'title = "Le Journal"\nper_page = 5\nbase_url = "https://ex.fr/journal"\n'
    )
    assert config.title == "Le Journal"
    assert config.per_page == 5
    assert config.base_path == "/journal/"
    assert config.language == "fr"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('tilte = "x"', 'presse.toml:1: unknown option "tilte" (did you mean "title"?)'),
        ("zzz = 1", 'presse.toml:1: unknown option "zzz"'),
        ("\nper_page = true", 'presse.toml:2: option "per_page" must be a whole number, not True'),
        ('per_page = "3"', "presse.toml:1: option \"per_page\" must be a whole number, not '3'"),
        ("per_page = 0", 'presse.toml:1: option "per_page" is out of range: 0'),
        (
            'allow_html = "some"',
            'presse.toml:1: allow_html "some" is not one of "safe", "none", "all"',
        ),
        ("embeds = 3", 'presse.toml:1: option "embeds" must be tables: [embeds.<name>]'),
        (
            '[embeds.ina]\nhosts = ["www.ina.fr"]\npatterns = ["^/v/(?P<id>\\\\w+)"]\n'
            'player = "http://www.ina.fr/embed/{id}"',
            "presse.toml:1: embeds.ina.player must be an https:// address",
        ),
        (
            'base_url = "exemple.fr"',
            'presse.toml:1: base_url "exemple.fr" must be an absolute http(s) URL',
        ),
        ('locale = "xx_YY"', 'presse.toml:1: locale "xx_YY" is not a known locale'),
        (
            'timezone = "Mars/Olympus"',
            'presse.toml:1: timezone "Mars/Olympus" is not an IANA time zone',
        ),
        ('permalink = "/{year}/"', 'presse.toml:1: permalink "/{year}/" must contain {slug}'),
        ('permalink = "{slug}"', 'presse.toml:1: permalink "{slug}" must start and end with "/"'),
        (
            'permalink = "/../{slug}/"',
            'presse.toml:1: permalink "/../{slug}/" must not contain ".."',
        ),
        (
            'output_dir = "../www"',
            'presse.toml:1: option "output_dir" must be a folder inside the site: "../www"',
        ),
        ('title = "x', "presse.toml:1: invalid TOML"),
        (
            'logo = "javascript:alert(1)"',
            'presse.toml:1: option "logo" must be a path from static/ or an http(s) URL, '
            'not "javascript:alert(1)"',
        ),
        (
            '\ndefault_image = "data:image/svg+xml,<svg/onload=alert(1)>"',
            'presse.toml:2: option "default_image" must be a path from static/',
        ),
    ],
)
def test_bad_config_is_a_located_error(text: str, message: str) -> None:
    with pytest.raises(PresseError) as info:
        parse_config(text)
    assert str(info.value).startswith(message)


def test_html_levels_and_the_booleans_of_earlier_versions() -> None:
    assert SiteConfig().allow_html == "safe"
    assert parse_config('allow_html = "none"').allow_html == "none"
    assert parse_config("allow_html = true").allow_html == "all"
    assert parse_config("allow_html = false").allow_html == "none"


def test_a_site_provider_is_added_to_presse_own() -> None:
    config = parse_config(
        '[embeds.ina]\nname = "INA"\nhosts = ["www.ina.fr"]\n'
        "patterns = ['^/video/(?P<id>\\w+)']\nplayer = \"https://player.ina.fr/{id}\"\n"
    )
    names = [p.name for p in config.embeds]
    assert names[-1] == "INA" and "YouTube" in names
    assert hash(config) != hash(SiteConfig())  # the parser cache is keyed by the config


def test_unknown_permalink_field_lists_the_known_ones() -> None:
    with pytest.raises(PresseError, match=r'field "\{author\}" is unknown \(use \{day\}'):
        parse_config('permalink = "/{author}/{slug}/"')


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == SiteConfig()


def test_every_option_is_documented_in_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert {f.name for f in fields(SiteConfig)} <= set(OPTION_DOCS)
    for name, doc in OPTION_DOCS.items():
        assert doc
        shown = f"[{name}]" if name in ("urls", "legal") else name
        assert re.search(rf"^\| `{re.escape(shown)}` \|", readme, re.MULTILINE), name


def test_sample_site_config_is_valid() -> None:
    assert load_config(REPO).title == "Le Quotidien de l’exemple"
