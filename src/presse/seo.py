"""Structured data for search engines: schema.org JSON-LD. Pure.

Every function returns plain dicts; :func:`to_json_ld` serialises them for a
``<script type="application/ld+json">`` block, escaped so that no text of an article
can close the script element.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from presse.config import SiteConfig
from presse.links import encode_url
from presse.model import Article, Site
from presse.slugs import slugify
from presse.theme import absolute_url, iso_datetime
from presse.urls import term

JsonLd = dict[str, Any]
CONTEXT = "https://schema.org"


@dataclass(frozen=True, slots=True)
class Crumb:
    """One step of a breadcrumb trail: a name and a site-relative URL."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image as metadata needs it: absolute URL and, when known, its size."""

    url: str
    width: int | None = None
    height: int | None = None
    alt: str = ""
    mime_type: str = ""


def organization(site: Site, logo: ImageRef | None) -> JsonLd:
    """The publisher, with the legal details of the ``[legal]`` table: the legal notice
    page shows the same ones, from the same place."""
    config = site.config
    data: JsonLd = {
        "@type": "NewsMediaOrganization",
        "name": config.publisher_name,
        "url": absolute_url(config, "/"),
    }
    if logo is not None:
        data["logo"] = _image_object(logo)
    legal = config.legal
    for key, value in (
        ("legalName", legal.name),
        ("address", legal.address),
        ("email", legal.email),
        ("telephone", legal.phone),
    ):
        if value:
            data[key] = value
    return data


def web_page(page: Article, site: Site, logo: ImageRef | None, *, legal: bool = False) -> JsonLd:
    """A page of the site that is not news (``WebPage``; the legal notice names the
    publisher it describes)."""
    config = site.config
    url = absolute_url(config, page.url)
    data: JsonLd = {
        "@context": CONTEXT,
        "@type": "WebPage",
        "name": page.title,
        "url": url,
        "inLanguage": _language_tag(config, page.lang),
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": absolute_url(config, "/")},
    }
    if page.description:
        data["description"] = page.description
    if legal:
        data["about"] = organization(site, logo)
    return data


def news_article(
    article: Article, site: Site, images: Sequence[ImageRef], logo: ImageRef | None
) -> JsonLd:
    """A ``NewsArticle`` with every property Google News and rich results read; its
    ``images``: a lead photo's 16:9, 4:3 and 1:1 crops, as search engines ask."""
    config = site.config
    canonical = absolute_url(config, article.url)
    data: JsonLd = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.description,
        "datePublished": iso_datetime(article.date, config),
        "dateModified": iso_datetime(article.modified, config),
        "author": [_person(name, site) for name in article.authors] or [organization(site, logo)],
        "publisher": organization(site, logo),
        "inLanguage": _language_tag(config, article.lang),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "wordCount": article.body.word_count,
        "isAccessibleForFree": True,
    }
    if images:
        data["image"] = [_image_object(image) for image in images]
    if article.section:
        data["articleSection"] = article.section
    if article.tags:
        data["keywords"] = list(article.tags)
    return data


def breadcrumb_list(crumbs: Sequence[Crumb], config: SiteConfig) -> JsonLd:
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "name": crumb.name,
                "item": absolute_url(config, crumb.url),
            }
            for i, crumb in enumerate(crumbs, start=1)
        ],
    }


def website(site: Site, logo: ImageRef | None) -> JsonLd:
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": site.config.title,
        "url": absolute_url(site.config, "/"),
        "inLanguage": _language_tag(site.config),
        "publisher": organization(site, logo),
    }


def to_json_ld(*items: JsonLd) -> str:
    """JSON for a script element: ``<``, ``>`` and ``&`` escaped, stable key order."""
    data = items[0] if len(items) == 1 else list(items)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _person(name: str, site: Site) -> JsonLd:
    slug = slugify(name)
    person: JsonLd = {
        "@type": "Person",
        "name": name,
        "url": absolute_url(site.config, term("author", slug, site.config)),
    }
    profile = site.profiles.get(slug)
    if profile is not None:
        if profile.role:
            person["jobTitle"] = profile.role
        if profile.url:
            person["sameAs"] = [encode_url(profile.url)]
    return person


def _image_object(image: ImageRef) -> JsonLd:
    data: JsonLd = {"@type": "ImageObject", "url": image.url}
    if image.width and image.height:
        data["width"] = image.width
        data["height"] = image.height
    return data


def _language_tag(config: SiteConfig, lang: str = "") -> str:
    """``fr-FR`` from ``fr_FR``: BCP 47, as schema.org and Open Graph readers expect; an
    article in another language than the site's gives its own (``en``, ``en-GB``)."""
    if lang and lang.split("-")[0] != config.language:
        return lang
    return config.locale.replace("_", "-")
