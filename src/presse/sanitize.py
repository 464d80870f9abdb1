"""Raw HTML in article bodies: what readers may see of it. Pure: no I/O.

Authors paste HTML into Markdown (a ``<sup>``, an ``<abbr>``, a table from a
spreadsheet, an editor's ``<!-- note -->``, a video's ``<iframe>``). The site's
``allow_html`` level decides what becomes of it:

* ``safe`` (the default): a body holding raw HTML is cleaned by nh3 (the Python
  binding of ammonia, a maintained HTML5-parser-based sanitizer) down to the tags
  and attributes of :data:`SAFE_TAGS`; comments always go, scripts and styles go
  with their content, anything else loses its tags and keeps its text;
* ``none``: raw HTML is left out: blocks of it go, inline tags go and the text
  between them stays (markdown.py drops the tokens; nothing to clean);
* ``all``: trusted sites; the HTML is published as written.

The whole rendered body is cleaned, not each raw fragment, because markdown-it
cuts HTML into fragments (``<span>`` and ``</span>`` are separate tokens) that
only make sense together. A body without raw HTML is never cleaned: markdown-it's
own output is escaped already, and its bytes stay as they are.

:func:`raw_html_report` says, for ``presse check``, what a fragment of raw HTML
would lose, and which links and images it holds; it reads the fragment with the
standard library's HTML parser, which is a tokenizer, not a sanitizer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

import nh3

from presse.embeds import is_remote
from presse.links import encode_url

HTML_LEVELS = ("safe", "none", "all")
"""Values of ``allow_html``: see the module's docstring."""

# Author HTML a news page may show as is: text semantics, links, images, figures, tables.
_TEXT = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
    "u", "var", "wbr",
}  # fmt: skip
_BLOCKS = {
    "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section", "summary", "ul",
}  # fmt: skip
_TABLES = {"caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr"}
SAFE_TAGS: frozenset[str] = frozenset(_TEXT | _BLOCKS | _TABLES | {"img"})

