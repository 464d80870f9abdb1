"""``presse import`` of a Jekyll or Hugo site (presse.generators): the folder, its
slugs and aliases kept unique, the summary, and the fixtures imported whole.

Small sites are written into ``tmp_path`` for each rule (the helpers here serve the
``test_generator_*`` modules too); ``tests/fixtures/jekyll-eig/`` (posts of a real
French Jekyll site, unchanged) and ``tests/fixtures/hugo-mini/`` (a tiny Hugo site
written for these tests) are imported whole, then built with presse.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.generators import GeneratorFolder, detect_generator
from presse.imports import Imported, ImportedAuthor, file_text
from presse.model import PAGES_FOLDER
from presse.redirects import Redirect
from presse.slugs import url_to_output_path
from tests.conftest import REPO
from tests.test_real_copy import FOREIGN_TEXT, stand_in_photos, visible_texts
from tests.test_validity import html_pages

FIXTURES = REPO / "tests" / "fixtures"
EIG = FIXTURES / "jekyll-eig"
HUGO = FIXTURES / "hugo-mini"
CONFIG = SiteConfig()
NOW = datetime.fromisoformat("2026-11-30T12:00:00+01:00")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def items(root: Path) -> list[Imported]:
    return list(GeneratorFolder(root, CONFIG).items())


def jekyll(
    root: Path,
    front: str,
    body: str = "Le texte.\n",
    name: str = "_posts/2024-03-05-mon-article.md",
    config: str = "title: Test\n",
) -> Imported:
    """The one item of a Jekyll site holding one file."""
    (item,) = items(write(root, {"_config.yml": config, name: f"---\n{front}---\n{body}"}))
    return item


def hugo(
    root: Path,
    front: str,
    body: str = "Le texte.\n",
    name: str = "content/post/mon-article.md",
    config: str = 'baseURL = "https://exemple.org/"\n',
) -> Imported:
    """The one item of a Hugo site holding one file (TOML front matter)."""
    (item,) = items(write(root, {"hugo.toml": config, name: f"+++\n{front}+++\n{body}"}))
    return item


# --- what the folder is --------------------------------------------------------------


def test_detect_generator(tmp_path: Path) -> None:
    assert detect_generator(EIG) == "jekyll"
    assert detect_generator(HUGO) == "hugo"
    assert detect_generator(write(tmp_path / "a", {"_posts/2024-01-01-x.md": ""})) == "jekyll"
    old_hugo = write(tmp_path / "b", {"config.yaml": "title: x\n", "content/x.md": ""})
    assert detect_generator(old_hugo) == "hugo"
    assert detect_generator(write(tmp_path / "c", {"notes.md": ""})) is None


def test_a_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PresseError, match="is not a folder"):
        GeneratorFolder(tmp_path / "nothing", CONFIG)


# --- across the import: authors, slugs, aliases, the summary -------------------------


def test_authors_lists_each_author_once(tmp_path: Path) -> None:
    write(tmp_path, {
        "_posts/2024-01-01-a.md": "---\ntitle: A\nauthor: Léa Martin\n---\n",
        "_posts/2024-01-02-b.md": "---\ntitle: B\nauthors: [Léa Martin, Paul Durand]\n---\n",
    })  # fmt: skip
    source = GeneratorFolder(tmp_path, CONFIG)
    list(source.items())
    assert source.authors() == (
        ImportedAuthor("lea-martin", "Léa Martin"),
        ImportedAuthor("paul-durand", "Paul Durand"),
    )


def test_a_slug_already_taken_gets_a_number(tmp_path: Path) -> None:
    write(tmp_path, {
        "_posts/2018-12-05-offre-stage.md": "---\ntitle: A\n---\n",
        "_posts/2019-11-29-offre-stage.md": "---\ntitle: B\n---\n",
    })  # fmt: skip
    source = GeneratorFolder(tmp_path, CONFIG)
    first, second = source.items()
    assert (first.slug, second.slug) == ("offre-stage", "offre-stage-2")
    assert second.front["slug"] == "offre-stage-2"
    assert second.dropped[-1] == (
        'slug "offre-stage" already taken by _posts/2018-12-05-offre-stage.md:'
        ' renamed "offre-stage-2"'
    )
    assert any("offre-stage → offre-stage-2" in line for line in source.summary())


def test_an_alias_an_earlier_item_has_is_dropped(tmp_path: Path) -> None:
    """Jekyll's ``none`` style gives two posts of one name one address: it now leads to
    the first (redirects from one address to two pages would stop the build)."""
    write(tmp_path, {
        "_config.yml": "permalink: none\n",
        "_posts/2018-12-05-offre-stage.md": "---\ntitle: A\n---\n",
        "_posts/2019-11-29-offre-stage.md":
            "---\ntitle: B\nredirect_from: [/stages, /stages/]\n---\n",
    })  # fmt: skip
    source = GeneratorFolder(tmp_path, CONFIG)
    first, second = source.items()
    assert first.front["aliases"] == ["/offre-stage.html"]
    assert second.front["aliases"] == ["/stages"]  # "/stages/" is the same address
    assert second.dropped[-1] == (
        'alias "/offre-stage.html" dropped: already an alias of _posts/2018-12-05-offre-stage.md'
    )
    summary = source.summary()
    assert "1 old address kept as an alias (e.g. /offre-stage.html)" in summary
    assert "1 alias dropped (each item's report says why): /offre-stage.html" in summary


def test_an_unknown_placeholder_gives_no_alias_and_a_summary_line(tmp_path: Path) -> None:
    write(tmp_path, {"hugo.toml": '[permalinks]\npost = "/:year/:mystere/"\n'})
    write(tmp_path, {"content/post/x.md": '+++\ntitle = "T"\ndate = 2024-01-01\n+++\n'})
    source = GeneratorFolder(tmp_path, CONFIG)
    (item,) = source.items()
    assert "aliases" not in item.front
    assert "1 old address not computed: unknown placeholder :mystere" in source.summary()


# --- the fixtures, whole -------------------------------------------------------------


def test_the_eig_fixture_is_an_unchanged_copy() -> None:
    """Each file's git blob hash is the one at the commit the README names."""
    listed = re.findall(
        r"^\| `([^`]+)` \| `([0-9a-f]{40})` \|", (EIG / "README.md").read_text(), re.M
    )
    assert len(listed) == 18
    for name, blob in listed:
        data = (EIG / name).read_bytes()
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == blob, name


