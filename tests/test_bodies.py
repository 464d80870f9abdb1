"""Bodies put away in the build cache (issue 14: the corpus without its text)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from presse.bodies import BODIES_DIR
from presse.build import BuildOptions, build
from presse.cache import load_parse_cache
from presse.config import load_config
from presse.model import Article, StoredBody
from presse.parse import parse_many
from presse.sources import read_source
from tests.conftest import FIXED_NOW, SITES, run_presse, tree_bytes

NOW = datetime.fromisoformat(FIXED_NOW)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITES / "basic", root)
    return root


def built(site: Path, out: Path, cache: Path | None) -> int:
    return build(BuildOptions(site_dir=site, output_dir=out, now=NOW, cache_dir=cache)).parsed


def body_files(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / BODIES_DIR).rglob("*") if p.is_file())


def test_the_parse_cache_holds_no_body_text_and_the_site_is_the_same(
    site: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    built(site, tmp_path / "cached", cache)
    built(site, tmp_path / "plain", None)
    assert tree_bytes(tmp_path / "cached") == tree_bytes(tmp_path / "plain")
    articles = list(load_parse_cache(cache).entries.values())
    assert articles and all(a.body.packed == b"" and a.body.stored for a in articles)
    assert {Path(a.body.file) for a in articles} == set(body_files(cache))
    assert all("<p>" in a.body.html for a in articles)  # read back from its file
    # Where the file is: the folder, held once for all the articles whose bodies show
    # no photo, and the article's digest (the file's name), nothing of each one's own.
    assert len({id(a.text) for a in articles if not a.body.photos}) == 1
    assert len({id(a.body.stored) for a in articles}) == 1
    assert all(Path(a.body.file).stem == a.digest.hex() == a.fingerprint for a in articles)


def test_the_cached_articles_read_their_card_from_the_body_file(site: Path, tmp_path: Path) -> None:
    """Title, chapô, captions and key lines are put away with the body: the build that
    links the archive does not hold them, yet each article reads them as its own."""
    cache = tmp_path / "cache"
    built(site, tmp_path / "out", cache)
    stored = {a.source: a for a in load_parse_cache(cache).entries.values()}
    sources = [read_source(site / path, site) for path in stored]
    fresh = {a.source: a for a in parse_many(sources, load_config(site)) if isinstance(a, Article)}
    assert stored and set(fresh) == set(stored)
    for path, article in stored.items():
        assert article.held is None and fresh[path].held is not None
        assert article.card == fresh[path].card  # title, summary, corrections, lines…
        assert (article.title, article.description) == (fresh[path].title, fresh[path].description)
        assert article.line_of("title") == fresh[path].line_of("title") > 1
        assert article.body.html == fresh[path].body.html  # the body still reads after it
        # Its facts come from the file too; its photos are held (the build links them).
        held, put = fresh[path].body, article.body
        assert isinstance(put, StoredBody) and not isinstance(held, StoredBody)
        facts = (put.word_count, put.excerpt, put.embeds, put.mark, put.photos, put.headings)
        assert facts == (
            held.word_count,
            held.excerpt,
            held.embeds,
            held.mark,
            held.photos,
            held.headings,
        )
        assert put.html_with(lambda photo: "[photo]") == held.html_with(lambda photo: "[photo]")
    assert any(a.body.word_count > 20 for a in stored.values())


def test_a_cache_without_its_bodies_parses_again_and_gives_the_same_site(
    site: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = built(site, tmp_path / "first", cache)
    shutil.rmtree(cache / BODIES_DIR)
    shutil.rmtree(tmp_path / "first")  # the output too: every page is rendered again
    again = built(site, tmp_path / "first", cache)
    assert again == first > 0
    assert tree_bytes(tmp_path / "first") == tree_bytes(_cold(site, tmp_path))


def test_an_edit_replaces_its_body_file_and_leaves_no_other(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    built(site, tmp_path / "out", cache)
    before = body_files(cache)
    article = site / "content" / "2025" / "ete.md"
    article.write_text(article.read_text("utf-8") + "\nUne phrase ajoutée.\n", "utf-8")
    assert built(site, tmp_path / "out", cache) == 1
    after = body_files(cache)
    assert len(after) == len(before) and len(set(after) - set(before)) == 1
    assert not list((cache / BODIES_DIR).rglob(".body-*"))  # no scratch file left
    assert tree_bytes(tmp_path / "out") == tree_bytes(_cold(site, tmp_path))


def test_a_build_in_the_site_folder_keeps_its_bodies(site: Path, tmp_path: Path) -> None:
    """``presse build`` run in the site folder: the cache folder is a relative path, yet
    the bodies stay, and the next build after an edit parses only that article."""
    assert run_presse("build", "--now", FIXED_NOW, "-q", cwd=site).returncode == 0
    cache = site / ".presse-cache"
    assert len(body_files(cache)) == len(load_parse_cache(cache).entries) > 1
    article = site / "content" / "2025" / "ete.md"
    article.write_text(article.read_text("utf-8") + "\nUne phrase ajoutée.\n", "utf-8")
    again = run_presse("build", "--now", FIXED_NOW, "-v", cwd=site)
    assert again.returncode == 0, again.stderr
    assert "1 article parsed" in again.stderr


def _cold(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    built(site, out, None)
    return out
