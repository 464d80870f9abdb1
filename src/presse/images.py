"""The intrinsic pixel size of an image, read from its header.

Pure: it works on bytes already in memory and does no I/O. Templates use the result to
emit ``width``/``height`` attributes (so the browser reserves the space and the layout
does not shift) and the Open Graph ``og:image:width``/``og:image:height`` tags.

:func:`image_size` understands PNG, JPEG, GIF, WebP (lossy ``VP8``, lossless ``VP8L``
and extended ``VP8X``), AVIF and SVG. It only reads headers, never decodes pixels, and
never raises: unknown formats and truncated or corrupt data give ``None``.

Sizes are the stored ones. JPEG EXIF orientation is *not* applied (a portrait photo
stored sideways with an orientation tag is reported in its stored, landscape size).
AVIF rotation (``irot``) *is* applied; AVIF clean-aperture cropping (``clap``) is not.
Compressed SVG (``.svgz``) is not recognised.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["ImageSize", "image_size"]


@dataclass(frozen=True, slots=True)
class ImageSize:
    """An image's width and height in pixels (both at least 1) and its MIME type."""

    width: int
    height: int
    mime_type: str
    photo: str = ""  # a photo published as variants: its key (presse.cache.photo_key)
    transparent: bool = False  # such a photo's fallback is PNG, not JPEG
    file: str = ""  # such a photo's file, which its variants are made from
    credit: str = ""  # such a photo's credit, from its sidecar (« Photo : … »)


def image_size(data: bytes) -> ImageSize | None:
    """The size of a PNG, JPEG, GIF, WebP (VP8, VP8L, VP8X), AVIF or SVG image.

    ``None`` if the format is unknown or the data is truncated or corrupt. Never raises.
    """
    if data.startswith(_PNG_SIGNATURE):
        return _png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data.startswith((b"GIF87a", b"GIF89a")):
        return _gif(data)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp(data)
    if data[4:8] == b"ftyp":
        return _avif(data)
    return _svg(data)


def _size(width: int, height: int, mime_type: str) -> ImageSize | None:
    if width < 1 or height < 1:
        return None
    return ImageSize(width, height, mime_type)


# --- PNG ----------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png(data: bytes) -> ImageSize | None:
    # Signature, then the IHDR chunk: length (13), type, width, height (big-endian).
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack_from(">II", data, 16)
    if width > 0x7FFFFFFF or height > 0x7FFFFFFF:  # the PNG spec's limit
        return None
    return _size(width, height, "image/png")


# --- GIF ----------------------------------------------------------------------------------


def _gif(data: bytes) -> ImageSize | None:
    # "GIF87a"/"GIF89a", then the logical screen width and height (little-endian).
    if len(data) < 10:
        return None
    width, height = struct.unpack_from("<HH", data, 6)
    return _size(width, height, "image/gif")


# --- WebP ---------------------------------------------------------------------------------


def _webp(data: bytes) -> ImageSize | None:
    # "RIFF" size "WEBP", then the first chunk: fourcc, size, payload at offset 20.
    if len(data) < 20:
        return None
    fourcc = data[12:16]
    (chunk_size,) = struct.unpack_from("<I", data, 16)
    if fourcc == b"VP8 ":
        # Frame tag (3 bytes, bit 0 clear on a key frame), start code, 14-bit sizes.
        if len(data) < 30 or chunk_size < 10:
            return None
        if data[20] & 1 or data[23:26] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack_from("<HH", data, 26)
        return _size(width & 0x3FFF, height & 0x3FFF, "image/webp")
    if fourcc == b"VP8L":
        # Signature byte 0x2f, then 14 bits width - 1, 14 bits height - 1, 3-bit version 0.
        if len(data) < 25 or chunk_size < 5 or data[20] != 0x2F:
            return None
        (bits,) = struct.unpack_from("<I", data, 21)
        if bits >> 29:
            return None
        return _size((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, "image/webp")
    if fourcc == b"VP8X":
        # Flags and reserved (4 bytes), then 24-bit canvas width - 1 and height - 1.
        if len(data) < 30 or chunk_size < 10:
            return None
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _size(width, height, "image/webp")
    return None


# --- JPEG ---------------------------------------------------------------------------------

# Start-of-frame markers: baseline, extended, progressive, lossless, differential,
# arithmetic. Not C4 (DHT), C8 (reserved JPG) or CC (DAC).
_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)
# Markers without a length field that may appear between segments: TEM and RST0-7.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def _jpeg(data: bytes) -> ImageSize | None:
    """Walk the marker segments after SOI up to the first SOFn.

    Every step moves forward by at least one byte, so this always ends.
    """
    n = len(data)
    i = 2
    while i < n:
        if data[i] != 0xFF:
            return None  # garbage where a marker should be
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            return None
        marker = data[i]
        i += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0x00, 0xD8, 0xD9, 0xDA):
            # Stuffed zero, a second SOI, EOI or start of scan before any frame header.
            return None
        if i + 2 > n:
            return None
        (length,) = struct.unpack_from(">H", data, i)
        if length < 2 or i + length > n:
            return None  # a length that is impossible or points past the end
        if marker in _JPEG_SOF:
            # Length, sample precision, number of lines, samples per line, ...
            if length < 8:
                return None
            height, width = struct.unpack_from(">HH", data, i + 3)
            return _size(width, height, "image/jpeg")  # height 0 (DNL) gives None
        i += length
    return None


