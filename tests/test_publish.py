"""The publisher: the back tree brought up to date by what changed, then swapped in."""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from presse import cache, publish
from presse.errors import PresseError
from presse.publish import (
    LOCK_FILE,
    STATE_FILE,
    Output,
    Pieces,
    Publisher,
    PublishReport,
    check_output_path,
    home_of,
)
from tests.conftest import tree_bytes


def key(data: bytes) -> str:
    """A key as presse makes them (see presse.digest): the manifest holds it as bytes."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def outputs_of(files: Mapping[str, bytes], origin: str = "test") -> list[Output]:
    return [Output(path, key(data), origin) for path, data in files.items()]


def publish_site(
    public: Path, files: Mapping[str, bytes], site: str = "", verify: bool = True
) -> PublishReport:
    """Publish ``files`` (path → bytes) as the whole site, rendering only what is missing."""
    outputs = outputs_of(files)
    with Publisher(public, verify=verify) as publisher:
        wanted = publisher.missing(outputs)
        produced = ((i, files[outputs[i].path]) for i in wanted)
        return publisher.publish(
            outputs, produced, site or key(repr(sorted(files.items())).encode())
        )


def test_writes_a_fresh_tree_and_removes_stale_files(tmp_path: Path) -> None:
    public = tmp_path / "public"
    publish_site(public, {"index.html": b"one", "old/deep/index.html": b"x"})
    report = publish_site(public, {"index.html": b"two", "a/b/c.txt": b"c"})
    assert tree_bytes(public) == {"index.html": b"two", "a/b/c.txt": b"c"}
    assert not (public / "old").exists()  # emptied folders go too
    assert report.written == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.presse", "public"]
    for _ in range(3):  # and again, from whichever tree is the back one
        publish_site(public, {"index.html": b"three"})
        publish_site(public, {"index.html": b"two", "a/b/c.txt": b"c"})
        assert tree_bytes(public) == {"index.html": b"two", "a/b/c.txt": b"c"}


def test_only_what_changed_is_written(tmp_path: Path) -> None:
    public = tmp_path / "public"
    files = {f"{n}/index.html": f"page {n}".encode() for n in range(200)}
    publish_site(public, files)
    publish_site(public, files)  # unchanged: nothing to do
    files["7/index.html"] = b"changed"
    report = publish_site(public, files)
    assert report.written == 1 and report.unchanged == 199
    files["8/index.html"] = b"changed too"
    report = publish_site(public, files)
    # The back tree had missed the previous change: it gets both, one of them linked.
    assert report.written == 2
    assert tree_bytes(public) == files


def test_unchanged_files_keep_their_inode_and_mtime(tmp_path: Path) -> None:
    public = tmp_path / "public"
    publish_site(public, {"same.html": b"s", "changed.html": b"1"})
    os.utime(public / "same.html", (1_000_000, 1_000_000))
    inode = (public / "same.html").stat().st_ino
    for version in (b"2", b"3", b"4"):
        publish_site(public, {"same.html": b"s", "changed.html": version}, verify=False)
        assert (public / "same.html").stat().st_mtime == 1_000_000
        assert (public / "same.html").stat().st_ino == inode
    back = home_of(public) / "back"
    assert (back / "same.html").stat().st_ino == inode  # shared by both trees


def test_static_source_files_are_copied(tmp_path: Path) -> None:
    source = tmp_path / "logo.svg"
    source.write_bytes(b"<svg/>")
    output = Output("img/logo.svg", "static:1", "static", source=str(source))
    with Publisher(tmp_path / "public") as publisher:
        assert list(publisher.missing([output])) == []
        publisher.publish([output], iter(()), "s")
    assert (tmp_path / "public" / "img" / "logo.svg").read_bytes() == b"<svg/>"


@pytest.mark.parametrize("columns", [False, True])
def test_collision_is_refused_and_previous_site_kept(tmp_path: Path, columns: bool) -> None:
    """Into a back tree with a manifest (a set of paths), and into an empty one (the
    plan's paths in order: as columns, side by side)."""
    from presse.publish import Outputs

    public = tmp_path / "public"
    publish_site(public, {"index.html": b"old"})
    given = [
        Output("b.html", "0", "zero"),
        Output("a.html", "1", "first"),
        Output("c.html", "3", "third"),
        Output("a.html", "2", "second"),
    ]
    outputs = Outputs(given) if columns else given
    if columns:  # state lost: the back tree starts empty
        (home_of(public) / STATE_FILE).unlink()
    with (
        pytest.raises(PresseError, match=r'two outputs want "a\.html": first and second'),
        Publisher(public) as publisher,
    ):
        assert not len(publisher.back.manifest) if columns else len(publisher.back.manifest)
        publisher.missing(outputs)
    assert tree_bytes(public) == {"index.html": b"old"}


@pytest.mark.parametrize(
    "path", ["../x", "/etc/passwd", "a/../../x", "a\\b", "", "a/./b", "a//b", "a\x00b", "/"]
)
def test_escaping_paths_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(PresseError, match="would escape the output folder"):
        check_output_path(path)
    with pytest.raises(PresseError), Publisher(tmp_path / "public") as publisher:
        publisher.missing([Output(path, "k", "test")])
    assert not (tmp_path / "public").exists()


def test_failure_midway_changes_nothing_and_the_next_build_repairs(tmp_path: Path) -> None:
    public = tmp_path / "public"
    old = {f"{n}.html": b"old" for n in range(10)}
    publish_site(public, old)
    publish_site(public, old)  # the back tree now holds the same site
    new = {f"{n}.html": b"new" for n in range(10)}
    outputs = outputs_of(new)

    def produced() -> Iterator[tuple[int, bytes]]:
        yield 0, b"new"
        yield 1, b"new"
        raise RuntimeError("render crashed")

    with pytest.raises(RuntimeError), Publisher(public) as publisher:
        publisher.missing(outputs)
        publisher.publish(outputs, produced(), "s")
    assert tree_bytes(public) == old
    # The back tree was left half-written: the journal says which files are in doubt.
    publish_site(public, old)
    assert tree_bytes(public) == old
    publish_site(public, new)
    assert tree_bytes(public) == new


def test_output_is_world_readable(tmp_path: Path) -> None:
    publish_site(tmp_path / "public", {"index.html": b"x"})
    assert (tmp_path / "public").stat().st_mode & 0o755 == 0o755


def test_a_file_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    public = tmp_path / "public"
    files = {"a.html": b"a", "b.html": b"b"}
    publish_site(public, files)
    publish_site(public, files)
    (public / "a.html").write_bytes(b"tampered")
    (public / "extra.html").write_bytes(b"dropped in")
    with Publisher(public) as publisher:
        assert not publisher.unchanged(key(repr(sorted(files.items())).encode()))
    publish_site(public, files)
    assert tree_bytes(public) == files
    for _ in range(2):  # and the tree that held the tampered files is not trusted either
        publish_site(public, {**files, "c.html": b"c"})
        publish_site(public, files)
        assert tree_bytes(public) == files


def test_a_site_it_did_not_write_is_taken_over(tmp_path: Path) -> None:
    """No state (an output made by an older presse, or state lost): equal files are kept,
    with their mtime; the others are replaced; nothing else survives."""
    public = tmp_path / "public"
    public.mkdir()
    (public / "same.html").write_bytes(b"s")
    (public / "stale.html").write_bytes(b"old")
    os.utime(public / "same.html", (1_000_000, 1_000_000))
    publish_site(public, {"same.html": b"s", "new.html": b"n"})
    assert tree_bytes(public) == {"same.html": b"s", "new.html": b"n"}
    assert (public / "same.html").stat().st_mtime == 1_000_000
    (home_of(public) / STATE_FILE).unlink()
    publish_site(public, {"same.html": b"s", "new.html": b"2"})
    assert tree_bytes(public) == {"same.html": b"s", "new.html": b"2"}
    publish_site(public, {"same.html": b"s"})
    assert tree_bytes(public) == {"same.html": b"s"}


def test_one_build_publishes_at_a_time(tmp_path: Path) -> None:
    public = tmp_path / "public"
    with Publisher(public):
        lock = os.open(home_of(public) / LOCK_FILE, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(lock)


def test_a_first_build_leaves_a_back_tree_ready(tmp_path: Path) -> None:
    """The first build also makes the back tree (hard links), so the second touches only
    what it changes."""
    public = tmp_path / "public"
    files = {f"{n}/index.html": b"x" for n in range(50)}
    publish_site(public, files)
    back = home_of(public) / "back"
    assert tree_bytes(back) == files
    files["3/index.html"] = b"y"
    assert publish_site(public, files).written == 1


def test_bundle_folders_are_linked_and_stamped(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "index").mkdir(parents=True)
    (bundle / publish.BUNDLE_ENTRY).write_text("{}")
    (bundle / "index" / "chunk").write_bytes(b"c")
    public = tmp_path / "public"
    output = Output("pagefind/2025-01/", "k1", "search shard 2025-01")
    with Publisher(public) as publisher:
        assert list(publisher.missing([output])) == [0]
        publisher.publish([output], iter([(0, bundle)]), "s")
    assert tree_bytes(public) == {
        "pagefind/2025-01/pagefind-entry.json": b"{}",
        "pagefind/2025-01/index/chunk": b"c",
    }
    with Publisher(public) as publisher:
        assert publisher.unchanged("s")
        assert publisher.current_key("pagefind/2025-01/") == "k1"
    (public / "pagefind" / "2025-01" / publish.BUNDLE_ENTRY).write_text("{ }")
    with Publisher(public) as publisher:
        assert not publisher.unchanged("s")  # a bundle changed by hand is not ours


def publish_staged(public: Path, files: Mapping[str, bytes]) -> PublishReport:
    """Publish ``files`` with every missing one written through the staging tree, as a
    cluster's workers do, the publisher getting only their stamps."""
    outputs = outputs_of(files)
    with Publisher(public) as publisher:
        wanted = publisher.missing(outputs)
        produced = []
        staging = publisher.staging()

        def staged() -> Iterator[tuple[int, publish.Staged]]:
            for i in wanted:  # written only once publishing has begun, as a worker would
                produced.append(i)
                yield i, staging.put(outputs[i].path, files[outputs[i].path])

        report = publisher.publish(outputs, staged(), key(repr(sorted(files.items())).encode()))
        assert produced == list(wanted)
        return report


def test_pages_written_into_staging_by_others_are_published(tmp_path: Path) -> None:
    public = tmp_path / "public"
    files = {f"{n}/index.html": f"page {n}".encode() for n in range(20)}
    publish_staged(public, files)
    assert tree_bytes(public) == files
    files["3/index.html"] = b"changed"
    assert publish_staged(public, files).written == 1
    assert tree_bytes(public) == files
    with Publisher(public) as publisher:  # the manifest knows what the workers wrote
        assert publisher.unchanged(key(repr(sorted(files.items())).encode()))
    files["4/index.html"] = b"changed too"
    report = publish_site(public, files)  # and the writer here takes over from them
    assert report.written == 2 and tree_bytes(public) == files


def test_staging_never_writes_into_a_file_shared_with_the_public_tree(tmp_path: Path) -> None:
    public = tmp_path / "public"
    files = {"a/index.html": b"one", "b/index.html": b"two"}
    publish_site(public, files)
    publish_site(public, files)  # the back tree now links the public files
    before = (public / "a" / "index.html").stat().st_ino
    with Publisher(public) as publisher:
        staging = publisher.staging()
        stamp = staging.put("a/index.html", b"new")
        assert (public / "a" / "index.html").read_bytes() == b"one"  # readers see no change
        assert (public / "a" / "index.html").stat().st_ino == before
        written = Path(staging.root) / "a" / "index.html"
        assert written.read_bytes() == b"new" and stamp.size == 3
        with pytest.raises(PresseError, match="would escape the output folder"):
            staging.put("../outside.html", b"x")
    assert not (tmp_path / ".public.presse" / "outside.html").exists()


def test_outputs_held_as_columns_read_back_as_the_outputs_given() -> None:
    from presse.publish import Outputs
    from presse.search import Shard

    shard = Shard("2024-03", ("un", "deux"))
    given = [
        Output("index.html", "k1", "theme/templates/index.html"),
        Output("css/site.css", "static:1:2:/x", "static/css/site.css", source="/x/site.css"),
        Output(shard.folder, "k3", "search shard 2024-03", shard=shard),
        Output("2024/03/un/index.html", "k4", "content/2024/un.md"),
    ]
    outputs = Outputs(given)
    assert len(outputs) == 4 and list(outputs) == given
    assert [outputs[n] for n in range(4)] == given and outputs[-1] == given[-1]
    assert outputs[1:3] == given[1:3]
    assert outputs.extras.keys() == {1, 2}  # only the outputs that have a source or shard
    assert pickle.loads(pickle.dumps(outputs)) == outputs
    again = Outputs.of_columns(outputs.paths, outputs.keys, outputs.origins, outputs.extras)
    assert again == outputs and again != Outputs(given[:3])
    with pytest.raises(ValueError):
        Outputs.of_columns(outputs.paths, outputs.keys[:2], outputs.origins, {})


def test_a_page_path_is_held_around_its_slug() -> None:
    """An article's page: its path and its origin around the article's own slug; a tag's
    page around the tag's slug; a slug that is not a whole segment of the path, whole."""
    from presse.publish import OutputsBuilder

    slug, tag = "un-article", "a"
    built = OutputsBuilder()
    built.append(Output("2024/03/un-article/index.html", "k1", "content/2024/un-article.md"), slug)
    built.append(Output("tag/a/page/2/index.html", "k2", "template term.html"), "", tag)
    built.append(Output("tag/b/page/2/index.html", "k3", "template term.html"), "", tag)
    outputs = built.finish()
    assert outputs.paths.middle(0) is slug and outputs.origins.middle(0) is slug
    assert outputs.paths.middle(1) is tag and outputs.paths.middle(2) is None
    assert [o.path for o in outputs] == [
        "2024/03/un-article/index.html",
        "tag/a/page/2/index.html",
        "tag/b/page/2/index.html",
    ]


def test_the_state_file_is_written_in_parts_and_read_back_shared(tmp_path: Path) -> None:
    """Thousands of outputs: more than one part per tree. Read back, both trees hold
    one string per path."""
    files = {f"{n % 7}/page-{n}/index.html": str(n).encode() for n in range(publish._CHUNK + 5)}
    public = tmp_path / "public"
    publish_site(public, files)
    publish_site(public, {**files, "0/page-0/index.html": b"changed"})
    parts = []
    trees = cache.load_stream(home_of(public), STATE_FILE, lambda p: parts.extend(p) or "read")
    # The format, then each tree's head, its number of chunks, 2 chunks and its dict.
    assert trees == "read" and len(parts) == 1 + 2 * 5
    state = cache.load_stream(home_of(public), STATE_FILE, publish._read_state)
    assert state is not None and len(state) == 2
    front, back = (tree.manifest for tree in state.values())
    assert set(front) == set(back) == set(files)
    changed = [path for path in files if front[path] != back[path]]
    assert changed == ["0/page-0/index.html"]
    assert {id(path) for path in front} == {id(path) for path in back}  # interned
    with Publisher(public) as publisher:  # and the next build reads it: nothing to write
        assert len(publisher.missing(outputs_of({**files, "0/page-0/index.html": b"changed"}))) == 0
    (home_of(public) / STATE_FILE).write_bytes(b"not a state file")
    assert cache.load_stream(home_of(public), STATE_FILE, publish._read_state) is None


def test_pieces_are_written_as_they_come_and_compared_with_a_folder_not_ours(
    tmp_path: Path,
) -> None:
    """A sitemap arrives in pieces. Over a folder presse did not write, an equal file is
    linked, not written again (it keeps its inode), and one that only begins the same is
    replaced; after that, pieces are written."""
    public = tmp_path / "public"
    public.mkdir()
    (public / "sitemap.xml").write_bytes(b"<urlset>a</urlset>")
    (public / "feed.xml").write_bytes(b"<feed/><!-- and more -->")  # the same, then more
    before = (public / "sitemap.xml").stat().st_ino
    longer = (public / "feed.xml").stat().st_ino
    files = {"sitemap.xml": b"<urlset>a</urlset>", "feed.xml": b"<feed/>"}

    def publish_pieces(files: Mapping[str, bytes]) -> None:
        outputs = outputs_of(files)
        with Publisher(public) as publisher:
            wanted = publisher.missing(outputs)
            produced = (
                (i, Pieces(iter([files[outputs[i].path][:3], files[outputs[i].path][3:]])))
                for i in wanted
            )
            publisher.publish(outputs, produced, key(repr(sorted(files.items())).encode()))

    publish_pieces(files)
    assert tree_bytes(public) == files
    assert (public / "sitemap.xml").stat().st_ino == before
    assert (public / "feed.xml").stat().st_ino != longer
    changed = {**files, "sitemap.xml": b"<urlset>b</urlset>"}
    publish_pieces(changed)
    assert tree_bytes(public) == changed


def test_a_cold_publish_holds_the_plans_paths_by_number(tmp_path: Path) -> None:
    """Into an empty tree, the manifests hold the plan's paths by number (no string of
    their own), the primed back tree the same rows; the next build reads them back and
    writes only what changed."""
    from presse.manifest import SortedView
    from presse.publish import Outputs

    public = tmp_path / "public"
    files = {f"{n % 3}/page-{n}/index.html": b"%d" % n for n in range(60)}
    outputs = Outputs(outputs_of(files))
    with Publisher(public) as publisher:
        wanted = publisher.missing(outputs)
        assert len(wanted) == len(files)
        produced = ((n, files[outputs[n].path]) for n in wanted)
        report = publisher.publish(outputs, produced, "s")
        assert report.written == len(files)
        assert publisher.front is not None
        assert isinstance(publisher.front.manifest._paths, SortedView)
        assert publisher.back.manifest._rows is publisher.front.manifest._rows
    assert tree_bytes(public) == files
    changed = {**files, "1/page-1/index.html": b"changed"}
    assert publish_site(public, changed).written == 1
    assert tree_bytes(public) == changed
    # The dev server keeps the manifests in memory, to look paths up: as strings.
    memory: dict[str, Any] = {}
    with Publisher(tmp_path / "served", verify=False, state=memory) as publisher:
        wanted = publisher.missing(outputs)
        publisher.publish(outputs, ((n, files[outputs[n].path]) for n in wanted), "s")
    assert memory and all(isinstance(t.manifest._paths, list) for t in memory.values())
