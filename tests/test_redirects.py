"""Old addresses that keep answering: ``aliases`` (issue 13).

Each alias is checked as a reader's browser and a crawler meet it: lxml reads the
redirect page's refresh, canonical and robots tags.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from presse.build import BuildOptions, build
from presse.check import check_site
from presse.errors import PresseError
from presse.redirects import Redirect, redirects_lines
from tests.conftest import FIXED_NOW, SITES, leftovers, run_presse, tree_bytes

NOW = datetime.fromisoformat(FIXED_NOW)
HIVER = "content/2025/hiver.md"  # published at /2025/01/bilan-hiver/


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITES / "basic", root)
    return root


def with_aliases(site: Path, *aliases: str, path: str = HIVER) -> None:
    source = site / path
    listed = "".join(f"  - {alias}\n" for alias in aliases)
    text = source.read_text("utf-8").replace("---\n", f"---\naliases:\n{listed}", 1)
    source.write_text(text, encoding="utf-8")


def built(site: Path) -> Path:
    out = site / "public"
    build(BuildOptions(site_dir=site, output_dir=out, now=NOW))
    return out


def test_an_alias_is_a_redirect_page_that_search_engines_follow(site: Path) -> None:
    with_aliases(site, "/2024/12/31/bilan-de-l-hiver/", "/archives/ancien.html", "/vieux-lien")
    out = built(site)
    new = "https://temoin.example/2025/01/bilan-hiver/"
    for path in (
        "2024/12/31/bilan-de-l-hiver/index.html",
        "archives/ancien.html",
        "vieux-lien/index.html",
    ):
        doc = lxml.html.fromstring((out / path).read_bytes())
        refresh = doc.xpath("//meta[@http-equiv='refresh']/@content")
        assert refresh == [f"0; url={new}"]
        assert doc.xpath("//link[@rel='canonical']/@href") == [new]
        assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert doc.xpath("//a/@href") == [new]


def test_every_alias_is_a_line_of_the_redirects_file(site: Path) -> None:
    with_aliases(site, "/2024/12/31/bilan-de-l-hiver/", "/?p=42")
    out = built(site)
    assert (out / "_redirects").read_text("utf-8").splitlines() == [
        "/2024/12/31/bilan-de-l-hiver/ /2025/01/bilan-hiver/ 301",
        "/ p=42 /2025/01/bilan-hiver/ 301",
    ]
    # No file can stand at "/?p=42": only the redirects file answers it.
    assert not [p for p in out.rglob("*") if "p=42" in p.name]


def test_redirects_follow_the_sites_base_path() -> None:
    lines = redirects_lines(
        [Redirect("/ancien/", "/2025/01/x/", "X", "a.md"), Redirect("/?p=7", "/y/", "Y", "b.md")],
        "/journal/",
    )
    assert lines == ["/journal/ancien/ /journal/2025/01/x/ 301", "/journal/ p=7 /journal/y/ 301"]


def test_a_site_without_aliases_has_no_redirects_file(site: Path) -> None:
    assert not (built(site) / "_redirects").exists()


def test_an_alias_that_is_a_page_of_the_site_is_an_error(site: Path) -> None:
    with_aliases(site, "/2025/01/bilan-hiver/", path="content/2025/ete.md")
    with pytest.raises(PresseError) as caught:
        built(site)
    assert str(caught.value).startswith("content/2025/ete.md:3: alias")
    assert "is the address of content/2025/hiver.md" in str(caught.value)


def test_an_alias_that_is_a_listing_page_is_an_error(site: Path) -> None:
    with_aliases(site, "/rubrique/culture/")
    result = run_presse("build", "--now", FIXED_NOW, cwd=site)
    assert result.returncode == 1
    assert "rubrique/culture/index.html" in result.stderr
    assert "the aliases of content/2025/hiver.md" in result.stderr
    assert "Traceback" not in result.stderr and leftovers(site) == []


def test_two_articles_may_not_claim_one_old_address(site: Path) -> None:
    with_aliases(site, "/ancien/")
    with_aliases(site, "/ancien", path="content/2025/ete.md")
    with pytest.raises(PresseError) as caught:
        built(site)
    assert str(caught.value) == (
        'content/2025/hiver.md:3: alias "/ancien/" is already an alias of content/2025/ete.md'
    )


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        ("/../../etc/x/", "would escape the output folder"),
        ("/a/%2e%2e/b/", "would escape the output folder"),
        ("https://ancien.example/x/", "must be a path of this site"),
        ("ancien/", 'must start with "/"'),
        ("/x/?p=1", 'may carry a query string only on "/"'),
        ("/x/#ancre", "must not contain spaces, control characters or a fragment"),
    ],
)
def test_a_bad_alias_is_a_located_error(site: Path, alias: str, problem: str) -> None:
    with_aliases(site, alias)
    with pytest.raises(PresseError) as caught:
        built(site)
    assert str(caught.value).startswith(f'{HIVER}:3: alias "{alias}" {problem}')


def test_a_bad_alias_leaves_the_previous_site(site: Path) -> None:
    assert run_presse("build", "--now", FIXED_NOW, cwd=site).returncode == 0
    before = tree_bytes(site / "public")
    with_aliases(site, "/../x/")
    result = run_presse("build", "--now", FIXED_NOW, cwd=site)
    assert result.returncode == 1 and result.stderr.startswith(f"{HIVER}:3: alias")
    assert tree_bytes(site / "public") == before


def test_adding_an_alias_to_a_built_site_equals_a_cold_build(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(BuildOptions(site_dir=site, output_dir=site / "public", now=NOW, cache_dir=cache))
    with_aliases(site, "/ancien/")
    build(BuildOptions(site_dir=site, output_dir=site / "public", now=NOW, cache_dir=cache))
    cold = tmp_path / "cold"
    build(BuildOptions(site_dir=site, output_dir=cold, now=NOW))
    assert tree_bytes(site / "public") == tree_bytes(cold)
    assert (cold / "ancien" / "index.html").is_file()


def test_check_follows_redirects(site: Path) -> None:
    with_aliases(site, "/ancien-bilan/")
    source = site / "content" / "2025" / "ete.md"
    source.write_text(
        source.read_text("utf-8") + "\nVoir [le bilan](/ancien-bilan/).\n", encoding="utf-8"
    )
    findings = check_site(site, now=NOW)
    assert not [f for f in findings if f.code == "broken-link"]
    moved = [f for f in findings if f.code == "redirected-link"]
    assert len(moved) == 1 and moved[0].path == "content/2025/ete.md"
    assert moved[0].message == (
        'link "/ancien-bilan/" is an old address of content/2025/hiver.md: link to'
        ' "/2025/01/bilan-hiver/" (readers skip a redirect)'
    )


def test_check_reports_an_alias_collision(site: Path) -> None:
    with_aliases(site, "/2025/01/bilan-hiver/", path="content/2025/ete.md")
    found = [f for f in check_site(site, now=NOW) if f.code == "alias"]
    assert [f.path for f in found] == ["content/2025/ete.md"]
