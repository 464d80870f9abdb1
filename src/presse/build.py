"""``build()``: the whole pipeline, load → parse → enrich → render → write, in one story."""

from __future__ import annotations

import gc
import os
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, overload

import jinja2
import yaml

from presse.authors import Author, parse_authors
from presse.bodies import BODIES_DIR, prune
from presse.cache import (
    Outcome,
    ParseCache,
    PhotoShapes,
    PlanStore,
    SourceMemo,
    crops_key,
    has_photo,
    load_parse_cache,
    load_photo,
    load_photo_shapes,
    load_plans,
    load_source_memo,
    photo_key,
    retain_photos,
    save_outcome,
    save_parse_cache,
    save_photo,
    save_photo_shapes,
    save_plans,
    save_relations,
    save_source_memo,
)
from presse.config import CONFIG_FILE, SiteConfig, load_config
from presse.digest import content_digest
from presse.enrich import Visibility, is_local, local_images, next_change, referenced_images
from presse.errors import BuildErrors, PresseError
from presse.images import ImageSize, image_size
from presse.incremental import Continuation, continue_or_assemble, plan_outputs
from presse.model import Article, Site, SourceFile
from presse.pages import SiteView, site_view
from presse.parallel import (
    Workers,
    chunked_results,
    default_jobs,
    ordered_map,
    process_pool,
)
from presse.photos import (
    CENTRE,
    DEFAULT_FORMATS,
    DEFAULT_WIDTHS,
    PHOTO_EXTENSIONS,
    SIDECAR_SUFFIX,
    Photo,
    PhotoError,
)
from presse.progress import Progress
from presse.publish import Publisher, PublishReport, Staged, Staging
from presse.recipes import Recipe
from presse.render import (
    PhotoVariant,
    Remote,
    SitePlan,
    complete,
    inputs_fingerprint,
    plan_search,
    produce,
    site_fingerprint,
    template_error,
)
from presse.search_store import SearchIndex
from presse.slices import Slicer
from presse.sources import check_site_folder, decode_source, find_sources, read_source
from presse.tasks import (
    Pending,
    ThemeSource,
    digest_chunk,
    parse_chunk,
    render_articles_on_worker,
    render_listings_on_worker,
)
from presse.theme import Theme, load_theme
from presse.typography import typographize

MAX_REPORTED_ERRORS = 20
CACHE_DIR = ".presse-cache"
SEARCH_STORE = "search"  # finished search bundles, by key, in the cache folder
TEMPLATES_CACHE = "templates"  # Jinja's compiled templates, in the cache folder
HEADER_BYTES = 256 * 1024  # enough for any image header, even a JPEG with a large EXIF
A = TypeVar("A")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None  # default: the config's output_dir inside site_dir
    drafts: bool = False
    future: bool = False
    expired: bool = False
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    preview: bool = False  # mark drafts and future articles (dev server)
    cache_dir: Path | None = None  # persistent caches (.presse-cache); None: no disk cache
    cache: ParseCache | None = None  # in-memory parse cache kept across builds (dev server)
    plans: PlanStore | None = None  # the last plan, kept across builds (dev server)
    themes: dict[str, Theme] | None = None  # the last theme, compiled (dev server)
    compiled: Path | None = None  # Jinja's bytecode cache (default: in the cache folder)
    sources: SourceMemo | None = None  # dev server: files unchanged on disk are not re-read
    publication: dict[str, Any] | None = None  # dev server: the output trees' state, in memory
    verify_output: bool = True  # look for files changed by hand in the output (not in serve)
    search_store: Path | None = None  # finished search bundles (default: in the cache)
    defer_search: bool = False  # dev server: publish pages first, index search after
    jobs: int | None = None  # worker processes for parsing; default: all cores
    executor: Executor | None = None  # or any executor to parse on
    progress: Progress = field(default_factory=Progress)


