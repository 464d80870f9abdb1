"""Render stage: the page plan, feeds and sitemaps through Jinja templates into output
files. Pure, apart from the template loader reading template sources.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from presse import urls
from presse.feeds import plan_feeds
from presse.model import OutputFile, Site
from presse.pages import Page, SiteView, plan_pages
from presse.sitemaps import SitemapUrl, news_articles, sitemap_chunks
from presse.slugs import url_to_output_path
from presse.theme import Theme, absolute_url


def render_site(site: Site, theme: Theme, preview: bool = False) -> Iterator[OutputFile]:
    """Every generated file of the site: pages, feeds, sitemaps, robots.txt.

    ``preview`` (the dev server) marks drafts and embargoed articles on their pages.
    """
    view, pages = plan_pages(site, preview)
    for page in pages:
        yield _render(
            theme,
            page.template,
            page.meta.url,
            page.origin,
            site=view,
            page=page.meta,
            **page.context,
        )
    for feed in plan_feeds(site):
        yield _render(theme, f"feeds/{feed.kind}.xml", feed.url, "", site=view, feed=feed)
    yield from _sitemaps(site, theme, view, pages)


def _sitemaps(
    site: Site, theme: Theme, view: SiteView, pages: Sequence[Page]
) -> Iterator[OutputFile]:
    config = site.config
    entries = [
        SitemapUrl(loc=page.meta.canonical, lastmod=page.meta.lastmod)
        for page in pages
        if page.meta.in_sitemap
    ]
    chunks = sitemap_chunks(entries)
    if len(chunks) == 1:
        yield _render(theme, "sitemaps/sitemap.xml", urls.SITEMAP, "", urls=chunks[0])
    else:
        parts = []
        for number, chunk in enumerate(chunks, start=1):
            path = f"/sitemap-{number}.xml"
            parts.append(
                SitemapUrl(
                    absolute_url(config, path),
                    max((u.lastmod for u in chunk if u.lastmod), default=None),
                )
            )
            yield _render(theme, "sitemaps/sitemap.xml", path, "", urls=chunk)
        yield _render(theme, "sitemaps/sitemap-index.xml", urls.SITEMAP, "", sitemaps=parts)
    yield _render(
        theme,
        "sitemaps/news-sitemap.xml",
        urls.NEWS_SITEMAP,
        "",
        site=view,
        articles=news_articles(site),
    )
    yield _render(
        theme,
        "sitemaps/robots.txt",
        urls.ROBOTS,
        "",
        sitemaps=(absolute_url(config, urls.SITEMAP), absolute_url(config, urls.NEWS_SITEMAP)),
    )


def _render(theme: Theme, template: str, url: str, origin: str, **context: Any) -> OutputFile:
    text = theme.env.get_template(template).render(**context)
    return OutputFile(
        path=url_to_output_path(url),
        origin=origin or f"template {template}",
        data=text.encode("utf-8"),
    )
