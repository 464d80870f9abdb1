from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from presse.build import BuildOptions, build
from presse.cache import ParseCache
from tests.conftest import FIXED_NOW, SITES, tree_bytes

NOW = datetime.fromisoformat(FIXED_NOW)


def test_an_edit_reparses_only_the_edited_article(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    cache = ParseCache()
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "out", now=NOW, cache=cache)
    build(options)
    assert (cache.hits, cache.misses) == (0, 5)
    article = site / "content" / "2025" / "hiver.md"
    article.write_text(article.read_text("utf-8").replace("Voir", "Lire"), encoding="utf-8")
    build(options)
    assert (cache.hits, cache.misses) == (4, 6)
    assert len(cache.entries) == 5  # the old version of hiver.md is forgotten


def test_cached_and_uncached_builds_are_identical(tmp_path: Path) -> None:
    cache = ParseCache()
    for name in ("warm-up", "cached"):
        build(BuildOptions(SITES / "basic", output_dir=tmp_path / name, now=NOW, cache=cache))
    build(BuildOptions(SITES / "basic", output_dir=tmp_path / "plain", now=NOW))
    assert tree_bytes(tmp_path / "cached") == tree_bytes(tmp_path / "plain")


def test_a_config_change_misses_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    cache = ParseCache()
    build(BuildOptions(site, output_dir=tmp_path / "out", now=NOW, cache=cache))
    config = site / "presse.toml"
    config.write_text(config.read_text("utf-8") + 'timezone = "Asia/Tokyo"\n', encoding="utf-8")
    build(BuildOptions(site, output_dir=tmp_path / "out", now=NOW, cache=cache))
    assert cache.hits == 0 and cache.misses == 10
