from __future__ import annotations

import pytest

from presse.slugs import folder_url, is_valid_slug, slugify, url_to_output_path


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("l’unanimité", "lunanimite"),
        ("L'été : premier bilan", "lete-premier-bilan"),
        (
            "OpenAI ouvre ses portes aux sources ouvertes : un virage stratégique",
            "openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique",
        ),
        ("Œuvres d’art à Noël", "oeuvres-dart-a-noel"),
        ("« Grève » : 50 % des TGV annulés !", "greve-50-des-tgv-annules"),
        ("Straße & Łódź", "strasse-lodz"),
        ("  --Déjà--vu--  ", "deja-vu"),
        ("日本", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize("slug", ["a", "mon-article", "2025-bilan", "x1-y2"])
def test_valid_slugs(slug: str) -> None:
    assert is_valid_slug(slug)


@pytest.mark.parametrize("slug", ["", "-a", "a-", "a--b", "A", "é", "a/b", "..", "a b", "a_b"])
def test_invalid_slugs(slug: str) -> None:
    assert not is_valid_slug(slug)


def test_url_to_output_path() -> None:
    assert url_to_output_path("/") == "index.html"
    assert url_to_output_path("/2025/02/x/") == "2025/02/x/index.html"
    assert url_to_output_path("/404.html") == "404.html"


@pytest.mark.parametrize("url", ["relative/", "/../x/", "/a/./b/", "/a\\b/", "/a\x00/"])
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        url_to_output_path(url)


def test_a_folders_page_path_gives_back_its_url() -> None:
    for url in ("/", "/tag/ecole/", "/2025/02/mon-article/", "/tag/ecole/page/2/"):
        assert folder_url(url_to_output_path(url)) == url
    for path in ("404.html", "feed.xml", "a/index.htm", "a/b.html"):
        assert folder_url(path) is None
