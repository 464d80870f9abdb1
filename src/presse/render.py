"""Render stage: the :class:`Site` through Jinja templates into output files. Pure,
apart from the template loader reading template sources.

Templates never see the domain objects alone: each page gets a :class:`PageMeta`
(its URL, title, description) next to the articles it shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from presse.i18n import load_translations
from presse.model import Article, OutputFile, Site
from presse.slugs import url_to_output_path
from presse.theme import Theme, absolute_url

PAGE_WORD = "page"


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the base template needs to know about any page."""

    kind: str  # "index", "article", "404"
    url: str  # site-relative, e.g. "/page/2/"
    title: str  # the page's own title, without the site name
    description: str
    canonical: str  # absolute URL


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class SiteView:
    """The site-wide values every template may use."""

    title: str
    description: str
    language: str
    year: int


def render_site(site: Site, theme: Theme) -> Iterator[OutputFile]:
    """Every generated page of the site."""
    view = SiteView(
        title=site.config.title,
        description=site.config.description,
        language=site.config.language,
        year=site.build_time.astimezone(site.config.tzinfo).year,
    )
    yield from _front_pages(site, theme, view)
    for article in site.articles:
        yield _article_page(site, theme, view, article)
    not_found = _meta(site, "404", "/404.html", _("Page not found", site), "")
    yield _page(theme, view, "404.html", "/404.html", not_found, {})


def _front_pages(site: Site, theme: Theme, view: SiteView) -> Iterator[OutputFile]:
    for pagination, items in paginate(site.articles, site.config.per_page, "/"):
        url = front_page_url("/", pagination.number)
        title = (
            view.title
            if pagination.number == 1
            else _("%(title)s, page %(number)s", site)
            % {"title": view.title, "number": pagination.number}
        )
        meta = _meta(site, "index", url, title, site.config.description)
        yield _page(
            theme, view, "index.html", url, meta, {"articles": items, "pagination": pagination}
        )


def _article_page(site: Site, theme: Theme, view: SiteView, article: Article) -> OutputFile:
    related = tuple(site.by_slug[s] for s in site.related.get(article.slug, ()))
    minutes = max(1, math.ceil(article.body.word_count / site.config.words_per_minute))
    meta = _meta(site, "article", article.url, article.title, article.description)
    context = {"article": article, "related": related, "reading_minutes": minutes}
    return _page(
        theme, view, "article.html", article.url, meta, context, origin=str(article.source)
    )


def paginate(
    items: Sequence[Article], per_page: int, base: str
) -> Iterator[tuple[Pagination, Sequence[Article]]]:
    """Split ``items`` into pages; an empty list still gives one (empty) page."""
    total = max(1, math.ceil(len(items) / per_page))
    for number in range(1, total + 1):
        yield (
            Pagination(
                number=number,
                total=total,
                prev_url=front_page_url(base, number - 1) if number > 1 else None,
                next_url=front_page_url(base, number + 1) if number < total else None,
            ),
            items[(number - 1) * per_page : number * per_page],
        )


def front_page_url(base: str, number: int) -> str:
    """``/`` for page 1, ``/page/2/`` after it."""
    return base if number == 1 else f"{base}{PAGE_WORD}/{number}/"


def _(message: str, site: Site) -> str:
    return load_translations(site.config.locale).gettext(message)


def _meta(site: Site, kind: str, url: str, title: str, description: str) -> PageMeta:
    return PageMeta(
        kind=kind,
        url=url,
        title=title,
        description=description,
        canonical=absolute_url(site.config, url),
    )


def _page(
    theme: Theme,
    view: SiteView,
    template: str,
    url: str,
    meta: PageMeta,
    context: dict[str, Any],
    origin: str = "",
) -> OutputFile:
    html = theme.env.get_template(template).render(site=view, page=meta, **context)
    return OutputFile(
        path=url_to_output_path(url),
        origin=origin or f"template {template}",
        data=html.encode("utf-8"),
    )