def test_the_eig_import_reports_what_it_did() -> None:
    source = GeneratorFolder(EIG, CONFIG)
    imported = list(source.items())
    assert len(imported) == 16 and not any(item.page for item in imported)
    assert source.summary() == (
        "16 articles imported from a Jekyll site; 2 drafts;"
        " 3 keys dropped: layout (16), twitter (16), lang-ref (7); 10 Liquid tags converted",
        "14 old addresses kept as aliases"
        " (e.g. /blog/2018/02/27/bootcamp-comment-souder-un-collectif-de-talents.html)",
        "6 images without alt text: the title or caption stands in, to review",
        "1 slug renamed (already taken): offre-stage → offre-stage-2",
        "32 images named by a path of the site (/img/blog/Tiphaine-Guillaume.jpg…):"
        " copy them from the imported site's root into static/"
        " (32 missing from the imported folder)",
    )
    tensorflow = next(item for item in imported if "tensorflow" in item.origin)
    assert tensorflow.front["draft"] is True and tensorflow.body.count("```python\n") == 5
    assert "{%" not in tensorflow.body


def test_the_hugo_mini_import_reports_what_it_did() -> None:
    source = GeneratorFolder(HUGO, CONFIG)
    imported = list(source.items())
    assert [item.origin for item in imported] == [
        "content/a-propos.md",
        "content/post/brouillon.md",
        "content/post/premier-article.md",
        "content/post/fete-du-village/index.md",
        "content/rubrique/contact.md",
    ]
    assert source.summary() == (
        "3 articles, 2 pages imported from a Hugo site; 1 draft;"
        " 4 keys dropped: weight (2), comments (1), menu (1), toc (1);"
        " 3 Hugo shortcodes left out; 4 Hugo shortcodes converted",
        "3 old addresses kept as aliases (e.g. /2024/03/le-conseil-municipal-vote-le-budget/)",
        "1 alias dropped (each item's report says why): /mairie/contact.html#horaires",
        "2 images without alt text: the title or caption stands in, to review",
        "1 image named by a path of the site (/img/une.jpg…):"
        " copy it from the imported site's static/ folder into static/",
        "2 files skipped: _index.md (a section's listing page) (2)",
    )
    contact = imported[-1]
    assert contact.front["aliases"] == ["/nous-ecrire/", "/rubrique/contact/"]
    assert contact.dropped == (
        'alias "/mairie/contact.html#horaires" dropped: an alias must not contain spaces,'
        " control characters or a fragment (#)",
    )


