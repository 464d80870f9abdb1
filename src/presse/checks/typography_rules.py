"""Typography the presse rules could not fix safely, found in the text readers see. Pure.

These rules run after :mod:`presse.typography` (through the parser's
``presse_typography`` rule): whatever is still wrong is what the author must fix
by hand, because guessing would risk breaking a ratio, a time or a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from presse.checks.document import Document
from presse.checks.findings import Finding, warning
from presse.checks.inline import Block, line_at

# ``;:!?`` between two letters (not digits: 14:30, 3:2 are fine).
_GLUED = re.compile(r"[;:!?](?<=[^\W\d_].)(?=[^\W\d_])")
_LETTERS = re.compile(r"[^\W\d_]+")
# URLs and e-mail addresses: typography leaves them alone, so do these rules.
_URLISH = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bmailto:|\bwww\.)\S+|\S+@\S+", re.IGNORECASE)
# A « not followed by a space, a » not preceded by one (typography leaves a » that opens
# a paragraph, or a « that ends one).
_UNSPACED_GUILLEMET = re.compile(r"«(?!\s)|»(?<!\s.)")
_BLOCK_NAMES = {"heading_open": "heading", "th_open": "table cell", "td_open": "table cell"}
# Frontmatter texts readers see, for the guillemet count.
_TEXT_KEYS = (
    "title", "summary", "image_alt", "image_credit", "image_caption", "section", "authors", "tags",
)  # fmt: skip


def straight_quotes(doc: Document) -> Iterator[Finding]:
    """A straight " left after typography is a quotation never closed, or a missed «»."""
    for block in doc.blocks:
        for run in block.runs:
            if '"' in run.text:
                yield warning(doc.path, run.line, "straight-quote", _quote_message())
                break
    if doc.article is not None:
        for key, text in (("title", doc.article.title), ("summary", doc.article.summary)):
            if '"' in text:
                yield warning(doc.path, doc.line_of(key), "straight-quote", _quote_message(key))


def _quote_message(where: str = "text") -> str:
    return f'unpaired straight quote " in the {where}: close it, or use « »'


def french_spacing(doc: Document) -> Iterator[Finding]:
    """« mot:suite » reads as a typo in French print; typography cannot tell it from a code.
    Only in French articles; acronyms such as TL;DR are words of their own."""
    if doc.language.replace("_", "-").split("-")[0] != "fr":
        return
    for block in doc.blocks:
        runs = block.runs
        visible = block.visible
        glued = [m.start() for m in _GLUED.finditer(visible)]
        urls = [m.span() for m in _URLISH.finditer(visible)] if glued else []
        for i in glued:
            if any(start <= i < end for start, end in urls):
                continue
            before, after = _letters_before(visible, i), _LETTERS.match(visible, i + 1)
            if _acronym(before) and after is not None and _acronym(after.group()):
                continue
            word, sign = f"{before}{visible[i]}{after.group() if after else ''}", visible[i]
            yield warning(
                doc.path,
                line_at(runs, i),
                "french-spacing",
                f'"{word}": "{sign}" is glued between two words;'
                f' write "{word.replace(sign, f" {sign} ", 1)}"',
            )
        for m in _UNSPACED_GUILLEMET.finditer(visible):
            i = m.start()
            where = "after" if m.group() == "«" else "before"
            yield warning(
                doc.path,
                line_at(runs, i),
                "french-spacing",
                f'"{_word_at(visible, i)}": {m.group()} needs a space {where} it',
            )


def _acronym(word: str) -> bool:
    """TL, DR, AI: capitals, at most four (TL;DR, AI;DR are not two words glued)."""
    return 0 < len(word) <= 4 and word.isupper()


def _letters_before(text: str, end: int) -> str:
    start = end
    while start and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _word_at(text: str, index: int) -> str:
    """The run of non-space characters around ``text[index]``, for messages."""
    start, end = index, index + 1
    while start and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def unbalanced_guillemets(doc: Document) -> Iterator[Finding]:
    """An unclosed « leaves readers unsure where a quotation, and its speaker, stops.

    A quotation may run over several paragraphs, or over a list, before its »: French
    reopens it with a « at the start of each new paragraph, which does not count as a
    new quotation. One that is still open at a heading, or at the end, is reported where
    it opened; a » with no quotation open, where it is."""
    depth, opened = 0, None
    for block in doc.blocks:
        visible = block.visible
        if block.kind != "paragraph_open":  # headings, table cells: each on its own
            if depth > 0 and opened is not None and block.kind == "heading_open":
                yield _unclosed(doc, opened)
                depth, opened = 0, None
            message = _imbalance(visible, "this " + _BLOCK_NAMES.get(block.kind, "paragraph"))
            if message:
                yield warning(doc.path, block.line, "unbalanced-guillemets", message)
            continue
        opening, closing = visible.count("«"), visible.count("»")
        reopened = depth > 0 and visible.lstrip().startswith("«")
        if depth == 0 and opening > closing:
            opened = block
        depth += opening - reopened - closing
        if depth < 0:
            message = _imbalance(visible, "this paragraph")
            yield warning(doc.path, block.line, "unbalanced-guillemets", message)
            depth, opened = 0, None
    if depth > 0 and opened is not None:
        yield _unclosed(doc, opened)
    for key, text in _frontmatter_texts(doc.meta):
        message = _imbalance(text, f'"{key.split("[")[0]}"')
        if message:
            yield warning(doc.path, doc.line_of(key), "unbalanced-guillemets", message)


def _unclosed(doc: Document, block: Block) -> Finding:
    message = _imbalance(block.visible, "this paragraph") or "« never closed by a »"
    return warning(doc.path, block.line, "unbalanced-guillemets", message)


def _imbalance(text: str, where: str) -> str:
    """``2 « but 1 » in this paragraph``, or "" when the counts match."""
    opening, closing = text.count("«"), text.count("»")
    return f"{opening} « but {closing} » in {where}" if opening != closing else ""


def _frontmatter_texts(meta: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(line key, text) for every frontmatter text shown to readers."""
    for key in _TEXT_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, list):
            yield from ((f"{key}[{i}]", v) for i, v in enumerate(value) if isinstance(v, str))
    corrections = meta.get("corrections")
    if isinstance(corrections, list):
        for i, item in enumerate(corrections):
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                yield f"corrections[{i}]", item["text"]
