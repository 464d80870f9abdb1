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

import functools
import os
import traceback
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from presse import __version__, urls
from presse.columns import Sparse
from presse.config import SiteConfig
from presse.digest import value_fingerprint
from presse.errors import PresseError
from presse.feeds import plan_feeds
from presse.indexer import pagefind_version
from presse.model import Article, Site
from presse.pages import (
    LISTINGS,
    LazyPage,
    Page,
    SiteView,
    plan_again,
    plan_pages,
)
from presse.parallel import MIN_ITEMS_FOR_WORKERS, in_order, ordered_map, process_pool
from presse.photos import (
    CENTRE,
    Shape,
    crop_path,
    crop_variants,
    is_sidecar,
    output_path,
)
from presse.postings import Postings, PostingsBuilder
from presse.publish import Output, Outputs, OutputsBuilder, Pieces, Staged
from presse.recipes import Recipe, Recipes, RecipesBuilder
from presse.redirects import redirects_lines, redirects_of
from presse.search import DOCUMENT_TEMPLATE, Shard, indexed_body, plan_shards, shard_articles
from presse.sitemaps import (
    Entry,
    SitemapEntries,
    SitemapUrl,
    article_entry,
    news_articles,
    page_entry,
    sitemap_chunks,
)
from presse.slugs import url_to_output_path
from presse.theme import Theme, absolute_url, iso_datetime


@dataclass(frozen=True, slots=True)
class Template:
    """An output rendered from a template and its context (feeds, sitemaps, robots.txt)."""

    name: str
    context: Mapping[str, Any]
    origin: str = ""  # what asked for it, when not the template alone (a redirect's article)


@dataclass(frozen=True, slots=True)
class PhotoVariant:
    """One variant of a photo to encode (see :mod:`presse.photos`): it holds no site, so
    a plan kept for the next build keeps it, like a search shard."""

    reference: str  # the photo's address in the site: /images/a.jpg
    source: str  # its file, from the site folder (or whole, for a theme's own)
    key: str  # presse.cache.photo_key
    width: int
    height: int
    format: str
    ratio: tuple[int, int] | None = None  # a crop (share card, structured data) …
    focus: tuple[float, float] = CENTRE  # … around this point


Maker = Page | LazyPage | Template | Shard | PhotoVariant | None  # None: a static file


@dataclass(frozen=True, slots=True)
class SitePlan:
    """Every output of the site, in a stable order, and how to make each one.

    ``recipes`` say how to plan each output again, and ``index`` which outputs show
    each article (by slug): after an edit that keeps the shape of the site, only the
    outputs that show an edited article are planned again (:func:`replan`). A maker is
    None for a static file, and for an output carried over from an earlier plan without
    being planned again (:func:`complete` plans it if it must be made)."""

    view: SiteView
    outputs: Outputs
    makers: Sparse[Maker]  # parallel to ``outputs``: None for nearly all
    shards: tuple[Shard, ...]
    recipes: Recipes  # parallel to ``outputs``
    index: Postings  # article slug → the outputs that show it
    planned: int = 0  # outputs whose key this build worked out (the others: carried over)

    def without_makers(self) -> SitePlan:
        """The plan as kept for the next build: makers hold this build's site."""
        kept = {
            n: m for n, m in self.makers.present().items() if isinstance(m, Shard | PhotoVariant)
        }
        makers: Sparse[Maker] = Sparse(len(self.makers), kept)
        return SitePlan(self.view, self.outputs, makers, self.shards, self.recipes, self.index)


def site_fingerprint(site: Site, theme: Theme, view: SiteView) -> str:
    """Everything the whole output depends on. Equal to the previous build's, nothing
    needs rendering: every derived structure (related, listings, archives) is a function
    of these inputs, and the only clock-dependent outputs (footer year, news sitemap,
    preview flags) are represented by what they show."""
    return value_fingerprint(
        theme.fingerprint,
        view.preview,
        view.now,  # the preview clock
        site.build_time.astimezone(site.config.tzinfo).year,
        [a.slug for a in news_articles(site)],
        " ".join([a.fingerprint for a in site.articles]),
        sorted(site.profiles.items()),
        sorted(site.images.items()),
        [(o.path, o.source and _stamp(o.source)) for o in theme.static_files],
        pagefind_version() if site.config.search else "",
    )


