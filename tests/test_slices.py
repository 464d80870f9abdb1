"""A slice of the site: what a cluster's worker gets to render a chunk of article pages
(issue 14). Each page rendered from its slice is the page the build publishes."""

from __future__ import annotations

import pickle
from datetime import datetime
from typing import Any

import pytest

import presse.build
from presse.build import BuildOptions, build
from presse.pages import plan_articles
from presse.render import render_page
from presse.slices import article_slice
from presse.slugs import slugify, url_to_output_path
from tests.conftest import REPO

SAMPLE_NOW = datetime.fromisoformat("2025-02-04T12:00:00+01:00")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample site as the build linked it, its theme and view, and its output."""
    root = tmp_path_factory.mktemp("sample")
    seen: dict[str, Any] = {"out": root / "out"}
    real = presse.build._publish

    def spy(options: Any, publisher: Any, site: Any, theme: Any, view: Any, *rest: Any) -> Any:
        seen.update(site=site, theme=theme, view=view)
        return real(options, publisher, site, theme, view, *rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(presse.build, "_publish", spy)
        build(BuildOptions(REPO, root / "out", now=SAMPLE_NOW, cache_dir=root / "cache"))
    return seen


def test_each_article_page_from_its_slice_is_the_published_page(sample: dict[str, Any]) -> None:
    site, theme, view = sample["site"], sample["theme"], sample["view"]
    assert len(site.articles) >= 10
    for article in site.articles:
        part = pickle.loads(pickle.dumps(article_slice(site, [article.slug])))  # as sent
        (page,) = plan_articles(part, [article.slug], False, view)
        published = sample["out"] / url_to_output_path(article.url)
        assert render_page(theme, view, page) == published.read_bytes(), article.url


def test_a_slice_holds_the_chunk_and_what_its_pages_show_only(sample: dict[str, Any]) -> None:
    site = sample["site"]
    chunk = [site.articles[3].slug]
    part = article_slice(site, chunk)
    shown = set(chunk)
    for slug in chunk:
        shown.update(site.related.get(slug, ()))
        shown.update(s for s in site.neighbours.get(slug, ()) if s)
    assert set(part.by_slug) == {a.slug for a in part.articles} == shown < set(site.by_slug)
    assert set(part.related) == set(part.neighbours) | set(chunk) == set(chunk)
    named = {slugify(t) for slug in chunk for t in site.by_slug[slug].tags}
    assert {t.slug for t in part.tags} == named and all(not t.articles for t in part.tags)
    assert part.archives == () and part.pages == ()
    assert len(pickle.dumps(part)) < len(pickle.dumps(article_slice(site, list(site.by_slug))))


def test_a_chunk_of_several_articles_renders_each_as_alone(sample: dict[str, Any]) -> None:
    site, theme, view = sample["site"], sample["theme"], sample["view"]
    chunk = [a.slug for a in site.articles[:6]]
    together = plan_articles(article_slice(site, chunk), chunk, False, view)
    for slug, page in zip(chunk, together, strict=True):
        (alone,) = plan_articles(article_slice(site, [slug]), [slug], False, view)
        assert render_page(theme, view, page) == render_page(theme, view, alone)
