"""One item of a WordPress export, read by :mod:`presse.wordpress`, mapped to an
:class:`presse.imports.Imported`: its front matter, body, photos and report lines. It looks
for photos in the copy of ``wp-content/uploads`` (the only I/O: it reads, writes nothing).

What an item becomes:

* **Types.** A ``post`` is an article, a ``page`` a page; attachments, menu items,
  revisions and other types are counted in the summary, not imported.
* **Status.** ``publish``: published; ``future``: its date is in the future, so presse holds
  it back until then; ``draft`` and ``pending``: ``draft: true``, as is a post protected by
  a password; ``private``: not imported, named in the summary; ``trash``, ``auto-draft``
  and the rest: counted.
* **Dates.** ``post_date_gmt`` in the site's time zone (ISO 8601 with its offset); a draft's
  is ``0000-00-00 00:00:00``, and its ``post_date`` is read in the site's zone. ``updated``
  when the last change came more than a minute after.
* **Identity.** ``id`` is ``wordpress:`` and the item's guid (``https://exemple.fr/?p=42``),
  so that a second import of the export recognises what it brought in.
* **Title, slug.** Entities decoded, spaces collapsed; the slug from ``post_name``
  (percent-decoded: WordPress stores ``%c3%a9`` for « é »), else from the title. An item
  without title gets the first words of its text, to review.
* **Authors.** ``dc:creator`` is a login: the author's display name from the export.
* **Section, tags.** The primary category (Yoast's or Rank Math's), else the first, is the
  section; the other categories and the tags are tags. « Non classé » goes.
* **Chapô.** The excerpt, as plain text.
* **Images.** The featured image is ``image``, with its alt text and caption. An image
  under ``wp-content/uploads/`` found in the ``media`` folder (a copy of it) is copied
  beside the article, under its file name (``photo.jpg`` rather than WordPress's resized
  ``photo-1024x683.jpg`` when the original is there); otherwise its address stays and is
  listed. An image without alt text gets its caption, else its attachment's title, and a
  line saying so: presse publishes no photo without a description.
* **Old addresses.** A published item's permalink path and its short link (``/?p=42``,
  ``/?page_id=7``) are its ``aliases``, so that presse answers them with redirects.
* **Comments** are counted, not imported.
* **Body.** :func:`presse.html_markdown.html_to_markdown`.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from presse.config import SiteConfig
from presse.html_markdown import Image, html_to_markdown
from presse.imports import Imported, ImportedAuthor, Media
from presse.parse import alias_problem
from presse.photos import is_photo_file
from presse.slugs import slugify
from presse.wording import counted

TITLE_WORDS = 12  # at most this many words of its text name an item without title
_PRIMARY_KEYS = (
    "_yoast_wpseo_primary_category",
    "_yoast_wp_primary_category",
    "rank_math_primary_category",
)
_UNCATEGORISED = frozenset({"non-classe", "uncategorized", "sans-categorie"})
_IMPORTED_STATUSES = frozenset({"publish", "future", "draft", "pending"})
_UPLOADS = "/wp-content/uploads/"
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|figure|figcaption)\b[^>]*>", re.I
)
_SHORTCODE = re.compile(r"\[/?[a-z][^\[\]]*\]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not no-break spaces: those are typography


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    alt: str
    caption: str
    title: str


@dataclass(frozen=True, slots=True)
class Channel:
    """What items refer to, kept from the first pass: small, whatever the export's size."""

    base_url: str
    authors: Mapping[str, str]  # login → display name
    categories: Mapping[str, str]  # term id → nicename
    attachments: Mapping[int, Attachment]
    by_file: Mapping[str, int]  # uploads path (original size, lowercase) → attachment id


@dataclass(frozen=True, slots=True)
class Item:
    """One ``<item>``, each field read once."""

    fields: Mapping[str, str]  # local name → text: title, link, guid, post_id, status…
    content: str
    excerpt: str
    terms: tuple[tuple[str, str, str], ...]  # (domain, nicename, name)
    meta: Mapping[str, str]
    comments: int  # approved ones

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


