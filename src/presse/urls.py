"""Where every page of the site lives. Pure.

All URLs are site-relative paths (``/rubrique/economie/page/2/``); templates turn them
into links with ``url()`` (which adds the ``base_url`` path) or ``absolute_url()``.
The words come from the ``[urls]`` table of the config.
"""

from __future__ import annotations

from datetime import datetime

from presse.config import SiteConfig
from presse.model import Period
from presse.slugs import slugify

FRONT = "/"
SITE_ATOM = "/atom.xml"
SITE_RSS = "/rss.xml"
SITEMAP = "/sitemap.xml"
NEWS_SITEMAP = "/news-sitemap.xml"
ROBOTS = "/robots.txt"
NOT_FOUND = "/404.html"
REDIRECTS = "/_redirects"  # read by Netlify, Cloudflare Pages…: see presse.redirects


def article(config: SiteConfig, date: datetime, slug: str, section: str | None) -> str:
    """An article's address: the ``permalink`` pattern filled in, with the date in the
    site's zone (``actualite`` standing for a missing section)."""
    local = date.astimezone(config.tzinfo)
    return config.permalink.format(
        year=f"{local.year:04d}",
        month=f"{local.month:02d}",
        day=f"{local.day:02d}",
        slug=slug,
        section=slugify(section) if section else "actualite",
    )


def paginated(base: str, number: int, config: SiteConfig) -> str:
    """``base`` for page 1, ``base`` + ``page/N/`` after it."""
    return base if number == 1 else f"{base}{config.urls.page}/{number}/"


def term(kind: str, slug: str, config: SiteConfig) -> str:
    """The listing of a section, tag or author."""
    word = {"section": config.urls.section, "tag": config.urls.tag, "author": config.urls.author}
    return f"/{word[kind]}/{slug}/"


def term_feed(kind: str, slug: str, config: SiteConfig) -> str:
    return term(kind, slug, config) + "atom.xml"


def period(value: Period, config: SiteConfig) -> str:
    return f"/{config.urls.archives}/{value.slug}/"


def archives_index(config: SiteConfig) -> str:
    return f"/{config.urls.archives}/"


def sections_index(config: SiteConfig) -> str:
    return f"/{config.urls.sections}/"


def tags_index(config: SiteConfig) -> str:
    return f"/{config.urls.tags}/"


def search(config: SiteConfig) -> str:
    return f"/{config.urls.search}/"