# --- AVIF (ISO base media file format) ----------------------------------------------------

_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_MAX_BOXES = 4096  # per container; generous for real files, bounded for hostile ones


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """Yield ``(type, payload start, box end)`` for the boxes in ``data[start:end]``.

    Stops at the first box that is malformed or does not fit; never goes backwards.
    """
    pos = start
    for _ in range(_MAX_BOXES):
        if pos + 8 > end:
            return
        size, box_type = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos  # extends to the end of its container
        if size < header or pos + size > end:
            return
        yield box_type, pos + header, pos + size
        pos += size


def _child(data: bytes, start: int, end: int, wanted: bytes) -> tuple[int, int] | None:
    for box_type, payload, box_end in _boxes(data, start, end):
        if box_type == wanted:
            return payload, box_end
    return None


def _avif(data: bytes) -> ImageSize | None:
    n = len(data)
    ftyp = _child(data, 0, n, b"ftyp")
    if ftyp is None:
        return None
    start, end = ftyp
    if end - start < 8:
        return None
    brands = {data[start : start + 4]}
    brands.update(data[p : p + 4] for p in range(start + 8, end - 3, 4))
    if not brands & _AVIF_BRANDS:
        return None  # HEIF/HEIC or MP4: same container, other formats

    meta = _child(data, 0, n, b"meta")
    if meta is None or meta[1] - meta[0] < 4:
        return None
    meta_start, meta_end = meta[0] + 4, meta[1]  # skip the FullBox version and flags
    iprp = _child(data, meta_start, meta_end, b"iprp")
    if iprp is None:
        return None
    ipco = _child(data, iprp[0], iprp[1], b"ipco")
    if ipco is None:
        return None
    properties = list(_boxes(data, ipco[0], ipco[1]))

    # The primary item's properties (ipco indices are 1-based; 0 means "none"). Without a
    # usable pitm/ipma association, fall back to the first ispe and ignore rotation.
    primary = _primary_item(data, meta_start, meta_end)
    indices = [] if primary is None else _item_properties(data, iprp, primary)
    chosen = [properties[k - 1] for k in indices if 0 < k <= len(properties)]
    associated = any(t == b"ispe" for t, _, _ in chosen)
    if not associated:
        chosen = [box for box in properties if box[0] == b"ispe"][:1]

    spatial = next(((p, e) for t, p, e in chosen if t == b"ispe"), None)
    if spatial is None or spatial[1] - spatial[0] < 12:
        return None
    width, height = struct.unpack_from(">II", data, spatial[0] + 4)
    rotation = next((data[p] & 3 for t, p, e in chosen if t == b"irot" and e > p), 0)
    if rotation % 2:  # 90 or 270 degrees anticlockwise
        width, height = height, width
    return _size(width, height, "image/avif")


def _primary_item(data: bytes, start: int, end: int) -> int | None:
    pitm = _child(data, start, end, b"pitm")
    if pitm is None:
        return None
    payload, box_end = pitm
    if payload + 6 <= box_end and data[payload] == 0:
        return int(struct.unpack_from(">H", data, payload + 4)[0])
    if payload + 8 <= box_end and data[payload] > 0:
        return int(struct.unpack_from(">I", data, payload + 4)[0])
    return None


