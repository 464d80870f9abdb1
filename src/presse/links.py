"""Valid URLs out of addresses as people write them. Pure.

Front matter, author files and pasted HTML hold addresses with spaces, « », accents
written as two characters, or an international host name: browsers cope, but feeds,
sitemaps and structured data must carry valid URLs (RFC 3986), and two spellings of one
address must be one address. Every URL presse emits goes through :func:`encode_url`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

# Characters a URL may hold as they are (RFC 3986's reserved and unreserved ones, and %).
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
_NEEDS_ENCODING = re.compile(r"[^A-Za-z0-9!#$%&'()*+,\-./:;=?@\[\]_~]|%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def has_scheme(address: str) -> bool:
    """``address`` starts with a URL scheme (``https:``, ``data:``…): it is no path."""
    return _SCHEME.match(address) is not None


def encode_url(url: str) -> str:
    """``url`` as a valid URL: NFC-normalised (a decomposed « é » and a composed one are
    the same address), spaces, « », quotes and other characters outside RFC 3986
    percent-encoded in UTF-8, a lone ``%`` written ``%25``, an international host name in
    its ASCII (IDNA) form. Valid URLs, and existing ``%XX`` escapes, are left as they are.
    """
    url = unicodedata.normalize("NFC", url.strip())
    if _NEEDS_ENCODING.search(url) is None:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = parts.netloc
        if host and not host.isascii():
            netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    except (ValueError, UnicodeError):
        return _quote(url, "/?#:@")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            _quote(parts.path, "/:@"),
            _quote(parts.query, "/?:@"),
            _quote(parts.fragment, "/?:@"),
        )
    )


def _quote(part: str, extra: str) -> str:
    """Percent-encode what is not allowed in ``part``, keeping valid ``%XX`` escapes."""
    pieces = re.split(r"(%[0-9A-Fa-f]{2})", part)
    return "".join(
        piece if i % 2 else quote(piece, safe="!$&'()*+,;=-._~" + extra)
        for i, piece in enumerate(pieces)
    )
