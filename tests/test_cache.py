from __future__ import annotations

import os
import shutil
import time
from datetime import datetime
from pathlib import Path

from presse.build import BuildOptions, build
from presse.cache import (
    ABANDONED_SECONDS,
    OUTPUTS_FILE,
    OutputDigests,
    ParseCache,
    load_output_digests,
    save,
)
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


def test_saving_sweeps_what_a_killed_writer_left(tmp_path: Path) -> None:
    """A build killed while writing the cache leaves a temporary file; the next save
    deletes it once it is clearly abandoned, and leaves a live writer's file alone."""
    folder = tmp_path / ".presse-cache"
    folder.mkdir()
    old = folder / f".{OUTPUTS_FILE}.abc123"
    recent = folder / f".{OUTPUTS_FILE}.def456"
    other = folder / ".unrelated.abc123"
    for path in (old, recent, other):
        path.write_bytes(b"half a pickle")
    stale = time.time() - ABANDONED_SECONDS - 60
    os.utime(old, (stale, stale))
    os.utime(other, (stale, stale))
    save(folder, OUTPUTS_FILE, OutputDigests(site="x"))
    assert not old.exists()
    assert recent.exists() and other.exists()
    assert load_output_digests(folder) == OutputDigests(site="x")
