"""The page plan: every HTML page of the site as a template, its metadata and its data. Pure.

Templates never get the domain alone: each page has a :class:`PageMeta` (URL, title,
description, image, feeds, breadcrumbs, JSON-LD) next to the articles it shows, so
``base.html`` can write every ``<head>`` tag the same way for every kind of page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from html import escape
from itertools import groupby
from typing import Any, ClassVar, overload

from presse import urls
from presse.authors import Author
from presse.config import CONFIG_FILE
from presse.digest import value_fingerprint
from presse.embeds import facade_html, remote_image
from presse.enrich import is_local
from presse.errors import PresseError
from presse.i18n import load_translations
from presse.links import encode_url
from presse.model import PAGES_FOLDER, UNDATED, Article, BodyPhoto, Period, Site, Term
from presse.photos import (
    ARTICLE_SIZES,
    CENTRE,
    CROP_RATIOS,
    MEDIA_TYPES,
    THUMBNAIL_RATIO,
    Shape,
    crop_path,
    crop_size,
    figure_html,
    output_path,
    picture_html,
    thumbnail_variants,
)
from presse.recipes import Recipe
from presse.seo import (
    Crumb,
    ImageRef,
    breadcrumb_list,
    news_article,
    to_json_ld,
    web_page,
    website,
)
from presse.slugs import slugify
from presse.theme import absolute_url, month_label, site_url

ATOM = "application/atom+xml"
# How wide the theme shows a teaser's photo (presse.css): the lead teaser's beside its
# text on a wide screen, else across; the others in a card, or beside the title on phones.
LEAD_TEASER_SIZES = "(min-width: 64em) 40rem, 100vw"
TEASER_SIZES = "(min-width: 48em) 30rem, 6.5rem"
RSS = "application/rss+xml"


@dataclass(frozen=True, slots=True)
class Link:
    """A titled link: navigation entries, feed alternates."""

    title: str
    url: str
    mime_type: str = ""


@dataclass(frozen=True, slots=True)
class Byline:
    """An author as a byline shows them: name, author page, role from the authors file."""

    name: str
    url: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What ``base.html`` needs to know about any page."""

    kind: (
        str  # index, article, section, tag, author, archive, sections, tags, archives, search, 404
    )
    url: str
    title: str  # the page's own title, without the site name
    description: str
    canonical: str
    og_type: str = "website"
    image: ImageRef | None = None
    feeds: tuple[Link, ...] = ()
    prev_url: str | None = None
    next_url: str | None = None
    breadcrumbs: tuple[Crumb, ...] = ()
    json_ld: str = ""
    lastmod: datetime | None = None  # for the sitemap
    in_sitemap: bool = True


@dataclass(frozen=True, slots=True)
class Listing:
    """The head of a listing page: what is listed and how to follow it."""

    kind: str  # section, tag, author, archive
    name: str
    label: str  # the kicker above the name: « Rubrique », « Mot-clé », a role…
    url: str
    feed_url: str | None = None
    profile: Author | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class SiteView:
    """Site-wide values every template may use."""

    title: str
    description: str
    language: str  # "fr"
    locale: str  # "fr_FR", for og:locale
    publisher: str
    year: int
    nav: tuple[Link, ...]
    search_url: str | None
    archives_url: str
    feeds: tuple[Link, ...]
    twitter_site: str
    logo: ImageRef | None
    footer: tuple[Link, ...]  # the site's pages the footer links to (legal notice, about…)
    preview: bool  # the dev server: drafts and embargoed articles are marked
    now: datetime | None  # the build time, only in a preview (it would change every page)


@dataclass(frozen=True, slots=True)
class Page:
    template: str
    meta: PageMeta
    context: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""
    recipe: Recipe = ()
    shows: tuple[str, ...] = ()  # the slugs of the articles it shows (none: it shows no article)

    # What the sitemap and the writer read, the same way for a LazyPage.
    @property
    def url(self) -> str:
        return self.meta.url

    @property
    def canonical(self) -> str:
        return self.meta.canonical

    @property
    def lastmod(self) -> datetime | None:
        return self.meta.lastmod

    @property
    def in_sitemap(self) -> bool:
        return self.meta.in_sitemap


