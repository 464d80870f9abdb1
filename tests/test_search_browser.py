"""Search works for a reader: Pagefind's UI in headless Chromium finds a sample article.

Runs the real thing: the sample site built with its Pagefind index, served on
127.0.0.1, driven by Playwright in Debian's Chromium (never a downloaded browser).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, require_chromium

ARTICLE = (
    "/2025/01/dans-la-vallee-de-larve-les-decolleteurs-encaissent-le-ralentissement-de-lautomobile/"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "public"
    build(
        BuildOptions(
            site_dir=REPO, output_dir=out, now=datetime.fromisoformat("2025-03-01T00:00:00+01:00")
        )
    )
    return out


@pytest.mark.parametrize("query", ["décolleteurs", "decolleteur"])  # accents folded, stemmed
def test_search_finds_the_article(site: Path, serve: Callable[[Path], str], query: str) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    base = serve(site)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(locale="fr-FR")
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/recherche/")
            page.fill(".pagefind-ui__search-input", query)
            link = page.locator(f'.pagefind-ui__result-link[href="{ARTICLE}"]')
            link.wait_for(timeout=15_000)
            assert "décolleteurs" in link.inner_text().lower()
        finally:
            browser.close()
    assert errors == []


def test_search_page_explains_itself_without_javascript(site: Path) -> None:
    html = (site / "recherche" / "index.html").read_text("utf-8")
    assert "<noscript>" in html and 'href="/archives/"' in html
