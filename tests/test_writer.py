from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from presse import writer
from presse.errors import PresseError
from presse.model import OutputFile
from presse.writer import HOLD, OWNER, OWNER_MARK, check_output_path, sweep_stale_work, write_site
from tests.conftest import tree_bytes


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


def work_folder(parent: Path, suffix: str, mark: bytes | None, tree: bool = True) -> Path:
    """A work folder as a build leaves it: ``owner`` (marked or not), a staging tree."""
    folder = parent / f".public.new-{suffix}"
    folder.mkdir()
    if mark is not None:
        (folder / OWNER).write_bytes(mark)
    if tree:
        (folder / "site" / "deep").mkdir(parents=True)
        (folder / "site" / "deep" / "index.html").write_bytes(b"half")
    return folder


def test_next_build_sweeps_what_killed_builds_left(tmp_path: Path) -> None:
    public = tmp_path / "public"
    write_site([out("index.html", b"old")], public)
    dead = work_folder(tmp_path, "dead", OWNER_MARK + b"pid 1\n")
    dead_early = work_folder(tmp_path, "early", OWNER_MARK, tree=False)
    unmarked = work_folder(tmp_path, "unmarked", b"", tree=False)  # killed before marking
    empty = work_folder(tmp_path, "empty", None, tree=False)  # killed before its owner
    write_site([out("index.html", b"new")], public)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    assert not any(p.exists() for p in (dead, dead_early, unmarked, empty))


def test_sweep_spares_live_and_foreign_folders(tmp_path: Path) -> None:
    public = tmp_path / "public"
    live = work_folder(tmp_path, "live", OWNER_MARK + b"pid 1\n")
    foreign = work_folder(tmp_path, "foreign", b"somebody else's\n")
    no_owner = work_folder(tmp_path, "noowner", None)
    other_output = tmp_path / ".www.new-x"  # another output folder's work folder
    other_output.mkdir()
    (other_output / OWNER).write_bytes(OWNER_MARK)
    lock = os.open(live / OWNER, os.O_RDONLY)  # a build still running holds this lock
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert sweep_stale_work(public) == []
        write_site([out("index.html")], public)
        assert all(p.exists() for p in (live, foreign, no_owner, other_output))
    finally:
        os.close(lock)
    assert sweep_stale_work(public) == [live]  # once that build is gone
    assert (foreign / "site" / "deep" / "index.html").exists()


def test_work_folder_is_marked_and_locked_while_the_build_runs(tmp_path: Path) -> None:
    public = tmp_path / "public"
    seen: list[tuple[bytes, bool]] = []

    def outputs() -> Iterator[OutputFile]:
        for number in range(HOLD + 1):  # more changes than it holds: staging opens
            yield out(f"{number}.html", b"new")
        for folder in tmp_path.glob(".public.new-*"):
            handle = os.open(folder / OWNER, os.O_RDONLY)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append((os.read(handle, 100), False))
            except BlockingIOError:
                seen.append((os.read(handle, 100), True))
            finally:
                os.close(handle)

    write_site(outputs(), public)
    assert len(seen) == 1 and seen[0][0].startswith(OWNER_MARK + b"pid ") and seen[0][1]


def test_before_swap_runs_while_the_old_site_is_in_place(tmp_path: Path) -> None:
    public = tmp_path / "public"
    write_site([out("index.html", b"old")], public)
    seen: list[bytes] = []
    write_site(
        [out("index.html", b"new")],
        public,
        before_swap=lambda: seen.append((public / "index.html").read_bytes()),
    )
    assert seen == [b"old"] and (public / "index.html").read_bytes() == b"new"

    def refuse() -> None:
        raise PresseError("cache not writable")

    with pytest.raises(PresseError):
        write_site([out("index.html", b"newer")], public, before_swap=refuse)
    assert (public / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_large_previous_site_is_deleted_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "BACKGROUND_DELETE", 0)
    public = tmp_path / "public"
    write_site([out(f"{n}/index.html", b"old") for n in range(500)], public)
    write_site([out("index.html", b"new")], public)
    assert tree_bytes(public) == {"index.html": b"new"}
    assert sweep_stale_work(public) == []  # its rm holds the lock: not swept from under it
    deadline = time.monotonic() + 10
    while [p.name for p in tmp_path.iterdir()] != ["public"]:  # rm holds the lock meanwhile
        assert time.monotonic() < deadline, "the old site was never deleted"
        time.sleep(0.01)
