"""One WordPress item mapped to a presse article or page (issue 13): status, dates,
identity, authors, section and tags, images, old addresses. Each test reads an export
through :class:`presse.wordpress.WordPressExport`, the fixture's or a small one."""

from __future__ import annotations

import shutil
from pathlib import Path

from presse.config import SiteConfig
from presse.wordpress import WordPressExport
from tests.test_wordpress import (
    EXPORT,
    SITE,
    UPLOADS,
    attachment_xml,
    fixture,
    item_xml,
    meta,
    one,
    term,
)

# --- which items ----------------------------------------------------------------------


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


# --- dates ----------------------------------------------------------------------------


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


# --- section, tags, summary -----------------------------------------------------------


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


# --- images ---------------------------------------------------------------------------


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


# --- addresses, comments, body --------------------------------------------------------


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
