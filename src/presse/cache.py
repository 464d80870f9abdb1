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
import os
import pickle
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from presse import __version__
from presse.config import SiteConfig
from presse.digest import source_fingerprint
from presse.model import Article, SourceFile

# The format number changes whenever a cached class changes shape or pickled state
# (2: Body holds packed HTML; 3: model classes pickle as plain tuples).
MAGIC = b"presse-cache-3\x00"
HEADER = MAGIC + __version__.encode() + b"\x00"  # then a SHA-256 of the pickled payload
ARTICLES_FILE = "articles.pickle"
OUTPUTS_FILE = "outputs.pickle"


@dataclass
class ParseCache:
    """Parsed articles by fingerprint; counts hits and misses for reports and tests."""

    entries: dict[str, Article] = field(default_factory=dict)
    relations: dict[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    changed: bool = False

    def key(self, source: SourceFile, config: SiteConfig) -> str:
        return source_fingerprint(source, config)

    def get(self, key: str) -> Article | None:
        article = self.entries.get(key)
        if article is None:
            self.misses += 1
        else:
            self.hits += 1
        return article

    def put(self, key: str, article: Article) -> None:
        self.entries[key] = article
        self.changed = True

    def retain(self, keys: set[str]) -> None:
        """Forget entries not used by the last build, so memory tracks the corpus."""
        stale = self.entries.keys() - keys
        for key in stale:
            del self.entries[key]
        self.changed = self.changed or bool(stale)


@dataclass
class OutputDigests:
    """The digest of each output of the last build (path → digest), and of its search index."""

    files: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # digest, size, mtime
    search: str = ""
    site: str = ""  # digest of everything the whole site was made from


def load(folder: Path, name: str) -> Any | None:
    """The object stored in ``folder/name``, or None if missing, stale or damaged."""
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
    try:
        return pickle.loads(payload)
    except Exception:  # a damaged cache is ignored, whatever the damage
        return None


def save(folder: Path, name: str, value: Any) -> None:
    """Store ``value`` atomically: a reader sees the old file or the new one."""
    folder.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned(folder, name)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(HEADER + bytes(32))  # the checksum goes there once it is known
            hashing = _HashingWriter(stream)
            # Pickled straight to the file: the payload of a big archive is hundreds of MB.
            pickle.dump(value, hashing, protocol=pickle.HIGHEST_PROTOCOL)
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
    stored = load(folder, ARTICLES_FILE)
    if not isinstance(stored, dict) or set(stored) != {"articles", "relations"}:
        return ParseCache()
    return ParseCache(entries=stored["articles"], relations=stored["relations"])


def save_parse_cache(folder: Path, cache: ParseCache) -> None:
    save(folder, ARTICLES_FILE, {"articles": cache.entries, "relations": cache.relations})


def load_output_digests(folder: Path) -> OutputDigests:
    digests = load(folder, OUTPUTS_FILE)
    return digests if isinstance(digests, OutputDigests) else OutputDigests()