def inputs_fingerprint(
    articles: Sequence[str],
    theme: Theme,
    profiles: Mapping[str, Any],
    flags: tuple[bool, ...],
    media: Sequence[str] = (),
) -> str:
    """Everything a build reads, before any article is loaded: the articles' keys (their
    sources, the config, presse), the templates, static files and authors, the photos
    beside the articles and the options. Equal to the last build's, the site is the one
    it made, until the next change in time (:func:`presse.enrich.next_change`)."""
    return value_fingerprint(
        articles,
        theme.fingerprint,
        [(o.path, o.source and _stamp(o.source)) for o in theme.static_files],
        [(path, os.path.exists(path) and _stamp(path)) for path in media],
        sorted(profiles.items()),
        flags,
        pagefind_version(),
    )


def plan_search(
    site: Site, theme: Theme, previous: SitePlan | None = None, edited: Sequence[str] = ()
) -> tuple[Output, ...]:
    """The search shards as outputs (``pagefind/<name>/``), newest first, with their keys:
    known before the pages are planned, so that a changed shard can be indexed while
    they are rendered. With ``previous``, the plan of a site of the same shape, the
    shards are its own, and only those holding an ``edited`` article get a new key."""
    if not site.config.search:
        return ()
    indexed = _search_fingerprint(theme, site)
    if previous is not None:
        shards = [o for o in previous.outputs if o.shard is not None]
        touched = previous.index.shown(edited)
        touched_shards = {previous.outputs[n].shard for n in touched} - {None}
        return tuple(
            _shard_output(o.shard, site, indexed) if o.shard in touched_shards else o
            for o in shards
            if o.shard is not None
        )
    return tuple(_shard_output(shard, site, indexed) for shard in plan_shards(site))


def _shard_output(shard: Shard, site: Site, indexed: str) -> Output:
    members = tuple(shard_articles(shard, site))  # articles: their repr is their fingerprint
    key = value_fingerprint(indexed, shard.name, members)
    return Output(shard.folder, key, f"search shard {shard.name}", shard=shard)


