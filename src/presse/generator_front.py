"""One file of the old site as a presse item: its front matter (YAML ``---``, TOML
``+++`` or JSON ``{``) mapped to presse's keys, its body converted
(:mod:`presse.generator_bodies`), and what was done, for the report. Reads the file
(its text, its last change) and a page bundle's folder.

=========================================== ============================================
theirs                                      presse
=========================================== ============================================
``title`` (none: from the file name)        ``title``
``date``, ``publishDate``, ``pubdate``,     ``date`` (ISO 8601)
``published``; else a Jekyll file name's;
else the file's last change (reported)
``lastmod``, ``last_modified_at``,          ``updated``; left out (and reported) when
``updated``, ``modified``                   earlier than the date, or no date
``expiryDate``, ``unpublishDate``           ``expires``
``description``, ``excerpt``, ``summary``   ``summary``
``author``, ``authors`` (text or list)      ``authors``, each name as written
``categories`` (``category``)               the first is the ``section``, the others
                                            join the ``tags``
``tags``, ``keywords``                      ``tags``
``draft: true``, ``published: false``,      ``draft: true``
``_drafts/``, a Jekyll name starting with _
``slug``, else the file name's              ``slug``, made valid
``aliases``, ``redirect_from``,             ``aliases``: paths of the old site, so that
``permalink``, ``url``, and the address     its links keep working
the old site's pattern gave it              (:mod:`presse.generator_urls`)
``image``, ``featured_image``, ``cover``,   ``image``, ``image_caption``, and
``images[0]``; ``image_alt``, ``alt``       ``image_alt``: when none is given, the
                                            body's description of the same image, else
                                            the title, for a person to review
``lang`` (Hugo: also ``about.en.md``)       ``lang``
the file's path in the folder               ``id``: ``jekyll:_posts/…``, ``hugo:…``
=========================================== ============================================

Any other key (``layout``, ``comments``, ``toc``, ``weight``…) is left out and reported.
A Jekyll page is a page when its layout is ``page`` (or unset); with another layout (a
tag archive, a home page) it is a template of the old site, not copy, and is left out.
A Hugo file with ``type: page`` is a page wherever it is; a plain folder's file with no
date at all is one too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from presse.config import SiteConfig
from presse.errors import PresseError
from presse.generator_bodies import (
    BASE_OUTPUT,
    body_images,
    convert_body,
    is_relative_path,
    plain,
)
from presse.generator_site import MARKDOWN, File, Site, iso_date, read_toml, walk
from presse.generator_urls import item_aliases, new_url, old_url
from presse.imports import Imported, Media
from presse.links import has_scheme
from presse.model import SourceFile
from presse.parse import MAX_YEAR, MIN_YEAR, body_first_line, parse_date, split_frontmatter
from presse.slugs import is_safe_link, is_site_path, slugify
from presse.sources import decode_source

_PHOTOS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".tif", ".tiff")
# Front matter keys read, lowercase (Hugo's keys are case-insensitive); where a rule
# reads several, the first with a value wins and the others are reported.
_DATE_KEYS = ("date", "publishdate", "pubdate", "published")
_UPDATED_KEYS = ("lastmod", "last_modified_at", "updated", "modified")
_EXPIRES_KEYS = ("expirydate", "unpublishdate")
_SUMMARY_KEYS = ("description", "excerpt", "summary")
_IMAGE_KEYS = ("image", "featured_image", "cover", "images")
_READ = frozenset(
    ("title", *_DATE_KEYS, *_UPDATED_KEYS, *_EXPIRES_KEYS, *_SUMMARY_KEYS, *_IMAGE_KEYS,
     "image_alt", "alt", "author", "authors", "categories", "category", "tags", "keywords",
     "draft", "slug", "aliases", "redirect_from", "permalink", "url", "lang")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tally:
    """What one item adds to the import's summary."""

    ignored: tuple[str, ...] = ()  # front matter keys left out, as written
    template: Mapping[str, int] = field(default_factory=dict)  # template code, by kind
    reviews: int = 0  # images whose description stands in for a missing one
    site_images: tuple[str, ...] = ()  # /paths of images the old site served
    old_url: str = ""  # the address the old site gave it, kept as an alias
    unknown: str = ""  # a placeholder of the old pattern this importer cannot fill
    refused: tuple[str, ...] = ()  # aliases presse cannot redirect from


def read_item(file: File, site: Site, config: SiteConfig) -> tuple[Imported, Tally] | str:
    """One file as an item, or why it is none (a template of the old site, say)."""
    shown = site.root / file.rel
    text = decode_source(file.path.read_bytes(), shown)
    split = _split(SourceFile.of_text(shown, text))
    if split is None and file.place in ("jekyll-page", "loose"):
        return "Markdown file without front matter"  # Jekyll copies it as it is
    front, body = split or (_Front({}, {}, {}, shown), text)
    if file.place == "loose" and text.startswith("+++"):
        file = replace(file, generator="hugo")  # dated by its name, but Hugo's
    layout = front.get("layout")
    if file.place == "jekyll-page" and layout not in (None, "page"):
        return f'layout "{layout}" (a template of the old site, not copy)'
    return _item(file, front, body, text, site, config)


# --- the front matter, as written ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Front:
    """A file's front matter: values by lowercase key, each key's line and spelling."""

    values: Mapping[str, Any]
    lines: Mapping[str, int]
    written: Mapping[str, str]  # lowercase → as written
    path: Path

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def err(self, message: str, key: str = "") -> PresseError:
        return PresseError(message, self.path, self.lines.get(key, 1))

    def text(self, key: str) -> str:
        """A text field, spaces normalised ("" when absent)."""
        value = self.values.get(key)
        if value is None or value is False:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.err(f'"{self.written[key]}" must be text', key)
        return " ".join(str(value).split())

    def texts(self, key: str, *, words: bool = False, commas: bool = False) -> list[str]:
        """A list field (or one text) as texts. Jekyll splits one text of tags or
        categories at spaces (``words``); keywords are often one text with commas."""
        value = self.values.get(key)
        result: list[str] = []
        for item in value if isinstance(value, list) else [] if value is None else [value]:
            if isinstance(item, dict):  # an author as {name: …, twitter: …}
                item = item.get("name") or item.get("title")
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.err(f'"{self.written[key]}" must be texts', key)
            parts = str(item).split() if words and isinstance(value, str) else [str(item)]
            parts = [p for part in parts for p in (part.split(",") if commas else [part])]
            result += [t for t in (" ".join(p.split()) for p in parts) if t and t not in result]
        return result

    def date(self, key: str) -> str:
        value = self.values.get(key)
        text = iso_date(value)
        if text is None:
            message = (
                f'{self.written[key]} "{value}" is not a date (expected YYYY-MM-DD or ISO 8601)'
            )
            raise self.err(message, key)
        if not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
            raise self.err(f'{self.written[key]} "{value}" is out of range', key)
        return text


def _split(source: SourceFile) -> tuple[_Front, str] | None:
    """The front matter (YAML ``---``, TOML ``+++`` or JSON ``{``) and the body after its
    closing line; None for a file with none."""
    text = source.text
    if text.startswith("+++"):
        rows = text.split("\n")
        end = next((i for i in range(1, len(rows)) if rows[i].rstrip() == "+++"), None)
        if end is None:
            raise PresseError('front matter is not closed by a "+++" line', source.path, 1)
        head = "\n".join(rows[1:end])
        meta: dict[str, Any] = read_toml(head, source.path, 1)
        at = {k: _toml_line(head, k) + 1 for k in meta}
        body = "\n".join(rows[end + 1 :])
    elif text.startswith("---"):
        meta, found, body = split_frontmatter(source)  # presse's own safe reading
        body = body.removeprefix("\n")  # the end of the closing "---" line
        at = {str(k): v for k, v in found.items()}
    elif text.startswith("{"):
        try:
            meta, end_at = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            message = f"invalid JSON front matter: {exc.msg}"
            raise PresseError(message, source.path, exc.lineno) from None
        if not isinstance(meta, dict):
            raise PresseError("front matter must be a mapping", source.path, 1)
        at = {k: text.count("\n", 0, max(text.find(f'"{k}"'), 0)) + 1 for k in meta}
        body = text[end_at:].removeprefix("\n")
    else:
        return None
    written = {str(k).lower(): str(k) for k in meta}
    lines = {low: at.get(key, 1) for low, key in written.items()}
    values = {str(k).lower(): v for k, v in meta.items()}
    return _Front(values, lines, written, source.path), body


def _toml_line(head: str, key: str) -> int:
    """The line (1-based in ``head``) where a top-level TOML key or table starts."""
    name = re.escape(key)
    found = re.search(rf'^\s*(?:\[\s*)?(?:"{name}"|{name})\s*[=\]]', head, re.MULTILINE)
    return head.count("\n", 0, found.start()) + 1 if found else 1


# --- mapped to presse's keys -----------------------------------------------------------


