"""Fingerprints of build inputs, for the caches. Pure.

A fingerprint is a digest of everything an output depends on, computed on every build:
when it matches the previous build's, the expensive work (parsing, rendering) can be
skipped safely, with no dependency graph to get wrong. Articles stand for themselves by
their own fingerprint (their source text, the config and the presse version), so a
page's digest does not need to hash article bodies again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from presse import __version__
from presse.columns import Column, Picked
from presse.config import SiteConfig
from presse.model import SourceFile

DIGEST_SIZE = 20  # bytes of every digest here (hex: twice as many characters)
_SIZE = DIGEST_SIZE
_HEX = 2 * _SIZE


def content_digest(data: bytes) -> str:
    """A digest of a source file's bytes (kept by the source memo, with the file's stat)."""
    return hashlib.blake2b(data, digest_size=_SIZE).hexdigest()


def article_key(path: str, content: str, config: str) -> str:
    """What a parsed article depends on: presse, the config (its ``repr``), the file's
    path (POSIX, relative to the site) and the digest of its bytes."""
    text = f"{__version__}\x00{config}\x00{path}\x00{content}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_SIZE).hexdigest()


def source_fingerprint(source: SourceFile, config: SiteConfig) -> str:
    """The parse-cache key of a source read from disk: see :func:`article_key`."""
    return article_key(source.path.as_posix(), content_digest(source.data), repr(config))


def value_fingerprint(*values: Any) -> str:
    """A digest of plain values, dataclasses and containers, through their ``repr``.

    Every type that reaches a template has a deterministic ``repr``: dataclasses, tuples,
    dicts in insertion order, dates, and articles, whose ``repr`` is their own fingerprint
    (so a page digest never hashes article bodies again). Sets, whose order varies
    between processes, must not be used in template data.

    Long lists are hashed a stretch at a time (see :func:`_feed`): as one ``repr``, a
    sitemap's 50 000 addresses or the tags index of a large archive made a string of
    tens of megabytes, and its bytes as much again: the peak of a build's planning.
    """
    digest = hashlib.blake2b(digest_size=_SIZE)
    _feed(digest, values)
    return digest.hexdigest()


STRETCH = 256  # items of a long list or tuple hashed through one repr
_NESTED = (list, tuple, dict, Picked)  # Picked: a tuple (see _feed)


def _feed(digest: Any, value: Any) -> None:
    """``value`` into ``digest``: a dict, or a list or tuple that is long or holds a
    container, item by item (each marked, so that no two values feed the same bytes);
    anything else through its ``repr``. A :class:`~presse.columns.Picked` stands for
    its tuple, which a plan read back holds instead."""
    if type(value) is Picked:
        value = tuple(value)
    kind = type(value)
    if kind is dict:
        digest.update(b"{%d" % len(value))
        for key, item in value.items():
            _feed(digest, key)
            digest.update(b"\x1e")
            _feed(digest, item)
            digest.update(b"\x1f")
        digest.update(b"}")
        return
    if kind is list or kind is tuple:
        long = len(value) > STRETCH
        if long or any(type(item) in _NESTED for item in value):
            digest.update((b"[%d" if kind is list else b"(%d") % len(value))
            if long:
                for start in range(0, len(value), STRETCH):
                    _feed(digest, tuple(value[start : start + STRETCH]))
            else:
                for item in value:
                    if type(item) in _NESTED:
                        _feed(digest, item)
                    else:
                        digest.update(repr(item).encode("utf-8", "surrogatepass"))
                    digest.update(b"\x1f")
            digest.update(b"]" if kind is list else b")")
            return
    digest.update(repr(value).encode("utf-8", "surrogatepass"))


def templates_fingerprint(folders: Iterable[Path], config: SiteConfig) -> str:
    """Everything a template's output depends on besides its data: every template file,
    the message catalogues, the config and presse itself."""
    digest = hashlib.blake2b(digest_size=_SIZE)
    digest.update(f"{__version__}\x00{config!r}\x00".encode())
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\x00")
            digest.update(path.read_bytes() + b"\x00")
    locale = resources.files("presse") / "locale"
    for po in sorted(Path(str(locale)).rglob("*.po")):
        digest.update(po.read_bytes())
    return digest.hexdigest()


class Digests(Column[str]):
    """A column of hex digests (an output's key, an article's fingerprint) held as their
    bytes, end to end in one ``bytes``: as strings of 40 characters they cost 0.09 KB
    each, and a large archive's plan holds a few an article from build to build. Any
    other string (a static file's stamp) is kept as it is, by its position."""

    __slots__ = ("_odd", "_raw")

    def __init__(self, values: Iterable[str] = ()) -> None:
        built = DigestsBuilder()
        for value in values:
            built.append(value)
        self._raw, self._odd = bytes(built.raw), built.odd

    @classmethod
    def of_raw(cls, digests: Iterable[bytes]) -> Digests:
        """The column of digests given as their bytes (an article's ``digest``): not
        written out in hex to be read back."""
        raw = b"".join(digests)
        if len(raw) % _SIZE:
            raise ValueError(f"digests of {_SIZE} bytes")
        return _digests_of(raw, {})

    def __len__(self) -> int:
        return len(self._raw) // _SIZE

    def __getitem__(self, number: Any) -> Any:
        if isinstance(number, slice):
            return self._items(number)
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError("digest number out of range")
        odd = self._odd.get(number)
        if odd is not None:
            return odd
        return self._raw[number * _SIZE : (number + 1) * _SIZE].hex()

    def __iter__(self) -> Iterator[str]:
        odd, raw = self._odd, self._raw
        for number in range(len(self)):
            value = odd.get(number)
            yield value if value is not None else raw[number * _SIZE : (number + 1) * _SIZE].hex()

    def replaced(self, changes: Mapping[int, str]) -> Digests:
        """A copy with the digests at some positions changed."""
        built = DigestsBuilder(self)
        for number, value in changes.items():
            built.put(number, value)
        return built.finish()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Digests):
            return self._raw == other._raw and self._odd == other._odd
        return super().__eq__(other)

    __hash__ = None  # unhashable, as a list

    def __reduce__(self) -> tuple[Any, ...]:
        return (_digests_of, (self._raw, self._odd))


