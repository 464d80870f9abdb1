"""Rules that compare articles with each other and with the site's URLs. Pure: no I/O.

Each rule takes the whole :class:`Corpus` and yields findings; :data:`CORPUS_RULES`
lists them. A file the frontmatter rules refused still takes part as far as it
can (its probable slug keeps others' ``related`` from being reported), so one
broken file does not cascade into findings about its neighbours.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from presse.checks import near_duplicates as nd
from presse.checks.document import ArticleFacts, Ref
from presse.checks.findings import Finding, error, warning
from presse.checks.site_urls import site_urls
from presse.config import CONFIG_FILE, SiteConfig
from presse.enrich import alias_key
from presse.model import PAGES_FOLDER


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything the corpus rules look at."""

    config: SiteConfig
    now: datetime
    articles: tuple[ArticleFacts, ...]  # every article file, in path order
    bodies: Mapping[str, str]  # path → Markdown body, to verify near-duplicates
    static_files: frozenset[str]  # URLs of the static files: "/css/presse.css"…
    media_files: frozenset[str] = frozenset()  # photos in content/, from the site folder


CorpusRule = Callable[[Corpus], Iterable[Finding]]


def duplicate_slugs(corpus: Corpus) -> Iterator[Finding]:
    """Two articles with one slug fight for one URL: the build stops, or one story vanishes."""
    first: dict[str, ArticleFacts] = {}
    for article in corpus.articles:
        if article.url is None or article.slug is None:
            continue
        if article.slug in first:
            yield error(
                article.path,
                article.slug_line,
                "duplicate-slug",
                f'duplicate slug "{article.slug}": {first[article.slug].path} and {article.path}'
                " would be published at the same URL",
            )
        else:
            first[article.slug] = article


def related_slugs(corpus: Corpus) -> Iterator[Finding]:
    """« À lire également » silently drops a wrong or unpublished slug: the link is lost."""
    by_slug: dict[str, ArticleFacts] = {}
    for article in corpus.articles:
        if article.slug:
            by_slug.setdefault(article.slug, article)
    for article in corpus.articles:
        for ref in article.related:
            target = by_slug.get(ref.target)
            if target is None:
                close = difflib.get_close_matches(ref.target, by_slug, n=1, cutoff=0.8)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                yield error(
                    article.path,
                    ref.line,
                    "related-missing",
                    f'related article "{ref.target}" does not exist{hint}',
                )
            elif target.hidden:
                yield warning(
                    article.path,
                    ref.line,
                    "related-unpublished",
                    f'related article "{ref.target}" ({target.path}) is not published:'
                    f" {target.hidden}",
                )


def broken_links(corpus: Corpus) -> Iterator[Finding]:
    """A link to nowhere is a 404 for the reader and a lost click for the newsroom."""
    config = corpus.config
    live = site_urls((a for a in corpus.articles if not a.hidden), config) | corpus.static_files
    eventual = site_urls(corpus.articles, config) | corpus.static_files
    by_url = {a.url: a for a in corpus.articles if a.url}
    by_slug = {a.slug: a for a in corpus.articles if a.slug and a.url}
    redirected = {alias_key(r.target): a for a in corpus.articles for r in a.aliases}
    for article in corpus.articles:
        # A published article may only link to what is online now; an unpublished one,
        # to what will be online once everything is published.
        targets = live if article.url and not article.hidden else eventual
        for ref in article.links:
            path = _site_path(ref.target, config.base_path)
            if path is None:
                yield error(
                    article.path,
                    ref.line,
                    "broken-link",
                    f'link "{ref.target}" is outside the site: links must start with'
                    f' "{config.base_path}"',
                )
            elif _found(path, targets) is None:
                yield error(
                    article.path, ref.line, "broken-link", _why_broken(ref, path, by_url, by_slug)
                )
            elif (moved := redirected.get(alias_key(path))) is not None:
                yield warning(
                    article.path,
                    ref.line,
                    "redirected-link",
                    f'link "{ref.target}" is an old address of {moved.path}: link to'
                    f' "{moved.url}" (readers skip a redirect)',
                )
        for ref in article.images:
            path = _site_path(ref.target, config.base_path)
            if path is None or _found(path, targets) is None:
                yield error(article.path, ref.line, "broken-link", _missing_image(ref, path))


def missing_images(corpus: Corpus) -> Iterator[Finding]:
    """The illustration of an article must exist, or the build stops and shares show nothing."""
    for article in corpus.articles:
        image = article.image
        if image is not None and _found(unquote(image.target), corpus.static_files) is None:
            yield error(
                article.path, image.line, "image-missing", _missing_image(image, image.target)
            )


def bundled_photos(corpus: Corpus) -> Iterator[Finding]:
    """A photo beside an article must exist; one that no article shows is a forgotten
    file (or a misspelt reference): it is not published, and says so."""
    shown: set[str] = set()
    for article in corpus.articles:
        for ref in article.bundled:
            shown.add(ref.target)
            if ref.target not in corpus.media_files:
                yield error(
                    article.path, ref.line, "image-missing", f'photo "{ref.target}" does not exist'
                )
    for path in sorted(corpus.media_files - shown):
        yield warning(
            path,
            1,
            "photo-unused",
            "no article shows this photo, so it is not published: refer to it from the"
            " article beside it (![what it shows](name.jpg)), or remove it",
        )


def near_duplicates(corpus: Corpus) -> Iterator[Finding]:
    """The same story published twice splits readers and looks like a mistake to Google."""
    articles = [a for a in corpus.articles if a.date is not None and a.signature]
    pairs = nd.candidate_pairs([a.signature for a in articles])
    shingles: dict[int, set[str]] = {}

    def shingles_of(i: int) -> set[str]:
        if i not in shingles:
            shingles[i] = nd.shingles(corpus.bodies[articles[i].path])
        return shingles[i]

    for i, j in sorted(pairs):
        similarity = nd.jaccard(shingles_of(i), shingles_of(j))
        if similarity < nd.THRESHOLD:
            continue
        older, newer = sorted((articles[i], articles[j]), key=lambda a: (a.date, a.path))
        yield warning(
            newer.path,
            newer.body_line,
            "near-duplicate",
            f"body is nearly identical to the body of {older.path}"
            f" ({similarity:.0%} of their 5-word sequences are shared)",
        )


def legal_notice(corpus: Corpus) -> Iterator[Finding]:
    """A French publication must say who publishes it, who directs it and who hosts it
    (LCEN, art. 6-III): a site without its legal notice page is in breach."""
    config = corpus.config
    slug = config.legal_notice
    notice = next((a for a in corpus.articles if a.page and a.slug == slug and not a.hidden), None)
    if notice is not None:
        if not config.legal.name or not config.legal.director or not config.legal.host:
            yield warning(
                CONFIG_FILE,
                1,
                "legal-notice",
                f"the legal notice ({notice.path}) names no publisher, director of publication"
                " or host: fill in name, director and host in the [legal] table",
            )
        return
    where = f"{config.content_dir}/{PAGES_FOLDER}/{slug}.md"
    yield warning(
        CONFIG_FILE,
        1,
        "legal-notice",
        f"the site has no legal notice page: write {where} (the [legal] table of"
        f" {CONFIG_FILE} fills in the publisher's details), or name yours with legal_notice",
    )


def alias_collisions(corpus: Corpus) -> Iterator[Finding]:
    """An old address redirects to one place, and never where a page of the site is."""
    owners = {a.url: a for a in corpus.articles if a.url}
    taken: dict[str, ArticleFacts] = {}
    for article in corpus.articles:
        for ref in article.aliases:
            key = alias_key(ref.target)
            owner = owners.get(key)
            if owner is not None:
                yield error(
                    article.path,
                    ref.line,
                    "alias",
                    f'alias "{ref.target}" is the address of {owner.path}: a redirect there'
                    " would hide it",
                )
            elif key in taken and taken[key] is not article:
                yield error(
                    article.path,
                    ref.line,
                    "alias",
                    f'alias "{ref.target}" is already an alias of {taken[key].path}',
                )
            taken.setdefault(key, article)


def _site_path(target: str, base_path: str) -> str | None:
    """The site path a root-relative link points at (query and anchor dropped), or None
    when it is outside the site's ``base_url`` path."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path.startswith(base_path):
        return None
    return "/" + path[len(base_path) :]


def _found(path: str, targets: frozenset[str]) -> str | None:
    """The URL of ``targets`` that ``path`` reaches (``/x`` and ``/x/index.html`` reach ``/x/``)."""
    for candidate in (path, path + "/", path.removesuffix("index.html")):
        if candidate in targets:
            return candidate
    return None


def _why_broken(
    ref: Ref, path: str, by_url: Mapping[str, ArticleFacts], by_slug: Mapping[str, ArticleFacts]
) -> str:
    article = by_url.get(path) or by_url.get(path + "/")
    if article is not None:
        return (
            f'link "{ref.target}" leads to {article.path}, which is not published: {article.hidden}'
        )
    slug = next((part for part in reversed(path.split("/")) if part), "")
    guess = by_slug.get(slug)
    hint = f' (did you mean "{guess.url}"?)' if guess else ""
    return f'link "{ref.target}" leads nowhere: no article, listing page or static file there{hint}'


def _missing_image(ref: Ref, path: str | None) -> str:
    """``path`` is the image's place in the site (None: outside the site's base path)."""
    expected = f"static/{path.lstrip('/')}" if path else "a path under the site's base path"
    return f'image "{ref.target}" does not exist (expected {expected})'


CORPUS_RULES: tuple[CorpusRule, ...] = (
    duplicate_slugs,  # [duplicate-slug]
    related_slugs,  # [related-missing], [related-unpublished]
    broken_links,  # [broken-link], [redirected-link]
    missing_images,  # [image-missing]
    bundled_photos,  # [image-missing], [photo-unused]
    near_duplicates,  # [near-duplicate]
    legal_notice,  # [legal-notice]
    alias_collisions,  # [alias]
)