@dataclass(slots=True)
class _Notes:
    """What reading one file noticed, for the report (filled in as it is read)."""

    front: _Front
    recognised: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    reviews: int = 0

    def choose(self, keys: tuple[str, ...]) -> str:
        """The first of ``keys`` with a value ("" if none); the others are reported."""
        given = [k for k in keys if _given(self.front.get(k))]
        for key in given[1:]:
            self.ignore(key, f' ("{self.front.written[given[0]]}" kept)')
        return given[0] if given else ""

    def ignore(self, key: str, why: str = "") -> None:
        self.ignored.append(self.front.written[key])
        self.dropped.append(f'key "{self.front.written[key]}" dropped{why}')


def _given(value: object) -> bool:
    return value not in (None, "", []) and not isinstance(value, bool)


def _item(
    file: File, front: _Front, body: str, text: str, site: Site, config: SiteConfig
) -> tuple[Imported, Tally]:
    """One file's front matter mapped to presse's keys (the module's table), its body's
    template code converted or reported."""
    notes = _Notes(front)
    jekyll = file.generator == "jekyll"
    typed = not jekyll and str(front.get("type")).lower() == "page"
    page = file.place in ("page", "jekyll-page") or typed
    title = front.text("title")
    if not title:
        title = " ".join(file.name_slug.replace("_", "-").split("-")).capitalize() or "Sans titre"
        notes.dropped.append(f'no title: "{title}", made from the file name, to review')
    key = notes.choose(_DATE_KEYS)
    when = front.date(key) if key else file.name_date
    if not when and file.place == "loose":
        page = True  # a plain folder's file with no date at all
    elif not when and not page:
        changed = datetime.fromtimestamp(file.path.stat().st_mtime, tz=config.tzinfo)
        when = changed.isoformat(timespec="seconds")
        notes.dropped.append(f"no date: the file's last change is its date ({when})")
    published = parse_date(when, config) if when else None
    updated = _later(notes, _UPDATED_KEYS, published, config)
    expires = _later(notes, _EXPIRES_KEYS, published, config)
    summary = front.text(key) if (key := notes.choose(_SUMMARY_KEYS)) else ""

    categories, section, tags = _topics(notes, jekyll)
    draft = file.draft or str(front.get("draft")).lower() == "true"
    draft = draft or str(front.get("published")).lower() == "false"
    written_slug = front.text("slug")
    slug = slugify(written_slug) or slugify(file.name_slug) or slugify(title)
    if not slug:
        raise front.err(f'cannot make a slug from "{file.path.name}": add a "slug" field', "slug")
    fixed = front.text("permalink") or front.text("url")
    old, unknown = (
        ("", "")
        if draft
        else old_url(file, site, fixed, written_slug, title, when, categories, page)
    )
    new = new_url(config, None if page else published, slug, section)
    aliases, refused = item_aliases(front.texts("aliases") + front.texts("redirect_from"), old, new)
    notes.dropped += [f'alias "{a}" dropped: an alias {problem}' for a, problem in refused.items()]
    if old in aliases:
        notes.recognised.append(f"old address {old} kept as an alias")

    media = _bundle_media(file, notes)
    image, image_alt, caption = _image(file, front, body, title, media, notes)
    for key in front.written:
        if key not in _READ and not (key == "type" and typed):
            notes.ignore(key)
    converted = convert_body(body, body_first_line(text, body), title)
    authors = list(dict.fromkeys(front.texts("author") + front.texts("authors")))
    optional = {
        "date": when, "updated": updated, "authors": authors, "section": section,
        "tags": tags, "summary": summary, "slug": slug, "image": image,
        "image_alt": image_alt, "image_caption": caption, "draft": draft, "expires": expires,
        "lang": front.text("lang") or file.lang, "aliases": aliases,
    }  # fmt: skip
    out = {"title": title, **{k: v for k, v in optional.items() if v}}
    out["id"] = f"{file.generator}:{file.rel.as_posix()}"
    item = Imported(
        origin=file.rel.as_posix(),
        slug=slug,
        year=published.astimezone(config.tzinfo).year if published is not None else 0,
        page=page,
        front=out,
        body=converted.text,
        media=media,
        recognised=(*notes.recognised, *converted.recognised),
        dropped=(*notes.dropped, *converted.dropped),
    )
    site_images = [image, *(src for src, _ in body_images(converted.text))]
    return item, Tally(
        ignored=tuple(notes.ignored),
        template=converted.counts,
        reviews=notes.reviews + converted.reviews,
        site_images=tuple(p for p in site_images if is_site_path(p)),
        old_url=old if old in aliases else "",
        unknown=unknown,
        refused=tuple(refused),
    )


