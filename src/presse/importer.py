"""``presse import``: turn plain text pasted from a web page or a wire into a draft article.

:func:`convert` is pure (text in, Markdown file text out, nothing read or written);
the command line around it is :mod:`presse.import_command`, and headline casing is
:mod:`presse.headlines`.

How the text is read, in order:

* **Blocks.** Lines are grouped into blocks separated by blank lines; spaces at both
  ends of a line are stripped (an indent would be a code block in Markdown).
  Typographic characters are kept as written: the build applies French typography.
  Text that separates paragraphs by single line breaks only (nothing after the title
  is separated by a blank line, and most lines end a sentence) gets one block a line.
* **Title.** The first non-empty line. A Title-Case headline (most words after the
  first capitalised, at least two, and all of them unless the body writes one of them
  in lowercase) or an all-capitals one becomes French sentence case:
  the first word capitalised, the rest lowercase, even after « : », except words that
  keep their case: inner capitals (OpenAI, iPhone), acronyms of two letters or more
  (IA, GPT-5, DALL-E), capitals mixed with digits (R1), and words the body capitalises
  in mid-sentence more often than not (Stargate, Altman). A headline already in
  sentence case is left alone.
* **Chapô.** The first block after the title becomes ``summary``, not repeated in the
  body.
* **Related.** The last « À lire également » line (also « Lire aussi », « Voir aussi »,
  any case, with or without a colon) that is followed only by short lines or URLs ends
  the article. Each following line names a related article: a title is slugified, a
  URL gives its last path segment. Slugs the site has go into ``related``, the others
  are left out with a warning.
* **Repeated blocks.** A run of two blocks or more, or one block of 200 characters or
  more, that repeats an earlier run exactly (whitespace collapsed) is dropped with a
  warning giving both line ranges: pasted pages often restart half-way. An isolated
  short block that repeats (an attribution, a short line) is kept.
* **Quotations.** A block starting with « (or ``"``, ``“``) followed by a one-line
  block ``–``/``—``/``-`` and a name (or ending with such a line) becomes
  ``> « … »``, a blank line and ``– Name, role``: the build's citation figure.
* **Lists.** A block with two lines or more starting with ``•``, ``·``, ``▪``, ``–``,
  ``-`` or ``*`` and a space (or ``1.``, ``1)``) becomes a Markdown list; lines before
  the first item are a paragraph, lines after an item continue it. A lone ``•`` line,
  and one-line items separated by blank lines, are lists too. A list is never an
  attribution (that is a single line right after a quotation).
* **Headings.** A one-line block of at most 90 characters and 12 words, without
  final punctuation (``. ! ? : ; , … »``) and followed by a block that is not itself
  such a line, becomes ``## Heading``.
* **Paragraphs.** Everything else; the lines of a block are joined, and a start that
  Markdown would read as structure (``- ``, ``# ``, ``1. ``, ``>``) is escaped, as is
  every ``<`` (plain text holds no HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from presse.errors import PresseError
from presse.headlines import (
    ATTRIBUTION,
    QUOTE_OPENERS,
    SPACES,
    UNAMBIGUOUS_BULLET,
    sentence_case,
)
from presse.slugs import slugify
from presse.wording import counted

MAX_HEADING_CHARS = 90
MAX_HEADING_WORDS = 12
LONG_BLOCK_CHARS = 200  # one repeated block this long is dropped on its own
LONG_TITLE_CHARS = 150
MAX_RELATED_LINE_CHARS = 150

_FINAL_PUNCTUATION = tuple('.!?:;,…»"”')
_BULLET = re.compile(r"^(?:[•·▪◦‣●■]\s*|[-–—*]\s+)(?P<item>\S.*)$")
_NUMBERED = re.compile(r"^(?P<n>\d{1,3})[.)]\s+(?P<item>\S.*)$")
_RELATED_MARKER = re.compile(
    r"^(?:(?:à|a)\s+lire\s+(?:également|egalement|aussi)|(?:lire|voir)\s+aussi)"
    r"\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_URL_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.IGNORECASE)
_MD_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(\s|$)")
_MD_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|(?:[-*_]\s*){3,}$|`{3,}|~{3,})")
_TITLE_ONLY = "has a title but no text: an article needs at least one paragraph"


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    title: str
    slug: str
    markdown: str  # full file text: frontmatter + body
    recognised: tuple[str, ...]  # human-readable lines for the report
    warnings: tuple[PresseError, ...]  # with path and line


@dataclass(frozen=True, slots=True)
class _Block:
    lines: tuple[str, ...]
    first: int  # line numbers in the input, 1-based
    last: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def key(self) -> str:
        """The text with whitespace collapsed: what two copies of a block share."""
        return " ".join(self.text.split())


@dataclass(frozen=True, slots=True)
class _Body:
    markdown: str
    headings: tuple[str, ...]
    attributions: tuple[str, ...]
    lists: tuple[int, ...]  # items per list
    paragraphs: int


def convert(
    text: str,
    source: Path,
    *,
    date: datetime,
    section: str | None = None,
    known_slugs: frozenset[str] = frozenset(),
) -> ImportedArticle:
    """Recognise the structure of pasted text and write it as a draft article. Pure."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = _blocks(text)
    if not blocks:
        raise PresseError("is empty: nothing to import", source, 1)
    title_block = blocks[0]
    rest = _rest_of_title_block(title_block) + blocks[1:]
    rest = _one_block_per_line(rest)
    if not rest:
        raise PresseError(_TITLE_ONLY, source, title_block.first)
    warnings: list[PresseError] = []
    rest, related_lines, marker_line = _split_related(rest)
    kept, drops = _drop_repeats(rest)
    for dropped, original in drops:
        warnings.append(PresseError(_drop_message(dropped, original), source, dropped[0].first))
    if not kept:
        raise PresseError(_TITLE_ONLY, source, title_block.first)

    raw_title = SPACES.sub(" ", title_block.lines[0])
    title = sentence_case(raw_title, [b.text for b in kept if not _is_heading_like(b)])
    slug = slugify(title)
    if not slug:
        raise PresseError(f'cannot make a file name from the title "{title}"', source, 1)
    if slug in known_slugs:
        warnings.append(
            PresseError(
                f'the site already has an article with the slug "{slug}": give one of them'
                ' a "slug" field before building',
                source,
                title_block.first,
            )
        )
    if len(title) > LONG_TITLE_CHARS:
        warnings.append(
            PresseError(
                f"the title is {len(title)} characters long: is the first line a headline?",
                source,
                title_block.first,
            )
        )
    summary = kept[0].text
    body = _render_body(kept[1:])
    related, missing = _resolve_related(related_lines, known_slugs)
    warnings.extend(
        PresseError(f'related article "{entry}" not found, left out', source, line)
        for entry, line in missing
    )
    markdown = _frontmatter(title, date, section, summary, related) + body.markdown
    recognised = _report(
        raw_title, title, summary, body, related, marker_line, related_lines, drops
    )
    return ImportedArticle(title, slug, markdown, recognised, tuple(warnings))


