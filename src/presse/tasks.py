"""What a build's workers run: a fork pool's processes here, or Dask workers elsewhere.

Module-level functions over chunks, so that they pickle by reference and each call
carries many items. Workers are handed paths, not texts: the build process never holds
the archive's sources (a million articles are 8 GB of Markdown), it only learns each
file's digest and gets back each article without its body (put away in the cache).
A cluster's workers also render article and listing pages, each chunk sent with its
slice of the site, and index the search shards, each sent with its articles; they load
the theme from the site folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from presse.bodies import put_away
from presse.config import SiteConfig
from presse.digest import content_digest
from presse.errors import PresseError
from presse.indexer import ShardJob, index_shard
from presse.model import Article, Site, SourceFile
from presse.pages import LazyPage, Page, SiteView, plan_again, plan_articles
from presse.parse import parse_many
from presse.publish import Staged, Staging
from presse.recipes import Recipe
from presse.render import documents_of, render_page
from presse.sources import read_source
from presse.theme import Theme, load_theme

Pending = tuple[str, str]
"""A source still on disk: its path, and the digest of its bytes when the build looked."""


def digest_chunk(paths: Sequence[str], site_dir: str) -> list[str | PresseError]:
    """Each file's digest, of its text as the parser will see it (decoded, normalised);
    a file that cannot be read gives its error instead."""
    results: list[str | PresseError] = []
    for path in paths:
        try:
            results.append(content_digest(read_source(path, Path(site_dir)).data))
        except PresseError as exc:
            results.append(exc)
    return results


def parse_chunk(
    items: Sequence[SourceFile | Pending], config: SiteConfig, site_dir: str, bodies: str | None
) -> list[Article | PresseError]:
    """Parse each source, read here when only its path came; with a ``bodies`` folder,
    put each body away there, so that the results travel back without their text."""
    sources: list[SourceFile] = []
    failed: dict[int, PresseError] = {}
    for number, item in enumerate(items):
        try:
            sources.append(item if isinstance(item, SourceFile) else _read(item, site_dir))
        except PresseError as exc:
            failed[number] = exc
    parsed = iter(parse_many(sources, config))
    results: list[Article | PresseError] = []
    for number in range(len(items)):
        result = failed.get(number) or next(parsed)
        if bodies is not None and isinstance(result, Article):
            result = put_away(result, bodies)
        results.append(result)
    return results


def _read(item: Pending, site_dir: str) -> SourceFile:
    """A source as it was when its digest was taken: a file changed since would be parsed
    under the key of its former bytes, so it is refused instead."""
    path, digest = item
    source = read_source(path, Path(site_dir))
    if content_digest(source.data) != digest:
        raise PresseError("changed while the site was being built: build again", source.path)
    return source


@dataclass(frozen=True, slots=True)
class ThemeSource:
    """Where a worker loads the build's theme: the site folder (on the filesystem every
    worker sees) with the build's config; the fingerprint says it is the build's own."""

    site_dir: str
    config: SiteConfig
    compiled: str | None  # Jinja's bytecode cache, shared
    fingerprint: str


@lru_cache(maxsize=2)
def worker_theme(source: ThemeSource) -> Theme:
    """The theme, compiled once per worker process and build (a Dask worker outlives
    builds: a new fingerprint loads it again)."""
    compiled = Path(source.compiled) if source.compiled else None
    theme = load_theme(Path(source.site_dir), source.config, compiled)
    if theme.fingerprint != source.fingerprint:
        raise PresseError("the templates changed while the site was being built: build again")
    return theme


def index_shard_on_worker(
    job: tuple[ShardJob, Sequence[Article]], view: SiteView, theme: ThemeSource
) -> None:
    """Render a search shard's documents from its articles (their bodies read from the
    shared cache) and run Pagefind into the bundle folder, on the shared filesystem."""
    shard, articles = job
    documents = documents_of(worker_theme(theme), view, theme.config)
    index_shard(shard, lambda _: documents(articles), theme.config.language)


def render_articles_on_worker(
    part: tuple[Site, Sequence[str], Sequence[str]],
    preview: bool,
    view: SiteView,
    theme: ThemeSource,
    staging: Staging,
) -> list[Staged]:
    """Plan and render a chunk of article pages from their slice of the site
    (:mod:`presse.slices`), bodies read from the shared cache, and write each at its
    output path into the staging tree: the coordinator gets their stamps, in order, not
    their bytes. Run twice (a worker lost after writing), it writes the same bytes."""
    site, slugs, paths = part
    pages = plan_articles(site, slugs, preview, view)
    return _write(pages, paths, view, theme, staging)


def render_listings_on_worker(
    part: tuple[Site, Sequence[Recipe], Sequence[str]],
    preview: bool,
    view: SiteView,
    theme: ThemeSource,
    staging: Staging,
) -> list[Staged]:
    """The same for a chunk of listing pages (by recipe: ``("term", "tag", slug, 3)``),
    from the slice of their listings they show."""
    site, recipes, paths = part
    pages = plan_again(site, recipes, preview, view=view)
    return _write(pages, paths, view, theme, staging)


def _write(
    pages: Sequence[Page | LazyPage],
    paths: Sequence[str],
    view: SiteView,
    theme: ThemeSource,
    staging: Staging,
) -> list[Staged]:
    loaded = worker_theme(theme)
    return [
        staging.put(path, render_page(loaded, view, page))
        for path, page in zip(paths, pages, strict=True)
    ]
