"""The old site's addresses kept as aliases (presse.generator_urls): Jekyll's and Hugo's
permalink patterns as each fills them, and the aliases presse cannot redirect from."""

from __future__ import annotations

from pathlib import Path

import pytest

from presse.generators import GeneratorFolder
from tests.test_generators import CONFIG, hugo, jekyll, write


def test_hugo_aliases(tmp_path: Path) -> None:
    item = hugo(
        tmp_path,
        'title = "T"\ndate = 2024-03-05\naliases = ["/ancien/t/", "court", '
        '"https://exemple.org/vieux.html"]\n',
        config='[permalinks]\npost = "/:year/:month/:slug/"\n',
    )
    assert item.front["aliases"] == ["/ancien/t/", "/2024/03/court/", "/vieux.html", "/2024/03/t/"]


def test_jekyll_redirect_from_are_aliases(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\nredirect_from:\n  - /ancien/\n")
    assert item.front["aliases"][0] == "/ancien/"


def test_a_fixed_permalink_is_an_alias(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\npermalink: /le-budget/:year/\n")
    assert item.front["aliases"] == ["/le-budget/2024/"]
    url = hugo(tmp_path / "h", 'title = "T"\ndate = 2024-01-01\nurl = "/mon-budget/"\n')
    assert url.front["aliases"] == ["/mon-budget/"]


@pytest.mark.parametrize(
    ("permalink", "old"),
    [
        ("", "/vie-locale/2024/03/05/Mon-Article.html"),  # Jekyll's default style: date
        ("date", "/vie-locale/2024/03/05/Mon-Article.html"),
        ("pretty", "/vie-locale/2024/03/05/Mon-Article/"),
        ("ordinal", "/vie-locale/2024/065/Mon-Article.html"),
        ("none", "/vie-locale/Mon-Article.html"),
        ("/blog/:year/:month/:day/:title.html", "/blog/2024/03/05/Mon-Article.html"),
        ("/:categories/:slug/", "/vie-locale/mon-article/"),
        ("/:short_year/:i_month/:i_day/:name:output_ext", "/24/3/5/2024-03-05-mon-article.html"),
    ],
)
def test_the_old_jekyll_address_is_an_alias(tmp_path: Path, permalink: str, old: str) -> None:
    config = f"permalink: {permalink}\n" if permalink else ""
    item = jekyll(
        tmp_path,
        "title: T\ncategories: Vie-Locale\n",
        name="_posts/2024-03-05-Mon-Article.md",
        config=config,
    )
    assert item.front["aliases"] == [old]
    assert f"old address {old} kept as an alias" in item.recognised


def test_the_old_address_keeps_the_sites_base_path(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\n", config="baseurl: /journal\npermalink: pretty\n")
    assert item.front["aliases"] == ["/journal/2024/03/05/mon-article/"]


@pytest.mark.parametrize(
    ("config", "front", "old"),
    [
        ("", "", "/post/mon-article/"),  # Hugo's default: /section/file-name/
        ("", 'slug = "Autre Nom"\n', "/post/autre-nom/"),
        ("uglyURLs = true\n", "", "/post/mon-article.html"),
        ('[permalinks]\npost = "/:year/:month/:slug/"\n', "", "/2024/03/le-budget-est-voté/"),
        ('[permalinks]\npost = "/:year/:filename/"\n', "", "/2024/mon-article/"),
        ('[permalinks.page]\npost = "/:section/:title/"\n', "", "/post/le-budget-est-voté/"),
        ('baseURL = "https://exemple.org/journal/"\n', "", "/journal/post/mon-article/"),
    ],
)
def test_the_old_hugo_address_is_an_alias(
    tmp_path: Path, config: str, front: str, old: str
) -> None:
    item = hugo(
        tmp_path, f'title = "Le budget est voté !"\ndate = 2024-03-05\n{front}', config=config
    )
    assert item.front["aliases"] == [old]


def test_an_alias_equal_to_the_new_address_is_left_out(tmp_path: Path) -> None:
    config = '[permalinks]\npost = "/:year/:month/:filename/"\n'
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-03-05\n', config=config)
    assert "aliases" not in item.front  # presse's /{year}/{month}/{slug}/ is the same address
    assert not [line for line in item.recognised if "old address" in line]


def test_an_alias_one_slash_from_the_new_address_is_left_out(tmp_path: Path) -> None:
    """presse refuses an alias that names the page's own address, slash or not."""
    item = jekyll(tmp_path, "title: T\nredirect_from: [/2024/03/mon-article]\n", config="")
    assert item.front["aliases"] == ["/2024/03/05/mon-article.html"]
    assert item.dropped == ()


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        ("/ancien/#haut", "must not contain spaces, control characters or a fragment (#)"),
        ("/mon ancien article/", "must not contain spaces, control characters or a fragment (#)"),
        ("/ancien/?p=3", 'may carry a query string only on "/" (as WordPress\'s "/?p=42")'),
        ("/ancien/../../x/", "would escape the output folder"),
    ],
)
def test_an_alias_presse_cannot_redirect_from_is_dropped_and_reported(
    tmp_path: Path, alias: str, problem: str
) -> None:
    """As presse.parse.alias_problem says: the article builds, its other aliases stay."""
    item = jekyll(tmp_path, f"title: T\nredirect_from:\n  - '{alias}'\n  - /?p=42\n")
    assert item.front["aliases"] == ["/?p=42", "/2024/03/05/mon-article.html"]
    assert item.dropped == (f'alias "{alias}" dropped: an alias {problem}',)


def test_an_old_address_presse_cannot_redirect_from_is_dropped_and_summed_up(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"_config.yml": "", "nos pages/qui.md": "---\ntitle: Qui\n---\n"})
    source = GeneratorFolder(tmp_path, CONFIG)
    (page,) = source.items()
    assert page.page and "aliases" not in page.front
    assert page.dropped == (
        'alias "/nos pages/qui.html" dropped: an alias must not contain spaces, control'
        " characters or a fragment (#)",
    )
    assert not [line for line in page.recognised if "old address" in line]
    assert source.summary()[1:] == (
        "1 alias dropped (each item's report says why): /nos pages/qui.html",
    )
