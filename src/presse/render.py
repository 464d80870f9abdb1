"""Render stage: the page plan, feeds and sitemaps through Jinja templates into output
files. Pure, apart from the template loader reading template sources and :class:`Reuse`
looking at the previous build's files.

Every output gets a digest of its exact inputs (template fingerprint, template name and
data). When the previous build wrote the same digest to that path and the file is still
there, untouched, it is reused instead of rendered: the writer hard-links it.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from presse import urls
from presse.cache import OutputDigests
from presse.digest import value_fingerprint
from presse.errors import PresseError
from presse.feeds import plan_feeds
from presse.model import OutputFile, Site
from presse.pages import LazyPage, Page, SiteView, plan_pages, preview_clock
from presse.parallel import MIN_ITEMS_FOR_WORKERS, ordered_map, process_pool
from presse.search import FOLDER as SEARCH_FOLDER
from presse.search import index_stamp
from presse.sitemaps import SitemapUrl, news_articles, sitemap_chunks
from presse.slugs import url_to_output_path
from presse.theme import Theme, absolute_url


@dataclass
class Reuse:
    """The previous build's outputs (path → digest, size, mtime) and this build's digests."""

    previous: Mapping[str, tuple[str, int, int]]
    out_dir: Path | None
    digests: dict[str, str] = field(default_factory=dict)
    reused: int = 0

    def find(self, path: str, digest: str) -> str | None:
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
        return old

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
    for path, entry in _files_under(str(out_dir)):
        known = previous.files.get(path)
        if known is None:
            return False
        stat = entry.stat()
        if (stat.st_size, stat.st_mtime_ns) != known[1:]:
            return False
        seen += 1
    # The search index is ours if its stamp is the one recorded with its digest.
    search_ok = not previous.search or previous.search.endswith(
        "@" + index_stamp(out_dir / SEARCH_FOLDER)
    )
    return seen == len(previous.files) and search_ok


def _files_under(root: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file below ``root`` with its relative POSIX path, the search index left out
    (it is checked by its own stamp). Plain strings and scandir: this walk is most of
    a build where nothing changed."""
    stack = [("", root)]
    while stack:
        relative, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if relative or entry.name != SEARCH_FOLDER:
                        stack.append((f"{relative}{entry.name}/", entry.path))
                else:
                    yield relative + entry.name, entry


