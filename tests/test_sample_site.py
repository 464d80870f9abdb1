"""The repository's own sample site, built as a newcomer would build it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.sources import find_sources
from tests.conftest import REPO

SEED = "2025/02/openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique/index.html"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "public"
    build(
        BuildOptions(
            site_dir=REPO, output_dir=out, now=datetime.fromisoformat("2026-01-01T00:00:00+01:00")
        )
    )
    return out


def _body(html: str) -> str:
    match = re.search(r'<div class="article__body">(.*?)\n  </div>', html, re.DOTALL)
    assert match
    return match.group(1)


def test_every_article_has_a_page(public: Path) -> None:
    assert (public / "index.html").is_file()
    articles = find_sources(REPO / "content" / "2025")
    assert len(articles) >= 9
    pages = list(public.glob("2025/*/*/index.html"))
    assert len(pages) == len(articles)
    for page in find_sources(REPO / "content" / "pages"):  # the site's own pages
        assert (public / Path(page).stem / "index.html").is_file()


def test_seed_article_structure(public: Path) -> None:
    html = (public / SEED).read_text(encoding="utf-8")
    body = _body(html)
    assert len(re.findall(r"<h2 id=", body)) == 5
    captions = re.findall(
        r'<figure class="citation">\n<blockquote>\n<p>«\u202f.*?\u202f»</p>\n</blockquote>\n'
        r"<figcaption>(.*?)</figcaption>\n</figure>",
        body,
    )
    assert captions == [
        "– Sam Altman, PDG d’OpenAI",
        "– Kevin Weil, Directeur Produit d’OpenAI",
        "– Kevin Weil, Directeur Produit d’OpenAI",
    ]
    lists = re.findall(r"<ul>(.*?)</ul>", body, re.DOTALL)
    assert len(lists) == 1 and lists[0].count("<li>") == 3
    assert "février 2025" in html
    assert re.search(
        r'<h1 class="article__title"[^>]*>OpenAI ouvre ses portes aux sources ouvertes\u00a0: un',
        html,
    )
    assert html.count("gigantesque centre de données") == 1
    assert '<html lang="fr">' in html


def test_seed_related_links_resolve(public: Path) -> None:
    html = (public / SEED).read_text(encoding="utf-8")
    block = re.search(r'<aside class="related".*?</aside>', html, re.DOTALL)
    assert block and "À lire également" in block.group(0)
    links = re.findall(r'<a href="(/[^"]*)">', block.group(0))
    assert len(links) == 3
    for link in links:
        assert (public / link.lstrip("/") / "index.html").is_file(), link


def test_internal_links_in_bodies_resolve(public: Path) -> None:
    for page in public.rglob("*.html"):
        for link in re.findall(r'href="(/[^"#]*)"', page.read_text(encoding="utf-8")):
            target = public / link.lstrip("/")
            assert target.is_file() or (target / "index.html").is_file(), f"{page}: {link}"


def test_front_page_is_paginated_newest_first(public: Path) -> None:
    front = (public / "index.html").read_text(encoding="utf-8")
    dates = re.findall(r'<time datetime="([^"]+)">', front)
    assert dates == sorted(dates, reverse=True)
    assert (public / "page" / "2" / "index.html").is_file()
    assert 'rel="next" href="/page/2/"' in front
