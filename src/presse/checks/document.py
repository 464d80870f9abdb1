"""One article file as the checks see it. Pure: no I/O.

:func:`read_document` splits the file, asks :func:`presse.parse.parse_article` to
validate the frontmatter (keeping its refusal, if any, as a finding to report)
and parses the body once with presse's own Markdown parser, so the rules see the
text after typography, with the line of every token.

:func:`article_facts` then boils a document down to the few picklable facts the
corpus rules compare between articles (slug, URL, links, publication…).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from presse.checks.inline import Block, blocks, children_with_lines
from presse.checks.near_duplicates import signature
from presse.config import SiteConfig
from presse.enrich import Visibility, is_local, is_published
from presse.errors import PresseError
from presse.foreign import ForeignSyntax
from presse.markdown import without_foreign_syntax
from presse.model import Article, BodyPhoto, SourceFile
from presse.parse import (
    FRONTMATTER_KEYS,
    article_from,
    body_first_line,
    split_frontmatter,
    typography_language,
)
from presse.photos import PhotoError, resolve_reference
from presse.sanitize import raw_html_report
from presse.slugs import slugify


@dataclass(frozen=True, slots=True)
class Document:
    """An article file whose frontmatter is valid YAML, parsed as far as it goes."""

    path: str  # relative to the site folder, POSIX style
    text: str  # the whole file
    meta: Mapping[str, Any]  # the frontmatter as written
    lines: Mapping[str, int]  # frontmatter key (or ``key[i]``) → file line
    body: str
    body_line: int  # file line of the body's first line (token maps count from it)
    tokens: tuple[Token, ...]  # the body, after presse's core rules (typography…)
    blocks: tuple[Block, ...]  # its inline runs (paragraphs, headings…) with lines and text
    article: Article | None  # None when parse_article refused the file
    refused: PresseError | None  # what parse_article refused, if anything
    config: SiteConfig
    language: str  # the typography's: the article's language, or the site's variant
    foreign: tuple[tuple[int, ForeignSyntax], ...]  # (file line, syntax) left out of the page
    photos: tuple[BodyPhoto, ...] = ()  # as written (not resolved), at their file line

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("", 1))


@dataclass(frozen=True, slots=True)
class Ref:
    """Something an article points at (a slug, a URL) and the line where it does."""

    target: str
    line: int


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the corpus rules need to know about one article file."""

    path: str
    slug: str | None  # for a refused file, the slug it would probably have
    slug_line: int
    url: str | None  # None when parse_article refused the file
    date: datetime | None
    hidden: str  # "" when published at the check time, else why not
    related: tuple[Ref, ...]
    links: tuple[Ref, ...]  # root-relative links of the body
    images: tuple[Ref, ...]  # root-relative image sources of the body
    image: Ref | None  # the frontmatter ``image`` when it is a local path
    section: str | None
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    body_line: int  # file line of the body's first block
    body_start: int  # offset of the body in the file's text
    signature: tuple[int, ...]  # MinHash of the body's word shingles, () when too short
    bundled: tuple[Ref, ...] = ()  # photos beside the article: their files from the site folder
    page: bool = False  # a page of the site (content/pages/), not news
    aliases: tuple[Ref, ...] = ()  # its old addresses, each answered by a redirect


def read_document(source: SourceFile, config: SiteConfig, md: MarkdownIt) -> Document:
    """Parse one file for the checks; raises PresseError only if the frontmatter is unreadable."""
    meta, lines, body = split_frontmatter(source)
    text = source.text
    known = {key: value for key, value in meta.items() if key in FRONTMATTER_KEYS}
    article: Article | None = None
    refused: PresseError | None = None
    if len(known) == len(meta) or not _keys_share_lines(meta, lines):
        # Unknown keys have their own rule; the rest is checked as the build would.
        # The body is parsed once, below, for the checks: the article gets none.
        try:
            article = article_from(source, known, lines, "", config, md)
        except PresseError as exc:
            refused = exc
    body_line = body_first_line(text, body)
    shown, foreign = without_foreign_syntax(md, body)
    lang = article.lang if article is not None else config.language
    language = typography_language(lang, config)
    env: dict[str, Any] = {"presse_language": language}
    tokens = tuple(md.parse(shown, env))
    photos = tuple(replace(p, line=body_line + p.line - 1) for p in env.get("presse_photos", ()))
    return Document(
        path=source.path.as_posix(),
        text=text,
        meta=meta,
        lines=lines,
        body=body,
        body_line=body_line,
        tokens=tokens,
        blocks=blocks(tokens, body_line),
        article=article,
        refused=refused,
        config=config,
        language=language,
        foreign=tuple((body_line + line, item) for line, item in foreign),
        photos=photos,
    )


