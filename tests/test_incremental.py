"""Parallel, cached, serial and uncached builds give byte-identical output, and no cache
entry survives a change of its inputs (an article, a template, a config value, presse).
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest

import presse.build
import presse.cache
import presse.digest
from presse.build import BuildOptions, BuildReport, build
from presse.columns import Around
from presse.slug_links import Links
from presse.theme import collect_static
from tests.conftest import FIXED_NOW, SITES, run_presse, tree_bytes

NOW = datetime.fromisoformat(FIXED_NOW)
SECTIONS = ["Politique", "Économie", "Culture"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The basic test site plus 90 generated articles: enough to use worker processes."""
    root = tmp_path / "site"
    shutil.copytree(SITES / "basic", root)
    for i in range(90):
        (root / "content" / "2025" / f"gen-{i:03d}.md").write_text(
            "---\n"
            f"title: Article généré numéro {i}\n"
            f"date: 2025-03-{1 + i % 28:02d}T{8 + i % 10:02d}:00:00+01:00\n"
            f"section: {SECTIONS[i % 3]}\n"
            f"tags: [thème {i % 7}, thème {i % 5}]\n"
            f"authors: [Auteur {i % 4}]\n"
            "---\n\n"
            f"Le paragraphe {i} parle de « sujets » variés : budget, culture...\n\n"
            f"## Partie {i}\n\n> « Une citation {i}. »\n\n– Personne {i}, fonction\n",
            encoding="utf-8",
        )
    return root


def run(site: Path, out: Path, **options: object) -> BuildReport:
    return build(BuildOptions(site_dir=site, output_dir=out, now=NOW, **options))  # type: ignore[arg-type]


def test_serial_parallel_cached_and_uncached_are_identical(site: Path, tmp_path: Path) -> None:
    run(site, tmp_path / "serial", jobs=1)
    run(site, tmp_path / "parallel", jobs=2)
    cache = tmp_path / "cache"
    cold = run(site, tmp_path / "cached", cache_dir=cache)
    warm = run(site, tmp_path / "cached", cache_dir=cache)
    reference = tree_bytes(tmp_path / "serial")
    assert tree_bytes(tmp_path / "parallel") == reference
    assert tree_bytes(tmp_path / "cached") == reference
    assert cold.parsed == 95 and warm.parsed == 0
    assert warm.reused >= warm.pages  # every page reused (feeds and sitemaps too)
    assert warm.written == 0


