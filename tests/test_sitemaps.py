"""What the sitemaps list (sitemaps.py); their validity is in test_validity."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from presse.config import SiteConfig
from presse.markdown import create_markdown
from presse.model import Article, SourceFile
from presse.parse import parse_article
from presse.sitemaps import (
    MAX_URLS,
    SitemapEntries,
    SitemapUrl,
    article_entry,
    page_entry,
    sitemap_chunks,
)

WHEN = datetime(2025, 2, 4, 12, tzinfo=UTC)


def test_an_entry_shares_the_root_and_the_pages_url() -> None:
    stem, url = "https://presse.example.org", "/2025/02/mon-article/"
    entry = SitemapUrl.of(stem + url, url, stem, WHEN)
    assert entry.loc == "https://presse.example.org/2025/02/mon-article/"
    assert entry.head is stem and entry.tail is url  # no string of its own


def test_an_address_that_is_not_the_root_and_the_url_is_kept_whole() -> None:
    stem = "https://presse.example.org"
    for canonical, url in [
        ("https://ailleurs.example.org/2025/a/", "/2025/a/"),  # another host
        ("https://presse.example.org/2025/%C3%A9t%C3%A9/", "/2025/été/"),  # encoded
        ("https://presse.example.org/x/2025/a/", "/2025/a/"),  # longer
    ]:
        entry = SitemapUrl.of(canonical, url, stem, None)
        assert entry.loc == canonical and entry.tail == ""


def test_sitemaps_split_at_the_protocols_limit() -> None:
    entries = [SitemapUrl(f"https://e.org/{n}/", WHEN) for n in range(MAX_URLS + 1)]
    chunks = sitemap_chunks(entries)
    assert [len(c) for c in chunks] == [MAX_URLS, 1]
    assert sitemap_chunks([]) == [[]]


def _article(title: str, updated: str = "") -> Article:
    text = f"---\ntitle: {title}\ndate: 2025-02-01T10:00:00+01:00\n{updated}---\n\nCorps.\n"
    return parse_article(
        SourceFile.of_text(Path(f"content/{title}.md"), text), SiteConfig(), create_markdown()
    )


def test_an_articles_entry_is_the_article_itself_and_reads_as_its_address() -> None:
    """An archive's sitemap holds its articles, not an entry object each; read, each is
    the entry it stands for, and the list's repr (what a page key hashes) is a digest
    that changes with what it lists."""
    stem = "https://presse.example.org"
    one, two = _article("un"), _article("deux", "updated: 2025-03-01\n")
    listed = [article_entry(stem + a.url, a, stem, a.modified) for a in (one, two)]
    assert listed == [one, two]
    other = article_entry(stem + one.url, one, stem, WHEN)  # another date: its own entry
    assert isinstance(other, SitemapUrl) and other.lastmod == WHEN
    moved = article_entry("https://ailleurs.example.org" + one.url, one, stem, one.modified)
    assert isinstance(moved, SitemapUrl) and moved.loc.startswith("https://ailleurs")
    entries = SitemapEntries(stem, [*listed, SitemapUrl.of(stem + "/", "/", stem, None)])
    assert [e.loc for e in entries] == [stem + one.url, stem + two.url, stem + "/"]
    assert [e.lastmod for e in entries][:2] == [one.modified, two.modified]
    assert entries[1].loc == stem + two.url and len(entries) == 3
    tail = entries[1:]
    assert isinstance(tail, SitemapEntries) and [e.loc for e in tail] == [
        stem + two.url,
        stem + "/",
    ]
    assert repr(entries) == repr(SitemapEntries(stem, list(entries.items)))
    assert repr(entries) != repr(entries[1:]) and len(repr(entries)) < 60


def test_a_listing_pages_entry_is_its_output_path_with_its_date() -> None:
    """A listing page is listed by the output path the plan holds anyway and its date;
    read, it is the entry of the URL that path is written for, and its date is in the
    list's digest."""
    stem = "https://presse.example.org"
    entry = page_entry(stem + "/tag/ecole/page/2/", "/tag/ecole/page/2/", PATH, stem, WHEN)
    assert entry is PATH
    assert page_entry(stem + "/", "/", "index.html", stem, None) == "index.html"
    for canonical, url, path in [
        ("https://ailleurs.example.org/tag/ecole/", "/tag/ecole/", "tag/ecole/index.html"),
        (stem + "/404.html", "/404.html", "404.html"),  # a file, not a folder's index
        (stem + "/tag/b/", "/tag/b/", "tag/a/index.html"),  # the path stands for another
    ]:
        kept = page_entry(canonical, url, path, stem, WHEN)
        assert isinstance(kept, SitemapUrl) and kept.loc == canonical
    entries = SitemapEntries(stem, [entry, "index.html"], [WHEN, None])
    assert [(e.loc, e.lastmod) for e in entries] == [
        (stem + "/tag/ecole/page/2/", WHEN),
        (stem + "/", None),
    ]
    assert entries[0].tail == "/tag/ecole/page/2/" and entries[1:][0].loc == stem + "/"
    later = SitemapEntries(stem, [entry, "index.html"], [datetime(2026, 1, 1, tzinfo=UTC), None])
    assert repr(entries) != repr(later)  # a listing's date changed: its sitemap too
    with pytest.raises(ValueError, match="lastmod"):
        SitemapEntries(stem, [entry], [WHEN, None])


PATH = "tag/ecole/page/2/index.html"