def _keys_share_lines(meta: Mapping[str, Any], lines: Mapping[str, int]) -> bool:
    """Two keys on one line (a flow mapping). With unknown keys among them such a file has
    never been given an article for the corpus rules (they were cut out of the text line
    by line); kept so, and the unknown-key findings still point at the line."""
    key_lines = [lines[str(key)] for key in meta]
    return len(set(key_lines)) != len(key_lines)


def article_facts(doc: Document, now: datetime) -> ArticleFacts:
    """The facts about ``doc`` that other articles and the site's URLs are checked against."""
    article = doc.article
    links: list[Ref] = []
    images: list[Ref] = []
    for block in doc.blocks:
        for child, line in children_with_lines(block):
            target = child.attrGet("src" if child.type == "image" else "href")
            if isinstance(target, str) and is_local(target):
                (images if child.type == "image" else links).append(Ref(target, line))
    for fragment, line in raw_html(doc):
        report = raw_html_report(fragment, doc.config.allow_html)
        links += (Ref(href, line) for href in report.links if is_local(href))
        images += (Ref(src, line) for src, _ in report.images if is_local(src))
    bundled: list[Ref] = []
    if article is not None and article.image_file:
        bundled.append(Ref(article.image_file, doc.line_of("image")))
    for photo in doc.photos:
        try:
            reference, file = resolve_reference(
                photo.reference, article.url if article else "/", doc.path
            )
        except PhotoError:
            continue  # said by the photo rules
        if file:
            bundled.append(Ref(file, photo.line))
        elif is_local(reference):
            images.append(Ref(reference, photo.line))
    image = doc.meta.get("image")
    slug_key = "slug" if "slug" in doc.meta else "title"
    return ArticleFacts(
        path=doc.path,
        slug=article.slug if article else _probable_slug(doc.meta),
        slug_line=doc.line_of(slug_key),
        url=article.url if article else None,
        date=article.date if article else None,
        hidden=_hidden(article, now) if article else "",
        related=tuple(_refs(doc, "related")),
        links=tuple(links),
        images=tuple(images),
        image=(
            Ref(image, doc.line_of("image")) if isinstance(image, str) and is_local(image) else None
        ),
        bundled=tuple(bundled),
        page=article.page if article else False,
        aliases=tuple(Ref(a, doc.line_of(f"aliases[{i}]")) for i, a in enumerate(article.aliases))
        if article
        else (),
        section=article.section if article else None,
        tags=article.tags if article else (),
        authors=article.authors if article else (),
        body_line=doc.body_line + next((t.map[0] for t in doc.tokens if t.map), 0),
        body_start=len(doc.text) - len(doc.body),
        signature=signature(doc.body),
    )


def raw_html(doc: Document) -> list[tuple[str, int]]:
    """Every fragment of raw HTML in the body (a block, or one inline tag) and its line."""
    found: list[tuple[str, int]] = []
    for token in doc.tokens:
        if token.type == "html_block":
            found.append((token.content, doc.body_line + (token.map[0] if token.map else 0)))
    for block in doc.blocks:
        found += (
            (child.content, line)
            for child, line in children_with_lines(block)
            if child.type == "html_inline"
        )
    return sorted(found, key=lambda item: item[1])


def _hidden(article: Article, now: datetime) -> str:
    """Why ``article`` is not published at ``now`` ("" when it is)."""
    if is_published(article, Visibility(now=now)):
        return ""
    if article.draft:
        return "it is a draft"
    if article.date > now:
        return f"it is embargoed until {article.date.isoformat()}"
    assert article.expires is not None
    return f"it expired on {article.expires.isoformat()}"


def _probable_slug(meta: Mapping[str, Any]) -> str | None:
    """The slug a refused file would most likely get, so others' references to it hold."""
    slug, title = meta.get("slug"), meta.get("title")
    if isinstance(slug, str) and slug.strip():
        return slug.strip()
    if isinstance(title, str):
        return slugify(title) or None
    return None


def _refs(doc: Document, key: str) -> list[Ref]:
    """A frontmatter list of texts (or a single text) with the line of each item."""
    value = doc.meta.get(key)
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [
        Ref(" ".join(str(item).split()), doc.line_of(f"{key}[{i}]" if items is value else key))
        for i, item in enumerate(items)
        if isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip()
    ]
