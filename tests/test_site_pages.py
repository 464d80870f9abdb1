"""Pages of the site that are not news: legal notice, about, contact (issue 13).

Checked with feedparser (feeds), lxml (sitemaps) and extruct (structured data).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import extruct
import feedparser
import pytest
from lxml import etree

from presse.build import BuildOptions, build
from presse.check import check_site
from presse.errors import PresseError
from tests.conftest import FIXED_NOW, SITES, run_presse

NOW = datetime.fromisoformat(FIXED_NOW)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LEGAL = """
[legal]
name = "Le Petit Journal SAS"
address = "3 place du Marché, 29000 Quimper"
director = "Anne Le Goff"
email = "contact@exemple.fr"
host = "Hébergeur SA, 2 rue du Port, 59000 Lille"
"""


def page(title: str, body: str = "Texte de la page.", **front: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in front.items())
    return f"---\ntitle: {title}\n{extra}---\n\n{body}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITES / "basic", root)
    (root / "templates" / "partials" / "footer.html").unlink()  # the theme's, with its links
    pages = root / "content" / "pages"
    pages.mkdir()
    (pages / "mentions-legales.md").write_text(page("Mentions légales"), encoding="utf-8")
    (pages / "a-propos.md").write_text(
        page("Qui sommes-nous ?", "Une rédaction indépendante.", summary="La rédaction."),
        encoding="utf-8",
    )
    (pages / "contact.md").write_text(page("Contact", updated="2025-01-10"), encoding="utf-8")
    config = root / "presse.toml"
    config.write_text(config.read_text(encoding="utf-8") + LEGAL, encoding="utf-8")
    return root


def built(site: Path) -> Path:
    out = site / "public"
    build(BuildOptions(site_dir=site, output_dir=out, now=NOW))
    return out


def test_a_page_has_its_own_address_from_its_file_name(site: Path) -> None:
    out = built(site)
    html = (out / "a-propos" / "index.html").read_text("utf-8")
    assert '<h1 class="article__title">Qui sommes-nous\u202f?</h1>' in html
    assert "Une rédaction indépendante." in html
    assert "Publié le" not in html and "min de lecture" not in html  # not news


def test_pages_are_never_listed_with_the_news(site: Path) -> None:
    out = built(site)
    titles = {"Mentions légales", "Contact", "Qui sommes-nous\u202f?"}
    for feed in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((out / feed).read_bytes())
        assert titles.isdisjoint(entry.title for entry in parsed.entries)
    front = (out / "index.html").read_text("utf-8")
    assert 'class="card' in front and "/a-propos/" not in front.split("<footer")[0]
    news = etree.parse(str(out / "news-sitemap.xml"))
    assert not [u for u in news.xpath("//s:loc/text()", namespaces=SITEMAP_NS) if "propos" in u]
    assert not any("propos" in p.name for p in (out / "archives").rglob("*"))
    shards = (out / "pagefind").rglob("*")
    assert shards  # the search index exists, and only articles were given to it
    indexed = json.dumps(sorted(str(p) for p in (out / "pagefind").rglob("*")))
    assert "a-propos" not in indexed


def test_pages_are_in_the_sitemap_with_their_update_if_any(site: Path) -> None:
    out = built(site)
    tree = etree.parse(str(out / "sitemap.xml"))
    ns = SITEMAP_NS
    entries = {
        url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
        for url in tree.xpath("//s:url", namespaces=ns)
    }
    assert entries["https://temoin.example/a-propos/"] is None  # no date: no lastmod
    assert entries["https://temoin.example/contact/"].startswith("2025-01-10")


def test_footer_links_every_page_by_default_and_the_config_order_when_given(site: Path) -> None:
    out = built(site)
    footer = (out / "index.html").read_text("utf-8").split('class="site-footer__pages"')[1]
    order = [footer.index(f"/{slug}/") for slug in ("a-propos", "contact", "mentions-legales")]
    assert order == sorted(order)
    config = site / "presse.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text('footer_pages = ["mentions-legales", "contact"]\n' + text, encoding="utf-8")
    footer = (built(site) / "index.html").read_text("utf-8").split("site-footer__pages")[1]
    assert footer.index("/mentions-legales/") < footer.index("/contact/")
    assert "/a-propos/" not in footer


def test_a_footer_page_that_does_not_exist_is_an_error(site: Path) -> None:
    config = site / "presse.toml"
    config.write_text('footer_pages = ["contacts"]\n' + config.read_text("utf-8"), "utf-8")
    with pytest.raises(PresseError) as caught:
        built(site)
    assert str(caught.value) == (
        'presse.toml: footer_pages: no published page "contacts" in content/pages/'
    )


def test_legal_notice_and_structured_data_name_the_same_publisher(site: Path) -> None:
    out = built(site)
    legal = (out / "mentions-legales" / "index.html").read_text("utf-8")
    for detail in ("Le Petit Journal SAS", "Anne Le Goff", "Directeur de la publication"):
        assert detail in legal
    article = (out / "2025" / "01" / "bilan-hiver" / "index.html").read_text("utf-8")
    data = extruct.extract(article, syntaxes=["json-ld"])["json-ld"]
    publisher = next(d for d in data if d["@type"] == "NewsArticle")["publisher"]
    assert publisher["legalName"] == "Le Petit Journal SAS"
    assert publisher["address"] == "3 place du Marché, 29000 Quimper"
    assert publisher["address"] in legal and publisher["email"] in legal
    page_data = extruct.extract(legal, syntaxes=["json-ld"])["json-ld"]
    about = next(d for d in page_data if d["@type"] == "WebPage")["about"]
    assert about["legalName"] == publisher["legalName"]


def test_a_page_needs_no_date_but_may_be_a_draft(site: Path) -> None:
    (site / "content" / "pages" / "projet.md").write_text(
        page("Projet", draft="true"), encoding="utf-8"
    )
    out = built(site)
    assert not (out / "projet").exists()
    assert "/projet/" not in (out / "index.html").read_text("utf-8")


def test_an_article_cannot_pick_a_page_as_related(site: Path) -> None:
    article = site / "content" / "2025" / "ete.md"
    text = article.read_text("utf-8").replace("  - theatre-la-rentree", "  - contact")
    article.write_text(text, encoding="utf-8")
    with pytest.raises(PresseError) as caught:
        built(site)
    assert 'related article "contact" is a page of the site, not an article' in str(caught.value)


def test_check_warns_when_the_site_has_no_legal_notice(site: Path) -> None:
    assert not [f for f in check_site(site, now=NOW) if f.code == "legal-notice"]
    (site / "content" / "pages" / "mentions-legales.md").unlink()
    found = [f for f in check_site(site, now=NOW) if f.code == "legal-notice"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "content/pages/mentions-legales.md" in found[0].message


def test_the_command_line_builds_pages(site: Path) -> None:
    result = run_presse("build", "--now", FIXED_NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "public" / "mentions-legales" / "index.html").is_file()
