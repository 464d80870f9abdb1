"""presse.images: image sizes read from headers built here, byte by byte (no fixtures)."""

from __future__ import annotations

import importlib.util
import io
import random
import struct
import zlib

import pytest

from presse.images import ImageSize, image_size

# --- builders -----------------------------------------------------------------------------


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload)
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def make_png(width: int, height: int) -> bytes:
    """A complete 8-bit greyscale PNG with correct CRCs."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes(width) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )


def make_gif(width: int, height: int, version: bytes = b"89a") -> bytes:
    screen = struct.pack("<HHBBB", width, height, 0x80, 0, 0)  # 2-colour global table
    palette = b"\x00\x00\x00\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return b"GIF" + version + screen + palette + image + b";"


def riff_webp(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_chunk(fourcc: bytes, payload: bytes) -> bytes:
    padding = b"\x00" * (len(payload) % 2)
    return fourcc + struct.pack("<I", len(payload)) + payload + padding


def make_webp_vp8(width: int, height: int, scale: int = 0) -> bytes:
    # Frame tag: key frame (bit 0 clear), version 0, shown, first partition size 0.
    tag = (0 | (0 << 1) | (1 << 4)).to_bytes(3, "little")
    sizes = struct.pack("<HH", width | (scale << 14), height | (scale << 14))
    return riff_webp(webp_chunk(b"VP8 ", tag + b"\x9d\x01\x2a" + sizes + bytes(8)))


def vp8l_payload(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14) | (1 << 28)  # alpha hint, version 0
    return b"\x2f" + struct.pack("<I", bits) + bytes(4)


def make_webp_vp8l(width: int, height: int) -> bytes:
    return riff_webp(webp_chunk(b"VP8L", vp8l_payload(width, height)))


def make_webp_vp8x(width: int, height: int) -> bytes:
    header = bytes([0x10, 0, 0, 0]) + (width - 1).to_bytes(3, "little")
    header += (height - 1).to_bytes(3, "little")
    return riff_webp(webp_chunk(b"VP8X", header), webp_chunk(b"VP8L", vp8l_payload(width, height)))


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


JFIF = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


def sof(width: int, height: int, marker: int = 0xC0) -> bytes:
    components = b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return segment(marker, struct.pack(">BHHB", 8, height, width, 3) + components)


def make_jpeg(width: int, height: int) -> bytes:
    return b"\xff\xd8" + JFIF + sof(width, height) + b"\xff\xd9"


def make_progressive_jpeg(width: int, height: int) -> bytes:
    dht = segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    com = segment(0xFE, "Légende : photo de presse".encode())
    restart_and_tem = b"\xff\x01"  # a standalone marker between segments
    fill = b"\xff\xff\xff"  # fill bytes before the next marker
    return (
        b"\xff\xd8"
        + JFIF
        + dht
        + com
        + restart_and_tem
        + fill
        + sof(width, height, 0xC2)
        + b"\xff\xd9"
    )


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full_box(kind: bytes, payload: bytes, version: int = 0, flags: int = 0) -> bytes:
    return box(kind, bytes([version]) + flags.to_bytes(3, "big") + payload)


def ispe(width: int, height: int) -> bytes:
    return full_box(b"ispe", struct.pack(">II", width, height))


def ipma(
    entries: list[tuple[int, list[int]]], version: int = 0, flags: int = 0, essential: int = 0
) -> bytes:
    body = struct.pack(">I", len(entries))
    for item, indices in entries:
        body += item.to_bytes(2 if version == 0 else 4, "big") + bytes([len(indices)])
        for index in indices:
            if flags & 1:
                body += struct.pack(">H", index | (essential << 15))
            else:
                body += bytes([index | (essential << 7)])
    return full_box(b"ipma", body, version, flags)


def ftyp(brands: bytes = b"avifmif1miaf") -> bytes:
    return box(b"ftyp", brands[:4] + b"\x00\x00\x00\x00" + brands)


def meta(properties: list[bytes], associations: bytes = b"", primary: int | None = None) -> bytes:
    hdlr = full_box(b"hdlr", b"\x00\x00\x00\x00pict" + bytes(12) + b"\x00")
    pitm = b"" if primary is None else full_box(b"pitm", struct.pack(">H", primary))
    iprp = box(b"iprp", box(b"ipco", b"".join(properties)) + associations)
    return full_box(b"meta", hdlr + pitm + iprp)


def make_avif(
    properties: list[bytes],
    associations: bytes = b"",
    primary: int | None = None,
    brands: bytes = b"avifmif1miaf",
) -> bytes:
    return ftyp(brands) + meta(properties, associations, primary) + box(b"mdat", bytes(16))


def simple_avif(width: int, height: int) -> bytes:
    pixi = full_box(b"pixi", b"\x03\x08\x08\x08")
    return make_avif([ispe(width, height), pixi], ipma([(1, [1, 2])]), primary=1)


# --- PNG, GIF, WebP -----------------------------------------------------------------------


def test_png() -> None:
    assert image_size(make_png(3, 2)) == ImageSize(3, 2, "image/png")
    assert image_size(make_png(1200, 630)) == ImageSize(1200, 630, "image/png")


def test_png_zero_size_and_wrong_first_chunk() -> None:
    assert image_size(make_png(0, 5)) is None
    png = make_png(3, 2)
    assert image_size(png[:12] + b"IDAT" + png[16:]) is None


@pytest.mark.parametrize("version", [b"87a", b"89a"])
def test_gif(version: bytes) -> None:
    assert image_size(make_gif(500, 281, version)) == ImageSize(500, 281, "image/gif")


def test_gif_needs_the_full_screen_descriptor() -> None:
    assert image_size(b"GIF89a\x01\x00\x01") is None
    assert image_size(b"GIF88a" + struct.pack("<HH", 1, 1)) is None


def test_webp_lossy() -> None:
    assert image_size(make_webp_vp8(1024, 768)) == ImageSize(1024, 768, "image/webp")
    # The two scale bits above each 14-bit dimension are not part of the size.
    assert image_size(make_webp_vp8(320, 200, scale=2)) == ImageSize(320, 200, "image/webp")


def test_webp_lossy_rejects_an_interframe_or_a_bad_start_code() -> None:
    data = bytearray(make_webp_vp8(16, 16))
    data[20] |= 1
    assert image_size(bytes(data)) is None
    data = bytearray(make_webp_vp8(16, 16))
    data[24] = 0
    assert image_size(bytes(data)) is None


def test_webp_lossless() -> None:
    assert image_size(make_webp_vp8l(1, 1)) == ImageSize(1, 1, "image/webp")
    assert image_size(make_webp_vp8l(16384, 9)) == ImageSize(16384, 9, "image/webp")
    data = bytearray(make_webp_vp8l(4, 4))
    data[20] = 0x2E  # wrong signature byte
    assert image_size(bytes(data)) is None


def test_webp_extended() -> None:
    assert image_size(make_webp_vp8x(1920, 1080)) == ImageSize(1920, 1080, "image/webp")
    assert image_size(make_webp_vp8x(2**24, 1)) == ImageSize(2**24, 1, "image/webp")


def test_webp_unknown_chunk() -> None:
    assert image_size(riff_webp(webp_chunk(b"ALPH", bytes(16)))) is None
    assert image_size(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(32)) is None


# --- JPEG ---------------------------------------------------------------------------------


def test_jpeg_baseline() -> None:
    assert image_size(make_jpeg(800, 600)) == ImageSize(800, 600, "image/jpeg")


def test_jpeg_progressive_after_dht_com_standalone_marker_and_fill_bytes() -> None:
    assert image_size(make_progressive_jpeg(4000, 3000)) == ImageSize(4000, 3000, "image/jpeg")


@pytest.mark.parametrize(
    "marker", [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF]
)
def test_jpeg_every_start_of_frame(marker: int) -> None:
    data = b"\xff\xd8" + sof(17, 9, marker) + b"\xff\xd9"
    assert image_size(data) == ImageSize(17, 9, "image/jpeg")


@pytest.mark.parametrize("marker", [0xC4, 0xC8, 0xCC])
def test_jpeg_markers_that_look_like_frames_are_skipped(marker: int) -> None:
    data = b"\xff\xd8" + segment(marker, struct.pack(">BHHB", 8, 1, 1, 1)) + sof(64, 48)
    assert image_size(data) == ImageSize(64, 48, "image/jpeg")


def test_jpeg_segment_length_past_the_end() -> None:
    data = b"\xff\xd8\xff\xe0\x7f\xff" + b"JFIF\x00" + bytes(20)
    assert image_size(data) is None
    # Also when the frame header itself claims more bytes than there are.
    assert image_size(b"\xff\xd8" + JFIF + sof(10, 10)[:-2]) is None


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff",  # nothing after the fill byte
        b"\xff\xd8\xff\xd9",  # EOI before any frame
        b"\xff\xd8" + JFIF + b"\xff\xda\x00\x08" + bytes(6),  # scan before any frame
        b"\xff\xd8" + JFIF + b"garbage" + sof(10, 10),  # junk between segments
        b"\xff\xd8\xff\xe0\x00\x01",  # a length below 2
        b"\xff\xd8\xff\xe0\x00\x00" * 4,  # a zero length, which must not loop
        b"\xff\xd8\xff\x00",  # a stuffed zero is not a marker
        b"\xff\xd8" + sof(10, 0),  # height defined later by DNL: unknown
        b"\xff\xd8" + sof(0, 10),
        b"\xff\xd8" + segment(0xC0, b"\x08\x00\x01"),  # frame header too short
    ],
)
def test_jpeg_corrupt(data: bytes) -> None:
    assert image_size(data) is None


# --- AVIF ---------------------------------------------------------------------------------


def test_avif() -> None:
    assert image_size(simple_avif(1280, 720)) == ImageSize(1280, 720, "image/avif")


def test_avif_without_associations_uses_the_first_ispe() -> None:
    assert image_size(make_avif([ispe(50, 40), ispe(10, 8)])) == ImageSize(50, 40, "image/avif")


def test_avif_primary_item_property() -> None:
    # Item 2 is a thumbnail listed first; the primary item 1 owns the second ispe.
    properties = [ispe(160, 90), full_box(b"pixi", b"\x01\x08"), ispe(3840, 2160)]
    associations = ipma([(2, [1, 2]), (1, [2, 3])])
    data = make_avif(properties, associations, primary=1)
    assert image_size(data) == ImageSize(3840, 2160, "image/avif")


def test_avif_wide_ipma_and_version_1() -> None:
    properties = [ispe(160, 90), ispe(640, 480)]
    associations = ipma([(2, [1]), (7, [2])], version=1, flags=1, essential=1)
    data = make_avif(properties, associations, primary=7)
    assert image_size(data) == ImageSize(640, 480, "image/avif")


@pytest.mark.parametrize(("angle", "size"), [(0, (640, 480)), (1, (480, 640)), (2, (640, 480))])
def test_avif_rotation(angle: int, size: tuple[int, int]) -> None:
    properties = [ispe(640, 480), box(b"irot", bytes([angle]))]
    data = make_avif(properties, ipma([(1, [1, 0x02])], essential=0), primary=1)
    assert image_size(data) == ImageSize(*size, "image/avif")


def test_avif_compatible_brand_and_largesize_boxes() -> None:
    data = make_avif([ispe(300, 200)], brands=b"mif1avifmiaf")
    assert image_size(data) == ImageSize(300, 200, "image/avif")
    # An mdat with a 64-bit size in front of meta, and a last box sized 0 ("to the end").
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 5) + b"12345"
    free = struct.pack(">I4s", 0, b"free") + bytes(9)
    data = ftyp() + mdat + meta([ispe(300, 200)]) + free
    assert image_size(data) == ImageSize(300, 200, "image/avif")


def test_avif_other_brands_and_missing_boxes() -> None:
    assert image_size(make_avif([ispe(300, 200)], brands=b"heicmif1heic")) is None
    assert image_size(make_avif([full_box(b"pixi", b"\x00")])) is None  # no ispe
    assert image_size(make_avif([ispe(0, 200)])) is None
    assert image_size(make_avif([full_box(b"ispe", b"\x00\x00\x01")])) is None  # too short
    assert image_size(box(b"ftyp", b"avif\x00\x00\x00\x00avif") + box(b"mdat", b"")) is None


# --- SVG ----------------------------------------------------------------------------------

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        (f'<svg {SVG_NS} width="640" height="480"></svg>', (640, 480)),
        (f"<svg {SVG_NS} width='640px' height='480px'/>", (640, 480)),
        (f'<svg {SVG_NS} width = " 640.5 " height="99.4px">', (641, 99)),
        (f'<svg {SVG_NS} viewBox="0 0 1200 630">', (1200, 630)),
        (f'<svg {SVG_NS} viewBox="-10,-10, 24.4,  12">', (24, 12)),
        (f'<svg {SVG_NS} width="100%" height="100%" viewBox="0 0 300 150">', (300, 150)),
        (f'<svg {SVG_NS} width="10em" height="2cm" viewBox="0 0 30 20">', (30, 20)),
        (f'<svg {SVG_NS} width="100" height="100%" viewBox="0 0 300 150">', (100, 50)),
        (f'<svg {SVG_NS} height="60" viewBox="0 0 300 150">', (120, 60)),
        (f'<svg {SVG_NS} width="0.2" height="1e2">', (1, 100)),
        (f'<svg\n\t{SVG_NS}\n\twidth="24"\n\theight="24"\n>', (24, 24)),
        ('<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="5" height="6">', (5, 6)),
        # Single quotes hiding a double quote, and a '>' inside a value.
        (f"""<svg {SVG_NS} aria-label='"x" > y' width='7' height="8">""", (7, 8)),
    ],
)
def test_svg(svg: str, size: tuple[int, int]) -> None:
    assert image_size(svg.encode()) == ImageSize(*size, "image/svg+xml")


def test_svg_after_declaration_comment_and_doctype() -> None:
    svg = (
        '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        "<!-- Généré par Inkscape : <svg width='1' height='1'> -->\n"
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
        '  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        "<?xml-stylesheet href='style.css'?>\n"
        f'<svg {SVG_NS} width="210" height="297"><rect/></svg>\n'
    )
    assert image_size(svg.encode()) == ImageSize(210, 297, "image/svg+xml")


def test_svg_internal_subset_is_skipped_not_expanded() -> None:
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    svg = (
        f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol0 "lol">{laughs}]>'
        f'<svg {SVG_NS} width="&lol9;" height="10" viewBox="0 0 20 10"><text>&lol9;</text></svg>'
    )
    assert image_size(svg.encode()) == ImageSize(20, 10, "image/svg+xml")


def test_svg_utf16() -> None:
    svg = f'<?xml version="1.0" encoding="UTF-16"?><svg {SVG_NS} width="3" height="4"/>'
    assert image_size(svg.encode("utf-16")) == ImageSize(3, 4, "image/svg+xml")


@pytest.mark.parametrize(
    "svg",
    [
        f"<svg {SVG_NS}></svg>",  # no size at all
        f'<svg {SVG_NS} width="100%" height="100%">',  # relative, no viewBox
        f'<svg {SVG_NS} width="640">',  # one dimension, no ratio
        f'<svg {SVG_NS} viewBox="0 0 0 10">',  # empty viewBox
        f'<svg {SVG_NS} viewBox="0 0 -5 10">',
        f'<svg {SVG_NS} viewBox="0 0 10">',
        f'<svg {SVG_NS} width="-4" height="3">',
        f'<svg {SVG_NS} width="1e999" height="3">',
        f'<svg {SVG_NS} width="auto" height="auto">',
        f'<svg {SVG_NS} width="640" height="480"',  # start tag never closed
        '<svg width="640 height="480">',  # broken quoting
        '<html><svg width="640" height="480"></svg></html>',  # not the root
        '<svgx width="640" height="480">',
        '<!-- <svg width="640" height="480"> never closed',
        "Just text, width=640 height=480",
        "",
    ],
)
def test_svg_without_a_usable_size(svg: str) -> None:
    assert image_size(svg.encode()) is None


def test_svg_root_must_come_early() -> None:
    padding = " " * 5000
    svg = f'<svg {SVG_NS}{padding}width="640" height="480">'
    assert image_size(svg.encode()) is None
    comment = "<!--" + "x" * 20_000 + "-->"
    assert image_size(f'{comment}<svg width="6" height="4">'.encode()) == ImageSize(
        6, 4, "image/svg+xml"
    )


# --- robustness ---------------------------------------------------------------------------

SAMPLES = {
    "png": make_png(3, 2),
    "gif": make_gif(500, 281),
    "webp-vp8": make_webp_vp8(1024, 768),
    "webp-vp8l": make_webp_vp8l(33, 17),
    "webp-vp8x": make_webp_vp8x(1920, 1080),
    "jpeg": make_jpeg(800, 600),
    "jpeg-progressive": make_progressive_jpeg(4000, 3000),
    "avif": simple_avif(1280, 720),
    "avif-primary": make_avif(
        [ispe(160, 90), box(b"irot", b"\x01"), ispe(3840, 2160)],
        ipma([(2, [1]), (1, [2, 3])], version=1, flags=1),
        primary=1,
    ),
    "svg": (
        '<?xml version="1.0"?><!-- c --><!DOCTYPE svg>'
        f'<svg {SVG_NS} width="100" height="50%" viewBox="0 0 200 100"></svg>'
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_truncation(name: str) -> None:
    data = SAMPLES[name]
    expected = image_size(data)
    assert expected is not None
    for end in range(len(data)):
        assert image_size(data[:end]) in (None, expected), end


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_random_mutations_never_raise(name: str) -> None:
    rng = random.Random(0)
    original = SAMPLES[name]
    for _ in range(500):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(data))
            data[position] = rng.choice((0x00, 0x01, 0x7F, 0x80, 0xFF, rng.randrange(256)))
        result = image_size(bytes(data))
        assert result is None or (result.width >= 1 and result.height >= 1)


def test_random_bytes_never_raise() -> None:
    rng = random.Random(0)
    magics = [
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"GIF89a",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"RIFF\x00\x00\x00\x00WEBPVP8L",
        b"RIFF\x00\x00\x00\x00WEBPVP8X",
        b"\x00\x00\x00\x18ftypavif",
        b"<svg ",
        b"<?xml ",
        b"\xff\xfe",
    ]
    for _ in range(3000):
        length = rng.choice((0, 1, 2, 8, 16, 32, 64, 256, 1024)) + rng.randrange(8)
        data = rng.choice(magics) + rng.randbytes(length)
        result = image_size(data)
        assert result is None or (result.width >= 1 and result.height >= 1)


def test_image_size_is_frozen() -> None:
    size = ImageSize(1, 2, "image/png")
    with pytest.raises(AttributeError):
        size.width = 3  # type: ignore[misc]


# --- cross-check against Pillow, when it is installed -------------------------------------

HAS_PILLOW = importlib.util.find_spec("PIL") is not None


@pytest.mark.skipif(not HAS_PILLOW, reason="Pillow is not installed")
@pytest.mark.parametrize(
    ("pillow_format", "mode", "options", "mime_type"),
    [
        ("PNG", "RGB", {}, "image/png"),
        ("JPEG", "RGB", {}, "image/jpeg"),
        ("JPEG", "RGB", {"progressive": True}, "image/jpeg"),
        ("GIF", "P", {}, "image/gif"),
        ("WEBP", "RGB", {"lossless": False}, "image/webp"),
        ("WEBP", "RGBA", {"lossless": True}, "image/webp"),
        ("WEBP", "RGBA", {"lossless": False}, "image/webp"),
    ],
)
def test_pillow_cross_check(
    pillow_format: str, mode: str, options: dict[str, object], mime_type: str
) -> None:
    from PIL import Image, features

    if pillow_format == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow was built without WebP")
    for width, height in [(1, 1), (37, 23), (641, 479)]:
        out = io.BytesIO()
        Image.new(mode, (width, height)).save(out, format=pillow_format, **options)
        assert image_size(out.getvalue()) == ImageSize(width, height, mime_type)