def _item_properties(data: bytes, iprp: tuple[int, int], item: int) -> list[int]:
    """The ipco indices associated with ``item`` by the ipma boxes of ``iprp``."""
    found: list[int] = []
    for box_type, payload, end in _boxes(data, iprp[0], iprp[1]):
        if box_type != b"ipma" or payload + 8 > end:
            continue
        version = data[payload]
        wide = data[payload + 3] & 1  # flags: 15-bit rather than 7-bit indices
        (count,) = struct.unpack_from(">I", data, payload + 4)
        pos = payload + 8
        id_size = 2 if version < 1 else 4
        entry_size = 2 if wide else 1
        for _ in range(count):  # each entry consumes bytes, so the bounds end this loop
            if pos + id_size + 1 > end:
                break
            item_id = int.from_bytes(data[pos : pos + id_size], "big")
            associations = data[pos + id_size]
            pos += id_size + 1
            if pos + associations * entry_size > end:
                break
            if item_id == item:
                for k in range(associations):
                    entry = data[pos + k * entry_size : pos + (k + 1) * entry_size]
                    value = int.from_bytes(entry, "big")
                    found.append(value & (0x7FFF if wide else 0x7F))
            pos += associations * entry_size
    return found


# --- SVG ----------------------------------------------------------------------------------
#
# No XML parser: xml.etree expands entities (billion laughs) and would read the whole
# document. The prolog is skipped with anchored regexes over a bounded head, then the
# root start tag is matched within the next 4 KB. Every pattern is linear: alternatives
# start with distinct characters and quoted strings cannot contain their own quote.

_SVG_HEAD_BYTES = 64 * 1024  # room for a long licence comment before the root
_SVG_TAG_CHARS = 4096

_PROLOG = re.compile(
    r"""\s+
    | <\?.*?\?>                                   # XML declaration, processing instructions
    | <!--.*?-->                                  # comments
    | <!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*')*      # DOCTYPE ...
      (?:\[(?:[^\]"']|"[^"]*"|'[^']*')*\]\s*)?>   # ... with an optional internal subset
    """,
    re.DOTALL | re.VERBOSE,
)
_SVG_TAG = re.compile(
    r"""<(?:[A-Za-z_][\w.-]*:)?svg
    ((?:\s+[^\s=/>"'<]+\s*=\s*(?:"[^"]*"|'[^']*'))*)
    \s*/?>""",
    re.VERBOSE,
)
_ATTRIBUTE = re.compile(r"""([^\s=/>"'<]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_LENGTH = re.compile(rf"\s*({_NUMBER})\s*(?:px)?\s*")
_VIEWBOX_SEPARATOR = re.compile(r"[\s,]+")


def _svg(data: bytes) -> ImageSize | None:
    text = _svg_head(data[:_SVG_HEAD_BYTES])
    if text is None:
        return None
    pos = 0
    while (prolog := _PROLOG.match(text, pos)) is not None:
        pos = prolog.end()
    tag = _SVG_TAG.match(text[pos : pos + _SVG_TAG_CHARS])
    if tag is None:
        return None
    attributes: dict[str, str] = {}
    for name, double, single in _ATTRIBUTE.findall(tag.group(1)):
        attributes.setdefault(name, double or single)

    width = _svg_length(attributes.get("width"))
    height = _svg_length(attributes.get("height"))
    box = _svg_viewbox(attributes.get("viewBox"))
    if width is None or height is None:
        if box is None:
            return None
        # A missing or relative dimension follows the viewBox, keeping its aspect ratio
        # when the other dimension is an absolute length (as browsers size an <img>).
        if width is not None:
            height = width * box[1] / box[0]
        elif height is not None:
            width = height * box[0] / box[1]
        else:
            width, height = box
    return _size(_round(width), _round(height), "image/svg+xml")


def _svg_head(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text if text.lstrip().startswith("<") else None


def _svg_length(value: str | None) -> float | None:
    """A positive width or height in user units (plain number or px), else None."""
    if value is None:
        return None
    match = _LENGTH.fullmatch(value)
    if match is None:
        return None  # %, em, cm, auto, ...: not an intrinsic pixel size
    number = float(match.group(1))
    return number if 0 < number < math.inf else None


def _svg_viewbox(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    parts = [p for p in _VIEWBOX_SEPARATOR.split(value.strip()) if p]
    if len(parts) != 4 or not all(re.fullmatch(_NUMBER, p) for p in parts):
        return None
    width, height = float(parts[2]), float(parts[3])
    if not (0 < width < math.inf and 0 < height < math.inf):
        return None
    return width, height


def _round(value: float) -> int:
    """Round half up, at least 1 pixel; a non-finite ratio gives 0 (rejected later)."""
    if not math.isfinite(value):
        return 0
    return max(1, math.floor(value + 0.5))
