from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.cache import (
    ABANDONED_SECONDS,
    ARTICLES_DIR,
    RACY_NS,
    SOURCES_FILE,
    Outcome,
    ParseCache,
    SourceMemo,
    load,
    load_parse_cache,
    load_parts,
    load_source_memo,
    load_stream,
    part_of,
    save,
    save_outcome,
    save_parse_cache,
    save_parts,
    save_source_memo,
    save_stream,
)
from presse.digest import content_digest
from presse.errors import PresseError
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


def test_a_failed_build_keeps_what_it_parsed_for_the_next(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    article = site / "content" / "2025" / "hiver.md"
    good = article.read_text("utf-8")
    article.write_text(good.replace("date:", "date: 32/13/2025\nold:", 1), encoding="utf-8")
    cache = ParseCache()
    options = BuildOptions(site_dir=site, output_dir=tmp_path / "out", now=NOW, cache=cache)
    with pytest.raises(PresseError, match=r"hiver\.md"):
        build(options)
    assert len(cache.entries) == 4  # the others, parsed: the fix reparses only its file
    article.write_text(good, encoding="utf-8")
    build(options)
    assert (cache.hits, cache.misses) == (4, 6)


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
    old = folder / f".{SOURCES_FILE}.abc123"
    recent = folder / f".{SOURCES_FILE}.def456"
    other = folder / ".unrelated.abc123"
    for path in (old, recent, other):
        path.write_bytes(b"half a pickle")
    stale = time.time() - ABANDONED_SECONDS - 60
    os.utime(old, (stale, stale))
    os.utime(other, (stale, stale))
    save(folder, SOURCES_FILE, ("x", 1))
    assert not old.exists()
    assert recent.exists() and other.exists()
    assert load(folder, SOURCES_FILE) == ("x", 1)


def test_parts_are_stored_a_part_at_a_time_sharing_their_strings(tmp_path: Path) -> None:
    """The plan's file: each part pickled on its own (the pickler's memory bounded by a
    part), the shared strings written once and loaded as one object wherever they are."""
    slugs = [f"article-{n}" for n in range(300)]
    parts = [
        ("token", 3),
        [("article", slug) for slug in slugs],
        {slug: (slugs[n - 1], None) for n, slug in enumerate(slugs)},
        tuple(reversed(slugs)),
        ["no", "shared", "string", "here", "no"],
    ]
    save_parts(tmp_path, "plan", parts, shared=slugs)
    loaded = load_parts(tmp_path, "plan")
    assert loaded == parts
    assert loaded is not None
    one = {id(slug) for slug in loaded[3]}
    assert len(one) == len(slugs)
    assert all(id(slug) in one for _, slug in loaded[1])
    assert all(id(key) in one and id(older) in one for key, (older, _) in loaded[2].items())
    assert load(tmp_path, "plan") is not None  # a pickle still: the (count, strings) head
    data = (tmp_path / "plan").read_bytes()
    (tmp_path / "plan").write_bytes(data[:-40] + bytes(40))  # damaged: ignored
    assert load_parts(tmp_path, "plan") is None
    save(tmp_path, "single", ("x", 1))
    assert load_parts(tmp_path, "single") is None  # not stored in parts: ignored


def test_a_stream_is_stored_a_part_at_a_time_and_read_back_in_order(tmp_path: Path) -> None:
    """The publisher's state: parts given as they come, each pickled on its own, read
    back one at a time; a damaged file, or parts the reader cannot make sense of, are
    no state at all."""
    made: list[int] = []

    def parts() -> Iterator[object]:
        for number in range(5):
            made.append(number)
            yield ("part", number, [f"path-{number}-{n}" for n in range(number)])

    save_stream(tmp_path, "state", parts())
    assert made == [0, 1, 2, 3, 4]
    read = load_stream(tmp_path, "state", list)
    assert read == list(parts())
    assert load_stream(tmp_path, "state", lambda got: next(got)) == ("part", 0, [])

    def strict(got: Iterator[object]) -> int:
        raise ValueError("not what I expected")

    assert load_stream(tmp_path, "state", strict) is None
    data = (tmp_path / "state").read_bytes()
    (tmp_path / "state").write_bytes(data[:-10] + bytes(10))
    assert load_stream(tmp_path, "state", list) is None
    assert load_stream(tmp_path, "absent", list) is None


def test_source_memo_looks_only_at_what_the_watcher_reported(tmp_path: Path) -> None:
    """After ``expect``, the listing is reused and only the named files are looked at
    again; a path it does not know makes the next build walk and stat everything."""
    content = tmp_path / "content"
    content.mkdir()
    a, b = content / "a.md", content / "b.md"
    a.write_text("A1", encoding="utf-8")
    b.write_text("B1", encoding="utf-8")
    memo = SourceMemo()
    walks: list[int] = []

    def find() -> list[str]:
        walks.append(1)
        return sorted(str(p) for p in content.glob("*.md"))

    def digests() -> list[str]:
        paths = memo.paths(find)
        found = []
        for path in paths:
            digest = memo.digest(path)
            if digest is None:
                digest = content_digest(Path(path).read_bytes())
                memo.record(path, digest)
            found.append(digest)
        memo.retain(paths)
        return found

    def of(*texts: str) -> list[str]:
        return [content_digest(t.encode()) for t in texts]

    assert digests() == of("A1", "B1") and len(walks) == 1
    a.write_text("A2", encoding="utf-8")
    b.write_text("B22", encoding="utf-8")
    assert memo.expect([a])
    assert digests() == of("A2", "B1") and len(walks) == 1  # b was not reported: not looked at
    c = content / "c.md"
    c.write_text("C1", encoding="utf-8")
    assert not memo.expect([c])  # unknown: the listing may have changed
    assert digests() == of("A2", "B22", "C1") and len(walks) == 2
    assert digests() == of("A2", "B22", "C1") and len(walks) == 3  # nothing vouched: walk


def test_source_memo_trusts_an_unchanged_stat_and_nothing_racy(tmp_path: Path) -> None:
    """Like git's index: a file whose stat is unchanged is not read again, unless it was
    changed close to the memo's saving (then a same-size edit in the same clock tick
    could hide behind an unchanged stat)."""
    file = tmp_path / "a.md"
    file.write_text("one", encoding="utf-8")
    path = str(file)
    memo = SourceMemo()
    assert memo.digest(path) is None
    memo.record(path, content_digest(b"one"))
    memo.retain([path])  # the end of a build's reading
    save_source_memo(tmp_path, memo)
    memo = load_source_memo(tmp_path)
    assert memo.digest(path) is None  # changed just before the memo was saved: racy
    old = time.time_ns() - 3 * RACY_NS
    os.utime(path, ns=(old, old))
    assert memo.digest(path) is None  # a new stat (the change time moved too): read again
    memo.record(path, content_digest(b"one"))
    memo.retain([path])
    save_source_memo(tmp_path, memo)
    memo = load_source_memo(tmp_path)
    assert memo.digest(path) == content_digest(b"one")
    file.write_text("two", encoding="utf-8")  # same size, new mtime and ctime
    assert memo.digest(path) is None


def test_a_released_memo_keeps_its_saved_files_and_its_outcome_is_saved_apart(
    tmp_path: Path,
) -> None:
    """A build from the command line saves its memo once the sources are read and lets
    the files go; saving it again at the end must not write an empty table over it, and
    the outcome, known only then, has its own file."""
    file = tmp_path / "a.md"
    file.write_text("one", encoding="utf-8")
    memo = SourceMemo()
    memo.digest(str(file))
    memo.record(str(file), content_digest(b"one"))
    memo.key(str(file), "content/a.md", content_digest(b"one"), "config")
    memo.retain([str(file)])
    save_source_memo(tmp_path, memo)
    memo.release()
    assert (memo.files, memo.keys, memo.listing) == ({}, {}, None)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    outcome = Outcome("inputs", now, now + timedelta(days=1), "site", 1)
    memo.remember(outcome)
    save_source_memo(tmp_path, memo)
    save_outcome(tmp_path, memo)
    again = load_source_memo(tmp_path)
    assert again.files.keys() == {str(file)} and again.last == outcome
    assert again.outcome("inputs", now) == outcome


def test_a_large_source_memo_is_stored_in_parts_and_read_back_whole(tmp_path: Path) -> None:
    memo = SourceMemo(saved=123)
    memo.files = {f"content/{n}.md": (n.to_bytes(8, "little"), f"{n:040x}") for n in range(9000)}
    memo.changed = True
    save_source_memo(tmp_path, memo)
    again = load_source_memo(tmp_path)
    assert again.files == memo.files and list(again.files) == list(memo.files)
    assert again.saved == 123
    save(tmp_path, SOURCES_FILE, (memo.files, memo.saved))  # a memo of another format
    assert load_source_memo(tmp_path).files == {}


def test_a_released_parse_cache_is_not_written_again() -> None:
    cache = ParseCache()
    cache.put("a" * 40, None)  # type: ignore[arg-type]  # what it holds does not matter
    assert cache.changed
    cache.release()
    assert not cache.changed and cache.entries == {}


def test_a_parse_cache_keeps_only_the_last_builds_keys_and_marks_their_parts() -> None:
    cache = ParseCache()
    kept, stale = "0a" + "1" * 38, "0b" + "2" * 38
    for key in (kept, stale):
        cache.put(key, None)  # type: ignore[arg-type]  # what it holds does not matter
    cache.dirty.clear()
    cache.retain([kept, stale])  # exactly what it holds: nothing to forget
    assert cache.entries.keys() == {kept, stale} and not cache.changed
    cache.retain([kept])
    assert cache.entries.keys() == {kept} and cache.dirty == {part_of(stale)}


def test_a_saved_parse_cache_is_read_back_part_by_part(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    cache = ParseCache()
    build(BuildOptions(site, output_dir=tmp_path / "out", now=NOW, cache=cache))
    assert cache.changed
    save_parse_cache(tmp_path / "cache", cache)
    assert not cache.changed
    again = load_parse_cache(tmp_path / "cache")
    assert again.entries.keys() == cache.entries.keys()
    assert [repr(a) for a in again.entries.values()] == [
        repr(cache.entries[k]) for k in again.entries
    ]
    written = {int(p.stem) for p in (tmp_path / "cache" / ARTICLES_DIR).glob("*.pickle")}
    assert written == {part_of(key) for key in cache.entries}


def test_source_memo_keys_follow_the_bytes_and_the_configuration() -> None:
    """A key is worked out again once a new digest of its file is recorded, and every key
    once the configuration changes; otherwise the one worked out is reused."""
    from presse.digest import article_key

    memo = SourceMemo()
    one, two = content_digest(b"one"), content_digest(b"two")
    memo.record("a.md", one)
    first = memo.key("a.md", "content/a.md", one, "config A")
    assert first == article_key("content/a.md", one, "config A")
    assert memo.key("a.md", "content/a.md", one, "config A") is first  # reused
    memo.record("a.md", two)
    assert memo.key("a.md", "content/a.md", two, "config A") == article_key(
        "content/a.md", two, "config A"
    )
    assert memo.key("a.md", "content/a.md", two, "config B") == article_key(
        "content/a.md", two, "config B"
    )
    memo.retain([])
    assert memo.keys == {}


def test_processed_photos_are_kept_by_key_and_damage_is_ignored(tmp_path: Path) -> None:
    import io as _io

    from PIL import Image

    from presse.cache import load_photo, photo_key, retain_photos, save_photo
    from presse.imaging import process

    buffer = _io.BytesIO()
    Image.new("RGB", (640, 480), (200, 100, 50)).save(buffer, "JPEG")
    photo = process(buffer.getvalue(), ".jpg", widths=(320,))
    key = photo_key("digest-of-the-source", (320,), ("avif", "webp"))
    assert key != photo_key("digest-of-the-source", (320, 640), ("avif", "webp"))
    assert load_photo(tmp_path, key) is None
    save_photo(tmp_path, key, photo)
    assert load_photo(tmp_path, key) == photo
    stored = next((tmp_path / "photos").glob("*/*"))
    stored.write_bytes(stored.read_bytes()[:-10])  # truncated: ignored, never trusted
    assert load_photo(tmp_path, key) is None
    save_photo(tmp_path, key, photo)
    assert retain_photos(tmp_path, []) == 1 and load_photo(tmp_path, key) is None