# --- blocks -------------------------------------------------------------------------


def _blocks(text: str) -> list[_Block]:
    """Runs of non-blank lines, stripped, with their line numbers."""
    blocks: list[_Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            if not current:
                start = number
            current.append(stripped)
        elif current:
            blocks.append(_Block(tuple(current), start, number - 1))
            current = []
    if current:
        blocks.append(_Block(tuple(current), start, start + len(current) - 1))
    return blocks


def _rest_of_title_block(block: _Block) -> list[_Block]:
    """Lines glued under the title (no blank line) form the next block."""
    if len(block.lines) == 1:
        return []
    return [_Block(block.lines[1:], block.first + 1, block.last)]


def _one_block_per_line(blocks: list[_Block]) -> list[_Block]:
    """Split text whose paragraphs are separated by single line breaks only."""
    if len(blocks) != 1 or len(blocks[0].lines) < 2:
        return blocks
    lines = blocks[0].lines
    if sum(line.endswith(_FINAL_PUNCTUATION) for line in lines) * 2 < len(lines):
        return blocks  # hard-wrapped text: lines end mid-sentence
    return [
        _Block((line,), blocks[0].first + i, blocks[0].first + i) for i, line in enumerate(lines)
    ]


def _split_related(blocks: list[_Block]) -> tuple[list[_Block], list[tuple[str, int]], int | None]:
    """The blocks before a trailing « À lire également », its entries and its line."""
    lines = [
        (line, b.first + k, bi, k) for bi, b in enumerate(blocks) for k, line in enumerate(b.lines)
    ]
    for pos in range(len(lines) - 1, -1, -1):
        line, number, bi, k = lines[pos]
        match = _RELATED_MARKER.match(line)
        if match is None:
            continue
        after = [(text, n) for text, n, _, _ in lines[pos + 1 :]]
        if not all(len(t) <= MAX_RELATED_LINE_CHARS or _URL.search(t) for t, _ in after):
            return blocks, [], None  # text after it: not a trailing list
        if match["rest"]:
            after.insert(0, (match["rest"], number))
        kept = blocks[:bi]
        if k:
            block = blocks[bi]
            kept.append(_Block(block.lines[:k], block.first, block.first + k - 1))
        return kept, after, number
    return blocks, [], None


def _drop_repeats(
    blocks: list[_Block],
) -> tuple[list[_Block], list[tuple[list[_Block], list[_Block]]]]:
    """Drop runs that repeat an earlier run; return the kept blocks and (dropped, original)."""
    keys = [b.key for b in blocks]
    seen: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        seen.setdefault(key, []).append(position)
    kept: list[_Block] = []
    drops: list[tuple[list[_Block], list[_Block]]] = []
    i = 0
    while i < len(blocks):
        best, best_j = 0, 0
        for j in (j for j in seen[keys[i]] if j < i):
            n = 0
            while i + n < len(keys) and j + n < i and keys[j + n] == keys[i + n]:
                n += 1
            if n > best:
                best, best_j = n, j
        if best >= 2 or (best == 1 and len(keys[i]) >= LONG_BLOCK_CHARS):
            drops.append((blocks[i : i + best], blocks[best_j : best_j + best]))
            i += best
        else:
            kept.append(blocks[i])
            i += 1
    return kept, drops


def _drop_message(dropped: list[_Block], original: list[_Block]) -> str:
    count = len(dropped)
    noun = "paragraph" if count == 1 else "paragraphs"
    here, there = _span(dropped), _span(original)
    verb = "repeat" if here.startswith("lines") else "repeats"
    return f"dropped a repeated block of {count} {noun} ({here} {verb} {there})"


def _span(blocks: list[_Block]) -> str:
    first, last = blocks[0].first, blocks[-1].last
    return f"line {first}" if first == last else f"lines {first}–{last}"


# --- body ---------------------------------------------------------------------------


def _render_body(blocks: list[_Block]) -> _Body:
    """Markdown for the blocks after the chapô, and what was recognised in them."""
    blocks = _join_spread_items(blocks)
    out: list[str] = []
    headings: list[str] = []
    attributions: list[str] = []
    lists: list[int] = []
    paragraphs = 0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        quote = _quotation(block, following)
        if quote is not None:
            text, who, used = quote
            out.append(f"> {_inline(text)}\n\n– {_inline(who)}")
            attributions.append(who)
            i += used
            continue
        items = _list_items(block)
        if items is not None:
            intro, entries = items
            if intro:
                out.append(_escape_start(intro))
                paragraphs += 1
            out.append("\n".join(_inline(entry) for entry in entries))
            lists.append(len(entries))
        elif _is_heading_like(block) and following is not None and not _is_heading_like(following):
            heading = block.lines[0]
            closing = re.search(r"\s#+$", heading)  # ATX would drop a closing "#" run
            out.append("## " + _inline(heading[:-1] + "\\#" if closing else heading))
            headings.append(heading)
        else:
            out.append(_escape_start(block.text))
            paragraphs += 1
        i += 1
    markdown = "\n\n".join(out) + "\n" if out else ""
    return _Body(markdown, tuple(headings), tuple(attributions), tuple(lists), paragraphs)


def _join_spread_items(blocks: list[_Block]) -> list[_Block]:
    """One-line list items separated by blank lines (a common paste) make one list."""
    out: list[_Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            previous is not None
            and _is_item_line(block)
            and all(_BULLET.match(line) for line in previous.lines)
            and not (len(out) > 1 and out[-2].lines[0].startswith(QUOTE_OPENERS))
        ):
            out[-1] = _Block(previous.lines + block.lines, previous.first, block.last)
        else:
            out.append(block)
    return out


def _is_item_line(block: _Block) -> bool:
    return len(block.lines) == 1 and _BULLET.match(block.lines[0]) is not None


def _quotation(block: _Block, following: _Block | None) -> tuple[str, str, int] | None:
    """(quoted text, attribution, blocks used) when the block is an attributed quotation."""
    if not block.lines[0].startswith(QUOTE_OPENERS):
        return None
    if following is not None and len(following.lines) == 1:
        match = ATTRIBUTION.match(following.lines[0])
        if match:
            return block.text, match["who"], 2
    if len(block.lines) >= 2:
        match = ATTRIBUTION.match(block.lines[-1])
        if match and not any(_BULLET.match(line) for line in block.lines[1:-1]):
            return " ".join(block.lines[:-1]), match["who"], 1
    return None


def _list_items(block: _Block) -> tuple[str, list[str]] | None:
    """(intro paragraph, Markdown items) when the block is a bulleted or numbered list."""
    for pattern in (_BULLET, _NUMBERED):
        matches = [pattern.match(line) for line in block.lines]
        count = sum(m is not None for m in matches)
        lone = (
            count == 1 and len(block.lines) == 1 and block.lines[0].startswith(UNAMBIGUOUS_BULLET)
        )
        if count < 2 and not lone:
            continue
        first = next(k for k, m in enumerate(matches) if m is not None)
        items: list[str] = []
        for line, match in zip(block.lines[first:], matches[first:], strict=True):
            if match is None:
                items[-1] += " " + line  # a wrapped item
            elif pattern is _NUMBERED:
                items.append(f"{match['n']}. {match['item']}")
            else:
                items.append(f"- {match['item']}")
        return " ".join(block.lines[:first]), items
    return None


def _is_heading_like(block: _Block) -> bool:
    """One short line without final punctuation: a section heading if text follows."""
    if len(block.lines) != 1:
        return False
    line = block.lines[0]
    return (
        len(line) <= MAX_HEADING_CHARS
        and len(line.split()) <= MAX_HEADING_WORDS
        and not line.endswith(_FINAL_PUNCTUATION)
        and not line.startswith(QUOTE_OPENERS)
        and ATTRIBUTION.match(line) is None
        and _BULLET.match(line) is None
        and any(c.isalpha() for c in line)
    )


def _inline(text: str) -> str:
    """Plain text has no HTML: a ``<`` stays a character whatever ``allow_html`` says."""
    return text.replace("<", "\\<")


def _escape_start(text: str) -> str:
    """Plain text that Markdown would otherwise read as a list, heading or quote."""
    text = _inline(text)
    ordered = _MD_ORDERED_START.match(text)
    if ordered:
        return f"{ordered[1]}\\{text[len(ordered[1]) :]}"
    return "\\" + text if _MD_BLOCK_START.match(text) else text


# --- related, frontmatter, report -----------------------------------------------------


def _resolve_related(
    entries: list[tuple[str, int]], known: frozenset[str]
) -> tuple[list[str], list[tuple[str, int]]]:
    """Slugs the site has, in order, and the entries that name no article."""
    found: list[str] = []
    missing: list[tuple[str, int]] = []
    for entry, line in entries:
        bullet = _BULLET.match(entry)
        text = bullet["item"] if bullet else entry
        slug = related_slug(text)
        if slug in known:
            if slug not in found:
                found.append(slug)
        else:
            missing.append((text, line))
    return found, missing


def related_slug(entry: str) -> str:
    """The slug named by a related line: a URL's last path segment, or the slugified title."""
    url = _URL.search(entry)
    if url is None:
        return slugify(entry)
    address = url[0] if "://" in url[0] else "http://" + url[0]
    segments = [s for s in urlsplit(address).path.split("/") if s]
    return slugify(_URL_SUFFIX.sub("", segments[-1])) if segments else ""


def _frontmatter(
    title: str, date: datetime, section: str | None, summary: str, related: list[str]
) -> str:
    lines = [
        f"title: {_yaml_string(title)}",
        f"date: {date.replace(microsecond=0).isoformat()}",
        "draft: true",
    ]
    if section:
        lines.append(f"section: {_yaml_string(section)}")
    lines.append(f"summary: {_yaml_string(summary)}")
    if related:
        lines.append("related:")
        lines.extend(f"  - {slug}" for slug in related)
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar on one line (the emitter escapes what must be)."""
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30)
    return dumped.strip()


def _report(
    raw_title: str,
    title: str,
    summary: str,
    body: _Body,
    related: list[str],
    marker_line: int | None,
    related_lines: list[tuple[str, int]],
    drops: list[tuple[list[_Block], list[_Block]]],
) -> tuple[str, ...]:
    lines = [f"title: {title}" + (" (sentence case)" if title != raw_title else "")]
    short = summary if len(summary) <= 80 else summary[:79].rstrip() + "…"
    lines.append(f"chapô: {short} ({len(summary)} characters)")
    lines.append(f"sections: {len(body.headings)}")
    lines.extend(f"  ## {h}" for h in body.headings)
    lines.append(f"quotations: {len(body.attributions)}")
    lines.extend(f"  – {who}" for who in body.attributions)
    items = ", ".join(str(n) for n in body.lists)
    lines.append(f"lists: {len(body.lists)}" + (f" ({items} items)" if body.lists else ""))
    lines.append(f"paragraphs: {body.paragraphs}")
    if marker_line is None:
        lines.append("related: none")
    elif not related_lines:
        lines.append(f"related: none (« À lire également » at line {marker_line} lists nothing)")
    else:
        lines.append(f"related: {len(related)} of {len(related_lines)}")
        lines.extend(f"  {slug}" for slug in related)
    lines.append(f"dropped: {counted(len(drops), 'repeated run')}")
    lines.extend(f"  {_span(dropped)} ({len(dropped)} blocks)" for dropped, _ in drops)
    return tuple(lines)
