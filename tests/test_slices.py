"""A slice of the site: what a cluster's worker gets to render a chunk of article or
listing pages (issue 14). Each page rendered from its slice is the page the build
publishes."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

import presse.build
from presse.build import BuildOptions, build
from presse.model import Site
from presse.pages import LISTINGS, Recipe, plan_again, plan_articles, plan_pages
from presse.render import render_page
from presse.slices import Slicer, Window
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
        part = pickle.loads(pickle.dumps(Slicer.of(site).articles([article.slug])))  # as sent
        (page,) = plan_articles(part, [article.slug], False, view)
        published = sample["out"] / url_to_output_path(article.url)
        assert render_page(theme, view, page) == published.read_bytes(), article.url


def test_a_slice_holds_the_chunk_and_what_its_pages_show_only(sample: dict[str, Any]) -> None:
    site = sample["site"]
    chunk = [site.articles[3].slug]
    part = Slicer.of(site).articles(chunk)
    shown = set(chunk)
    for slug in chunk:
        shown.update(site.related.get(slug, ()))
        shown.update(s for s in site.neighbours.get(slug, ()) if s)
    assert set(part.by_slug) == {a.slug for a in part.articles} == shown < set(site.by_slug)
    assert set(part.related) == set(part.neighbours) | set(chunk) == set(chunk)
    named = {slugify(t) for slug in chunk for t in site.by_slug[slug].tags}
    assert {t.slug for t in part.tags} == named and all(not t.articles for t in part.tags)
    assert [t.slug for t in part.tags] == [t.slug for t in site.tags if t.slug in named]
    assert part.archives == () and part.pages == ()
    assert len(pickle.dumps(part)) < len(pickle.dumps(Slicer.of(site).articles(list(site.by_slug))))


def test_a_chunk_of_several_articles_renders_each_as_alone(sample: dict[str, Any]) -> None:
    site, theme, view = sample["site"], sample["theme"], sample["view"]
    chunk = [a.slug for a in site.articles[:6]]
    together = plan_articles(Slicer.of(site).articles(chunk), chunk, False, view)
    for slug, page in zip(chunk, together, strict=True):
        (alone,) = plan_articles(Slicer.of(site).articles([slug]), [slug], False, view)
        assert render_page(theme, view, page) == render_page(theme, view, alone)


def _listing_recipes(site: Site) -> list[Recipe]:
    _, pages = plan_pages(site)
    return [page.recipe for page in pages if page.recipe[0] in LISTINGS]


def test_each_listing_page_from_its_slice_is_the_published_page(sample: dict[str, Any]) -> None:
    site, theme, view = sample["site"], sample["theme"], sample["view"]
    recipes = _listing_recipes(site)
    assert {r[0] for r in recipes} == {"front", "term", "period"}
    for recipe in recipes:
        part = pickle.loads(pickle.dumps(Slicer.of(site).listings([recipe])))
        (page,) = plan_again(part, [recipe], False, view=view)
        published = sample["out"] / url_to_output_path(page.url)
        assert render_page(theme, view, page) == published.read_bytes(), page.url


def test_short_pages_from_chunks_of_listings_render_as_from_the_whole_site(
    sample: dict[str, Any],
) -> None:
    """Pages of two articles: each listing runs to several pages, and a chunk holds a
    stretch of each (a window), never the whole list."""
    site, theme, view = sample["site"], sample["theme"], sample["view"]
    site = replace(site, config=replace(site.config, per_page=2))
    recipes = _listing_recipes(site)
    assert max(r[-1] for r in recipes) >= 5
    whole = {p.url: render_page(theme, view, p) for p in plan_again(site, recipes, view=view)}
    for start in range(0, len(recipes), 3):
        chunk = recipes[start : start + 3]
        part = pickle.loads(pickle.dumps(Slicer.of(site).listings(chunk)))
        assert len(part.by_slug) <= 2 * len(chunk)
        for page in plan_again(part, chunk, False, view=view):
            assert render_page(theme, view, page) == whole[page.url], page.url


def test_a_listing_slice_holds_the_stretch_its_pages_show(sample: dict[str, Any]) -> None:
    site = sample["site"]
    every = tuple(a.slug for a in site.articles)
    short = Slicer.of(replace(site, config=replace(site.config, per_page=2)))
    part = short.listings([("front", 3), ("front", 4)])
    assert isinstance(part.articles, Window) and len(part.articles) == len(every)
    assert tuple(a.slug for a in part.articles[4:8]) == every[4:8] == tuple(part.by_slug)
    assert part.sections == part.tags == part.authors == () and part.archives == ()
    with pytest.raises(IndexError):
        part.articles[2:4]
    term = max(site.tags, key=lambda t: len(t.articles))
    single = Slicer.of(replace(site, config=replace(site.config, per_page=1)))
    (tag,) = single.listings([("term", "tag", term.slug, 2)]).tags
    assert isinstance(tag.articles, Window) and len(tag.articles) == len(term.articles)
    assert tag.articles[1:2] == term.articles[1:2] and tag.articles.items == term.articles[1:2]


def test_a_window_is_its_list_within_its_stretch_and_refuses_the_rest() -> None:
    window = Window(100, 40, tuple(range(40, 60)))
    assert len(window) == 100 and window[40:60] == tuple(range(40, 60))
    assert window[45:50] == (45, 46, 47, 48, 49) and window[59] == 59 and window[-41] == 59
    assert window[100:120] == () and window[50:45] == ()
    assert pickle.loads(pickle.dumps(window)) == window
    for outside in (slice(0, 20), slice(50, 61), slice(40, 60, 2)):
        with pytest.raises(IndexError):
            window[outside]
    with pytest.raises(IndexError):
        window[60]
