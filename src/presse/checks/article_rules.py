"""Rules that look at one article file at a time. Pure: no I/O.

Each rule takes a :class:`~presse.checks.document.Document` and yields findings;
:data:`ARTICLE_RULES` lists them in the order a reader of the article meets the
problems: frontmatter first, then the body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from presse.checks.document import Document, raw_html
from presse.checks.findings import Finding, error, warning
from presse.checks.inline import children_with_lines
from presse.checks.typography_rules import french_spacing, straight_quotes, unbalanced_guillemets
from presse.embeds import find_embed
from presse.parse import FRONTMATTER_KEYS, unknown_key_message
from presse.photos import PhotoError, alternative_text, resolve_reference
from presse.sanitize import raw_html_report

ArticleRule = Callable[[Document], Iterable[Finding]]

TITLE_MAX = 110  # characters Google News shows of a headline
PARAGRAPH_MIN = 40  # shorter paragraphs ("– Sam Altman") may repeat on purpose
REPEAT_WORDS = 30  # a lone repeat in another section this long is still an accident


def frontmatter_refused(doc: Document) -> Iterator[Finding]:
    """What the build refuses (bad date, bad slug…) fails the build: say it before publishing."""
    if doc.refused is not None:
        yield error(doc.path, doc.refused.line or 1, "frontmatter", doc.refused.message)


def unknown_keys(doc: Document) -> Iterator[Finding]:
    """A misspelt key is silently ignored data: ``draf: true`` would publish a draft."""
    for key in doc.meta:
        if key in FRONTMATTER_KEYS:
            continue
        yield error(doc.path, doc.line_of(str(key)), "unknown-key", unknown_key_message(key))


def image_alt(doc: Document) -> Iterator[Finding]:
    """An image without a text alternative is lost on blind readers and on search engines
    (a photo that only decorates says so: ``décorative``)."""
    image = doc.meta.get("image")
    refused_here = doc.refused is not None and doc.refused.line in (
        doc.line_of("image"),
        doc.line_of("image_alt"),
    )
    if (
        image
        and alternative_text(str(doc.meta.get("image_alt") or "")) is None
        and not refused_here
    ):
        yield error(
            doc.path,
            doc.line_of("image"),
            "image-alt",
            f'image "{image}" has no "image_alt": describe it for readers who cannot see it',
        )
    for photo in doc.photos:
        if alternative_text(photo.alt) is None:
            yield error(
                doc.path,
                photo.line,
                "image-alt",
                f'photo "{photo.reference}" has no alt text: write ![what it shows]'
                f"({photo.reference}), or ![décorative]({photo.reference}) if it only decorates",
            )
    for block in doc.blocks:
        for child, line in children_with_lines(block):
            if child.type == "image" and not child.content.strip():
                src = child.attrGet("src")
                yield error(
                    doc.path,
                    line,
                    "image-alt",
                    f'image "{src}" has an empty alt text: write ![what it shows]({src})',
                )


def photo_paths(doc: Document) -> Iterator[Finding]:
    """A photo's relative path may only go down from the article's folder: anything else
    would publish a file from outside the content."""
    for photo in doc.photos:
        try:
            resolve_reference(photo.reference, "/", doc.path)
        except PhotoError as exc:
            yield error(doc.path, photo.line, "photo-path", str(exc))


def raw_html_dropped(doc: Document) -> Iterator[Finding]:
    """Raw HTML the sanitizer leaves out would vanish from the page without a word."""
    level = doc.config.allow_html
    if level == "all":
        return
    for fragment, line in raw_html(doc):
        report = raw_html_report(fragment, level)
        if level == "none":
            if fragment.strip() and not fragment.lstrip().startswith("<!--"):
                yield warning(
                    doc.path, line, "raw-html",
                    'raw HTML is left out of the page (allow_html = "none")',
                )  # fmt: skip
            continue
        for dropped in report.dropped:
            yield warning(doc.path, line, "raw-html", f"{dropped} is left out of the page")
        for src, alt in report.images:
            if not (alt or "").strip():
                yield error(
                    doc.path, line, "image-alt",
                    f'image "{src}" has no alt text: add alt="what it shows"',
                )  # fmt: skip
        for src, title in report.iframes:
            address = f"https:{src}" if src.startswith("//") else src
            if find_embed(address, doc.config.embeds, title or "") is None:
                yield warning(
                    doc.path, line, "embed",
                    f'iframe "{src}" is from no known embed provider: it is left out of the'
                    " page (add the provider under [embeds] in presse.toml, or link to it)",
                )  # fmt: skip


def foreign_syntax(doc: Document) -> Iterator[Finding]:
    """Liquid tags and Hugo shortcodes would show as text: presse leaves them out."""
    for line, item in doc.foreign:
        name = f' "{item.name}"' if item.name else ""
        advice = item.advice()
        yield warning(
            doc.path,
            line,
            "foreign-syntax",
            f"template syntax from another generator ({item.kind}{name}) is left out of the"
            f" page{': ' + advice if advice else ''}",
        )


def title_length(doc: Document) -> Iterator[Finding]:
    """Google News cuts headlines past 110 characters: the end of the headline is lost."""
    title = doc.article.title if doc.article else doc.meta.get("title")
    if isinstance(title, str) and len(title) > TITLE_MAX:
        yield warning(
            doc.path,
            doc.line_of("title"),
            "title-length",
            f"headline is {len(title)} characters long; Google News shows at most {TITLE_MAX}",
        )


def summary_missing(doc: Document) -> Iterator[Finding]:
    """Without a chapô, pages and shares fall back on the first paragraph, rarely a summary."""
    if not str(doc.meta.get("summary") or "").strip():
        yield warning(
            doc.path,
            doc.line_of(""),
            "summary-missing",
            'no "summary" (chapô): pages and shares will describe the article by its first'
            " paragraph",
        )


def heading_skip(doc: Document) -> Iterator[Finding]:
    """Skipped heading levels break the outline screen readers and search engines navigate by."""
    previous = 1  # the headline is the page's h1
    for token in doc.tokens:
        if token.type != "heading_open":
            continue
        level = int((token.meta or {}).get("written_level") or token.tag[1])
        line = doc.body_line + (token.map[0] if token.map else 0)
        if level == 1:
            yield warning(
                doc.path,
                line,
                "heading-skip",
                "h1 in the body: the headline is the page's h1, start sections at ## (h2)",
            )
        elif level > previous + 1:
            yield warning(
                doc.path,
                line,
                "heading-skip",
                f"h{level} follows h{previous}: heading levels skip "
                f"(use {'#' * (previous + 1)} for an h{previous + 1})",
            )
        previous = level


def duplicate_paragraphs(doc: Document) -> Iterator[Finding]:
    """A paragraph printed twice is a copy-paste accident readers notice at once.

    Not every repeat is one: a tutorial or a guide repeats a short sentence on purpose in
    parallel sections. A lone repeated paragraph under another heading than its original
    is reported only if it is long (:data:`REPEAT_WORDS` words); a run of repeated
    paragraphs, or a repeat within one section, always is."""
    seen: dict[str, int] = {}  # paragraph text → its index in ``lines``
    lines: list[int] = []
    sections: list[int] = []  # the section (count of headings before) of each paragraph
    words: list[int] = []
    repeats: list[tuple[int, int]] = []  # (index of the repeat, index of the original)
    section = 0
    for block in doc.blocks:
        if block.kind == "heading_open":
            section += 1
        text = " ".join(block.inline.content.split())
        if block.kind != "paragraph_open" or len(text) < PARAGRAPH_MIN:
            continue
        lines.append(block.line)
        sections.append(section)
        words.append(len(text.split()))
        if text in seen:
            repeats.append((len(lines) - 1, seen[text]))
        else:
            seen[text] = len(lines) - 1
    for run in _runs(repeats):
        if len(run) == 1:
            repeat, original = run[0]
            if sections[repeat] != sections[original] and words[repeat] < REPEAT_WORDS:
                continue
        for n, (repeat, original) in enumerate(run):
            message = f"paragraph repeats the one at line {lines[original]}"
            if n == 0 and len(run) > 1:
                message += (
                    f" (first of a repeated run of {len(run)} paragraphs:"
                    f" lines {lines[original]}–{lines[run[-1][1]]}"
                    f" repeated at lines {lines[repeat]}–{lines[run[-1][0]]})"
                )
            yield warning(doc.path, lines[repeat], "duplicate-paragraph", message)


def _runs(repeats: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group repeats whose paragraphs and originals both follow each other."""
    runs: list[list[tuple[int, int]]] = []
    for repeat, original in repeats:
        if runs and runs[-1][-1] == (repeat - 1, original - 1):
            runs[-1].append((repeat, original))
        else:
            runs.append([(repeat, original)])
    return runs


ARTICLE_RULES: tuple[ArticleRule, ...] = (
    frontmatter_refused,  # [frontmatter]
    unknown_keys,  # [unknown-key]
    title_length,  # [title-length]
    summary_missing,  # [summary-missing]
    image_alt,  # [image-alt]
    photo_paths,  # [photo-path]
    raw_html_dropped,  # [raw-html] [image-alt] [embed]
    foreign_syntax,  # [foreign-syntax]
    heading_skip,  # [heading-skip]
    duplicate_paragraphs,  # [duplicate-paragraph]
    straight_quotes,  # [straight-quote]
    french_spacing,  # [french-spacing]
    unbalanced_guillemets,  # [unbalanced-guillemets]
)
