"""``presse import export.xml``: a WordPress export (WXR) read as articles and pages
(issue 13). One test per mapping rule, on the fixture export (written by the presse
team, see tests/fixtures/wordpress/README.md) or on small exports written here."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.imports import Imported, file_text
from presse.model import SourceFile
from presse.parse import parse_article, shared_markdown
from presse.wordpress import WordPressExport, is_wordpress_export
from tests.conftest import run_presse

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
EXPORT = FIXTURES / "export.xml"
UPLOADS = FIXTURES / "uploads"
SITE = "https://journal.example"
NOW = datetime.fromisoformat("2025-03-01T12:00:00+01:00")


def fixture(media: Path | None = UPLOADS) -> tuple[WordPressExport, dict[str, Imported]]:
    """The fixture export read to the end, its items by WordPress id."""
    source = WordPressExport(EXPORT, SiteConfig(), media)
    return source, {item.origin.rsplit(" ", 1)[1]: item for item in source.items()}


def item_xml(number: int = 1, **fields: str) -> str:
    """One ``<item>``; ``fields`` replace the defaults (``extra`` is added as is)."""
    values = {
        "title": f"Article {number}",
        "link": f"{SITE}/2024/03/05/article-{number}/",
        "creator": "claire",
        "guid": f"{SITE}/?p={number}",
        "content": "<p>Un texte.</p>",
        "excerpt": "",
        "post_date": "2024-03-05 11:15:00",
        "post_date_gmt": "2024-03-05 10:15:00",
        "post_modified": "2024-03-05 11:15:00",
        "post_modified_gmt": "2024-03-05 10:15:00",
        "post_name": f"article-{number}",
        "status": "publish",
        "post_type": "post",
        "post_password": "",
        "extra": "",
        **fields,
    }
    return textwrap.dedent(
        """\
        <item>
          <title><![CDATA[{title}]]></title>
          <link>{link}</link>
          <dc:creator><![CDATA[{creator}]]></dc:creator>
          <guid isPermaLink="false">{guid}</guid>
          <description></description>
          <content:encoded><![CDATA[{content}]]></content:encoded>
          <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
          <wp:post_id>{number}</wp:post_id>
          <wp:post_date><![CDATA[{post_date}]]></wp:post_date>
          <wp:post_date_gmt><![CDATA[{post_date_gmt}]]></wp:post_date_gmt>
          <wp:post_modified><![CDATA[{post_modified}]]></wp:post_modified>
          <wp:post_modified_gmt><![CDATA[{post_modified_gmt}]]></wp:post_modified_gmt>
          <wp:post_name><![CDATA[{post_name}]]></wp:post_name>
          <wp:status><![CDATA[{status}]]></wp:status>
          <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
          <wp:post_password><![CDATA[{post_password}]]></wp:post_password>
          {extra}
        </item>
        """
    ).format(number=number, **values)


def attachment_xml(number: int, url: str, alt: str = "", caption: str = "", title: str = "") -> str:
    meta = "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
    meta += f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>"
    return item_xml(
        number,
        title=title,
        post_type="attachment",
        status="inherit",
        excerpt=caption,
        extra=f"<wp:attachment_url>{url}</wp:attachment_url>{meta if alt else ''}",
    )


def meta(key: str, value: str) -> str:
    pair = f"<wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value>"
    return f"<wp:postmeta>{pair}</wp:postmeta>"


def term(domain: str, nicename: str, name: str) -> str:
    return f'<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>'


def _author(login: str, name: str) -> str:
    login_xml = f"<wp:author_login><![CDATA[{login}]]></wp:author_login>"
    name_xml = f"<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name>"
    return f"<wp:author>{login_xml}{name_xml}</wp:author>\n"


def _category(number: int, nicename: str, name: str) -> str:
    return (
        f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>{nicename}"
        f"</wp:category_nicename><wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
    )


CHANNEL = (
    f"<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>{SITE}</wp:base_site_url>\n"
    f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
    + _author("claire", "Claire Le Goff")
    + _category(3, "economie", "Économie")
    + _category(4, "vie-locale", "Vie locale")
)


def wxr(*items: str, channel: str = CHANNEL) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"'
        ' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        f"<title>Le Journal</title>\n{channel}{''.join(items)}</channel>\n</rss>\n"
    )


def read(
    tmp_path: Path, *items: str, media: Path | None = None, config: SiteConfig | None = None
) -> tuple[WordPressExport, list[Imported]]:
    path = tmp_path / "export.xml"
    path.write_text(wxr(*items), encoding="utf-8")
    source = WordPressExport(path, config or SiteConfig(), media)
    return source, list(source.items())


def one(tmp_path: Path, *items: str, media: Path | None = None) -> Imported:
    _, found = read(tmp_path, *items, media=media)
    assert len(found) == 1
    return found[0]


# --- the file ------------------------------------------------------------------------


def test_an_export_is_recognised_by_its_first_kilobytes() -> None:
    assert is_wordpress_export(EXPORT.read_bytes()[:4096])
    assert not is_wordpress_export(b'<?xml version="1.0"?><rss version="2.0"><channel>')
    assert not is_wordpress_export(b"Un texte brut.\n")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_the_export_is_streamed_and_memory_does_not_grow_with_it(tmp_path: Path) -> None:
    """Two exports, one of 1 MB and one of 60 MB of revisions (read and skipped) around a
    post: the larger one's peak memory is barely above the smaller one's. The peak is the
    child's own (VmHWM: ``ru_maxrss`` would count the parent's memory at the fork)."""
    script = textwrap.dedent(
        """\
        import re, sys
        from pathlib import Path
        from presse.config import SiteConfig
        from presse.wordpress import WordPressExport
        items = list(WordPressExport(Path(sys.argv[1]), SiteConfig()).items())
        assert len(items) == 1, items
        status = Path("/proc/self/status").read_text()
        print(re.search(r"VmHWM:\\s*(\\d+) kB", status)[1])
        """
    )
    body = "<p>" + "Une phrase de remplissage pour le banc d’essai. " * 400 + "</p>"
    peaks = []
    for count in (50, 3000):
        path = tmp_path / f"export-{count}.xml"
        head, tail = wxr("@@").split("@@")
        with path.open("w", encoding="utf-8") as out:
            out.write(head)
            for n in range(100, 100 + count):
                out.write(item_xml(n, post_type="revision", status="inherit", content=body))
            out.write(item_xml(1) + tail)
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
        )
        peaks.append(int(done.stdout) * 1024)
    assert (tmp_path / "export-3000.xml").stat().st_size > 50_000_000
    assert peaks[1] - peaks[0] < 10_000_000, peaks


def test_attachments_listed_after_the_posts_that_show_them_are_found(tmp_path: Path) -> None:
    post = item_xml(1, extra=meta("_thumbnail_id", "9"))
    later = attachment_xml(9, f"{SITE}/wp-content/uploads/2024/03/port.jpg", alt="Le port")
    found = one(tmp_path, post, later)
    assert found.front["image"] == f"{SITE}/wp-content/uploads/2024/03/port.jpg"
    assert found.front["image_alt"] == "Le port"


def test_malformed_xml_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    text = wxr(item_xml(1)).replace("</wp:post_name>", "</wp:post_nom>")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PresseError) as error:
        list(WordPressExport(path, SiteConfig()).items())
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if "post_nom" in line)
    assert error.value.path == path and error.value.line == expected
    assert error.value.message.startswith("is not well-formed XML: ")


def test_a_file_that_is_no_export_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "flux.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', encoding="utf-8")
    with pytest.raises(PresseError, match="is not a WordPress export") as error:
        list(WordPressExport(path, SiteConfig()).items())
    assert (error.value.path, error.value.line) == (path, 1)


# --- which items -----------------------------------------------------------------------


def test_posts_are_articles_pages_are_pages_and_other_types_are_counted() -> None:
    source, items = fixture()
    assert sorted(k for k, v in items.items() if not v.page) == ["42", "43", "44", "45", "46", "53"]
    assert sorted(k for k, v in items.items() if v.page) == ["49", "50"]
    assert items["49"].slug == "mentions-legales" and "date" not in items["49"].front
    assert (
        "not articles or pages, not imported: attachment (4), nav_menu_item (1), revision (1),"
        " wpcf7_contact_form (1)"
    ) in source.summary()


def test_status_decides_draft_embargo_or_skip() -> None:
    source, items = fixture()
    assert "draft" not in items["42"].front
    assert items["44"].front["draft"] is True  # draft
    assert items["45"].front["draft"] is True  # pending
    assert "draft" not in items["46"].front and items["46"].front["date"].startswith("2031-")
    assert "47" not in items and "48" not in items
    summary = source.summary()
    assert (
        "private, not imported: post 47, « Note interne : planning des astreintes de l’été »"
        in summary
    )
    assert "not imported, by status: trash (1)" in summary


def test_a_password_protected_post_is_a_draft(tmp_path: Path) -> None:
    found = one(tmp_path, item_xml(1, post_password="secret"))
    assert found.front["draft"] is True
    assert "protected by a password on WordPress: imported as a draft" in found.dropped


# --- dates ---------------------------------------------------------------------------


def test_dates_are_the_gmt_date_in_the_sites_zone() -> None:
    _, items = fixture()
    assert items["42"].front["date"] == "2024-03-05T11:15:00+01:00"  # 10:15 UTC, winter
    assert items["43"].front["date"] == "2024-07-14T18:30:00+02:00"  # 16:30 UTC, summer
    other = WordPressExport(EXPORT, SiteConfig(timezone="America/Montreal"))
    montreal = {i.origin: i for i in other.items()}
    assert montreal["export.xml: post 42"].front["date"] == "2024-03-05T05:15:00-05:00"


def test_a_draft_without_gmt_date_reads_its_local_date() -> None:
    _, items = fixture()
    assert items["44"].front["date"] == "2024-03-20T09:00:00+01:00"


def test_updated_only_when_changed_more_than_a_minute_later() -> None:
    _, items = fixture()
    assert items["42"].front["updated"] == "2024-03-06T09:00:00+01:00"
    assert "updated" not in items["43"].front  # changed 40 seconds after publication


def test_the_folder_year_is_the_local_year(tmp_path: Path) -> None:
    found = one(
        tmp_path,
        item_xml(1, post_date="2024-01-01 00:30:00", post_date_gmt="2023-12-31 23:30:00"),
    )
    assert (found.year, found.front["date"]) == (2024, "2024-01-01T00:30:00+01:00")


# --- identity, title, slug, authors ---------------------------------------------------


def test_the_identity_is_the_guid() -> None:
    _, items = fixture()
    assert items["42"].front["id"] == "wordpress:https://courrier-plouzevan.fr/?p=42"
    assert items["49"].front["id"] == "wordpress:https://courrier-plouzevan.fr/?page_id=49"


def test_titles_have_entities_decoded_and_spaces_normalised() -> None:
    _, items = fixture()
    assert items["45"].front["title"] == (
        "Sécurité routière : « zone 30 » & pistes cyclables, ce qui change au 1er\xa0avril"
    )


def test_an_empty_title_is_made_from_the_first_words(tmp_path: Path) -> None:
    _, items = fixture()
    assert items["53"].front["title"] == "Coupure d’eau mardi matin rue de Brest et rue du Port"
    assert items["53"].slug == "coupure-deau-mardi-matin-rue-de-brest-et-rue-du-port"
    assert items["53"].dropped == (
        'no title: "Coupure d’eau mardi matin rue de Brest et rue du Port", made from the first'
        " words of the text, to review",
    )


def test_the_slug_is_the_percent_decoded_post_name() -> None:
    _, items = fixture()
    assert items["43"].slug == items["43"].front["slug"] == "fete-de-la-mer-un-ete-record"
    assert items["42"].slug == "le-marche-couvert-rouvre-ses-portes"


def test_without_post_name_the_slug_is_the_titles() -> None:
    _, items = fixture()
    assert items["44"].slug == "budget-2024-les-arbitrages-du-conseil-municipal"


def test_authors_are_display_names_and_listed_once_each() -> None:
    source, items = fixture()
    assert items["42"].front["authors"] == ["Claire Le Goff"]
    assert items["43"].front["authors"] == ["Jérôme Tanguy"]
    assert [(a.slug, a.name) for a in source.authors()] == [
        ("claire-le-goff", "Claire Le Goff"),
        ("jerome-tanguy", "Jérôme Tanguy"),
        ("la-redaction", "La rédaction"),
    ]  # not Léa Morvan (a private post) nor the administrator (attachments only)


# --- section, tags, summary ------------------------------------------------------------


def test_the_primary_category_is_the_section_and_the_others_are_tags() -> None:
    _, items = fixture()
    assert items["42"].front["section"] == "Économie"  # Yoast's primary, listed second
    assert items["42"].front["tags"] == ["Vie locale", "commerce", "marché"]
    assert "section: Économie (primary category)" in items["42"].recognised


def test_rank_math_primary_category_counts_too(tmp_path: Path) -> None:
    terms = term("category", "vie-locale", "Vie locale") + term("category", "economie", "Économie")
    found = one(tmp_path, item_xml(1, extra=terms + meta("rank_math_primary_category", "3")))
    assert (found.front["section"], found.front["tags"]) == ("Économie", ["Vie locale"])


def test_without_primary_the_first_category_is_the_section() -> None:
    _, items = fixture()
    assert items["45"].front["section"] == "Environnement & climat"  # entities decoded
    assert items["45"].front["tags"] == ["Vie locale", "vélo", "sécurité routière"]  # once


def test_the_default_category_is_dropped() -> None:
    _, items = fixture()
    assert items["43"].front["section"] == "Culture"  # « Non classé » came first
    assert "section" not in items["53"].front  # « Non classé » only


def test_the_excerpt_is_the_plain_text_summary() -> None:
    _, items = fixture()
    assert items["42"].front["summary"] == (
        "Après dix-huit mois de travaux, le marché couvert accueille de nouveau ses commerçants."
    )
    assert items["45"].front["summary"] == (
        "Zone 30 généralisée & nouvelles pistes cyclables : le point sur les travaux."
    )


# --- images ----------------------------------------------------------------------------


def test_the_featured_image_with_its_alt_text_and_caption() -> None:
    _, items = fixture()
    front = items["42"].front
    assert front["image"] == "photo.jpg"
    assert front["image_alt"] == "Le port de Plouzévan au lever du jour, chalutiers à quai"
    assert front["image_caption"] == "Le port, mardi matin, vu depuis la jetée. Photo Jean Le Goff"


def test_photos_found_in_the_media_folder_are_copied_under_their_original_name() -> None:
    _, items = fixture()
    post = items["42"]
    assert [
        (Path(m.source).relative_to(UPLOADS.resolve()).as_posix(), m.name) for m in post.media
    ] == [
        ("2024/03/marche.jpg", "marche.jpg"),  # the body's marche-1024x683.jpg
        ("2024/03/photo.jpg", "photo.jpg"),
    ]
    assert '![Les étals du marché couvert, samedi matin](marche.jpg "Légende' in post.body
    assert post.remote == ()


def test_without_media_images_stay_on_the_old_site_and_are_listed() -> None:
    source, items = fixture(media=None)
    post = items["42"]
    assert post.media == ()
    assert (
        post.front["image"] == "https://courrier-plouzevan.fr/wp-content/uploads/2024/03/photo.jpg"
    )
    assert post.remote == (
        "https://courrier-plouzevan.fr/wp-content/uploads/2024/03/marche-1024x683.jpg",
        "https://courrier-plouzevan.fr/wp-content/uploads/2024/03/photo.jpg",
    )
    assert "4 images left on the old site (no --media folder given)" in source.summary()


def test_a_photo_missing_from_the_media_folder_stays_remote() -> None:
    _, items = fixture()
    assert items["43"].remote == (
        "https://courrier-plouzevan.fr/wp-content/uploads/2024/03/vieux-greement.jpg",
    )


def test_two_files_of_one_name_get_two_names(tmp_path: Path) -> None:
    media = tmp_path / "uploads"
    for month in ("2023/11", "2024/03"):
        (media / month).mkdir(parents=True)
        shutil.copyfile(UPLOADS / "2024/03/photo.jpg", media / month / "photo.jpg")
    body = (
        f'<p><img src="{SITE}/wp-content/uploads/2023/11/photo.jpg" alt="Avant"></p>'
        f'<p><img src="/wp-content/uploads/2024/03/photo.jpg" alt="Après"></p>'
        f'<p><img src="{SITE}/wp-content/uploads/2023/11/photo-300x200.jpg" alt="Encore"></p>'
    )
    found = one(tmp_path, item_xml(1, content=body), media=media)
    assert [m.name for m in found.media] == ["photo.jpg", "photo-2.jpg"]
    assert found.body == "![Avant](photo.jpg)\n\n![Après](photo-2.jpg)\n\n![Encore](photo.jpg)\n"


def test_a_path_escaping_the_media_folder_is_not_followed(tmp_path: Path) -> None:
    media = tmp_path / "uploads"
    media.mkdir()
    shutil.copyfile(UPLOADS / "2024/03/photo.jpg", tmp_path / "secret.jpg")
    body = f'<p><img src="{SITE}/wp-content/uploads/../secret.jpg" alt="x"></p>'
    found = one(tmp_path, item_xml(1, content=body), media=media)
    assert found.media == ()


def test_an_image_without_alt_text_gets_its_caption_or_title_and_a_report_line() -> None:
    source, items = fixture()
    post = items["43"]
    assert '![Les enfants de l’école Jules-Ferry ont ouvert le défilé.](ecole.jpg "' in post.body
    assert "![Vieux gréement dans l’avant-port](https://courrier-plouzevan.fr/wp-" in post.body
    assert post.dropped[:2] == (
        "image without alt text: made from its attachment's title, \"Vieux gréement dans"
        ' l’avant-port", to review',
        'image without alt text: made from its caption, "Les enfants de l’école Jules-Ferry ont'
        ' ouvert le défilé.", to review',
    )
    assert "2 alt texts made up, to review" in source.summary()


def test_a_featured_image_without_alt_text_gets_its_caption(tmp_path: Path) -> None:
    post = item_xml(1, extra=meta("_thumbnail_id", "9"))
    picture = attachment_xml(9, f"{SITE}/wp-content/uploads/p.jpg", caption="Le quai <em>Est</em>")
    found = one(tmp_path, picture, post)
    assert (found.front["image_alt"], found.front["image_caption"]) == (
        "Le quai Est",
        "Le quai Est",
    )
    assert found.dropped == (
        'featured image without alt text: made from its caption, "Le quai Est", to review',
    )


def test_a_body_image_takes_its_attachments_alt_text(tmp_path: Path) -> None:
    body = f'<p><img src="{SITE}/wp-content/uploads/2024/03/port-300x200.jpg" alt=""></p>'
    picture = attachment_xml(9, f"{SITE}/wp-content/uploads/2024/03/port.jpg", alt="Le port")
    found = one(tmp_path, item_xml(1, content=body), picture)
    assert found.body.startswith("![Le port](")
    assert found.dropped == ()


# --- addresses, comments, summary -------------------------------------------------------


def test_old_addresses_become_aliases() -> None:
    _, items = fixture()
    assert items["42"].front["aliases"] == [
        "/2024/03/05/le-marche-couvert-rouvre-ses-portes/",
        "/?p=42",
    ]
    assert items["49"].front["aliases"] == ["/?page_id=49"]  # its permalink is its new address
    assert "aliases" not in items["44"].front and "aliases" not in items["46"].front  # never public


def test_comments_are_counted_not_imported() -> None:
    source, items = fixture()
    assert "2 comments not imported" in items["42"].recognised  # spam and pending ones aside
    assert "3 approved comments not imported" in source.summary()


def test_the_summary_says_what_the_export_held() -> None:
    source, _ = fixture()
    assert source.summary() == (
        "export.xml: 6 articles (2 of them drafts), 2 pages read",
        "private, not imported: post 47, « Note interne : planning des astreintes de l’été »",
        "not imported, by status: trash (1)",
        "not articles or pages, not imported: attachment (4), nav_menu_item (1), revision (1),"
        " wpcf7_contact_form (1)",
        "3 approved comments not imported",
        "1 image left on the old site (not found in the media folder)",
        "2 alt texts made up, to review",
    )


def test_the_body_is_presse_markdown() -> None:
    _, items = fixture()
    body = items["42"].body
    assert "> « Nous avons tenu les délais, c’est l’essentiel." in body
    assert "\n\n– Marie Dupont, maire de Plouzévan\n\n" in body
    assert "\n\nhttps://www.youtube.com/watch?v=Kx3pQ9vLm2A\n\n" in body
    assert "`ERREUR [[0]]> REDÉMARRER`" in body  # "]]>" split across two CDATA sections
    assert items["42"].recognised[-4:] == (
        "1 quotation",
        "1 embed",
        "2 photos copied beside the article",
        "2 comments not imported",
    )


# --- the whole fixture, written and parsed by presse ------------------------------------


def test_every_imported_file_is_a_valid_presse_article(tmp_path: Path) -> None:
    config = SiteConfig()
    md = shared_markdown("safe", config.embeds)
    _, items = fixture()
    for item in items.values():
        folder = "pages" if item.page else f"{item.year:04d}"
        base = tmp_path / "content" / folder / item.slug
        path = base / "index.md" if item.media else base.with_suffix(".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        for media in item.media:
            shutil.copyfile(media.source, path.parent / media.name)
        text = file_text(item)
        path.write_text(text, encoding="utf-8")
        article = parse_article(SourceFile.of_text(path.relative_to(tmp_path), text), config, md)
        assert (article.slug, article.page) == (item.slug, item.page)
        assert article.draft == bool(item.front.get("draft"))
        assert len(article.aliases) == len(item.front.get("aliases", ()))
        files = [p.file for p in article.body.photos if p.file] + [article.image_file or ""]
        assert all((tmp_path / f).is_file() for f in files if f), files


def test_the_command_line_imports_the_export_once_and_it_builds(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "presse.toml").write_text("search = false\n", encoding="utf-8")
    result = run_presse("import", str(EXPORT), "--media", str(UPLOADS), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported 6 articles, 2 pages (2 of them drafts)"
    assert (tmp_path / "content/2024/le-marche-couvert-rouvre-ses-portes/photo.jpg").is_file()
    again = run_presse("import", str(EXPORT), "--media", str(UPLOADS), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].endswith("8 already imported, skipped")
    build(BuildOptions(site_dir=tmp_path, output_dir=tmp_path / "public", now=NOW))
    public = tmp_path / "public"
    html = (public / "2024/03/le-marche-couvert-rouvre-ses-portes/index.html").read_text("utf-8")
    assert '<figure class="citation">' in html and "embed--video" in html
    assert "<picture" in html
    old = public / "2024/03/05/le-marche-couvert-rouvre-ses-portes/index.html"
    assert "/2024/03/le-marche-couvert-rouvre-ses-portes/" in old.read_text("utf-8")
    assert (public / "mentions-legales/index.html").is_file()
    assert not (public / "2031").exists()  # embargoed until 2031
