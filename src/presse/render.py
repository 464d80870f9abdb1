"""Render stage: the site plan, and the outputs it names, through Jinja templates. Pure,
apart from the template loader reading template sources and the stamps of static files.

:func:`plan_site` lists every output of the site (pages, feeds, sitemaps, static files,
search shards) with its **key**: a fingerprint of exactly what it shows (the template
fingerprint, the template and the page's inputs, where articles stand for themselves by
their fingerprint). Keys are cheap: no page is planned in full to get one. The
publisher compares them with what the output trees hold, and only the outputs it lacks
are produced by :func:`produce`: one edited article means its page, the listings,
feeds and related blocks that show it, and its search shard.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from presse import __version__, urls
from presse.digest import value_fingerprint
from presse.errors import PresseError
from presse.feeds import plan_feeds
from presse.indexer import pagefind_version
from presse.model import Site
from presse.pages import LazyPage, Page, SiteView, plan_pages, preview_clock
from presse.parallel import MIN_ITEMS_FOR_WORKERS, ordered_map, process_pool
from presse.publish import Output
from presse.search import DOCUMENT_TEMPLATE, Shard, indexed_body, plan_shards, shard_articles
from presse.sitemaps import SitemapUrl, news_articles, sitemap_chunks
from presse.slugs import url_to_output_path
from presse.theme import Theme, absolute_url, iso_datetime


@dataclass(frozen=True, slots=True)
class Template:
    """An output rendered from a template and its context (feeds, sitemaps, robots.txt)."""

    name: str
    context: Mapping[str, Any]


Maker = Page | LazyPage | Template | Shard | None  # None: a static file, copied


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every output of the site, in a stable order, and how to make each one."""

    view: SiteView
    outputs: tuple[Output, ...]
    makers: tuple[Maker, ...]  # parallel to ``outputs``
    shards: tuple[Shard, ...]


def site_fingerprint(site: Site, theme: Theme, preview: bool) -> str:
    """Everything the whole output depends on. Equal to the previous build's, nothing
    needs rendering: every derived structure (related, listings, archives) is a function
    of these inputs, and the only clock-dependent outputs (footer year, news sitemap,
    preview flags) are represented by what they show."""
    view_clock = preview_clock(site) if preview else None
    return value_fingerprint(
        theme.fingerprint,
        preview,
        view_clock,
        site.build_time.astimezone(site.config.tzinfo).year,
        [a.slug for a in news_articles(site)],
        site.articles,
        sorted(site.profiles.items()),
        sorted(site.images.items()),
        [(o.path, o.source and _stamp(o.source)) for o in theme.static_files],
        pagefind_version() if site.config.search else "",
    )


def plan_search(site: Site, theme: Theme) -> tuple[Output, ...]:
    """The search shards as outputs (``pagefind/<name>/``), newest first, with their keys:
    known before the pages are planned, so that a changed shard can be indexed while
    they are rendered."""
    if not site.config.search:
        return ()
    indexed = _search_fingerprint(theme, site)
    outputs = []
    for shard in plan_shards(site):
        members = tuple(shard_articles(shard, site))  # articles: their repr is their fingerprint
        key = value_fingerprint(indexed, shard.name, members)
        outputs.append(Output(shard.folder, key, f"search shard {shard.name}", shard=shard))
    return tuple(outputs)


def plan_site(
    site: Site, theme: Theme, preview: bool = False, search: Sequence[Output] | None = None
) -> SitePlan:
    """Every output of the site with its key; nothing rendered yet. ``search`` is what
    :func:`plan_search` gives (planned here when not given)."""
    search = plan_search(site, theme) if search is None else search
    shards = tuple(o.shard for o in search if o.shard is not None)
    view, pages = plan_pages(site, preview, tuple(s.name for s in shards))
    view_key = value_fingerprint(view)  # once, not in every page's digest
    templates = theme.fingerprint
    outputs: list[Output] = []
    makers: list[Maker] = []
    for page in pages:
        inputs = page.inputs if isinstance(page, LazyPage) else (page.meta, page.context)
        key = value_fingerprint(templates, page.template, view_key, inputs)
        path = url_to_output_path(page.url)
        outputs.append(Output(path, key, page.origin or f"template {page.template}"))
        makers.append(page)
    for url, template in _templates(site, view, pages):
        key = value_fingerprint(templates, template.name, template.context)
        outputs.append(Output(url_to_output_path(url), key, f"template {template.name}"))
        makers.append(template)
    for static in theme.static_files:
        assert static.source is not None
        size, mtime = _stamp(static.source)
        key = f"static:{size}:{mtime}:{static.source}"
        outputs.append(Output(static.path, key, static.origin, source=str(static.source)))
        makers.append(None)
    for output in search:
        outputs.append(output)
        makers.append(output.shard)
    return SitePlan(view, tuple(outputs), tuple(makers), shards)


def _search_fingerprint(theme: Theme, site: Site) -> str:
    """What every shard's index depends on besides its articles: Pagefind, presse, the
    config and the document template; not the page templates (a footer edit re-indexes
    nothing)."""
    loader = theme.env.loader
    assert loader is not None
    source = loader.get_source(theme.env, DOCUMENT_TEMPLATE)[0]
    return value_fingerprint(pagefind_version(), __version__, site.config, source)


