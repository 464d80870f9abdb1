"""``build()``: the whole pipeline, load → parse → enrich → render → write, in one story."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import jinja2

from presse.authors import Author, parse_authors
from presse.cache import ParseCache
from presse.config import CONFIG_FILE, SiteConfig, load_config
from presse.enrich import Visibility, assemble_site, is_local, referenced_images
from presse.errors import BuildErrors, PresseError
from presse.images import ImageSize, image_size
from presse.markdown import create_markdown
from presse.model import Article, OutputFile, SourceFile
from presse.parse import parse_article
from presse.progress import Progress
from presse.render import render_site
from presse.search import index_site
from presse.sources import decode_source, find_sources, read_source
from presse.theme import Theme, load_theme
from presse.writer import write_site

MAX_REPORTED_ERRORS = 20
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
    cache: ParseCache | None = None  # reuse parsed articles across builds
    progress: Progress = field(default_factory=Progress)


@dataclass(frozen=True, slots=True)
class BuildReport:
    output_dir: Path
    articles: int
    pages: int  # HTML pages generated
    files: int  # every file of the output, static files included
    written: int  # files whose bytes changed since the previous build
    locale: str  # the site's, for messages about the build


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
    paths = find_sources(site_dir / config.content_dir)

    progress.stage("lecture", len(paths))
    sources = _collect(partial(read_source, site_dir=site_dir), paths, progress)
    progress.stage("analyse", len(sources))
    parser = _Parser(config, options.cache)
    articles = _collect(parser, sources, progress)
    if options.cache is not None:
        options.cache.retain(parser.used)

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
    site = assemble_site(articles, config, visibility, profiles, images)

    progress.stage("rendu")
    generated = _render(lambda: list(render_site(site, theme, preview=options.preview)))
    outputs = [*generated, *theme.static_files]

    def index(staging: Path) -> None:
        progress.stage("recherche")
        index_site(staging)

    progress.stage("écriture", len(outputs))
    report = write_site(
        _counted(outputs, progress), out_dir, finish=index if config.search else None
    )
    return BuildReport(
        output_dir=out_dir,
        articles=len(site.articles),
        pages=sum(1 for o in generated if o.path.endswith(".html")),
        files=len(outputs),
        written=report.written,
        locale=config.locale,
    )


class _Parser:
    """Parses sources, through the cache when there is one, remembering the keys used."""

    def __init__(self, config: SiteConfig, cache: ParseCache | None):
        self.config = config
        self.cache = cache
        self.md = create_markdown(allow_html=config.allow_html)
        self.used: set[str] = set()

    def __call__(self, source: SourceFile) -> Article:
        if self.cache is None:
            return parse_article(source, self.config, self.md)
        key = self.cache.key(source, self.config)
        self.used.add(key)
        article = self.cache.get(key)
        if article is None:
            article = parse_article(source, self.config, self.md)
            self.cache.put(key, article)
        return article


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
        with static[reference].open("rb") as handle:
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
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)
    return results


def _render(render: Callable[[], list[OutputFile]]) -> list[OutputFile]:
    """Run the render stage, turning template mistakes into located errors."""
    try:
        result = render()
    except jinja2.TemplateSyntaxError as exc:
        raise PresseError(
            f"template error: {exc.message}", exc.filename or exc.name, exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc)
        raise PresseError(f"template error: {exc}", path, line) from None
    return result


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a Jinja traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return frame.filename, frame.lineno
    return None, None


def _output_dir(options: BuildOptions, config: SiteConfig) -> Path:
    site = options.site_dir.resolve()
    out = (options.output_dir or site / config.output_dir).resolve()
    protected = [site / config.content_dir, site / "templates", site / "static", site]
    if any(out == p or out in p.parents for p in protected):
        raise PresseError(f"output folder {out} would overwrite the site's sources")
    return out
