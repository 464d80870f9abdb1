"""The content model's pickled state: what a parsed article holds once read back."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

from presse.config import load_config
from presse.model import Article
from presse.parse import parse_many
from presse.sources import find_sources, read_source
from tests.conftest import SITES


def fresh(text: str) -> tuple[str, ...]:
    """A new tuple of new strings, equal to another made the same way."""
    return tuple("".join(list(part.strip())) for part in text.split(","))


def test_read_back_articles_share_their_names_and_their_author_lists() -> None:
    """Sent back by a worker or read from the parse cache, each article would hold its
    own copy of names thousands share: the strings are interned, an author list is one
    tuple for all the articles that have it."""
    site = SITES / "basic"
    sources = [read_source(Path(p), site) for p in find_sources(site / "content")]
    article = next(a for a in parse_many(sources, load_config(site)) if isinstance(a, Article))
    one = replace(article, authors=fresh("Anne Martin, Léa Girard"), tags=fresh("école"))
    other = replace(article, authors=fresh("Anne Martin, Léa Girard"), tags=fresh("école"))
    assert one.authors is not other.authors and one.tags[0] is not other.tags[0]
    again, back = (pickle.loads(pickle.dumps(a)) for a in (one, other))
    assert again.authors is back.authors and again.authors == ("Anne Martin", "Léa Girard")
    assert again.tags[0] is back.tags[0] and again.tags == ("école",)
    assert again.slug is back.slug and again.fingerprint == back.fingerprint
    # What few articles set is one object for all the articles that leave it alone.
    assert again.rare is back.rare and again.rare == article.rare


def test_an_articles_rare_fields_read_as_its_own() -> None:
    site = SITES / "basic"
    sources = [read_source(Path(p), site) for p in find_sources(site / "content")]
    articles = [a for a in parse_many(sources, load_config(site)) if isinstance(a, Article)]
    for article in articles:
        rare = article.rare
        assert (article.draft, article.expires, article.aliases) == (
            rare.draft,
            rare.expires,
            rare.aliases,
        )
        assert (article.image_credit, article.image_file, article.image_focus) == (
            rare.image_credit,
            rare.image_file,
            rare.image_focus,
        )
        assert (article.feed_key, article.page) == (rare.feed_key, rare.page)
    assert any(a.draft for a in articles) or any(a.aliases for a in articles)
