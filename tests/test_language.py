"""An article in another language than the site's (``lang: en``): the element holding
it, its feeds entry, its structured data and its typography follow it; the site's own
words (navigation, dates) stay the site's. Checked with feedparser, extruct and lxml."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import extruct
import feedparser
import lxml.html
import pytest

from presse.build import BuildOptions, build
from presse.check import check_site

NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")

ENGLISH = """---
title: "The mayor's plan: what changes"
date: 2025-05-31T09:00:00+02:00
lang: en
summary: 'The plan is "ambitious" : read [the report](https://example.org/report).'
tags: [Urbanisme]
---

The mayor said "we will build" : really ? Yes !

https://www.youtube.com/watch?v=dQw4w9WgXcQ
"""

FRENCH = """---
title: "Le plan du maire : ce qui change"
date: 2025-05-31T08:00:00+02:00
summary: Le plan est "ambitieux".
tags: [Urbanisme]
---

Le maire a dit "nous construirons" : vraiment ? Oui !
"""


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("lang")
    (site / "content").mkdir()
    (site / "content" / "plan.md").write_text(ENGLISH, encoding="utf-8")
    (site / "content" / "plan-fr.md").write_text(FRENCH, encoding="utf-8")
    (site / "presse.toml").write_text('base_url = "https://journal.example/"\n', "utf-8")
    build(BuildOptions(site_dir=site, output_dir=site / "public", now=NOW))
    return site / "public"


def page(public: Path, slug: str) -> Path:
    return next(public.glob(f"2025/05/{slug}/index.html"))


def test_the_article_element_carries_its_language(public: Path) -> None:
    root = lxml.html.parse(str(page(public, "the-mayors-plan-what-changes"))).getroot()
    assert root.get("lang") == "fr"  # the page's own words are the site's
    article = root.find_class("article")[0]
    assert article.get("lang") == "en"
    assert article.findtext(".//h1") == "The mayor’s plan: what changes"
    body = article.find_class("article__body")[0]
    assert "The mayor said “we will build”: really? Yes!" in body.text_content()
    assert "Play the video" in body.text_content()  # the facade speaks English too
    french = lxml.html.parse(str(page(public, "le-plan-du-maire-ce-qui-change"))).getroot()
    assert french.find_class("article")[0].get("lang") is None
    assert "«\u202fnous construirons\u202f»\u00a0: vraiment\u202f? Oui\u202f!" in (
        french.find_class("article__body")[0].text_content()
    )


def test_the_chapo_keeps_its_link_on_the_page_and_is_plain_text_elsewhere(public: Path) -> None:
    markup = page(public, "the-mayors-plan-what-changes").read_text("utf-8")
    root = lxml.html.fromstring(markup)
    chapo = root.find_class("chapo")[0]
    assert [a.get("href") for a in chapo.iter("a")] == ["https://example.org/report"]
    description = root.xpath('//meta[@name="description"]/@content')[0]
    assert description == "The plan is “ambitious”: read the report."
    feed = feedparser.parse(str(public / "atom.xml"))
    entry = next(e for e in feed.entries if e.title.startswith("The mayor"))
    assert entry.summary == "The plan is “ambitious”: read the report."


def test_structured_data_feeds_and_sitemaps_say_the_language(public: Path) -> None:
    markup = page(public, "the-mayors-plan-what-changes").read_text("utf-8")
    data = extruct.extract(markup, syntaxes=["json-ld"])["json-ld"]
    news = next(item for group in data for item in (group if isinstance(group, list) else [group])
                if item.get("@type") == "NewsArticle")  # fmt: skip
    assert news["inLanguage"] == "en"
    feed = feedparser.parse(str(public / "atom.xml"))
    languages = {e.title[:6]: e.title_detail.language for e in feed.entries}
    assert languages == {"The ma": "en", "Le pla": "fr"}
    sitemap = (public / "news-sitemap.xml").read_text("utf-8")
    assert "<news:language>en</news:language>" in sitemap
    assert "<news:language>fr</news:language>" in sitemap


def test_a_language_that_does_not_exist_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    text = FRENCH.replace("tags:", "lang: klingon\ntags:")
    (tmp_path / "content" / "a.md").write_text(text, encoding="utf-8")
    findings = check_site(tmp_path, now=NOW)
    assert [(f.line, f.message) for f in findings if f.code == "frontmatter"] == [
        (5, 'lang "klingon" is not a language tag (e.g. "en", "en-GB", "fr-CA")')
    ]


def test_english_articles_get_no_french_spacing_findings(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    text = ENGLISH + "\nIt reads well:really.\n"
    (tmp_path / "content" / "a.md").write_text(text, encoding="utf-8")
    codes = [f.code for f in check_site(tmp_path, now=NOW)]
    assert "french-spacing" not in codes


def test_json_ld_stays_valid_json(public: Path) -> None:
    markup = page(public, "the-mayors-plan-what-changes").read_text("utf-8")
    raw = lxml.html.fromstring(markup).xpath('//script[@type="application/ld+json"]/text()')[0]
    assert json.loads(raw)
