"""A site with a photographer's JPEG as an article's lead photo: what the build publishes
(variants, markup, share image), what it never does (metadata, sideways pixels), and
its cache. Outputs are read back with Pillow and lxml."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from PIL import Image

import presse.imaging
from presse.build import BuildOptions, build
from presse.errors import PresseError
from tests.conftest import tree_bytes
from tests.test_imaging import camera_jpeg

NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")
ARTICLE = """---
title: Le marché rouvre
date: 2025-05-30T09:00:00+02:00
summary: Les commerçants sont de retour.
image: /images/marche.jpg
image_alt: Les étals du marché sous la halle
image_caption: "Samedi matin, sous la halle"
image_credit: "Photo : Anne Martin"
---

Le marché rouvre ce samedi.
"""


def make_site(root: Path, photo: bytes) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "marche.md").write_text(ARTICLE, encoding="utf-8")
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "marche.jpg").write_bytes(photo)
    (root / "presse.toml").write_text('base_url = "https://journal.example/"\nsearch = false\n')
    return root


def big_camera_jpeg() -> bytes:
    """A sideways camera photo large enough for every width: 2000 × 1300 once upright."""
    image = Image.open(io.BytesIO(camera_jpeg()))
    exif = image.getexif()
    stored = image.resize((1300, 2000))
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("photos"), big_camera_jpeg())
    build(BuildOptions(site_dir=root, output_dir=root / "public", now=NOW, cache_dir=root / ".c"))
    return root


def article_page(site: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / "public/2025/05/le-marche-rouvre/index.html")).getroot()


def test_the_lead_photo_is_a_picture_whose_candidates_exist(site: Path) -> None:
    root = article_page(site)
    figure = root.find_class("article__image")[0]
    sources = list(figure.iter("source"))
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    img = next(figure.iter("img"))
    assert img.get("alt") == "Les étals du marché sous la halle"
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert (img.get("width"), img.get("height")) == ("1600", "1040")
    for srcset in [s.get("srcset") for s in sources] + [img.get("srcset")]:
        for candidate in srcset.split(", "):
            url, width = candidate.split()
            with Image.open(site / "public" / url.lstrip("/")) as variant:
                assert f"{variant.width}w" == width
                assert variant.width > variant.height  # upright: 2000 × 1300
                assert len(variant.getexif()) == 0


def test_no_variant_carries_metadata(site: Path) -> None:
    variants = sorted((site / "public" / "photos").iterdir())
    # 480, 800, 1200, 1600 × AVIF, WebP, JPEG; four crops (share card, 16:9, 4:3, 1:1);
    # the teaser's 4:3 thumbnails at 400 and 800 × three formats (the file: below)
    assert len(variants) == 4 * 3 + 4 + 2 * 3
    for path in variants:
        data = path.read_bytes()
        for secret in (b"SERIAL-12345", b"Lieu secret", b"Photographe", b"Pixel 9"):
            assert secret not in data, (path.name, secret)


def test_share_cards_show_a_crop_not_the_original(site: Path) -> None:
    root = article_page(site)
    image = root.xpath('//meta[@property="og:image"]/@content')[0]
    assert image.startswith("https://journal.example/photos/") and "-40x21-" in image
    assert root.xpath('//meta[@property="og:image:width"]/@content') == ["1200"]
    assert root.xpath('//meta[@property="og:image:height"]/@content') == ["630"]
    assert root.xpath('//meta[@name="twitter:image"]/@content') == [image]
    with Image.open(site / "public" / image.removeprefix("https://journal.example/")) as card:
        assert card.size == (1200, 630) and len(card.getexif()) == 0


def test_structured_data_lists_the_three_crops_search_engines_ask_for(site: Path) -> None:
    data = json_ld(article_page(site), "NewsArticle")
    sizes = [(image["width"], image["height"]) for image in data["image"]]
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200)]  # 16:9, 4:3, 1:1
    for image in data["image"]:
        path = site / "public" / image["url"].removeprefix("https://journal.example/")
        with Image.open(path) as crop:
            assert crop.size == (image["width"], image["height"])


def json_ld(root: lxml.html.HtmlElement, kind: str) -> dict[str, Any]:
    for script in root.xpath('//script[@type="application/ld+json"]'):
        found = json.loads(script.text)
        for item in found if isinstance(found, list) else [found]:
            if item.get("@type") == kind:
                return item  # type: ignore[no-any-return]
    raise AssertionError(f"no {kind} in the page")


def encoder_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the imaging functions that encode (``process``, ``crops``), in the
    order this process calls them from now on (a build with ``jobs=1``: a worker's calls
    are not seen)."""
    calls: list[str] = []
    for name in ("process", "crops"):
        run = getattr(presse.imaging, name)
        monkeypatch.setattr(
            presse.imaging,
            name,
            lambda *a, _name=name, _run=run, **k: calls.append(_name) or _run(*a, **k),
        )
    return calls


def test_a_rebuild_takes_the_photos_from_the_cache(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_bytes(site / "public")
    calls = encoder_calls(monkeypatch)
    out = site / "again"
    # One job: a photo missing from the cache would be processed here, and counted.
    build(BuildOptions(site_dir=site, output_dir=out, now=NOW, cache_dir=site / ".c", jobs=1))
    assert calls == []  # every variant came from the cache
    assert tree_bytes(out) == before  # and the site is the same, byte for byte


def test_a_damaged_photo_is_a_located_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, big_camera_jpeg()[:3000])
    (root / "public").mkdir()
    (root / "public" / "ancien.html").write_text("ancien site")
    with pytest.raises(PresseError) as info:
        build(BuildOptions(site_dir=root, output_dir=root / "public", now=NOW))
    assert str(info.value).startswith("static/images/marche.jpg: is damaged or truncated")
    assert str(info.value).endswith("(shown by content/marche.md:5)")
    assert (root / "public" / "ancien.html").read_text() == "ancien site"


def test_the_file_at_its_own_address_has_lost_its_metadata_too(site: Path) -> None:
    data = (site / "public" / "images" / "marche.jpg").read_bytes()
    for secret in (b"SERIAL-12345", b"Lieu secret", b"Photographe", b"Pixel 9"):
        assert secret not in data
    with Image.open(io.BytesIO(data)) as original:
        assert original.size == (2000, 1300) and len(original.getexif()) == 0


def test_an_unchanged_photo_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    root = make_site(tmp_path, big_camera_jpeg())
    photo = root / "static" / "images" / "marche.jpg"
    os.utime(photo, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    options = BuildOptions(
        site_dir=root, output_dir=root / "public", now=NOW, cache_dir=root / ".c"
    )
    build(options)
    article = root / "content" / "marche.md"
    article.write_text(article.read_text("utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    opened: list[str] = []
    original = presse.imaging.inspect
    monkeypatch.setattr(presse.imaging, "inspect", lambda *a: opened.append("x") or original(*a))
    build(options)
    assert opened == []  # its size and key came from the memo of the last build
    photo.write_bytes(big_camera_jpeg()[:-1] + b"\xd9")  # changed: read again
    build(options)
    assert opened == ["x"]


def test_the_caption_and_the_credit_sit_under_the_photo(site: Path) -> None:
    caption = article_page(site).find_class("article__image")[0].find("figcaption")
    assert caption.text_content() == "Samedi matin, sous la halle Photo\u00a0: Anne Martin"
    assert caption.find_class("article__credit")[0].text_content() == "Photo\u00a0: Anne Martin"
