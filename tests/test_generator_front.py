"""One file's front matter mapped to presse's keys (presse.generator_front), one rule
per test, and the errors that point at a line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presse.errors import PresseError
from tests.test_generators import HUGO, hugo, items, jekyll, write

# --- front matter, one rule each -----------------------------------------------------


def test_title(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: '  Le budget\n  est voté '\n")
    assert next(iter(item.front)) == "title"
    assert item.front["title"] == "Le budget est voté"


def test_a_missing_title_comes_from_the_file_name_for_review(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "layout: post\n", name="_posts/2024-03-05-le-budget-vote.md")
    assert item.front["title"] == "Le budget vote"
    assert any(line.startswith("no title") and "to review" in line for line in item.dropped)


def test_date_from_front_matter_as_iso_8601(tmp_path: Path) -> None:
    item = jekyll(tmp_path / "a", "title: T\ndate: 2018-02-27 10:05:00 +0100\n")
    assert item.front["date"] == "2018-02-27T10:05:00+01:00"
    assert item.year == 2018
    toml = hugo(tmp_path / "b", 'title = "T"\ndate = 2024-03-05T18:30:00Z\n')
    assert toml.front["date"] == "2024-03-05T18:30:00+00:00"


def test_a_bad_date_is_an_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(PresseError) as caught:
        jekyll(tmp_path, "title: T\ndate: le 5 mars\n")
    assert caught.value.line == 3 and "is not a date" in caught.value.message
    assert caught.value.path == tmp_path / "_posts/2024-03-05-mon-article.md"


def test_an_article_without_any_date_takes_the_files_last_change(tmp_path: Path) -> None:
    write(tmp_path, {"_config.yml": "", "_drafts/idee.md": "---\ntitle: Une idée\n---\nTexte\n"})
    os.utime(tmp_path / "_drafts/idee.md", (1_700_000_000, 1_700_000_000))
    (item,) = items(tmp_path)
    assert item.front["date"] == "2023-11-14T23:13:20+01:00"
    assert any(line.startswith("no date") for line in item.dropped)


@pytest.mark.parametrize("key", ["lastmod", "last_modified_at", "updated", "modified"])
def test_updated(tmp_path: Path, key: str) -> None:
    item = jekyll(tmp_path, f"title: T\ndate: 2024-03-05\n{key}: 2024-04-01 08:00\n")
    assert item.front["updated"] == "2024-04-01T08:00:00"


def test_updated_earlier_than_the_date_is_dropped_and_reported(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\ndate: 2024-03-05\nlastmod: 2024-01-01\n")
    assert "updated" not in item.front
    assert '"lastmod" (2024-01-01) is earlier than the date: dropped' in item.dropped


def test_an_updated_that_is_no_date_is_dropped_and_reported(tmp_path: Path) -> None:
    """jamstatic.fr has ``lastmod = "2019-05-03T158:12:14+01:00"``: the article stays."""
    item = jekyll(tmp_path, "title: T\nlastmod: 2019-05-03T158:12:14+01:00\n")
    assert "updated" not in item.front
    assert '"lastmod" (2019-05-03T158:12:14+01:00) is not a date: dropped' in item.dropped


@pytest.mark.parametrize("key", ["description", "excerpt", "summary"])
def test_summary(tmp_path: Path, key: str) -> None:
    item = jekyll(tmp_path, f"title: T\n{key}: >\n  Le chapô,\n  sur deux lignes.\n")
    assert item.front["summary"] == "Le chapô, sur deux lignes."


def test_of_two_summaries_the_first_wins_and_the_other_is_reported(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\nsummary: Court.\ndescription: Long.\n")
    assert item.front["summary"] == "Long."
    assert 'key "summary" dropped ("description" kept)' in item.dropped


def test_authors_from_a_text_or_a_list(tmp_path: Path) -> None:
    one = jekyll(tmp_path / "a", "title: T\nauthor: Soizic Pénicaud, équipe EIG\n")
    assert one.front["authors"] == ["Soizic Pénicaud, équipe EIG"]  # a byline stays whole
    many = hugo(tmp_path / "b", 'title = "T"\ndate = 2024-01-01\nauthors = ["Léa", "Paul"]\n')
    assert many.front["authors"] == ["Léa", "Paul"]
    mapping = jekyll(tmp_path / "c", "title: T\nauthor:\n  name: Léa Martin\n  twitter: lea\n")
    assert mapping.front["authors"] == ["Léa Martin"]


def test_hugo_author_keys_of_a_data_file_are_kept_as_written(tmp_path: Path) -> None:
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-01-01\nauthors = ["lea-martin"]\n')
    assert item.front["authors"] == ["lea-martin"]


def test_categories_first_is_the_section_the_others_are_tags(tmp_path: Path) -> None:
    item = hugo(
        tmp_path,
        'title = "T"\ndate = 2024-01-01\ncategories = ["Vie locale", "Finances"]\n'
        'tags = ["budget"]\n',
    )
    assert item.front["section"] == "Vie locale"
    assert item.front["tags"] == ["budget", "Finances"]
    assert 'categories: "Vie locale" → section, "Finances" → tags' in item.recognised


def test_tags_and_keywords(tmp_path: Path) -> None:
    item = hugo(
        tmp_path,
        'title = "T"\ndate = 2024-01-01\ntags = ["budget", "vote"]\nkeywords = "mairie, vote"\n',
    )
    assert item.front["tags"] == ["budget", "vote", "mairie"]


def test_jekyll_splits_a_text_of_tags_or_categories_at_spaces(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\ncategories: vie-locale finances\ntags: budget vote\n")
    assert item.front["section"] == "vie-locale"
    assert item.front["tags"] == ["budget", "vote", "finances"]


@pytest.mark.parametrize(
    ("name", "front"),
    [
        ("_posts/2024-01-01-x.md", "draft: true\n"),
        ("_posts/2024-01-01-x.md", "published: false\n"),
        ("_drafts/x.md", "date: 2024-01-01\n"),
        ("_posts/_2024-01-01-x.md", ""),  # Jekyll never builds a name starting with _
    ],
)
def test_drafts(tmp_path: Path, name: str, front: str) -> None:
    item = jekyll(tmp_path, f"title: T\n{front}", name=name)
    assert item.front["draft"] is True
    assert item.slug == "x" and "aliases" not in item.front  # never published: no old address


def test_published_true_is_no_draft_and_no_ignored_key(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\npublished: true\n")
    assert "draft" not in item.front and item.dropped == ()


def test_slug_from_the_front_matter_made_valid(tmp_path: Path) -> None:
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-01-01\nslug = "Fête du Village"\n')
    assert item.slug == item.front["slug"] == "fete-du-village"


def test_slug_from_the_file_name(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\n", name="_posts/18-05-29-pourquoi-devenir-EIG.md")
    assert item.slug == "pourquoi-devenir-eig"


# --- images --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "image", "alt"),
    [
        ("image: /img/a.jpg\nimage_alt: Le port\n", "/img/a.jpg", "Le port"),
        ("featured_image: img/a.jpg\nalt: Le port\n", "/img/a.jpg", "Le port"),
        ("images: [/img/a.jpg, /img/b.jpg]\nimage_alt: Le port\n", "/img/a.jpg", "Le port"),
        ("cover:\n  image: /img/a.jpg\n  alt: Le port\n", "/img/a.jpg", "Le port"),
        (
            "image:\n  path: https://ex.org/a.jpg\n  alt: Le port\n",
            "https://ex.org/a.jpg",
            "Le port",
        ),
    ],
)
def test_image_and_its_description(tmp_path: Path, front: str, image: str, alt: str) -> None:
    item = jekyll(tmp_path, f"title: T\n{front}")
    assert (item.front["image"], item.front["image_alt"]) == (image, alt)


def test_an_image_without_description_takes_the_body_s_then_the_title(tmp_path: Path) -> None:
    body = "![Le port au matin](/img/a.jpg)\n"
    described = jekyll(tmp_path / "a", "title: Le port\nimage: /img/a.jpg\n", body=body)
    assert described.front["image_alt"] == "Le port au matin"
    html = '<img src="/img/a.jpg" alt="Le port, le soir">\n'
    from_html = jekyll(tmp_path / "b", "title: Le port\nimage: /img/a.jpg\n", body=html)
    assert from_html.front["image_alt"] == "Le port, le soir"
    bare = jekyll(tmp_path / "c", "title: Le port\nimage: /img/a.jpg\nimage_alt: ''\n")
    assert bare.front["image_alt"] == "Le port"  # never an empty description
    assert 'image "/img/a.jpg" has no alt text: the title stands in, to review' in bare.dropped


def test_an_unsafe_image_is_left_out(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\nimage: 'javascript:alert(1)'\n")
    assert "image" not in item.front and "image_alt" not in item.front
    assert any("javascript:alert(1)" in line for line in item.dropped)


def test_a_page_bundle_brings_its_images_as_media() -> None:
    (bundle,) = [item for item in items(HUGO) if item.origin.endswith("fete-du-village/index.md")]
    assert [(Path(m.source), m.name) for m in bundle.media] == [
        (HUGO / "content/post/fete-du-village/affiche.jpg", "affiche.jpg"),
        (HUGO / "content/post/fete-du-village/photo.jpg", "photo.jpg"),
    ]
    assert bundle.front["image"] == "affiche.jpg"  # beside the article, as the bundle has it
    assert bundle.front["image_caption"] == "L’affiche, dessinée par les élèves de l’école"
    assert 'file "programme.txt" of the article\'s folder not copied' in bundle.dropped


# --- the other keys ------------------------------------------------------------------


def test_lang(tmp_path: Path) -> None:
    assert jekyll(tmp_path / "a", "title: T\nlang: en\n").front["lang"] == "en"
    translated = hugo(
        tmp_path / "b", 'title = "T"\ndate = 2024-01-01\n', name="content/post/x.en.md"
    )
    assert (translated.front["lang"], translated.slug) == ("en", "x")


def test_id_names_the_generator_and_the_path(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\n")
    assert item.front["id"] == "jekyll:_posts/2024-03-05-mon-article.md"
    assert list(item.front)[-1] == "id"
    assert item.identity == item.front["id"] and item.origin == "_posts/2024-03-05-mon-article.md"
    again = jekyll(tmp_path, "title: T\n")
    assert again.identity == item.identity  # a second import is recognised


def test_other_keys_are_dropped_and_listed(tmp_path: Path) -> None:
    item = jekyll(tmp_path, "title: T\nlayout: post\ncomments: true\ntwitter: null\nToc: 1\n")
    assert set(item.front) == {"title", "date", "slug", "aliases", "id"}
    assert item.dropped == (
        'key "layout" dropped',
        'key "comments" dropped',
        'key "twitter" dropped',
        'key "Toc" dropped',
    )


def test_front_matter_keys_are_case_insensitive_for_hugo(tmp_path: Path) -> None:
    item = hugo(tmp_path, 'title = "T"\npublishDate = 2024-01-01\nexpiryDate = 2024-12-31\n')
    assert (item.front["date"], item.front["expires"]) == ("2024-01-01", "2024-12-31")


# --- errors --------------------------------------------------------------------------


def test_invalid_yaml_front_matter_is_an_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(PresseError) as caught:
        jekyll(tmp_path, "title: T\ntags: [a, b\nlayout: post\n")
    assert caught.value.path == tmp_path / "_posts/2024-03-05-mon-article.md"
    assert caught.value.line is not None and caught.value.line >= 3
    assert "invalid YAML" in caught.value.message


def test_invalid_toml_front_matter_is_an_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(PresseError) as caught:
        hugo(tmp_path, 'title = "T"\ndate = \n')
    assert (caught.value.line, caught.value.message[:12]) == (3, "invalid TOML")


def test_yaml_aliases_are_refused_as_presse_refuses_them(tmp_path: Path) -> None:
    with pytest.raises(PresseError, match="alias") as caught:
        jekyll(tmp_path, "title: &t Le titre\nsummary: *t\n")
    assert caught.value.line == 3


def test_json_front_matter(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "hugo.toml": "",
            "content/post/x.md": '{\n  "title": "T",\n  "date": "2024-01-01"\n}\nTexte.\n',
        },
    )
    (item,) = items(tmp_path)
    assert (item.front["title"], item.front["date"], item.body) == ("T", "2024-01-01", "Texte.\n")


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"hugo.toml": "", "content/post/x.md": '+++\ntitle = "T"\n'})
    with pytest.raises(PresseError, match=r'not closed by a "\+\+\+" line'):
        items(tmp_path)


def test_a_title_that_is_no_text_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PresseError, match='"title" must be text') as caught:
        jekyll(tmp_path, "layout: post\ntitle:\n  a: b\n")
    assert caught.value.line == 3
