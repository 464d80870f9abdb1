"""Slugs and safe URL paths. Pure functions, no I/O.

A slug is what ends up as a folder name in ``public/``, so everything here
errs on the side of refusing: only ``a-z``, ``0-9`` and single hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into ASCII.
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
    }
)
# Apostrophes join the words they elide: « l’unanimité » → ``lunanimite``.
_APOSTROPHES = re.compile(r"['’ʼ‘`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """Lowercase ASCII slug: accents folded, apostrophes dropped, other runs → ``-``."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_ALNUM.sub("-", text.encode("ascii", "ignore").decode("ascii")).strip("-")


def is_valid_slug(slug: str) -> bool:
    """True for a slug that is safe as one path segment (and as written by :func:`slugify`)."""
    return bool(SLUG_RE.match(slug))


def url_to_output_path(url: str) -> str:
    """Map a site URL path (``/2025/02/x/``) to a relative output file (``2025/02/x/index.html``).

    Raises ValueError for anything that could leave the output folder.
    """
    if not url.startswith("/") or "\\" in url or "\x00" in url:
        raise ValueError(f"unsafe URL path {url!r}")
    segments = [s for s in url.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise ValueError(f"unsafe URL path {url!r}")
    if url.endswith("/"):
        segments.append("index.html")
    return "/".join(segments)
