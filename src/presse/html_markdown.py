"""WordPress post HTML → presse Markdown, for the WordPress and feed imports. Pure: text
in, text out.

:func:`html_to_markdown` first has :func:`presse.wp_text.plain_html` read the text the way
WordPress would (comments, ``wpautop`` paragraphs, shortcodes), then rewrites what presse
has its own syntax for, then hands plain HTML to markdownify (chosen by measurement over
html2text and html-to-markdown: right on every construct we tried, readable escaping,
no-break spaces kept). What is written by hand here, never by markdownify, is put in
afterwards through placeholders, so that nothing escapes it twice.

* **Images.** A ``<figure>`` of one image with its ``<figcaption>`` (a ``[caption]``
  shortcode became one) becomes ``![alt](src "Légende")`` alone in its paragraph,
  which presse publishes as a figure with its caption; so does an image alone in its
  paragraph (without caption). A link around an image to the image's own file goes.
  ``place`` may give each image another address and alt text (the importer's copy of the
  file); an image still without alt text gets its caption, else the words of its file
  name, with a line in ``dropped`` (an empty alt would mean « decorative »).
* **Embeds.** What :mod:`presse.wp_text` marked as an embed, Gutenberg's embed figures,
  and the ``<iframe>`` of a known provider become the URL alone in its paragraph, which
  presse publishes as an embed (a player's iframe gives its page's address:
  ``youtube.com/embed/ID`` → ``youtube.com/watch?v=ID``). An iframe no provider knows is
  dropped, and listed.
* **Quotations.** A ``<blockquote>`` with a ``<cite>``, or followed by a paragraph
  starting with a dash (``–``, ``—``, ``-``), becomes presse's quotation: ``> « … »``, a
  blank line, ``– Name, role`` (guillemets added when the quote has none).
* ``<script>``, ``<style>``, forms, ``<video>``/``<audio>`` and other markup with no place
  in an article are dropped and listed; an inline element wrapped around paragraphs (an
  ``<em>`` never closed) is unwrapped, so that its markers cannot span paragraphs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml.html import HtmlElement
from markdownify import ATX, BACKSLASH, MarkdownConverter

from presse.embeds import Provider, builtin_providers
from presse.headlines import ATTRIBUTION, QUOTE_OPENERS
from presse.links import encode_url
from presse.wp_text import cut, embed_url, plain_html, squash


@dataclass(frozen=True, slots=True)
class Image:
    """An image of the body as found in the HTML, given to ``place`` to rewrite."""

    src: str
    alt: str  # "" when the HTML gives none (WordPress writes alt="" by default)
    caption: str = ""
    attachment: int | None = None  # WordPress's attachment id (class "wp-image-12")


@dataclass(frozen=True, slots=True)
class Converted:
    markdown: str
    images: tuple[tuple[str, str, str], ...]  # (src, alt, caption) as written, in order
    dropped: tuple[str, ...]  # what was left out or made up, one line each
    embeds: int = 0
    quotations: int = 0


Place = Callable[[Image], Image]

_DROPPED_TAGS = frozenset(("script", "style", "noscript", "form", "object", "embed", "applet",
                           "svg", "canvas", "video", "audio", "button", "input", "select",
                           "textarea"))  # fmt: skip
_INLINE = ("a", "em", "i", "strong", "b", "span", "u", "s", "del", "ins", "mark", "small",
           "sup", "sub", "code", "q", "cite", "font", "abbr")  # fmt: skip
_BLOCK = frozenset(("p", "div", "blockquote", "ul", "ol", "li", "table", "figure", "pre", "h1",
                    "h2", "h3", "h4", "h5", "h6", "hr", "dl", "section", "article"))  # fmt: skip
_WP_IMAGE = re.compile(r"\bwp-image-(\d+)\b")
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>&!])")

_ESCAPE_ANYWHERE = re.compile(r"([\\`*_\[\]|~])")
_ESCAPE_HTML = re.compile(r"(<)(?=[A-Za-z/!?])|(&)(?=#?\w+;)")
_ESCAPE_LINE_START = re.compile(
    r"^([ \t]*)(#{1,6}(?=[ \t]|$)|[-+=>]|\d{1,9}(?=[.)](?:[ \t]|$)))", re.MULTILINE
)


class _Converter(MarkdownConverter):
    """markdownify, escaping what Markdown would read as markup and nothing else: its own
    ``escape_misc`` escapes a period after every number (« en 1991\\. ») and every ``=``,
    ``+`` and ``&``, which makes the text hard to edit."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        text = _ESCAPE_ANYWHERE.sub(r"\\\1", text)
        text = _ESCAPE_HTML.sub(lambda m: "\\" + m[0], text)
        return _ESCAPE_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    """``\\#``, ``\\-``, ``\\>``…; for a number, the period after it: ``1\\.``."""
    indent, marker = match[1], match[2]
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"


