from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from presse.config import SiteConfig
from presse.errors import PresseError
from presse.markdown import create_markdown
from presse.model import Article, SourceFile, around
from presse.parse import parse_article, parse_date, split_frontmatter

CONFIG = SiteConfig()
MD = create_markdown()


def parse(text: str, config: SiteConfig = CONFIG) -> Article:
    return parse_article(SourceFile.of_text(Path("content/a.md"), text), config, MD)


def error(text: str) -> str:
    with pytest.raises(PresseError) as info:
        parse(text)
    return str(info.value)


MINIMAL = "---\ntitle: Un titre\ndate: 2025-02-01T10:00:00+01:00\n---\n\nCorps.\n"


def test_minimal_article() -> None:
    article = parse(MINIMAL)
    assert article.title == "Un titre"
    assert article.slug == "un-titre"
    assert article.url == "/2025/02/un-titre/"
    assert article.date == datetime.fromisoformat("2025-02-01T10:00:00+01:00")
    assert article.authors == () and article.tags == () and article.section is None
    assert article.body.html == "<p>Corps.</p>\n"
    assert article.description == "Corps."


def test_the_address_is_held_around_the_slug() -> None:
    """Shared strings before and after the slug (0.1 KB an article less in a build),
    read back whole; an address that does not contain the slug is held whole."""
    article = parse(MINIMAL.replace("title: Un titre", "title: Un titre\nslug: a"))
    assert article.url == "/2025/02/a/"
    assert (article.url_head, article.url_tail) == ("/2025/02/", "/")
    assert around("/une/page/", "autre") == ("/une/page/", None)
    assert around("a/a/a", "a") == ("a/a/", "")
    for text, slug in [("/x/", "x"), ("", "x"), ("xx", "x"), ("/y/", "x")]:
        head, tail = around(text, slug)
        assert (head if tail is None else head + slug + tail) == text


def test_all_fields() -> None:
    article = parse(
        "---\n"
        'title: "L\'IA : un virage"\n'
        "slug: virage-ia\n"
        "date: 2025-02-01\n"
        "updated: 2025-02-02T08:00\n"
        "authors: [Anne Martin, Paul Roux]\n"
        "section: Technologie\n"
        "tags: [IA, IA, sources ouvertes]\n"
        "summary: L'été typographié!\n"
        "related: [autre]\n"
        "image: /images/a.png\n"
        "image_alt: Une image\n"
        "draft: true\n"
        "extra: {couleur: bleu}\n"
        "---\n"
    )
    assert article.title == "L’IA\u00a0: un virage"
    assert article.slug == "virage-ia"
    assert article.summary == "L’été typographié\u202f!"
    assert article.tags == ("IA", "sources ouvertes")
    assert article.authors == ("Anne Martin", "Paul Roux")
    assert article.related == ("autre",)
    assert article.draft is True
    assert article.image == "/images/a.png" and article.image_alt == "Une image"
    assert article.updated is not None and article.updated.utcoffset() == timedelta(hours=1)
    assert article.line_of("related") == 10
    assert article.line_of("related[0]") == 10
    assert not article.has_line("tags")  # kept: only the lines later errors point at


def test_naive_dates_take_the_site_timezone() -> None:
    summer = parse_date("2025-07-01T10:00", CONFIG)
    winter = parse_date("2025-01-01", CONFIG)
    assert summer is not None and summer.utcoffset() == timedelta(hours=2)
    assert winter is not None and winter.utcoffset() == timedelta(hours=1)
    tokyo = parse_date("2025-01-01T10:00", SiteConfig(timezone="Asia/Tokyo"))
    assert tokyo is not None and tokyo.utcoffset() == timedelta(hours=9)


def test_permalink_uses_the_local_date() -> None:
    # 23:30 UTC on 31 January is already February in Paris.
    article = parse("---\ntitle: Minuit\ndate: 2025-01-31T23:30:00Z\n---\n")
    assert article.url == "/2025/02/minuit/"
    custom = SiteConfig(permalink="/{section}/{year}-{month}-{day}/{slug}/")
    article = parse("---\ntitle: T\nsection: Économie\ndate: 2025-03-04\n---\n", custom)
    assert article.url == "/economie/2025-03-04/t/"


def test_bom_free_crlf_text_is_handled_by_the_loader() -> None:
    meta, lines, body = split_frontmatter(SourceFile.of_text(Path("a.md"), MINIMAL))
    assert meta["title"] == "Un titre"
    assert lines["title"] == 2 and lines["date"] == 3
    assert body.strip() == "Corps."


def test_dates_stay_strings_for_the_loader() -> None:
    meta, _, _ = split_frontmatter(SourceFile.of_text(Path("a.md"), MINIMAL))
    assert meta["date"] == "2025-02-01T10:00:00+01:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Pas de frontmatter\n",
            'content/a.md:1: no frontmatter: an article starts with a "---" line',
        ),
        ("---\ntitle: x\n", 'content/a.md:1: frontmatter is not closed by a "---" line'),
        ("---\n- a\n- b\n---\n", "content/a.md:2: frontmatter must be a mapping"),
        ("---\ndate: 2025-01-01\n---\n", 'content/a.md:1: missing required field "title"'),
        ("---\ntitle: ''\ndate: 2025-01-01\n---\n", 'content/a.md:2: "title" is empty'),
        (
            "---\ntitle: [a]\ndate: 2025-01-01\n---\n",
            'content/a.md:2: "title" must be text, not a list',
        ),
        ("---\ntitle: T\n---\n", 'content/a.md:1: missing required field "date"'),
        (
            "---\ntitle: T\ndate: 2025-02-30\n---\n",
            'content/a.md:3: date "2025-02-30" is not a date',
        ),
        ("---\ntitle: T\ndate: 2025\n---\n", 'content/a.md:3: date "2025" is not a date'),
        (
            "---\ntitle: T\ndate: 2025-01-02\nupdated: 2025-01-01\n---\n",
            "content/a.md:4: updated is earlier than date",
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\ntilte: x\n---\n",
            'content/a.md:4: unknown frontmatter key "tilte" (did you mean "title"?)',
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\ncouleur: x\n---\n",
            'content/a.md:4: unknown frontmatter key "couleur" (custom data goes under "extra")',
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\ndraft: oui\n---\n",
            "content/a.md:4: draft must be true or false",
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\ntags:\n  - a\n  - {b: c}\n---\n",
            'content/a.md:6: "tags" must be a list of texts; item 2 is a mapping',
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\nslug: Mon Slug\n---\n",
            'content/a.md:4: slug "Mon Slug" is not valid: '
            'use lowercase letters, digits and hyphens (e.g. "mon-slug")',
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\nslug: a/../../b\n---\n",
            'content/a.md:4: slug "a/../../b" would escape the output folder',
        ),
        (
            '---\ntitle: "!!!"\ndate: 2025-01-01\n---\n',
            "content/a.md:2: cannot make a slug from title",
        ),
        (
            "---\ntitle: T\ndate: 2025-01-01\nx: !!python/object:os.system {}\n---\n",
            "content/a.md:4: invalid YAML in frontmatter: could not determine a constructor",
        ),
    ],
)
def test_errors_point_at_the_line(text: str, message: str) -> None:
    assert error(text).startswith(message)


def test_with_a_chapo_the_first_paragraph_is_not_kept_as_an_excerpt() -> None:
    article = parse(MINIMAL.replace("---\n\n", 'summary: "Le chapô."\n---\n\n'))
    assert article.description == "Le chapô." and article.body.excerpt == ""
