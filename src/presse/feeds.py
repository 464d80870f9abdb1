"""Atom and RSS feeds: what each feed holds. Pure; the XML is written by templates.

Entry ids are ``tag:`` URIs (RFC 4151) built from the host, the publication date and
the article's feed key (its ``id`` frontmatter, else its source path inside
``content/``), so they survive a change of slug or permalink pattern.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from presse import urls
from presse.config import SiteConfig
from presse.i18n import load_translations
from presse.model import Article, BodyPhoto, Site, Term
from presse.photos import Shape, figure_html, output_path
from presse.slugs import slugify
from presse.theme import absolute_url

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str
    article: Article
    url: str  # absolute
    root: str  # the site's absolute root URL, for the links of the content
    # The description as HTML, for RSS <description>, which readers render as HTML: the
    # template escapes it once more for XML, so "<script>" in a chapô stays text.
    description_html: str
    author_urls: tuple[tuple[str, str], ...]  # (name, absolute author page)
    # Each photo of the body: its widest fallback (absolute URL, width, height), its
    # credit; in the feed's digest, so a photo's new variants give the feed new content.
    photos: tuple[tuple[str, str, int, int, str], ...] = ()  # reference first

    @property
    def content(self) -> str:
        """The body HTML with absolute links, each photo as one ``<img>`` (feed readers
        know no ``<picture>``). Made only when a feed is rendered: a feed's digest sees
        the article's fingerprint, never its body (see presse.digest)."""
        shown = {reference: rest for reference, *rest in self.photos}
        html = self.article.body.html_with(lambda photo: _feed_image(photo, shown))
        return _with_root(html, self.root)


def _feed_image(photo: BodyPhoto, shown: Mapping[str, list[Any]]) -> str:
    """A body photo in a feed: one ``<img>``, in a figure with its caption and credit."""
    if photo.reference not in shown:
        return ""
    url, width, height, credit = shown[photo.reference]
    image = (
        f'<img src="{html.escape(url)}" width="{width}" height="{height}"'
        f' alt="{html.escape(photo.alt)}">'
    )
    return figure_html(image, photo.caption, credit) if photo.figure else image


@dataclass(frozen=True, slots=True)
class Feed:
    kind: str  # "atom" or "rss"
    url: str  # site-relative path of the feed file
    id: str
    title: str
    subtitle: str
    self_url: str  # absolute
    page_url: str  # absolute URL of the HTML page the feed follows
    updated: datetime
    entries: tuple[FeedEntry, ...]


def entry_id(article: Article, config: SiteConfig) -> str:
    """``tag:presse.example.org,2025-02-01:2025/mon-article``: stable across slug changes."""
    host = urlsplit(config.base_url).hostname or "localhost"
    day = article.date.astimezone(config.tzinfo).date().isoformat()
    return f"tag:{host},{day}:{article.feed_identity(config.content_dir)}"


def absolutize(html: str, config: SiteConfig) -> str:
    """Root-relative ``href``/``src`` made absolute, for feed readers without a base URL."""
    return _with_root(html, absolute_url(config, "/"))


def _with_root(html: str, root: str) -> str:
    return _ROOT_RELATIVE.sub(lambda m: m.group(1) + root, html)


def plan_feeds(site: Site, only: Collection[str] | None = None) -> Iterator[Feed]:
    """The site's Atom and RSS feeds, and an Atom feed per section and per author (those
    whose URL is in ``only``, if given: what an edit changes)."""
    config = site.config
    _ = load_translations(config.locale).gettext
    # Feed ids: tag:host,year-of-the-first-article:page (worked out once for all feeds).
    host = urlsplit(config.base_url).hostname or "localhost"
    first = site.articles[-1].date if site.articles else site.build_time  # newest first
    tag = f"tag:{host},{first.astimezone(config.tzinfo).year}:"
    everything = site.articles[: config.feed_size]
    for kind, url in (("atom", urls.SITE_ATOM), ("rss", urls.SITE_RSS)):
        if only is None or url in only:
            yield _feed(
                site, tag, kind, url, urls.FRONT, config.title, config.description, everything
            )
    for term, label in [(t, _("Section")) for t in site.sections] + [
        (t, _("Author")) for t in site.authors
    ]:
        if only is None or urls.term_feed(term.kind, term.slug, config) in only:
            yield _term_feed(site, tag, term, label)


def _term_feed(site: Site, tag: str, term: Term, label: str) -> Feed:
    config = site.config
    articles = tuple(site.by_slug[s] for s in term.articles[: config.feed_size])
    return _feed(
        site,
        tag,
        "atom",
        urls.term_feed(term.kind, term.slug, config),
        urls.term(term.kind, term.slug, config),
        f"{config.title} – {term.name}",
        f"{label} {term.name}",
        articles,
    )


def _feed(
    site: Site,
    tag: str,
    kind: str,
    url: str,
    page: str,
    title: str,
    subtitle: str,
    articles: Sequence[Article],
) -> Feed:
    config = site.config
    root = absolute_url(config, "/")
    return Feed(
        kind=kind,
        url=url,
        id=f"{tag}{page}",
        title=title,
        subtitle=subtitle,
        self_url=absolute_url(config, url),
        page_url=absolute_url(config, page),
        # The newest change of an entry, not the build time: an unchanged feed stays byte-identical.
        updated=max((a.modified for a in articles), default=site.build_time),
        entries=tuple(
            FeedEntry(
                id=entry_id(a, config),
                article=a,
                url=absolute_url(config, a.url),
                root=root,
                description_html=html.escape(a.description, quote=False),
                photos=tuple(
                    shown
                    for p in a.body.photos
                    if (shown := _feed_photo(site, p.reference)) is not None
                ),
                author_urls=tuple(
                    (
                        name,
                        absolute_url(config, urls.term("author", slugify(name), config)),
                    )
                    for name in a.authors
                ),
            )
            for a in articles
        ),
    )


def _feed_photo(site: Site, reference: str) -> tuple[str, str, int, int, str] | None:
    """A body photo as a feed shows it: its widest fallback variant, and its credit."""
    size = site.images.get(reference)
    if size is None or not size.photo:
        return None
    width, height, format = Shape(size.width, size.height, size.transparent).widest()
    url = absolute_url(site.config, "/" + output_path(size.photo, width, format))
    return reference, url, width, height, size.credit
