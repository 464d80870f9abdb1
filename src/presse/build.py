"""``build()``: the whole pipeline, load → parse → enrich → render → write, in one story."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import jinja2

from presse.authors import Author, parse_authors
from presse.cache import (
    OUTPUTS_FILE,
    OutputDigests,
    ParseCache,
    load_output_digests,
    load_parse_cache,
    save,
    save_parse_cache,
)
from presse.config import CONFIG_FILE, SiteConfig, load_config
from presse.enrich import Visibility, assemble_site, is_local, referenced_images
from presse.errors import BuildErrors, PresseError
from presse.images import ImageSize, image_size
from presse.model import Article, OutputFile, SourceFile
from presse.parallel import MIN_ITEMS_FOR_WORKERS, chunked_map, default_jobs, process_pool
from presse.parse import parse_many
from presse.progress import Progress
from presse.render import (
    Reuse,
    outputs_intact,
    render_site,
    site_fingerprint,
    template_error,
)
from presse.search import Search
from presse.sources import decode_source, find_sources, read_source
from presse.theme import Theme, load_theme
from presse.writer import sweep_stale_work, write_site

MAX_REPORTED_ERRORS = 20
CACHE_DIR = ".presse-cache"
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
    outputs: OutputDigests | None = None  # in-memory output digests kept across builds
    sources: SourceMemo | None = None  # dev server: files unchanged on disk are not re-read
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
    reused: int = 0  # pages not rendered again: their inputs had not changed
    parsed: int = 0  # articles parsed (not found in the cache)


def build(options: BuildOptions) -> BuildReport:
    """Build the site; on any error raise a PresseError and leave the output untouched."""
    try:
        return _build(options, options.progress)
    finally:
        options.progress.finish()


def _build(options: BuildOptions, progress: Progress) -> BuildReport:
    site_dir = options.site_dir
    config = load_config(site_dir)
    out_dir = _output_dir(options, config)
    sweep_stale_work(out_dir)  # what builds killed midway left next to the output
    disk = options.cache_dir
    parse_cache = options.cache or (load_parse_cache(disk) if disk else ParseCache())
    previous = options.outputs or (load_output_digests(disk) if disk else OutputDigests())
    find = partial(find_sources, site_dir / config.content_dir)
    paths = options.sources.paths(find) if options.sources is not None else find()

    progress.stage("lecture", len(paths))
    reader = partial(read_source, site_dir=site_dir)
    if options.sources is not None:
        reader = partial(options.sources.read, reader)
    sources = _collect(reader, paths, progress)
    if options.sources is not None:
        options.sources.retain(paths)
    progress.stage("analyse", len(sources))
    misses_before = parse_cache.misses
    articles = _parse_all(sources, config, parse_cache, options, progress)
    del sources  # the texts are in the articles now; keeping them doubles the peak memory

    progress.stage("liens")
    visibility = Visibility(
        now=options.now or build_time(),
        drafts=options.drafts,
        future=options.future,
        expired=options.expired,
    )
    theme = load_theme(site_dir, config)
    profiles = load_authors(site_dir, config)
    images = read_images(theme, config, profiles, referenced_images(articles))
    relations_before = set(parse_cache.relations)
    site = assemble_site(articles, config, visibility, profiles, images, memo=parse_cache.relations)

    whole = site_fingerprint(site, theme, options.preview)
    if whole == previous.site and outputs_intact(out_dir, previous):
        # Nothing the site is made from has changed, and the output is as we left it.
        pages = sum(1 for path in previous.files if path.endswith(".html"))
        return BuildReport(
            output_dir=out_dir,
            articles=len(site.articles),
            pages=pages,
            files=len(previous.files),
            written=0,
            locale=config.locale,
            reused=len(previous.files),
            parsed=parse_cache.misses - misses_before,
        )

    progress.stage("rendu et écriture")
    reuse = Reuse(previous=previous.files, out_dir=out_dir)
    generated = _translated(
        render_site(site, theme, options.preview, reuse, workers=options.jobs or default_jobs())
    )
    outputs = itertools.chain(generated, theme.static_files)
    search = Search(
        enabled=config.search,
        previous=previous.search,
        page_digests=reuse.digests,
        out_dir=out_dir,
        announce=partial(progress.stage, "recherche"),
    )
    # The digests on disk describe the site being replaced: forget them before the swap,
    # or a build killed between the swap and the saving of the new ones would leave a
    # cache that trusts files (the search index above all) that are no longer there.
    forget = partial(_forget_outputs, disk) if disk else None
    report = write_site(_counted(outputs, progress), out_dir, finish=search, before_swap=forget)
    for static in theme.static_files:  # recorded too, so an intact output can be recognised
        reuse.digests[static.path] = "static"
    digests = OutputDigests(files=reuse.stamped(out_dir), search=search.digest, site=whole)
    if options.outputs is not None:
        options.outputs.files, options.outputs.search = digests.files, digests.search
        options.outputs.site = digests.site
    if disk:
        _save_caches(disk, parse_cache, digests, relations_before)
    return BuildReport(
        output_dir=out_dir,
        articles=len(site.articles),
        pages=report.pages,
        files=report.written + report.unchanged,
        written=report.written,
        locale=config.locale,
        reused=reuse.reused,
        parsed=parse_cache.misses - misses_before,
    )


def _parse_all(
    sources: list[SourceFile],
    config: SiteConfig,
    cache: ParseCache,
    options: BuildOptions,
    progress: Progress,
) -> list[Article]:
    """Every article, from the cache when its inputs are unchanged, else parsed in parallel."""
    found: dict[int, Article] = {}
    missing: list[tuple[int, str, SourceFile]] = []
    memo, config_repr = options.sources, repr(config)
    for index, source in enumerate(sources):
        if memo is None:
            key = cache.key(source, config)
        else:
            key = memo.key(source, config_repr, partial(cache.key, source, config))
        article = cache.get(key)
        if article is None:
            missing.append((index, key, source))
        else:
            found[index] = article
    progress.advance(len(found))
    jobs = options.jobs or default_jobs()
    executor = options.executor
    owned = executor is None and len(missing) >= MIN_ITEMS_FOR_WORKERS and jobs > 1
    if owned:
        executor = process_pool(jobs)
    try:
        results = chunked_map(
            partial(parse_many, config=config), [s for _, _, s in missing], executor, jobs
        )
    finally:
        if owned and executor is not None:
            executor.shutdown()
    errors = [r for r in results if isinstance(r, PresseError)]
    _raise_all(errors)
    for (index, key, _), result in zip(missing, results, strict=True):
        assert isinstance(result, Article)
        cache.put(key, result)
        found[index] = result
    progress.advance(len(missing))
    cache.retain({a.fingerprint for a in found.values()})
    return [found[i] for i in range(len(sources))]


def _save_caches(
    folder: Path, parse_cache: ParseCache, digests: OutputDigests, relations_before: set[str]
) -> None:
    """Persist the caches; a cache that cannot be written only costs speed next time."""
    try:
        if parse_cache.changed or relations_before != parse_cache.relations.keys():
            save_parse_cache(folder, parse_cache)
        save(folder, OUTPUTS_FILE, digests)
    except OSError as exc:
        print(f"warning: cache not saved in {folder}: {exc.strerror}", file=sys.stderr)


def _forget_outputs(folder: Path) -> None:
    """Drop the saved output digests (the parse cache stays: it depends on inputs only)."""
    try:
        (folder / OUTPUTS_FILE).unlink(missing_ok=True)
    except OSError as exc:
        raise PresseError(
            f"cannot update the build cache ({exc.strerror}): delete it or use --no-cache",
            folder / OUTPUTS_FILE,
        ) from None


def _counted(items: Iterable[T], progress: Progress) -> Iterator[T]:
    for item in items:
        yield item
        progress.advance()


@dataclass
class SourceMemo:
    """Source files by path, kept by the dev server between rebuilds.

    A file whose size and modification time are unchanged is not read again: that is
    how editors save, and a stat costs a fraction of a read. Builds from the command
    line do not use it: they trust content, not timestamps.

    The dev server's watcher can say more: which files were modified, and that none was
    created, moved or deleted (:meth:`expect`). For the next build the list of sources
    is then the last one, and only the named files are looked at again: on a 10 000-
    article site that saves walking the folders and 10 000 stats. Any other change, or
    none reported, falls back to looking at everything.
    """

    files: dict[Path, tuple[int, int, SourceFile]] = field(default_factory=dict)
    listing: list[Path] | None = None  # the last build's sources, while still valid
    modified: set[Path] | None = None  # for the next build only: None means "look at all"
    keys: dict[Path, tuple[SourceFile, str, str]] = field(default_factory=dict)

    def expect(self, modified: Iterable[Path]) -> bool:
        """The watcher saw only these files modified; False (and no effect) if one of
        them is not a known source, since then the listing itself may have changed."""
        changed = set(modified)
        if self.listing is None or not changed <= self.files.keys():
            self.look_at_all()
            return False
        self.modified = changed
        return True

    def look_at_all(self) -> None:
        """The next build walks the folders and stats every file again."""
        self.listing = self.modified = None

    def paths(self, find: Callable[[], list[Path]]) -> list[Path]:
        """The sources of this build: the last listing when the watcher vouches for it."""
        if self.listing is None or self.modified is None:
            self.listing = find()
        return self.listing

    def read(self, reader: Callable[[Path], SourceFile], path: Path) -> SourceFile:
        known = self.files.get(path)
        if known is not None and self.modified is not None and path not in self.modified:
            return known[2]  # the watcher saw no change to it
        stat = path.stat()
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        source = reader(path)
        self.files[path] = (stat.st_size, stat.st_mtime_ns, source)
        return source

    def key(self, source: SourceFile, config: str, compute: Callable[[], str]) -> str:
        """The parse-cache key of ``source`` under ``config`` (its repr), computed once
        per file version instead of hashing every source on every rebuild."""
        known = self.keys.get(source.path)
        if known is not None and known[0] is source and known[1] == config:
            return known[2]
        key = compute()
        self.keys[source.path] = (source, config, key)
        return key

    def retain(self, paths: Iterable[Path]) -> None:
        """Forget files that are gone; the watcher's report is used up."""
        self.modified = None
        keep = set(paths)
        for path in list(self.files):
            if path not in keep:
                del self.files[path]
        if len(self.keys) > len(self.files):
            live = {known[2].path for known in self.files.values()}
            self.keys = {k: v for k, v in self.keys.items() if k in live}


