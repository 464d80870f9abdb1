"""presse.photos: the variants a photo gets, their paths, the <picture> that offers them.
The markup is read back with lxml."""

from __future__ import annotations

import io

import lxml.html
from PIL import Image

from presse.imaging import process
from presse.photos import Photo, Shape, output_path, picture_html, target_widths


def url(width: int, format: str) -> str:
    return "/" + output_path("k" * 24, width, format)


def displayed_photo(width: int, height: int) -> Image.Image:
    return Image.new("RGB", (width, height), (120, 140, 160))


def test_widths_are_never_upscaled_and_the_own_width_comes_once() -> None:
    assert target_widths(4000, (480, 800, 1600)) == [480, 800, 1600]
    assert target_widths(1000, (480, 800, 1600)) == [480, 800, 1000]
    assert target_widths(300, (480, 800)) == [300]
    assert target_widths(800, (480, 800)) == [480, 800]


def test_the_plan_of_a_shape() -> None:
    assert Shape(1000, 500, transparent=False).variants((480, 1600), ("webp",)) == (
        (480, 240, "webp"), (480, 240, "jpeg"), (1000, 500, "webp"), (1000, 500, "jpeg"),
    )  # fmt: skip
    assert Shape(200, 100, transparent=True).variants((480,), ()) == ((200, 100, "png"),)


def test_picture_markup_has_every_format_width_and_size() -> None:
    buffer = io.BytesIO()
    displayed_photo(1000, 500).save(buffer, "JPEG")
    photo = process(buffer.getvalue(), ".jpg")
    markup = picture_html(planned(photo), url, 'La "place" & le marché')
    root = lxml.html.fragment_fromstring(markup)
    assert root.tag == "picture"
    sources = list(root.iter("source"))  # (libxml2 nests void <source> elements)
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    for source in sources:
        widths = [c.split()[1] for c in source.get("srcset").split(", ")]
        assert widths == ["480w", "800w", "1000w"]
    img = next(root.iter("img"))
    assert (img.get("width"), img.get("height")) == ("1000", "500")
    assert img.get("alt") == 'La "place" & le marché'
    assert img.get("loading") == "lazy" and img.get("fetchpriority") is None
    assert img.get("src").endswith("-1000.jpg")
    lead = lxml.html.fragment_fromstring(picture_html(planned(photo), url, "x", lead=True))
    lead_img = next(lead.iter("img"))
    assert lead_img.get("fetchpriority") == "high" and lead_img.get("loading") is None


def planned(photo: Photo) -> tuple[tuple[int, int, str], ...]:
    return tuple((v.width, v.height, v.format) for v in photo.variants)
