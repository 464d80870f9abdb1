"""The sample site as readers, feed readers and search engines see it (issue 3).

Checked with tools nobody on this team wrote: feedparser and atoma for feeds, extruct
for structured data, lxml for sitemaps.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import atoma
import extruct
import feedparser
import pytest
from lxml import etree

from presse.build import BuildOptions, build
from tests.conftest import REPO

# Two days after the newest sample article (2025-02-03T08:00+01:00).
NOW = datetime.fromisoformat("2025-02-04T12:00:00+01:00")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS_NS = {**SITEMAP_NS, "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("features") / "public"
    build(BuildOptions(site_dir=REPO, output_dir=out, now=NOW))
    return out


def _articles(public: Path) -> list[Path]:
    return sorted(public.glob("2025/*/*/index.html"))


def test_every_page_type_exists(public: Path) -> None:
    for path in [
        "index.html",
        "page/2/index.html",
        "rubrique/technologie/index.html",
        "rubrique/economie/index.html",
        "tag/intelligence-artificielle/index.html",
        "auteur/claire-vasseur/index.html",
        "archives/index.html",
        "archives/2025/index.html",
        "archives/2025/01/index.html",
        "rubriques/index.html",
        "tags/index.html",
        "recherche/index.html",
        "404.html",
        "atom.xml",
        "rss.xml",
        "rubrique/technologie/atom.xml",
        "auteur/claire-vasseur/atom.xml",
        "sitemap.xml",
        "news-sitemap.xml",
        "robots.txt",
        "pagefind/2025-01/pagefind.js",
    ]:
        assert (public / path).is_file(), path


def test_listing_pages_paginate_with_rel_links(public: Path) -> None:
    first = (public / "rubrique/technologie/index.html").read_text("utf-8")
    assert '<link rel="next" href="/rubrique/technologie/page/2/">' in first
    second = (public / "rubrique/technologie/page/2/index.html").read_text("utf-8")
    assert '<link rel="prev" href="/rubrique/technologie/">' in second


def test_author_page_shows_the_profile(public: Path) -> None:
    html = (public / "auteur/claire-vasseur/index.html").read_text("utf-8")
    assert "journaliste au service Technologie" in html
    assert "Claire Vasseur suit l’intelligence artificielle" in html
    assert 'href="/auteur/claire-vasseur/atom.xml"' in html


def test_every_page_links_to_the_feeds(public: Path) -> None:
    for page in public.rglob("*.html"):
        if page.parts[-2] == "pagefind":
            continue
        html = page.read_text("utf-8")
        assert '<link rel="alternate" type="application/atom+xml"' in html, page
        assert 'type="application/rss+xml"' in html, page


def test_every_feed_parses_with_feedparser_and_carries_the_right_dates(public: Path) -> None:
    feeds = sorted(
        p.relative_to(public).as_posix() for p in public.rglob("*.xml") if "sitemap" not in p.name
    )
    assert len(feeds) == 2 + 3 + 7  # site Atom and RSS, 3 sections, 7 authors
    for feed in feeds:
        _check_feed(public, feed)


def _check_feed(public: Path, feed: str) -> None:
    parsed = feedparser.parse(str(public / feed))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries
    for entry in parsed.entries:
        page = public / entry.link.removeprefix("https://presse.example.org/") / "index.html"
        html = page.read_text("utf-8")
        published = re.search(r'property="article:published_time" content="([^"]+)"', html)
        modified = re.search(r'property="article:modified_time" content="([^"]+)"', html)
        assert published and modified
        expected = datetime.fromisoformat(published.group(1)).utctimetuple()
        assert entry.published_parsed == expected
        if feed.endswith("atom.xml"):
            assert entry.updated_parsed == datetime.fromisoformat(modified.group(1)).utctimetuple()
            assert entry.id.startswith("tag:presse.example.org,")
        assert entry.summary


def test_atom_feeds_pass_atoma(public: Path) -> None:
    for feed in [public / "atom.xml", *public.glob("*/*/atom.xml")]:
        parsed = atoma.parse_atom_file(str(feed))
        assert parsed.entries, feed
        assert all(e.published and e.updated and e.id_ for e in parsed.entries)
    rss = atoma.parse_rss_file(str(public / "rss.xml"))
    assert rss.items and all(item.pub_date for item in rss.items)


def test_correction_drives_modified_dates(public: Path) -> None:
    feed = feedparser.parse(str(public / "atom.xml"))
    entry = next(e for e in feed.entries if "licences" in e.link)
    assert entry.updated.startswith("2025-01-29T11:20:00")
    html = next(p for p in _articles(public) if "licences" in str(p)).read_text("utf-8")
    assert "Rectificatif" in html
    assert '"dateModified":"2025-01-29T11:20:00+01:00"' in html


NEWS_ARTICLE_PROPERTIES = [
    "headline", "description", "image", "datePublished", "dateModified", "author",
    "publisher", "articleSection", "keywords", "inLanguage", "mainEntityOfPage", "wordCount",
]  # fmt: skip


def test_every_article_has_a_complete_news_article(public: Path) -> None:
    pages = _articles(public)
    assert len(pages) == 10
    for page in pages:
        url = "https://presse.example.org/" + page.parent.relative_to(public).as_posix() + "/"
        data = extruct.extract(
            page.read_text("utf-8"),
            base_url=url,
            syntaxes=["json-ld", "opengraph"],
            errors="strict",
        )
        items = {item["@type"]: item for item in data["json-ld"]}
        article = items["NewsArticle"]
        missing = [p for p in NEWS_ARTICLE_PROPERTIES if not article.get(p)]
        assert missing == [], page
        assert article["inLanguage"] == "fr-FR"
        assert article["mainEntityOfPage"]["@id"] == url
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", article["datePublished"]
        )
        for author in article["author"]:
            assert author["@type"] in ("Person", "NewsMediaOrganization")
            assert author["url"].startswith("https://presse.example.org/")
        assert article["publisher"]["logo"]["url"].endswith("/images/logo.png")
        crumbs = items["BreadcrumbList"]["itemListElement"]
        assert crumbs[0]["item"] == "https://presse.example.org/" and crumbs[-1]["item"] == url
        og = dict(data["opengraph"][0]["properties"])
        for key in ("og:title", "og:type", "og:url", "og:image", "og:description", "og:locale",
                    "og:site_name", "article:published_time", "article:modified_time",
                    "article:author", "article:section", "article:tag"):  # fmt: skip
            assert og.get(key), (page, key)
        assert og["og:locale"] == "fr_FR" and og["og:type"] == "article"


def test_canonical_and_twitter_tags_on_every_page(public: Path) -> None:
    for page in public.rglob("index.html"):
        html = page.read_text("utf-8")
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        assert canonical and canonical.group(1).startswith("https://presse.example.org/"), page
        assert '<meta name="twitter:card"' in html


def test_sitemap_lists_every_page_with_lastmod(public: Path) -> None:
    tree = etree.parse(str(public / "sitemap.xml"))
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    pages = [p for p in public.rglob("index.html") if p.parts[-2] not in ("recherche",)]
    assert len(locs) == len(set(locs)) == len(pages)
    # Every page but the site's own pages written without a date (legal notice…).
    own = (REPO / "content" / "pages").glob("*.md")
    undated = {f"https://presse.example.org/{p.stem}/" for p in own}
    dated = tree.xpath("//s:url[s:lastmod]/s:loc/text()", namespaces=SITEMAP_NS)
    assert sorted(dated) == sorted(set(locs) - undated) and len(undated) == 3


def test_news_sitemap_holds_exactly_the_last_48_hours(public: Path) -> None:
    tree = etree.parse(str(public / "news-sitemap.xml"))
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=NEWS_NS)
    # 2025-02-02T12:00+01:00 → 2025-02-04T12:00+01:00: only the 3 February article.
    assert locs == [
        "https://presse.example.org/2025/02/centres-de-donnees-dans-le-nord-un-projet-geant-bute-sur-leau-et-lelectricite/"
    ]
    assert tree.xpath("//news:publication/news:language/text()", namespaces=NEWS_NS) == ["fr"]
    assert tree.xpath("//news:title/text()", namespaces=NEWS_NS)


def test_news_sitemap_window_moves_with_now(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(
        BuildOptions(
            site_dir=REPO, output_dir=out, now=datetime.fromisoformat("2025-02-03T07:59:00+01:00")
        )
    )
    locs = etree.parse(str(out / "news-sitemap.xml")).xpath(
        "//s:url/s:loc/text()", namespaces=NEWS_NS
    )
    # 1 Feb 10:00 is inside the window, 3 Feb 08:00 is not yet published.
    assert [loc.split("/")[-2] for loc in locs] == [
        "openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique"
    ]


def test_robots_names_both_sitemaps(public: Path) -> None:
    robots = (public / "robots.txt").read_text("utf-8")
    assert "Sitemap: https://presse.example.org/sitemap.xml" in robots
    assert "Sitemap: https://presse.example.org/news-sitemap.xml" in robots


def test_related_and_neighbours(public: Path) -> None:
    page = (
        public / "2025/01/a-lyon-nereide-publie-un-modele-de-langage-aux-poids-ouverts/index.html"
    )
    html = page.read_text("utf-8")
    block = re.search(r'<aside class="related".*?</aside>', html, re.DOTALL)
    assert block and len(re.findall(r"<li ", block.group(0))) == 3  # filled automatically
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_article_image_has_its_size(public: Path) -> None:
    page = next(p for p in _articles(public) if "centres-de-donnees-dans-le-nord" in str(p))
    html = page.read_text("utf-8")
    assert re.search(
        r'<img src="/images/campus-scarpe-puissance.svg" alt="[^"]+" width="640" height="400">',
        html,
    )
    assert 'content="https://presse.example.org/images/campus-scarpe-puissance.svg"' in html