def test_nothing_changed_leaves_the_output_untouched(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    marker = tmp_path / "out" / "index.html"
    inode = marker.stat().st_ino
    run(site, tmp_path / "out", cache_dir=cache)
    assert marker.stat().st_ino == inode  # not even swapped: the same files


def statics(site: Path) -> int:
    """How many static files the site has (the theme's and its own)."""
    return len(collect_static(site))


def shards(out: Path) -> int:
    return len(list((out / "pagefind").iterdir()))


def uncached(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    run(site, tmp_path / name)
    return tree_bytes(tmp_path / name)


def test_an_article_edit_invalidates_what_shows_it(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    article = site / "content" / "2025" / "gen-010.md"
    article.write_text(
        article.read_text("utf-8").replace("Article généré numéro 10", "Titre corrigé"),
        encoding="utf-8",
    )
    report = run(site, tmp_path / "out", cache_dir=cache)
    assert report.parsed == 1
    assert tree_bytes(tmp_path / "out") == uncached(site, tmp_path, "reference")
    assert "Titre corrigé" in (tmp_path / "out" / "2025/03/titre-corrige/index.html").read_text(
        "utf-8"
    )


def test_a_template_edit_invalidates_pages(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    footer = site / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text("utf-8").replace("Gabarit", "Nouveau gabarit"), "utf-8")
    report = run(site, tmp_path / "out", cache_dir=cache)
    # Every page, feed and sitemap again; static files and the search index are kept.
    assert report.parsed == 0 and report.indexed == 0
    assert report.reused == statics(site) + shards(tmp_path / "out")
    assert tree_bytes(tmp_path / "out") == uncached(site, tmp_path, "reference")


def test_a_config_change_invalidates_everything(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    config = site / "presse.toml"
    config.write_text(config.read_text("utf-8") + "words_per_minute = 100\n", "utf-8")
    report = run(site, tmp_path / "out", cache_dir=cache)
    assert report.parsed == 95 and report.reused == statics(site)
    assert report.indexed == shards(tmp_path / "out")
    assert tree_bytes(tmp_path / "out") == uncached(site, tmp_path, "reference")


def test_a_new_presse_version_invalidates_everything(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    monkeypatch.setattr(presse.digest, "__version__", "99.0")
    monkeypatch.setattr(presse.cache, "__version__", "99.0")
    report = run(site, tmp_path / "out", cache_dir=cache)
    assert report.parsed == 95 and report.reused == statics(site)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip"])
def test_a_damaged_cache_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    for path in [*(cache / "articles").iterdir(), tmp_path / ".out.presse" / "state"]:
        data = path.read_bytes()
        damaged = {
            "truncate": data[: len(data) // 2],
            "garbage": b"\x80\x04not a pickle at all",
            "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
        }[damage]
        path.write_bytes(damaged)
    report = run(site, tmp_path / "out", cache_dir=cache)
    assert report.parsed == 95
    assert tree_bytes(tmp_path / "out") == uncached(site, tmp_path, "reference")


def test_an_output_edited_by_hand_is_rendered_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    page = tmp_path / "out" / "404.html"
    page.write_text("vandalisé", encoding="utf-8")
    run(site, tmp_path / "out", cache_dir=cache)
    assert page.read_text("utf-8") != "vandalisé"


@pytest.mark.parametrize("jobs", [1, 2])
def test_template_mistakes_are_located_serial_or_parallel(
    site: Path, tmp_path: Path, jobs: int
) -> None:
    from presse.errors import PresseError

    footer = site / "templates" / "partials" / "footer.html"
    footer.write_text("<footer>\n{{ site.no_such_thing }}\n</footer>\n", encoding="utf-8")
    with pytest.raises(PresseError) as info:
        run(site, tmp_path / "out", jobs=jobs)
    assert str(info.value).startswith(f"{footer}:2: template error: ")
    assert "no_such_thing" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_a_deleted_output_file_is_written_again(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, tmp_path / "out", cache_dir=cache)
    (tmp_path / "out" / "2025" / "01" / "bilan-hiver" / "index.html").unlink()
    run(site, tmp_path / "out", cache_dir=cache)
    assert tree_bytes(tmp_path / "out") == uncached(site, tmp_path, "reference")


def test_a_foreign_search_index_is_never_taken_for_ours(tmp_path: Path) -> None:
    """A cache restored beside another output (or an index replaced by hand) must not
    make the build keep an index it did not make from these pages."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    out = site / "public"
    assert run_presse("build", "--now", FIXED_NOW, cwd=site).returncode == 0
    entry = out / "pagefind" / "2025-01" / "pagefind-entry.json"
    genuine = entry.read_bytes()
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"version": "0", "languages": {}}', encoding="utf-8")
    foreign.replace(entry)  # another index's file: another inode, size and time
    result = run_presse("build", "--now", FIXED_NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    assert entry.read_bytes() == genuine


def test_an_unchanged_site_is_known_without_loading_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10: when nothing a build reads has changed and no embargo, expiry, news
    window or new year falls in between, the last build's outcome holds: the parsed
    articles are not even loaded. The first change in time ends it."""
    site, out, cache = SITES / "embargo", tmp_path / "public", tmp_path / "cache"
    embargoed = out / "2025" / "06" / "larticle-sous-embargo" / "index.html"
    before = datetime.fromisoformat("2025-06-01T12:00:00+02:00")
    build(BuildOptions(site_dir=site, output_dir=out, now=before, cache_dir=cache))
    assert not embargoed.exists()

    def refuse(folder: Path) -> None:
        raise AssertionError("the parse cache was loaded")

    monkeypatch.setattr(presse.build, "load_parse_cache", refuse)
    later = datetime.fromisoformat("2025-06-01T18:00:00+02:00")
    report = build(BuildOptions(site_dir=site, output_dir=out, now=later, cache_dir=cache))
    assert report.written == 0 and report.articles > 0
    monkeypatch.undo()
    lifted = datetime.fromisoformat("2025-06-02T06:00:00+02:00")  # after the embargo
    build(BuildOptions(site_dir=site, output_dir=out, now=lifted, cache_dir=cache))
    assert embargoed.is_file()
    assert tree_bytes(out) == uncached_at(site, tmp_path / "reference", lifted)


def uncached_at(site: Path, out: Path, now: datetime) -> dict[str, bytes]:
    build(BuildOptions(site_dir=site, output_dir=out, now=now))
    return tree_bytes(out)


def edit_body(site: Path, name: str, text: str) -> None:
    article = site / "content" / "2025" / name
    article.write_text(article.read_text("utf-8") + f"\n{text}\n", encoding="utf-8")


def test_a_text_edit_plans_again_only_what_shows_the_article(site: Path, tmp_path: Path) -> None:
    """Issue 10: an edit that keeps the shape of the site (same articles, dates, terms…)
    is traced to the outputs that show the article: they alone are planned, rendered and
    written, and the site is byte for byte the one a build from scratch makes."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = run(site, out, cache_dir=cache)
    assert first.planned == first.files
    edit_body(site, "gen-042.md", "Un paragraphe ajouté par une correction.")
    report = run(site, out, cache_dir=cache)
    assert report.parsed == 1 and report.indexed == 1
    # Its page, its neighbours', the articles that pick it as related, the listing pages
    # and feeds that carry it, its search shard: a few dozen of the 445 outputs.
    assert 5 < report.planned < 40 and report.written <= report.planned
    assert tree_bytes(out) == uncached(site, tmp_path, "reference")
    edit_body(site, "gen-043.md", "Une autre correction.")
    report = run(site, out, cache_dir=cache, jobs=1)
    assert report.planned < 40
    assert tree_bytes(out) == uncached(site, tmp_path, "reference-2")


def test_a_change_of_shape_plans_everything_again(site: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    run(site, out, cache_dir=cache)
    article = site / "content" / "2025" / "gen-042.md"
    article.write_text(
        article.read_text("utf-8").replace("tags: [", "tags: [nouveau thème, "), "utf-8"
    )
    report = run(site, out, cache_dir=cache)
    assert report.planned == report.files
    assert tree_bytes(out) == uncached(site, tmp_path, "reference")


def test_a_plan_read_back_shares_its_strings_and_keeps_its_links_packed(
    site: Path, tmp_path: Path
) -> None:
    """The plan cache read back: its paths interned (one string for a path, with the
    publisher's manifests), its pages' origins the articles' own sources, the picks and
    neighbours of its skeleton packed as they were saved."""
    cache = tmp_path / "cache"
    (site / "content" / "2025" / "un-article-nomme.md").write_text(  # as presse new names it
        "---\ntitle: Un article nommé\ndate: 2025-03-02T08:00:00+01:00\n---\n\nTexte.\n",
        encoding="utf-8",
    )
    run(site, tmp_path / "out", cache_dir=cache)
    articles = {a.slug: a for a in presse.cache.load_parse_cache(cache).entries.values()}
    memo = presse.cache.load_plans(cache).memo
    assert memo is not None
    paths = memo.plan.outputs.paths
    assert all(sys.intern(path[:1] + path[1:]) is path for path in paths)  # a new str each
    # An article page's origin is its source, held as the parts around the slug (the
    # article's own string) when the file is named after it, as presse new names it.
    origins, recipes = memo.plan.outputs.origins, memo.plan.recipes
    assert isinstance(origins, Around)
    pages = [n for n in range(len(recipes)) if recipes.kind(n) == "article"]
    assert len(pages) == len(memo.skeleton.order) > 0
    around = 0
    for n in pages:
        article = articles[recipes[n][1]]
        assert origins[n] == article.source
        if article.slug in article.source:
            assert origins.middle(n) is article.slug
            around += 1
    assert around == 1
    assert isinstance(memo.skeleton.related, Links) and memo.skeleton.related
    assert isinstance(memo.skeleton.neighbours, Links) and memo.skeleton.neighbours
