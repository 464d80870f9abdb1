"""Photos beyond the lead: in the body (figures with caption and credit, or inline), beside
the article in a page bundle, cropped around a focal point for share cards, structured
data and the teasers' thumbnails; and every way of getting one wrong. Outputs are read
back with lxml, Pillow, feedparser and the Nu HTML Checker."""

from __future__ import annotations

import io
import shutil
from datetime import datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from PIL import Image

from presse.build import BuildOptions, build
from presse.check import check_site
from presse.errors import PresseError
from presse.markdown import create_markdown, render_body
from presse.photos import (
    PhotoError,
    crop_box,
    figure_html,
    parse_focus,
    resolve_reference,
    thumbnail_variants,
)
from presse.search import indexed_body
from tests.conftest import tree_bytes
from tests.test_photo_site import encoder_calls
from tests.test_validity import describe, run_vnu

NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")
PORT = "content/2025/port/index.md"
PORT_TEXT = """---
title: Le port de Brest
date: 2025-05-30T09:00:00+02:00
summary: Les bateaux rentrent.
image: quai.jpg
image_alt: Le quai au matin
image_focus: "20% 95%"
---

Premier paragraphe.

![Des bateaux au mouillage](bateaux.jpg "Le mouillage, vu du large")

Un mot ![décorative](/images/vague.png) au milieu.

![La mer d'Iroise](/images/vague.png)
"""
MARCHE = """---
title: Le marché rouvre
date: 2025-05-29T09:00:00+02:00
image: /images/marche.jpg
image_alt: Les étals
---

Le marché rouvre.
"""
OLDER = """---
title: Un article ancien
date: 2025-05-20T09:00:00+02:00
---

Sans photo.
"""


def photo(width: int, height: int, colour: tuple[int, int, int], fmt: str = "JPEG") -> bytes:
    """A photo of one colour with a red patch near its bottom left corner (20 %, 93 %)."""
    image = Image.new("RGB", (width, height), colour)
    x, y = width * 20 // 100, height * 93 // 100
    image.paste((220, 20, 20), (x - 60, y - 60, x + 60, y + 60))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def make_site(root: Path) -> Path:
    files = {
        PORT: PORT_TEXT.encode(),
        "content/2025/port/quai.jpg": photo(2000, 1500, (40, 90, 140)),
        "content/2025/port/bateaux.jpg": photo(1200, 800, (30, 120, 60)),
        "content/2025/port/bateaux.jpg.yaml": b'credit: "Photo : Jeanne Martin / Agence"\n',
        "content/2025/marche.md": MARCHE.encode(),
        "content/2025/ancien.md": OLDER.encode(),
        "static/images/vague.png": photo(900, 600, (10, 60, 160), "PNG"),
        "static/images/marche.jpg": photo(1000, 700, (160, 120, 40)),
        "presse.toml": b'base_url = "https://journal.example/"\nsearch = false\n',
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def options(root: Path, out: str = "public", jobs: int | None = None) -> BuildOptions:
    return BuildOptions(
        site_dir=root, output_dir=root / out, now=NOW, cache_dir=root / ".c", jobs=jobs
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("bundle"))
    build(options(root))
    return root


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / "public" / path / "index.html")).getroot()


# --- the body ------------------------------------------------------------------------


def test_a_photo_alone_in_its_paragraph_is_a_figure_with_caption_and_credit(site: Path) -> None:
    body = page(site, "2025/05/le-port-de-brest").find_class("article__body")[0]
    figures = body.find_class("photo")
    assert len(figures) == 2
    img = next(figures[0].iter("img"))
    assert img.get("alt") == "Des bateaux au mouillage"
    assert (img.get("loading"), img.get("decoding")) == ("lazy", "async")
    assert (img.get("width"), img.get("height")) == ("1200", "800")
    assert [s.get("type") for s in figures[0].iter("source")] == ["image/avif", "image/webp"]
    caption = figures[0].find("figcaption")
    assert caption.text_content() == "Le mouillage, vu du large Photo\u00a0: Jeanne Martin / Agence"
    assert caption.find_class("photo__credit")[0].text_content().startswith("Photo")
    # No title, no credit: no caption at all.
    assert figures[1].find("figcaption") is None
    for candidate in img.get("srcset").split(", "):
        url, width = candidate.split()
        with Image.open(site / "public" / url.lstrip("/")) as variant:
            assert f"{variant.width}w" == width


