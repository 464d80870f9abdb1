"""The old site's files, what each is by its place (presse.generator_site): posts,
drafts and pages of Jekyll, Hugo's content folder, a plain folder, dates in file names,
and a broken config."""

from __future__ import annotations

from pathlib import Path

import pytest

from presse.errors import PresseError
from presse.generators import GeneratorFolder
from tests.test_generators import CONFIG, EIG, items, jekyll, write

# --- dates in Jekyll's file names ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2019-06-12-x.md", "2019-06-12"),
        ("2019-6-1-x.md", "2019-06-01"),  # Jekyll takes one-digit months and days
        ("18-02-27-x.md", "2018-02-27"),  # two digits: Ruby's Time.parse, 20yy below 69
        ("68-01-01-x.md", "2068-01-01"),
        ("69-07-20-x.md", "1969-07-20"),
    ],
)
def test_date_from_a_jekyll_file_name(tmp_path: Path, name: str, expected: str) -> None:
    item = jekyll(tmp_path, "title: T\n", name=f"_posts/{name}")
    assert item.front["date"] == expected
    assert item.front["slug"] == "x"


def test_two_digit_years_are_the_years_the_eig_site_itself_links_to() -> None:
    """The EIG posts are named ``18-10-12-…``; another post links to the published
    article: ``/blog/2018/10/12/retour-sur-atelier-wikipedia-au-mobilier-national.html``."""
    imported = {item.origin: item for item in items(EIG)}
    wikipedia = imported["_posts/18-10-12-retour-sur-atelier-wikipedia-au-mobilier-national.md"]
    assert wikipedia.front["date"] == "2018-10-12"
    linking = imported["_posts/18-11-14-administrations-eig-et-logiciel-libre.md"]
    (old,) = wikipedia.front["aliases"]
    assert f"entrepreneur-interet-general.etalab.gouv.fr{old})" in linking.body


def test_a_file_name_date_that_is_no_date_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PresseError, match='the file name\'s date "2024-02-30" is not a date'):
        jekyll(tmp_path, "title: T\n", name="_posts/2024-02-30-x.md")


# --- files and places ----------------------------------------------------------------


def test_jekyll_pages_by_layout(tmp_path: Path) -> None:
    write(tmp_path, {
        "_config.yml": "permalink: pretty\n",
        "a-propos.md": "---\nlayout: page\ntitle: À propos\npermalink: /qui/\n---\nNous.\n",
        "contact/index.md": "---\ntitle: Contact\n---\nÉcrire.\n",
        "tag/open.md": "---\nlayout: tag-archive\ntitle: 'Tag: open'\n---\n",
        "notes.md": "Pas de front matter : Jekyll le copie tel quel.\n",
        "README.md": "---\ntitle: Le dépôt\n---\n",
        "_defis/x.md": "---\ntitle: Une collection\n---\n",
    })  # fmt: skip
    source = GeneratorFolder(tmp_path, CONFIG)
    pages = {item.origin: item for item in source.items()}
    assert set(pages) == {"a-propos.md", "contact/index.md"}
    assert all(item.page for item in pages.values())
    assert pages["a-propos.md"].front["aliases"] == ["/qui/"]
    assert pages["contact/index.md"].slug == "contact"
    assert "contact/index.md" not in str(pages["contact/index.md"].front.get("aliases"))
    assert any('layout "tag-archive"' in line for line in source.summary())


def test_jekyll_exclude_is_honoured(tmp_path: Path) -> None:
    write(tmp_path, {
        "_config.yml": "exclude:\n  - brouillons/\n  - _posts/2023-*\n",
        "_posts/2023-01-01-vieux.md": "---\ntitle: Vieux\n---\n",
        "_posts/2024-01-01-neuf.md": "---\ntitle: Neuf\n---\n",
        "brouillons/idee.md": "---\nlayout: page\ntitle: Idée\n---\n",
    })  # fmt: skip
    assert [item.origin for item in items(tmp_path)] == ["_posts/2024-01-01-neuf.md"]