def site_of(imported: list[Imported], site: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The items written into a new presse site as ``presse import`` writes them
    (articles in ``content/<year>/``, pages in ``content/pages/``, a page bundle as
    ``<slug>/index.md`` beside its images), and what the build must publish: each
    item's page, and each alias's redirect page, by output file, with the address of
    the item's page."""
    pages: dict[str, str] = {}
    redirects: dict[str, str] = {}
    for item in imported:
        folder = site / "content" / (PAGES_FOLDER if item.page else f"{item.year:04d}")
        target = folder / item.slug / "index.md" if item.media else folder / f"{item.slug}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file_text(item), "utf-8")
        for media in item.media:
            (target.parent / media.name).write_bytes(Path(media.source).read_bytes())
        url = f"/{item.slug}/" if item.page else article_url(item)
        pages[url_to_output_path(url)] = url
        for alias in item.front.get("aliases", ()):
            path = Redirect(alias, url, item.front["title"], item.origin).page_path
            assert path is not None, alias  # no query string in these fixtures
            redirects[path] = url
    return pages, redirects


def article_url(item: Imported) -> str:
    """Where presse publishes an imported article (the default permalink)."""
    published = datetime.fromisoformat(item.front["date"])
    published = published if published.tzinfo else published.replace(tzinfo=CONFIG.tzinfo)
    local = published.astimezone(CONFIG.tzinfo)
    return f"/{local.year:04d}/{local.month:02d}/{item.slug}/"


def stand_in_lead_photos(site: Path) -> None:
    """The old sites' own images were not copied (see the fixtures' READMEs): a small
    stand-in at each path a lead image names, as for the body's (stand_in_photos)."""
    from PIL import Image

    stand_in_photos(site)
    for source in (site / "content").rglob("*.md"):
        for reference in re.findall(r"^image: (/\S+)$", source.read_text("utf-8"), re.M):
            path = site / "static" / reference.lstrip("/")
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                kind = "PNG" if path.suffix.lower() == ".png" else "JPEG"
                Image.new("RGB", (64, 40), (90, 110, 130)).save(path, kind)


# Any opening of Liquid or a shortcode, and test_real_copy's whole forms.
TEMPLATE_TEXT = re.compile(rf"\{{\{{|\{{%|{FOREIGN_TEXT.pattern}")


def template_syntax_shown(public: Path) -> list[str]:
    """Liquid or shortcode syntax a reader would see on any page (code left out)."""
    return [
        f"{page.relative_to(public)}: {found.group()}"
        for page in html_pages(public)
        for text in visible_texts(page)
        for found in TEMPLATE_TEXT.finditer(text)
    ]


@pytest.mark.parametrize("fixture", [EIG, HUGO], ids=["jekyll-eig", "hugo-mini"])
def test_an_imported_site_builds_with_no_template_syntax_on_any_page(
    tmp_path: Path, fixture: Path
) -> None:
    """Issue 13: a whole site moved in builds, every article and page has its page
    (drafts included), every old address leads to it, and no reader sees Liquid or
    shortcode syntax."""
    imported = list(GeneratorFolder(fixture, CONFIG).items())
    site = tmp_path / "site"
    pages, redirects = site_of(imported, site)
    if fixture == HUGO:
        (site / "static/img").mkdir(parents=True)
        (site / "static/img/une.jpg").write_bytes((HUGO / "static/img/une.jpg").read_bytes())
    stand_in_lead_photos(site)
    build(BuildOptions(site_dir=site, output_dir=site / "public", now=NOW, drafts=True))
    public = site / "public"
    assert [path for path in [*pages, *redirects] if not (public / path).is_file()] == []
    assert template_syntax_shown(public) == []
    for path in pages:
        root = lxml.html.parse(str(public / path)).getroot()
        assert root.find_class("article") or root.xpath("//article"), path
    for path, url in redirects.items():
        root = lxml.html.parse(str(public / path)).getroot()
        assert root.xpath("//link[@rel='canonical']/@href")[0].endswith(url), path
    lines = (public / "_redirects").read_text("utf-8").splitlines()
    assert len([line for line in lines if line.endswith(" 301")]) == len(redirects)
    if fixture == EIG:  # its {% highlight python %} blocks are code blocks, not prose
        page = public / "2018/07/entree-technique-tensorflow/index.html"
        assert page.read_text("utf-8").count('<code class="language-python">') == 5
    else:
        assert {"a-propos/index.html", "contact/index.html"} <= set(pages)
