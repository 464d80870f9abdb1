"""Articles written by other people, built with the defaults (tests/fixtures/real-fr/).

106 French articles from three public sites under open licences (see the README
there), their bodies as their authors wrote them: raw HTML, editors' comments,
iframes, Liquid tags and Hugo shortcodes. Readers must see none of that as text;
videos come as facades that load nothing before the reader asks; and the pages
pass the Nu HTML Checker and axe-core like presse's own.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import lxml.html
import pytest

from presse.build import BuildOptions, build
from presse.check import check_site
from tests.conftest import REPO
from tests.test_accessibility import DESKTOP, axe_violations, describe
from tests.test_hostile import active_content
from tests.test_validity import describe as describe_vnu
from tests.test_validity import html_pages, run_vnu

REAL = REPO / "tests" / "fixtures" / "real-fr"
NOW = datetime.fromisoformat("2026-11-30T12:00:00+01:00")

# What readers must never see as text, outside code.
TAG_TEXT = re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>")
COMMENT_TEXT = re.compile(r"<!--|-->")
FOREIGN_TEXT = re.compile(r"\{%|%\}|\{\{<|>\}\}|\{\{%|%\}\}|\{\{-?\s*[\w.]+\s*-?\}\}")


@pytest.fixture(scope="module")
def real_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("real-fr")
    shutil.copytree(REAL / "content", site / "content")
    stand_in_photos(site)
    build(BuildOptions(site_dir=site, output_dir=site / "public", now=NOW))
    return site / "public"


# A Markdown image of the site's own: ![alt](/img/x.png "title").
LOCAL_PHOTO = re.compile(r"!\[[^\]]*\]\((/[^)\s]+\.(?:png|jpe?g|webp))", re.IGNORECASE)


def stand_in_photos(site: Path) -> None:
    """The articles' own photos were not copied with their text (see the README): a
    small stand-in of the right format at each path, so that the build publishes them
    as photos (a missing photo stops a build)."""
    from PIL import Image

    for source in (site / "content").rglob("*.md"):
        for reference in LOCAL_PHOTO.findall(source.read_text("utf-8")):
            path = site / "static" / unquote(reference).lstrip("/")
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                kind = "PNG" if path.suffix.lower() == ".png" else path.suffix[1:].upper()
                Image.new("RGB", (64, 40), (90, 110, 130)).save(
                    path, "JPEG" if kind in ("JPG", "JPEG") else kind
                )


def visible_texts(page: Path) -> Iterator[str]:
    """Every piece of text of the page a reader sees, code left out."""
    root = lxml.html.parse(str(page)).getroot()
    hidden = {"script", "style", "code", "pre", "template"}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        in_code = element.tag in hidden or any(a.tag in hidden for a in element.iterancestors())
        if element.text and not in_code:
            yield element.text
        parent = element.getparent()
        parent_in_code = parent is not None and (
            parent.tag in hidden or any(a.tag in hidden for a in parent.iterancestors())
        )
        if element.tail and not parent_in_code:
            yield element.tail


def test_no_tag_comment_or_template_syntax_reaches_a_reader(real_public: Path) -> None:
    pages = html_pages(real_public)
    assert len(pages) > 150
    shown: dict[str, list[str]] = {"tag": [], "comment": [], "template syntax": []}
    for page in pages:
        for text in visible_texts(page):
            for kind, pattern in (
                ("tag", TAG_TEXT),
                ("comment", COMMENT_TEXT),
                ("template syntax", FOREIGN_TEXT),
            ):
                shown[kind] += (f"{page}: {m.group()}" for m in pattern.finditer(text))
    assert shown == {"tag": [], "comment": [], "template syntax": []}


def test_editors_comments_are_gone_from_every_output(real_public: Path) -> None:
    sources = [p.read_text("utf-8") for p in (REAL / "content").rglob("*.md")]
    notes = [m.group(1) for text in sources for m in re.finditer(r"<!--(.*?)-->", text, re.S)]
    commented_out = [note for note in notes if "anchor.fm" in note]
    assert len(commented_out) == 2  # two podcast players the editors had commented out
    for output in real_public.rglob("*"):
        if output.suffix in (".html", ".xml", ".json"):
            text = output.read_text("utf-8")
            assert "anchor.fm/jamstatic/embed" not in text, output
            assert "<!--" not in text or output.suffix != ".html", output


def test_videos_are_facades_and_nothing_loads_from_elsewhere(real_public: Path) -> None:
    facades = 0
    for page in html_pages(real_public):
        markup = page.read_text("utf-8")
        assert active_content(markup, str(page)) == []  # no iframe, script or handler
        root = lxml.html.fromstring(markup)
        facades += len(root.find_class("embed"))
        for element in root.iter("img", "script", "link", "source", "video", "audio"):
            address = element.get("src") or ""
            if element.tag == "link" and element.get("rel") in ("stylesheet", "preload", "icon"):
                address = element.get("href") or ""
            assert not address.startswith(("http:", "https:", "//")), (page, address)
    assert facades >= 6


def test_every_article_page_passes_the_nu_html_checker(real_public: Path) -> None:
    pages = [
        p
        for p in html_pages(real_public)
        if re.match(r"\d{4}$", p.relative_to(real_public).parts[0])
    ]
    assert len(pages) > 90  # the published articles (a few are drafts)
    messages = run_vnu(pages, errors_only=True)
    assert messages == [], describe_vnu(messages, real_public)


def test_a_facade_is_accessible_and_loads_the_player_on_click(
    real_public: Path, chromium: Any, serve: Any
) -> None:
    page_path = next(
        p for p in html_pages(real_public) if 'class="embed embed--video' in p.read_text("utf-8")
    )
    base = serve(real_public)
    url = f"{base}/{page_path.relative_to(real_public).as_posix()}"
    requests: list[str] = []
    context = chromium.new_context(locale="fr-FR", **DESKTOP)
    context.route(
        re.compile(r"^(?!http://127\.0\.0\.1).*"),
        lambda route: (requests.append(route.request.url), route.abort()),
    )
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    assert requests == []  # opening the article asks nothing of any other site
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    button = page.locator(".embed__play").first
    assert button.is_visible() and button.inner_text() == "Lire la vidéo"
    button.click()
    frame = page.locator("iframe.embed__frame").first
    frame.wait_for(state="attached")
    assert frame.get_attribute("title")
    assert (frame.get_attribute("src") or "").startswith("https://")
    context.close()


def test_check_on_the_real_sample_reports_what_was_left_out() -> None:
    findings = check_site(REAL, now=NOW)
    codes = {f.code for f in findings}
    assert {"foreign-syntax", "raw-html", "embed"} <= codes
    assert not any(f.code == "unknown-key" for f in findings)