def test_a_photo_among_words_stays_inline_and_decorative_means_empty_alt(site: Path) -> None:
    paragraph = page(site, "2025/05/le-port-de-brest").find_class("article__body")[0][2]
    assert paragraph.tag == "p" and paragraph.text == "Un mot "
    img = next(paragraph.iter("img"))
    assert img.get("alt") == "" and any(a.tag == "picture" for a in img.iterancestors())


def test_a_bundle_photo_is_published_beside_its_page_without_metadata(site: Path) -> None:
    public = site / "public"
    with Image.open(public / "2025/05/le-port-de-brest/bateaux.jpg") as original:
        assert original.size == (1200, 800) and len(original.getexif()) == 0
    names = {p.name for p in public.rglob("*")}
    assert not any(name.endswith(".yaml") for name in names)  # sidecars stay home
    assert "index.md" not in names


def test_feeds_show_one_absolute_img_per_photo(site: Path) -> None:
    feed = feedparser.parse((site / "public" / "atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Le port de Brest")
    content = lxml.html.fromstring(entry.content[0].value)
    images = content.xpath("//img")
    assert len(images) == 3 and not content.xpath("//picture")
    assert images[0].get("src").startswith("https://journal.example/photos/")
    assert images[0].get("src").endswith("-1200.jpg") and images[0].get("width") == "1200"
    assert "Jeanne Martin" in content.xpath("//figcaption")[0].text_content()


def test_no_marker_reaches_any_output(site: Path) -> None:
    for path, data in tree_bytes(site / "public").items():
        if path.endswith((".html", ".xml", ".json")):
            text = data.decode("utf-8")
            assert not any("\ue000" <= c <= "\uf8ff" for c in text), path


def test_the_search_index_reads_captions_not_markup() -> None:
    md = create_markdown()
    body = render_body(md, 'Texte.\n\n![Un quai](quai.jpg "Le quai au matin")\n')

    class Indexed:
        pass

    article = Indexed()
    article.body = body  # type: ignore[attr-defined]
    text = indexed_body(article)  # type: ignore[arg-type]
    assert "Le quai au matin" in text and "<picture" not in text


# --- crops and thumbnails ------------------------------------------------------------


def test_every_crop_keeps_the_focal_point(site: Path) -> None:
    root = page(site, "2025/05/le-port-de-brest")
    share = root.xpath('//meta[@property="og:image"]/@content')[0]
    assert "-40x21-20-95-1200.jpg" in share
    with Image.open(site / "public" / share.removeprefix("https://journal.example/")) as card:
        assert card.size == (1200, 630)
        red, green, blue = card.convert("RGB").getpixel((240, 570))  # the red patch
        assert red > 150 and green < 80 and blue < 80
    # Centred instead, the 40:21 box (2000 × 1050) would stop 225 px above the patch.
    assert crop_box(2000, 1500, (40, 21)) == (0, 225, 2000, 1275)
    assert crop_box(2000, 1500, (40, 21), (20.0, 95.0)) == (0, 450, 2000, 1500)


def test_teasers_show_thumbnails_and_the_lead_teaser_its_whole_photo(site: Path) -> None:
    front = page(site, "")
    cards = front.find_class("card")
    lead = next(cards[0].iter("img"))
    assert lead.get("fetchpriority") == "high" and lead.get("loading") is None
    assert "-4x3-" not in lead.get("src")
    teaser = next(cards[1].iter("img"))  # « Le marché rouvre »: a 4:3 crop, lazily
    assert "-4x3-50-50-" in teaser.get("src") and teaser.get("loading") == "lazy"
    assert teaser.get("alt") == ""  # the title beside it names the article
    with Image.open(site / "public" / teaser.get("src").lstrip("/")) as thumbnail:
        assert thumbnail.width * 3 == thumbnail.height * 4
    assert not list(cards[2].iter("img"))  # an article without a photo: no thumbnail
    assert thumbnail_variants(1000, 700)[-1] == (800, 600, "jpeg")


def test_pages_with_photos_pass_the_nu_html_checker(site: Path) -> None:
    public = site / "public"
    pages = [public / "index.html", public / "2025/05/le-port-de-brest/index.html"]
    messages = run_vnu(pages, errors_only=True)
    assert messages == [], describe(messages, public)


# --- cost --------------------------------------------------------------------------


def test_a_new_photo_costs_only_its_own_encodes_and_a_focus_edit_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(tmp_path)
    build(options(root))
    calls = encoder_calls(monkeypatch)
    (root / "static/images/neuf.jpg").write_bytes(photo(800, 600, (200, 200, 200)))
    text = MARCHE.replace("marche.jpg", "neuf.jpg").replace("Le marché rouvre", "Du neuf")
    (root / "content/2025/neuf.md").write_text(text, encoding="utf-8")
    build(options(root, jobs=1))  # in this process, where the encoders are counted
    assert calls == ["process", "crops"]  # the new photo's variants and crops, nothing else
    # Moving a focal point re-crops that photo only, and gives what a cold build gives.
    calls.clear()
    port = root / PORT
    port.write_text(port.read_text("utf-8").replace("20% 95%", "80% 10%"), encoding="utf-8")
    build(options(root, jobs=1))
    assert calls == ["crops"]
    shutil.rmtree(root / ".c")
    build(options(root, "cold"))
    assert tree_bytes(root / "public") == tree_bytes(root / "cold")


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "front", "expected"),
    [
        (
            "![](bateaux.jpg)",
            "",
            f'{PORT}:11: photo "bateaux.jpg" has no alternative text: say what it shows',
        ),
        (
            "Texte.\n\n![Une vue](../../static/secret.jpg)",
            "",
            f'{PORT}:13: photo "../../static/secret.jpg" is outside the article\'s folder',
        ),
        ("![Une vue](absente.jpg)", "", f'{PORT}:11: photo "content/2025/port/absente.jpg"'),
        ("Texte.", "image: /images/marche.jpg\n", f'{PORT}:4: image "/images/marche.jpg" has'),
        (
            "Texte.",
            'image: quai.jpg\nimage_alt: Un quai\nimage_focus: "au milieu"\n',
            f'{PORT}:6: image_focus "au milieu" is not a point',
        ),
    ],
)
def test_bad_photos_are_located_errors_and_the_old_site_stays(
    tmp_path: Path, body: str, front: str, expected: str
) -> None:
    root = make_site(tmp_path)
    (root / PORT).write_text(
        f"---\ntitle: Le port\ndate: 2025-05-30\n{front}---\n\n"
        + "\n" * (5 - front.count("\n"))
        + body
        + "\n",
        encoding="utf-8",
    )
    (root / "public").mkdir()
    (root / "public" / "ancien.html").write_text("ancien site")
    with pytest.raises(PresseError) as info:
        build(options(root))
    assert str(info.value).startswith(expected), str(info.value)
    assert sorted(p.name for p in (root / "public").iterdir()) == ["ancien.html"]


