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
from urllib.parse import unquote

DEFAULT_FORMATS = ("avif", "webp")
"""The modern formats every photo gets, besides its fallback (JPEG, or PNG)."""

PHOTO_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".avif", ".tif", ".tiff"}
)
"""An article's lead image in one of these formats is a photo: shown through its variants
(:mod:`presse.photos`). GIF and SVG are shown as they are."""

SIDECAR_SUFFIX = ".yaml"
"""A photo's sidecar: ``port.jpg.yaml`` beside ``port.jpg``, with its ``credit``."""


def is_photo_file(name: str) -> bool:
    """A file presse publishes as a photo (by its extension)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in PHOTO_EXTENSIONS


def is_sidecar(name: str) -> bool:
    """A photo's sidecar (``port.jpg.yaml``): read for the credit, never published."""
    return name.endswith(SIDECAR_SUFFIX) and is_photo_file(name[: -len(SIDECAR_SUFFIX)])


DEFAULT_WIDTHS = (480, 800, 1200, 1600)
"""Widths of the variants: a phone, a tablet, an article column at 2×, a wide screen."""

MEDIA_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


class PhotoError(ValueError):
    """A photo that cannot be published, and why (the message names no path: the caller's
    error does)."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One encoded size and format of a photo (or of one of its crops)."""

    width: int
    height: int
    format: str  # "avif", "webp", "jpeg" or "png"
    data: bytes
    ratio: tuple[int, int] | None = None  # a crop at this aspect ratio (see crop_box)

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

    def widest(self) -> tuple[int, int, str]:
        """The widest fallback variant: what share cards, structured data and feeds show."""
        return max((v for v in self.variants() if v[2] == self.fallback), key=lambda v: v[0])

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


DECORATIVE = frozenset({"décorative", "décoratif", "decorative"})
"""The alternative text of a photo that only decorates: it is then published with
``alt=""`` (screen readers skip it). Any other photo must be described."""


def resolve_reference(src: str, page_url: str, source: str) -> tuple[str, str]:
    """Where a photo an article refers to is published and, for a photo beside the
    article (a page bundle: ``content/2025/mon-article/index.md`` and ``port.jpg``), its
    file: ``(reference, file)``. A path from the site's root (``/images/port.jpg``) is a
    file of ``static/`` (file ``""``); a relative one is published under the article's
    address. A relative path may only go down: ``..``, a backslash or an empty segment
    is refused (:class:`PhotoError`), so no reference reaches outside the content folder.
    """
    path = unquote(src.split("?", 1)[0].split("#", 1)[0])
    if path.startswith("/"):
        return path, ""
    relative = path.removeprefix("./")
    segments = relative.split("/")
    if "\\" in relative or any(s in ("", ".", "..") for s in segments):
        raise PhotoError(
            f'photo "{src}" is outside the article\'s folder: put it beside the article'
            " (or in a folder below it), or under static/ and write its path from the root"
        )
    folder = source.rsplit("/", 1)[0] if "/" in source else ""
    return page_url.rstrip("/") + "/" + relative, f"{folder}/{relative}".lstrip("/")


def alternative_text(alt: str | None) -> str | None:
    """The published ``alt`` of a photo: "" for one marked decorative, None for one not
    described (an error: the caller says where)."""
    if alt is None or not alt.strip():
        return None
    return "" if alt.strip().lower() in DECORATIVE else alt


# --- crops --------------------------------------------------------------------------

SHARE_RATIO = (40, 21)
"""Open Graph and X cards: 1200 × 630."""

SCHEMA_RATIOS = ((16, 9), (4, 3), (1, 1))
"""The crops a ``NewsArticle``'s structured data lists, as search engines ask."""

CROP_RATIOS = (SHARE_RATIO, *SCHEMA_RATIOS)
"""Every crop a lead photo gets."""

CROP_WIDTH = 1200
"""Every crop's width when the photo allows (search engines want at least 1 200 px)."""

CENTRE = (50.0, 50.0)


