"""Near-identical bodies among thousands of articles, without comparing every pair. Pure.

Two bodies are near-duplicates when the Jaccard similarity of their sets of word
5-shingles (runs of five words) is at least :data:`THRESHOLD`. Comparing all pairs
is quadratic, so each body gets a MinHash signature, and locality-sensitive hashing
(LSH banding) turns similar signatures into candidate pairs, each then verified
with the exact Jaccard similarity.

The signature is one-permutation MinHash: the 64-bit hashes of a body's shingles
are spread over :data:`SIZE` equal ranges and the smallest hash of each range is
kept (an empty range borrows from the next full one, "densification"). It costs
one sort per body instead of one pass per hash function. Hashes come from
``zlib.crc32`` mixed by a fixed odd multiplier: never ``hash()``, so results do
not depend on ``PYTHONHASHSEED``.

With 25 bands of 5 rows, two bodies of similarity 0.8 become candidates with
probability 1 − (1 − 0.8⁵)²⁵ > 0.9999, and two of similarity 0.3 with about 0.06.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections.abc import Sequence
from itertools import combinations

THRESHOLD = 0.8
SHINGLE = 5  # words per shingle
BANDS = 25
ROWS = 5
SIZE = BANDS * ROWS  # values in a signature

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15  # odd: multiplying by it permutes 64-bit values
# Range b of the hash space is [_BOUNDS[b], _BOUNDS[b + 1]).
_BOUNDS = [-(-(b << 64) // SIZE) for b in range(SIZE + 1)]
# Added per range skipped by densification; more than any value inside one range.
_STEP = _BOUNDS[1] + 1


def shingles(text: str) -> set[str]:
    """Every run of :data:`SHINGLE` consecutive words, lowercased."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared shingles over all shingles: 1.0 for identical sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of ``text``'s shingles; () when it has fewer than five words."""
    hashes = sorted({(zlib.crc32(s.encode()) * _MIX) & _MASK for s in shingles(text)})
    if not hashes:
        return ()
    found: list[int | None] = []
    for b in range(SIZE):
        i = bisect_left(hashes, _BOUNDS[b])
        inside = i < len(hashes) and hashes[i] < _BOUNDS[b + 1]
        found.append(hashes[i] - _BOUNDS[b] if inside else None)
    return _densify(found)


def _densify(found: list[int | None]) -> tuple[int, ...]:
    """Fill each empty range from the next full one (circularly), plus its distance."""
    result = list(found)
    last: tuple[int, int] | None = None  # (value, step) of the nearest full range ahead
    for step in range(2 * SIZE - 1, -1, -1):
        value = found[step % SIZE]
        if value is not None:
            last = (value, step)
        elif last is not None and result[step % SIZE] is None:
            result[step % SIZE] = last[0] + (last[1] - step) * _STEP
    return tuple(v for v in result if v is not None)


def candidate_pairs(signatures: Sequence[tuple[int, ...]]) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, whose signatures agree on at least one whole band."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[tuple[int, ...], list[int]] = {}
        for i, sig in enumerate(signatures):
            if sig:
                buckets.setdefault(sig[band * ROWS : (band + 1) * ROWS], []).append(i)
        for members in buckets.values():
            pairs.update(combinations(members, 2))
    return pairs
