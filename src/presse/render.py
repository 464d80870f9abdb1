"""Render stage: the page plan, feeds and sitemaps through Jinja templates into output
files. Pure, apart from the template loader reading template sources and :class:`Reuse`
looking at the previous build's files.

Every output gets a digest of its exact inputs (template fingerprint, template name and
data). When the previous build wrote the same digest to that path and the file is still
there, untouched, it is reused instead of rendered: the writer hard-links it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presse import urls
from presse.cache import OutputDigests
from presse.digest import value_fingerprint
from presse.feeds import plan_feeds
from presse.model import OutputFile, Site
from presse.pages import LazyPage, Page, SiteView, plan_pages, preview_clock
from presse.sitemaps import SitemapUrl, news_articles, sitemap_chunks
from presse.slugs import url_to_output_path
from presse.theme import Theme, absolute_url


@dataclass
class Reuse:
    """The previous build's outputs (path → digest, size, mtime) and this build's digests."""

    previous: Mapping[str, tuple[str, int, int]]
    out_dir: Path | None
    templates: str
    digests: dict[str, str] = field(default_factory=dict)
    reused: int = 0

    def find(self, path: str, digest: str) -> Path | None:
        """The previous file for ``path`` if it was made from the same inputs and is intact."""
        self.digests[path] = digest
        known = self.previous.get(path)
        if known is None or known[0] != digest or self.out_dir is None:
            return None
        old = os.path.join(self.out_dir, path)
        try:
            stat = os.stat(old)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != known[1:]:
            return None  # changed by hand since: render it again
        self.reused += 1
        return Path(old)

    def stamped(self, out_dir: Path) -> dict[str, tuple[str, int, int]]:
        """This build's digests with the size and mtime of the files as written."""
        result: dict[str, tuple[str, int, int]] = {}
        for path, digest in self.digests.items():
            try:
                stat = os.stat(os.path.join(out_dir, path))
            except OSError:
                continue
            result[path] = (digest, stat.st_size, stat.st_mtime_ns)
        return result


def site_fingerprint(site: Site, theme: Theme, preview: bool) -> str:
    """Everything the whole output depends on. Equal to the previous build's, nothing
    needs rendering: every derived structure (related, listings, archives) is a function
    of these inputs, and the only clock-dependent outputs (footer year, news sitemap,
    preview flags) are represented by what they show."""
    view_clock = preview_clock(site) if preview else None
    static = [(f.path, *_stamp(f.source)) for f in theme.static_files if f.source is not None]
    return value_fingerprint(
        theme.fingerprint,
        preview,
        view_clock,
        site.build_time.astimezone(site.config.tzinfo).year,
        [a.slug for a in news_articles(site)],
        site.articles,
        sorted(site.profiles.items()),
        sorted(site.images.items()),
        static,
    )


def outputs_intact(out_dir: Path, previous: OutputDigests) -> bool:
    """Every file the previous build recorded is there, untouched, and nothing else."""
    if not previous.files or not out_dir.is_dir():
        return False
    seen = 0
    for folder, _, files in os.walk(out_dir):
        relative = os.path.relpath(folder, out_dir)
        if relative.split(os.sep)[0] == "pagefind":
            continue  # the search index is checked by its own digest
        for name in files:
            path = name if relative == "." else f"{relative}/{name}"
            known = previous.files.get(path)
            if known is None:
                return False
            stat = os.stat(os.path.join(folder, name))
            if (stat.st_size, stat.st_mtime_ns) != known[1:]:
                return False
            seen += 1
    search_ok = not previous.search or os.path.isdir(os.path.join(out_dir, "pagefind"))
    return seen == len(previous.files) and search_ok


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def render_site(
    site: Site, theme: Theme, preview: bool = False, reuse: Reuse | None = None
) -> Iterator[OutputFile]:
    """Every generated file of the site: pages, feeds, sitemaps, robots.txt.

    ``preview`` (the dev server) marks drafts and embargoed articles on their pages.
    """
    reuse = reuse or Reuse(previous={}, out_dir=None, templates=theme.fingerprint)
    view, pages = plan_pages(site, preview)
    for page in pages:
        if isinstance(page, LazyPage):
            path = url_to_output_path(page.url)
            previous = reuse.find(path, value_fingerprint(reuse.templates, view, page.inputs))
            if previous is not None:
                yield OutputFile(path=path, origin=page.origin, source=previous)
                continue
            planned = page.make()
            context = {"site": view, "page": planned.meta, **planned.context}
            html = theme.env.get_template(page.template).render(**context)
            yield OutputFile(path=path, origin=page.origin, data=html.encode("utf-8"))
            continue
        context = {"site": view, "page": page.meta, **page.context}
        yield _render(theme, reuse, page.template, page.meta.url, page.origin, context)
    for feed in plan_feeds(site):
        context = {"site": view, "feed": feed}
        yield _render(theme, reuse, f"feeds/{feed.kind}.xml", feed.url, "", context)
    yield from _sitemaps(site, theme, reuse, view, pages)


def _sitemaps(
    site: Site, theme: Theme, reuse: Reuse, view: SiteView, pages: Sequence[Page | LazyPage]
) -> Iterator[OutputFile]:
    config = site.config
    entries = [
        SitemapUrl(loc=page.canonical, lastmod=page.lastmod)
        if isinstance(page, LazyPage)
        else SitemapUrl(loc=page.meta.canonical, lastmod=page.meta.lastmod)
        for page in pages
        if isinstance(page, LazyPage) or page.meta.in_sitemap
    ]
    chunks = sitemap_chunks(entries)
    if len(chunks) == 1:
        yield _render(theme, reuse, "sitemaps/sitemap.xml", urls.SITEMAP, "", {"urls": chunks[0]})
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
            yield _render(theme, reuse, "sitemaps/sitemap.xml", path, "", {"urls": chunk})
        yield _render(
            theme, reuse, "sitemaps/sitemap-index.xml", urls.SITEMAP, "", {"sitemaps": parts}
        )
    news = {"site": view, "articles": news_articles(site)}
    yield _render(theme, reuse, "sitemaps/news-sitemap.xml", urls.NEWS_SITEMAP, "", news)
    robots = {
        "sitemaps": (absolute_url(config, urls.SITEMAP), absolute_url(config, urls.NEWS_SITEMAP))
    }
    yield _render(theme, reuse, "sitemaps/robots.txt", urls.ROBOTS, "", robots)


def _render(
    theme: Theme, reuse: Reuse, template: str, url: str, origin: str, context: dict[str, Any]
) -> OutputFile:
    path = url_to_output_path(url)
    origin = origin or f"template {template}"
    digest = value_fingerprint(reuse.templates, template, context)
    previous = reuse.find(path, digest)
    if previous is not None:
        return OutputFile(path=path, origin=origin, source=previous)
    text = theme.env.get_template(template).render(**context)
    return OutputFile(path=path, origin=origin, data=text.encode("utf-8"))
