"""Corpus stage: from every parsed article to the publishable :class:`Site`. Pure: no I/O.

Checks that need the whole corpus (duplicate slugs, dangling ``related``
slugs) live here, and so does the one gate that decides what is published.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from urllib.parse import unquote

from presse.authors import Author
from presse.config import SiteConfig
from presse.errors import BuildErrors, PresseError
from presse.images import ImageSize
from presse.model import Article, Site
from presse.related import related_articles, relations_fingerprint
from presse.sitemaps import NEWS_WINDOW
from presse.slug_links import BySlug
from presse.taxonomy import archives, section_neighbours, terms


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a build publishes besides the articles that are live at ``now``."""

    now: datetime
    drafts: bool = False
    future: bool = False
    expired: bool = False


def is_published(article: Article, visibility: Visibility) -> bool:
    """The single publication gate: every artefact of the site asks this function."""
    if article.draft and not visibility.drafts:
        return False
    if article.date > visibility.now and not visibility.future:
        return False
    expired = article.expires is not None and article.expires <= visibility.now
    return not expired or visibility.expired


def assemble_site(
    articles: Sequence[Article],
    config: SiteConfig,
    visibility: Visibility,
    profiles: Mapping[str, Author] | None = None,
    images: Mapping[str, ImageSize | None] | None = None,
    memo: MutableMapping[str, Mapping[str, tuple[str, ...]]] | None = None,
) -> Site:
    """Check the corpus, keep what is published, sort it newest first and link it.

    ``images`` maps each local image path the site refers to (``/images/a.png``) to
    its size; a path missing from it is a missing file. ``memo`` keeps « À lire
    également » results by the fingerprint of their inputs across builds: most edits
    change no tag, date or section, and the scoring is the costliest corpus step.
    """
    check_corpus(articles)
    live = [a for a in articles if is_published(a, visibility)]
    published = sorted((a for a in live if not a.page), key=lambda a: (-a.date.timestamp(), a.slug))
    images = MappingProxyType(dict(images or {}))
    check_images(live, images)
    ordered = tuple(published)
    order = tuple(a.slug for a in ordered)  # what every listing picks its slugs from
    sections = terms(ordered, "section", order)
    return Site(
        config=config,
        build_time=visibility.now,
        articles=ordered,
        pages=site_pages(live),
        by_slug=BySlug(ordered),
        related=_related(published, config.related_count, memo),
        sections=sections,
        tags=terms(ordered, "tag", order),
        authors=terms(ordered, "author", order),
        archives=archives(ordered, config, order),
        # Packed (read-only): the skeleton keeps it as it is, not a copy.
        neighbours=section_neighbours(sections),
        profiles=MappingProxyType(dict(profiles or {})),
        images=images,
    )


def site_pages(live: Iterable[Article]) -> tuple[Article, ...]:
    """The published pages of the site (legal notice, about…), in a stable order."""
    return tuple(sorted((a for a in live if a.page), key=lambda a: a.slug))


def _related(
    published: Sequence[Article],
    count: int,
    memo: MutableMapping[str, Mapping[str, tuple[str, ...]]] | None,
) -> Mapping[str, tuple[str, ...]]:
    if memo is None:
        return related_articles(published, count)
    key = relations_fingerprint(published, count)
    if key not in memo:
        memo.clear()  # only the latest corpus is worth keeping
        memo[key] = related_articles(published, count)
    return memo[key]


def next_change(articles: Iterable[Article], config: SiteConfig, now: datetime) -> datetime:
    """The first time after ``now`` at which the site would change with no input changed:
    an embargo lifts, an article expires or leaves the news sitemap, or the year turns
    (the footer). Until then a build of the same inputs gives the same site."""
    local = now.astimezone(config.tzinfo)
    changes = [datetime(local.year + 1, 1, 1, tzinfo=config.tzinfo)]
    for article in articles:
        for moment in (article.date, article.date + NEWS_WINDOW, article.expires):
            if moment is not None and moment > now:
                changes.append(moment)
    return min(changes)


