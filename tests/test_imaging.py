"""presse.imaging: upright, stripped, resized, deterministic variants; bad input refused.
Outputs are read back with Pillow, the imaging library the pipeline itself uses."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from presse.imaging import MAX_PIXELS, inspect, process
from presse.photos import PhotoError, output_path

RED, BLUE = (220, 30, 30), (30, 30, 220)


def displayed_photo(width: int = 600, height: int = 400) -> Image.Image:
    """Red above, blue below: which way up a variant is shows at a glance."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(Image.new("RGB", (width, height // 2), RED), (0, 0))
    return image


def camera_jpeg() -> bytes:
    """What a phone writes: pixels stored sideways with orientation 6 (turn 90° clockwise
    to display), GPS position, camera serial, author and XMP."""
    stored = displayed_photo().transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x013B] = "Photographe Anonyme"  # Artist
    exif[0x0110] = "Pixel 9"  # Model
    exif.get_ifd(0x8769)[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 51.0, 24.0)  # latitude
    gps[3], gps[4] = "E", (2.0, 21.0, 7.0)  # longitude
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/>Lieu secret</x:xmpmeta>'
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif, xmp=xmp)
    return buffer.getvalue()


def open_variant(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_sideways_camera_photo_comes_out_upright_without_metadata() -> None:
    source = camera_jpeg()
    assert b"SERIAL-12345" in source and b"Lieu secret" in source
    photo = process(source, ".jpg", widths=(300, 600))
    assert (photo.width, photo.height) == (600, 400)
    assert {(v.width, v.format) for v in photo.variants} == {
        (w, f) for w in (300, 600) for f in ("avif", "webp", "jpeg")
    }
    for variant in photo.variants:
        image = open_variant(variant.data)
        assert image.size == (variant.width, variant.height) and image.width > image.height
        top, bottom = (
            image.getpixel((image.width // 2, 5)),
            image.getpixel((image.width // 2, image.height - 5)),
        )
        assert top[0] > 150 and top[2] < 100, (variant.format, top)  # red above
        assert bottom[2] > 150 and bottom[0] < 100, (variant.format, bottom)  # blue below
        assert len(image.getexif()) == 0, variant.format
        assert not {"exif", "xmp", "XML:com.adobe.xmp"} & set(image.info), variant.format
        for secret in (b"SERIAL-12345", b"Lieu secret", b"Photographe", b"Pixel 9"):
            assert secret not in variant.data, (variant.format, secret)


def test_widths_are_never_upscaled() -> None:
    buffer = io.BytesIO()
    displayed_photo(1000, 500).save(buffer, "JPEG")
    photo = process(buffer.getvalue(), ".jpeg")
    assert sorted({v.width for v in photo.variants}) == [480, 800, 1000]
    assert {v.height for v in photo.variants if v.width == 800} == {400}
    small = io.BytesIO()
    displayed_photo(200, 100).save(small, "PNG")
    assert {v.width for v in process(small.getvalue(), ".png").variants} == {200}


def test_the_same_photo_gives_the_same_bytes() -> None:
    source = camera_jpeg()
    first, second = process(source, ".jpg", widths=(300,)), process(source, ".jpg", widths=(300,))
    assert [v.data for v in first.variants] == [v.data for v in second.variants]
    names = [output_path("0123456789abcdef0123456789", v.width, v.format) for v in first.variants]
    assert names[0] == "photos/0123456789abcdef01234567-300.avif" and names[2].endswith(".jpg")


def test_a_colour_profile_is_kept_as_srgb_and_transparency_falls_back_to_png() -> None:
    buffer = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    displayed_photo().save(buffer, "JPEG", icc_profile=srgb)
    photo = process(buffer.getvalue(), ".jpg", widths=(300,))
    assert all(open_variant(v.data).info.get("icc_profile") for v in photo.variants)
    plain = io.BytesIO()
    displayed_photo().save(plain, "JPEG")
    assert not any(
        open_variant(v.data).info.get("icc_profile")
        for v in process(plain.getvalue(), ".jpg", widths=(300,)).variants
    )
    clear = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(clear, "PNG")
    transparent = process(clear.getvalue(), ".png", widths=(300,))
    assert transparent.fallback == "png" and {v.format for v in transparent.variants} == {
        "avif",
        "webp",
        "png",
    }


def test_the_embedded_profile_does_not_carry_the_time_it_was_made() -> None:
    """Regression (issue 14): LittleCMS dates the sRGB profile it makes to the second, so
    two builds a second apart gave photos of other bytes."""
    buffer = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    displayed_photo().save(buffer, "JPEG", icc_profile=srgb)
    for variant in process(buffer.getvalue(), ".jpg", widths=(300,)).variants:
        profile = open_variant(variant.data).info["icc_profile"]
        assert struct.unpack(">6H", profile[24:36]) == (2000, 1, 1, 0, 0, 0)
        assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = 8 + 8  # signature, then length and type of the IHDR chunk
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "extension", "message"),
    [
        (camera_jpeg()[:2000], ".jpg", "is damaged or truncated"),
        (b"\xff\xd8\xff\xe0 pas une photo", ".jpg", "is not a photo presse can read"),
        (b"GIF89a" + b"\x00" * 10, ".gif", "is not a photo presse can read"),
        (png_header_claiming(10, 10), ".jpg", 'is a PNG file named ".jpg"'),
        (b"\x00\x00\x00\x18ftypheic", ".heic", "is a HEIC/HEIF photo"),
        (png_header_claiming(9000, 9000), ".png", f"at most {MAX_PIXELS // 1_000_000} megapixels"),
        (png_header_claiming(40000, 40000), ".png", "far larger than any camera's photo"),
    ],
    ids=["truncated", "not-an-image", "corrupt-gif", "lying-extension", "heic", "huge", "bomb"],
)
def test_bad_photos_are_refused_with_a_reason(data: bytes, extension: str, message: str) -> None:
    with pytest.raises(PhotoError, match=message.replace("(", r"\(").replace(".", r"\.")):
        process(data, extension)


def test_the_plan_from_the_header_is_what_processing_makes() -> None:
    for data, extension in (
        (camera_jpeg(), ".jpg"),
        (_png(Image.new("RGBA", (900, 300), (0, 0, 0, 0))), ".png"),
        (_png(displayed_photo(300, 200)), ".png"),
    ):
        shape = inspect(data, extension)
        photo = process(data, extension)
        assert (shape.width, shape.height) == (photo.width, photo.height)
        assert shape.variants() == tuple((v.width, v.height, v.format) for v in photo.variants)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
