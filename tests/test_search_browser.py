"""Search works for a reader: Pagefind's UI in headless Chromium finds a sample article.

Runs the real thing: the sample site built with its Pagefind index, served on
127.0.0.1, driven by Playwright in Debian's Chromium (never a downloaded browser).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ARTICLE = (
    "/2025/01/dans-la-vallee-de-larve-les-decolleteurs-encaissent-le-ralentissement-de-lautomobile/"
)


@pytest.mark.parametrize("query", ["décolleteurs", "decolleteur"])  # accents folded, stemmed
def test_search_finds_the_article(sample_url: str, chromium: Any, query: str) -> None:
    errors: list[str] = []
    context = chromium.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{sample_url}/recherche/")
        page.fill(".search__input", query)
        link = page.locator(f'.search__result a[href="{ARTICLE}"]')
        link.wait_for(timeout=15_000)
        assert "décolleteurs" in link.inner_text().lower()
    finally:
        context.close()
    assert errors == []


def test_search_page_explains_itself_without_javascript(sample_public: Path) -> None:
    html = (sample_public / "recherche" / "index.html").read_text("utf-8")
    assert "<noscript>" in html and 'href="/archives/"' in html