# libxml2 stops at 256 levels of nesting and drops what is deeper; "huge" allows 2 048.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_CONVERTER = _Converter(
    heading_style=ATX, bullets="-", newline_style=BACKSLASH, table_infer_header=True
)


def html_to_markdown(
    html_text: str, place: Place | None = None, providers: tuple[Provider, ...] | None = None
) -> Converted:
    """The Markdown of a WordPress post body, with its images and what was dropped."""
    providers = builtin_providers() if providers is None else providers
    work = _Work(_placeholder_mark(html_text), place, providers)
    plain = plain_html(html_text, providers)
    work.dropped += plain.dropped
    text = plain.html
    if not text.strip():
        return Converted("", (), tuple(work.dropped))
    root = lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)
    _prepare(root, work)
    try:
        markdown = _CONVERTER.convert(lxml.html.tostring(root, encoding="unicode"))
    except RecursionError:  # markdownify recurses once an element: hundreds deep
        work.dropped.append("markup nested too deep for Markdown: its text kept as paragraphs")
        markdown = _text_paragraphs(root)
    markdown = work.token.sub(lambda m: work.slots[int(m[1])], markdown)
    markdown = re.sub(r"[ \t]+$", "", markdown, flags=re.MULTILINE)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    return Converted(
        markdown + "\n" if markdown else "",
        tuple(work.images),
        tuple(work.dropped),
        work.embeds,
        work.quotations,
    )


class _Work:
    """What one conversion collects: placeholders' Markdown, images, dropped lines."""

    def __init__(self, mark: str, place: Place | None, providers: tuple[Provider, ...]):
        self.mark = mark
        self.token = re.compile(rf"{mark}(\d+){mark}")
        self.place = place
        self.providers = providers
        self.slots: list[str] = []
        self.images: list[tuple[str, str, str]] = []
        self.dropped: list[str] = []
        self.embeds = 0
        self.quotations = 0

    def slot(self, markdown: str) -> str:
        self.slots.append(markdown)
        return f"{self.mark}{len(self.slots) - 1}{self.mark}"


def _text_paragraphs(root: HtmlElement) -> str:
    """The text of the tree, one paragraph a block, escaped: when markup cannot be kept."""
    for element in root.iter(*_BLOCK, "br", "td", "th"):
        element.tail = "\n\n" + (element.tail or "")
    blocks = (squash(b).strip() for b in root.text_content().split("\n\n"))
    return "\n\n".join(_CONVERTER.escape(b, set()) for b in blocks if b)


def _placeholder_mark(text: str) -> str:
    """Letters markdownify leaves alone and the text does not hold."""
    mark = "zqpressezq"
    while mark in text:
        mark += "q"
    return mark


# --- the document ----------------------------------------------------------------------


def _prepare(root: HtmlElement, work: _Work) -> None:
    """Rewrite the tree in place so that markdownify writes presse's Markdown."""
    for element in list(root.iter(*_DROPPED_TAGS)):
        if element.getparent() is not None and _alive(element, root):
            _drop_listed(element, work)
    for element in list(root.iter(*_INLINE)):
        if any(d.tag in _BLOCK for d in element.iterdescendants()):
            element.drop_tag()
    _embeds(root, work)
    _figures(root, work)
    _images(root, work)
    _quotations(root, work)
    for link in root.iter("a"):
        href = link.get("href")
        if href is not None:
            link.set("href", _address(href))
    for paragraph in list(root.iter("p")):
        if len(paragraph) == 0 and not (paragraph.text or "").strip():
            _remove(paragraph)


def _alive(element: HtmlElement, root: HtmlElement) -> bool:
    """Still in the tree (an ancestor dropped earlier took it along)."""
    return any(a is root for a in element.iterancestors())


def _drop_listed(element: HtmlElement, work: _Work) -> None:
    detail = element.get("src") or squash(element.text_content()).strip()
    if not detail:
        source = element.find(".//source")
        detail = source.get("src", "") if source is not None else ""
    work.dropped.append(f"<{element.tag}> removed" + (f": {cut(detail)}" if detail else ""))
    _remove(element)


def _embeds(root: HtmlElement, work: _Work) -> None:
    for element in list(root.iter("div", "figure", "iframe")):
        if not _alive(element, root):
            continue
        url: str | None = None
        if element.tag == "div" and element.get("data-presse-embed") is not None:
            url = element.get("data-presse-embed") or ""
        elif element.tag == "figure" and "wp-block-embed" in (element.get("class") or ""):
            wrapper = element.find(".//div")
            words = squash((wrapper if wrapper is not None else element).text_content()).split()
            url = words[0] if words else ""
            known = embed_url(url, work.providers)
            if url:
                block = lxml.html.Element("p")
                block.text = work.slot(known or f"<{_address(url)}>")
                element.addprevious(block)
                work.embeds += known is not None
            if wrapper is not None:
                _remove(wrapper)
            for caption in element.iter("figcaption"):
                caption.tag = "p"
            element.drop_tag()
            continue
        elif element.tag == "iframe":
            src = element.get("src") or ""
            url = embed_url(src, work.providers)
            if url is None:
                work.dropped.append(f"<iframe> of no known embed provider removed: {cut(src)}")
                _remove(element)
                continue
        if url is None:
            continue
        if not url:
            _remove(element)
            continue
        work.embeds += 1
        _replace_with_block(element, work.slot(url))


def _figures(root: HtmlElement, work: _Work) -> None:
    """A figure of one image: the image with its caption; any other: its content."""
    for figure in reversed(list(root.iter("figure"))):
        if not _alive(figure, root):
            continue
        images = list(figure.iter("img"))
        captions = list(figure.iter("figcaption"))
        if len(images) == 1:
            caption = " ".join(squash(c.text_content()).strip() for c in captions).strip()
            for element in captions:
                _remove(element)
            number = figure.get("data-attachment")
            markdown = _image(images[0], work, caption, int(number) if number else None)
            link = _link_around(images[0])
            if link is not None and markdown:  # a figure that links to a page: keep the link
                markdown = f"[{markdown}]({_address(link.get('href') or '')})"
            _replace_with_block(figure, work.slot(markdown))
            continue
        for element in captions:
            element.tag = "p"
        figure.drop_tag()


def _images(root: HtmlElement, work: _Work) -> None:
    """Images left: alone in a paragraph, a figure without caption; among words, inline."""
    for image in list(root.iter("img")):
        if not _alive(image, root):
            continue
        _unlink_from_itself(image)
        paragraph = next((a for a in image.iterancestors() if a.tag == "p"), None)
        holder = paragraph if paragraph is not None else image.getparent()
        alone = holder is root or (paragraph is not None and not paragraph.text_content().strip())
        if alone and _link_around(image) is None:
            markdown = work.slot(_image(image, work, "", None))
            if holder is root:
                _replace_with_block(image, markdown)
            else:
                _remove(image)
                block = lxml.html.Element("p")
                block.text = markdown
                holder.addprevious(block)
                if not holder.text_content().strip() and not list(holder.iter("img")):
                    _remove(holder)
        else:
            _replace_with_text(image, work.slot(_image(image, work, "", None, inline=True)))


def _image(
    image: HtmlElement, work: _Work, caption: str, attachment: int | None, *, inline: bool = False
) -> str:
    """The Markdown of an image, its link to its own file removed."""
    _unlink_from_itself(image)
    src = html.unescape(image.get("src") or image.get("data-src") or "").strip()
    found = _WP_IMAGE.search(image.get("class") or "")
    number = int(found[1]) if found else attachment
    alt = squash(image.get("alt") or "").strip()
    if not src or src.startswith("data:"):
        work.dropped.append("image without an address removed" + (f": {cut(alt)}" if alt else ""))
        return alt if inline else ""
    placed = Image(src, alt, caption, number)
    if work.place is not None:
        placed = work.place(placed)
    if not placed.alt.strip():
        made, why = (
            (placed.caption, "its caption")
            if placed.caption
            else (_file_words(placed.src), "its file name")
        )
        work.dropped.append(f'image without alt text: made from {why}, "{cut(made)}", to review')
        placed = replace(placed, alt=made)
    work.images.append((placed.src, placed.alt, placed.caption))
    title = f' "{_escape_title(placed.caption)}"' if placed.caption and not inline else ""
    return f"![{_escape_text(placed.alt)}]({_address(placed.src)}{title})"


def _link_around(image: HtmlElement) -> HtmlElement | None:
    return next((a for a in image.iterancestors() if a.tag == "a"), None)


def _unlink_from_itself(image: HtmlElement) -> None:
    """Drop a link around the image to the image's own file (WordPress's « link to media file »)."""
    link = _link_around(image)
    src = image.get("src") or image.get("data-src") or ""
    if link is not None and _same_image(link.get("href") or "", src):
        link.drop_tag()