def plan_site(
    site: Site, theme: Theme, preview: bool = False, search: Sequence[Output] | None = None
) -> SitePlan:
    """Every output of the site with its key; nothing rendered yet. ``search`` is what
    :func:`plan_search` gives (planned here when not given)."""
    search = plan_search(site, theme) if search is None else search
    shards = tuple(o.shard for o in search if o.shard is not None)
    view, pages = plan_pages(site, preview, tuple(s.name for s in shards), theme.fingerprint)
    view_key = value_fingerprint(view)  # once, not in every page's digest
    # Each output goes into the plan's columns as soon as it is planned: an archive's
    # outputs, keys, recipes and lists of articles shown are never all held as objects.
    outputs = OutputsBuilder()
    makers: dict[int, Maker] = {}  # by number: None for a lazy page or static file
    recipes = RecipesBuilder()
    shows = PostingsBuilder()

    def add(output: Output, maker: Maker, recipe: Recipe, showing: Iterable[str]) -> None:
        if maker is not None:
            makers[len(outputs.paths)] = maker
        # An article's page (or a page of the site): its origin is the article's source,
        # its path and origin are held around its slug; a term's page, its path around
        # the term's slug (both the site's strings).
        slug = recipe[1] if recipe[0] in ("article", "page") else ""
        outputs.append(output, slug, recipe[2] if recipe[0] == "term" else None)
        recipes.append(recipe)
        shows.add(showing)

    listed: list[Entry] = []
    lastmods: list[datetime | None] = []
    stem = absolute_url(site.config, "/")[:-1]
    for page in pages:
        output = _page_output(page, theme, view_key)
        # A lazy page is planned again when it is rendered (see produce): held here, an
        # archive's worth of them made most of the plan's memory.
        add(output, None if isinstance(page, LazyPage) else page, page.recipe, page.shows)
        article = site.by_slug.get(page.recipe[1]) if page.recipe[:1] == ("article",) else None
        if page.in_sitemap and article is not None:
            listed.append(article_entry(page.canonical, article, stem, page.lastmod))
            lastmods.append(None)
        elif page.in_sitemap:
            entry = page_entry(page.canonical, page.url, output.path, stem, page.lastmod)
            listed.append(entry)
            lastmods.append(page.lastmod if isinstance(entry, str) else None)
    entries = SitemapEntries(stem, listed, lastmods)
    for recipe, (url, template, showing) in _templates(site, view, entries).items():
        key = value_fingerprint(theme.fingerprint, template.name, template.context)
        origin = template.origin or _origin(template.name)
        add(Output(url_to_output_path(url), key, origin), template, recipe, showing)
    photos = _photo_variants(site)
    originals = {variant.reference for _, variant in photos.values()}
    for static in theme.static_files:
        assert static.source is not None
        if f"/{static.path}" in originals or is_sidecar(static.path):
            continue  # published without its metadata, with the photo's variants below
        size, mtime = _stamp(static.source)
        key = f"static:{size}:{mtime}:{static.source}"
        output = Output(static.path, key, static.origin, source=str(static.source))
        add(output, None, ("static", static.path), ())
    for recipe, (output, variant) in photos.items():
        add(output, variant, recipe, ())
    for output in search:
        assert output.shard is not None
        add(output, output.shard, ("shard", output.shard.name), output.shard.slugs)
    planned = len(outputs.paths)
    return SitePlan(
        view,
        outputs.finish(),
        Sparse(planned, makers),
        shards,
        recipes.finish(),
        shows.finish(),
        planned=planned,
    )


def _photo_variants(site: Site) -> dict[Recipe, tuple[Output, PhotoVariant]]:
    """The variants of every photo the site publishes as such (its images with a photo
    key), by recipe, in a stable order: each photo's variants once, however many
    addresses show it, and at each address the photo itself, re-encoded."""
    found: dict[Recipe, tuple[Output, PhotoVariant]] = {}
    for reference, size in sorted(site.images.items()):
        if size is None or not size.photo:
            continue
        key = size.photo
        shape = Shape(size.width, size.height, size.transparent)
        planned: list[tuple[Recipe, str, int, int, str]] = [
            (("photo", key, w, f), output_path(key, w, f), w, h, f) for w, h, f in shape.variants()
        ]
        # The file's own address too: the photo at its size, upright, without metadata.
        planned.append(
            (
                ("photo", reference, size.width, "original"),
                reference.lstrip("/"),
                size.width,
                size.height,
                "original",
            )
        )
        for recipe, path, width, height, format in planned:
            if recipe in found:
                continue
            variant = PhotoVariant(reference, size.file, key, width, height, format)
            output = Output(path, f"photo:{key}:{width}:{format}", f"photo {size.file}")
            found[recipe] = (output, variant)
    for article in site.articles:  # the lead photos' crops, around each article's focus
        size = site.images.get(article.image) if article.image else None
        if size is None or not size.photo or article.image is None:
            continue
        focus = article.image_focus or CENTRE
        for ratio, width, height, format in crop_variants(size.width, size.height):
            recipe = ("photo", size.photo, ratio, focus, width, format)
            if recipe in found:
                continue
            variant = PhotoVariant(
                article.image, size.file, size.photo, width, height, format, ratio, focus
            )
            key = f"crop:{size.photo}:{ratio}:{focus}:{width}:{format}"
            path = crop_path(size.photo, ratio, focus, width, format)
            found[recipe] = (Output(path, key, f"photo {size.file}"), variant)
    return found


