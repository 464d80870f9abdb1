"""``sitemap.xml``, the Google News sitemap and ``robots.txt``: what they list. Pure.

A sitemap file holds at most 50 000 URLs (sitemaps.org); beyond that ``sitemap.xml``
becomes an index of ``sitemap-1.xml``, ``sitemap-2.xml``… The news sitemap lists only
articles published in the 48 hours before the build time, at most 1 000, as Google
News requires.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import overload

from presse.digest import value_fingerprint
from presse.model import Article, Site
from presse.slugs import folder_url

MAX_URLS = 50_000
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX = 1_000


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """A page the sitemap lists. Its absolute address is held in parts that are shared
    strings (the site's root; the page's own URL, or for an article the parts of its
    URL around its slug, as the article holds them) and joined when the sitemap is
    written: every page's own copy cost an archive an eighth of a kilobyte an article."""

    head: str  # absolute: the address, or the site's root without its final "/"
    lastmod: datetime | None
    tail: str = ""  # with a root as head: the page's site-relative URL, or what precedes
    slug: str = ""  # an article's slug
    rest: str = ""  # and what follows it

    @classmethod
    def of(cls, canonical: str, url: str, stem: str, lastmod: datetime | None) -> SitemapUrl:
        """A page's entry, sharing ``url`` and ``stem`` (the root, without its final "/")
        when its ``canonical`` address is the two joined."""
        joined = len(canonical) == len(stem) + len(url)
        if joined and canonical.startswith(stem) and canonical.endswith(url):
            return cls(stem, lastmod, url)
        return cls(canonical, lastmod)

    @classmethod
    def of_article(cls, stem: str, article: Article) -> SitemapUrl:
        """An article page's entry, sharing the parts of the article's URL."""
        return cls(stem, article.modified, article.url_head, article.slug, article.url_tail or "")

    @property
    def loc(self) -> str:
        return f"{self.head}{self.tail}{self.slug}{self.rest}"


Entry = SitemapUrl | Article | str
"""An entry as :class:`SitemapEntries` holds it: an article, whose page's entry is made
from it when read; a page's output path (``tag/ecole/page/2/index.html``), whose
address is the root and the URL that path is written for; else its own SitemapUrl."""


def article_entry(canonical: str, article: Article, stem: str, lastmod: datetime | None) -> Entry:
    """An article page's entry: the article itself when its page's address is the root
    and its URL, and its date the article's last change (an archive's entries then hold
    nothing of their own), else its own :class:`SitemapUrl`."""
    whole = article.url_tail is not None and lastmod == article.modified
    if whole and canonical == stem + article.url:
        return article
    return SitemapUrl.of(canonical, article.url, stem, lastmod)


class SitemapEntries(Sequence[SitemapUrl]):
    """What a sitemap lists (see :data:`Entry`), each entry made when read, with the
    ``lastmods`` of the pages listed by their output path (the path a string the plan
    holds anyway, the date an article's: as a SitemapUrl and a URL of its own, each
    listing page cost an archive 0.14 KB). Its ``repr`` is a digest of them (as an
    article's is its fingerprint), worked out once: a page key hashes it, not its
    thousands of addresses again."""

    __slots__ = ("_digest", "items", "lastmods", "stem")

    def __init__(
        self, stem: str, items: Sequence[Entry], lastmods: Sequence[datetime | None] = ()
    ) -> None:
        self.stem = stem  # the site's root, without its final "/"
        self.items = items
        self.lastmods = lastmods or (None,) * len(items)  # parallel to ``items``
        if len(self.lastmods) != len(items):
            raise ValueError("a lastmod for each entry")
        self._digest = ""

    def _entry(self, item: Entry, lastmod: datetime | None) -> SitemapUrl:
        if isinstance(item, SitemapUrl):
            return item
        if isinstance(item, str):
            url = folder_url(item)
            assert url is not None, f"{item} stands for no URL"
            return SitemapUrl(self.stem, lastmod, url)
        return SitemapUrl.of_article(self.stem, item)

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> SitemapUrl: ...
    @overload
    def __getitem__(self, index: slice) -> SitemapEntries: ...
    def __getitem__(self, index: int | slice) -> SitemapUrl | SitemapEntries:
        if isinstance(index, slice):
            return SitemapEntries(self.stem, self.items[index], self.lastmods[index])
        return self._entry(self.items[index], self.lastmods[index])

    def __iter__(self) -> Iterator[SitemapUrl]:
        return map(self._entry, self.items, self.lastmods)

    def __repr__(self) -> str:
        if not self._digest:
            self._digest = value_fingerprint(self.stem, list(self.items), list(self.lastmods))
        return f"SitemapEntries<{self._digest}>"


def page_entry(canonical: str, url: str, path: str, stem: str, lastmod: datetime | None) -> Entry:
    """A page's entry: its output ``path`` when its address is the root and the URL that
    path stands for (see :class:`SitemapEntries`), else its own :class:`SitemapUrl`."""
    if folder_url(path) == url and canonical == stem + url:
        return path
    return SitemapUrl.of(canonical, url, stem, lastmod)


def sitemap_chunks(entries: Sequence[SitemapUrl]) -> list[Sequence[SitemapUrl]]:
    """``entries`` split into files of at most MAX_URLS; one (maybe empty) chunk at least."""
    return [entries[i : i + MAX_URLS] for i in range(0, len(entries), MAX_URLS)] or [entries]


def news_articles(site: Site) -> tuple[Article, ...]:
    """Published articles of the last 48 hours before the build time, newest first."""
    since = site.build_time - NEWS_WINDOW
    found: list[Article] = []
    for article in site.articles:  # newest first: stop at the first one too old
        if article.date < since or len(found) == NEWS_MAX:
            break
        if article.date <= site.build_time:
            found.append(article)
    return tuple(found)