def _same_image(href: str, src: str) -> bool:
    """A link to the image's own file (its full size: ``photo.jpg`` for ``photo-300x200.jpg``)."""
    if not href or not src:
        return False

    def key(url: str) -> str:
        path = unquote(urlsplit(html.unescape(url)).path)
        return _SIZE_SUFFIX.sub("", path.rsplit("/", 1)[-1]).lower()

    return key(href) == key(src)


def _file_words(src: str) -> str:
    """« port de plouzevan » for ``…/port-de-plouzevan-1024x683.jpg``."""
    name = unquote(urlsplit(src).path).rsplit("/", 1)[-1]
    stem = _SIZE_SUFFIX.sub("", name).rsplit(".", 1)[0]
    return " ".join(re.split(r"[-_\s]+", stem)).strip() or "image"


def _quotations(root: HtmlElement, work: _Work) -> None:
    for quote in list(root.iter("blockquote")):
        if any(a.tag == "blockquote" for a in quote.iterancestors()):
            continue
        who = ""
        cite = _trailing_cite(quote)
        following = quote.getnext()
        if cite is not None:
            who = squash(cite.text_content()).strip()
            holder = cite.getparent()
            _remove(cite)
            if holder is not quote and len(holder) == 0 and not (holder.text or "").strip():
                _remove(holder)
        elif following is not None and following.tag == "p" and not (quote.tail or "").strip():
            match = ATTRIBUTION.match(squash(following.text_content()).strip())
            if match:
                who = match["who"]
                _remove(following)
        if not who or not squash(quote.text_content()).strip():
            continue
        blocks = [p for p in quote.iter("p") if p.text_content().strip()] or [quote]
        if not quote.text_content().lstrip().startswith(QUOTE_OPENERS):
            first, last = blocks[0], blocks[-1]
            first.text = "« " + (first.text or "").lstrip()
            if len(last):
                last[-1].tail = (last[-1].tail or "").rstrip() + " »"
            else:
                last.text = (last.text or "").rstrip() + " »"
        attribution = lxml.html.Element("p")
        attribution.text = f"– {who}"
        attribution.tail = quote.tail
        quote.tail = None
        quote.addnext(attribution)
        work.quotations += 1


def _trailing_cite(quote: HtmlElement) -> HtmlElement | None:
    """The quote's last ``<cite>`` when nothing but spaces follows it in the quote: an
    attribution, not a title cited in the text."""
    cites = list(quote.iter("cite"))
    if not cites:
        return None
    node = cites[-1]
    while node is not quote:
        if (node.tail or "").strip() or any(s.text_content().strip() for s in node.itersiblings()):
            return None
        node = node.getparent()
    return cites[-1]


# --- tree helpers ------------------------------------------------------------------------


def _remove(element: HtmlElement) -> None:
    """Take an element out, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    _append_text_before(element, element.tail or "")
    parent.remove(element)


def _replace_with_text(element: HtmlElement, text: str) -> None:
    _append_text_before(element, text)
    _remove(element)


def _append_text_before(element: HtmlElement, text: str) -> None:
    if not text:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + text


def _replace_with_block(element: HtmlElement, token: str) -> None:
    """Put a placeholder paragraph where ``element`` is; inside a paragraph, after it."""
    paragraph = next((a for a in element.iterancestors() if a.tag == "p"), None)
    if paragraph is None:
        block = lxml.html.Element("p")
        block.text = token
        block.tail = element.tail
        element.tail = None
        element.addprevious(block)
        element.getparent().remove(element)
        return
    _remove(element)
    block = lxml.html.Element("p")
    block.text = token
    paragraph.addnext(block)
    if not paragraph.text_content().strip() and not list(paragraph.iter("img", "iframe")):
        _remove(paragraph)


# --- text helpers ------------------------------------------------------------------------


def _escape_text(text: str) -> str:
    """Text inside ``![…]``: Markdown's specials written as themselves."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", squash(text).strip())


def _escape_title(text: str) -> str:
    return squash(text).strip().replace("\\", "\\\\").replace('"', '\\"')


def _address(url: str) -> str:
    """A URL Markdown reads whole: percent-encoded, parentheses too when unbalanced."""
    url = encode_url(html.unescape(url).strip())
    if url.count("(") != url.count(")"):
        url = url.replace("(", "%28").replace(")", "%29")
    return url.replace("<", "%3C").replace(">", "%3E")
