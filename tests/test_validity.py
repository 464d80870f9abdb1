"""The built sample site is valid for the real validators: the Nu HTML Checker for every
HTML page, and the sitemaps.org 0.9 XML Schema for the sitemaps.

Feeds and JSON-LD are checked in tests/test_site_features.py; this file is only about
markup validity. The clients come from npm (package.json): vnu-jar and sitemap's XSD.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import presse.sitemaps
from presse.build import BuildOptions, build
from tests.conftest import REPO, SAMPLE_NOW, node_module, require_java

# The day after the newest sample article: the news sitemap then lists it.
NEWS_NOW = datetime.fromisoformat("2025-02-04T12:00:00+01:00")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
ARTICLE = "2025/02/openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique/index.html"


def html_pages(public: Path) -> list[Path]:
    """Every HTML page presse wrote; Pagefind's own files are not ours to check."""
    return sorted(p for p in public.rglob("*.html") if p.relative_to(public).parts[0] != "pagefind")


def run_vnu(files: list[Path], *, errors_only: bool) -> list[dict[str, Any]]:
    """The Nu HTML Checker's messages for ``files``, all in one JVM."""
    java = require_java()
    jar = node_module("vnu-jar/build/dist/vnu.jar")
    options = ["--errors-only"] if errors_only else []
    result = subprocess.run(
        [java, "-jar", str(jar), "--stdout", *options, "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, f"vnu printed nothing (exit {result.returncode}): {result.stderr}"
    messages: list[dict[str, Any]] = json.loads(result.stdout)["messages"]
    return messages


def describe(messages: list[dict[str, Any]], public: Path) -> str:
    """vnu's messages as ``path:line: type: message`` lines, for a readable failure."""
    lines = []
    for m in messages:
        where = m.get("url", "?").removeprefix("file:").removeprefix(f"{public}/")
        kind = m.get("subType", m.get("type", "?"))
        lines.append(f"{where}:{m.get('lastLine', '?')}: {kind}: {m.get('message', '')}")
        if m.get("extract"):
            lines.append(f"    {m['extract'].strip()}")
    return "\n".join(lines)


def test_every_page_passes_the_nu_html_checker(sample_public: Path) -> None:
    public = sample_public
    pages = html_pages(public)
    assert len(pages) > 40 and public / "404.html" in pages and public / ARTICLE in pages
    messages = run_vnu(pages, errors_only=True)
    assert messages == [], f"{len(messages)} vnu error(s):\n" + describe(messages, public)


def test_vnu_sees_french_pages_marked_as_french(sample_public: Path) -> None:
    public = sample_public
    # Warnings included: vnu guesses each page's language from its text and warns when
    # <html lang> disagrees. It needs real prose, so check the pages with the most text.
    pages = [public / "index.html", public / ARTICLE, public / "rubrique/technologie/index.html"]
    messages = run_vnu(pages, errors_only=False)
    wrong = [m for m in messages if "appears to be written in" in m.get("message", "")]
    assert wrong == [], describe(wrong, public)
    assert [m for m in messages if m.get("type") == "error"] == [], describe(messages, public)


def sitemap_schema(*, lax: bool) -> etree.XMLSchema:
    """The sitemaps.org 0.9 schema from npm's ``sitemap``; ``lax`` lets foreign extension
    elements (Google News) through unchecked, since their own schema is not shipped."""
    tree = etree.parse(str(node_module("sitemap/schema/sitemap.xsd")))
    if lax:
        wildcards = tree.findall(f".//{{{XSD_NS}}}any[@namespace='##other']")
        assert wildcards, "sitemap.xsd no longer has the ##other wildcard this test relaxes"
        for wildcard in wildcards:
            wildcard.set("processContents", "lax")
    return etree.XMLSchema(tree)


def assert_valid(schema: etree.XMLSchema, path: Path) -> etree._ElementTree:
    """Validate ``path`` and fail with the schema's own messages."""
    document = etree.parse(str(path))
    valid = schema.validate(document)
    assert valid, "\n".join(f"{path.name}:{e.line}: {e.message}" for e in schema.error_log)
    return document


def test_sitemap_is_valid_for_the_sitemaps_schema(sample_public: Path) -> None:
    public = sample_public
    document = assert_valid(sitemap_schema(lax=False), public / "sitemap.xml")
    locs = document.findall(f".//{{{SITEMAP_NS}}}loc")
    assert any(loc.text and loc.text.endswith(ARTICLE.removesuffix("index.html")) for loc in locs)
    # No index on a small site; test_sitemap_index_* below covers the split.
    assert not list(public.glob("sitemap-*.xml"))


def test_strict_schema_rejects_a_broken_sitemap(tmp_path: Path) -> None:
    # The check can fail: a relative <loc> and a French date are refused.
    bad = tmp_path / "sitemap.xml"
    bad.write_text(
        f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}"><url><loc>/x/</loc>'
        "<lastmod>3 février 2025</lastmod></url></urlset>",
        "utf-8",
    )
    assert not sitemap_schema(lax=False).validate(etree.parse(str(bad)))


def test_news_sitemap_is_valid_with_news_entries(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(BuildOptions(site_dir=REPO, output_dir=out, now=NEWS_NOW))
    path = out / "news-sitemap.xml"
    strict = sitemap_schema(lax=False)
    # The npm schema alone refuses news blocks (their schema is not shipped), hence lax.
    assert not strict.validate(etree.parse(str(path)))
    document = assert_valid(sitemap_schema(lax=True), path)
    news = document.findall(f".//{{{NEWS_NS}}}news")
    assert news, "the news sitemap should list the article of the day before"
    for block in news:
        assert block.findtext(f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language") == "fr"
        assert block.findtext(f"{{{NEWS_NS}}}title")


def test_sitemap_index_and_its_parts_are_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sitemaps.org's siteindex.xsd is not shipped by any installed package (npm sitemap has
    # only sitemap.xsd and an all.xsd importing remote schemas). So: split the sample site
    # into small parts, validate each part with the schema and the index by its structure.
    monkeypatch.setattr(presse.sitemaps, "MAX_URLS", 10)
    out = tmp_path / "public"
    build(BuildOptions(site_dir=REPO, output_dir=out, now=SAMPLE_NOW))
    index = etree.parse(str(out / "sitemap.xml")).getroot()
    assert index.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    entries = index.findall(f"{{{SITEMAP_NS}}}sitemap")
    assert len(entries) > 1
    schema = sitemap_schema(lax=False)
    for entry in entries:
        assert [child.tag.split("}")[1] for child in entry] in (["loc"], ["loc", "lastmod"])
        loc = entry.findtext(f"{{{SITEMAP_NS}}}loc") or ""
        assert loc.startswith("https://presse.example.org/sitemap-"), loc
        part = assert_valid(schema, out / loc.rsplit("/", 1)[1])
        assert 0 < len(part.getroot()) <= 10
