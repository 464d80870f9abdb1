"""Markdown → HTML for article bodies, with markdown-it-py. Pure: no I/O.

The parser is built once per build (:func:`create_markdown`) and reused for
every article. presse adds three core rules, each a plain function over the
token stream, in the markdown-it way:

* ``presse_typography``: French typography on text tokens only (never code,
  URLs or attributes);
* ``presse_heading_ids``: stable French-slug ``id``s on headings;
* ``presse_citations``: a blockquote with a ``– Name, role`` attribution
  becomes ``<figure class="citation">`` with a ``<figcaption>``.

Two more rules deal with what authors paste:

* ``presse_embeds``: a paragraph that is only a URL of a known provider (a YouTube
  video, a Datawrapper chart…), or an ``<iframe>`` of one in raw HTML, becomes an
  embed, rendered as a facade that loads nothing before the reader asks
  (:mod:`presse.embeds`);
* ``presse_raw_html``: with ``allow_html = "none"`` raw HTML tokens are dropped; with
  ``"safe"`` (the default) a body that holds any is cleaned once rendered
  (:mod:`presse.sanitize`); ``"all"`` publishes it as written.

Links that could run (``javascript:``, ``vbscript:``, ``file:``, ``data:`` but images)
stay text: markdown-it refuses them, and :func:`_validate_link` also sees through the
tabs, newlines and controls that browsers drop from a URL (``java&#x09;script:``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from presse.embeds import Embed, Provider, facade_html, find_embed, is_remote, remote_image
from presse.foreign import ForeignSyntax, strip_foreign
from presse.links import has_scheme
from presse.model import Body, BodyPhoto
from presse.photos import is_photo_file
from presse.sanitize import HTML_LEVELS, clean_html, read_fragment
from presse.slugs import slugify
from presse.typography import BOUNDARY, WORD, typographize

ATTRIBUTION_DASHES = ("–", "—")
# ids the default theme uses; a heading with the same text gets a suffix instead.
RESERVED_IDS = frozenset({"contenu", "a-lire-egalement", "navigation", "pied-de-page"})
# Characters without which a line of Markdown makes no markup (emphasis, links, code,
# HTML, entities, escapes, strikethrough).
_INLINE_SYNTAX = re.compile(r"[*_\[\]`<&\\~]")
_RUNNABLE_SCHEME = re.compile(r"(?:javascript|vbscript|file|data):")
_IMAGE_DATA = re.compile(r"data:image/(?:gif|png|jpeg|webp);")


def create_markdown(*, html: str = "safe", providers: tuple[Provider, ...] = ()) -> MarkdownIt:
    """A configured parser for an ``allow_html`` level and a list of embed providers."""
    if html not in HTML_LEVELS:
        raise ValueError(f"unknown allow_html level {html!r}")
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("presse_embeds", lambda state: _embeds_rule(state, providers, html))
    md.core.ruler.push("presse_photos", _photos_rule)
    md.core.ruler.push("presse_raw_html", lambda state: _raw_html_rule(state, html))
    md.core.ruler.push("presse_typography", _typography_rule)
    md.core.ruler.push("presse_heading_ids", _heading_ids_rule)
    md.core.ruler.push("presse_citations", _citations_rule)
    md.add_render_rule("presse_facade", lambda _self, tokens, idx, *_: tokens[idx].content)
    md.add_render_rule("presse_photo", lambda _self, tokens, idx, *_: tokens[idx].content)
    if html == "none":
        for kind in _RAW_HTML:
            md.add_render_rule(kind, lambda *_: "")
    return md


def render_body(
    md: MarkdownIt,
    text: str,
    gettext: Callable[[str], str] = str,
    language: str = "fr",
    *,
    excerpt: bool = True,
) -> Body:
    """Render one article body and collect what templates need to know about it.

    ``language`` (a BCP 47 tag) chooses the typography; ``gettext`` translates the
    facades' words into the article's language. ``excerpt``: keep the first paragraph's
    text, the description of an article without a chapô (with one, it is never read,
    and a large archive would hold it in memory for nothing)."""
    text, _ = without_foreign_syntax(md, text)
    mark = _unused_character(text)
    env: dict[str, object] = {"presse_mark": mark, "presse_language": language}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    if env.get("presse_raw_html"):
        html = clean_html(html)
    embeds: list[Embed] = env.get("presse_facades", [])  # type: ignore[assignment]
    if embeds:
        pieces = html.split(mark)
        html = "".join(
            _filled(piece, embeds, gettext, mark) if i % 2 else piece
            for i, piece in enumerate(pieces)
        )
    photos: list[BodyPhoto] = env.get("presse_photos", [])  # type: ignore[assignment]
    return Body(
        packed=Body.pack(html),
        word_count=_word_count(tokens),
        excerpt=_first_paragraph(tokens) if excerpt else "",
        embeds=len(embeds),
        photos=tuple(photos),
        mark=mark if photos else "",
    )


def _filled(piece: str, embeds: Sequence[Embed], gettext: Callable[[str], str], mark: str) -> str:
    """A facade's markup in place of its marker; a photo's marker stays for the page."""
    if piece.startswith("p"):
        return f"{mark}{piece}{mark}"
    return facade_html(embeds[int(piece)], gettext)


def without_foreign_syntax(
    md: MarkdownIt, text: str
) -> tuple[str, list[tuple[int, ForeignSyntax]]]:
    """``text`` without other generators' template syntax, and each piece left out with its
    0-based line (see :mod:`presse.foreign`).

    It goes before Markdown reads the text: a shortcode may span lines, and one of them
    may start with ``>`` (``>}}``), which Markdown would take for a quotation. Code blocks
    and code spans keep theirs (the blocks are found by markdown-it's block parser alone,
    run only when the text holds ``{{`` or ``{%``). A piece is replaced by as many line
    breaks as it held, so that every later line keeps its number."""
    if "{{" not in text and "{%" not in text:
        return text, []
    lines = text.splitlines(keepends=True)
    code = [False] * (len(lines) + 1)
    blocks: list[Token] = []
    md.block.parse(text, md, {}, blocks)  # no inline parsing, none of presse's core rules
    for token in blocks:
        if token.type in ("fence", "code_block") and token.map:
            for number in range(token.map[0], token.map[1]):
                code[number] = True
    pieces: list[str] = []
    found: list[tuple[int, ForeignSyntax]] = []
    segment: list[str] = []
    first = 0

    def flush() -> None:
        chunk = "".join(segment)
        stripped, items = strip_foreign(chunk)
        for item in items:
            found.append((first + chunk.count("\n", 0, item.offset), item))
        if items:  # put back the line breaks of what went
            out: list[str] = []
            pos = 0
            for item in items:
                out += (chunk[pos : item.offset], "\n" * item.text.count("\n"))
                pos = item.offset + len(item.text)
            out.append(chunk[pos:])
            stripped = "".join(out)
        pieces.append(stripped)
        segment.clear()

    for number, line in enumerate(lines):
        if code[number]:
            if segment:
                flush()
            pieces.append(line)
            first = number + 1
        else:
            segment.append(line)
    if segment:
        flush()
    return "".join(pieces), found


def render_inline(md: MarkdownIt, text: str, language: str = "fr") -> str:
    """One line of Markdown (a correction, a chapô) as inline HTML, raw HTML handled as in
    bodies. Embeds are block-level: a lone URL here stays a link."""
    return _inline(md, text, language)[0]


def render_chapo(md: MarkdownIt, text: str, language: str = "fr") -> tuple[str, str]:
    """A chapô's HTML ("" when its Markdown makes no markup: the plain text says it all)
    and its plain text, links and emphasis reduced to their words, for meta descriptions,
    feeds and structured data."""
    if not text:
        return "", ""
    if _INLINE_SYNTAX.search(text) is None:  # most chapôs: plain text, no parse needed
        return "", typographize(strip_foreign(text)[0], language)
    html, tokens = _inline(md, text, language, html_as_text=True)
    plain = "".join(_inline_text(tokens))
    return ("" if html == escapeHtml(plain) else html), plain


def _inline(
    md: MarkdownIt, text: str, language: str, *, html_as_text: bool = False
) -> tuple[str, list[Token]]:
    """Inline Markdown rendered; with ``html_as_text`` (a chapô: front matter is text)
    raw HTML is shown as typed, like in every other front matter field."""
    text, _ = strip_foreign(text)
    env: dict[str, object] = {"presse_mark": _unused_character(text), "presse_language": language}
    if html_as_text:
        env["presse_html_as_text"] = True
    tokens = md.parseInline(text, env)
    html = md.renderer.render(tokens, md.options, env)
    return (clean_html(html) if env.get("presse_raw_html") else html), tokens


def _inline_text(tokens: Sequence[Token]) -> Iterator[str]:
    """The words of inline tokens: text, code, line breaks as spaces; no markup, no alt."""
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                yield child.content
            elif child.type in ("softbreak", "hardbreak"):
                yield " "


def _unused_character(text: str) -> str:
    """A private-use character absent from ``text``: it marks where each embed goes while
    the body is cleaned (its markup is presse's own, never the author's, so it is put in
    after the sanitizer ran)."""
    return next(chr(c) for c in range(0xF8FF, 0xE000, -1) if chr(c) not in text)


def _validate_link(url: str) -> bool:
    """False for a link destination that could run: markdown-it's rule, applied to the URL
    percent-decoded (it is checked after normalisation, which encodes a tab as ``%09``)
    with C0 controls and spaces removed, as a browser or a careless reader would."""
    seen = "".join(c for c in unquote(url) if c > " ").lower()
    return not _RUNNABLE_SCHEME.match(seen) or bool(_IMAGE_DATA.match(seen))


# --- core rules ----------------------------------------------------------------

_RAW_HTML = ("html_block", "html_inline")


def _facade(state: StateCore, embed: Embed) -> str:
    """Note ``embed`` for render_body and return the marker standing for its facade."""
    facades: list[Embed] = state.env.setdefault("presse_facades", [])
    facades.append(embed)
    mark = state.env.setdefault("presse_mark", _unused_character(state.src))
    return f"{mark}{len(facades) - 1}{mark}"


def _facade_token(state: StateCore, embed: Embed, at: Token, *, block: bool) -> Token:
    token = Token("presse_facade", "", 0, map=at.map, level=at.level, block=block)
    token.content = _facade(state, embed) + ("\n" if block else "")
    return token


def _embeds_rule(state: StateCore, providers: tuple[Provider, ...], level: str) -> None:
    """Facades for what would make the reader's browser contact another site: a paragraph
    that is only a provider's URL, an iframe of a provider in raw HTML (the iframe itself
    is then dropped by the sanitizer), and an image from another site."""
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.type == "paragraph_open"
            and token.level == 0
            and i + 2 < len(tokens)
            and tokens[i + 1].content.lstrip().startswith(("http", "<http", "!["))
        ):
            embed = _lone_url_embed(tokens[i + 1], providers)
            if embed is not None:
                out.append(_facade_token(state, embed, token, block=True))
                i += 3
                continue
        if level == "safe" and token.type == "html_block":
            for tag in read_fragment(token.content)[0]:
                src = tag.get("src") or "" if tag.name == "iframe" else ""
                address = f"https:{src}" if src.startswith("//") else src
                embed = find_embed(address, providers, tag.get("title") or "") if src else None
                if embed is not None:
                    out.append(_facade_token(state, embed, token, block=True))
            token.content = _remote_images_in_html(state, token.content)
        elif (
            token.type == "inline"
            and token.children
            and ("![" in token.content or "<" in token.content)
        ):
            token.children = _remote_images_inline(state, token.children, level)
        out.append(token)
        i += 1
    state.tokens = out


def _remote_images_inline(state: StateCore, children: list[Token], level: str) -> list[Token]:
    """Image children from another site become their facades (raw ``<img>`` tags too);
    inside a link, where a button cannot go, the facade is the image's description."""
    out: list[Token] = []
    in_link = 0
    as_text = bool(state.env.get("presse_html_as_text"))
    for child in children:
        if child.type in ("link_open", "link_close"):
            in_link += child.nesting
        elif child.type == "html_inline" and level == "safe" and not as_text:
            tag = child.content.lower()
            in_link += (tag.startswith("<a ") or tag == "<a>") - tag.startswith("</a")
            child.content = _remote_images_in_html(state, child.content, in_link > 0)
        elif child.type == "image" and is_remote(src := str(child.attrGet("src") or "")):
            alt = "".join(c.content for c in child.children or () if c.type == "text")
            embed = remote_image(src, alt, linked=in_link > 0)
            child = _facade_token(state, embed, child, block=False)
        out.append(child)
    return out


def _remote_images_in_html(state: StateCore, fragment: str, in_link: bool = False) -> str:
    """Raw HTML with each ``<img>`` from another site replaced by its facade's marker, and
    an ``alt=""`` given to a local one written without (as Markdown's ``![](…)`` does;
    ``presse check`` asks for a description). The tags are found by the standard
    library's HTML tokenizer, which gives each start tag's text as written, and whether it
    sits in a link."""
    if "<img" not in fragment.lower():
        return fragment
    for tag in read_fragment(fragment)[0]:
        src, alt = tag.get("src") or "", tag.get("alt")
        if tag.name != "img":
            continue
        if is_remote(src):
            embed = remote_image(src, alt or "", linked=tag.in_link or in_link)
            fragment = fragment.replace(tag.text, _facade(state, embed), 1)
        elif alt is None and tag.text[:4].lower() == "<img":
            fragment = fragment.replace(tag.text, f'<img alt=""{tag.text[4:]}', 1)
    return fragment


def _lone_url_embed(inline: Token, providers: tuple[Provider, ...]) -> Embed | None:
    """The embed of a paragraph holding nothing but a URL (bare or ``<autolink>``), or an
    image of the site's own then, on the next line, the URL: the image is the facade's
    picture and its description the embed's title."""
    if not providers:
        return None
    children = [c for c in inline.children or () if c.type != "text" or c.content.strip()]
    poster = ""
    title = ""
    if (
        len(children) > 2
        and children[0].type == "image"
        and children[1].type == "softbreak"
        and not is_remote(src := str(children[0].attrGet("src") or ""))
    ):
        poster = src
        title = "".join(c.content for c in children[0].children or () if c.type == "text")
        children = children[2:]
    if len(children) == 1 and children[0].type == "text":
        url = children[0].content.strip()
    elif (
        len(children) == 3
        and children[0].type == "link_open"
        and children[0].markup == "autolink"
        and children[2].type == "link_close"
    ):
        url = str(children[0].attrGet("href") or "")
    else:
        return None
    if " " in url or not url.startswith(("http://", "https://")):
        return None
    embed = find_embed(url, providers, title)
    return replace(embed, poster=poster) if embed is not None and poster else embed


def is_photo_source(src: str) -> bool:
    """A Markdown image that is a photo of the site's own (under ``static/``, or a relative
    path beside the article), which the site publishes as variants."""
    path = src.split("?", 1)[0].split("#", 1)[0]
    return not is_remote(src) and not has_scheme(path) and is_photo_file(path)


def _photos_rule(state: StateCore) -> None:
    """A photo of the site's own becomes a marker the page fills with its ``<picture>``
    once the photo's size and variants are known (see :class:`presse.model.BodyPhoto`):
    alone in its paragraph, a figure with its title as caption; among words, inline."""
    tokens = state.tokens
    if not any(t.type == "inline" and "![" in t.content for t in tokens):
        return
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        inline = tokens[i + 1] if token.type == "paragraph_open" and i + 2 < len(tokens) else None
        if inline is not None and "![" in inline.content:
            children = [
                c
                for c in inline.children or ()
                if not (c.type == "softbreak" or (c.type == "text" and not c.content.strip()))
            ]
            if (
                len(children) == 1
                and children[0].type == "image"
                and is_photo_source(str(children[0].attrGet("src") or ""))
            ):
                line = inline.map[0] + 1 if inline.map else 1
                out.append(_photo_token(state, children[0], line, token, block=True))
                i += 3
                continue
        if token.type == "inline" and token.children and "![" in token.content:
            line = token.map[0] + 1 if token.map else 1
            replaced: list[Token] = []
            for child in token.children:
                if child.type == "image" and is_photo_source(str(child.attrGet("src") or "")):
                    child = _photo_token(state, child, line, child, block=False)
                elif child.type in _BREAKS:
                    line += 1
                replaced.append(child)
            token.children = replaced
        out.append(token)
        i += 1
    state.tokens = out


def _photo_token(state: StateCore, image: Token, line: int, at: Token, *, block: bool) -> Token:
    """The marker standing for ``image`` (noted in the env for render_body)."""
    language = str(state.env.get("presse_language", "fr"))
    alt = "".join(c.content for c in image.children or () if c.type in ("text", "code_inline"))
    title = str(image.attrGet("title") or "")
    photos: list[BodyPhoto] = state.env.setdefault("presse_photos", [])
    photos.append(
        BodyPhoto(
            reference=str(image.attrGet("src") or ""),
            file="",
            alt=typographize(alt.strip(), language),
            caption=typographize(title.strip(), language),
            line=line,
            figure=block,
        )
    )
    mark = state.env.setdefault("presse_mark", _unused_character(state.src))
    token = Token("presse_photo", "", 0, map=at.map, level=at.level, block=block)
    token.content = f"{mark}p{len(photos) - 1}{mark}" + ("\n" if block else "")
    return token


def _raw_html_rule(state: StateCore, level: str) -> None:
    """``safe``: note that the body holds raw HTML and needs cleaning once rendered.
    (``none`` renders raw HTML as nothing; ``all`` as written.)"""
    if state.env.get("presse_html_as_text"):
        for token in state.tokens:
            for child in token.children or ():
                if child.type == "html_inline":
                    child.type = "text"
        return
    if level != "safe":
        return
    for token in state.tokens:
        if token.type in _RAW_HTML or (
            token.type == "inline" and any(c.type == "html_inline" for c in token.children or ())
        ):
            state.env["presse_raw_html"] = True
            return


def _typography_rule(state: StateCore) -> None:
    """Typographize each inline run in the article's language (see _typographize_children)."""
    language = str(state.env.get("presse_language", "fr"))
    for token in state.tokens:
        if token.type == "inline" and token.children:
            _typographize_children(token.children, language)


# Inline children the typography sees as a word, though it must not change them: code,
# an image, a facade, an autolinked URL.
_WORDS = ("code_inline", "image", "presse_facade", "presse_photo")
_BREAKS = ("softbreak", "hardbreak")


def _typographize_children(children: Sequence[Token], language: str) -> None:
    """One call per paragraph, so that quotes pair across emphasis and links. Text pieces
    are joined with a BOUNDARY where markup sat between them; a code span or an image
    stands as a WORD, a line break as a line break, so that « `code` » is spaced as
    « mot » and a ? at the end of a line gets its space. Only text pieces are written
    back."""
    pieces: list[Token | None] = []  # None: a stand-in, not written back
    stand_ins: list[str] = []
    in_autolink = False
    for child in children:
        if child.type == "link_open" and child.markup in ("autolink", "linkify"):
            in_autolink = True
            pieces.append(None)
            stand_ins.append(WORD)
        elif child.type == "link_close" and in_autolink:
            in_autolink = False
        elif in_autolink:
            continue
        elif child.type == "text":
            pieces.append(child)
            stand_ins.append(child.content)
        elif child.type in _WORDS:
            pieces.append(None)
            stand_ins.append(WORD)
        elif child.type in _BREAKS:
            pieces.append(None)
            stand_ins.append("\n")
    if not any(piece is not None for piece in pieces):
        return
    if any(BOUNDARY in text or WORD in text for text in stand_ins if text not in (WORD, "\n")):
        for piece in pieces:  # the markers themselves in the copy: no joining
            if piece is not None:
                text = piece.content.replace(BOUNDARY, "").replace(WORD, "")
                piece.content = typographize(text, language)
        return
    results = typographize(BOUNDARY.join(stand_ins), language).split(BOUNDARY)
    for piece, result in zip(pieces, results, strict=True):
        if piece is not None:
            piece.content = result


def _heading_ids_rule(state: StateCore) -> None:
    """Give every heading a unique, stable id derived from its text, and a level that
    skips none: the page's h1 is the headline, so the body starts at h2 at most, and a
    heading is at most one level below the one before it (``####`` right after the
    headline becomes an h2). Screen readers navigate by this outline; the written level
    stays in ``meta["written_level"]`` for ``presse check``, which warns about it."""
    used = set(RESERVED_IDS)
    tokens = state.tokens
    previous = 1
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        written = int(token.tag[1])
        level = max(2, min(written, previous + 1))
        previous = level
        token.meta = {**(token.meta or {}), "written_level": written}
        if level != written:
            token.tag = tokens[index + 2].tag = f"h{level}"
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


def _first_paragraph(tokens: Sequence[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return " ".join(_plain_text(tokens[i + 1]).split())
    return ""
