"""Corpus stage: from every parsed article to the publishable :class:`Site`. Pure: no I/O.

Checks that need the whole corpus (duplicate slugs, dangling ``related``
slugs) live here, and so does the one gate that decides what is published.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from presse.config import SiteConfig
from presse.errors import BuildErrors, PresseError
from presse.model import Article, Site


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a build publishes besides the articles that are live at ``now``."""

    now: datetime
    drafts: bool = False
    future: bool = False


def is_published(article: Article, visibility: Visibility) -> bool:
    """The single publication gate: every artefact of the site asks this function."""
    if article.draft and not visibility.drafts:
        return False
    return visibility.future or article.date <= visibility.now


def assemble_site(articles: Sequence[Article], config: SiteConfig, visibility: Visibility) -> Site:
    """Check the corpus, keep what is published, sort it newest first and link it."""
    _check_corpus(articles)
    published = sorted(
        (a for a in articles if is_published(a, visibility)),
        key=lambda a: (-a.date.timestamp(), a.slug),
    )
    by_slug = MappingProxyType({a.slug: a for a in published})
    related = MappingProxyType(
        {a.slug: _related(a, by_slug, config.related_count) for a in published}
    )
    return Site(
        config=config,
        build_time=visibility.now,
        articles=tuple(published),
        by_slug=by_slug,
        related=related,
    )


def _check_corpus(articles: Iterable[Article]) -> None:
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
                    article.line_of("slug" if "slug" in article.lines else "title"),
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
            if slug not in first:
                errors.append(
                    PresseError(
                        f'related article "{slug}" does not exist',
                        article.source,
                        article.line_of(f"related[{i}]"),
                    )
                )
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)


def _related(
    article: Article, published: MappingProxyType[str, Article], count: int
) -> tuple[str, ...]:
    """The explicit ``related`` slugs that are published, in the editor's order."""
    picks = [s for s in article.related if s in published and s != article.slug]
    return tuple(dict.fromkeys(picks))[:count]