def _templates(
    site: Site, view: SiteView, pages: Sequence[Page | LazyPage]
) -> Iterator[tuple[str, Template]]:
    """Feeds, sitemaps and robots.txt: each a template and its context."""
    config = site.config
    for feed in plan_feeds(site):
        yield feed.url, Template(f"feeds/{feed.kind}.xml", {"site": view, "feed": feed})
    entries = [SitemapUrl(loc=p.canonical, lastmod=p.lastmod) for p in pages if p.in_sitemap]
    chunks = sitemap_chunks(entries)
    if len(chunks) == 1:
        yield urls.SITEMAP, Template("sitemaps/sitemap.xml", {"urls": chunks[0]})
    else:
        parts = []
        for number, chunk in enumerate(chunks, start=1):
            path = f"/sitemap-{number}.xml"
            newest = max((u.lastmod for u in chunk if u.lastmod), default=None)
            parts.append(SitemapUrl(absolute_url(config, path), newest))
            yield path, Template("sitemaps/sitemap.xml", {"urls": chunk})
        yield urls.SITEMAP, Template("sitemaps/sitemap-index.xml", {"sitemaps": parts})
    news = {"site": view, "articles": news_articles(site)}
    yield urls.NEWS_SITEMAP, Template("sitemaps/news-sitemap.xml", news)
    sitemaps = (absolute_url(config, urls.SITEMAP), absolute_url(config, urls.NEWS_SITEMAP))
    yield urls.ROBOTS, Template("sitemaps/robots.txt", {"sitemaps": sitemaps})


def produce(
    plan: SitePlan,
    wanted: Sequence[int],
    theme: Theme,
    workers: int,
    index: Callable[[Sequence[tuple[Shard, str]]], Mapping[str, Path]],
) -> Iterator[tuple[int, bytes | Path]]:
    """The content of the ``wanted`` outputs, in order: pages rendered by ``workers``
    processes when there are many (a fork-based pool started after planning: workers
    inherit the plan), the other templates here, and the search shards, indexed
    together by ``index`` (shard → bundle folder) once every page is out."""
    pages = [i for i in wanted if isinstance(plan.makers[i], Page | LazyPage)]
    for number, data in zip(pages, _render_pages(theme, plan, pages, workers), strict=True):
        yield number, data
    shards: list[int] = []
    for number in wanted:
        maker = plan.makers[number]
        if isinstance(maker, Template):
            yield number, _render(theme, maker)
        elif isinstance(maker, Shard):
            shards.append(number)
    if shards:
        bundles = index([(plan.makers[i], plan.outputs[i].key) for i in shards])  # type: ignore[misc]
        for number in shards:
            maker = plan.makers[number]
            assert isinstance(maker, Shard)
            yield number, bundles[maker.name]


# What forked render workers read: set just before the pool starts, cleared after.
_JOB: tuple[Theme, SitePlan] | None = None


def _render_pages(theme: Theme, plan: SitePlan, todo: list[int], workers: int) -> Iterator[bytes]:
    global _JOB
    executor = process_pool(workers) if len(todo) >= MIN_ITEMS_FOR_WORKERS else None
    if executor is None:
        for index in todo:
            yield _render_page(theme, plan.view, plan.makers[index])
        return
    _JOB = (theme, plan)  # before the pool forks its workers, at the first submit
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
    theme, plan = _JOB
    return [_render_page(theme, plan.view, plan.makers[i]) for i in indexes]


def _render_page(theme: Theme, view: SiteView, page: Maker) -> bytes:
    assert isinstance(page, Page | LazyPage)
    planned = page.make() if isinstance(page, LazyPage) else page
    context = {"site": view, "page": planned.meta, **planned.context}
    try:
        return theme.env.get_template(page.template).render(**context).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None  # a PresseError: it crosses process boundaries


def _render(theme: Theme, template: Template) -> bytes:
    try:
        return theme.env.get_template(template.name).render(**template.context).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


def search_documents(
    theme: Theme, site: Site, view: SiteView
) -> Callable[[Shard], Iterator[tuple[str, str]]]:
    """What the search index reads of each article of a shard: a small HTML document
    per article (``search/document.html``), at the article's own output path, so the
    results link to the article."""
    template = theme.env.get_template(DOCUMENT_TEMPLATE)
    config = site.config

    def documents(shard: Shard) -> Iterator[tuple[str, str]]:
        for article in shard_articles(shard, site):
            context = {
                "site": view,
                "article": article,
                "body": indexed_body(article),
                "timestamp": int(article.date.timestamp()),
                "iso_date": iso_datetime(article.date, config),
            }
            try:
                yield url_to_output_path(article.url), template.render(**context)
            except jinja2.TemplateError as exc:
                raise template_error(exc) from None

    return documents


def template_error(exc: jinja2.TemplateError) -> PresseError:
    """A template mistake as a located error: the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return PresseError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return PresseError(f"template error: {exc}", frame.filename, frame.lineno)
    return PresseError(f"template error: {exc}")


def _stamp(path: Path | str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns
