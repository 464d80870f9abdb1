"""``presse import export.xml``: a WordPress export (WXR, the file of Tools → Export) read
as presse articles and pages, streamed; what each item becomes is
:mod:`presse.wordpress_item`'s job. It reads the export; it writes nothing
(:mod:`presse.import_writer` does).

**Streamed.** A newsroom's export may weigh hundreds of megabytes: it is read twice with
``lxml.etree.iterparse``, each element cleared once read and the ones before it deleted,
so memory does not grow with the file. The first pass keeps only what items refer to
(authors, categories, and each attachment's address, alt text, caption and title, which
may come after the posts that show them); the second yields one item at a time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from presse.config import SiteConfig
from presse.errors import PresseError
from presse.imports import Imported, ImportedAuthor
from presse.wording import counted
from presse.wordpress_item import (
    Attachment,
    Channel,
    Item,
    ItemMapper,
    clean_text,
    plain_text,
    uploads_key,
)

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
HEAD_BYTES = 4096


def is_wordpress_export(head: bytes) -> bool:
    """An RSS document declaring WordPress's export namespace, from its first kilobytes."""
    text = head[:HEAD_BYTES].decode("utf-8", "replace")
    return "<rss" in text and "wordpress.org/export/" in text


class WordPressExport:
    """A WXR file as an :class:`presse.imports.ImportSource`."""

    def __init__(self, path: Path, config: SiteConfig, media: Path | None = None) -> None:
        self.path = path
        self.config = config
        self.media = media
        self._mapper = ItemMapper(path.name, config, media)

    def items(self) -> Iterator[Imported]:
        try:
            with self.path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
        except OSError as exc:
            raise PresseError(f"cannot read: {exc.strerror}", self.path) from None
        if not is_wordpress_export(head):
            raise PresseError(
                "is not a WordPress export (expected the XML file of Tools → Export, an RSS"
                ' document with the "wordpress.org/export/" namespace)',
                self.path,
                1,
            )
        channel = self._channel()
        for element in self._elements(("item",)):
            imported = self._mapper.imported(_read_item(element), channel)
            if imported is not None:
                yield imported

    def authors(self) -> tuple[ImportedAuthor, ...]:
        return tuple(self._mapper.authors.values())

    def summary(self) -> tuple[str, ...]:
        t = self._mapper.tally
        lines = [
            f"{self.path.name}: {counted(t.articles, 'article')} ({t.drafts} of them drafts),"
            f" {counted(t.pages, 'page')} read"
        ]
        lines += [f"private, not imported: {entry}" for entry in t.private]
        if t.statuses:
            lines.append("not imported, by status: " + _counts(t.statuses))
        if t.types:
            lines.append("not articles or pages, not imported: " + _counts(t.types))
        if t.comments:
            lines.append(f"{counted(t.comments, 'approved comment')} not imported")
        if t.remote:
            where = "not found in the media folder" if self.media else "no --media folder given"
            lines.append(f"{counted(t.remote, 'image')} left on the old site ({where})")
        if t.made_up_alt:
            lines.append(f"{counted(t.made_up_alt, 'alt text')} made up, to review")
        return tuple(lines)

    # --- reading ------------------------------------------------------------------------

    def _elements(self, tags: tuple[str, ...]) -> Iterator[Any]:
        """The channel's elements of these tags, each cleared once the caller is done."""
        try:
            for _, element in etree.iterparse(
                str(self.path),
                events=("end",),
                tag=tags,
                huge_tree=True,
                resolve_entities=False,
                no_network=True,
            ):
                parent = element.getparent()
                if parent is None or parent.tag != "channel":
                    continue  # an item's own <category>: read with its item
                yield element
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            raise PresseError(f"is not well-formed XML: {exc.msg}", self.path, exc.lineno) from None
        except OSError as exc:
            raise PresseError(f"cannot read: {exc.strerror}", self.path) from None

    def _channel(self) -> Channel:
        """The first pass: authors, categories, attachments; nothing of the posts."""
        base = ""
        authors: dict[str, str] = {}
        categories: dict[str, str] = {}
        attachments: dict[int, Attachment] = {}
        by_file: dict[str, int] = {}
        tags = ("item", "{*}author", "{*}category", "{*}base_site_url", "{*}base_blog_url")
        for element in self._elements(tags):
            name = etree.QName(element).localname
            if name == "item":
                found = _attachment(element)
                if found is not None:
                    number, attachment = found
                    attachments[number] = attachment
                    key = uploads_key(attachment.url)
                    if key:
                        by_file[key] = number
            elif name == "author":
                values = _children(element)
                login = values.get("author_login", "").strip()
                if login:
                    authors[login] = clean_text(values.get("author_display_name", "")) or login
            elif name == "category":
                values = _children(element)
                categories[values.get("term_id", "").strip()] = values.get(
                    "category_nicename", ""
                ).strip()
            elif not base or name == "base_blog_url":
                base = (element.text or "").strip().rstrip("/")
        return Channel(base, authors, categories, attachments, by_file)


# --- reading elements ------------------------------------------------------------------


def _local(tag: Any) -> tuple[str, str]:
    """(namespace, local name) of an element's tag; ("", "") for a comment."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _children(element: Any) -> dict[str, str]:
    return {_local(child.tag)[1]: child.text or "" for child in element}


def _meta(element: Any) -> tuple[str, str]:
    values = _children(element)
    return values.get("meta_key", "").strip(), values.get("meta_value", "")


def _read_item(element: Any) -> Item:
    fields: dict[str, str] = {}
    content = excerpt = ""
    terms: list[tuple[str, str, str]] = []
    meta: dict[str, str] = {}
    comments = 0
    for child in element:
        namespace, name = _local(child.tag)
        if name == "encoded":
            if namespace == CONTENT_NS:
                content = child.text or ""
            else:
                excerpt = child.text or ""
        elif name == "category" and not namespace:
            terms.append((child.get("domain", ""), child.get("nicename", ""), child.text or ""))
        elif name == "postmeta":
            key, value = _meta(child)
            meta[key] = value
        elif name == "comment":
            comments += _children(child).get("comment_approved", "").strip() == "1"
        elif name:
            fields[name] = child.text or ""
    return Item(fields, content, excerpt, tuple(terms), meta, comments)


def _attachment(element: Any) -> tuple[int, Attachment] | None:
    """An attachment's id and what posts need of it; None for any other item."""
    values: dict[str, str] = {}
    alt = caption = ""
    for child in element:
        namespace, name = _local(child.tag)
        if name in ("post_type", "post_id", "attachment_url", "title", "guid"):
            values[name] = (child.text or "").strip()
        elif name == "encoded" and namespace != CONTENT_NS:
            caption = plain_text(child.text or "")
        elif name == "postmeta":
            key, value = _meta(child)
            if key == "_wp_attachment_image_alt":
                alt = clean_text(value)
    if values.get("post_type") != "attachment" or not values.get("post_id", "").isdigit():
        return None
    url = values.get("attachment_url") or values.get("guid", "")
    title = clean_text(values.get("title", ""))
    return int(values["post_id"]), Attachment(url, alt, caption, title)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} ({n})" for name, n in sorted(counter.items()))