def load_authors(site_dir: Path, config: SiteConfig) -> Mapping[str, Author]:
    """Author profiles from the authors file, when the site has one."""
    path = site_dir / config.content_dir / config.authors_file
    if not path.is_file():
        return {}
    shown = path.relative_to(site_dir)
    return parse_authors(decode_source(path.read_bytes(), shown), shown)


def read_images(
    theme: Theme, config: SiteConfig, profiles: Mapping[str, Author], wanted: set[str]
) -> dict[str, ImageSize | None]:
    """Sizes of the local images the site refers to; a missing article image is absent.

    Only referenced images are read, and only their first bytes: a large media library
    in ``static/`` costs nothing. A missing logo, share image or author photo is an
    error here; a missing article image is reported by the corpus checks, with its line.
    """
    static = {f"/{f.path}": f.source for f in theme.static_files if f.source is not None}
    site_wide = [(config.logo, CONFIG_FILE), (config.default_image, CONFIG_FILE)]
    site_wide += [
        (p.photo, f"{config.content_dir}/{config.authors_file}") for p in profiles.values()
    ]
    for reference, owner in site_wide:
        if reference and is_local(reference) and reference not in static:
            raise PresseError(
                f'image "{reference}" does not exist (expected static{reference})', owner
            )
    sizes: dict[str, ImageSize | None] = {}
    for reference in sorted((wanted | {r for r, _ in site_wide}) & static.keys()):
        with Path(static[reference]).open("rb") as handle:
            sizes[reference] = image_size(handle.read(HEADER_BYTES))
    return sizes


def build_time() -> datetime:
    """The build's "now": ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError):
            raise PresseError(f'SOURCE_DATE_EPOCH "{epoch}" is not a Unix timestamp') from None
    return datetime.now(UTC)


def _collect(step: Callable[[A], T], items: Iterable[A], progress: Progress) -> list[T]:
    """Apply ``step`` to every item, so all broken files are reported at once."""
    results: list[T] = []
    errors: list[PresseError] = []
    for item in items:
        try:
            results.append(step(item))
            progress.advance()
        except PresseError as exc:
            errors.append(exc)
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
    _raise_all(errors)
    return results


def _raise_all(errors: list[PresseError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors[:MAX_REPORTED_ERRORS])


def _translated(outputs: Iterator[OutputFile]) -> Iterator[OutputFile]:
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
    return out