def test_a_photo_whose_extension_lies_names_the_article_that_shows_it(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "content/2025/port/bateaux.jpg").write_bytes(photo(300, 200, (0, 0, 0), "PNG"))
    with pytest.raises(PresseError) as info:
        build(options(root))
    assert str(info.value) == (
        'content/2025/port/bateaux.jpg: is a PNG file named ".jpg": rename it or convert it'
        f" (shown by {PORT}:12)"
    )


def test_a_sidecar_that_is_not_yaml_says_how_to_write_it(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "content/2025/port/bateaux.jpg.yaml").write_text("credit: Photo : X\n")
    with pytest.raises(PresseError) as info:
        build(options(root))
    assert str(info.value) == (
        "content/2025/port/bateaux.jpg.yaml:1: is not valid YAML (mapping values are not"
        ' allowed here): write the credit in quotes, credit: "Photo : …"'
    )


def test_check_reports_forgotten_missing_and_escaping_photos(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "content/2025/port/oubliee.jpg").write_bytes(photo(300, 200, (0, 0, 0)))
    port = root / PORT
    port.write_text(
        port.read_text("utf-8") + "\n![Une vue](absente.jpg)\n\n![Ailleurs](../x.jpg)\n",
        encoding="utf-8",
    )
    found = {(f.path, f.line, f.code) for f in check_site(root, now=NOW)}
    assert ("content/2025/port/oubliee.jpg", 1, "photo-unused") in found
    assert (PORT, 18, "image-missing") in found
    assert (PORT, 20, "photo-path") in found
    assert not any(path.endswith(("quai.jpg", "bateaux.jpg")) for path, _, _ in found)