@dataclass(frozen=True, slots=True)
class LazyPage:
    """A page that is planned only if it must be rendered: an article page, or a page
    of a paginated listing (the front page, sections, tags, authors, archives).

    ``key`` is the fingerprint of everything its planning reads (for an article: the article, its
    related and neighbouring articles, its terms, its authors' profiles, its image's
    size; for a listing page: what is listed, the articles of that page and where it
    stands in the pagination). Articles stand for themselves by their fingerprint, so
    the key made from ``inputs`` is cheap; when it matches what the output already
    holds, neither planning nor rendering happens. The sitemap needs only ``url`` and
    ``lastmod``, known without planning.
    """

    template: str
    url: str
    canonical: str
    lastmod: datetime | None
    key: str  # see above: the digest of its inputs, the template and the site view
    make: Callable[[], Page]
    recipe: Recipe
    shows: tuple[str, ...]  # the slugs of the articles it shows
    origin: str = ""
    in_sitemap: ClassVar[bool] = True  # every article and listing page is in the sitemap


class _Planner:
    """Holds the site and its translations while the plan is drawn up."""

    def __init__(
        self,
        site: Site,
        preview: bool = False,
        templates: str = "",
        view: SiteView | None = None,
    ):
        self.site = site
        self.preview = preview
        self.config = site.config
        self._ = load_translations(self.config.locale).gettext
        self.logo = self.image(self.config.logo) if self.config.logo else None
        self.default_image = (
            self.image(self.config.default_image) if self.config.default_image else None
        )
        self.site_feeds = (
            Link(self._("All articles (Atom)"), urls.SITE_ATOM, ATOM),
            Link(self._("All articles (RSS)"), urls.SITE_RSS, RSS),
        )
        self.home = Crumb(self._("Front page"), urls.FRONT)
        self.term_index: Mapping[str, Mapping[str, Term]] = {
            "section": {t.slug: t for t in site.sections},
            "tag": {t.slug: t for t in site.tags},
            "author": {t.slug: t for t in site.authors},
        }
        self.root = absolute_url(self.config, "/")
        # What every article page shows besides its own data, fingerprinted once; and each
        # author's profile, once: page keys are made of strings, cheap to hash.
        self.article_constants = value_fingerprint(self.default_image, self.logo, self.preview)
        self.profile_keys = {
            slug: value_fingerprint(profile) for slug, profile in site.profiles.items()
        }
        self.templates = templates  # the fingerprint of the theme, part of every page's key
        self.view = view or self.site_view()
        self.view_key = value_fingerprint(self.view)

    def key(self, template: str, inputs: tuple[Any, ...]) -> str:
        """A page's key: what it shows, through which template, on which site view."""
        return value_fingerprint(self.templates, template, self.view_key, inputs)

    # --- helpers ------------------------------------------------------------------

    def image(self, reference: str, alt: str = "") -> ImageRef:
        if not is_local(reference):
            return ImageRef(url=encode_url(reference), alt=alt)
        size = self.site.images.get(reference)
        if size is not None and size.photo:  # the largest fallback variant, never the file
            width, height, format = Shape(size.width, size.height, size.transparent).widest()
            return ImageRef(
                url=absolute_url(self.config, "/" + output_path(size.photo, width, format)),
                width=width,
                height=height,
                alt=alt,
                mime_type=MEDIA_TYPES[format],
            )
        return ImageRef(
            url=absolute_url(self.config, reference),
            width=size.width if size else None,
            height=size.height if size else None,
            alt=alt,
            mime_type=size.mime_type if size else "",
        )

    def with_thumbnails(
        self,
        make: Callable[[str, Pagination, Sequence[Article]], Page],
        url: str,
        pagination: Pagination,
        chunk: Sequence[Article],
        lead: bool,
    ) -> Page:
        """A listing page, with the photo of each teaser that has one (by slug)."""
        page = make(url, pagination, chunk)
        thumbnails = {a.slug: self.thumbnail(a, lead=lead and i == 0) for i, a in enumerate(chunk)}
        return replace(page, context={**page.context, "thumbnails": thumbnails})

    def thumbnail(self, article: Article, *, lead: bool = False) -> str:
        """A teaser's photo: the front page's lead article shows its photo whole and
        fetched first; the others a small crop around the focus, fetched near the screen.
        The title beside it names the article, so the photo is not described again."""
        size = self.site.images.get(article.image) if article.image else None
        if size is None or not size.photo:
            return ""
        if lead:
            return self.picture(article.image or "", "", sizes=LEAD_TEASER_SIZES, lead=True)
        key, config = size.photo, self.config
        focus = article.image_focus or CENTRE
        return picture_html(
            thumbnail_variants(size.width, size.height),
            lambda width, format: site_url(
                config, "/" + crop_path(key, THUMBNAIL_RATIO, focus, width, format)
            ),
            "",
            TEASER_SIZES,
        )

    def lead_picture(self, article: Article) -> str:
        """The lead photo's ``<picture>``; for an image on another site, its facade: the
        reader's browser asks that site for nothing before the reader does."""
        if not article.image:
            return ""
        if not is_local(article.image):
            return facade_html(remote_image(article.image, article.image_alt or ""), self._)
        return self.picture(article.image, article.image_alt or "", lead=True)

    def crops(self, article: Article) -> tuple[ImageRef, ...]:
        """The lead photo's crops around its focus (see :data:`presse.photos.CROP_RATIOS`):
        the share card's first, then those of the structured data; () for another image."""
        size = self.site.images.get(article.image) if article.image else None
        if size is None or not size.photo:
            return ()
        focus = article.image_focus or CENTRE
        refs = []
        for ratio in CROP_RATIOS:
            width, height = crop_size(size.width, size.height, ratio)
            path = "/" + crop_path(size.photo, ratio, focus, width)
            url = absolute_url(self.config, path)
            alt = article.image_alt or ""
            refs.append(ImageRef(url, width, height, alt, MEDIA_TYPES["jpeg"]))
        return tuple(refs)

    def picture(
        self, reference: str, alt: str, *, lead: bool = False, sizes: str = ARTICLE_SIZES
    ) -> str:
        """``<picture>`` markup for a photo published as variants, or "" for any other
        image (the template shows it as it is)."""
        size = self.site.images.get(reference)
        if size is None or not size.photo:
            return ""
        key = size.photo
        variants = Shape(size.width, size.height, size.transparent).variants()
        return picture_html(
            variants,
            lambda width, format: site_url(self.config, "/" + output_path(key, width, format)),
            alt,
            sizes,
            lead=lead,
        )

    def body_photo(self, photo: BodyPhoto) -> str:
        """A photo of the body in place of its marker: a figure with its caption and its
        credit (from its sidecar) when it stands alone, else just its picture."""
        size = self.site.images.get(photo.reference)
        image = self.picture(photo.reference, photo.alt) or (
            f'<img src="{escape(site_url(self.config, photo.reference))}"'
            f' alt="{escape(photo.alt)}" loading="lazy" decoding="async">'
        )
        if not photo.figure:
            return image
        return figure_html(image, photo.caption, size.credit if size else "")

    def meta(self, kind: str, url: str, title: str, description: str, **extra: Any) -> PageMeta:
        extra.setdefault("image", self.default_image)
        extra.setdefault("feeds", self.site_feeds)
        return PageMeta(
            kind=kind,
            url=url,
            title=title,
            description=description,
            canonical=absolute_url(self.config, url),
            **extra,
        )

    def articles(self, slugs: Sequence[str]) -> tuple[Article, ...]:
        return tuple(self.site.by_slug[s] for s in slugs)

    def listed(self, slugs: Sequence[str]) -> Sequence[Article]:
        """A listing's articles, looked up as its pages are planned: a page reads its
        own stretch of a tag of 100 000 articles (all a slice may hold), not the tag."""
        return _Listed(slugs, self.site.by_slug)

    def page_title(self, title: str, number: int) -> str:
        if number == 1:
            return title
        return self._("%(title)s, page %(number)s") % {"title": title, "number": number}

    def paginated(
        self,
        template: str,
        base: str,
        items: Sequence[Article],
        inputs: tuple[Any, ...],
        make: Callable[[str, Pagination, Sequence[Article]], Page],
        recipe: Recipe,
        only: Sequence[int] | None,
    ) -> Iterator[LazyPage]:
        """The pages of a listing (the pages ``only``, if given), planned lazily: ``inputs``
        (what the listing shows besides its articles, fingerprinted once for all its
        pages) with each page's articles and place in the pagination are its key."""
        config = self.config
        per_page = config.per_page
        total = max(1, math.ceil(len(items) / per_page))
        listing = value_fingerprint(template, base, inputs)
        for number in range(1, total + 1) if only is None else only:
            pagination = Pagination(
                number=number,
                total=total,
                prev_url=urls.paginated(base, number - 1, config) if number > 1 else None,
                next_url=urls.paginated(base, number + 1, config) if number < total else None,
            )
            chunk = items[(number - 1) * per_page : number * per_page]
            url = urls.paginated(base, number, config)
            photos = [self.site.images.get(a.image) for a in chunk if a.image]
            inputs_here = (listing, number, total, fingerprints(chunk), photos)
            lead = template == "index.html" and number == 1
            yield LazyPage(
                template=template,
                url=url,
                canonical=self.root + url[1:],
                lastmod=max([a.modified for a in chunk], default=None),
                key=self.key(template, inputs_here),
                make=partial(self.with_thumbnails, make, url, pagination, chunk, lead),
                recipe=(*recipe, number),
                shows=tuple([a.slug for a in chunk]),
            )

    # --- pages ----------------------------------------------------------------------

    def front_pages(self, only: Sequence[int] | None = None) -> Iterator[LazyPage]:
        site = self.site

        def make(url: str, pagination: Pagination, items: Sequence[Article]) -> Page:
            meta = self.meta(
                "index",
                url,
                self.page_title(self.config.title, pagination.number),
                self.config.description,
                prev_url=pagination.prev_url,
                next_url=pagination.next_url,
                json_ld=to_json_ld(website(site, self.logo)) if pagination.number == 1 else "",
                lastmod=max((a.modified for a in items), default=None),
            )
            return Page("index.html", meta, {"articles": items, "pagination": pagination})

        yield from self.paginated(
            "index.html", urls.FRONT, site.articles, (), make, ("front",), only
        )

    def article_page(self, article: Article) -> Page:
        site, config = self.site, self.config
        crumbs = [self.home]
        section_feed: tuple[Link, ...] = ()
        section_url = None
        if article.section:
            section_term = self.term_of("section", article.section)
            section_url = urls.term("section", section_term.slug, config)
            crumbs.append(Crumb(section_term.name, section_url))
            section_feed = (
                Link(
                    self._("Section %(name)s (Atom)") % {"name": section_term.name},
                    urls.term_feed("section", section_term.slug, config),
                    ATOM,
                ),
            )
        crumbs.append(Crumb(article.title, article.url))
        own_image = self.image(article.image, article.image_alt or "") if article.image else None
        crops = self.crops(article)
        # What sharing and structured data show: the photo's crops, else the image itself.
        image = crops[0] if crops else own_image or self.default_image
        listed = crops[1:] if crops else ((image,) if image else ())
        json_ld = to_json_ld(
            news_article(article, site, listed, self.logo), breadcrumb_list(crumbs, config)
        )
        older, newer = site.neighbours.get(article.slug, (None, None))
        meta = self.meta(
            "article",
            article.url,
            article.title,
            article.description,
            og_type="article",
            image=image,
            feeds=(*self.site_feeds, *section_feed),
            breadcrumbs=tuple(crumbs),
            json_ld=json_ld,
            lastmod=article.modified,
        )
        context = {
            "article": article,
            "related": self.articles(site.related.get(article.slug, ())),
            "reading_minutes": max(1, math.ceil(article.body.word_count / config.words_per_minute)),
            "section_url": section_url,
            "older": site.by_slug[older] if older else None,
            "newer": site.by_slug[newer] if newer else None,
            "image": own_image,
            "image_credit": article.image_credit or self.credit(article.image),
            "body": article.body.html_with(self.body_photo),
            "lead_picture": self.lead_picture(article),
            "lead_facade": bool(article.image and not is_local(article.image)),
            "bylines": tuple(self.byline(name) for name in article.authors),
            "tag_links": tuple(
                Link(name, urls.term("tag", self.term_of("tag", name).slug, config))
                for name in article.tags
            ),
        }
        return Page("article.html", meta, context, origin=str(article.source))

    def credit(self, reference: str | None) -> str:
        """A photo's credit from its sidecar, if it has one."""
        size = self.site.images.get(reference) if reference else None
        return size.credit if size else ""

    def byline(self, name: str) -> Byline:
        slug = self.term_of("author", name).slug
        profile = self.site.profiles.get(slug)
        return Byline(name, urls.term("author", slug, self.config), profile.role if profile else "")

    def lazy_article_page(self, article: Article) -> LazyPage:
        site = self.site
        related = self.articles(site.related.get(article.slug, ()))
        older, newer = site.neighbours.get(article.slug, (None, None))
        terms = []
        profiles = []
        for kind, names in (
            ("section", (article.section,) if article.section else ()),
            ("tag", article.tags),
            ("author", article.authors),
        ):
            for name in names:
                term = self.term_of(kind, name)
                terms.append((term.slug, term.name))
                if kind == "author":
                    profiles.append(self.profile_keys.get(term.slug))
        inputs = (
            article.fingerprint,
            fingerprints(related),
            site.by_slug[older].fingerprint if older else None,
            site.by_slug[newer].fingerprint if newer else None,
            terms,
            profiles,
            site.images.get(article.image) if article.image else None,
            [site.images.get(photo.reference) for photo in article.body.photos],
            self.article_constants,
        )
        return LazyPage(
            template="article.html",
            url=article.url,
            canonical=self.root + article.url[1:],
            lastmod=article.modified,
            key=self.key("article.html", inputs),
            make=partial(self.article_page, article),
            recipe=("article", article.slug),
            shows=(
                article.slug,
                *site.related.get(article.slug, ()),
                *([older] if older else []),
                *([newer] if newer else []),
            ),
            origin=str(article.source),
        )

    def term_of(self, kind: str, name: str) -> Term:
        return self.term_index[kind][slugify(name)]

    def term_pages(self, term: Term, only: Sequence[int] | None = None) -> Iterator[LazyPage]:
        config = self.config
        base = urls.term(term.kind, term.slug, config)
        profile = self.site.profiles.get(term.slug) if term.kind == "author" else None
        label = {
            "section": self._("Section"),
            "tag": self._("Tag"),
            "author": (profile.role if profile and profile.role else self._("Author")),
        }[term.kind]
        feed_url = (
            urls.term_feed(term.kind, term.slug, config)
            if term.kind in ("section", "author")
            else None
        )
        listing = Listing(term.kind, term.name, label, base, feed_url, profile, len(term.articles))
        description = {
            "section": self._("All articles of the %(name)s section"),
            "tag": self._("All articles about %(name)s"),
            "author": self._("All articles by %(name)s"),
        }[term.kind] % {"name": term.name}
        if profile and profile.bio:
            description = profile.bio
        index_crumb = {
            "section": Crumb(self._("Sections"), urls.sections_index(config)),
            "tag": Crumb(self._("Tags"), urls.tags_index(config)),
            "author": None,
        }[term.kind]
        image = (
            self.image(profile.photo, term.name) if profile and profile.photo else None
        ) or self.default_image
        feeds: tuple[Link, ...] = self.site_feeds
        if feed_url:
            feeds = (*feeds, Link(f"{label} {term.name} (Atom)", feed_url, ATOM))
        yield from self._listing_pages(
            listing,
            self.listed(term.articles),
            description,
            index_crumb,
            image,
            feeds,
            ("term", term.kind, term.slug),
            only,
        )

    def period_pages(self, period: Period, only: Sequence[int] | None = None) -> Iterator[LazyPage]:
        config = self.config
        name = month_label(period.year, period.month, config) if period.month else str(period.year)
        listing = Listing(
            "archive",
            name,
            self._("Archives"),
            urls.period(period, config),
            None,
            None,
            len(period.articles),
        )
        description = self._("Articles published in %(period)s") % {"period": name}
        crumb = Crumb(self._("Archives"), urls.archives_index(config))
        yield from self._listing_pages(
            listing,
            self.listed(period.articles),
            description,
            crumb,
            self.default_image,
            self.site_feeds,
            ("period", period.slug),
            only,
        )

    def _listing_pages(
        self,
        listing: Listing,
        items: Sequence[Article],
        description: str,
        index_crumb: Crumb | None,
        image: ImageRef | None,
        feeds: tuple[Link, ...],
        recipe: Recipe,
        only: Sequence[int] | None,
    ) -> Iterator[LazyPage]:
        crumbs = (self.home, *([index_crumb] if index_crumb else []))

        def make(url: str, pagination: Pagination, chunk: Sequence[Article]) -> Page:
            trail = (*crumbs, Crumb(listing.name, listing.url))
            meta = self.meta(
                listing.kind,
                url,
                self.page_title(listing.name, pagination.number),
                description,
                og_type="profile" if listing.kind == "author" else "website",
                image=image,
                feeds=feeds,
                prev_url=pagination.prev_url,
                next_url=pagination.next_url,
                breadcrumbs=trail,
                json_ld=to_json_ld(breadcrumb_list(trail, self.config)),
                lastmod=max((a.modified for a in chunk), default=None),
            )
            context = {"listing": listing, "articles": chunk, "pagination": pagination}
            return Page("listing.html", meta, context)

        inputs = (listing, description, index_crumb, image, feeds)
        yield from self.paginated("listing.html", listing.url, items, inputs, make, recipe, only)

    def index_pages(self) -> Iterator[Page]:
        config, site = self.config, self.site
        for kind, title, description, url, found in (
            (
                "sections",
                self._("Sections"),
                self._("All the sections of the site"),
                urls.sections_index(config),
                site.sections,
            ),
            (
                "tags",
                self._("Tags"),
                self._("All the tags of the site"),
                urls.tags_index(config),
                site.tags,
            ),
        ):
            entries = tuple(
                (term, urls.term(term.kind, term.slug, config), len(term.articles))
                for term in found
            )
            newest = [site.by_slug[t.articles[0]].modified for t in found]
            yield Page(
                "terms.html",
                self.meta(
                    kind,
                    url,
                    title,
                    description,
                    breadcrumbs=(self.home, Crumb(title, url)),
                    lastmod=max(newest, default=None),
                ),
                {"entries": entries},
                recipe=("index", kind),
            )
        years = [
            (p, urls.period(p, config), [m for m in site.archives if m.year == p.year and m.month])
            for p in site.archives
            if not p.month
        ]
        months = {p.slug: urls.period(p, config) for p in site.archives if p.month}
        url = urls.archives_index(config)
        yield Page(
            "archives.html",
            self.meta(
                "archives",
                url,
                self._("Archives"),
                self._("Every article of the site, by month"),
                breadcrumbs=(self.home, Crumb(self._("Archives"), url)),
                lastmod=site.articles[0].modified if site.articles else None,
            ),
            {"years": years, "month_urls": months},
            recipe=("index", "archives"),
        )

    def search_page(self, shards: tuple[str, ...]) -> Page:
        url = urls.search(self.config)
        return Page(
            "search.html",
            self.meta(
                "search",
                url,
                self._("Search"),
                self._("Search the articles of the site"),
                in_sitemap=False,
            ),
            {"archives_url": urls.archives_index(self.config), "shards": shards},
            recipe=("search",),
        )

    def not_found_page(self) -> Page:
        return Page(
            "404.html",
            self.meta("404", urls.NOT_FOUND, self._("Page not found"), "", in_sitemap=False),
            recipe=("404",),
        )

    def site_page(self, page: Article) -> Page:
        """A page of the site (legal notice, about, contact): its text, and for the legal
        notice the publisher's details from the config, the same the structured data give."""
        config = self.config
        crumbs = (self.home, Crumb(page.title, page.url))
        legal = config.legal if page.slug == config.legal_notice and config.legal else None
        json_ld = to_json_ld(
            web_page(page, self.site, self.logo, legal=legal is not None),
            breadcrumb_list(crumbs, config),
        )
        meta = self.meta(
            "page",
            page.url,
            page.title,
            page.description,
            breadcrumbs=crumbs,
            json_ld=json_ld,
            lastmod=None if page.modified == UNDATED else page.modified,
        )
        context = {
            "entry": page,  # "page" is every template's PageMeta
            "body": page.body.html_with(self.body_photo),
            "legal": legal,
            "updated": None if page.modified == UNDATED else page.modified,
        }
        return Page("page.html", meta, context, origin=str(page.source), recipe=("page", page.slug))

    def footer_links(self) -> tuple[Link, ...]:
        """The pages ``footer_pages`` names, in its order; by default every page."""
        by_slug = {page.slug: page for page in self.site.pages}
        wanted = self.config.footer_pages or tuple(by_slug)
        missing = [slug for slug in wanted if slug not in by_slug]
        if missing:
            raise PresseError(
                f'footer_pages: no published page "{missing[0]}" in'
                f" {self.config.content_dir}/{PAGES_FOLDER}/",
                CONFIG_FILE,
            )
        return tuple(Link(by_slug[slug].title, by_slug[slug].url) for slug in wanted)

    def site_view(self) -> SiteView:
        config = self.config
        return SiteView(
            title=config.title,
            description=config.description,
            language=config.language,
            locale=config.locale,
            publisher=config.publisher_name,
            year=self.site.build_time.astimezone(config.tzinfo).year,
            nav=tuple(
                Link(t.name, urls.term("section", t.slug, config)) for t in self.site.sections
            ),
            search_url=urls.search(config) if config.search else None,
            archives_url=urls.archives_index(config),
            feeds=self.site_feeds,
            twitter_site=config.twitter_site,
            logo=self.logo,
            footer=self.footer_links(),
            preview=self.preview,
            now=preview_clock(self.site) if self.preview else None,
        )


