"""Publishing: the one writer. Every output file reaches the output folder through here.

The output folder (``public/``, the *front* tree, what readers are served) has a twin,
the *back* tree, kept beside it in ``.public.presse/back/``. A build brings the back
tree up to date, touching only the files that differ, and then exchanges the two trees
in one atomic rename (``renameat2(RENAME_EXCHANGE)`` on Linux). The back tree then
holds the previous site, and the next build starts from it: since it differs from the
site to publish only by what changed in the last two builds, publishing costs what
changed, not the size of the archive, while ``public/`` is at every instant the
complete old site or the complete new one, even if the build is killed.

What each tree holds is known from its **manifest**: output path → key (the
fingerprint of what the output shows, see :mod:`presse.render`), with the file's size
and mtime. Manifests are kept in ``.public.presse/state`` by the inode of their tree,
which the exchange does not change, so they stay right on either side of the swap.
Before the back tree is touched, the paths about to change are marked unknown there
(a journal): a build killed midway leaves a back tree whose doubtful files the next
build writes again. A tree with no manifest (state lost, an output made by something
else) is not trusted: the back tree is then deleted and rebuilt, and outputs whose
bytes equal the front file are linked from it.

Unchanged files are hard links between the trees: they keep their inode and mtime from
build to build (for rsync-style deploys), and two trees cost little more disk than one.
Files are never written in place, so a link shared with ``public/`` is never changed.
One build publishes to a folder at a time (a lock on ``.public.presse/lock``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import filecmp
import os
import shutil
import stat
import subprocess
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from presse import cache
from presse.columns import Around, AroundBuilder
from presse.digest import Digests, DigestsBuilder
from presse.errors import PresseError
from presse.manifest import Entry, Manifest, sorted_numbers
from presse.model import quick_pickle
from presse.search import Shard

STATE_FILE = "state"
LOCK_FILE = "lock"
BACK = "back"
TRASH = "trash-"  # a tree being deleted in the background
BACKGROUND_DELETE = 2_000  # a tree with more files than this is deleted in the background


@quick_pickle
@dataclass(frozen=True, slots=True)
class Output:
    """One output of the plan: a file (or a search bundle folder, ``path`` ending in
    ``/``) and the key of what it holds. ``source`` is a file to copy (static files)."""

    path: str
    key: str
    origin: str
    source: str | None = None
    shard: Shard | None = None  # for a search bundle: the shard it indexes

    @property
    def is_folder(self) -> bool:
        return self.path.endswith("/")


class Outputs(Sequence[Output]):
    """A plan's outputs, held as columns: the keys as :class:`~presse.digest.Digests`,
    the paths and origins as :class:`~presse.columns.Around` (an article page's path and
    source path as the parts around the article's slug; the paths of a plan read back
    from the cache, a tuple of the strings the manifests share), the few static files'
    sources and search bundles' shards by number. An :class:`Output` is made when one is read.
    Held as objects, the outputs of an archive (two an article) cost a tenth of a
    kilobyte an article more, from planning to the end of the build."""

    __slots__ = ("extras", "keys", "origins", "paths")

    def __init__(self, outputs: Iterable[Output] = ()) -> None:
        built = OutputsBuilder()
        for output in outputs:
            built.append(output)
        self.paths: Sequence[str] = built.paths.finish()
        self.keys = built.keys.finish()
        self.origins = built.origins.finish()
        self.extras = built.extras

    @classmethod
    def of_columns(
        cls,
        paths: Sequence[str],
        keys: Sequence[str],
        origins: Sequence[str],
        extras: Mapping[int, tuple[str | None, Shard | None]],
    ) -> Outputs:
        """Outputs from their columns (a plan read back from the cache)."""
        if not len(paths) == len(keys) == len(origins):
            raise ValueError("columns of different lengths")
        outputs = cls()
        # A plan read back from the cache gives its paths as strings, interned (shared
        # with the manifests): a tuple, read without a call.
        outputs.paths = paths if isinstance(paths, Around) else tuple(paths)
        outputs.origins = origins if isinstance(origins, Around) else Around(origins)
        outputs.keys = keys if isinstance(keys, Digests) else Digests(keys)
        outputs.extras = dict(extras)
        return outputs

    def replaced(self, changes: Mapping[int, Output]) -> Outputs:
        """A copy with the outputs at some positions changed (a plan after an edit):
        the others are not made into objects and back."""
        extras = dict(self.extras)
        for number, output in changes.items():
            extras.pop(number, None)
            if output.source is not None or output.shard is not None:
                extras[number] = (output.source, output.shard)
        if isinstance(self.paths, Around):
            paths: Sequence[str] = self.paths.replaced({n: o.path for n, o in changes.items()})
        else:
            listed = list(self.paths)
            for number, output in changes.items():
                listed[number] = output.path
            paths = tuple(listed)
        keys = self.keys.replaced({number: output.key for number, output in changes.items()})
        origins = self.origins.replaced({n: output.origin for n, output in changes.items()})
        return Outputs.of_columns(paths, keys, origins, extras)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, number: Any) -> Any:
        if isinstance(number, slice):
            return [self[n] for n in range(len(self))[number]]
        source, shard = self.extras.get(number % len(self) if number < 0 else number, _NONE)
        return Output(self.paths[number], self.keys[number], self.origins[number], source, shard)

    def __iter__(self) -> Iterator[Output]:
        extras = self.extras
        columns = zip(self.paths, self.keys, self.origins, strict=True)
        for number, (path, key, origin) in enumerate(columns):
            source, shard = extras.get(number, _NONE)
            yield Output(path, key, origin, source, shard)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Outputs):
            return (self.paths, self.keys, self.origins, self.extras) == (
                other.paths,
                other.keys,
                other.origins,
                other.extras,
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Outputs({len(self)} outputs)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Outputs, (tuple(self),))


def _paths_of(outputs: Sequence[Output]) -> Sequence[str]:
    """The outputs' paths: a plan's own column, not one made of its outputs."""
    return outputs.paths if isinstance(outputs, Outputs) else [o.path for o in outputs]


def _distinct(outputs: Sequence[Output]) -> array[int]:
    """The numbers of the outputs in the order of their paths, or a PresseError when two
    want one path (found side by side in that order: a set of every path, made into
    strings one by one, would hold them all at once)."""
    paths = _paths_of(outputs)
    order = sorted_numbers(paths)
    last, previous = "", -1
    for number in order:
        path = paths[number]
        if previous >= 0 and path == last:  # equal paths come by number: the first is previous
            first, second = outputs[previous].origin, outputs[number].origin
            raise PresseError(f'two outputs want "{path}": {first} and {second}')
        last, previous = path, number
    return order


_NONE: tuple[None, None] = (None, None)
_PLACES = (None, "back", "front")  # where an output's content already is (see Publisher)


class OutputsBuilder:
    """:class:`Outputs` filled one at a time, as a plan is made: the outputs of an
    archive are not all held as objects (and their keys as strings) first."""

    __slots__ = ("extras", "keys", "origins", "paths")

    def __init__(self) -> None:
        self.paths = AroundBuilder()
        self.keys = DigestsBuilder()
        self.origins = AroundBuilder()
        self.extras: dict[int, tuple[str | None, Shard | None]] = {}

    def append(self, output: Output, slug: str = "", named: str | None = None) -> None:
        """Add ``output``; ``slug``: the article whose page it is (its path and its
        origin, the article's source path, are then held as the parts around that slug);
        ``named``: what else its path is held around (a section's or tag's slug)."""
        if output.source is not None or output.shard is not None:
            self.extras[len(self.paths)] = (output.source, output.shard)
        around = slug if named is None else named
        # A path cut around a slug where it is a whole segment: "a", cut in "page", would
        # make a head and a tail of its own, not one pair for thousands of paths.
        self.paths.append(output.path, around if f"/{around}/" in f"/{output.path}" else "")
        self.keys.append(output.key)
        self.origins.append(output.origin, slug)

    def finish(self) -> Outputs:
        return Outputs.of_columns(
            self.paths.finish(), self.keys.finish(), self.origins.finish(), self.extras
        )


@dataclass(frozen=True, slots=True)
class Staged:
    """An output another process already wrote into the back tree (see :class:`Staging`):
    the stamp of its file, for the manifest."""

    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Pieces:
    """An output's bytes in pieces, written as they come: a sitemap of 50 000 addresses
    is never held whole."""

    pieces: Iterable[bytes]


@dataclass(frozen=True, slots=True)
class Staging:
    """The back tree, for the processes that write pages into it themselves: a cluster's
    workers, on a filesystem they all see, the way the publisher would (never in place:
    a file may be a link shared with ``public/``). They hand back each file's stamp, not
    its bytes. The publisher has marked these paths unknown before any is written, so a
    build killed midway still leaves a back tree the next build can trust."""

    root: str  # the back tree
    front: str  # public/
    compare: bool  # public/ has no manifest: link a file from it when the bytes are equal

    def put(self, path: str, data: bytes) -> Staged:
        target = _prepare(self.root, check_output_path(path))
        _write(target, os.path.join(self.front, path), data, self.compare)
        stat_ = os.stat(target)
        return Staged(stat_.st_size, stat_.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class PublishReport:
    written: int  # files or bundles written, copied or linked into the new site
    unchanged: int  # outputs already in the back tree
    pages: int  # HTML files of the new site
    files: int  # outputs of the new site


@dataclass
class _Tree:
    site: str  # key of everything the whole site was made from ("" if unknown)
    manifest: Manifest


def check_output_path(path: str) -> str:
    """A relative POSIX path that cannot leave the output folder, or a PresseError."""
    name = path[:-1] if path.endswith("/") else path
    probe = f"/{name}/"  # an empty, "." or ".." segment shows as //, /./ or /../
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or "//" in probe
        or "/./" in probe
        or "/../" in probe
    ):
        raise PresseError(f'output path "{path}" would escape the output folder')
    return path


def home_of(out_dir: Path) -> Path:
    """The folder beside ``out_dir`` that holds its back tree, state and lock."""
    return out_dir.parent / f".{out_dir.name}.presse"


class Publisher:
    """The output folder and its back tree, locked for one build (a context manager).

    ``verify`` walks ``public/`` once and compares every file with the manifest, so that
    a file changed or deleted by hand is never taken for what presse wrote (builds from
    the command line); the dev server, whose folder is private, skips it.
    """

    def __init__(self, out_dir: Path, verify: bool = True, state: dict[str, Any] | None = None):
        self.out_dir = out_dir.absolute()
        self.memory = state  # the dev server keeps the trees' state in memory instead
        self.home = home_of(self.out_dir)
        self.back_dir = self.home / BACK
        self.verify = verify
        self.lock = -1
        self.trees: dict[str, _Tree] = {}
        self.front: _Tree | None = None  # None: no public/ yet, or unknown
        self.back = _Tree("", Manifest())
        self.dirty: set[str] = set()  # front files that are not what the manifest says
        self.front_clean = False
        # Per planned output, where its content already is: a number of _PLACES (one byte
        # an output, not a reference each).
        self.found = bytearray()
        self.order = array("I")  # the planned outputs' numbers in the order of their paths

    # --- opening ------------------------------------------------------------------

    def __enter__(self) -> Publisher:
        if self.out_dir.is_symlink() or (self.out_dir.exists() and not self.out_dir.is_dir()):
            raise PresseError(f"{self.out_dir} exists and is not a folder")
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            self.lock = os.open(self.home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise PresseError(f"cannot write beside {self.out_dir}: {exc.strerror}") from None
        fcntl.flock(self.lock, fcntl.LOCK_EX)  # another build of this folder: wait for it
        try:
            self._open()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        if self.lock >= 0:
            os.close(self.lock)
            self.lock = -1
        # The trees' manifests (a tenth of a kilobyte an output) are on disk, or in the
        # dev server's memory: not held while the build saves its caches.
        self.trees, self.front, self.back = {}, None, _Tree("", Manifest())
        self.found, self.order = bytearray(), array("I")

    def _open(self) -> None:
        if self.memory is not None:
            self.trees = dict(self.memory)
        else:
            self.trees = cache.load_stream(self.home, STATE_FILE, _read_state) or {}
        for leftover in self.home.iterdir():
            if leftover.name.startswith((TRASH, ".")):
                _delete(leftover, background=True)
        front_id = _tree_id(self.out_dir)
        self.front = self.trees.get(front_id) if front_id else None
        back = self.trees.get(_tree_id(self.back_dir)) if self.back_dir.is_dir() else None
        if back is None:
            self._new_back()
        else:
            self.back = back
        if self.front is not None and self.verify:
            self.dirty = _differences(self.out_dir, self.front.manifest)
            # A file edited in place in public/ may be a hard link the back tree shares.
            for path in self.dirty:
                stamp = self.back.manifest.stamp(path)
                if stamp is not None and not _matches(self.back_dir, path, stamp):
                    self.back.manifest[path] = None
        self.front_clean = self.front is not None and not self.dirty

    def _new_back(self) -> None:
        """An empty back tree, whatever was there before (deleted in the background)."""
        if self.back_dir.exists():
            discard([self.back_dir], TRASH, background=True)
        self.back_dir.mkdir()
        self.back_dir.chmod(0o755)  # whatever the umask: a web server must read the site
        self.back = _Tree("", Manifest())

    # --- planning -----------------------------------------------------------------

    def unchanged(self, site: str) -> bool:
        """The site made from these inputs is in ``public/``, untouched: nothing to do."""
        return self.front_clean and self.front is not None and self.front.site == site

    def report_unchanged(self) -> PublishReport:
        """What a build that changes nothing reports."""
        assert self.front is not None
        paths = self.front.manifest.keys()
        pages = sum(1 for p in paths if p.endswith(".html"))
        return PublishReport(written=0, unchanged=len(paths), pages=pages, files=len(paths))

    def current_key(self, path: str) -> str | None:
        """The key of what ``public/`` holds at ``path``, if known."""
        if self.front is None or path in self.dirty:
            return None
        return self.front.manifest.key(path)

    def missing(self, outputs: Sequence[Output]) -> Sequence[int]:
        """Indexes of the outputs neither tree holds: they must be rendered (or indexed).

        Also refuses what no plan may contain: two outputs with one path, paths that
        would leave the output folder."""
        self.found = bytearray()
        wanted = array("I")  # numbers, not an int object each
        known = self.back.manifest
        # An empty back tree: its manifest will hold the plan's paths by number, in their
        # order (see Manifest.start), which also shows two outputs with one path. Else a
        # set of the paths, shared with the manifests.
        seen: set[str] | None = set() if len(known) else None
        for index, output in enumerate(outputs):
            path = output.path
            if path not in known:  # a path in the manifest was checked when first written
                check_output_path(path)
            if seen is not None:
                if path in seen:
                    first = next(o.origin for o in outputs if o.path == path)
                    raise PresseError(f'two outputs want "{path}": {first} and {output.origin}')
                seen.add(path)
            where = self._where(output)
            self.found.append(_PLACES.index(where))
            if where is None and output.source is None:
                wanted.append(index)
        self.order = _distinct(outputs) if seen is None else array("I")
        return wanted

    def holds(self, output: Output) -> bool:
        """One of the trees already holds the output's exact content."""
        return self._where(output) is not None

    def _where(self, output: Output) -> str | None:
        """Where the output's exact content already is: "back", "front", or None."""
        if self.back.manifest.key(output.path) == output.key:
            return "back"
        if self.front is None or output.path in self.dirty:
            return None
        front = self.front.manifest
        if front.key(output.path) != output.key:
            return None
        stamp = front.stamp(output.path)
        assert stamp is not None
        if not self.verify and not _matches(self.out_dir, output.path, stamp):
            return None  # not walked: look at this one file
        return "front"

    # --- publishing ---------------------------------------------------------------

    def publish(
        self,
        outputs: Sequence[Output],
        produced: Iterable[tuple[int, bytes | Path | Staged | Pieces]],
        site: str,
    ) -> PublishReport:
        """Make the back tree the site of ``outputs`` (as planned by :meth:`missing`) and
        swap it in.

        ``produced`` gives, in order, the content of every output :meth:`missing` named:
        the bytes of a file (or its :class:`Pieces`), a finished bundle folder to link, or
        the stamp of a file
        written into the back tree by another process (:meth:`staging`). It is consumed while
        the back tree is written, so rendered pages are never all held in memory."""
        assert len(self.found) == len(outputs), "missing() plans what publish() writes"
        writer = _BackWriter(self.back_dir, self.out_dir)
        gone = self._journal(outputs)
        # The journal's manifest becomes the new one in place: a second manifest of the
        # whole site, built beside it, was the peak of a large build.
        new = self.back.manifest
        for path in gone:
            writer.remove(path)
            del new[path]
        contents = iter(produced)
        paths = _paths_of(outputs)
        written = 0
        for index, output in enumerate(outputs):
            where = _PLACES[self.found[index]]
            if where == "back":
                continue
            written += 1
            if output.source is not None:
                new[output.path] = writer.copy(output.path, output.key, output.source)
            elif where == "front":
                assert self.front is not None
                writer.link_from_front(output.path)
                new.put(paths, index, self.front.manifest[output.path])
            else:
                number, content = next(contents)
                assert number == index, f"content of output {number} given for {index}"
                entry = writer.put(output, content, compare=self.front is None)
                new.put(paths, index, entry)
        self.back = _Tree(site, new)
        self._save()
        trusted = self.front is not None and "" not in self.dirty
        _swap(self.back_dir, self.out_dir)
        self.front, self.back = self.back, self.front or _Tree("", Manifest())
        for path in self.dirty:  # now in the back tree: not what its manifest said
            if path in self.back.manifest:
                self.back.manifest[path] = None
        self.dirty = set()
        if not trusted:  # the previous site was not ours, or had files we did not write
            self._prime()
        self._save()
        pages = sum(1 for o in outputs if o.path.endswith(".html"))
        return PublishReport(
            written=written, unchanged=len(outputs) - written, pages=pages, files=len(outputs)
        )

    def staging(self) -> Staging:
        """The back tree, for processes that write outputs into it during :meth:`publish`."""
        return Staging(str(self.back_dir), str(self.out_dir), compare=self.front is None)

    def _journal(self, outputs: Sequence[Output]) -> set[str]:
        """Mark unknown, on disk, the paths of the back tree about to change or go; return
        those that go.

        In place, not in a copy of the manifest (a tenth of a kilobyte an output): what
        :meth:`publish` still reads of it are the entries of the paths left alone."""
        manifest = self.back.manifest
        paths = _paths_of(outputs)
        back = _PLACES.index("back")
        wanted = any(code != back for code in self.found)
        # Output paths are distinct (see missing): when the manifest holds no other path,
        # none goes, and the set of every path (tens of MB for an archive) is not made.
        kept = sum(1 for path in paths if path in manifest)
        gone = manifest.keys() - set(paths) if kept != len(manifest) else set()
        if not len(manifest) and len(self.order) == len(paths):  # an empty tree: all change
            manifest.start(paths, self.order)
            self.back = _Tree("", manifest)
            self._save()
        elif wanted or gone:
            changing = (path for path, code in zip(paths, self.found, strict=True) if code != back)
            manifest.mark_unknown(chain(changing, gone))
            self.back = _Tree("", manifest)
            self._save()
        return gone

    def _prime(self) -> None:
        """Give a fresh back tree the front's files (hard links), so the next build
        starts from a tree that differs only by what it changes."""
        if self.back_dir.exists():
            self._new_back()
        else:
            self.back_dir.mkdir()
            self.back_dir.chmod(0o755)
        front = self.front
        assert front is not None
        writer = _BackWriter(self.back_dir, self.out_dir)
        manifest = front.manifest.known()
        for path in manifest:
            writer.link_from_front(path)
        self.back = _Tree(front.site, manifest)

    def _save(self) -> None:
        """Record both manifests by tree identity; others are forgotten."""
        trees = {}
        for folder, tree in ((self.out_dir, self.front), (self.back_dir, self.back)):
            identity = _tree_id(folder)
            if identity and tree is not None:
                trees[identity] = tree
        if self.memory is not None:
            for tree in trees.values():  # kept for builds that look paths up one by one
                tree.manifest.own_paths()
            self.memory.clear()
            self.memory.update(trees)
            return
        try:
            cache.save_stream(self.home, STATE_FILE, _state_parts(trees))
        except OSError as exc:
            raise PresseError(f"cannot write beside {self.out_dir}: {exc.strerror}") from None


_STATE_FORMAT = ("manifests", 4)
_CHUNK = 4096  # manifest entries a part of the state file


def _state_parts(trees: Mapping[str, _Tree]) -> Iterator[Any]:
    """The trees' state as parts for :func:`presse.cache.save_stream`: each tree's
    identity and site, then its manifest a few thousand entries a part."""
    yield _STATE_FORMAT
    for identity, tree in trees.items():
        yield identity, tree.site
        yield from tree.manifest.parts(_CHUNK)


def _read_state(parts: Iterator[Any]) -> dict[str, _Tree]:
    """The trees :func:`_state_parts` stored, their paths interned: one string a path
    for both trees."""
    if next(parts) != _STATE_FORMAT:
        raise ValueError("not a state file of this format")
    trees: dict[str, _Tree] = {}
    for identity, site in parts:
        trees[identity] = _Tree(site, Manifest.of_parts(parts))
    return trees


class _BackWriter:
    """Writes into the back tree: never in place (a file may be a link shared with the
    front), folders made once (of those seen lately), emptied folders removed."""

    def __init__(self, root: Path, front: Path):
        self.root = str(root)
        self.front = str(front)
        self.folders: set[str] = set()

    def _target(self, path: str) -> str:
        if len(self.folders) >= RECENT_FOLDERS:
            # Outputs come grouped by folder: the archive's folders, all held to the end,
            # cost a quarter of a kilobyte an article for nothing.
            self.folders.clear()
        return _prepare(self.root, path, self.folders)

    def put(self, output: Output, content: bytes | Path | Staged | Pieces, compare: bool) -> Entry:
        """Rendered bytes, whole or in pieces (linked from ``public/`` instead when equal
        to its file and ``compare`` asks to look: a tree without a manifest), a bundle
        folder, or a file another process has written (:class:`Staging`)."""
        if isinstance(content, Staged):
            return (output.key, content.size, content.mtime_ns)
        target = self._target(output.path)
        if isinstance(content, Path):
            _link_tree(str(content), target)
            return _entry(output.key, target)
        old = os.path.join(self.front, output.path)
        if isinstance(content, Pieces):
            _write_pieces(target, old, content.pieces, compare)
        else:
            _write(target, old, content, compare)
        return _entry(output.key, target)

    def copy(self, path: str, key: str, source: str) -> Entry:
        target = self._target(path)
        old = os.path.join(self.front, path)
        if not (_same_file(old, source) and _link(old, target)):
            shutil.copy2(source, target)  # keeps the mtime: a quick check next time
        return _entry(key, target)

    def link_from_front(self, path: str) -> None:
        """The front's file at ``path``, linked (its manifest entry holds for both)."""
        target = self._target(path)
        source = os.path.join(self.front, path.rstrip("/"))
        if path.endswith("/"):
            _link_tree(source, target)
        elif not _link(source, target):
            shutil.copy2(source, target)

    def remove(self, path: str) -> None:
        target = os.path.join(self.root, path.rstrip("/"))
        _delete(Path(target), background=False)
        folder = os.path.dirname(target)
        while folder != self.root:
            try:
                os.rmdir(folder)  # only if now empty
            except OSError:
                break
            self.folders.discard(folder)
            folder = os.path.dirname(folder)


def _prepare(root: str, path: str, folders: set[str] | None = None) -> str:
    """Where ``path`` goes in the tree at ``root``: its folder made (once, when ``folders``
    remembers them), whatever was there removed."""
    target = os.path.join(root, path.rstrip("/"))
    folder = os.path.dirname(target)
    if folders is None or folder not in folders:
        try:
            os.makedirs(folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise PresseError(
                f'output "{path}" needs a folder where another output is a file'
            ) from None
        if folders is not None:
            folders.add(folder)
    if os.path.lexists(target):
        _delete(Path(target), background=False)
    return target


def _write(target: str, old: str, data: bytes, compare: bool) -> None:
    """``data`` at ``target``; a link to ``old`` instead when ``compare`` asks to look and
    it holds the same bytes (it keeps its inode and mtime)."""
    if not (compare and _same_bytes(old, data) and _link(old, target)):
        with open(target, "wb") as handle:
            handle.write(data)


def _write_pieces(target: str, old: str, pieces: Iterable[bytes], compare: bool) -> None:
    """:func:`_write` for bytes that come in pieces (a sitemap of 50 000 addresses):
    each written as it comes and, when ``compare`` asks, compared with ``old`` on the
    way, so that the whole is never held; when all matched, a link to ``old`` replaces
    the file written."""
    with contextlib.ExitStack() as stack:
        reader = None  # the old file while every piece so far matched it
        if compare:
            with contextlib.suppress(OSError):
                reader = stack.enter_context(open(old, "rb"))
        with open(target, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
                if reader is not None and reader.read(len(piece)) != piece:
                    reader = None
        if reader is not None and not reader.read(1):
            os.unlink(target)
            if not _link(old, target):
                shutil.copyfile(old, target)


def _entry(key: str, target: str) -> Entry:
    """A manifest entry: for a bundle folder, the stamp of its entry file."""
    probe = os.path.join(target, BUNDLE_ENTRY) if os.path.isdir(target) else target
    stat_ = os.stat(probe)
    return (key, stat_.st_size, stat_.st_mtime_ns)


BUNDLE_ENTRY = "pagefind-entry.json"  # what tells one search bundle from another
RECENT_FOLDERS = 4096  # folders a writer remembers having made


def _matches(root: Path, path: str, stamp: tuple[int, int]) -> bool:
    """The file (or bundle) at ``path`` still has the size and mtime the manifest says."""
    probe = os.path.join(root, path.rstrip("/"))
    if path.endswith("/"):
        probe = os.path.join(probe, BUNDLE_ENTRY)
    try:
        stat_ = os.stat(probe)
    except OSError:
        return False
    return (stat_.st_size, stat_.st_mtime_ns) == stamp


def _differences(root: Path, manifest: Manifest) -> set[str]:
    """Paths where ``root`` is not what ``manifest`` says: changed, missing, unknown or
    extra files (an extra file is reported as ``""``). Plain strings and scandir: on a
    large site this walk is most of a build where nothing changed."""
    bundles = {p for p in manifest if p.endswith("/")}
    differ: set[str] = set()
    seen = 0
    stack = [("", str(root))]
    while stack:
        relative, folder = stack.pop()
        with os.scandir(folder) as entries:
            for item in entries:
                path = relative + item.name
                if item.is_dir(follow_symlinks=False):
                    if path + "/" in bundles:
                        seen += 1
                        stamp = manifest.stamp(path + "/")
                        if stamp is None or not _matches(root, path + "/", stamp):
                            differ.add(path + "/")
                    else:
                        stack.append((path + "/", item.path))
                    continue
                stamp = manifest.stamp(path)
                if stamp is None:
                    differ.add(path if path in manifest else "")
                    seen += path in manifest
                    continue
                seen += 1
                stat_ = item.stat(follow_symlinks=False)
                if (stat_.st_size, stat_.st_mtime_ns) != stamp or not item.is_file(
                    follow_symlinks=False
                ):
                    differ.add(path)
    if seen != len(manifest):
        differ |= {p for p in manifest if not os.path.lexists(os.path.join(root, p.rstrip("/")))}
    return differ


def _tree_id(folder: Path) -> str:
    try:
        stat_ = os.lstat(folder)
    except OSError:
        return ""
    return f"{stat_.st_dev}:{stat_.st_ino}" if stat.S_ISDIR(stat_.st_mode) else ""


def _same_bytes(old: str, data: bytes) -> bool:
    try:
        if os.path.getsize(old) != len(data):
            return False
        with open(old, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _same_file(old: str, source: str) -> bool:
    try:
        a, b = os.stat(old), os.stat(source)
    except OSError:
        return False
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True
    if (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns):
        return True  # a static file copied last time with its mtime (as rsync checks)
    return a.st_size == b.st_size and filecmp.cmp(old, source, shallow=False)


def _link(old: str, target: str) -> bool:
    try:
        os.link(old, target)
    except OSError:
        return False
    return True


def _link_tree(source: str, target: str) -> None:
    """Hard-link every file of ``source`` into ``target`` (copies where links fail)."""
    for folder, _, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        into = os.path.normpath(os.path.join(target, relative))
        os.makedirs(into, exist_ok=True)
        for name in files:
            if not _link(os.path.join(folder, name), os.path.join(into, name)):
                shutil.copy2(os.path.join(folder, name), os.path.join(into, name))


def discard(paths: Sequence[Path], prefix: str, background: bool = False) -> None:
    """Delete files or trees after moving them, in one folder made beside the first (named
    ``prefix``…), out of their names: a process killed while deleting leaves nothing
    half deleted under a name something trusts, only that folder, which whoever owns
    the prefix deletes next time."""
    if not paths:
        return
    trash = Path(tempfile.mkdtemp(prefix=prefix, dir=paths[0].parent))
    for path in paths:
        path.rename(trash / path.name)
    _delete(trash, background)


def _delete(path: Path, background: bool) -> None:
    """Delete a file or a tree; a large tree in a detached ``rm`` so the build goes on."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    if background and _large(path) and _delete_in_background(path):
        return
    shutil.rmtree(path, ignore_errors=True)


def _large(folder: Path) -> bool:
    count = 0
    for _, _, files in os.walk(folder):
        count += len(files)
        if count > BACKGROUND_DELETE:
            return True
    return False


def _delete_in_background(folder: Path) -> bool:
    """Start ``rm -rf folder`` detached (a shell starts it and exits: no zombie, no child to
    wait for). False if it cannot start."""
    shell = shutil.which("sh")
    if shell is None or shutil.which("rm") is None:
        return False
    try:
        subprocess.run(
            [shell, "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _swap(back: Path, out_dir: Path) -> None:
    """Put the back tree in place of ``out_dir``; the previous site ends up as the back."""
    if not out_dir.exists():
        back.rename(out_dir)  # a first build: one atomic rename
        return
    if _exchange(back, out_dir):
        return
    # Portable fallback: two renames, with a short window where out_dir is absent.
    staging = back.with_name(".swap")
    back.rename(staging)
    out_dir.rename(back)
    staging.rename(out_dir)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux ``renameat2``); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return bool(result == 0)
    return False