@dataclass(slots=True)
class Tally:
    """What the whole export held beside the items it gave, for the summary."""

    articles: int = 0
    pages: int = 0
    drafts: int = 0
    private: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    comments: int = 0
    remote: int = 0
    made_up_alt: int = 0


class ItemMapper:
    """Maps an export's items one by one, keeping the authors met and the tally."""

    def __init__(self, file_name: str, config: SiteConfig, media: Path | None = None) -> None:
        self.file_name = file_name
        self.config = config
        self.media = media
        self.tally = Tally()
        self.authors: dict[str, ImportedAuthor] = {}

    def imported(self, item: Item, channel: Channel) -> Imported | None:
        """The item as presse's, or None (counted in the tally) when it is not imported."""
        kind, status, number = item.get("post_type"), item.get("status"), item.get("post_id")
        if kind not in ("post", "page"):
            self.tally.types[kind or "(none)"] += 1
            return None
        if status == "private":
            title = clean_text(item.get("title")) or "(untitled)"
            self.tally.private.append(f"{kind} {number}, « {title} »")
            return None
        if status not in _IMPORTED_STATUSES:
            self.tally.statuses[status or "(none)"] += 1
            return None
        return self._item(item, channel, page=kind == "page")

    def _item(self, item: Item, channel: Channel, *, page: bool) -> Imported | None:
        tz = self.config.tzinfo
        number = item.get("post_id")
        origin = f"{self.file_name}: {'page' if page else 'post'} {number}"
        date = _wp_date(item.get("post_date_gmt"), UTC) or _wp_date(item.get("post_date"), tz)
        if date is None:
            self.tally.statuses["undated"] += 1
            return None
        date = date.astimezone(tz)
        recognised: list[str] = []
        dropped: list[str] = []
        photos = _Photos(self.media, channel.base_url)

        def place(image: Image) -> Image:
            return self._place(image, channel, photos, dropped)

        body = html_to_markdown(item.content, place, self.config.embeds)
        dropped += body.dropped
        title = clean_text(_TAG.sub("", item.get("title")))
        if not title:
            title = _first_words(item.content) or f"Sans titre {number}"
            dropped.append(f'no title: "{title}", made from the first words of the text, to review')
            slug = slugify(title)
        else:
            slug = slugify(unquote(item.get("post_name"))) or slugify(title)
        slug = slug or f"{'page' if page else 'post'}-{number}"

        front: dict[str, Any] = {"title": title}
        status = item.get("status")
        if not page:
            front["date"] = date.isoformat(timespec="seconds")
            modified = _wp_date(item.get("post_modified_gmt"), UTC) or _wp_date(
                item.get("post_modified"), tz
            )
            if modified is not None and modified - date > timedelta(minutes=1):
                front["updated"] = modified.astimezone(tz).isoformat(timespec="seconds")
        author = channel.authors.get(item.get("creator"), item.get("creator"))
        if author:
            front["authors"] = [author]
            self.authors.setdefault(slugify(author), ImportedAuthor(slugify(author), author))
        if not page:
            self._topics(item, channel, front, recognised)
        summary = plain_text(item.excerpt)
        if summary:
            front["summary"] = summary
        if not page:
            front["slug"] = slug
        self._lead_image(item, channel, photos, front, recognised, dropped)
        draft = status in ("draft", "pending")
        if item.get("post_password"):
            draft = True
            dropped.append("protected by a password on WordPress: imported as a draft")
        if draft:
            front["draft"] = True
            recognised.append(
                "draft" + (" (pending review on WordPress)" if status == "pending" else "")
            )
            self.tally.drafts += not page
        elif status == "future":
            recognised.append(f"scheduled: held back until {front.get('date', '')}")
        front["id"] = f"wordpress:{item.get('guid') or item.get('link') or number}"
        never_public = draft or status == "future"
        aliases = [] if never_public else self._aliases(item, number, page, date, slug, front)
        if aliases:
            front["aliases"] = aliases
            recognised.append(
                f"{counted(len(aliases), 'old address', 'old addresses')} kept as aliases"
            )
        if body.quotations:
            recognised.append(counted(body.quotations, "quotation"))
        if body.embeds:
            recognised.append(counted(body.embeds, "embed"))
        if photos.found:
            recognised.append(f"{counted(len(photos.found), 'photo')} copied beside the article")
        if item.comments:
            recognised.append(f"{counted(item.comments, 'comment')} not imported")
        self.tally.comments += item.comments
        self.tally.made_up_alt += sum(" without alt text: made from " in line for line in dropped)
        self.tally.remote += len(photos.remote)
        self.tally.pages += page
        self.tally.articles += not page
        return Imported(
            origin=origin,
            slug=slug,
            year=date.year,
            page=page,
            front=front,
            body=body.markdown,
            media=tuple(Media(str(path), name) for path, name in photos.found.items()),
            recognised=tuple(recognised),
            dropped=tuple(dropped),
            remote=tuple(photos.remote),
        )

    def _topics(
        self, item: Item, channel: Channel, front: dict[str, Any], recognised: list[str]
    ) -> None:
        """The section (the primary category, else the first) and the tags."""
        categories = [
            (nice, clean_text(name))
            for domain, nice, name in item.terms
            if domain == "category" and nice not in _UNCATEGORISED and clean_text(name)
        ]
        primary = next(
            (channel.categories.get(item.meta[k].strip()) for k in _PRIMARY_KEYS if k in item.meta),
            None,
        )
        section = next((name for nice, name in categories if nice == primary), "")
        if section:
            recognised.append(f"section: {section} (primary category)")
        elif categories:
            section = categories[0][1]
            recognised.append(f"section: {section}")
        names = [name for _, name in categories] + [
            clean_text(name) for domain, _, name in item.terms if domain == "post_tag"
        ]
        seen = {slugify(section)}
        tags: list[str] = []
        for name in names:
            if name and slugify(name) and slugify(name) not in seen:
                seen.add(slugify(name))
                tags.append(name)
        if section:
            front["section"] = section
        if tags:
            front["tags"] = tags
            recognised.append("tags: " + ", ".join(tags))

    def _lead_image(
        self,
        item: Item,
        channel: Channel,
        photos: _Photos,
        front: dict[str, Any],
        recognised: list[str],
        dropped: list[str],
    ) -> None:
        number = item.meta.get("_thumbnail_id", "").strip()
        if not number:
            return
        attachment = channel.attachments.get(int(number)) if number.isdigit() else None
        if attachment is None:
            dropped.append(f"featured image (attachment {number}) is not in the export")
            return
        front["image"] = photos.address(attachment.url)
        alt = attachment.alt
        if not alt:
            alt, why = (
                (attachment.caption, "its caption")
                if attachment.caption
                else (attachment.title or Path(urlsplit(attachment.url).path).stem, "its title")
            )
            dropped.append(f'featured image without alt text: made from {why}, "{alt}", to review')
        front["image_alt"] = alt
        if attachment.caption:
            front["image_caption"] = attachment.caption
        remote = front["image"].startswith(("http:", "https:"))
        recognised.append(f"featured image: {front['image']}" + (" (remote)" if remote else ""))

    def _place(self, image: Image, channel: Channel, photos: _Photos, dropped: list[str]) -> Image:
        """A body image's address (its copy beside the article) and its alt text."""
        number = image.attachment
        if number not in channel.attachments:
            number = channel.by_file.get(uploads_key(image.src) or "")
        attachment = channel.attachments.get(number) if number is not None else None
        alt = image.alt or (attachment.alt if attachment else "")
        if not alt:
            if image.caption:
                alt, why = image.caption, "its caption"
            elif attachment is not None and attachment.title:
                alt, why = attachment.title, "its attachment's title"
            else:
                why = ""
            if alt:
                dropped.append(f'image without alt text: made from {why}, "{alt}", to review')
        return Image(photos.address(image.src), alt, image.caption, image.attachment)

    def _aliases(
        self,
        item: Item,
        number: str,
        page: bool,
        date: datetime,
        slug: str,
        front: Mapping[str, Any],
    ) -> list[str]:
        """The item's old addresses that presse can answer, but its new one."""
        new = f"/{slug}/" if page else self._new_url(date, slug, str(front.get("section", "")))
        link = urlsplit(html.unescape(item.get("link")))
        candidates = [
            link.path + (f"?{link.query}" if link.query else ""),
            f"/?page_id={number}" if page else f"/?p={number}",
        ]
        found: list[str] = []
        for alias in candidates:
            if alias in ("", "/") or alias.rstrip("/") == new.rstrip("/") or alias in found:
                continue
            if not alias_problem(alias):
                found.append(alias)
        return found

    def _new_url(self, date: datetime, slug: str, section: str) -> str:
        """The address presse gives the article (as :func:`presse.parse.article_from`)."""
        return self.config.permalink.format(
            year=f"{date.year:04d}",
            month=f"{date.month:02d}",
            day=f"{date.day:02d}",
            slug=slug,
            section=slugify(section) if section else "actualite",
        )


