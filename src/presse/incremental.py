"""An edit traced to the outputs it changes. Pure.

Most edits of a newsroom (a correction, a better headline, a new paragraph) keep the
**shape** of the site: the same articles published, with the same URLs, dates,
sections, tags, authors, related picks and images. Such an edit changes no listing's
membership or order, no « À lire également » block, no sitemap, no search shard's
membership: only the outputs that show an edited article (its page, its neighbours',
the pages that list it or pick it as related, the feeds that carry it, its shard).

So every build leaves a :class:`PlanMemo`: the skeleton of its site (everything but the
articles themselves) and its plan, with which outputs show which article. The next
build compares the articles' fingerprints with the skeleton; when only articles of an
unchanged shape differ, and nothing site-wide changed (templates, config, authors,
images, navigation, the news sitemap's articles), the new site is the old skeleton
with the edited articles swapped in, and only their outputs are planned again
(:func:`presse.render.replan`). Anything else is planned from scratch. The dev server
keeps the memo in memory; builds from the command line keep it in the cache folder.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from presse.authors import Author
from presse.columns import Picked
from presse.config import SiteConfig
from presse.digest import Digests, DigestsOf, value_fingerprint
from presse.enrich import (
    Visibility,
    assemble_site,
    check_corpus,
    check_images,
    is_published,
    site_pages,
)
from presse.images import ImageSize
from presse.model import Article, Period, Site, Term
from presse.pages import SiteView
from presse.publish import Output
from presse.render import SitePlan, plan_site, replan
from presse.sitemaps import news_articles
from presse.slug_links import BySlug, Links, share_slugs
from presse.theme import Theme


def shape(article: Article) -> str:
    """What an article contributes to the structure of the site, beyond its own page (a
    fingerprint: the skeleton keeps one per article)."""
    return value_fingerprint(
        article.url,
        article.date,
        article.modified,
        article.section,
        article.tags,
        article.authors,
        article.related,
        article.image,
        article.aliases,
    )


@dataclass(frozen=True, slots=True)
class Skeleton:
    """A site without its articles: their order, fingerprints and shapes, and every
    structure derived from them, by slug. The fingerprints and shapes follow ``order``
    (as digests, not strings by slug: up to 0.3 KB an article less)."""

    order: tuple[str, ...]  # published slugs, newest first
    fingerprints: Digests | DigestsOf  # of a cold build's site: read from its articles
    shapes: Digests
    related: Mapping[str, tuple[str, ...]]
    sections: tuple[Term, ...]
    tags: tuple[Term, ...]
    authors: tuple[Term, ...]
    archives: tuple[Period, ...]
    neighbours: Mapping[str, tuple[str | None, str | None]]


@dataclass(frozen=True, slots=True)
class PlanMemo:
    """What the last build planned, under which site-wide inputs (``signature``).

    ``token`` names the plan's structure (its outputs, recipes, index and skeleton, all
    but the keys and fingerprints), which only a plan from scratch changes: the cache
    folder writes it again only then, and the keys after every build."""

    signature: str
    skeleton: Skeleton
    plan: SitePlan
    token: str


def skeleton_of(
    site: Site, previous: Skeleton | None = None, edited: Sequence[str] = ()
) -> Skeleton:
    """The skeleton of ``site``; from ``previous`` when the site kept its shape and only
    the ``edited`` articles changed (their shapes are the same: not worked out again)."""
    if previous is not None:
        changed = set(edited)
        fingerprints = previous.fingerprints.replaced(
            {
                number: site.by_slug[slug].fingerprint
                for number, slug in enumerate(previous.order)
                if slug in changed
            }
        )
        return Skeleton(
            previous.order,
            fingerprints,
            previous.shapes,
            previous.related,
            previous.sections,
            previous.tags,
            previous.authors,
            previous.archives,
            previous.neighbours,
        )
    return Skeleton(
        order=_order(site),
        fingerprints=DigestsOf(site.articles),
        shapes=Digests(shape(a) for a in site.articles),
        # The site's own dicts, not copies: nothing changes them (0.04 KB an article).
        related=_plain(site.related),
        sections=site.sections,
        tags=site.tags,
        authors=site.authors,
        archives=site.archives,
        neighbours=_plain(site.neighbours),
    )


def _order(site: Site) -> tuple[str, ...]:
    """The site's slugs in order: the tuple its listings pick theirs from, when they do
    (one tuple for both, see :func:`presse.taxonomy.terms`), else a new one."""
    made = tuple(a.slug for a in site.articles)
    listings: list[Period | Term] = [*site.archives[:1], *site.sections[:1]]
    for listing in listings:
        picked = listing.articles
        if isinstance(picked, Picked) and picked.of == made:
            return picked.of
    return made


def _plain(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """``mapping`` as a mapping that pickles (the skeleton is saved): itself if it is a
    dict or :class:`~presse.slug_links.Links` (not a read-only view of one)."""
    return mapping if isinstance(mapping, dict | Links) else dict(mapping)


def signature(*site_wide: Any) -> str:
    """The fingerprint of what every output may depend on besides the articles."""
    return value_fingerprint(*site_wide)


def same_shape(
    skeleton: Skeleton,
    articles: Sequence[Article],
    config: SiteConfig,
    visibility: Visibility,
    profiles: Mapping[str, Author],
    images: Mapping[str, ImageSize | None],
) -> tuple[Site, tuple[str, ...]] | None:
    """The site of ``articles`` and the slugs of the edited ones, if the edit kept the
    skeleton's shape; None if anything structural changed (then assemble it anew)."""
    check_corpus(articles)
    live = [a for a in articles if is_published(a, visibility)]
    published = {a.slug: a for a in live if not a.page}
    if len(published) != len(skeleton.order):
        return None
    changed = []
    ordered = []
    bones = zip(skeleton.order, skeleton.fingerprints, skeleton.shapes, strict=True)
    for slug, fingerprint, outline in bones:
        article = published.get(slug)
        if article is None:  # the same number of articles, not the same ones
            return None
        if article.fingerprint != fingerprint:
            if shape(article) != outline:
                return None
            changed.append(slug)
        ordered.append(article)
    del published
    pages = site_pages(live)
    check_images((*ordered, *pages), images)
    in_order = tuple(ordered)
    site = Site(
        config=config,
        build_time=visibility.now,
        articles=in_order,
        pages=pages,
        by_slug=BySlug(in_order),
        related=skeleton.related,
        sections=skeleton.sections,
        tags=skeleton.tags,
        authors=skeleton.authors,
        archives=skeleton.archives,
        neighbours=skeleton.neighbours,
        profiles=MappingProxyType(dict(profiles)),
        images=MappingProxyType(dict(images)),
    )
    return site, tuple(sorted(changed))


