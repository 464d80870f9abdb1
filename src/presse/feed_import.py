"""``presse import feed.xml``: one article per entry of an RSS or Atom feed. Pure: the
caller reads the file (a feed, or a saved copy of a feed's address).

feedparser reads every flavour (RSS 0.9x to 2.0, RSS 1.0/RDF, Atom 0.3 and 1.0, and
the broken ones sites actually serve), decodes entities and cleans the entries' HTML;
the HTML then becomes Markdown with :mod:`presse.html_markdown`, like a WordPress body.

What an entry gives:

* ``title``; its ``id`` (or its link) as the article's ``id``, prefixed with ``feed:``,
  so that a second import of the same feed skips what is already in;
* ``date`` from the entry's publication date (else its update date), in the site's
  zone, ``updated`` when the update is later; an entry without any date is imported as
  a draft dated now, and said so;
* ``authors``, and ``tags`` from its categories (a feed does not say which category is
  a section);
* the body from the full content when the feed carries it, else the summary; the
  summary becomes the chapô only when there is also a full content;
* the lead image from ``media:content``, ``media:thumbnail`` or an image enclosure, with
  the title as its text alternative, to review (feedparser drops ``media:description``
  inside ``media:content``, and reads one beside it as the entry's summary);
* ``aliases``: the entry's address on the old site, when it is on the feed's own site.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser

from presse.config import SiteConfig
from presse.errors import PresseError
from presse.html_markdown import html_to_markdown
from presse.imports import Imported, ImportedAuthor
from presse.slugs import slugify
from presse.wording import counted

_TAG = re.compile(r"<[^>]+>")


def is_feed(head: bytes) -> bool:
    """An RSS, RDF or Atom document, from its first bytes."""
    text = head[:4096].decode("utf-8", "replace").lower()
    return any(mark in text for mark in ("<rss", "<feed", "<rdf:rdf"))


@dataclass(frozen=True, slots=True)
class _Entry:
    """What the report counts about one entry."""

    images: int
    undated: bool


class FeedFile:
    """The entries of one feed, as :class:`presse.imports.Imported` articles."""

    def __init__(self, data: bytes, path: Path, config: SiteConfig, now: datetime) -> None:
        parsed = feedparser.parse(data)
        if not parsed.entries:
            why = parsed.get("bozo_exception")
            detail = f": {why}" if why else ""
            raise PresseError(f"is not a feed with entries{detail}", path)
        self._feed = parsed.feed
        self._entries = parsed.entries
        self._path = path
        self._config = config
        self._now = now
        self._authors: dict[str, str] = {}
        self._counts: list[_Entry] = []
        self._site = urlsplit(str(parsed.feed.get("link", ""))).netloc

    def items(self) -> Iterator[Imported]:
        for number, entry in enumerate(self._entries, start=1):
            yield self._item(number, entry)

    def authors(self) -> tuple[ImportedAuthor, ...]:
        return tuple(ImportedAuthor(slug, name) for slug, name in sorted(self._authors.items()))

    def summary(self) -> tuple[str, ...]:
        title = _plain(str(self._feed.get("title", ""))) or self._path.name
        lines = [f"{len(self._entries)} entries read from the feed « {title} »"]
        undated = sum(1 for entry in self._counts if entry.undated)
        if undated:
            lines.append(f"{undated} entries without a date: imported as drafts dated now")
        return tuple(lines)

    def _item(self, number: int, entry: dict[str, Any]) -> Imported:
        config = self._config
        origin = f"{self._path.name}: entry {number}"
        title = _plain(str(entry.get("title", ""))) or f"Sans titre {number}"
        recognised: list[str] = []
        dropped: list[str] = []
        published = _when(entry, "published_parsed") or _when(entry, "updated_parsed")
        updated = _when(entry, "updated_parsed")
        undated = published is None
        date = (published or self._now).astimezone(config.tzinfo).replace(microsecond=0)
        front: dict[str, Any] = {"title": title, "date": date.isoformat()}
        if updated is not None and published is not None and updated > published:
            front["updated"] = updated.astimezone(config.tzinfo).isoformat()
        names = [_plain(str(a.get("name", ""))) for a in entry.get("authors", [])]
        names = [n for n in names if n] or (
            [_plain(entry["author"])] if entry.get("author") else []
        )
        if names:
            front["authors"] = names
            for name in names:
                if slugify(name):
                    self._authors.setdefault(slugify(name), name)
        tags = []
        for tag in entry.get("tags", []):
            term = _plain(str(tag.get("label") or tag.get("term") or ""))
            if term and slugify(term) and term not in tags:
                tags.append(term)
        if tags:
            front["tags"] = tags
            recognised.append(counted(len(tags), "tag"))
        contents = entry.get("content") or []
        summary_html = str(entry.get("summary", ""))
        body_html = str(contents[0].get("value", "")) if contents else summary_html
        if contents and _plain(summary_html):
            front["summary"] = _plain(summary_html)
            recognised.append("chapô from the entry's summary")
        converted = html_to_markdown(body_html)
        dropped += converted.dropped
        image = _lead_image(entry)
        if image is not None:
            front["image"], alt = image
            if alt:
                front["image_alt"] = alt
            else:
                front["image_alt"] = title
                dropped.append(
                    "the lead image had no description: its alt text is the title, to review"
                )
            recognised.append("lead image")
        link = str(entry.get("link", ""))
        parts = urlsplit(link)
        if parts.path not in ("", "/") and parts.netloc == self._site:
            front["aliases"] = [parts.path + (f"?{parts.query}" if parts.query else "")]
            recognised.append(f"old address {parts.path}")
        identity = str(entry.get("id") or link or f"{self._path.name}#{number}")
        front["id"] = f"feed:{identity}"
        if undated:
            front["draft"] = True
            dropped.append("no date in the feed: a draft dated now")
        self._counts.append(_Entry(1 if image else 0, undated))
        last = [s for s in parts.path.split("/") if s]
        slug = slugify(re.sub(r"\.\w+$", "", last[-1])) if last else ""
        slug = slug if slug and not slug.isdigit() else slugify(title)
        return Imported(
            origin=origin,
            slug=slug or f"entree-{number}",
            year=date.year,
            page=False,
            front=front,
            body=converted.markdown,
            recognised=tuple(recognised),
            dropped=tuple(dropped),
            remote=tuple(src for src, _, _ in converted.images if src.startswith("http")),
        )


def _when(entry: dict[str, Any], key: str) -> datetime | None:
    # dict.get: feedparser's own get() answers "updated_parsed" with the publication date
    # (and a deprecation warning) when the entry has no update date.
    value = dict.get(entry, key)
    if not isinstance(value, time.struct_time):
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)


def _plain(html: str) -> str:
    """Text without tags or entities, whitespace collapsed (titles, names, chapôs)."""
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _lead_image(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """(URL, description) of the entry's own picture, if it names one."""
    for key in ("media_content", "media_thumbnail"):
        for media in entry.get(key, []):
            url = str(media.get("url", ""))
            medium = str(media.get("medium", "image"))
            if url.startswith(("http://", "https://")) and medium == "image":
                return url, ""
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            url = str(link.get("href", ""))
            if url.startswith(("http://", "https://")):
                return url, ""
    return None
