"""``presse import feed.xml``: one article per entry of an RSS or Atom feed (issue 13)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.feed_import import FeedFile, is_feed
from presse.imports import Imported
from tests.conftest import run_presse

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime.fromisoformat("2025-03-01T12:00:00+01:00")


def items(name: str) -> list[Imported]:
    path = FEEDS / name
    return list(FeedFile(path.read_bytes(), path, SiteConfig(), NOW).items())


def test_feeds_are_recognised_by_their_content() -> None:
    assert is_feed((FEEDS / "rss.xml").read_bytes())
    assert is_feed((FEEDS / "atom.xml").read_bytes())
    assert not is_feed("Un texte brut, collé d’une page web.\n".encode())


def test_an_rss_entry_keeps_its_title_date_author_tags_and_identity() -> None:
    first = items("rss.xml")[0]
    assert first.front["title"] == "Lannion : le marché du jeudi retrouve la place du Centre"
    assert first.front["date"] == "2024-05-16T09:30:00+02:00"  # 07:30 UTC, in Paris
    assert first.front["authors"] == ["Yann Le Bihan"]
    assert first.front["tags"] == ["Vie locale", "Commerce"]
    assert first.front["id"] == "feed:https://gazette-tregor.example/?p=311"
    assert first.slug == "lannion-marche-du-jeudi" and first.year == 2024


def test_the_full_content_is_the_body_and_the_description_the_chapo() -> None:
    first = items("rss.xml")[0]
    assert first.front["summary"] == (
        "Après huit mois de travaux, les étals reviennent au cœur de la ville."
    )
    assert "**quarante-deux exposants**" in first.body
    assert "## Un stationnement revu" in first.body
    assert "> « On a enfin retrouvé nos clients & nos habitudes. »" in first.body
    assert "\n\n– Maryvonne Guéguen, maraîchère à Ploubezre" in first.body


def test_without_full_content_the_description_is_the_body() -> None:
    second = items("rss.xml")[1]
    assert "summary" not in second.front
    assert "*samedi*" in second.body and "31 août" in second.body


def test_the_media_image_leads_described_by_the_title_to_review() -> None:
    first = items("rss.xml")[0]
    assert first.front["image"].endswith("/2024/05/marche.jpg")
    assert first.front["image_alt"] == first.front["title"]
    assert "the lead image had no description: its alt text is the title, to review" in (
        first.dropped
    )


def test_the_old_address_on_the_feeds_own_site_becomes_an_alias() -> None:
    assert items("rss.xml")[0].front["aliases"] == ["/2024/05/16/lannion-marche-du-jeudi/"]
    assert items("atom.xml")[0].front["aliases"] == ["/actualite/pontaumur-ecole.html"]


def test_an_atom_entry_with_html_title_two_authors_and_an_update() -> None:
    first = items("atom.xml")[0]
    assert first.front["title"] == "Pontaumur : l’école garde sa deuxième classe"
    assert first.front["authors"] == ["Claire Vialle", "Hugo Pradier"]
    assert first.front["updated"] == "2024-10-01T08:15:00+02:00"
    assert first.front["tags"] == ["Éducation"]
    assert "alert" not in first.body  # feedparser's sanitizer and ours: no script survives
    assert "Les parents d’élèves restent mobilisés." in first.body


def test_an_entry_without_a_date_is_a_draft_dated_now() -> None:
    undated = items("atom.xml")[1]
    assert undated.front["draft"] is True
    assert undated.front["date"] == "2025-03-01T12:00:00+01:00"
    assert any("no date" in line for line in undated.dropped)


def test_a_file_that_is_not_a_feed_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "vide.xml"
    path.write_bytes(b"<rss version='2.0'><channel><title>x</title></channel></rss>")
    with pytest.raises(PresseError) as caught:
        FeedFile(path.read_bytes(), path, SiteConfig(), NOW)
    assert str(caught.value).startswith(f"{path}: is not a feed with entries")


def test_the_command_line_imports_a_feed_once_and_it_builds(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy(FEEDS / "rss.xml", tmp_path / "flux.xml")
    result = run_presse("import", "flux.xml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported 2 articles, 0 pages"
    again = run_presse("import", "flux.xml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == (
        "imported 0 articles, 0 pages; 2 already imported, skipped"
    )
    build(BuildOptions(site_dir=tmp_path, output_dir=tmp_path / "public", now=NOW))
    page = tmp_path / "public" / "2024" / "05" / "lannion-marche-du-jeudi" / "index.html"
    assert "slug: lannion-marche-du-jeudi\n" in next(
        (tmp_path / "content").rglob("lannion*.md")
    ).read_text("utf-8")
    html = page.read_text("utf-8")
    assert '<figure class="citation">' in html
    old = tmp_path / "public" / "2024" / "05" / "16" / "lannion-marche-du-jeudi" / "index.html"
    assert "lannion-marche-du-jeudi/" in old.read_text("utf-8")  # the old address redirects