def replan(
    previous: SitePlan,
    site: Site,
    theme: Theme,
    preview: bool,
    changed: Iterable[str],
    search: Sequence[Output],
) -> SitePlan:
    """The plan of ``site``, a site of the same shape as the one ``previous`` planned
    (the same articles, dates, sections, tags, authors…; see :mod:`presse.incremental`)
    whose ``changed`` articles were edited: only the outputs that show one are planned
    again; the others keep their key, and no maker."""
    again = previous.index.shown(changed)
    return _planned_again(previous, site, theme, preview, again, search, drop=True)


def complete(
    plan: SitePlan, wanted: Sequence[int], site: Site, theme: Theme, preview: bool
) -> SitePlan:
    """``plan`` with a maker for each ``wanted`` output carried over without one, but the
    pages: :func:`produce` plans those a chunk at a time, as it renders them."""
    missing = [
        n
        for n in wanted
        if plan.makers[n] is None
        and plan.outputs[n].source is None
        and plan.recipes[n][0] not in PAGE_RECIPES
    ]
    if not missing:
        return plan
    search = [o for o in plan.outputs if o.shard is not None]
    if any(plan.recipes[n][0] == "sitemap" for n in missing):
        return plan_site(site, theme, preview, search)  # a sitemap lists every page
    return _planned_again(plan, site, theme, preview, missing, search, drop=False)


def _planned_again(
    previous: SitePlan,
    site: Site,
    theme: Theme,
    preview: bool,
    again: Sequence[int],
    search: Sequence[Output],
    drop: bool,
) -> SitePlan:
    outputs: dict[int, Output] = {}  # the outputs planned again, by number
    # No maker kept from an earlier plan when dropping: it would keep that plan's site alive.
    makers: dict[int, Maker] = {} if drop else dict(previous.makers.present())
    shards = {o.shard.name: o for o in search if o.shard is not None}
    view = previous.view
    view_key = value_fingerprint(view)
    numbers = {previous.recipes[n]: n for n in again}
    page_recipes = [r for r in numbers if r[0] in PAGE_RECIPES]
    names = tuple(shards)
    for page in plan_again(site, page_recipes, preview, names, theme.fingerprint, view):
        number = numbers[page.recipe]
        outputs[number] = _page_output(page, theme, view_key)
        makers[number] = page
    templates = None
    photos = None
    for recipe, number in numbers.items():
        if recipe[0] == "photo":
            photos = photos if photos is not None else _photo_variants(site)
            outputs[number], makers[number] = photos[recipe]
        elif recipe[0] == "shard":
            outputs[number] = shards[recipe[1]]
            makers[number] = shards[recipe[1]].shard
        elif recipe[0] not in PAGE_RECIPES and recipe[0] not in ("static", "photo"):
            if templates is None:
                feeds = {r[1] for r in numbers if r[0] == "feed"}
                templates = _templates(site, view, None, feeds=feeds)
            url, template, _ = templates[recipe]
            key = value_fingerprint(theme.fingerprint, template.name, template.context)
            origin = template.origin or _origin(template.name)
            outputs[number] = Output(url_to_output_path(url), key, origin)
            makers[number] = template
    return SitePlan(
        view,
        previous.outputs.replaced(outputs),
        Sparse(len(previous.makers), makers),
        previous.shards,
        previous.recipes,
        previous.index,
        planned=previous.planned + len(again) if not drop else len(again),
    )


PAGE_RECIPES = frozenset({"article", "front", "term", "period", "index", "search", "404", "page"})


def _page_output(page: Page | LazyPage, theme: Theme, view_key: str) -> Output:
    if isinstance(page, LazyPage):
        key = page.key
    else:
        inputs = (page.meta, page.context)
        key = value_fingerprint(theme.fingerprint, page.template, view_key, inputs)
    return Output(url_to_output_path(page.url), key, page.origin or _origin(page.template))


@functools.cache
def _origin(template: str) -> str:
    """What made an output, for messages: one string per template, shared by its pages
    (the plan is kept between builds)."""
    return f"template {template}"


