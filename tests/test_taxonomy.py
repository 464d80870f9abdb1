from __future__ import annotations

import pickle
from datetime import datetime
from pathlib import Path

import pytest

from presse.columns import Picked
from presse.config import SiteConfig
from presse.markdown import create_markdown
from presse.model import Article, SourceFile
from presse.parse import parse_article
from presse.taxonomy import archives, section_neighbours, terms

MD = create_markdown()
CONFIG = SiteConfig()


def article(slug: str, date: str, **fields: str) -> Article:
    lines = [f"title: {slug}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    text = "---\n" + "\n".join(lines) + "\n---\n"
    return parse_article(SourceFile.of_text(Path(f"content/{slug}.md"), text), CONFIG, MD)


CORPUS = [  # newest first, as the site holds them
    article(
        "c", "2025-03-01", section="Économie", tags="[Énergie, climat]", authors="[Anne Martin]"
    ),
    article(
        "b", "2025-02-01", section="economie", tags="[énergie]", authors="[Anne Martin, Luc Roy]"
    ),
    article("a", "2025-01-31T23:30:00Z", section="Économie", tags="[énergie]"),
]


def test_terms_group_by_slug_and_keep_the_common_spelling() -> None:
    sections = terms(CORPUS, "section")
    assert [(t.slug, t.name, t.articles) for t in sections] == [
        ("economie", "Économie", ("c", "b", "a"))
    ]
    tags = terms(CORPUS, "tag")
    assert [(t.slug, t.name, t.articles) for t in tags] == [
        ("climat", "climat", ("c",)),
        ("energie", "énergie", ("c", "b", "a")),
    ]
    authors = terms(CORPUS, "author")
    assert [(t.slug, t.articles) for t in authors] == [
        ("anne-martin", ("c", "b")),
        ("luc-roy", ("b",)),
    ]


def test_archives_use_the_site_time_zone() -> None:
    periods = archives(CORPUS, CONFIG)
    # 2025-01-31T23:30Z is 1 February in Paris.
    assert [(p.slug, p.articles) for p in periods] == [
        ("2025", ("c", "b", "a")),
        ("2025/03", ("c",)),
        ("2025/02", ("b", "a")),
    ]


def test_neighbours_within_a_section() -> None:
    neighbours = section_neighbours(terms(CORPUS, "section"))
    assert neighbours == {"c": ("b", None), "b": ("a", "c"), "a": (None, "b")}


def test_no_article_no_term() -> None:
    assert terms([], "tag") == ()
    assert archives([], CONFIG) == ()
    assert datetime  # imported for readers of the fixture dates


def test_listings_pick_their_slugs_from_the_site_s_order() -> None:
    """Each list reads as the tuple it stands for (its repr, hash, slices and pickle, so
    pages' keys do not change), from one tuple of the site's slugs: places for a tag, a
    range for a month (its articles follow each other, the site being newest first)."""
    order = tuple(a.slug for a in CORPUS)
    energy = terms(CORPUS, "tag", order)[1].articles
    assert isinstance(energy, Picked) and energy.of is order
    climate = terms(CORPUS, "tag", order)[0].articles
    assert repr(climate) == repr(("c",)) and hash(climate) == hash(("c",))
    authors = terms(CORPUS, "author", order)[0].articles
    assert authors[1:] == ("b",) and authors[-1] == "b" and list(authors) == ["c", "b"]
    assert pickle.loads(pickle.dumps(authors)) == ("c", "b")
    assert type(pickle.loads(pickle.dumps(authors))) is tuple
    february = archives(CORPUS, CONFIG, order)[2].articles
    assert isinstance(february, Picked) and february._places == range(1, 3)
    assert february == ("b", "a")
    with pytest.raises(IndexError):
        Picked(order, range(2, 4))