def referenced_images(articles: Iterable[Article]) -> dict[str, str]:
    """Local images the articles refer to (``/images/x.png``, or a photo beside an
    article, published under its address), each with its file when it sits beside the
    article (else "": a file of ``static/``)."""
    return {reference: file for a in articles for reference, file, _ in local_images(a)}


def local_images(article: Article) -> Iterator[tuple[str, str, int | None]]:
    """The images of the site's own an article shows: (reference, its file when it sits
    beside the article else "", its line in the body; None for the lead image, whose
    line is its front matter key's: looked up only when an error needs it)."""
    if article.image and is_local(article.image):
        yield article.image, article.image_file, None
    for photo in article.body.photos:
        yield photo.reference, photo.file, photo.line


def is_local(reference: str) -> bool:
    """A path served by this site (``/images/x.png``), as opposed to a full URL."""
    return reference.startswith("/") and not reference.startswith("//")


def check_images(articles: Iterable[Article], images: Mapping[str, ImageSize | None]) -> None:
    """Every local image a published article shows exists (with the line that asks)."""
    errors = [
        PresseError(
            f'photo "{file}" does not exist'
            if file
            else f'image "{reference}" does not exist (expected static{reference})',
            article.source,
            line or article.line_of("image"),
        )
        for article in articles
        for reference, file, line in local_images(article)
        if reference not in images
    ]
    _raise(errors)


def check_corpus(articles: Iterable[Article]) -> None:
    errors: list[PresseError] = []
    first: dict[str, Article] = {}
    urls: dict[str, Article] = {}
    for article in articles:
        if article.slug in first:
            errors.append(
                PresseError(
                    f'duplicate slug "{article.slug}" '
                    f"(already used by {first[article.slug].source})",
                    article.source,
                    article.line_of("slug" if article.has_line("slug") else "title"),
                )
            )
            continue
        first[article.slug] = article
        if article.url in urls:
            errors.append(
                PresseError(
                    f'URL "{article.url}" is already used by {urls[article.url].source}',
                    article.source,
                    article.line_of("title"),
                )
            )
        urls[article.url] = article
    for article in first.values():
        for i, slug in enumerate(article.related):
            if slug not in first or first[slug].page:
                what = "does not exist"
                if slug in first:
                    what = "is a page of the site, not an article"
                errors.append(
                    PresseError(
                        f'related article "{slug}" {what}',
                        article.source,
                        article.line_of(f"related[{i}]"),
                    )
                )
    errors += _alias_errors(first.values(), urls)
    _raise(errors)


def _alias_errors(articles: Iterable[Article], urls: Mapping[str, Article]) -> list[PresseError]:
    """An old address may redirect to one place only, and never hide a page of the site."""
    errors: list[PresseError] = []
    taken: dict[str, Article] = {}
    for article in articles:
        for i, alias in enumerate(article.aliases):
            key = alias_key(alias)
            owner = urls.get(key) or urls.get(key.rstrip("/") + "/")
            if owner is not None:
                errors.append(
                    PresseError(
                        f'alias "{alias}" is the address of {owner.source}: a redirect'
                        " there would hide it",
                        article.source,
                        article.line_of(f"aliases[{i}]"),
                    )
                )
            elif key in taken and taken[key] is not article:
                errors.append(
                    PresseError(
                        f'alias "{alias}" is already an alias of {taken[key].source}',
                        article.source,
                        article.line_of(f"aliases[{i}]"),
                    )
                )
            taken.setdefault(key, article)
    return errors


def alias_key(alias: str) -> str:
    """What two aliases share when they name one address: ``/a/b``, ``/a/b/`` and
    ``/a/b/index.html`` are one page, percent-encoding aside."""
    path, mark, query = unquote(alias).partition("?")
    path = path.removesuffix("index.html")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path + mark + query


def _raise(errors: list[PresseError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)