def _search_fingerprint(theme: Theme, site: Site) -> str:
    """What every shard's index depends on besides its articles: Pagefind, presse, the
    config and the document template; not the page templates (a footer edit re-indexes
    nothing)."""
    loader = theme.env.loader
    assert loader is not None
    source = loader.get_source(theme.env, DOCUMENT_TEMPLATE)[0]
    return value_fingerprint(pagefind_version(), __version__, site.config, source)


def _templates(
    site: Site,
    view: SiteView,
    listed: Sequence[SitemapUrl] | None,
    feeds: Collection[str] | None = None,
) -> dict[Recipe, tuple[str, Template, tuple[str, ...]]]:
    """Feeds, sitemaps and robots.txt, by recipe: each a URL, a template and its context,
    and the articles it shows. Sitemaps list every page (``listed``: their URLs and
    dates, the shape of the site), so they can be left out (None) when planning again
    after an edit, and so can the feeds not in ``feeds`` (URLs), when given."""
    config = site.config
    found: dict[Recipe, tuple[str, Template, tuple[str, ...]]] = {}
    for feed in plan_feeds(site, feeds):
        context = {"site": view, "feed": feed}
        showing = tuple(entry.article.slug for entry in feed.entries)
        found[("feed", feed.url)] = feed.url, Template(f"feeds/{feed.kind}.xml", context), showing
    if listed is not None:
        chunks = sitemap_chunks(listed)
        if len(chunks) == 1:
            found[("sitemap", urls.SITEMAP)] = (
                urls.SITEMAP,
                Template("sitemaps/sitemap.xml", {"urls": chunks[0]}),
                (),
            )
        else:
            parts = []
            for number, chunk in enumerate(chunks, start=1):
                path = f"/sitemap-{number}.xml"
                newest = max((u.lastmod for u in chunk if u.lastmod), default=None)
                parts.append(SitemapUrl(absolute_url(config, path), newest))
                template = Template("sitemaps/sitemap.xml", {"urls": chunk})
                found[("sitemap", path)] = path, template, ()
            index = Template("sitemaps/sitemap-index.xml", {"sitemaps": parts})
            found[("sitemap", urls.SITEMAP)] = urls.SITEMAP, index, ()
    news = news_articles(site)
    context = {"site": view, "articles": news}
    template = Template("sitemaps/news-sitemap.xml", context)
    found[("news",)] = urls.NEWS_SITEMAP, template, tuple(a.slug for a in news)
    sitemaps_urls = (absolute_url(config, urls.SITEMAP), absolute_url(config, urls.NEWS_SITEMAP))
    robots = Template("sitemaps/robots.txt", {"sitemaps": sitemaps_urls})
    found[("robots",)] = urls.ROBOTS, robots, ()
    redirects = redirects_of((*site.articles, *site.pages))
    for redirect in redirects:
        if redirect.page_path is None:
            continue  # a query string: only the redirects file can answer it
        context = {
            "site": view,
            "target": absolute_url(config, redirect.target),
            "title": redirect.title,
        }
        origin = f"the aliases of {redirect.origin}"
        template = Template("redirect.html", context, origin)
        found[("redirect", redirect.source)] = "/" + redirect.page_path, template, ()
    if redirects:
        lines = redirects_lines(redirects, config.base_path)
        template = Template("sitemaps/_redirects", {"lines": lines}, "the articles' aliases")
        found[("redirects",)] = urls.REDIRECTS, template, ()
    return found