def test_hugo_pages_at_the_top_or_of_type_page(tmp_path: Path) -> None:
    write(tmp_path, {
        "hugo.toml": "",
        "content/a-propos.md": "---\ntitle: À propos\n---\n",
        "content/equipe/index.md": "---\ntitle: L’équipe\n---\n",
        "content/infos/contact.md": "---\ntitle: Contact\ntype: page\n---\n",
        "content/post/x.md": "---\ntitle: X\ndate: 2024-01-01\n---\n",
    })  # fmt: skip
    pages = {item.origin: item.page for item in items(tmp_path)}
    assert pages == {
        "content/a-propos.md": True,
        "content/equipe/index.md": True,
        "content/infos/contact.md": True,
        "content/post/x.md": False,
    }


def test_hugo_index_files_and_templates_are_no_articles(tmp_path: Path) -> None:
    write(tmp_path, {
        "hugo.toml": "",
        "content/_index.md": "---\ntitle: Accueil\n---\n",
        "content/post/_index.fr.md": "---\ntitle: Articles\n---\n",
        "content/post/x.md": "---\ntitle: X\ndate: 2024-01-01\n---\n",
        "content/post/y.html": "<p>Du HTML</p>\n",
        "layouts/_default/single.md": "---\ntitle: Modèle\n---\n",
        "themes/t/exampleSite/content/post/z.md": "---\ntitle: Z\ndate: 2024-01-01\n---\n",
        "static/doc.md": "---\ntitle: Statique\n---\n",
        "archetypes/default.md": "---\ntitle: '{{ .Name }}'\n---\n",
    })  # fmt: skip
    source = GeneratorFolder(tmp_path, CONFIG)
    assert [item.origin for item in source.items()] == ["content/post/x.md"]
    assert source.summary()[-1] == (
        "3 files skipped: _index.md (a section's listing page) (2),"
        " .html file (only Markdown is imported) (1)"
    )


def test_a_plain_folder_is_read_file_by_file(tmp_path: Path) -> None:
    write(tmp_path, {
        "2024-03-05-le-budget.md": "---\ntitle: Le budget\ntags: budget vote\n---\n",
        "2024-04-02-le-bal.md": '+++\ntitle = "Le bal"\ntags = ["bal populaire"]\n+++\n',
        "sorties/concert.md": '+++\ntitle = "Le concert"\ndate = 2024-04-01\n+++\n',
        "qui.md": "---\ntitle: Qui sommes-nous\n---\n",
        "node_modules/x/readme.md": "---\ntitle: Pas un article\n---\n",
    })  # fmt: skip
    source = GeneratorFolder(tmp_path, CONFIG)
    found = {item.front["id"]: item for item in source.items()}
    assert set(found) == {
        "jekyll:2024-03-05-le-budget.md",
        "hugo:2024-04-02-le-bal.md",
        "hugo:qui.md",
        "hugo:sorties/concert.md",
    }
    assert found["jekyll:2024-03-05-le-budget.md"].front["date"] == "2024-03-05"
    assert found["jekyll:2024-03-05-le-budget.md"].front["tags"] == ["budget", "vote"]
    assert found["hugo:2024-04-02-le-bal.md"].front["date"] == "2024-04-02"  # by its name
    assert found["hugo:2024-04-02-le-bal.md"].front["tags"] == ["bal populaire"]
    assert found["hugo:qui.md"].page and not found["hugo:sorties/concert.md"].page
    assert "aliases" not in found["hugo:sorties/concert.md"].front  # no config, no pattern
    assert source.summary()[0].endswith("imported from a folder of Markdown files")


# --- the config ----------------------------------------------------------------------


def test_a_broken_config_is_an_error_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, {"_config.yml": "title: x\npermalink: [\n", "_posts/2024-01-01-x.md": ""})
    with pytest.raises(PresseError) as caught:
        GeneratorFolder(tmp_path, CONFIG)
    assert caught.value.path == tmp_path / "_config.yml" and caught.value.line == 3