def _topics(notes: _Notes, jekyll: bool) -> tuple[list[str], str, list[str]]:
    """The categories, the section (the first category: presse has one section an
    article) and the tags (tags, keywords and the other categories)."""
    front = notes.front
    categories = front.texts("category", words=jekyll) + front.texts("categories", words=jekyll)
    categories = list(dict.fromkeys(categories))
    section = next((c for c in categories if slugify(c)), "")
    tags = front.texts("tags", words=jekyll) + front.texts("keywords", commas=True)
    tags = [t for t in dict.fromkeys([*tags, *categories]) if t != section]
    for tag in [t for t in tags if not slugify(t)]:
        tags.remove(tag)
        notes.dropped.append(f'tag "{tag}" dropped: it has no letter or digit')
    if section:
        rest = ", ".join(f'"{c}"' for c in categories if c != section)
        moved = f", {rest} → tags" if rest else ""
        notes.recognised.append(f'categories: "{section}" → section{moved}')
    return categories, section, tags


def _later(
    notes: _Notes, keys: tuple[str, ...], published: datetime | None, config: SiteConfig
) -> str:
    """``updated`` or ``expires``: a date after the article's. One before it, or no date
    at all, is left out and reported (an ``updated`` equal to it says nothing: left out
    quietly); the article itself stays."""
    key = notes.choose(keys)
    if not key:
        return ""
    value, written = notes.front.get(key), notes.front.written[key]
    text = iso_date(value)
    if text is None or not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
        notes.dropped.append(f'"{written}" ({value}) is not a date: dropped')
        return ""
    moment = parse_date(text, config)
    if published is None or moment is None or moment > published:
        return text
    if moment < published or keys is _EXPIRES_KEYS:
        word = "earlier than" if moment < published else "the same as"
        notes.dropped.append(f'"{written}" ({text}) is {word} the date: dropped')
    return ""


def _image(
    file: File, front: _Front, body: str, title: str, media: tuple[Media, ...], notes: _Notes
) -> tuple[str, str, str]:
    """The lead image, its description and its caption ("" each when there is none).

    presse wants every photo described, and an empty description would say it only
    decorates: an image without ``image_alt`` (or ``alt``) takes the description the
    body gives the same image, else the title, for a person to review."""
    value = front.get(notes.choose(_IMAGE_KEYS))
    value = (value or [None])[0] if isinstance(value, list) else value
    reference, alt, caption = "", "", ""
    if isinstance(value, dict):  # cover: {image: …, alt: …, caption: …}
        found = (value.get(k) for k in ("path", "image", "src", "url", "feature"))
        reference = next((v for v in found if isinstance(v, str) and v), "")
        alt = str(value.get("alt") or "")
        caption = plain(str(value.get("caption") or ""))
    elif isinstance(value, str):
        reference = value
    reference = BASE_OUTPUT.sub("", reference).strip()
    if reference and not has_scheme(reference) and not reference.startswith("/"):
        beside = any(m.name == reference.removeprefix("./") for m in media)
        reference = reference.removeprefix("./") if beside else "/" + reference.lstrip("./")
    if reference and not (is_safe_link(reference) or is_relative_path(reference)):
        notes.dropped.append(
            f'image "{reference}" dropped: neither a path of the site nor an http(s) address'
        )
        return "", "", ""
    alt = " ".join((alt or front.text("image_alt") or front.text("alt")).split())
    if reference and not alt:
        alt = _body_alt(body, reference)
        if alt:
            notes.recognised.append("the lead image's alt text taken from the body")
        else:
            alt, notes.reviews = title, notes.reviews + 1
            notes.dropped.append(
                f'image "{reference}" has no alt text: the title stands in, to review'
            )
    return (reference, alt, caption) if reference else ("", "", "")


def _body_alt(body: str, reference: str) -> str:
    """What the body says the image shows, where it shows the same image."""
    found = (alt for src, alt in body_images(body) if src == reference and alt.strip())
    return " ".join(next(found, "").split())


def _bundle_media(file: File, notes: _Notes) -> tuple[Media, ...]:
    """A page bundle's images, to be copied beside the article; its other files stay."""
    if file.bundle is None:
        return ()
    media: list[Media] = []
    for path in walk(file.bundle, lambda rel: False):
        name = path.relative_to(file.bundle).as_posix()
        if path.suffix.lower() in _PHOTOS:
            media.append(Media(str(path), name))
        elif path.suffix.lower() not in MARKDOWN:
            notes.dropped.append(f'file "{name}" of the article\'s folder not copied')
    return tuple(media)
