"""The content model: plain frozen dataclasses passed from stage to stage.

Nothing here is filled in later: each stage of the pipeline returns new
objects. Articles refer to each other by slug, never by object.
"""

from __future__ import annotations

import operator
import os
import pickle
import re
import struct
import sys
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import lru_cache
from html import unescape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from presse.authors import Author
from presse.config import SiteConfig
from presse.images import ImageSize

_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
C = TypeVar("C", bound=type)


def quick_pickle(
    cls: C | None = None, *, shared: tuple[str, ...] = (), common: tuple[str, ...] = ()
) -> Any:
    """Give a slots dataclass a fast pickled state: a plain tuple of its fields.

    The state methods ``dataclass`` writes for slots classes call ``fields()`` on every
    object, which made pickling the parse cache (and sending parsed articles back from
    the workers) cost more than the data: 150 000 calls for 10 000 articles. Restoring
    is one unrolled function (no loop) through the slots' own descriptors: a large
    archive's cache holds tens of thousands of objects.

    The ``shared`` fields (a string, or a tuple of strings: a section, tags, authors)
    are interned when restored: unpickled, each article would hold its own copy of
    names that thousands of articles share. The ``common`` fields, tuples of strings
    that repeat whole (an article's authors), are restored as one tuple for all.
    """
    if cls is None:
        return lambda actual: quick_pickle(actual, shared=shared, common=common)
    names = tuple(f.name for f in fields(cls))
    getter = operator.attrgetter(*names)

    def __getstate__(self: object) -> tuple[Any, ...]:
        state = getter(self)
        return state if len(names) > 1 else (state,)

    setters: dict[str, Any] = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    setters["_share"] = _share
    setters["_common"] = _common
    body = "".join(
        f"    _set_{name}(self, _common(_share(state[{i}])))\n"
        if name in common
        else f"    _set_{name}(self, _share(state[{i}]))\n"
        if name in shared
        else f"    _set_{name}(self, state[{i}])\n"
        for i, name in enumerate(names)
    )
    namespace: dict[str, Any] = {}
    exec(f"def __setstate__(self, state):\n{body}", setters, namespace)

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010 (mypy: a method, not a field)
    setattr(cls, "__setstate__", namespace["__setstate__"])  # noqa: B010
    return cls


@lru_cache(maxsize=4096)
def _common(value: Any) -> Any:
    """The first of the values equal to ``value`` restored lately (the memo is the
    point: a tuple of one author is 0.05 KB an article)."""
    return value


def _share(value: Any) -> Any:
    """A string, or each string of a tuple, as the one interned copy."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is tuple and value and all(type(v) is str for v in value):
        return tuple(sys.intern(v) for v in value)
    return value


@quick_pickle
@dataclass(frozen=True, slots=True)
class SourceFile:
    """One Markdown file as read from disk; ``path`` is relative to the site folder.

    The text is kept as UTF-8 bytes: a French text as a Python string takes two bytes a
    character (one typographic apostrophe is enough), and a cold build holds every
    source at once until parsing ends.
    """

    path: Path
    data: bytes  # valid UTF-8, no BOM, "\n" line endings (see presse.sources)

    @classmethod
    def of_text(cls, path: Path, text: str) -> SourceFile:
        return cls(path, text.encode("utf-8"))

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


@quick_pickle
@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading of an article body, for anchors and tables of contents."""

    level: int
    text: str
    anchor: str


@quick_pickle
@dataclass(frozen=True, slots=True)
class BodyPhoto:
    """A photo in an article body, as the author placed it: the body's HTML holds a
    marker in its place, filled when a page or feed is rendered, once the photo's size
    and variants are known (they depend on its file, not on the article's text)."""

    reference: str  # its address in the site: /images/a.jpg, or beside the article's page
    file: str  # a photo beside the article (page bundle): its path from the site folder
    alt: str  # "" for a photo marked decorative
    caption: str  # the Markdown image's title, typography applied
    line: int  # where it is written in the source
    figure: bool  # alone in its paragraph: shown as a figure with its caption


CITED_KEYS = frozenset({"", "title", "slug", "image", "related", "aliases"})
"""The frontmatter keys (and their items) whose lines an article keeps: those the
errors found after parsing point at (a broken link, a clash of addresses, a missing
photo). The parser's own errors see every key's line; "" is the frontmatter's first."""


TEXT_SUFFIX = ".t2"  # changes with the layout of the file (2: the body's facts with the card)