def produce(
    plan: SitePlan,
    wanted: Sequence[int],
    theme: Theme,
    workers: int,
    index: Callable[[Sequence[tuple[Shard, str]]], Mapping[str, Path]],
    encode: Callable[[PhotoVariant], bytes],
    site: Site,
    preview: bool = False,
    remote: Remote | None = None,
) -> Iterator[tuple[int, bytes | Path | Staged | Pieces]]:
    """The content of the ``wanted`` outputs, in order: pages planned (from ``site``, a
    chunk at a time) and rendered by ``workers`` processes when there are many (a
    fork-based pool started after planning: workers inherit the plan and the site), or
    article pages on ``remote`` when given (which writes them into the publisher's
    staging tree itself, and gives their stamps); the other templates and the photo
    variants (by ``encode``) here; and the search shards, indexed together by ``index``
    (shard → bundle folder) once every page is out."""
    # Numbers in an array: a list of an archive's page numbers is an int object each.
    kind = plan.recipes.kind
    pages = array("I", (i for i in wanted if kind(i) in PAGE_RECIPES))
    job = _Job(theme, plan, site, preview)
    for number, data in zip(pages, _render_pages(job, pages, workers, remote), strict=True):
        yield number, data
    shards: list[int] = []
    for number in wanted:
        maker = plan.makers[number]
        if isinstance(maker, Template):
            yield number, Pieces(_render(theme, maker))
        elif isinstance(maker, PhotoVariant):
            yield number, encode(maker)
        elif isinstance(maker, Shard):
            shards.append(number)
    if shards:
        bundles = index([(plan.makers[i], plan.outputs[i].key) for i in shards])
        for number in shards:
            maker = plan.makers[number]
            assert isinstance(maker, Shard)
            yield number, bundles[maker.name]


@dataclass(frozen=True, slots=True)
class _Job:
    """What rendering pages reads: forked render workers inherit it."""

    theme: Theme
    plan: SitePlan
    site: Site
    preview: bool

    def pages(self, indexes: Sequence[int]) -> list[Page | LazyPage]:
        """The pages of the outputs ``indexes``: those the plan does not hold (see
        :func:`plan_site`) planned again, together, from their recipes."""
        plan = self.plan
        again = [plan.recipes[i] for i in indexes if plan.makers[i] is None]
        names = tuple(shard.name for shard in plan.shards)
        templates = self.theme.fingerprint
        planned = iter(plan_again(self.site, again, self.preview, names, templates, plan.view))
        pages = []
        for i in indexes:
            maker = plan.makers[i]
            page = next(planned) if maker is None else maker
            assert isinstance(page, Page | LazyPage) and page.recipe == plan.recipes[i]
            pages.append(page)
        return pages

    def render(self, indexes: Sequence[int]) -> list[bytes]:
        return [render_page(self.theme, self.plan.view, page) for page in self.pages(indexes)]


# What forked render workers read: set just before the pool starts, cleared after.
_JOB: _Job | None = None


@dataclass(frozen=True, slots=True)
class Remote:
    """Pages rendered elsewhere (a cluster's workers): ``articles`` sends the slugs of a
    chunk of article pages and their output paths, ``listings`` the recipes of a chunk
    of listing pages and theirs; each gives the future of what was written there (see
    :class:`presse.publish.Staging`), in order."""

    articles: Callable[[Sequence[str], Sequence[str]], Future[list[Staged]]]
    listings: Callable[[Sequence[Recipe], Sequence[str]], Future[list[Staged]]]
    workers: int  # how many render there: chunks in flight are a few times that


def _render_pages(
    job: _Job, todo: Sequence[int], workers: int, remote: Remote | None = None
) -> Iterator[bytes | Staged]:
    global _JOB
    if remote is not None:
        yield from _render_with(remote, job, todo, workers)
        return
    executor = process_pool(workers) if len(todo) >= MIN_ITEMS_FOR_WORKERS else None
    if executor is None:
        for chunk in _chunks(todo, workers):
            yield from job.render(chunk)
        return
    _JOB = job  # before the pool forks its workers, at the first submit
    try:
        for result in ordered_map(_render_chunk, _chunks(todo, workers), executor, workers * 2):
            yield from result
    finally:
        executor.shutdown(cancel_futures=True)
        _JOB = None


