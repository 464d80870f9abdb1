"""What an output tree holds: output path → key, size and mtime (see :mod:`presse.publish`).

A large archive has about two outputs an article, in each of the publisher's two
trees. Held as a dict of path → entry, a manifest cost 0.13 KB an output for the
entry and 0.06 KB for the dict, at the peak of a build. Here the paths are one sorted
list (the strings are the plan's own) and the entries one ``bytearray`` of rows of 33
bytes beside it, found by bisection: 0.04 KB an output. A small dict holds what does
not fit a row (a key that is not a digest: a static file's stamp) and the paths added
one by one since the last merge; the publisher adds a build's new paths all at once
(:meth:`Manifest.mark_unknown`), before any is written.

A manifest started from a plan (a build into an empty tree, every output unknown) holds
no path of its own: its paths are the plan's, named by their numbers in sorted order
(:class:`SortedView`, four bytes a path), each made when read. The plan holds an article
page's path as the parts around the article's slug; a string a path, held by the plan
and the manifest, was the largest item a cold build kept per article (0.2 KB).
"""

from __future__ import annotations

import heapq
import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from itertools import islice
from typing import Any

from presse.digest import DIGEST_SIZE, digest_bytes

Entry = tuple[str, int, int]  # key, size, mtime_ns

_ROW = struct.Struct(f">B{DIGEST_SIZE}sIq")  # state, key, size, mtime_ns
_WIDTH = _ROW.size
_GONE, _UNKNOWN, _KNOWN = 0, 1, 2  # a row's state: no entry, an unknown file, an entry
_UNKNOWN_ROW = _ROW.pack(_UNKNOWN, bytes(DIGEST_SIZE), 0, 0)
_MERGE_AT = 4096  # paths added one by one before they are merged into the rows
_SORTED_AT_ONCE = 65_536  # paths made into strings at a time, to sort a plan's


def sorted_numbers(strings: Sequence[str]) -> array[int]:
    """The numbers of ``strings`` in the order of the strings (equal ones by number), a
    run at a time, then merged: the strings of a plan's paths, made when read, are never
    all held at once."""
    key = strings.__getitem__
    runs = [
        sorted(range(start, min(start + _SORTED_AT_ONCE, len(strings))), key=key)
        for start in range(0, len(strings), _SORTED_AT_ONCE)
    ]
    if len(runs) == 1:
        return array("I", runs[0])
    return array("I", heapq.merge(*runs, key=key))


class SortedView(Sequence[str]):
    """Some strings of a column held elsewhere (a plan's paths), in sorted order, named by
    their numbers in it: four bytes a string, each made when read."""

    __slots__ = ("_rank", "column", "order")

    def __init__(self, column: Sequence[str], order: array[int]) -> None:
        self.column, self.order = column, order
        self._rank: array[int] | None = None

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return [self.column[n] for n in self.order[position]]
        return self.column[self.order[position]]

    def __iter__(self) -> Iterator[str]:
        return map(self.column.__getitem__, self.order)

    def position(self, number: int) -> int:
        """Where the string numbered ``number`` in the column is (it is one of these)."""
        if self._rank is None:
            rank = array("I", bytes(4 * len(self.column)))
            for position, at in enumerate(self.order):
                rank[at] = position
            self._rank = rank
        return self._rank[number]

    def picked(self, positions: Iterable[int]) -> SortedView:
        """The strings at some positions, in the same column."""
        order = self.order
        return SortedView(self.column, array("I", (order[p] for p in positions)))


def _row(entry: Entry | None) -> bytes | None:
    """An entry as a row; None for one that does not fit (a key that is not a digest, a
    file of 4 GiB or more)."""
    if entry is None:
        return _UNKNOWN_ROW
    raw = digest_bytes(entry[0])
    if raw is None or not 0 <= entry[1] < 1 << 32:
        return None
    return _ROW.pack(_KNOWN, raw, entry[1], entry[2])


