"""A reader's journey through the served sample site, clicked through in Chromium.

Front page → an article → « À lire également » → a tag → page 2 of the front page →
search for a French word → a result. Every step checks where the reader landed, and the
whole journey must run without console errors, failed requests or HTTP errors.
Screenshots for humans are written to tests/_output/screenshots/.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEVICES, TESTS

SCREENSHOTS = TESTS / "_output" / "screenshots"
SITE_TITLE = "Le Quotidien de l’exemple"
ARTICLE = "/2025/02/openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique/"
ARTICLE_URL = r"/2025/\d\d/[a-z0-9-]+/$"


class Problems:
    """Everything that went wrong in the browser while a page was in use."""

    def __init__(self, page: Any) -> None:
        self.found: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request: Any) -> None:
        # A photo still loading when the reader clicks on is cancelled by the browser
        # (net::ERR_ABORTED): the reader left, nothing failed. A missing file is a 404.
        if "ERR_ABORTED" not in str(request.failure):
            self.found.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.found.append(f"console {message.type}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.found.append(f"HTTP {response.status}: {response.url}")


def heading(page: Any) -> str:
    """The page's main heading, as a reader sees it."""
    text: str = page.locator("main h1, body > header h1").first.inner_text()
    return text.strip()


def path_of(page: Any, base: str) -> str:
    url: str = page.url
    assert url.startswith(base), url
    return url.removeprefix(base)


def test_reader_journey(sample_url: str, chromium: Any) -> None:
    from playwright.sync_api import expect

    base = sample_url
    context = chromium.new_context(locale="fr-FR", **DEVICES["desktop"])
    page = context.new_page()
    problems = Problems(page)
    try:
        page.goto(base + "/", wait_until="networkidle")
        assert heading(page) == SITE_TITLE
        expect(page).to_have_title(SITE_TITLE)

        # The lead story of the front page.
        lead = page.locator(".card--lead .card__title a")
        title = lead.inner_text().strip()
        lead.click()
        expect(page).to_have_url(re.compile(ARTICLE_URL))
        assert heading(page) == title

        # « À lire également »: the first related article.
        related = page.locator("aside.related")
        expect(related.locator("h2")).to_have_text("À lire également")
        link = related.locator("a").first
        related_title = link.inner_text().strip()
        previous = page.url
        link.click()
        page.wait_for_url(lambda url: url != previous)
        assert heading(page) == related_title
        assert path_of(page, base).count("/") == 4  # /2025/MM/slug/

        # A tag of that article leads to the tag's listing, which lists the article.
        tag = page.locator(".article__footer .tag a").first
        tag_name = tag.inner_text().strip()
        tag_href = tag.get_attribute("href")
        tag.click()
        page.wait_for_url(base + tag_href)
        assert path_of(page, base).startswith("/tag/")
        assert heading(page) == tag_name
        assert related_title in page.locator("main").inner_text()

        # Back to the front page by the masthead, then to its page 2.
        page.locator(".masthead__title a").click()
        page.wait_for_url(base + "/")
        page.locator(".pagination a[rel=next]").click()
        page.wait_for_url(base + "/page/2/")
        expect(page.locator(".pagination__current")).to_have_text("Page 2 sur 3")
        assert page.locator(".card").count() == 4
        assert title not in page.locator("main").inner_text()  # the lead is on page 1

        # Search from the navigation, for a French word with an accent.
        page.locator(".site-nav a", has_text="Recherche").click()
        page.wait_for_url(base + "/recherche/")
        assert heading(page) == "Recherche"
        page.locator(".search__input").fill("électricité")
        result = page.locator(".search__result a").first
        result.wait_for(timeout=15_000)
        result_title = result.inner_text().strip()
        result.click()
        expect(page).to_have_url(re.compile(ARTICLE_URL))
        assert heading(page) == result_title
        assert "lectricit" in page.locator("article").inner_text()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert problems.found == []


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is no PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("name,url", [("une", "/"), ("article", ARTICLE)])
def test_screenshots(sample_url: str, chromium: Any, device: str, name: str, url: str) -> None:
    base = sample_url
    settings = DEVICES[device]
    context = chromium.new_context(locale="fr-FR", **settings)
    page = context.new_page()
    problems = Problems(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{device}.png"
    target.unlink(missing_ok=True)
    try:
        page.goto(base + url, wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()
    assert problems.found == []
    width, height = png_size(target)
    scale = settings.get("device_scale_factor", 1)
    assert width == settings["viewport"]["width"] * scale
    assert height > settings["viewport"]["height"] * scale  # full page, longer than the screen
    assert target.stat().st_size > 20_000  # a rendered page, not a blank one