class _Listed(Sequence[Article]):
    """Articles named by slug, looked up when read (see :meth:`_Planner.listed`)."""

    __slots__ = ("_by_slug", "_slugs")

    def __init__(self, slugs: Sequence[str], by_slug: Mapping[str, Article]):
        self._slugs = slugs
        self._by_slug = by_slug

    def __len__(self) -> int:
        return len(self._slugs)

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Article, ...]: ...

    def __getitem__(self, index: int | slice) -> Article | tuple[Article, ...]:
        if isinstance(index, slice):
            return tuple([self._by_slug[slug] for slug in self._slugs[index]])
        return self._by_slug[self._slugs[index]]


def fingerprints(articles: Sequence[Article]) -> str:
    """What a list of articles stands for in a page's key: their fingerprints."""
    return " ".join([a.fingerprint for a in articles])


def preview_clock(site: Site) -> datetime:
    """A stand-in for "now" that gives every preview flag its true value but changes only
    when an article crosses its date or expiry, so pages are not all re-rendered each
    time the dev server rebuilds: the latest such time not after the build time."""
    now = site.build_time
    latest = earliest = None
    for article in site.articles:
        for moment in (article.date, article.expires):
            if moment is None:
                continue
            if moment <= now:
                latest = moment if latest is None or moment > latest else latest
            elif earliest is None or moment < earliest:
                earliest = moment
    if latest is not None:
        return latest
    return earliest - timedelta(seconds=1) if earliest is not None else now


