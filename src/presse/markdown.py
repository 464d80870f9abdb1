"""Markdown → HTML for article bodies, with markdown-it-py. Pure: no I/O.

The parser is built once per build (:func:`create_markdown`) and reused for
every article. presse adds three core rules, each a plain function over the
token stream, in the markdown-it way:

* ``presse_typography``: French typography on text tokens only (never code,
  URLs or attributes);
* ``presse_heading_ids``: stable French-slug ``id``s on headings;
* ``presse_citations``: a blockquote with a ``– Name, role`` attribution
  becomes ``<figure class="citation">`` with a ``<figcaption>``.

Raw HTML is escaped unless the site sets ``allow_html``, and links that could run
(``javascript:``, ``vbscript:``, ``file:``, ``data:`` but images) stay text: markdown-it
refuses them, and :func:`_validate_link` also sees through the tabs, newlines and
controls that browsers drop from a URL (``java&#x09;script:``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from presse.model import Body
from presse.slugs import slugify
from presse.typography import BOUNDARY, typographize

ATTRIBUTION_DASHES = ("–", "—")
# ids the default theme uses; a heading with the same text gets a suffix instead.
RESERVED_IDS = frozenset({"contenu", "a-lire-egalement", "navigation", "pied-de-page"})
_RUNNABLE_SCHEME = re.compile(r"(?:javascript|vbscript|file|data):")
_IMAGE_DATA = re.compile(r"data:image/(?:gif|png|jpeg|webp);")


def create_markdown(*, allow_html: bool = False) -> MarkdownIt:
    """A configured parser; raw HTML is escaped unless ``allow_html`` is set."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("presse_typography", _typography_rule)
    md.core.ruler.push("presse_heading_ids", _heading_ids_rule)
    md.core.ruler.push("presse_citations", _citations_rule)
    return md


def render_body(md: MarkdownIt, text: str) -> Body:
    """Render one article body and collect what templates need to know about it."""
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    return Body(
        packed=Body.pack(html),
        word_count=_word_count(tokens),
        outline=Body.pack_outline(_headings(tokens)),
        excerpt=_first_paragraph(tokens),
    )


def _validate_link(url: str) -> bool:
    """False for a link destination that could run: markdown-it's rule, applied to the URL
    percent-decoded (it is checked after normalisation, which encodes a tab as ``%09``)
    with C0 controls and spaces removed, as a browser or a careless reader would."""
    seen = "".join(c for c in unquote(url) if c > " ").lower()
    return not _RUNNABLE_SCHEME.match(seen) or bool(_IMAGE_DATA.match(seen))


# --- core rules ----------------------------------------------------------------


def _typography_rule(state: StateCore) -> None:
    """Typographize each inline run; markup between text pieces becomes a BOUNDARY."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            _typographize_children(token.children)


def _typographize_children(children: Sequence[Token]) -> None:
    pieces: list[Token] = []
    in_autolink = False
    for child in children:
        if child.type == "link_open" and child.markup in ("autolink", "linkify"):
            in_autolink = True
        elif child.type == "link_close" and in_autolink:
            in_autolink = False
        elif child.type == "text" and not in_autolink:
            pieces.append(child)
    if not pieces:
        return
    if any(BOUNDARY in p.content for p in pieces):  # the marker itself in the copy: no joining
        for piece in pieces:
            piece.content = typographize(piece.content.replace(BOUNDARY, ""))
        return
    # One call per paragraph, so quotes pair across emphasis and links; markup
    # between two text pieces is a BOUNDARY the rules see through.
    results = typographize(BOUNDARY.join(p.content for p in pieces)).split(BOUNDARY)
    for piece, result in zip(pieces, results, strict=True):
        piece.content = result


def _heading_ids_rule(state: StateCore) -> None:
    """Give every heading a unique, stable id derived from its text."""
    used = set(RESERVED_IDS)
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = slugify(_plain_text(tokens[index + 1])) or "section"
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        token.attrSet("id", anchor)


def _citations_rule(state: StateCore) -> None:
    """Wrap quotations that carry an attribution line into figure/figcaption."""
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open":
            close = _matching_close(tokens, i)
            figure = _citation(tokens, i, close)
            if figure is not None:
                out.extend(figure[0])
                i = figure[1]
                continue
        out.append(token)
        i += 1
    state.tokens = out


def _citation(tokens: list[Token], open_i: int, close_i: int) -> tuple[list[Token], int] | None:
    """The figure tokens for the blockquote at ``open_i`` and where to resume, or None."""
    inner = tokens[open_i + 1 : close_i]
    after = tokens[close_i + 1 : close_i + 4]
    if _is_attribution(after, tokens[open_i].level):
        quote, caption, resume = inner, after[1], close_i + 4
    elif len(inner) > 3 and _is_attribution(inner[-3:], tokens[open_i].level + 1):
        quote, caption, resume = inner[:-3], inner[-2], close_i + 1
    else:
        return None
    level = tokens[open_i].level
    figure_open = Token("figure_open", "figure", 1, level=level, block=True)
    figure_open.attrSet("class", "citation")
    return (
        [
            figure_open,
            tokens[open_i],
            *quote,
            tokens[close_i],
            Token("figcaption_open", "figcaption", 1, level=level + 1, block=True),
            caption,
            Token("figcaption_close", "figcaption", -1, level=level + 1, block=True),
            Token("figure_close", "figure", -1, level=level, block=True),
        ],
        resume,
    )


def _is_attribution(group: Sequence[Token], level: int) -> bool:
    return (
        len(group) == 3
        and group[0].type == "paragraph_open"
        and group[0].level == level
        and group[1].type == "inline"
        and group[1].content.lstrip().startswith(ATTRIBUTION_DASHES)
        and group[2].type == "paragraph_close"
    )


def _matching_close(tokens: list[Token], open_i: int) -> int:
    depth = 0
    for j in range(open_i, len(tokens)):
        depth += tokens[j].nesting if tokens[j].type.startswith("blockquote_") else 0
        if depth == 0:
            return j
    return len(tokens) - 1


# --- facts about a rendered body -----------------------------------------------------


def _plain_text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def _word_count(tokens: Sequence[Token]) -> int:
    return sum(len(_plain_text(t).split()) for t in tokens if t.type == "inline")


def _headings(tokens: Sequence[Token]) -> tuple[tuple[int, str, str], ...]:
    return tuple(
        (int(t.tag[1]), _plain_text(tokens[i + 1]), str(t.attrGet("id")))
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    )


def _first_paragraph(tokens: Sequence[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return " ".join(_plain_text(tokens[i + 1]).split())
    return ""
