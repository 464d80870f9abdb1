"""Build caches: parsed articles by input fingerprint, and the digests of the last
build's outputs. In memory (the dev server) or persisted in ``.presse-cache/``.

Every key is a fingerprint of the exact inputs (see :mod:`presse.digest`), computed
on every build, so a hit is always safe. The cache folder is safe to delete and to
share between CI runs: each file carries a checksum, and a file that is corrupt,
truncated or from another presse version is ignored (and rebuilt), never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from presse import __version__
from presse.columns import Sparse
from presse.digest import article_key
from presse.model import Article

if TYPE_CHECKING:
    from presse.incremental import PlanMemo
    from presse.photos import Photo  # imported when used: Pillow is slow to load

T = TypeVar("T")

# The format number changes whenever a cached class changes shape or pickled state
# (2: Body holds packed HTML; 3: model classes pickle as plain tuples; 4: Article.modified,
# Body.outline; 5: the plan memo; 6: dates in the site's zone; 7: Article.lines as one string;
# 8: Body.embeds, Article.summary_html and lang; 9: Article.image_caption; 13: Body without
# its outline, and without its excerpt when the article has a chapô; 16: Article.held,
# its card, put away with the body; its url cut around its slug; 17: plans of digests and
# recipes in columns, manifests of packed entries; 18: StoredBody; 19: Particulars; 20: the
# article's digest as bytes, its text held or shelved, its frame; links packed; origins
# around slugs; 21: the plan's postings as planned, output after output).
MAGIC = b"presse-cache-24\x00"
HEADER = MAGIC + __version__.encode() + b"\x00"  # then a SHA-256 of the pickled payload
ARTICLES_DIR = "articles"  # the parse cache, in PARTS files by key
PARTS = 32
RELATIONS_FILE = "relations.pickle"
PLAN_FILE = "plan.pickle"  # the structure of the last plan, written when it changes
PLAN_KEYS_FILE = "plan-keys.pickle"  # its keys and fingerprints, written after every build
SOURCES_FILE = "sources.pickle"
OUTCOME_FILE = "outcome.pickle"
PHOTOS_DIR = "photos"  # processed photos, one file per key (see photo_key)
RACY_NS = 2_000_000_000  # a file changed this close to the memo's saving is read again


@dataclass
class ParseCache:
    """Parsed articles by fingerprint; counts hits and misses for reports and tests."""

    entries: dict[str, Article] = field(default_factory=dict)
    relations: dict[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    dirty: set[int] = field(default_factory=set)  # parts of the file cache to write again
    relations_saved: frozenset[str] = frozenset()  # the keys of ``relations`` on disk

    @property
    def changed(self) -> bool:
        return bool(self.dirty)

    @property
    def relations_changed(self) -> bool:
        return self.relations.keys() != self.relations_saved

    def get(self, key: str) -> Article | None:
        article = self.entries.get(key)
        if article is None:
            self.misses += 1
        else:
            self.hits += 1
        return article

    def put(self, key: str, article: Article) -> None:
        self.entries[key] = article
        self.dirty.add(part_of(key))

    def release(self) -> None:
        """Forget the entries, saved (or not kept) once the build has its articles: the
        build holds those, and the table's keys (0.2 KB an article) would be held to the
        end for nothing. The relations stay, saved at the end."""
        self.entries = {}
        self.dirty = set()

    def retain(self, keys: Sequence[str]) -> None:
        """Forget entries not used by the last build (``keys``, one for each of its
        sources, every one of them in the table), so memory tracks the corpus. When the
        table holds exactly those, no set of them is made (0.1 KB an article, at the
        parsing's peak)."""
        entries = self.entries
        if len(entries) == len(keys) and all(key in entries for key in keys):
            return
        for key in entries.keys() - set(keys):
            del entries[key]
            self.dirty.add(part_of(key))


def part_of(key: str) -> int:
    """Which file of the parse cache holds ``key``: an edit rewrites one of :data:`PARTS`
    files, not the whole cache (45 MB for 10 000 articles)."""
    return int(key[:2], 16) % PARTS


Stat = bytes  # size, mtime_ns, ctime_ns, inode, packed by _STAT
# Packed, a stat is one 65-byte object; as a tuple of four ints it was 190 bytes, held
# for every source of the archive.
_STAT = struct.Struct("<qqqQ")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the last build made of its inputs: ``site`` (the fingerprint of everything the
    output is made from) holds from ``since`` until ``until``, the next time at which an
    article is published, expires or leaves the news sitemap, or the year changes."""

    inputs: str  # fingerprint of the sources, templates, authors and options
    since: datetime
    until: datetime
    site: str
    articles: int  # published


@dataclass
class SourceMemo:
    """The digest of each source file's bytes, with the file's stat when it was read.

    A file whose size, modification and change times and inode are those recorded is not
    read again, as git's index does: reading and hashing 10 000 files cost a second of
    every build. A file changed within :data:`RACY_NS` of the memo being saved might have
    changed again in the same clock tick, so it is read again ("racy git"). The dev
    server keeps it in memory; builds from the command line keep it in the cache folder.

    The dev server's watcher can say more: which files were modified, and that none was
    created, moved or deleted (:meth:`expect`). For the next build the list of sources
    is then the last one, and only the named files are looked at again: no walk, no
    stats. Any other change, or none reported, falls back to looking at everything.
    """

    files: dict[str, tuple[Stat, str]] = field(default_factory=dict)  # path → stat, digest
    saved: int = 0  # time.time_ns() when saved: newer changes are racy
    listing: list[str] | None = None  # the last build's sources, while still valid
    modified: set[str] | None = None  # for the next build only: None means "look at all"
    changed: bool = False
    seen: dict[str, Stat] = field(default_factory=dict)  # stats of files to read, this build
    last: Outcome | None = None  # what the last build made of its inputs (its own file)
    last_changed: bool = False
    keys: dict[str, str] = field(default_factory=dict)  # path → key, under ``keyed``
    keyed: str = ""  # the configuration the keys were worked out under

    def key(self, path: str, shown: str, digest: str, config: str) -> str:
        """The parse-cache key of a source (see :func:`presse.digest.article_key`), worked
        out once per version of the file (the dev server rebuilds many times). A key is
        forgotten when its file's new digest is recorded, and all of them when the
        configuration changes: no digest and configuration held beside every key (a
        tuple an article, 0.06 KB)."""
        if config != self.keyed:
            self.keys, self.keyed = {}, config
        known = self.keys.get(path)
        if known is not None:
            return known
        key = article_key(shown, digest, config)
        self.keys[path] = key
        return key

    def outcome(self, inputs: str, now: datetime) -> Outcome | None:
        """The last build's outcome, if it was made from ``inputs`` and still holds at
        ``now``: then the site is known without loading or linking a single article."""
        last = self.last
        if last is None or last.inputs != inputs or not last.since <= now < last.until:
            return None
        return last

    def remember(self, outcome: Outcome) -> None:
        self.last_changed = self.last_changed or outcome != self.last
        self.last = outcome

    def release(self) -> None:
        """Forget the files, once this build has read them and the memo is saved: a
        build from the command line needs no more of it, and it is the stat, digest,
        key and path of every source (0.4 KB an article) held to the end for nothing.
        The outcome stays, saved at the end (:func:`save_outcome`)."""
        self.files, self.keys, self.seen, self.listing = {}, {}, {}, None
        self.changed = False

    def expect(self, modified: Iterable[Path]) -> bool:
        """The watcher saw only these files modified; False (and no effect) if one of
        them is not a known source, since then the listing itself may have changed."""
        changed = {str(p) for p in modified}
        if self.listing is None or not changed <= self.files.keys():
            self.look_at_all()
            return False
        self.modified = changed
        return True

    def look_at_all(self) -> None:
        """The next build walks the folders and stats every file again."""
        self.listing = self.modified = None

    def paths(self, find: Callable[[], list[str]]) -> list[str]:
        """The sources of this build: the last listing when the watcher vouches for it."""
        if self.listing is None or self.modified is None:
            self.listing = find()
        return self.listing

    def digest(self, name: str) -> str | None:
        """The digest of the bytes of file ``name`` if it is known unchanged, else None
        (read it, then :meth:`record` what was read)."""
        known = self.files.get(name)
        if known is not None and self.modified is not None and name not in self.modified:
            return known[1]  # the watcher saw no change to it
        try:
            info = os.stat(name)  # noqa: PTH116 (10 000 Path objects cost a tenth of a second)
        except OSError:
            return None  # the reader reports it
        stat = _STAT.pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        if known is not None and known[0] == stat and info.st_mtime_ns < self.saved - RACY_NS:
            return known[1]
        self.seen[name] = stat  # until its digest is recorded (only for files read again)
        return None

    def record(self, name: str, digest: str) -> None:
        """The digest of the bytes just read, kept with the stat taken before reading (if
        the file changed in between, its stat will differ next time)."""
        self.keys.pop(name, None)  # worked out from the bytes it had before
        stat = self.seen.pop(name, None)
        if stat is not None:
            self.files[name] = (stat, digest)
            self.changed = True

    def retain(self, paths: Iterable[str]) -> None:
        """Forget files that are gone; the watcher's report is used up. What the memo
        holds is now known as of this moment (changes close to it are racy)."""
        self.modified = None
        self.seen = {}
        self.saved = time.time_ns()
        keep = set(paths)
        for name in self.files.keys() - keep:
            del self.files[name]
            self.changed = True
        for name in self.keys.keys() - keep:
            del self.keys[name]


def load(folder: Path, name: str) -> Any | None:
    """The object stored in ``folder/name``, or None if missing, stale or damaged."""
    payload = _payload(folder, name)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # a damaged cache is ignored, whatever the damage
        return None


def load_parts(folder: Path, name: str) -> list[Any] | None:
    """The parts stored by :func:`save_parts`, or None if missing, stale or damaged."""
    payload = _payload(folder, name)
    if payload is None:
        return None
    try:
        reader = io.BytesIO(payload.obj)  # over the file's bytes: not a copy of them
        reader.seek(len(HEADER) + 32)
        count, shared = pickle.Unpickler(reader).load()
        # Interned: the plan's slugs are then the parsed articles' own (see _share in
        # presse.model), not a second copy of each.
        shared = [sys.intern(text) for text in shared]
        parts = []
        for _ in range(count):  # an unpickler each: its memo's numbers start again
            unpickler = _SharedUnpickler(reader)
            unpickler.shared = shared
            parts.append(unpickler.load())
        return parts
    except Exception:  # a damaged cache is ignored, whatever the damage
        return None


def _payload(folder: Path, name: str) -> memoryview | None:
    """What follows the header of ``folder/name``, if the checksum there matches it."""
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    if not data.startswith(HEADER) or len(data) < len(HEADER) + 32:
        return None
    view = memoryview(data)  # slices of a view are not copies: the cache can be large
    checksum, payload = view[len(HEADER) : len(HEADER) + 32], view[len(HEADER) + 32 :]
    if hashlib.sha256(payload).digest() != checksum:
        return None
    return payload


def save(folder: Path, name: str, value: Any) -> None:
    """Store ``value`` atomically: a reader sees the old file or the new one."""
    _store(folder, name, lambda out: pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL))


def save_parts(folder: Path, name: str, parts: Iterable[Any], shared: Iterable[str]) -> None:
    """Store ``parts`` like :func:`save`, each pickled on its own, and the ``shared``
    strings once, before them, named by number wherever a part holds them.

    A pickler remembers every object it writes, to write it once: for a large plan, one
    entry per path, recipe and slug, and at the end of a build the peak of its memory
    (0.7 KB an article). Pickled a part at a time, it remembers one part; the strings
    the parts share (the articles' slugs) are still written once, and loaded as one
    object each, wherever they appear."""
    strings = list(shared)
    listed = list(parts)

    def write(out: _HashingWriter) -> None:
        pickler = _SharingPickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump((len(listed), strings))
        pickler.numbers = {text: number for number, text in enumerate(strings)}
        for part in listed:
            pickler.clear_memo()
            pickler.dump(part)

    _store(folder, name, write)


def save_stream(folder: Path, name: str, parts: Iterable[Any]) -> None:
    """Store ``parts`` one after the other, like :func:`save`, each pickled on its own
    (the pickler's memo emptied between them), as they come: a value too big to pickle
    at once is given in pieces. (A pickler remembers every object it writes: for the
    manifests of an archive's output trees, at the end of a build, that memo was a
    tenth of the peak.)"""

    def write(out: _HashingWriter) -> None:
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        for part in parts:
            pickler.clear_memo()
            pickler.dump(part)

    _store(folder, name, write)


def load_stream(folder: Path, name: str, read: Callable[[Iterator[Any]], T]) -> T | None:
    """What ``read`` makes of the parts :func:`save_stream` stored, given one at a time;
    None if the file is missing, stale or damaged, or ``read`` fails on its parts."""
    payload = _payload(folder, name)
    if payload is None:
        return None
    reader = io.BytesIO(payload.obj)  # over the file's bytes: not a copy of them
    reader.seek(len(HEADER) + 32)
    end = len(HEADER) + 32 + payload.nbytes

    def parts() -> Iterator[Any]:
        while reader.tell() < end:
            yield pickle.Unpickler(reader).load()

    try:
        return read(parts())
    except Exception:  # a damaged cache is ignored, whatever the damage
        return None


class _SharingPickler(pickle.Pickler):
    """Writes the strings of ``numbers`` as their numbers (see :func:`save_parts`)."""

    numbers: dict[str, int] = {}  # noqa: RUF012 (replaced, never changed in place)

    def persistent_id(self, obj: Any) -> int | None:
        return self.numbers.get(obj) if type(obj) is str else None


class _SharedUnpickler(pickle.Unpickler):
    """Reads the numbers :class:`_SharingPickler` wrote as the strings they name."""

    shared: list[str] = []  # noqa: RUF012 (replaced, never changed in place)

    def persistent_load(self, pid: Any) -> str:
        return self.shared[int(pid)]


def _store(folder: Path, name: str, write: Callable[[_HashingWriter], None]) -> None:
    """Write a cache file atomically (a reader sees the old file or the new one): the
    header, the checksum of the payload, the payload ``write`` gives."""
    folder.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned(folder, name)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(HEADER + bytes(32))  # the checksum goes there once it is known
            hashing = _HashingWriter(stream)
            # Pickled straight to the file: the payload of a big archive is hundreds of MB.
            write(hashing)
            stream.seek(len(HEADER))
            stream.write(hashing.digest.digest())
        Path(temporary).replace(folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


ABANDONED_SECONDS = 600  # no cache takes that long to write: its writer was killed


def _sweep_abandoned(folder: Path, name: str) -> None:
    """Delete temporary files a killed build left while writing ``name``: they are never
    read, but each can be as big as the cache. Recent ones may be a live build's."""
    limit = time.time() - ABANDONED_SECONDS
    for leftover in folder.glob(f".{name}.*"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


class _HashingWriter:
    """A file-like sink that hashes what it passes on."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.stream.write(data)


def load_parse_cache(folder: Path) -> ParseCache:
    """The parse cache; a missing or damaged part only loses its own entries."""
    entries: dict[str, Article] = {}
    for number in range(PARTS):
        part = load(folder / ARTICLES_DIR, f"{number:02d}.pickle")
        if isinstance(part, dict):
            entries.update(part)
    # An article whose body file is gone (a cache copied or moved without its bodies/
    # folder) is parsed again, not published without its text.
    exists = os.path.exists  # a stat per article: strings, not Path objects
    lost = [k for k, a in entries.items() if a.body.stored and not exists(a.body.file)]
    for key in lost:
        del entries[key]
    relations = load(folder, RELATIONS_FILE)
    relations = relations if isinstance(relations, dict) else {}
    return ParseCache(entries=entries, relations=relations, relations_saved=frozenset(relations))


def save_parse_cache(folder: Path, cache: ParseCache) -> None:
    """Write the parts of the cache that changed, one table at a time: a cold build's
    parts together are a second table of the whole archive."""
    keys: dict[int, list[str]] = {number: [] for number in cache.dirty}
    for key in cache.entries:
        listed = keys.get(part_of(key))
        if listed is not None:
            listed.append(key)
    entries = cache.entries
    for number in sorted(keys):
        part = {key: entries[key] for key in keys.pop(number)}
        save(folder / ARTICLES_DIR, f"{number:02d}.pickle", part)
    cache.dirty.clear()


def save_relations(folder: Path, cache: ParseCache) -> None:
    save(folder, RELATIONS_FILE, cache.relations)
    cache.relations_saved = frozenset(cache.relations)


_SOURCES_FORMAT = ("sources", 2)
_SOURCES_AT_ONCE = 4096  # the files' table is stored this many entries a part


def load_source_memo(folder: Path) -> SourceMemo:
    last = load(folder, OUTCOME_FILE)
    last = last if isinstance(last, Outcome) else None
    stored = load_stream(folder, SOURCES_FILE, _read_sources)
    if stored is None:
        return SourceMemo(last=last)
    files, saved = stored
    return SourceMemo(files=files, saved=saved, last=last)


def _read_sources(parts: Iterator[Any]) -> tuple[dict[str, tuple[Stat, str]], int]:
    form, saved = next(parts)
    if form != _SOURCES_FORMAT:
        raise ValueError("not a source memo of this format")
    files: dict[str, tuple[Stat, str]] = {}
    for part in parts:
        files.update(part)
    return files, saved


def save_source_memo(folder: Path, memo: SourceMemo) -> None:
    """The files' table, as soon as the sources are read (see :meth:`SourceMemo.release`),
    a few thousand entries a part: pickled at once, every path, stat and digest was
    remembered by the pickler, the peak of a cold build's reading (0.3 KB an article)."""
    if memo.changed or (memo.files and not (folder / SOURCES_FILE).exists()):
        entries = iter(memo.files.items())
        parts = iter(lambda: list(islice(entries, _SOURCES_AT_ONCE)), [])
        save_stream(folder, SOURCES_FILE, chain([(_SOURCES_FORMAT, memo.saved)], parts))
        memo.changed = False


def save_outcome(folder: Path, memo: SourceMemo) -> None:
    """What the build made of its inputs, once it is published."""
    if memo.last_changed or not (folder / OUTCOME_FILE).exists():
        save(folder, OUTCOME_FILE, memo.last)
        memo.last_changed = False


@dataclass
class PlanStore:
    """The last build's plan memo (see :mod:`presse.incremental`): in memory for the dev
    server, loaded from and saved to the cache folder by builds from the command line."""

    memo: PlanMemo | None = None
    changed: bool = False
    saved_token: str = ""  # the structure already on disk

    def keep(self, memo: PlanMemo) -> None:
        self.memo, self.changed = memo, True


def load_plans(folder: Path) -> PlanStore:
    """The plan memo from its two files, if they belong together; its paths interned,
    and its slugs (its articles' pages' origins among them) the articles' own."""
    from presse.incremental import PlanMemo, Skeleton  # they need presse.render: load late
    from presse.publish import Outputs
    from presse.recipes import Recipes
    from presse.render import SitePlan

    structure: Any = load_parts(folder, PLAN_FILE)
    volatile: Any = load(folder, PLAN_KEYS_FILE)
    try:
        token, view, paths, origins, sources, shards, recipes, index, *rest = structure
        same, signature, keys, fingerprints = volatile
        order, *bones = rest
    except (TypeError, ValueError):
        return PlanStore()
    if token != same or len(keys) != len(paths) or len(bones) != len(_BONES) - 1:
        return PlanStore()
    by_name = {shard.name: shard for shard in shards}
    if not isinstance(recipes, Recipes):
        return PlanStore()
    kind = recipes.kind
    shard_of = {n: by_name.get(recipes[n][1]) for n in range(len(recipes)) if kind(n) == "shard"}
    if len(sources) != len(recipes):
        return PlanStore()
    extras = {
        number: (source, shard_of.get(number))
        for number, source in enumerate(sources)
        if source is not None or shard_of.get(number) is not None
    }
    # Interned, as the publisher's manifests intern them: one string for a path, not one
    # in the plan and another in the manifests (0.2 KB an article after an edit).
    paths = tuple(map(sys.intern, paths))
    try:
        outputs = Outputs.of_columns(paths, keys, origins, extras)
    except ValueError:
        return PlanStore()
    makers = Sparse(len(recipes), shard_of)
    plan = SitePlan(view, outputs, makers, tuple(shards), recipes, index)
    skeleton = Skeleton(order, fingerprints, *bones)
    return PlanStore(PlanMemo(signature, skeleton, plan, token), saved_token=token)


_BONES = ("order", "shapes", "related", "sections", "tags", "authors", "archives", "neighbours")
"""The fields of a skeleton the plan's file keeps, in its order (the fingerprints change
with every build: they are kept with the keys)."""


def save_plans(folder: Path, store: PlanStore) -> None:
    memo = store.memo
    if not store.changed or memo is None:
        return
    plan, skeleton = memo.plan, memo.skeleton
    if store.saved_token != memo.token:
        outputs = plan.outputs
        parts = (
            memo.token,
            plan.view,
            outputs.paths,
            outputs.origins,
            [outputs.extras.get(n, (None, None))[0] for n in range(len(outputs))],
            plan.shards,
            plan.recipes,
            plan.index,
            *(getattr(skeleton, bone) for bone in _BONES),
        )
        save_parts(folder, PLAN_FILE, parts, shared=skeleton.order)
        store.saved_token = memo.token
    keys = plan.outputs.keys
    save(folder, PLAN_KEYS_FILE, (memo.token, memo.signature, keys, skeleton.fingerprints))
    store.changed = False


# --- processed photos ------------------------------------------------------------------


PROCESSING_REVISION = 2
"""Bumped when the same source and settings give other bytes (2: the embedded sRGB
profile's date is fixed, where LittleCMS wrote the time of day)."""


def photo_key(source_digest: str, widths: Iterable[int], formats: Iterable[str]) -> str:
    """What a processed photo depends on: the source's bytes, the widths and formats asked
    for, and the encoders (Pillow's version and presse's pinned settings, which change
    with presse's version)."""
    import PIL  # the imaging library's version is part of what the bytes depend on

    text = (
        f"{source_digest}\x00{tuple(widths)}\x00{tuple(formats)}\x00{PIL.__version__}"
        f"\x00{PROCESSING_REVISION}"
    )
    return article_key("photo", text, "")


def crops_key(key: str, focus: tuple[float, float]) -> str:
    """The crops of the photo of ``key`` around ``focus`` (see :func:`presse.imaging.crops`)."""
    return photo_key(key, (), ("crops", repr(focus)))


def load_photo(folder: Path, key: str) -> Photo | None:
    """A photo processed by an earlier build, or None (missing, stale or damaged)."""
    from presse.photos import Photo

    found = load(folder / PHOTOS_DIR / key[:2], key)
    return found if isinstance(found, Photo) else None


def has_photo(folder: Path, key: str) -> bool:
    """An earlier build kept this processed photo (its file exists; :func:`load_photo`
    still checks it)."""
    return (folder / PHOTOS_DIR / key[:2] / key).is_file()


def save_photo(folder: Path, key: str, photo: Photo) -> None:
    """Keep a processed photo: a warm build encodes nothing, an edit only what changed."""
    save(folder / PHOTOS_DIR / key[:2], key, photo)


def retain_photos(folder: Path, keys: Iterable[str]) -> int:
    """Delete the processed photos no longer used; returns how many went."""
    wanted = set(keys)
    removed = 0
    for path in (folder / PHOTOS_DIR).glob("*/*"):
        if path.name not in wanted and not path.name.startswith("."):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


PHOTO_SHAPES_FILE = "photo-shapes.pickle"


@dataclass
class PhotoShapes:
    """What each photo's header and digest gave (its size and key), by path and stat, so
    that a build reads only the photos that changed: an archive's lead photos are
    gigabytes. A photo modified less than :data:`RACY_NS` ago is read again (its stat
    could hide a second change in the same instant)."""

    entries: dict[str, tuple[int, int, int, Any]] = field(default_factory=dict)
    changed: bool = False

    def get(self, path: str, stat: os.stat_result) -> Any | None:
        entry = self.entries.get(path)
        if entry is None or entry[:3] != (stat.st_size, stat.st_mtime_ns, stat.st_ino):
            return None
        return entry[3] if time.time_ns() - stat.st_mtime_ns > RACY_NS else None

    def put(self, path: str, stat: os.stat_result, shape: Any) -> None:
        self.entries[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, shape)
        self.changed = True


def load_photo_shapes(folder: Path) -> PhotoShapes:
    found = load(folder, PHOTO_SHAPES_FILE)
    return found if isinstance(found, PhotoShapes) else PhotoShapes()


def save_photo_shapes(folder: Path, shapes: PhotoShapes) -> None:
    if shapes.changed:
        save(folder, PHOTO_SHAPES_FILE, shapes)
