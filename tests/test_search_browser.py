"""Search works for a reader: Pagefind's UI in headless Chromium finds a sample article.

Runs the real thing: the sample site built with its Pagefind index, served on
127.0.0.1, driven by Playwright in Debian's Chromium (never a downloaded browser).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import search_results

ARTICLE = (
    "/2025/01/dans-la-vallee-de-larve-les-decolleteurs-encaissent-le-ralentissement-de-lautomobile/"
)


@pytest.mark.parametrize("query", ["décolleteurs", "decolleteur"])  # accents folded, stemmed
def test_search_finds_the_article(sample_url: str, chromium: Any, query: str) -> None:
    results, errors = search_results(chromium, sample_url, query)
    titles = dict(results)
    assert "décolleteurs" in titles[ARTICLE].lower()
    assert errors == []


def test_search_page_explains_itself_without_javascript(sample_public: Path) -> None:
    html = (sample_public / "recherche" / "index.html").read_text("utf-8")
    assert "<noscript>" in html and 'href="/archives/"' in html
