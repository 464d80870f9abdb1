"""Slugs and safe URL paths. Pure functions, no I/O.

A slug is what ends up as a folder name in ``public/``, so everything here
errs on the side of refusing: only ``a-z``, ``0-9`` and single hyphens, at most
:data:`MAX_SLUG_LENGTH` characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

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
MAX_SLUG_LENGTH = 200
"""A slug is a folder name: file systems refuse names over 255 bytes. Longer slugs made
from a title are cut between words; a longer ``slug`` field is refused."""


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """Lowercase ASCII slug: accents folded, apostrophes dropped, other runs → ``-``."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.lower())
    slug = _NON_ALNUM.sub("-", text.encode("ascii", "ignore").decode("ascii")).strip("-")
    return _shorten(slug) if len(slug) > MAX_SLUG_LENGTH else slug


def _shorten(slug: str) -> str:
    """At most :data:`MAX_SLUG_LENGTH` characters, cut between words when there is one."""
    cut = slug[: MAX_SLUG_LENGTH + 1]
    if "-" in cut:
        return cut.rsplit("-", 1)[0].rstrip("-")
    return cut[:MAX_SLUG_LENGTH]


def is_valid_slug(slug: str) -> bool:
    """True for a slug that is safe as one path segment (and as written by :func:`slugify`)."""
    return len(slug) <= MAX_SLUG_LENGTH and bool(SLUG_RE.match(slug))


def url_to_output_path(url: str) -> str:
    """Map a site URL path (``/2025/02/x/``) to a relative output file (``2025/02/x/index.html``).

    Raises ValueError for anything that could leave the output folder.
    """
    if not url.startswith("/") or "\\" in url or "\x00" in url:
        raise ValueError(f"unsafe URL path {url!r}")
    if "/." in url or "//" in url:  # rare: look at each segment
        segments = [s for s in url.split("/") if s]
        if any(s in (".", "..") for s in segments):
            raise ValueError(f"unsafe URL path {url!r}")
        if url.endswith("/"):
            segments.append("index.html")
        return "/".join(segments)
    return url[1:] + "index.html" if url.endswith("/") else url[1:]


def folder_url(path: str) -> str | None:
    """The inverse of :func:`url_to_output_path` for a folder's page: ``/tag/ecole/`` for
    ``tag/ecole/index.html``, ``/`` for ``index.html``; None for any other path."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return f"/{path.removesuffix('index.html')}"
    return None


def _plain(reference: str) -> bool:
    """No character a browser strips or reinterprets in a URL: tabs, newlines, controls
    (``java<TAB>script:`` runs as ``javascript:``). Plain spaces are allowed."""
    return reference.isprintable()


def is_site_path(reference: str) -> bool:
    """A path served by this site (``/images/a.jpg``): one leading ``/``, no backslash
    (browsers read ``/\\host`` as ``//host``)."""
    return (
        reference.startswith("/")
        and not reference.startswith("//")
        and "\\" not in reference
        and _plain(reference)
    )


def is_web_url(reference: str) -> bool:
    """An absolute ``http``/``https`` URL with a host, nothing else a browser could run."""
    if not _plain(reference):
        return False
    try:
        parts = urlsplit(reference)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_safe_link(reference: str) -> bool:
    """A site path or an http(s) URL. Links and images taken from sources must pass this:
    ``javascript:``, ``data:``, ``vbscript:`` and protocol-relative ``//host`` never do."""
    return is_site_path(reference) or is_web_url(reference)
