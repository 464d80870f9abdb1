from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from presse.columns import Picked
from presse.config import SiteConfig
from presse.enrich import Visibility, assemble_site, is_published
from presse.errors import BuildErrors, PresseError
from presse.incremental import skeleton_of
from presse.markdown import create_markdown
from presse.model import Article, SourceFile
from presse.parse import parse_article

NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")
MD = create_markdown()


def article(name: str, date: str = "2025-01-01", **fields: object) -> Article:
    lines = [f"title: {name}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    text = "---\n" + "\n".join(lines) + "\n---\n"
    return parse_article(SourceFile.of_text(Path(f"content/{name}.md"), text), SiteConfig(), MD)


def test_newest_first_with_stable_ties() -> None:
    site = assemble_site(
        [article("b", "2025-01-01"), article("c", "2025-03-01"), article("a", "2025-01-01")],
        SiteConfig(),
        Visibility(now=NOW),
    )
    assert [a.slug for a in site.articles] == ["c", "a", "b"]


def test_publication_gate() -> None:
    draft, future, live = article("d", draft="true"), article("f", "2030-01-01"), article("l")
    assert not is_published(draft, Visibility(now=NOW))
    assert is_published(draft, Visibility(now=NOW, drafts=True))
    assert not is_published(future, Visibility(now=NOW))
    assert is_published(future, Visibility(now=NOW, future=True))
    assert is_published(live, Visibility(now=NOW))
    site = assemble_site([draft, future, live], SiteConfig(), Visibility(now=NOW))
    assert [a.slug for a in site.articles] == ["l"]


def test_related_keeps_order_skips_unpublished_and_caps() -> None:
    main = article("main", related="[z, d, y, x, main]")
    others = [article("x"), article("y"), article("z"), article("d", draft="true")]
    site = assemble_site([main, *others], SiteConfig(related_count=2), Visibility(now=NOW))
    assert site.related["main"] == ("z", "y")


def test_dangling_related_and_duplicate_slugs_are_all_reported() -> None:
    with pytest.raises(BuildErrors) as info:
        assemble_site(
            [article("a", related="[nope]"), article("b"), article("b", "2025-02-02")],
            SiteConfig(),
            Visibility(now=NOW),
        )
    messages = [str(e) for e in info.value.errors]
    assert messages == [
        'content/b.md:2: duplicate slug "b" (already used by content/b.md)',
        'content/a.md:4: related article "nope" does not exist',
    ]


def test_same_url_from_different_slugs_is_refused() -> None:
    config = SiteConfig(permalink="/{year}/{slug}/")
    one = parse_article(
        SourceFile.of_text(Path("content/1.md"), "---\ntitle: A\nslug: a\ndate: 2025-01-01\n---\n"),
        config,
        MD,
    )
    assert one.url == "/2025/a/"
    with pytest.raises(PresseError, match="duplicate slug"):
        assemble_site([one, one], config, Visibility(now=NOW))


def test_listings_and_the_skeleton_share_the_site_s_slugs() -> None:
    """Sections, tags, authors and archives pick from one tuple of the site's slugs in
    order, and the plan's skeleton keeps that tuple as its order: not one tuple each."""
    site = assemble_site(
        [
            article("b", "2025-01-01", section="Monde", tags="[a, b]"),
            article("c", "2025-03-01", section="Monde", authors="[Anne]"),
            article("a", "2025-02-01", tags="[b]"),
        ],
        SiteConfig(),
        Visibility(now=NOW),
    )
    lists = [t.articles for t in (*site.sections, *site.tags, *site.authors, *site.archives)]
    assert all(isinstance(picked, Picked) for picked in lists)
    order = skeleton_of(site).order
    assert order == ("c", "a", "b") and all(picked.of is order for picked in lists)  # type: ignore[attr-defined]
    assert site.tags[1].articles == ("a", "b") and site.archives[0].articles == order
