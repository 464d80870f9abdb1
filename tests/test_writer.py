from __future__ import annotations

import os
from pathlib import Path

import pytest

from presse.errors import PresseError
from presse.model import OutputFile
from presse.writer import check_output_path, write_site


def out(path: str, data: bytes = b"x", origin: str = "test") -> OutputFile:
    return OutputFile(path=path, origin=origin, data=data)


def test_writes_a_fresh_tree_and_removes_stale_files(tmp_path: Path) -> None:
    public = tmp_path / "public"
    write_site([out("index.html", b"one"), out("old/index.html")], public)
    report = write_site([out("index.html", b"two"), out("a/b/c.txt", b"c")], public)
    assert (public / "index.html").read_bytes() == b"two"
    assert (public / "a" / "b" / "c.txt").read_bytes() == b"c"
    assert not (public / "old").exists()
    assert report.written == 2 and report.unchanged == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_unchanged_files_keep_their_inode_and_mtime(tmp_path: Path) -> None:
    public = tmp_path / "public"
    write_site([out("same.html", b"s"), out("changed.html", b"1")], public)
    os.utime(public / "same.html", (1_000_000, 1_000_000))
    report = write_site([out("same.html", b"s"), out("changed.html", b"2")], public)
    assert report.unchanged == 1 and report.written == 1
    assert (public / "same.html").stat().st_mtime == 1_000_000


def test_static_source_files_are_copied(tmp_path: Path) -> None:
    source = tmp_path / "logo.svg"
    source.write_bytes(b"<svg/>")
    write_site(
        [OutputFile(path="img/logo.svg", origin="static", source=source)], tmp_path / "public"
    )
    assert (tmp_path / "public" / "img" / "logo.svg").read_bytes() == b"<svg/>"


def test_collision_is_refused_and_previous_site_kept(tmp_path: Path) -> None:
    public = tmp_path / "public"
    write_site([out("index.html", b"old")], public)
    with pytest.raises(PresseError, match=r'two outputs want "a\.html": first and second'):
        write_site([out("a.html", origin="first"), out("a.html", origin="second")], public)
    assert (public / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize(
    "path", ["../x", "/etc/passwd", "a/../../x", "a\\b", "", "a/./b", "dir/", "a\x00b"]
)
def test_escaping_paths_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(PresseError, match="would escape the output folder"):
        check_output_path(path)
    with pytest.raises(PresseError):
        write_site([out(path)], tmp_path / "public")
    assert not (tmp_path / "public").exists()
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_changes_nothing(tmp_path: Path) -> None:
    public = tmp_path / "public"
    write_site([out("index.html", b"old")], public)

    def outputs() -> object:
        yield out("index.html", b"new")
        raise RuntimeError("render crashed")

    with pytest.raises(RuntimeError):
        write_site(outputs(), public)  # type: ignore[arg-type]
    assert (public / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_output_is_world_readable(tmp_path: Path) -> None:
    write_site([out("index.html")], tmp_path / "public")
    assert (tmp_path / "public").stat().st_mode & 0o755 == 0o755