@dataclass(frozen=True, slots=True)
class BuildReport:
    output_dir: Path
    articles: int
    pages: int  # HTML pages generated
    files: int  # every file of the output, static files included
    written: int  # files whose bytes changed since the previous build
    locale: str  # the site's, for messages about the build
    reused: int = 0  # outputs not produced again: their inputs had not changed
    parsed: int = 0  # articles parsed (not found in the cache)
    indexed: int = 0  # search shards indexed (the others were reused)
    planned: int = 0  # outputs planned (after an edit, only those that show what changed)
    finish_search: Callable[[], int] | None = None  # deferred shards: index them (dev server)


def build(options: BuildOptions) -> BuildReport:
    """Build the site; on any error raise a PresseError and leave the output untouched.

    The cyclic garbage collector is off meanwhile: a build holds millions of long-lived
    objects (every article of the archive), which each collection would scan again, for
    a third of a build where little changed; and a build makes little cyclic garbage."""
    check_site_folder(options.site_dir)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(options, options.progress)
    finally:
        if collecting:
            gc.enable()
        options.progress.finish()


def _build(options: BuildOptions, progress: Progress) -> BuildReport:
    config = load_config(options.site_dir)
    if not (options.site_dir / config.content_dir).is_dir():
        # Building without articles would publish an empty site over a real one, e.g. when
        # run from the wrong folder.
        raise PresseError(
            f'no {config.content_dir}/ folder in "{options.site_dir}": a site keeps its'
            f" articles there (is this the site folder? see -s)"
        )
    out_dir = _output_dir(options, config)
    disk = options.cache_dir
    memo = options.sources or (load_source_memo(disk) if disk else SourceMemo())
    with Workers(options.executor, options.jobs or default_jobs()) as workers:
        return _build_with(options, config, out_dir, memo, workers, progress)


def _build_with(
    options: BuildOptions,
    config: SiteConfig,
    out_dir: Path,
    memo: SourceMemo,
    workers: Workers,
    progress: Progress,
) -> BuildReport:
    disk = options.cache_dir
    sources, keys, media, unreadable = _read(options, config, memo, workers, progress)
    visibility = Visibility(
        now=options.now or build_time(),
        drafts=options.drafts,
        future=options.future,
        expired=options.expired,
    )
    theme = load_theme(options.site_dir, config, _compiled(options), options.themes)
    profiles = load_authors(options.site_dir, config)
    flags = (options.preview, visibility.drafts, visibility.future, visibility.expired)
    inputs = inputs_fingerprint(keys, theme, profiles, flags, media)
    if options.sources is None:  # the memo is this build's own: saved now, then let go
        _save_caches(disk, None, memo)
        memo.release()

    with Publisher(out_dir, verify=options.verify_output, state=options.publication) as publisher:
        known = None if unreadable else memo.outcome(inputs, visibility.now)
        if known is not None and publisher.unchanged(known.site):
            # Nothing the site is made from has changed, and the output is as we left it:
            # the parsed articles are not even loaded.
            _save_caches(disk, None, memo)
            return _report(out_dir, known.articles, config, publisher.report_unchanged(), 0)

        progress.stage("parsing", len(sources))
        parse_cache = options.cache or (load_parse_cache(disk) if disk else ParseCache())
        misses_before = parse_cache.misses
        articles = _parse_all(sources, keys, config, parse_cache, options, workers, unreadable)
        progress.advance(len(sources))
        workers.close()  # rendering forks its own workers, from the linked site
        parsed = parse_cache.misses - misses_before
        del sources, keys  # the texts are in the articles now; kept, they double the peak
        if options.cache is None:  # the parse cache is this build's own: saved now, let go
            _save_caches(disk, parse_cache, memo)
            parse_cache.release()

        progress.stage("linking")
        shapes = load_photo_shapes(disk) if disk else PhotoShapes()
        wanted = referenced_images(articles)
        try:
            images = read_images(theme, config, profiles, wanted, shapes, options.site_dir)
        except PresseError as exc:
            raise _shown_where(exc, articles) from None
        plans = options.plans or (load_plans(disk) if disk else PlanStore())
        site, edit = continue_or_assemble(
            plans.memo, articles, config, visibility, profiles, images, parse_cache.relations
        )
        view = site_view(site, options.preview)
        whole = site_fingerprint(site, theme, view)
        until = next_change(articles, config, visibility.now)
        memo.remember(Outcome(inputs, visibility.now, until, whole, len(site.articles)))
        if publisher.unchanged(whole):
            _save_caches(disk, parse_cache, memo)
            unchanged = publisher.report_unchanged()
            return _report(out_dir, len(site.articles), config, unchanged, parsed)

        progress.stage("rendering")
        written, search, plan = _publish(options, publisher, site, theme, view, edit, plans, whole)
        report = _report(out_dir, len(site.articles), config, written, parsed, search, plan.planned)
    # Saving the caches is the end of a build's life: what it no longer needs (the linked
    # site, this build's plan with its pages) is let go first, not held to the end.
    del site, view, edit, search, plan, articles
    _save_caches(disk, parse_cache, memo, plans, shapes)
    return report