# --- pure parts --------------------------------------------------------------------


def test_references_resolve_below_the_article_only() -> None:
    page_url, source = "/2025/05/port/", "content/2025/port/index.md"
    assert resolve_reference("quai.jpg", page_url, source) == (
        "/2025/05/port/quai.jpg",
        "content/2025/port/quai.jpg",
    )
    assert resolve_reference("./photos/mon%20quai.jpg", page_url, source) == (
        "/2025/05/port/photos/mon quai.jpg",
        "content/2025/port/photos/mon quai.jpg",
    )
    assert resolve_reference("/images/a.jpg", page_url, source) == ("/images/a.jpg", "")
    for escaping in ("../a.jpg", "photos/../../a.jpg", "a\\..\\b.jpg", "photos//a.jpg"):
        with pytest.raises(PhotoError):
            resolve_reference(escaping, page_url, source)


def test_focus_is_two_percentages() -> None:
    assert parse_focus("35% 40%") == (35.0, 40.0)
    assert parse_focus("12.25%, 0%") == (12.2, 0.0)
    for wrong in ("35 40", "35%", "120% 10%", "a% b%"):
        with pytest.raises(PhotoError):
            parse_focus(wrong)


def test_a_figure_escapes_its_caption_and_credit() -> None:
    assert figure_html("<img>", "<b>légende</b>", "") == (
        '<figure class="photo"><img><figcaption>&lt;b&gt;légende&lt;/b&gt;</figcaption></figure>'
    )
    assert figure_html("<img>", "", "Photo : A & B") == (
        '<figure class="photo"><img><figcaption>Photo : A &amp; B</figcaption></figure>'
    )
    assert figure_html("<img>", "", "") == '<figure class="photo"><img></figure>'


def test_photos_encoded_on_the_worker_pool_are_the_same_bytes(tmp_path: Path) -> None:
    one = make_site(tmp_path / "one")
    build(
        BuildOptions(site_dir=one, output_dir=one / "public", now=NOW, cache_dir=one / ".c", jobs=1)
    )
    two = make_site(tmp_path / "two")
    build(
        BuildOptions(site_dir=two, output_dir=two / "public", now=NOW, cache_dir=two / ".c", jobs=2)
    )
    # Four photos and two sets of crops went through the pool, into the cache.
    assert len(list((two / ".c" / "photos").glob("*/*"))) == 6
    assert tree_bytes(one / "public") == tree_bytes(two / "public")


def test_the_cache_forgets_photos_no_page_shows(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    build(options(root))
    kept = list((root / ".c" / "photos").glob("*/*"))
    older = root / "content/2025/ancien.md"
    older.write_text(OLDER + "Une phrase de plus.\n", encoding="utf-8")
    build(options(root))  # an edit, planned from the last build's plan: nothing forgotten
    assert sorted((root / ".c" / "photos").glob("*/*")) == sorted(kept)
    (root / "content/2025/marche.md").unlink()  # its photo and crops are shown nowhere now
    build(options(root))
    assert len(list((root / ".c" / "photos").glob("*/*"))) == len(kept) - 2


def test_a_lead_image_from_another_site_waits_for_the_reader(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    (root / "content/2025/ailleurs.md").write_text(
        MARCHE.replace("/images/marche.jpg", "https://images.example/marche.jpg").replace(
            "Le marché rouvre", "Une photo d’ailleurs"
        ),
        encoding="utf-8",
    )
    build(options(root))
    html = (root / "public/2025/05/une-photo-dailleurs/index.html").read_text("utf-8")
    document = lxml.html.fromstring(html)
    assert not [
        element
        for element in document.iter("img", "source", "script", "link", "iframe")
        if "images.example" in (element.get("src") or element.get("srcset") or "")
    ]
    assert document.find_class("remote-image") and "/js/embed.js" in html
    # Share cards may name it: crawlers fetch it, not readers.
    assert document.xpath('//meta[@property="og:image"]/@content') == [
        "https://images.example/marche.jpg"
    ]