class _Photos:
    """One item's images: copies found in the media folder (each named once), or the
    addresses left on the old site."""

    def __init__(self, media: Path | None, base_url: str) -> None:
        self.media = media.resolve() if media is not None else None
        self.base_url = base_url
        self.found: dict[Path, str] = {}  # file → its name beside the article
        self.remote: list[str] = []

    def address(self, src: str) -> str:
        url = html.unescape(src).strip()
        if url.startswith("/") and not url.startswith("//") and self.base_url:
            url = urljoin(self.base_url + "/", url.lstrip("/"))
        file = self._file(url)
        if file is None:
            if _uploads_path(url) is not None and url not in self.remote:
                self.remote.append(url)
            return url
        if file not in self.found:
            self.found[file] = self._free_name(file)
        return self.found[file]

    def _file(self, url: str) -> Path | None:
        relative = _uploads_path(url)
        if self.media is None or relative is None or not is_photo_file(relative):
            return None
        for candidate in dict.fromkeys((_SIZE_SUFFIX.sub("", relative), relative)):
            path = (self.media / candidate).resolve()
            if path.is_relative_to(self.media) and path.is_file():
                return path
        return None

    def _free_name(self, file: Path) -> str:
        name = file.name
        if not _PLAIN_NAME.fullmatch(name):
            name = (slugify(file.stem) or "photo") + file.suffix.lower()
        stem, dot, suffix = name.rpartition(".")
        taken = set(self.found.values())
        number = 2
        while name in taken:
            name = f"{stem}-{number}{dot}{suffix}"
            number += 1
        return name