def _read(
    options: BuildOptions,
    config: SiteConfig,
    memo: SourceMemo,
    workers: Workers,
    progress: Progress,
) -> tuple[list[Source], list[str], list[str], list[PresseError]]:
    """Every source's digest and parse-cache key, the photos and sidecars beside the
    articles (page bundles), and the errors of the files that cannot be read: they are
    reported with the parse errors of the others, so that one file in Latin-1 does not
    hide the rest."""
    site_dir = options.site_dir
    listing = memo.paths(partial(_content_files, site_dir / config.content_dir))
    paths = [p for p in listing if p.endswith(".md")]
    media = [p for p in listing if not p.endswith(".md")]
    progress.stage("reading", len(paths))
    sources, errors = _look(paths, memo, str(site_dir), workers)
    progress.advance(len(paths))
    memo.retain(paths)
    config_repr = repr(config)
    keys = [memo.key(path, shown, digest, config_repr) for path, shown, digest, _ in sources]
    return sources, keys, media, errors


def _content_files(content_dir: Path) -> list[str]:
    """The articles, then the photos and their sidecars, in ``content/`` (one walk)."""
    media: list[str] = []
    return find_sources(content_dir, media=media) + media


def _publish(
    options: BuildOptions,
    publisher: Publisher,
    site: Site,
    theme: Theme,
    view: SiteView,
    edit: Continuation | None,
    plans: PlanStore,
    whole: str,
) -> tuple[PublishReport, SearchIndex, SitePlan]:
    """Plan the outputs (again only those an edit changed), produce what the output trees
    lack, index the changed search shards, publish; keep the plan for the next build."""
    disk = options.cache_dir
    shards = plan_search(site, theme, *((edit.memo.plan, edit.edited) if edit else ()))
    store = options.search_store or (disk / SEARCH_STORE if disk else None)
    workers = options.jobs or default_jobs()
    cluster = None
    remote = None
    here = workers  # render processes on this machine
    if options.executor is not None:  # a cluster's workers render articles and index search
        theme_source = ThemeSource(
            str(options.site_dir), site.config, _str(_compiled(options)), theme.fingerprint
        )
        cluster = (options.executor, theme_source)
        remote = _remote(
            options.executor,
            site,
            view,
            options.preview,
            theme_source,
            workers,
            publisher.staging(),
        )
        here = default_jobs()  # this machine's own pool renders the listings meanwhile
    search = SearchIndex(
        store, publisher.out_dir, theme, site, view, workers, options.progress, cluster
    )
    try:
        if not options.defer_search:
            search.begin(shards, publisher)  # changed shards indexed while pages render
        plan, memo = plan_outputs(site, theme, view, options.preview, shards, edit)
        outputs = search.defer(plan, publisher) if options.defer_search else plan.outputs
        wanted = publisher.missing(outputs)
        plan = complete(plan, wanted, site, theme, options.preview)
        _process_photos(plan, wanted, disk, options.site_dir, workers, options.executor)
        encode = _photo_encoder(disk, options.site_dir)
        made = produce(
            plan, wanted, theme, here, search.index, encode, site, options.preview, remote
        )
        produced = _translated(made)
        # A site published with shards left to index is not the complete site yet.
        published = whole + ("+search-pending" if search.pending else "")
        written = publisher.publish(outputs, _counted(produced, options.progress), published)
    except PresseError as exc:
        raise _shown_where(exc, site.articles) from None
    finally:
        search.close()
    search.tidy(plan)
    if disk is not None:  # processed photos no page shows any more
        retain_photos(disk, _photos_in_use(site))
    plans.keep(memo)
    return written, search, plan