_ANCHORS = {"id"}  # presse's headings and footnotes link to ids
SAFE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang", "class"} | _ANCHORS),
    "img": frozenset({"src", "alt", "width", "height"}),
    "abbr": frozenset(),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "ol": frozenset({"start", "reversed", "type", "class"}),
    "li": frozenset({"value", "class"} | _ANCHORS),
    "td": frozenset({"colspan", "rowspan", "headers", "style"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr", "style"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "code": frozenset({"class"}),
    "figure": frozenset({"class"}),
    "section": frozenset({"class"}),
    "sup": frozenset({"class"}),
    "hr": frozenset({"class"}),
    **{f"h{n}": frozenset(_ANCHORS) for n in range(1, 7)},
}
"""Attributes kept on each tag (``*``: on every tag). ``class`` and ``style`` are
further narrowed by :func:`_attribute_filter` to what presse's own markup uses."""

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Classes presse's Markdown renderer writes (quotations, footnotes); code blocks
# carry "language-…".
_OWN_CLASSES = frozenset({
    "citation", "footnote-ref", "footnotes-sep", "footnotes", "footnotes-list",
    "footnote-item", "footnote-backref",
})  # fmt: skip
# Elements whose content is code, or a fallback for browsers of another age ("your
# browser cannot show this video"): they go with what they hold.
_REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "textarea", "iframe", "object", "embed",
    "video", "audio", "canvas", "svg", "math", "noembed", "noframes", "select",
})  # fmt: skip


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """Drop an image's address on another site (the reader's browser would contact it);
    narrow ``class`` to presse's own classes (a reader must not see an author's markup
    dressed as the theme's: a fake "alert" box); ``style`` exists only for table
    alignment, which markdown-it writes as ``text-align``."""
    if tag == "img" and name == "src" and is_remote(value):
        return None  # never a request to another site (markdown.py gives it a facade)
    if name in ("href", "src", "cite"):
        return encode_url(value)
    if name == "class":
        kept = [
            c
            for c in value.split()
            if c in _OWN_CLASSES or (tag == "code" and c.startswith("language-"))
        ]
        return " ".join(kept) or None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    """The ``safe`` policy, compiled once per process."""
    return nh3.Cleaner(
        tags=set(SAFE_TAGS),
        clean_content_tags=set(_REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in SAFE_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
    )


def clean_html(html: str) -> str:
    """``html`` (a rendered body) cut down to the ``safe`` level's tags and attributes.

    The serializer writes U+00A0 as ``&nbsp;`` (an author's own ``&nbsp;`` comes out as
    ``&amp;nbsp;``): it is put back as the character, as in every other body."""
    return _cleaner().clean(html).replace("&nbsp;", "\u00a0")


# --- reading a fragment ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartTag:
    """A start tag of a raw HTML fragment, as the standard library's tokenizer read it."""

    name: str
    text: str  # as written, to replace it in the fragment
    attrs: tuple[tuple[str, str | None], ...]
    in_link: bool  # inside an <a>: no button or link can go there

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[StartTag] = []
        self.comments = 0
        self.links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or ""
        self.tags.append(StartTag(tag, text, tuple(attrs), self.links > 0))
        self.links += tag == "a"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.links -= tag == "a" and self.links > 0

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def read_fragment(fragment: str) -> tuple[list[StartTag], int]:
    """The start tags of ``fragment`` and its number of comments. The tokenizer gives up
    on some malformed markup (``<![x]``): what it read until then is returned, and the
    sanitizer, which parses as browsers do, still cleans the whole."""
    reader = _Reader()
    try:
        reader.feed(fragment)
        reader.close()
    except AssertionError:  # _markupbase's "unknown status keyword" in a marked section
        pass
    return reader.tags, reader.comments


# --- what presse check says about a fragment ------------------------------------------


@dataclass(frozen=True, slots=True)
class RawHtmlReport:
    """What a fragment of raw HTML holds and what the level would drop from it."""

    dropped: tuple[str, ...]  # e.g. "<script>", 'onclick= on <a>', 'href="javascript:…" on <a>'
    comments: int
    links: tuple[str, ...]  # href of each <a>
    images: tuple[tuple[str, str | None], ...]  # (src, alt or None) of each <img>
    iframes: tuple[tuple[str, str | None], ...]  # (src, title or None) of each <iframe>


def _safe_url(url: str) -> bool:
    """Whether the sanitizer keeps ``url``: relative, or of an allowed scheme."""
    scheme, colon, _ = "".join(c for c in url if c > " ").partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True
    return scheme.lower() in URL_SCHEMES


def _dropped(tag: StartTag, level: str) -> list[str]:
    """What the ``level`` removes of one start tag (iframes: see the embed rule)."""
    if level == "all" or tag.name == "iframe":
        return []
    if level == "none" or tag.name not in SAFE_TAGS:
        return [f"<{tag.name}>"]
    allowed = SAFE_ATTRIBUTES.get(tag.name, frozenset()) | SAFE_ATTRIBUTES["*"]
    dropped: list[str] = []
    for name, value in tag.attrs:
        if name not in allowed:
            dropped.append(f"{name}= on <{tag.name}>")
        elif name in ("href", "src", "cite") and value and not _safe_url(value):
            dropped.append(f'{name}="{value}" on <{tag.name}>')
    return dropped


def raw_html_report(fragment: str, level: str) -> RawHtmlReport:
    """What ``fragment`` (one raw HTML token's content) holds and would lose at ``level``."""
    tags, comments = read_fragment(fragment)
    dropped: list[str] = []
    for tag in tags:
        dropped += (item for item in _dropped(tag, level) if item not in dropped)
    return RawHtmlReport(
        dropped=tuple(dropped),
        comments=comments,
        links=tuple(t.get("href") or "" for t in tags if t.name == "a" and t.get("href")),
        images=tuple((t.get("src") or "", t.get("alt")) for t in tags if t.name == "img"),
        iframes=tuple((t.get("src") or "", t.get("title")) for t in tags if t.name == "iframe"),
    )
