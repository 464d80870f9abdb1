"""Draw the sample site's share image and publisher logo as PNG, with the standard library.

Raster formats are what Open Graph readers and Google's structured data expect; the
sample site's SVG favicon would not do. Run from the repository root:

    python scripts/make_sample_images.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

INK = (11, 74, 139)  # the theme's accent blue
PAPER = (255, 255, 255)


def png(width: int, height: int, pixel: object) -> bytes:
    """A truecolour PNG; ``pixel(x, y)`` returns an (r, g, b) tuple."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width))  # type: ignore[operator]
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def monogram(x: int, y: int, left: int, top: int, size: int) -> bool:
    """A bold "Q" made of rectangles, inside a square of side ``size`` at (left, top)."""
    u = size // 10
    inside = left <= x < left + size and top <= y < top + size
    ring = inside and not (left + 2 * u <= x < left + 8 * u and top + 2 * u <= y < top + 8 * u)
    tail = left + 6 * u <= x < left + 10 * u and top + 8 * u <= y < top + 11 * u
    return ring or tail


def share(x: int, y: int) -> tuple[int, int, int]:
    if monogram(x, y, 520, 175, 160) or 100 <= y < 106 or 524 <= y < 530:
        return PAPER
    return INK


def logo(x: int, y: int) -> tuple[int, int, int]:
    if monogram(x, y, 8, 8, 40):
        return INK
    if 64 <= x < 592 and (18 <= y < 22 or 38 <= y < 42):
        return INK
    return PAPER


if __name__ == "__main__":
    images = Path("static/images")
    images.mkdir(parents=True, exist_ok=True)
    (images / "partage.png").write_bytes(png(1200, 630, share))
    (images / "logo.png").write_bytes(png(600, 60, logo))