def _stamp(path: Path | str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


def render_site(
    site: Site,
    theme: Theme,
    preview: bool = False,
    reuse: Reuse | None = None,
    workers: int = 1,
) -> Iterator[OutputFile]:
    """Every generated file of the site: pages, feeds, sitemaps, robots.txt.

    ``preview`` (the dev server) marks drafts and embargoed articles on their pages.
    Pages whose inputs changed are rendered by ``workers`` processes when there are
    many (a fork-based pool started after planning: workers inherit the plan), and
    come back in order, so the output never depends on the number of workers.
    """
    reuse = reuse or Reuse(previous={}, out_dir=None)
    view, pages = plan_pages(site, preview)
    view_key = value_fingerprint(view)  # once, not in every page's digest
    slots: list[OutputFile | int] = []  # a reused file, or the index of a page to render
    for index, page in enumerate(pages):
        reused = _reusable(page, theme.fingerprint, view_key, reuse)
        slots.append(reused if reused is not None else index)
    todo = [slot for slot in slots if isinstance(slot, int)]
    rendered = _render_pages(theme, view, pages, todo, workers)
    for slot in slots:
        if isinstance(slot, OutputFile):
            yield slot
        else:
            page = pages[slot]
            data = next(rendered)
            yield OutputFile(
                path=url_to_output_path(page.url),
                origin=page.origin or f"template {page.template}",
                data=data,
            )
    for feed in plan_feeds(site):
        context = {"site": view, "feed": feed}
        yield _render(theme, reuse, f"feeds/{feed.kind}.xml", feed.url, context)
    yield from _sitemaps(site, theme, reuse, view, pages)


def _reusable(
    page: Page | LazyPage, templates: str, view_key: str, reuse: Reuse
) -> OutputFile | None:
    """The previous build's file for ``page`` when its inputs are unchanged."""
    path = url_to_output_path(page.url)
    inputs = page.inputs if isinstance(page, LazyPage) else (page.meta, page.context)
    digest = value_fingerprint(templates, page.template, view_key, inputs)
    previous = reuse.find(path, digest)
    if previous is None:
        return None
    return OutputFile(path=path, origin=page.origin, source=previous)


# What forked render workers read: set just before the pool starts, cleared after.
_JOB: tuple[Theme, SiteView, Sequence[Page | LazyPage]] | None = None


def _render_pages(
    theme: Theme,
    view: SiteView,
    pages: Sequence[Page | LazyPage],
    todo: list[int],
    workers: int,
) -> Iterator[bytes]:
    global _JOB
    executor = process_pool(workers) if len(todo) >= MIN_ITEMS_FOR_WORKERS else None
    if executor is None:
        for index in todo:
            yield _render_page(theme, view, pages[index])
        return
    _JOB = (theme, view, pages)  # before the pool forks its workers, at the first submit
    try:
        size = max(16, min(256, -(-len(todo) // (workers * 8))))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        for result in ordered_map(_render_chunk, chunks, executor, window=workers * 2):
            yield from result
    finally:
        executor.shutdown(cancel_futures=True)
        _JOB = None


def _render_chunk(indexes: Sequence[int]) -> list[bytes]:
    """In a worker: render the pages of the plan inherited from the parent."""
    assert _JOB is not None, "render workers must be forked after the plan is set"
    theme, view, pages = _JOB
    return [_render_page(theme, view, pages[i]) for i in indexes]


def _render_page(theme: Theme, view: SiteView, page: Page | LazyPage) -> bytes:
    planned = page.make() if isinstance(page, LazyPage) else page
    context = {"site": view, "page": planned.meta, **planned.context}
    try:
        return theme.env.get_template(page.template).render(**context).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None  # a PresseError: it crosses process boundaries


def template_error(exc: jinja2.TemplateError) -> PresseError:
    """A template mistake as a located error: the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return PresseError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return PresseError(f"template error: {exc}", frame.filename, frame.lineno)
    return PresseError(f"template error: {exc}")


def _sitemaps(
    site: Site, theme: Theme, reuse: Reuse, view: SiteView, pages: Sequence[Page | LazyPage]
) -> Iterator[OutputFile]:
    config = site.config
    entries = [SitemapUrl(loc=p.canonical, lastmod=p.lastmod) for p in pages if p.in_sitemap]
    chunks = sitemap_chunks(entries)
    if len(chunks) == 1:
        yield _render(theme, reuse, "sitemaps/sitemap.xml", urls.SITEMAP, {"urls": chunks[0]})
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
            yield _render(theme, reuse, "sitemaps/sitemap.xml", path, {"urls": chunk})
        yield _render(theme, reuse, "sitemaps/sitemap-index.xml", urls.SITEMAP, {"sitemaps": parts})
    news = {"site": view, "articles": news_articles(site)}
    yield _render(theme, reuse, "sitemaps/news-sitemap.xml", urls.NEWS_SITEMAP, news)
    robots = {
        "sitemaps": (absolute_url(config, urls.SITEMAP), absolute_url(config, urls.NEWS_SITEMAP))
    }
    yield _render(theme, reuse, "sitemaps/robots.txt", urls.ROBOTS, robots)


def _render(
    theme: Theme, reuse: Reuse, template: str, url: str, context: dict[str, Any]
) -> OutputFile:
    path = url_to_output_path(url)
    origin = f"template {template}"
    digest = value_fingerprint(theme.fingerprint, template, context)
    previous = reuse.find(path, digest)
    if previous is not None:
        return OutputFile(path=path, origin=origin, source=previous)
    text = theme.env.get_template(template).render(**context)
    return OutputFile(path=path, origin=origin, data=text.encode("utf-8"))