@dataclass(frozen=True, slots=True)
class Continuation:
    """This build continues the last one: the site kept its shape, ``edited`` changed."""

    memo: PlanMemo
    edited: tuple[str, ...]


def continue_or_assemble(
    memo: PlanMemo | None,
    articles: Sequence[Article],
    config: SiteConfig,
    visibility: Visibility,
    profiles: Mapping[str, Author],
    images: Mapping[str, ImageSize | None],
    relations: MutableMapping[str, Mapping[str, tuple[str, ...]]],
) -> tuple[Site, Continuation | None]:
    """The site, from the last build's skeleton when the edit kept its shape, else
    assembled anew (``relations`` keeps « À lire également » results across builds)."""
    if memo is not None:
        kept = same_shape(memo.skeleton, articles, config, visibility, profiles, images)
        if kept is not None:
            site, edited = kept
            return site, Continuation(memo, edited)
    site = assemble_site(articles, config, visibility, profiles, images, memo=relations)
    return site, None


def plan_outputs(
    site: Site,
    theme: Theme,
    view: SiteView,
    preview: bool,
    shards: Sequence[Output],
    edit: Continuation | None,
) -> tuple[SitePlan, PlanMemo]:
    """The site's plan, and the memo the next build will continue from: only the outputs
    that show an edited article are planned again when nothing site-wide changed (the
    templates, config, navigation, authors, images, shards, the news sitemap's articles)."""
    site_wide = signature(
        theme.fingerprint,
        view,
        sorted(site.profiles.items()),
        sorted(site.images.items()),
        sorted({f"{a.image}\x00{a.image_focus}" for a in site.articles if a.image_focus}),
        [o.path for o in shards],
        [a.slug for a in news_articles(site)],
        [page.fingerprint for page in site.pages],  # few, rarely edited: any edit re-plans
    )
    if edit is not None and edit.memo.signature == site_wide:
        plan = replan(edit.memo.plan, site, theme, preview, edit.edited, shards)
        token = edit.memo.token
    else:
        plan = plan_site(site, theme, preview, shards)
        token = uuid.uuid4().hex
    share_slugs(site.by_slug, site.related, site.neighbours, plan.index)
    # The same shape: the last skeleton holds, with the edited articles' fingerprints.
    bones = skeleton_of(site, edit.memo.skeleton, edit.edited) if edit else skeleton_of(site)
    return plan, PlanMemo(site_wide, bones, plan.without_makers(), token)