def parse_focus(text: str) -> tuple[float, float]:
    """``image_focus: "35% 40%"``: the point of the photo that every crop keeps, as
    percentages of its width and height from the top left corner (``50% 50%``: the
    centre), once the photo is upright."""
    parts = text.replace(",", " ").split()
    if len(parts) != 2 or not all(p.endswith("%") for p in parts):
        raise PhotoError(
            f'image_focus "{text}" is not a point: write two percentages, across then down'
            ' ("35% 40%"; "50% 50%" is the centre)'
        )
    try:
        x, y = (round(float(p[:-1]), 1) for p in parts)
    except ValueError:
        raise PhotoError(f'image_focus "{text}": "{parts}" are not numbers') from None
    if not (0 <= x <= 100 and 0 <= y <= 100):
        raise PhotoError(f'image_focus "{text}": each percentage is between 0% and 100%')
    return x, y


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focus: tuple[float, float] = CENTRE
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` inside the photo, centred on ``focus`` as far as
    the photo's edges allow: (left, top, right, bottom)."""
    across, down = ratio
    if width * down >= height * across:  # the photo is wider than the ratio
        box_width, box_height = max(1, min(width, round(height * across / down))), height
    else:
        box_width, box_height = width, max(1, min(height, round(width * down / across)))
    left = min(max(0, round(focus[0] / 100 * width - box_width / 2)), width - box_width)
    top = min(max(0, round(focus[1] / 100 * height - box_height / 2)), height - box_height)
    return left, top, left + box_width, top + box_height


def crop_size(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """A crop's published size: :data:`CROP_WIDTH` wide, or its box's width when the
    photo is smaller (never upscaled)."""
    left, _, right, _ = crop_box(width, height, ratio)
    out = min(CROP_WIDTH, right - left)
    return out, max(1, round(out * ratio[1] / ratio[0]))


def crop_path(
    key: str, ratio: tuple[int, int], focus: tuple[float, float], width: int, format: str = "jpeg"
) -> str:
    """A crop's path in the output, from the photo's key, the ratio and the focus."""
    extension = "jpg" if format == "jpeg" else format
    return (
        f"{PHOTOS_FOLDER}/{key[:24]}-{ratio[0]}x{ratio[1]}"
        f"-{focus[0]:g}-{focus[1]:g}-{width}.{extension}"
    )


THUMBNAIL_RATIO = (4, 3)
"""The teasers' photos on the front page and listings: one shape for a tidy grid."""

THUMBNAIL_WIDTHS = (400, 800)
"""A teaser's photo is small: a phone's column of 6.5 rem at 3×, a card at 2×."""


def thumbnail_variants(width: int, height: int) -> tuple[tuple[int, int, str], ...]:
    """(width, height, format) of a teaser's photo: the :data:`THUMBNAIL_RATIO` crop at
    each of :data:`THUMBNAIL_WIDTHS` it can fill, in every format."""
    left, top, right, bottom = crop_box(width, height, THUMBNAIL_RATIO)
    return Shape(right - left, bottom - top, False).variants(THUMBNAIL_WIDTHS)


def crop_variants(width: int, height: int) -> tuple[tuple[tuple[int, int], int, int, str], ...]:
    """(ratio, width, height, format) of every crop of a lead photo of this size, in the
    order :func:`presse.imaging.crops` makes them: the share card and the structured
    data's crops (JPEG), then the teasers' thumbnails."""
    return (
        *((r, *crop_size(width, height, r), "jpeg") for r in CROP_RATIOS),
        *((THUMBNAIL_RATIO, *v) for v in thumbnail_variants(width, height)),
    )


# --- markup ------------------------------------------------------------------------

ARTICLE_SIZES = "(min-width: 72rem) 44rem, 100vw"
"""How wide the theme shows a photo in an article: its column on a wide screen."""


def picture_html(
    variants: Sequence[tuple[int, int, str]],
    url_of: Callable[[int, str], str],
    alt: str,
    sizes: str = ARTICLE_SIZES,
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


def figure_html(image: str, caption: str, credit: str, kind: str = "photo") -> str:
    """A photo (its ``<picture>`` or ``<img>`` markup) as a figure, with its caption and
    credit (plain text, escaped here) under it when it has them."""
    words = escape(caption)
    if credit and words:
        words += f' <span class="{kind}__credit">{escape(credit)}</span>'
    elif credit:
        words = escape(credit)
    legend = f"<figcaption>{words}</figcaption>" if words else ""
    return f'<figure class="{kind}">{image}{legend}</figure>'