def body_path(folder: str, name: str) -> str:
    """Where the text of an article put away in ``folder`` under ``name`` is: its card
    then its body (see :mod:`presse.bodies` and :func:`text_file`)."""
    return os.path.join(folder, name[:2], f"{name}{TEXT_SUFFIX}")  # noqa: PTH118 (a str per article)


_CARD_LENGTH = struct.Struct(">I")


def text_file(card: bytes, packed: bytes) -> bytes:
    """The bytes of an article's text file: its pickled card, then its packed body, the
    card's length first, so that a title is read without inflating the body."""
    return _CARD_LENGTH.pack(len(card)) + card + packed


def _text_parts(path: str) -> tuple[memoryview, memoryview]:
    """The pickled card and the packed body in the text file at ``path``."""
    with open(path, "rb") as handle:  # noqa: PTH123 (a hot path: no Path)
        data = memoryview(handle.read())
    (length,) = _CARD_LENGTH.unpack_from(data)
    start = _CARD_LENGTH.size
    return data[start : start + length], data[start + length :]


@lru_cache(maxsize=512)
def _stored(path: str) -> tuple[Card, Body]:
    """The card and the body (without its HTML) of an article put away at ``path``.
    Memoized: a file's name is the fingerprint of its content, so it never changes, and
    a page reads its article's title, chapô and captions several times over (the last
    few hundred: a listing's or a chunk's worth)."""
    card, body = pickle.loads(_text_parts(path)[0])
    assert isinstance(card, Card) and isinstance(body, Body)
    return card, body


def stored_card(path: str) -> Card:
    """The card of an article put away at ``path`` (see :func:`put_away_parts`)."""
    return _stored(path)[0]


def put_away_parts(card: Card, body: Body) -> bytes:
    """The text file of an article: its card and its body's facts (word count, excerpt…)
    pickled, then its HTML; see :class:`StoredBody`."""
    facts = Body(b"", body.word_count, body.excerpt, body.embeds, (), body.mark)
    return text_file(pickle.dumps((card, facts), pickle.HIGHEST_PROTOCOL), body.packed)


class _Text:
    """What a body's HTML gives, wherever it is held (see :class:`Body`, :class:`StoredBody`)."""

    __slots__ = ()

    if TYPE_CHECKING:  # what each kind of body gives (at run time, nothing here: a
        # dataclass would take these for its fields' defaults)

        @property
        def html(self) -> str: ...

        @property
        def photos(self) -> tuple[BodyPhoto, ...]: ...

        @property
        def mark(self) -> str: ...

    def html_with(self, photo: Callable[[BodyPhoto], str]) -> str:
        """The HTML with each photo's marker replaced by ``photo(it)``: a ``<picture>`` on
        the page, an ``<img>`` in a feed, nothing in the search index."""
        html = self.html
        photos = self.photos
        if not photos:
            return html
        pieces = html.split(self.mark)
        return "".join(
            photo(photos[int(piece[1:])]) if i % 2 else piece for i, piece in enumerate(pieces)
        )

    @property
    def headings(self) -> tuple[Heading, ...]:
        """The section headings, for a theme's table of contents: read from the HTML, since
        no build step needs them and an archive would otherwise hold them all in memory."""
        return tuple(
            Heading(int(level), unescape(_TAG.sub("", inner)), unescape(anchor))
            for level, anchor, inner in _HEADING.findall(self.html)
        )