def _remote(
    executor: Executor,
    site: Site,
    view: SiteView,
    preview: bool,
    theme: ThemeSource,
    workers: int,
    staging: Staging,
) -> Remote:
    """Article and listing pages rendered on a cluster's workers, each chunk sent with
    its slice of the site (see :mod:`presse.slices`), and written by them into the
    staging tree."""
    on_articles = partial(
        render_articles_on_worker, preview=preview, view=view, theme=theme, staging=staging
    )
    on_listings = partial(
        render_listings_on_worker, preview=preview, view=view, theme=theme, staging=staging
    )
    slicer = Slicer.of(site)

    def articles(slugs: Sequence[str], paths: Sequence[str]) -> Future[list[Staged]]:
        part = slicer.articles(slugs)
        return executor.submit(on_articles, (part, tuple(slugs), tuple(paths)))

    def listings(recipes: Sequence[Recipe], paths: Sequence[str]) -> Future[list[Staged]]:
        part = slicer.listings(recipes)
        return executor.submit(on_listings, (part, tuple(recipes), tuple(paths)))

    return Remote(articles, listings, workers)


def _compiled(options: BuildOptions) -> Path | None:
    """Jinja's bytecode cache: the option, else in the build cache, else none."""
    disk = options.cache_dir
    return options.compiled or (disk / TEMPLATES_CACHE if disk else None)


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _report(
    out_dir: Path,
    articles: int,
    config: SiteConfig,
    written: PublishReport,
    parsed: int,
    search: SearchIndex | None = None,
    planned: int = 0,
) -> BuildReport:
    return BuildReport(
        output_dir=out_dir,
        articles=articles,
        pages=written.pages,
        files=written.files,
        written=written.written,
        locale=config.locale,
        reused=written.unchanged,
        parsed=parsed,
        indexed=search.indexed if search else 0,
        planned=planned,
        finish_search=search.finish if search and search.pending else None,
    )


Source = tuple[str, str, str, SourceFile | None]  # path, shown path, digest, text if read


def _look(
    paths: list[str], memo: SourceMemo, site_dir: str, workers: Workers
) -> tuple[list[Source], list[PresseError]]:
    """Each source's digest: from the memo when the file is unchanged on disk, else read
    now, on the workers when many are (a cold build, a fresh checkout: the texts then
    stay on disk, for the parser to read there), else here (their texts kept for it)."""
    known = [memo.digest(path) for path in paths]
    unknown = [path for path, digest in zip(paths, known, strict=True) if digest is None]
    executor = workers.for_items(len(unknown))
    texts: dict[str, SourceFile] = {}
    if executor is None:
        found: Iterator[str | PresseError] = _digests_here(unknown, site_dir, texts)
    else:  # in order, as the chunks come back: no table of every path's digest
        work = partial(digest_chunk, site_dir=site_dir)
        found = chunked_results(work, unknown, executor, workers.jobs)
    sources: list[Source] = []
    errors: list[PresseError] = []
    for path, digest in zip(paths, known, strict=True):
        if digest is None:
            result = next(found)
            if isinstance(result, PresseError):
                errors.append(result)
                continue
            digest = result
            memo.record(path, digest)
        shown = path[len(site_dir) + 1 :] if path.startswith(site_dir + os.sep) else path
        if os.sep != "/":
            shown = shown.replace(os.sep, "/")
        sources.append((path, shown, digest, texts.get(path)))
    return sources, errors