class Manifest(MutableMapping[str, Entry | None]):
    """Output path → :data:`Entry`, or None for a file present whose content is unknown."""

    __slots__ = ("_added", "_count", "_lent", "_more", "_paths", "_rows")

    def __init__(self, entries: Mapping[str, Entry | None] | None = None) -> None:
        # Sorted; a path whose row is _GONE has no entry.
        self._paths: list[str] | SortedView = []
        self._rows = bytearray()
        self._count = 0  # rows that are not _GONE
        self._more: dict[str, Entry | None] = {}  # paths without a row in use
        self._added = 0  # paths put in the dict since the last merge
        self._lent = False  # the rows are shared with a copy (see known): copy them to change
        for path, entry in (entries or {}).items():
            self[path] = entry

    def _find(self, path: str) -> int:
        """The number of the row of ``path``, in use or not; -1 if it has none."""
        paths = self._paths
        number = bisect_left(paths, path)
        return number if number < len(paths) and paths[number] == path else -1

    def _writable(self) -> bytearray:
        """The rows, to change: its own copy first if they are shared."""
        if self._lent:
            self._rows, self._lent = bytearray(self._rows), False
        return self._rows

    def _state(self, number: int) -> int:
        return self._rows[number * _WIDTH] if number >= 0 else _GONE

    def __getitem__(self, path: str) -> Entry | None:
        more = self._more
        if path in more:
            return more[path]
        number = self._find(path)
        state = self._state(number)
        if state == _GONE:
            raise KeyError(path)
        if state == _UNKNOWN:
            return None
        _, raw, size, mtime_ns = _ROW.unpack_from(self._rows, number * _WIDTH)
        return raw.hex(), size, mtime_ns

    def get(self, path: str, default: Any = None) -> Any:
        try:
            return self[path]
        except KeyError:
            return default

    def key(self, path: str) -> str | None:
        """The key of the output at ``path``; None when absent or unknown."""
        entry = self.get(path)
        return entry[0] if entry is not None else None

    def stamp(self, path: str) -> tuple[int, int] | None:
        """The size and mtime of the file at ``path``; None when absent or unknown."""
        entry = self.get(path)
        return (entry[1], entry[2]) if entry is not None else None

    def __setitem__(self, path: str, entry: Entry | None) -> None:
        row = _row(entry)
        number = self._find(path)
        more = self._more
        if number >= 0:
            if row is not None:
                if self._set_row(number, row):
                    more.pop(path, None)
                return
            rows = self._writable()
            if rows[number * _WIDTH] != _GONE:
                rows[number * _WIDTH] = _GONE
                self._count -= 1
        more[path] = entry
        self._added += 1
        if self._added > max(_MERGE_AT, len(self._paths) // 4):
            self._merge({})

    def start(self, column: Sequence[str], order: array[int]) -> None:
        """Make an empty manifest hold every path of ``column`` (a plan's, distinct, in
        the sorted ``order`` of their numbers), unknown: its paths are the column's."""
        if len(self):
            raise ValueError("a manifest is started empty")
        self._paths = SortedView(column, order)
        self._rows = bytearray(_UNKNOWN_ROW) * len(order)
        self._count, self._more, self._added, self._lent = len(order), {}, 0, False

    def put(self, column: Sequence[str], number: int, entry: Entry | None) -> None:
        """Give the path ``column[number]`` its ``entry``: found by its number when the
        manifest was started from ``column`` (no search among strings made one by one)."""
        paths, row = self._paths, _row(entry)
        if isinstance(paths, SortedView) and paths.column is column and row is not None:
            if self._set_row(paths.position(number), row):
                self._more.pop(column[number], None)
        else:
            self[column[number]] = entry

    def _set_row(self, number: int, row: bytes) -> bool:
        """Row ``number`` set to ``row``, an entry; True when it was not in use (its path
        may then have an entry in the dict, for the caller to drop)."""
        offset = number * _WIDTH
        rows = self._writable()
        unused = rows[offset] == _GONE
        self._count += unused
        rows[offset : offset + _WIDTH] = row
        return unused

    def own_paths(self) -> None:
        """Hold its paths as strings of its own (interned: one for both trees), not a
        plan's by number: a manifest kept in memory for the builds to come, which look
        paths up one by one (each search would make a score of strings)."""
        if isinstance(self._paths, SortedView):
            self._paths = list(map(sys.intern, self._paths))

    def mark_unknown(self, paths: Iterable[str]) -> None:
        """Mark ``paths`` unknown (a journal), those new to the manifest added at once."""
        added: dict[str, bytes] = {}
        for path in paths:
            number = self._find(path)
            if number >= 0:
                self[path] = None
            else:
                self._more.pop(path, None)
                added[path] = _UNKNOWN_ROW
        if added:
            self._merge(added)

    def _merge(self, added: dict[str, bytes]) -> None:
        """Rebuild the rows with ``added`` (new paths → rows) and the entries of the dict
        that fit a row; rows no longer in use are left out."""
        for path, entry in list(self._more.items()):
            row = _row(entry)
            if row is not None:
                added[path] = row
                del self._more[path]
        new = sorted(added)
        paths: list[str] = []
        rows = bytearray()
        old, old_rows = self._paths, self._rows
        at = 0
        for number, path in enumerate(old):
            while at < len(new) and new[at] < path:
                paths.append(new[at])
                rows += added[new[at]]
                at += 1
            offset = number * _WIDTH
            if old_rows[offset] != _GONE:
                paths.append(path)
                rows += old_rows[offset : offset + _WIDTH]
        for path in islice(new, at, None):
            paths.append(path)
            rows += added[path]
        self._paths, self._rows, self._count, self._added = paths, rows, len(paths), 0
        self._lent = False

    def __delitem__(self, path: str) -> None:
        if path in self._more:
            del self._more[path]
            return
        number = self._find(path)
        if self._state(number) == _GONE:
            raise KeyError(path)
        self._writable()[number * _WIDTH] = _GONE
        self._count -= 1

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        return path in self._more or self._state(self._find(path)) != _GONE

    def __iter__(self) -> Iterator[str]:
        rows = self._rows
        for number, path in enumerate(self._paths):
            if rows[number * _WIDTH] != _GONE:
                yield path
        yield from list(self._more)

    def __len__(self) -> int:
        return self._count + len(self._more)

    def known(self) -> Manifest:
        """A copy holding only the entries (not the unknown files): the same rows, until
        either changes, when no row is unknown (a site just published, whose tree is
        copied: a second set of rows of the whole site was the peak of a cold build)."""
        copy = Manifest()
        rows, paths = self._rows, self._paths
        states = rows[::_WIDTH]
        copy._count = states.count(_KNOWN)
        if _UNKNOWN not in states:  # rows of no entry (_GONE) are none in the copy either
            copy._paths, copy._rows = paths, rows
            copy._lent = self._lent = True
        else:
            kept = array("I", (n for n in range(len(paths)) if rows[n * _WIDTH] == _KNOWN))
            for number in kept:
                copy._rows += rows[number * _WIDTH : (number + 1) * _WIDTH]
            copy._paths = (
                paths.picked(kept) if isinstance(paths, SortedView) else [paths[n] for n in kept]
            )
        copy._more = {path: entry for path, entry in self._more.items() if entry is not None}
        return copy

    # --- stored -------------------------------------------------------------------

    def parts(self, size: int) -> Iterator[Any]:
        """The manifest in parts of ``size`` rows (see :func:`presse.cache.save_stream`):
        their number, then each as its paths and rows, then the dict. As it is: merged
        first, it would be held twice at the end of a build."""
        count = -(-len(self._paths) // size)
        yield count
        for start in range(0, len(self._paths), size):
            end = min(start + size, len(self._paths))
            yield tuple(self._paths[start:end]), bytes(self._rows[start * _WIDTH : end * _WIDTH])
        yield self._more

    @classmethod
    def of_parts(cls, parts: Iterator[Any]) -> Manifest:
        """The manifest :meth:`parts` gave, its paths interned (shared with the other
        tree's and with the plan's when it reads them back)."""
        manifest = cls()
        every: list[str] = []
        for _ in range(next(parts)):
            paths, rows = next(parts)
            if len(rows) != len(paths) * _WIDTH:
                raise ValueError("a part of a manifest with rows missing")
            every.extend(map(sys.intern, paths))
            manifest._rows += rows
        manifest._paths = every
        manifest._more = {sys.intern(path): entry for path, entry in next(parts).items()}
        manifest._count = len(manifest._paths) - manifest._rows[::_WIDTH].count(_GONE)
        return manifest

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (list(self.parts(len(self._paths) or 1)),))


def _rebuilt(parts: list[Any]) -> Manifest:
    return Manifest.of_parts(iter(parts))