# --- values ------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Entities decoded, spaces collapsed (no-break spaces kept)."""
    return _SPACES.sub(" ", html.unescape(value)).strip()


def _wp_date(text: str, zone: Any) -> datetime | None:
    """A WordPress date (``2024-03-05 10:15:00``) in ``zone``; None for ``0000-00-00…``."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=zone)
    except ValueError:
        return None


def plain_text(fragment: str) -> str:
    """An HTML fragment's text: tags out (blocks and line breaks as spaces), entities
    decoded, spaces collapsed."""
    fragment = _BLOCK_TAG.sub(" ", _COMMENT.sub(" ", fragment))
    return clean_text(_TAG.sub("", fragment))


def _first_words(content: str) -> str:
    """A title for an item without one: its first sentence, else its first clause, else
    its first words."""
    text = plain_text(_SHORTCODE.sub(" ", content))
    sentence = re.split(r"(?<=[.!?…])\s", text, maxsplit=1)[0].rstrip(".")
    if len(sentence.split()) <= TITLE_WORDS:
        return sentence
    clause = re.split(r"[,;:(]", sentence, maxsplit=1)[0].strip()
    if 3 <= len(clause.split()) <= TITLE_WORDS:
        return clause
    return " ".join(sentence.split()[:TITLE_WORDS]).rstrip(",;:") + "…"


def _uploads_path(url: str) -> str | None:
    """The path under ``wp-content/uploads/`` (``2024/03/photo.jpg``), or None."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    at = path.find(_UPLOADS)
    return path[at + len(_UPLOADS) :] if at >= 0 and path[at + len(_UPLOADS) :] else None


def uploads_key(url: str) -> str | None:
    relative = _uploads_path(url)
    return _SIZE_SUFFIX.sub("", relative).lower() if relative else None