def _digests_here(
    paths: list[str], site_dir: str, texts: dict[str, SourceFile]
) -> Iterator[str | PresseError]:
    """The digest of each file read here (its text kept in ``texts``), or its error."""
    for path in paths:
        try:
            texts[path] = read_source(path, Path(site_dir))
        except PresseError as exc:
            yield exc
            continue
        yield content_digest(texts[path].data)


def _parse_all(
    sources: list[Source],
    keys: list[str],
    config: SiteConfig,
    cache: ParseCache,
    options: BuildOptions,
    workers: Workers,
    unreadable: list[PresseError],
) -> list[Article]:
    """Every article, from the cache when its inputs are unchanged, else parsed on the
    workers (which read the files this process did not); all errors at once, the
    unreadable files' among them.

    ``sources`` is used up: each source is let go once its article is here, and the
    articles are filed away as their chunks come back. Held to the end, the sources (a
    path, a shown path and a digest: 0.4 KB an article) and the table of what was
    missing were the coordinator's peak, at the end of parsing."""
    parsed: list[Article | None] = [None] * len(sources)
    missing = array("q")  # the numbers of the sources to parse
    for index, key in enumerate(keys):
        article = cache.get(key)
        if article is None:
            missing.append(index)
        else:
            parsed[index] = article
            sources[index] = _PARSED
    disk = options.cache_dir
    work = partial(
        parse_chunk,
        config=config,
        site_dir=str(options.site_dir),
        # An absolute path: the articles keep it, and a cluster's workers write there.
        bodies=str((disk / BODIES_DIR).resolve()) if disk is not None else None,
    )
    jobs = _ParseJobs(sources, missing)
    results = chunked_results(work, jobs, workers.for_items(len(jobs)), workers.jobs)
    errors = list(unreadable)
    for index, result in zip(missing, results, strict=True):
        if isinstance(result, PresseError):
            errors.append(result)
            continue
        cache.put(keys[index], result)
        parsed[index] = result
        sources[index] = _PARSED
    _raise_all(errors)
    cache.retain(keys)
    articles = [article for article in parsed if article is not None]
    assert len(articles) == len(parsed)
    return articles


_PARSED: Source = ("", "", "", None)  # in place of a source whose article is parsed


class _ParseJobs(Sequence[SourceFile | Pending]):
    """What a worker is sent for each source to parse, made a chunk at a time: the text
    when this process read it, else the path and the digest it must still have."""

    def __init__(self, sources: list[Source], numbers: array[int]) -> None:
        self.sources = sources
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, at: int) -> SourceFile | Pending: ...
    @overload
    def __getitem__(self, at: slice) -> list[SourceFile | Pending]: ...
    def __getitem__(self, at: int | slice) -> SourceFile | Pending | list[SourceFile | Pending]:
        if isinstance(at, slice):
            return [self._job(number) for number in self.numbers[at]]
        return self._job(self.numbers[at])

    def _job(self, number: int) -> SourceFile | Pending:
        path, _, digest, text = self.sources[number]
        return text or (path, digest)


def _save_caches(
    folder: Path | None,
    parse_cache: ParseCache | None,
    memo: SourceMemo,
    plans: PlanStore | None = None,
    shapes: PhotoShapes | None = None,
) -> None:
    """Persist the caches; a cache that cannot be written only costs speed next time.

    A build from the command line saves its source memo once the sources are read and
    its parse cache once the articles are parsed, and lets them go (see
    :meth:`SourceMemo.release`): here they are then unchanged, and not written again."""
    if folder is None:
        return
    try:
        save_source_memo(folder, memo)
        save_outcome(folder, memo)
        if shapes is not None:
            save_photo_shapes(folder, shapes)
        if plans is not None:
            save_plans(folder, plans)
        if parse_cache is not None and parse_cache.changed:
            save_parse_cache(folder, parse_cache)
            prune(folder / BODIES_DIR, parse_cache.entries.values())
        if parse_cache is not None and parse_cache.relations_changed:
            save_relations(folder, parse_cache)
    except OSError as exc:
        print(f"warning: cache not saved in {folder}: {exc.strerror}", file=sys.stderr)


