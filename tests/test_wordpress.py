"""``presse import export.xml``: a WordPress export (WXR) read as articles and pages
(issue 13): the file (recognised, streamed, its errors), the summary, and the whole fixture
export (written by the presse team, see tests/fixtures/wordpress/README.md) imported and
built. What each item becomes: tests/test_wordpress_item.py, which shares the helpers
that write small exports here."""

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


# --- summary --------------------------------------------------------------------------


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
