"""Every URL a build would produce for a set of articles, for the link checks. Pure.

Mirrors the page plan (:mod:`presse.pages`), feeds and sitemaps through
:mod:`presse.urls`, so a site with its own ``[urls]`` words is checked against its
own URLs; it only counts pages instead of rendering them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from presse import urls
from presse.checks.document import ArticleFacts
from presse.config import SiteConfig
from presse.enrich import alias_key
from presse.model import Period
from presse.sitemaps import MAX_URLS
from presse.slugs import slugify


def site_urls(articles: Iterable[ArticleFacts], config: SiteConfig) -> frozenset[str]:
    """Pages, feeds and sitemaps of a site made of ``articles`` (parsed ones only count)."""
    members: dict[tuple[str, str], set[str]] = defaultdict(set)  # (kind, slug) → article paths
    periods: dict[tuple[int, int], set[str]] = defaultdict(set)  # (year, month or 0) → paths
    found: set[str] = set()
    articles_seen = [a for a in articles if a.url is not None and a.date is not None]
    for article in articles_seen:
        if article.url is None or article.date is None:
            continue  # (not the case: for the type checker)
        found.add(article.url)
        found.update(alias_key(ref.target) for ref in article.aliases if "?" not in ref.target)
        if article.page:
            continue  # a page of the site is in no listing
        names = (
            ([("section", article.section)] if article.section else [])
            + [("tag", t) for t in article.tags]
            + [("author", a) for a in article.authors]
        )
        for kind, name in names:
            if slugify(name):
                members[(kind, slugify(name))].add(article.path)
        local = article.date.astimezone(config.tzinfo)
        periods[(local.year, 0)].add(article.path)
        periods[(local.year, local.month)].add(article.path)
    news = sum(1 for a in articles_seen if not a.page)
    pages = _paginated(urls.FRONT, news, config)
    for (kind, slug), paths in members.items():
        pages += _paginated(urls.term(kind, slug, config), len(paths), config)
        if kind in ("section", "author"):
            found.add(urls.term_feed(kind, slug, config))
    for (year, month), paths in periods.items():
        pages += _paginated(urls.period(Period(year, month, ()), config), len(paths), config)
    pages += [urls.archives_index(config), urls.sections_index(config), urls.tags_index(config)]
    found.update(pages)
    sitemap_files = math.ceil(len(found) / MAX_URLS)
    if sitemap_files > 1:
        found.update(f"/sitemap-{n}.xml" for n in range(1, sitemap_files + 1))
    found.update((urls.SITE_ATOM, urls.SITE_RSS, urls.SITEMAP, urls.NEWS_SITEMAP, urls.ROBOTS))
    found.add(urls.NOT_FOUND)
    if config.search:
        found.add(urls.search(config))
    return frozenset(found)


def _paginated(base: str, count: int, config: SiteConfig) -> list[str]:
    pages = max(1, math.ceil(count / config.per_page))
    return [urls.paginated(base, n, config) for n in range(1, pages + 1)]