def _counted(items: Iterable[T], progress: Progress) -> Iterator[T]:
    for item in items:
        yield item
        progress.advance()


def load_authors(site_dir: Path, config: SiteConfig) -> Mapping[str, Author]:
    """Author profiles from the authors file, when the site has one."""
    path = site_dir / config.content_dir / config.authors_file
    if not path.is_file():
        return {}
    shown = path.relative_to(site_dir)
    return parse_authors(decode_source(path.read_bytes(), shown), shown)


def read_images(
    theme: Theme,
    config: SiteConfig,
    profiles: Mapping[str, Author],
    wanted: Mapping[str, str],
    shapes: PhotoShapes | None = None,
    site_dir: Path | None = None,
) -> dict[str, ImageSize | None]:
    """Sizes of the local images the site refers to; a missing article image is absent.

    ``wanted``: each reference with its file when it sits beside an article (a path from
    ``site_dir``), else "" (a file of ``static/``). Only referenced images are read, and
    only their first bytes, but for photos (read whole once, then known by their stat): a
    large media library in ``static/`` costs nothing. A missing logo, share image or
    author photo is an error here; a missing article image is reported by the corpus
    checks, with its line.
    """
    static = {f"/{f.path}": str(f.source) for f in theme.static_files if f.source is not None}
    site_wide = [(config.logo, CONFIG_FILE), (config.default_image, CONFIG_FILE)]
    site_wide += [
        (p.photo, f"{config.content_dir}/{config.authors_file}") for p in profiles.values()
    ]
    for reference, owner in site_wide:
        if reference and is_local(reference) and reference not in static:
            raise PresseError(
                f'image "{reference}" does not exist (expected static{reference})', owner
            )
    files = {r: static[r] for r in (wanted.keys() | {r for r, _ in site_wide}) & static.keys()}
    for reference, file in wanted.items():
        if file and site_dir is not None and (site_dir / file).is_file():
            files[reference] = str(site_dir / file)
    sizes: dict[str, ImageSize | None] = {}
    for reference, file in sorted(files.items()):
        if reference in wanted and Path(file).suffix.lower() in PHOTO_EXTENSIONS:
            path = Path(file)
            # The photo's file as errors name it and its variants are made from: from the
            # site folder (static/…, content/…), or whole for a theme's own.
            shown = str(_from(path, site_dir))
            stat = path.stat()
            known = shapes.get(file, stat) if shapes is not None else None
            if known is None:
                known = _photo_size(shown, path)
                if shapes is not None:
                    shapes.put(file, stat, known)
            credit = typographize(read_sidecar(path, shown), config.locale)
            sizes[reference] = replace(known, credit=credit)
            continue
        with Path(file).open("rb") as handle:
            sizes[reference] = image_size(handle.read(HEADER_BYTES))
    return sizes


