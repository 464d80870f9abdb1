"""Photos for the web, with Pillow: one source photo in, its published variants out.
Pure: bytes in, bytes out, no I/O (the build reads the sources and writes the variants).

A photographer's file is not fit to publish: 12 megapixels a phone does not need, an
EXIF orientation flag that browsers showing a ``srcset`` candidate may ignore, and
metadata that must never leave the newsroom (the GPS position can expose a source; the
camera serial and the author fields too). :func:`process` turns it into what readers
get:

* the EXIF orientation applied to the pixels (the photo comes out upright);
* the colours converted to sRGB when the file carries another profile, and that sRGB
  profile kept: every other metadata block (EXIF, XMP, IPTC, comments) is dropped;
* resized to each configured width it can fill (never upscaled: a photo narrower than
  a width gets its own width instead, once), with Pillow's Lanczos filter after a
  JPEG draft decode at the smallest sufficient scale;
* encoded as AVIF and WebP, and JPEG as the universal fallback (PNG for a photo with
  transparency), with pinned encoder settings so the same input always gives the same
  bytes; each variant is named after a digest of its bytes, so a changed photo gets
  new URLs and old caches never serve it.

Bad input raises :class:`PhotoError` with a message for ``path:line: message``.
Pillow was chosen over pyvips by measurement (see the README's Photos section).
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Sequence

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from presse.photos import (
    CENTRE,
    DEFAULT_WIDTHS,
    Photo,
    PhotoError,
    Shape,
    Variant,
    crop_box,
    crop_variants,
    target_widths,
)

MAX_PIXELS = 60_000_000
"""Largest photo accepted: above any camera a newsroom uses (a 100 MP medium format is
11 648 × 8 736 = 102 MP; 60 MP covers the full-frame and phone sensors): a larger
"photo" is a decompression bomb or a scan that needs preparing first."""

# Encoder settings, pinned: the output must not change between builds or machines with
# the same Pillow. AVIF speed 6 is 5× faster than the default for 5 % larger files.
_ENCODERS: dict[str, dict[str, object]] = {
    "avif": {"quality": 60, "speed": 6},
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}
# The original's own format, at its own size: a little more quality than the variants.
_ORIGINALS: dict[str, dict[str, object]] = {
    "jpeg": {"quality": 90, "optimize": True},
    "png": {"optimize": True},
    "webp": {"quality": 90, "method": 4},
    "avif": {"quality": 75, "speed": 6},
    "tiff": {"compression": "tiff_lzw"},
}

# The formats a source may be in, by what its bytes say, and the extensions they use.
_SOURCE_FORMATS = {
    "JPEG": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "PNG": (".png",),
    "WEBP": (".webp",),
    "AVIF": (".avif",),
    "GIF": (".gif",),
    "TIFF": (".tif", ".tiff"),
}
_HEIF = (".heic", ".heif")


def inspect(data: bytes, extension: str) -> Shape:
    """The photo's displayed size and transparency, from its header (nothing decoded),
    after the same checks as :func:`process`."""
    image = open_photo(data, extension)
    try:
        width, height = _displayed_size(image)
        return Shape(width, height, _has_alpha(image))
    finally:
        image.close()


def process(
    data: bytes,
    extension: str,
    widths: Sequence[int] = DEFAULT_WIDTHS,
    formats: Sequence[str] = ("avif", "webp"),
    *,
    original: bool = False,
) -> Photo:
    """The published variants of one source photo (see the module's docstring).

    ``extension`` is the source file's (``.jpg``): a file whose bytes say otherwise is
    refused, as is anything Pillow cannot read, a HEIC file, a decompression bomb.
    ``formats`` are the modern formats; the fallback (JPEG or PNG) always comes too.
    With ``original``, one more variant (format ``"original"``): the photo at its own
    size in its own format, upright and without metadata, to publish at the file's
    address in place of the file.
    """
    image = open_photo(data, extension)
    try:
        natural_width, natural_height = _displayed_size(image)
        targets = target_widths(natural_width, widths)
        source_format = str(image.format).lower()
        if image.format == "JPEG" and not original:  # decode at the smallest DCT scale
            scale = targets[-1] / natural_width
            wanted = (round(natural_width * scale), round(natural_height * scale))
            swapped = image.size != (natural_width, natural_height)
            image.draft("RGB", wanted[::-1] if swapped else wanted)
        rgb, profile, alpha = _in_srgb(_upright(image))
        fallback = "png" if alpha else "jpeg"
        # The widest variant from the photo, the others from the widest: three times
        # faster than each from 12 megapixels, within 0.4/255 of it on average.
        sized: dict[int, Image.Image] = {}
        base = rgb
        for width in reversed(targets):
            height = max(1, round(natural_height * width / natural_width))
            if base.size == (width, height):
                sized[width] = base
            else:
                gap = 3.0 if base is rgb else None
                sized[width] = base.resize(
                    (width, height), Image.Resampling.LANCZOS, reducing_gap=gap
                )
            base = sized[width]
        variants: list[Variant] = []
        for width in targets:
            resized = sized[width]
            for format in (*formats, fallback):
                data = _encode(resized, format, profile)
                variants.append(Variant(width, resized.height, format, data))
        if original:
            data = _encode(rgb, source_format, profile, _ORIGINALS)
            variants.append(Variant(natural_width, natural_height, "original", data))
        return Photo(natural_width, natural_height, tuple(variants))
    finally:
        image.close()


def crops(data: bytes, extension: str, focus: tuple[float, float] = CENTRE) -> Photo:
    """The photo cropped to each of :data:`~presse.photos.CROP_RATIOS` around ``focus`` (see
    :func:`presse.photos.crop_box`), each :data:`~presse.photos.CROP_WIDTH` wide when the
    photo allows, as JPEG: what share cards and search engines show; and the teasers'
    thumbnails (:func:`presse.photos.thumbnail_variants`), in every format."""
    image = open_photo(data, extension)
    try:
        width, height = _displayed_size(image)
        rgb, profile, _ = _in_srgb(_upright(image))
        variants = []
        for ratio, out_width, out_height, format in crop_variants(width, height):
            box = crop_box(width, height, ratio, focus)
            cropped = rgb.resize((out_width, out_height), Image.Resampling.LANCZOS, box=box)
            data = _encode(cropped, format, profile)
            variants.append(Variant(out_width, out_height, format, data, ratio))
        return Photo(width, height, tuple(variants))
    finally:
        image.close()


def _displayed_size(image: Image.Image) -> tuple[int, int]:
    """Width and height once the EXIF orientation is applied (5 to 8 turn it 90°)."""
    try:
        orientation = image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, struct.error):
        orientation = 1  # unreadable EXIF: the pixels as stored
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else image.size


def open_photo(data: bytes, extension: str) -> Image.Image:
    """The source decoded lazily by Pillow, after the checks that need no decoding."""
    extension = extension.lower()
    if extension in _HEIF:
        raise PhotoError(
            "is a HEIC/HEIF photo, which presse cannot read: export it as JPEG"
            " (most phones and editors can)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(_SOURCE_FORMATS))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise PhotoError("is far larger than any camera's photo: refused") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
            raise PhotoError(
                "is not a photo presse can read (JPEG, PNG, WebP, AVIF, GIF or TIFF),"
                " or it is damaged"
            ) from None
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise PhotoError(
            f"is {image.width} × {image.height} pixels, far larger than any camera's photo:"
            f" refused (at most {MAX_PIXELS // 1_000_000} megapixels)"
        )
    format = image.format or ""
    if extension not in _SOURCE_FORMATS.get(format, ()):
        image.close()
        raise PhotoError(f'is a {format} file named "{extension}": rename it or convert it')
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The pixels turned as the EXIF orientation says, fully decoded (a truncated file
    fails here)."""
    try:
        upright = ImageOps.exif_transpose(image)
        upright.load()
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise PhotoError(f"is damaged or truncated ({exc})") from None
    return upright


def _in_srgb(image: Image.Image) -> tuple[Image.Image, bytes | None, bool]:
    """The pixels in sRGB (RGB, or RGBA when transparency is used), the sRGB profile to
    embed when the source had a profile, and whether there is transparency."""
    icc = image.info.get("icc_profile")
    alpha = _has_alpha(image)
    mode = "RGBA" if alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                image.convert(mode), source, _SRGB, outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError):
            converted = image.convert(mode)  # a broken profile: the pixels as they are
        assert converted is not None
        return converted, _SRGB_BYTES, alpha
    return image.convert(mode), None, alpha


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )


_SRGB = ImageCms.createProfile("sRGB")
# LittleCMS stamps a profile it makes with the time of day (the header's bytes 24 to 35):
# embedded as it is, every build would give other bytes. A fixed date, as in a profile
# shipped in a file; the profile's ID (its MD5, bytes 84 to 99) is not set, so nothing
# else depends on the date.
_SRGB_BYTES: bytes = (
    (made := ImageCms.ImageCmsProfile(_SRGB).tobytes())[:24]
    + struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    + made[36:]
)


def _encode(
    image: Image.Image,
    format: str,
    profile: bytes | None,
    settings: dict[str, dict[str, object]] | None = None,
) -> bytes:
    """One encode with pinned settings; nothing but the colour profile is written."""
    buffer = io.BytesIO()
    if format == "jpeg" and image.mode == "RGBA":
        image = image.convert("RGB")  # a JPEG has no transparency
    options = dict((settings or _ENCODERS)[format])
    if profile is not None:
        options["icc_profile"] = profile
    image.save(buffer, format.upper(), **options)
    return buffer.getvalue()
