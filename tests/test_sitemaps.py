"""What the sitemaps list (sitemaps.py); their validity is in test_validity."""

from __future__ import annotations

from datetime import UTC, datetime

from presse.sitemaps import MAX_URLS, SitemapUrl, sitemap_chunks

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