def read_sidecar(path: Path, shown: str) -> str:
    """The credit a photo's sidecar gives (« Photo : Jeanne Martin / Agence »), or "".

    The credit comes from here or the article, never from the file's EXIF author fields:
    those name a camera's owner, not necessarily who may be credited."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return ""
    where = f"{shown}{SIDECAR_SUFFIX}"
    try:
        data = yaml.safe_load(decode_source(sidecar.read_bytes(), Path(where)))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "syntax error"
        raise PresseError(
            f'is not valid YAML ({problem}): write the credit in quotes, credit: "Photo : …"',
            where,
            mark.line + 1 if mark is not None else None,
        ) from None
    if not isinstance(data, dict) or set(data) - {"credit"}:
        raise PresseError('a photo\'s sidecar holds one key, "credit" (« Photo : … »)', where)
    credit = data.get("credit")
    if not isinstance(credit, str):
        raise PresseError('"credit" must be text, e.g. « Photo : Jeanne Martin »', where)
    return credit.strip()


def _photo_size(shown: str, path: Path) -> ImageSize:
    """A photo's displayed size and key, from its bytes (the key: their digest and the
    processing parameters)."""
    from presse.imaging import inspect  # Pillow: loaded only when a site has photos

    data = path.read_bytes()
    try:
        shape = inspect(data, path.suffix)
    except PhotoError as exc:
        raise PresseError(f"{exc}", shown) from None
    key = photo_key(content_digest(data), DEFAULT_WIDTHS, (*DEFAULT_FORMATS, "original"))
    media = "image/png" if shape.transparent else "image/jpeg"
    return ImageSize(shape.width, shape.height, media, key, shape.transparent, shown)


def _from(path: Path, site_dir: Path | None) -> Path:
    """``path`` from the site folder when it is inside it."""
    if site_dir is not None and path.is_relative_to(site_dir):
        return path.relative_to(site_dir)
    return path


def _photo_encoder(cache_dir: Path | None, site_dir: Path) -> Callable[[PhotoVariant], bytes]:
    """Encodes a photo's variants, one photo (or one set of crops) at a time: its
    variants are planned one after the other; from the cache when an earlier build made
    them."""
    last: dict[str, Photo] = {}  # the photo being written, by its key

    def fresh(key: str, variant: PhotoVariant) -> Photo:
        photo = _processed(site_dir, variant)
        if cache_dir is not None:
            save_photo(cache_dir, key, photo)
        return photo

    def encode(variant: PhotoVariant) -> bytes:
        key = _photo_group(variant)
        if key not in last:
            cached = load_photo(cache_dir, key) if cache_dir else None
            last.clear()
            last[key] = cached or fresh(key, variant)
        data = _variant_data(last[key], variant)
        if data is None:  # a cached photo that lacks it (made by another plan): made again
            last[key] = fresh(key, variant)
            data = _variant_data(last[key], variant)
        if data is None:  # the plan and the imaging disagree: a bug in presse, not the photo
            raise AssertionError(f"{variant.source}: no {variant} after processing")
        return data

    return encode


def _variant_data(photo: Photo, variant: PhotoVariant) -> bytes | None:
    wanted = (variant.width, variant.format, variant.ratio)
    return next((v.data for v in photo.variants if (v.width, v.format, v.ratio) == wanted), None)


def _shown_where(error: PresseError, articles: Iterable[Article]) -> PresseError:
    """A photo's error (its file is the place to fix) with where the first article that
    shows it does so: the editor then knows which story is held up."""
    if error.path is None:
        return error
    culprit = error.path.as_posix()
    for article in articles:
        for reference, file, line in local_images(article):
            if (file or f"static{reference}") == culprit:
                where = f"{article.source}:{line or article.line_of('image')}"
                return PresseError(f"{error.message} (shown by {where})", error.path, error.line)
    return error


def _photos_in_use(site: Site) -> set[str]:
    """The cache keys of every photo the site shows, and of its lead photos' crops."""
    keys = {size.photo for size in site.images.values() if size is not None and size.photo}
    for article in site.articles:
        size = site.images.get(article.image) if article.image else None
        if size is not None and size.photo:
            keys.add(crops_key(size.photo, article.image_focus or CENTRE))
    return keys


def _photo_group(variant: PhotoVariant) -> str:
    """The cache key of what one processing of ``variant``'s photo makes: all its
    variants, or all its crops around one focus."""
    return variant.key if variant.ratio is None else crops_key(variant.key, variant.focus)