class DigestsOf(Column[str]):
    """The fingerprints of a sequence of articles (anything with a ``digest``: its raw
    bytes), read from them when asked: a cold build's skeleton holds its site's so, not
    a copy of them (20 bytes an article). Saved with the plan, or changed, they are
    :class:`Digests`."""

    __slots__ = ("_articles",)

    def __init__(self, articles: Sequence[Any]) -> None:
        self._articles = articles

    def digests(self) -> Digests:
        """The fingerprints copied out, as :class:`Digests`."""
        return Digests.of_raw(article.digest for article in self._articles)

    def replaced(self, changes: Mapping[int, str]) -> Digests:
        """A copy with the digests at some positions changed (see :meth:`Digests.replaced`)."""
        return self.digests().replaced(changes)

    def __len__(self) -> int:
        return len(self._articles)

    def __getitem__(self, number: Any) -> Any:
        if isinstance(number, slice):
            return self._items(number)
        return self._articles[number].digest.hex()

    def __iter__(self) -> Iterator[str]:
        return (article.digest.hex() for article in self._articles)

    def __reduce__(self) -> tuple[Any, ...]:
        return self.digests().__reduce__()


class DigestsBuilder:
    """:class:`Digests` filled one at a time: a plan's keys as its pages are planned,
    each key's string let go at once (held until the end, they were a sixth of the peak
    of planning an archive)."""

    __slots__ = ("odd", "raw")

    def __init__(self, start: Digests | None = None) -> None:
        self.raw: bytearray = bytearray(start._raw if start is not None else b"")
        self.odd: dict[int, str] = dict(start._odd) if start is not None else {}

    def append(self, value: str) -> None:
        self.put(len(self.raw) // _SIZE, value)

    def put(self, number: int, value: str) -> None:
        """The digest at ``number`` (one already there, or the next) is ``value``."""
        packed = digest_bytes(value)
        self.odd.pop(number, None)
        if packed is None:
            self.odd[number] = value
            packed = bytes(_SIZE)
        self.raw[number * _SIZE : (number + 1) * _SIZE] = packed

    def finish(self) -> Digests:
        return _digests_of(bytes(self.raw), self.odd)


def _digests_of(raw: bytes, odd: dict[int, str]) -> Digests:
    digests = Digests()
    digests._raw, digests._odd = raw, odd
    return digests


def digest_bytes(value: str) -> bytes | None:
    """The bytes of a hex digest as this module makes them, None for any other string (one
    that would not read back the same: upper case, spaced)."""
    if len(value) != _HEX:
        return None
    try:
        packed = bytes.fromhex(value)
    except ValueError:
        return None
    return packed if packed.hex() == value else None