def _chunks(todo: Sequence[int], workers: int, most: int = 256) -> list[Sequence[int]]:
    size = max(min(16, most), min(most, -(-len(todo) // (workers * 8))))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


# A chunk of listing pages sent to a cluster carries the articles they show: at most
# about this many (a chunk of article pages carries its articles and the few each shows).
LISTED_PER_CHUNK = 2048


def _render_with(
    remote: Remote, job: _Job, todo: Sequence[int], workers: int
) -> Iterator[bytes | Staged]:
    """Article and listing pages on ``remote``, each chunk with its slice of the site;
    the other pages (the indexes of sections, tags and archives, the site's own pages)
    here, on this machine's pool when there are many; all in order."""
    global _JOB
    plan = job.plan
    recipes = plan.recipes
    runs: list[tuple[str, array[int]]] = []
    for index in todo:
        kind = recipes.kind(index)
        where = kind if kind == "article" else "listing" if kind in LISTINGS else "here"
        if not runs or runs[-1][0] != where:
            runs.append((where, array("I")))
        runs[-1][1].append(index)
    here = sum(len(run) for where, run in runs if where == "here")
    executor = process_pool(workers) if here >= MIN_ITEMS_FOR_WORKERS else None
    listed = max(1, LISTED_PER_CHUNK // job.site.config.per_page)

    def submitted() -> Iterator[Future[Any]]:  # pages here, stamps from the remote
        for where, run in runs:
            most = listed if where == "listing" else 256
            for chunk in _chunks(run, workers + remote.workers, most):
                if where == "article":
                    yield remote.articles([recipes[i][1] for i in chunk], _paths(plan, chunk))
                elif where == "listing":
                    yield remote.listings([recipes[i] for i in chunk], _paths(plan, chunk))
                elif executor is not None:
                    yield executor.submit(_render_chunk, chunk)
                else:
                    yield _done(job.render(chunk))

    _JOB = job  # before the pool forks its workers, at the first submit
    try:
        for result in in_order(submitted(), 2 * (workers + remote.workers)):
            yield from result
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
        _JOB = None


def _paths(plan: SitePlan, chunk: Sequence[int]) -> list[str]:
    return [plan.outputs[i].path for i in chunk]


def _done(result: list[bytes]) -> Future[list[bytes]]:
    future: Future[list[bytes]] = Future()
    future.set_result(result)
    return future


def _render_chunk(indexes: Sequence[int]) -> list[bytes]:
    """In a worker: plan and render the pages of the job inherited from the parent."""
    assert _JOB is not None, "render workers must be forked after the job is set"
    return _JOB.render(indexes)


def render_page(theme: Theme, view: SiteView, page: Maker) -> bytes:
    assert isinstance(page, Page | LazyPage)
    planned = page.make() if isinstance(page, LazyPage) else page
    context = {"site": view, "page": planned.meta, **planned.context}
    try:
        return theme.env.get_template(page.template).render(**context).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None  # a PresseError: it crosses process boundaries


def _render(theme: Theme, template: Template) -> Iterator[bytes]:
    """A feed, sitemap or list rendered piece by piece, written as it comes (see
    :class:`~presse.publish.Pieces`): a sitemap of 50 000 addresses joined as a string
    (Jinja's ``render``) held its 150 000 pieces, the text and its bytes at once, 2 KB
    an address; in one buffer, it was still 17 MB, and as much again for its bytes."""
    try:
        for piece in theme.env.get_template(template.name).generate(**template.context):
            yield piece.encode("utf-8")
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


def search_documents(
    theme: Theme, site: Site, view: SiteView
) -> Callable[[Shard], Iterator[tuple[str, str]]]:
    """What the search index reads of each article of a shard (see :func:`documents_of`)."""
    render = documents_of(theme, view, site.config)
    return lambda shard: render(shard_articles(shard, site))


def documents_of(
    theme: Theme, view: SiteView, config: SiteConfig
) -> Callable[[Iterable[Article]], Iterator[tuple[str, str]]]:
    """A small HTML document per article (``search/document.html``), at the article's own
    output path, so the results link to the article. Needs only the articles themselves:
    a cluster's worker renders a shard's documents from the shard's articles."""
    template = theme.env.get_template(DOCUMENT_TEMPLATE)

    def documents(articles: Iterable[Article]) -> Iterator[tuple[str, str]]:
        for article in articles:
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
