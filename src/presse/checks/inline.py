"""Walking a markdown-it token stream with source lines. Pure: no I/O.

markdown-it gives block tokens a ``map`` (0-based lines of the body) but not the
inline children; a child's line is its block's first line plus the line breaks
before it. Text here is what readers see: ``text`` children after presse's
typography rule ran, never code spans, URLs or image alt text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

_BREAKS = ("softbreak", "hardbreak")
_AUTOLINKS = ("autolink", "linkify")


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of visible text on one source line."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """An inline run of Markdown (a paragraph, heading, list item or table cell)."""

    kind: str  # type of the block token that opens it: "paragraph_open", "heading_open"…
    inline: Token
    line: int  # file line of its first line
    runs: tuple[Run, ...]  # its visible text, piece by piece

    @property
    def visible(self) -> str:
        """The text readers see, pieces joined (markup between them left out)."""
        return "".join(run.text for run in self.runs)


def blocks(tokens: Sequence[Token], body_line: int) -> tuple[Block, ...]:
    """Every inline token of the body with its opening block, its file line and its text."""
    found: list[Block] = []
    last = 0
    for i, token in enumerate(tokens):
        if token.map:
            last = token.map[0]
        if token.type == "inline":
            kind = tokens[i - 1].type if i else ""
            line = body_line + last
            found.append(Block(kind, token, line, _text_runs(token, line)))
    return tuple(found)


def children_with_lines(block: Block) -> Iterator[tuple[Token, int]]:
    """The inline children of a block, each with the file line it sits on."""
    return _children_with_lines(block.inline, block.line)


def _children_with_lines(inline: Token, line: int) -> Iterator[tuple[Token, int]]:
    for child in inline.children or ():
        yield child, line
        if child.type in _BREAKS:
            line += 1


def _text_runs(inline: Token, first_line: int) -> tuple[Run, ...]:
    """Visible text of a block, piece by piece: code, autolinked URLs and alt text left out."""
    runs: list[Run] = []
    in_autolink = False
    for child, line in _children_with_lines(inline, first_line):
        if child.type == "link_open" and child.markup in _AUTOLINKS:
            in_autolink = True
        elif child.type == "link_close" and in_autolink:
            in_autolink = False
        elif child.type == "text" and not in_autolink and child.content:
            runs.append(Run(child.content, line))
        elif child.type in _BREAKS:  # a line break is a space to readers
            runs.append(Run("\n", line))
    return tuple(runs)


def line_at(runs: Sequence[Run], index: int) -> int:
    """The line of character ``index`` of the runs joined together."""
    for run in runs:
        if index < len(run.text):
            return run.line
        index -= len(run.text)
    return runs[-1].line if runs else 0
