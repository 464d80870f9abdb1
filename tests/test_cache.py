from __future__ import annotations

import os
import shutil
import time
from datetime import datetime
from functools import partial
from pathlib import Path

from presse.build import BuildOptions, SourceMemo, build
from presse.cache import (
    ABANDONED_SECONDS,
    OUTPUTS_FILE,
    OutputDigests,
    ParseCache,
    load_output_digests,
    save,
)
from presse.sources import read_source
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


def test_source_memo_looks_only_at_what_the_watcher_reported(tmp_path: Path) -> None:
    """After ``expect``, the listing is reused and only the named files are read again;
    a path it does not know makes the next build walk and stat everything."""
    content = tmp_path / "content"
    content.mkdir()
    a, b = content / "a.md", content / "b.md"
    a.write_text("A1", encoding="utf-8")
    b.write_text("B1", encoding="utf-8")
    memo = SourceMemo()
    walks: list[int] = []

    def find() -> list[Path]:
        walks.append(1)
        return sorted(content.glob("*.md"))

    def read_all() -> list[str]:
        paths = memo.paths(find)
        texts = [memo.read(partial(read_source, site_dir=tmp_path), p).text for p in paths]
        memo.retain(paths)
        return texts

    assert read_all() == ["A1", "B1"] and len(walks) == 1
    a.write_text("A2", encoding="utf-8")
    b.write_text("B22", encoding="utf-8")
    assert memo.expect([a])
    assert read_all() == ["A2", "B1"] and len(walks) == 1  # b was not reported: not read
    c = content / "c.md"
    c.write_text("C1", encoding="utf-8")
    assert not memo.expect([c])  # unknown: the listing may have changed
    assert read_all() == ["A2", "B22", "C1"] and len(walks) == 2
    assert read_all() == ["A2", "B22", "C1"] and len(walks) == 3  # nothing vouched: walk