@quick_pickle
@dataclass(frozen=True, slots=True)
class Body(_Text):
    """An article body rendered from Markdown.

    The HTML is kept zlib-compressed: a French body held as a Python string takes two
    bytes a character, and on a 100 000-article archive the bodies were most of the
    build's memory (and of the cache on disk). Compressing costs about 70 µs an
    article, reading it back 40 µs, and only the article page and the feeds read it.
    With a build cache the body is put away there (:class:`StoredBody`).
    """

    packed: bytes  # UTF-8, zlib level 1; see :meth:`pack`
    word_count: int
    excerpt: str  # plain text of the first paragraph, for descriptions when there is no chapô
    embeds: int = 0  # facades of videos, charts…: the page then loads /js/embed.js
    photos: tuple[BodyPhoto, ...] = ()
    mark: str = ""  # around a photo's number in the HTML: "\ue000p0\ue000"

    stored = ""  # held here, in no file
    file = ""

    @staticmethod
    def pack(html: str) -> bytes:
        return zlib.compress(html.encode("utf-8"), 1)

    @property
    def html(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


@quick_pickle(shared=("stored",))
@dataclass(frozen=True, slots=True)
class StoredBody(_Text):
    """A body put away in the build cache with the article's card (see
    :mod:`presse.bodies`): the folder and the name (the article's fingerprint) of its
    file, and its photos, which the build links. Its HTML, word count and excerpt are
    read from the file. Made when an article's ``body`` is read, from its
    :class:`Shelf`: no article holds one."""

    photos: tuple[BodyPhoto, ...]
    stored: str
    stored_as: str

    packed = b""  # the HTML is in the file

    @property
    def file(self) -> str:
        return body_path(self.stored, self.stored_as)

    @property
    def html(self) -> str:
        return zlib.decompress(_text_parts(self.file)[1]).decode("utf-8")

    @property
    def _facts(self) -> Body:
        return _stored(self.file)[1]

    @property
    def word_count(self) -> int:
        return self._facts.word_count

    @property
    def excerpt(self) -> str:
        return self._facts.excerpt

    @property
    def embeds(self) -> int:
        return self._facts.embeds

    @property
    def mark(self) -> str:
        return self._facts.mark


@quick_pickle
@dataclass(frozen=True, slots=True)
class Correction:
    """A dated editorial correction (« Rectificatif ») published with the article."""

    date: datetime
    html: str  # inline Markdown rendered, typography applied


@quick_pickle
@dataclass(frozen=True, slots=True)
class Card:
    """What an article says besides its body: its title, chapô, lead photo's words and
    corrections, and where its frontmatter keys are written (for error messages).

    Only its own page, the listings and feeds that show it, its search record and the
    errors that name it read these; with a build cache the card is put away with the
    body (see :mod:`presse.bodies`), and the build that links a 100 000-article archive
    holds the rest of each article only (the card was a third of it).
    """

    title: str
    summary: str  # the chapô as plain text, "" when absent (meta, feeds, JSON-LD)
    summary_html: str  # the chapô with its inline Markdown, "" when it has none
    image_alt: str | None
    image_caption: str | None  # what the lead photo shows, under it, before the credit
    corrections: tuple[Correction, ...]  # oldest first
    lines: str  # "key line" per line: where each frontmatter key (or ``key[i]``) is


@quick_pickle
@dataclass(frozen=True, slots=True)
class Held:
    """An article's body and card as parsed, held with it (no build cache)."""

    body: Body
    card: Card


@dataclass(frozen=True, slots=True)
class Shelf:
    """Where an article's body and card were put away in the build cache: the folder
    (every article's) and the body's photos (which the build links); the file is named
    by the article's fingerprint. One object for all the articles with the same (most
    have no photo in their body): a body object of each article's own cost 0.06 KB."""

    photos: tuple[BodyPhoto, ...]
    folder: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (shelf, (self.photos, self.folder))


@lru_cache(maxsize=1024)
def shelf(photos: tuple[BodyPhoto, ...], folder: str) -> Shelf:
    """The shelf of ``photos`` in ``folder``: the one object for all (see :class:`Shelf`)."""
    return Shelf(photos, sys.intern(folder))


def around(text: str, slug: str) -> tuple[str, str | None]:
    """``text`` cut around ``slug``: what comes before it and after it, or the whole of
    ``text`` and None when ``slug`` is not in it (see :attr:`Article.url`)."""
    head, found, tail = text.rpartition(slug)
    return (head, tail) if found else (text, None)


def _joined(head: str, slug: str, tail: str | None) -> str:
    return head if tail is None else f"{head}{slug}{tail}"


@quick_pickle(shared=("image_credit",))
@dataclass(frozen=True, slots=True)
class Particulars:
    """What most articles leave at its default: an article holds the one object for
    all the articles with the same (see :func:`quick_pickle`'s ``common``), not eight
    fields of its own (0.06 KB an article)."""

    image_credit: str | None = None
    image_file: str = ""  # a lead photo beside the article (page bundle): its path, else ""
    image_focus: tuple[float, float] | None = None  # the point every crop keeps, in % (x, y)
    draft: bool = False
    expires: datetime | None = None  # the article leaves the site at this time
    feed_key: str = ""  # frontmatter "id", else "": see :meth:`Article.feed_identity`
    page: bool = False  # a page of the site (content/pages/: legal notice, about…), not news
    aliases: tuple[str, ...] = ()  # its old addresses, answered by redirects


@quick_pickle(shared=("url_head", "url_tail", "source_head", "source_tail", "lang"))
@dataclass(frozen=True, slots=True)
class Frame:
    """What an article's address, source path and language share with the articles
    around it: the address and the path cut around the article's slug (see
    :func:`around`; ``/2025/02/`` and ``/``, ``content/2025/`` and ``.md``). One object
    for all the articles that share them, a month's with the default addresses (see
    :func:`quick_pickle`'s ``common``), not a path and three references of each one's
    own (0.14 KB an article). A file not named after its article's slug (``presse new``
    and the importers name it so) is held whole, in a frame of its own."""

    url_head: str
    url_tail: str | None  # None: the slug is not in the address, which is all in the head
    source_head: str
    source_tail: str | None  # None: the file is not named after the slug: all in the head
    lang: str  # BCP 47 tag of the article's language: the site's, or its "lang" key


@quick_pickle(common=("authors", "rare", "frame"), shared=("slug", "related", "section", "tags"))
@dataclass(frozen=True, slots=True, repr=False)
class Article:
    """One article, parsed and validated; strings already carry French typography.

    Its ``repr`` is its fingerprint: short, and enough to tell two articles apart in
    the digests of the pages that show it (see :mod:`presse.digest`). Its card's
    fields (``title``, ``summary``…) read as its own, from the card it holds or from
    its file in the build cache.
    """

    slug: str
    # Its address in the site (``/2025/02/mon-article/``) and its file, from the site
    # folder (``content/2025/mon-article.md``), held as what comes before and after the
    # slug, and its language: read them as ``url``, ``source`` and ``lang``. The sitemap
    # and the plan keep the parts.
    frame: Frame
    date: datetime  # always timezone-aware
    updated: datetime | None
    authors: tuple[str, ...]
    section: str | None
    tags: tuple[str, ...]
    related: tuple[str, ...]  # slugs, as written in the frontmatter
    image: str | None
    rare: Particulars  # image credit and file, draft, expiry, feed id, page, aliases
    modified: datetime  # last significant change: the newest of date, updated, corrections
    # The digest of everything the parsed article depends on (caches), as its 20 bytes:
    # read it as the hex ``fingerprint``.
    digest: bytes
    text: Held | Shelf  # its body and card, or where they are in the build cache

    def __repr__(self) -> str:
        return f"Article<{self.fingerprint}>"

    @property
    def fingerprint(self) -> str:
        return self.digest.hex()

    @property
    def body(self) -> Body | StoredBody:
        text = self.text
        if isinstance(text, Held):
            return text.body
        return StoredBody(text.photos, text.folder, self.digest.hex())

    @property
    def held(self) -> Card | None:
        """The card, when it is held here rather than put away with the body."""
        text = self.text
        return text.card if isinstance(text, Held) else None

    @property
    def image_credit(self) -> str | None:
        return self.rare.image_credit

    @property
    def image_file(self) -> str:
        return self.rare.image_file

    @property
    def image_focus(self) -> tuple[float, float] | None:
        return self.rare.image_focus

    @property
    def draft(self) -> bool:
        return self.rare.draft

    @property
    def expires(self) -> datetime | None:
        return self.rare.expires

    @property
    def feed_key(self) -> str:
        return self.rare.feed_key

    @property
    def page(self) -> bool:
        return self.rare.page

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.rare.aliases

    @property
    def url(self) -> str:
        """The address in the site, e.g. ``/2025/02/mon-article/``."""
        return _joined(self.frame.url_head, self.slug, self.frame.url_tail)

    @property
    def url_head(self) -> str:
        return self.frame.url_head

    @property
    def url_tail(self) -> str | None:
        return self.frame.url_tail

    @property
    def source(self) -> str:
        """The file, from the site folder, e.g. ``content/2025/mon-article.md``."""
        return _joined(self.frame.source_head, self.slug, self.frame.source_tail)

    @property
    def lang(self) -> str:
        return self.frame.lang

    @property
    def card(self) -> Card:
        text = self.text
        if isinstance(text, Held):
            return text.card
        return stored_card(body_path(text.folder, self.digest.hex()))

    @property
    def title(self) -> str:
        return self.card.title

    @property
    def summary(self) -> str:
        return self.card.summary

    @property
    def summary_html(self) -> str:
        return self.card.summary_html

    @property
    def image_alt(self) -> str | None:
        return self.card.image_alt

    @property
    def image_caption(self) -> str | None:
        return self.card.image_caption

    @property
    def corrections(self) -> tuple[Correction, ...]:
        return self.card.corrections

    @property
    def lines(self) -> str:
        return self.card.lines

    def line_of(self, key: str) -> int:
        """Source line of a frontmatter key of :data:`CITED_KEYS`, falling back to the
        first line."""
        found = {}
        for entry in self.lines.splitlines():
            name, _, line = entry.rpartition(" ")
            found[name] = int(line)
        return found.get(key, found.get("", 1))

    def has_line(self, key: str) -> bool:
        """The frontmatter sets ``key``."""
        return any(entry.rpartition(" ")[0] == key for entry in self.lines.splitlines())

    @staticmethod
    def pack_lines(lines: Mapping[str, int]) -> str:
        """The lines of the frontmatter's keys that errors after parsing name (see
        :data:`CITED_KEYS`), as one string: only error messages read them, and a dict of
        every key made a tenth of a 100 000-article archive's memory."""
        return "\n".join(
            f"{key} {line}" for key, line in lines.items() if key.partition("[")[0] in CITED_KEYS
        )

    def feed_identity(self, content_dir: str) -> str:
        """A stable identity for feed ids: the frontmatter's "id", else the source path
        inside ``content_dir`` without ``.md``, which survives a change of slug (worked
        out here, not held: a copy of the path cost 0.1 KB an article)."""
        if self.feed_key:
            return self.feed_key
        pure = PurePosixPath(self.source)
        content = PurePosixPath(content_dir)
        inner = pure.relative_to(content) if pure.is_relative_to(content) else pure
        return inner.with_suffix("").as_posix()

    @property
    def description(self) -> str:
        return self.summary or self.body.excerpt


UNDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""The date of a page written without one (a legal notice has no publication date):
never shown, and no ``lastmod`` in the sitemap."""

PAGES_FOLDER = "pages"
"""The folder of ``content/`` that holds the site's pages rather than its articles."""


def last_change(
    date: datetime, updated: datetime | None, corrections: tuple[Correction, ...]
) -> datetime:
    """An article's last significant change: the newest of its date, ``updated`` and
    corrections (computed once: listings and sitemaps ask for it of every article)."""
    return max([date, *([updated] if updated else []), *(c.date for c in corrections)])


@quick_pickle
@dataclass(frozen=True, slots=True)
class Term:
    """A section, tag or author, with its articles (slugs, newest first)."""

    kind: str  # "section", "tag" or "author"
    slug: str
    name: str
    articles: Sequence[str]  # a tuple; in a slice, a window on it (see presse.slices)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Period:
    """A year (``month`` is 0) or a month of the archives, with its articles newest first."""

    year: int
    month: int
    articles: Sequence[str]  # a tuple; in a slice, a window on it (see presse.slices)

    @property
    def slug(self) -> str:
        return f"{self.year:04d}" if not self.month else f"{self.year:04d}/{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Site:
    """The whole publishable corpus, after corpus-level checks and linking.

    Everything here is derived from published articles only: a draft, embargoed or
    expired article cannot appear in any listing, feed or related block.
    """

    config: SiteConfig
    build_time: datetime
    articles: Sequence[Article]  # published only, newest first; never a page (a tuple;
    # in a slice of listing pages, a window on it: see presse.slices)
    pages: tuple[Article, ...]  # published pages of the site (content/pages/), by slug
    by_slug: Mapping[str, Article]  # published articles by slug
    related: Mapping[str, tuple[str, ...]]  # slug → slugs for « À lire également »
    sections: tuple[Term, ...]
    tags: tuple[Term, ...]
    authors: tuple[Term, ...]
    archives: tuple[Period, ...]
    neighbours: Mapping[str, tuple[str | None, str | None]]  # slug → (older, newer) in section
    profiles: Mapping[str, Author]  # author slug → profile from the authors file
    images: Mapping[str, ImageSize | None]  # local image path → its size (None: unknown format)


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path inside the output folder and its bytes.

    ``source`` is set instead of ``data`` for static files copied as they are, and for
    pages reused from the previous build (then a plain string: a site has tens of
    thousands of them, and a ``Path`` costs more to make than the file costs to link).
    ``origin`` names what produced it, for collision messages.
    """

    path: str
    origin: str
    data: bytes | None = None
    source: Path | str | None = None