def _process_photos(
    plan: SitePlan,
    wanted: Iterable[int],
    cache_dir: Path | None,
    site_dir: Path,
    workers: int,
    executor: Executor | None = None,
) -> None:
    """Process on the worker pool (or ``executor``: a cluster's workers, which write into
    the cache on the filesystem they share) every photo the output lacks and the cache
    does not hold, into the cache, before the pages are written (the writer then reads
    them back in the plan's order). Without a cache, or with one job, the writer
    processes them as it goes."""
    if cache_dir is None or (workers <= 1 and executor is None):
        return
    todo: dict[str, PhotoVariant] = {}
    for number in wanted:
        maker = plan.makers[number]
        if isinstance(maker, PhotoVariant):
            todo.setdefault(_photo_group(maker), maker)
    missing = [(k, v) for k, v in todo.items() if not has_photo(cache_dir, k)]
    if len(missing) < 2:
        return
    work = partial(_process_into_cache, cache_dir, site_dir)
    if executor is not None:
        for _ in ordered_map(work, missing, executor, 2 * workers):
            pass
        return
    pool = process_pool(min(workers, len(missing)))
    assert pool is not None
    with pool:
        for _ in ordered_map(work, missing, pool, 2 * workers):
            pass


def _process_into_cache(cache_dir: Path, site_dir: Path, job: tuple[str, PhotoVariant]) -> None:
    """In a worker: process one photo (or its crops) and keep it in the cache."""
    key, variant = job
    save_photo(cache_dir, key, _processed(site_dir, variant))


def _processed(site_dir: Path, variant: PhotoVariant) -> Photo:
    """All the variants of ``variant``'s photo, or all its crops around its focus."""
    from presse.imaging import crops, process  # Pillow: loaded only when a site has photos

    source = site_dir / variant.source
    try:
        data = source.read_bytes()
        if variant.ratio is not None:
            return crops(data, source.suffix, variant.focus)
        return process(data, source.suffix, original=True)
    except PhotoError as exc:
        raise PresseError(f"{exc}", variant.source) from None


def build_time() -> datetime:
    """The build's "now": ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError):
            raise PresseError(f'SOURCE_DATE_EPOCH "{epoch}" is not a Unix timestamp') from None
    return datetime.now(UTC)


def _collect(
    step: Callable[[A], T], items: Iterable[A], progress: Progress
) -> tuple[list[T], list[PresseError]]:
    """Apply ``step`` to every item; the results, and the errors of the items that failed,
    so that all broken files are reported at once."""
    results: list[T] = []
    errors: list[PresseError] = []
    for item in items:
        try:
            results.append(step(item))
            progress.advance()
        except PresseError as exc:
            errors.append(exc)
    return results, errors


def _raise_all(errors: list[PresseError]) -> None:
    """Raise the errors, in the order of their files: the first :data:`MAX_REPORTED_ERRORS`
    and how many more there are."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        errors = sorted(errors, key=lambda e: (str(e.path or ""), e.line or 0))
        shown = errors[:MAX_REPORTED_ERRORS]
        raise BuildErrors(shown, more=len(errors) - len(shown))


def _translated(outputs: Iterator[T]) -> Iterator[T]:
    """Pass rendered outputs through, turning template mistakes into located errors."""
    try:
        yield from outputs
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


def _output_dir(options: BuildOptions, config: SiteConfig) -> Path:
    site = options.site_dir.resolve()
    out = (options.output_dir or site / config.output_dir).resolve()
    protected = [site / config.content_dir, site / "templates", site / "static", site]
    if any(out == p or out in p.parents for p in protected):
        raise PresseError(f"output folder {out} would overwrite the site's sources")
    if out.exists() and not out.is_dir():
        raise PresseError(f'output folder "{out}" is a file, not a folder')
    if not out.parent.is_dir():
        # Only the output folder itself is made: a typo in -o must not plant folders.
        raise PresseError(f'output folder "{out}": its parent folder does not exist')
    return out
