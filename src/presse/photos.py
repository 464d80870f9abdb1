"""Photos as the site publishes them: their variants, where they are written, and the
``<picture>`` markup that offers them. Pure, and free of the imaging library (which
:mod:`presse.imaging` drives): planning a site's photos loads no decoder.

A photo is published as variants: each configured width it can fill (never upscaled:
a photo narrower than a width gets its own width instead, once), each in AVIF, WebP
and a universal fallback (JPEG, or PNG for a photo with transparency). Their file
names come from the photo's key (its source's digest and the processing parameters):
known before anything is encoded, and new whenever the photo changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

DEFAULT_FORMATS = ("avif", "webp")
"""The modern formats every photo gets, besides its fallback (JPEG, or PNG)."""

PHOTO_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".avif", ".tif", ".tiff"}
)
"""An article's lead image in one of these formats is a photo: shown through its variants
(:mod:`presse.photos`). GIF and SVG are shown as they are."""

DEFAULT_WIDTHS = (480, 800, 1200, 1600)
"""Widths of the variants: a phone, a tablet, an article column at 2×, a wide screen."""

MEDIA_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


class PhotoError(ValueError):
    """A photo that cannot be published, and why (the message names no path: the caller's
    error does)."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One encoded size and format of a photo."""

    width: int
    height: int
    format: str  # "avif", "webp", "jpeg" or "png"
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True, slots=True)
class Photo:
    """A processed photo: its upright size and its variants, widest last per format."""

    width: int
    height: int
    variants: tuple[Variant, ...]

    def of_format(self, format: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == format)

    @property
    def fallback(self) -> str:
        """The format every browser shows: JPEG, or PNG for a photo with transparency."""
        return "png" if any(v.format == "png" for v in self.variants) else "jpeg"


@dataclass(frozen=True, slots=True)
class Shape:
    """What a photo's header says, enough to plan its variants before decoding it."""

    width: int  # once the EXIF orientation is applied
    height: int
    transparent: bool

    @property
    def fallback(self) -> str:
        """The format every browser shows: JPEG, or PNG for a photo with transparency."""
        return "png" if self.transparent else "jpeg"

    def variants(
        self, widths: Sequence[int] = DEFAULT_WIDTHS, formats: Sequence[str] = ("avif", "webp")
    ) -> tuple[tuple[int, int, str], ...]:
        """(width, height, format) of each variant :func:`process` makes, in its order."""
        return tuple(
            (width, max(1, round(self.height * width / self.width)), format)
            for width in target_widths(self.width, widths)
            for format in (*formats, self.fallback)
        )


PHOTOS_FOLDER = "photos"
"""Where variants are written in the output."""


def output_path(key: str, width: int, format: str) -> str:
    """A variant's path in the output: ``photos/<key>-<width>.<extension>``, from the
    photo's key (see :func:`presse.cache.photo_key`), so known before it is encoded."""
    extension = "jpg" if format == "jpeg" else format
    return f"{PHOTOS_FOLDER}/{key[:24]}-{width}.{extension}"


def target_widths(natural: int, wanted: Sequence[int]) -> list[int]:
    """The wanted widths the photo can fill, and its own width when it is narrower than
    some of them (never upscaled, each width once)."""
    chosen = sorted({w for w in wanted if w <= natural})
    if natural < max(wanted) and natural not in chosen:
        chosen.append(natural)
    return chosen


# --- markup ------------------------------------------------------------------------


def picture_html(
    variants: Sequence[tuple[int, int, str]],
    url_of: Callable[[int, str], str],
    alt: str,
    sizes: str = "(min-width: 72rem) 44rem, 100vw",
    *,
    lead: bool = False,
) -> str:
    """``<picture>`` for a photo's ``variants`` (width, height, format, as
    :meth:`Shape.variants` plans them): one ``<source>`` per modern format with every
    width in its ``srcset``, and the fallback ``<img>`` with its ``width`` and ``height``
    (no layout shift). The lead photo of an article is fetched first
    (``fetchpriority="high"``); every other photo waits until it nears the screen.

    ``url_of(width, format)`` gives a variant's address; ``alt`` is escaped here."""
    fallback = "png" if any(f == "png" for _, _, f in variants) else "jpeg"
    sources = []
    for format in dict.fromkeys(f for _, _, f in variants if f != fallback):
        candidates = ", ".join(f"{url_of(w, f)} {w}w" for w, _, f in variants if f == format)
        sources.append(
            f'<source type="{MEDIA_TYPES[format]}" srcset="{escape(candidates)}"'
            f' sizes="{escape(sizes)}">'
        )
    fallbacks = [(w, h) for w, h, f in variants if f == fallback]
    width, height = fallbacks[-1]
    candidates = ", ".join(f"{url_of(w, fallback)} {w}w" for w, _ in fallbacks)
    loading = 'fetchpriority="high"' if lead else 'loading="lazy" decoding="async"'
    image = (
        f'<img src="{escape(url_of(width, fallback))}" srcset="{escape(candidates)}"'
        f' sizes="{escape(sizes)}" width="{width}" height="{height}"'
        f' alt="{escape(alt)}" {loading}>'
    )
    return f"<picture>{''.join(sources)}{image}</picture>"