def site_view(site: Site, preview: bool = False) -> SiteView:
    """What every template gets as ``site``."""
    return _Planner(site, preview).site_view()


def plan_pages(
    site: Site, preview: bool = False, shards: tuple[str, ...] = (), templates: str = ""
) -> tuple[SiteView, Iterator[Page | LazyPage]]:
    """Every HTML page of the site, in a stable order, one at a time (a caller keeps what
    it needs of each: an archive's pages are not all held at once); articles and listings
    planned lazily, with their keys (``templates``: the theme's fingerprint). ``shards``
    names the search index's shards, newest first, for the search page."""
    planner = _Planner(site, preview, templates)
    return planner.view, _all_pages(planner, site, shards)


def _all_pages(planner: _Planner, site: Site, shards: tuple[str, ...]) -> Iterator[Page | LazyPage]:
    yield from planner.front_pages()
    for article in site.articles:
        yield planner.lazy_article_page(article)
    for term in (*site.sections, *site.tags, *site.authors):
        yield from planner.term_pages(term)
    for period in site.archives:
        yield from planner.period_pages(period)
    yield from planner.index_pages()
    for page in site.pages:
        yield planner.site_page(page)
    if site.config.search:
        yield planner.search_page(shards)
    yield planner.not_found_page()


def plan_again(
    site: Site,
    recipes: Sequence[Recipe],
    preview: bool = False,
    shards: tuple[str, ...] = (),
    templates: str = "",
    view: SiteView | None = None,
) -> list[Page | LazyPage]:
    """The pages of ``recipes`` (from an earlier plan of a site of the same shape), planned
    again from ``site``: what an edit changes, without planning the rest."""
    planner = _Planner(site, preview, templates, view)
    terms = planner.term_index
    periods = {p.slug: p for p in site.archives}
    pages: list[Page | LazyPage] = []
    # The pages of one listing, together: a listing reads its whole list of articles.
    for listing, group in groupby(recipes, key=lambda r: r[:-1] if r[0] in LISTINGS else r):
        kind = listing[0]
        numbers = [recipe[-1] for recipe in group] if kind in LISTINGS else []
        if kind == "article":
            pages.append(planner.lazy_article_page(site.by_slug[listing[1]]))
        elif kind == "front":
            pages += planner.front_pages(only=numbers)
        elif kind == "term":
            pages += planner.term_pages(terms[listing[1]][listing[2]], only=numbers)
        elif kind == "period":
            pages += planner.period_pages(periods[listing[1]], only=numbers)
        elif kind == "index":
            pages += [p for p in planner.index_pages() if p.recipe == listing]
        elif kind == "search":
            pages.append(planner.search_page(shards))
        elif kind == "page":
            pages += [planner.site_page(p) for p in site.pages if p.slug == listing[1]]
        else:
            pages.append(planner.not_found_page())
    return pages


LISTINGS = frozenset({"front", "term", "period"})  # paginated: their recipes end in a number


def plan_articles(site: Site, slugs: Sequence[str], preview: bool, view: SiteView) -> list[Page]:
    """The pages of the articles ``slugs``, planned now: a cluster's worker renders them
    from a slice of the site (:mod:`presse.slices`), with the build's site view."""
    planner = _Planner(site, preview, "", view)
    return [planner.article_page(site.by_slug[slug]) for slug in slugs]
