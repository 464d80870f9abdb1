"""WordPress's stored text → plain HTML, the text pass before the HTML parse of
:mod:`presse.html_markdown`. Pure: text in, text out.

What WordPress stores is not the HTML it shows: a classic-editor post has no ``<p>``
(``wpautop`` adds them as the page is served), shortcodes (``[caption]``, ``[gallery]``)
and Gutenberg's block comments sit in the text, a video is a bare URL on its own line.
:func:`plain_html` reads those the way WordPress would:

* **Comments.** Gutenberg's block delimiters (``<!-- wp:image {…} -->``) and every other
  HTML comment (``<!--more-->``) go.
* **Paragraphs.** Text with no block delimiter is the classic editor's: runs separated
  by a blank line outside block elements become paragraphs, as ``wpautop`` makes them.
  WordPress shows a single line break inside a paragraph as ``<br>``; here it is a space
  (pasted text is often hard-wrapped), except in a paragraph of two lines or more that
  are all short (at most 40 characters: an address, opening hours, a poem), whose breaks
  are kept.
* **Captions.** ``[caption]<img …> Légende[/caption]`` becomes a ``<figure>`` of the image
  with its ``<figcaption>`` (and its attachment id in ``data-attachment``).
* **Embeds.** ``[embed]URL[/embed]``, ``[youtube URL]`` and its kin, and a provider's URL
  alone on a line of a classic post become ``<div data-presse-embed="URL">``.
* **Shortcodes** left (``[gallery]``, ``[contact-form-7 id="5"]``) are removed, their
  content kept, and listed in ``dropped``; ``[[name]]`` is WordPress's way of writing
  ``[name]`` as text. A bracketed word that is no known shortcode, has no attribute and no
  closing tag (``[sic]``) is text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from presse.embeds import Provider, find_embed

MAX_SHORT_LINE = 40  # a paragraph of lines this short keeps its line breaks

# wpautop's block elements: a paragraph never wraps them.
_AUTOP_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|script|p|h[1-6]|hr|fieldset|legend"
    r"|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu"
    r"|summary)"
)
_BLOCK_OPEN = re.compile(rf"(<{_AUTOP_BLOCKS}[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</{_AUTOP_BLOCKS}>)", re.IGNORECASE)
_STARTS_BLOCK = re.compile(rf"</?{_AUTOP_BLOCKS}[\s/>]", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BLOCK_DELIMITER = re.compile(r"<!--\s*/?wp:")
_CAPTION = re.compile(
    r"\[(?:wp_)?caption\b(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?:wp_)?caption\]", re.DOTALL
)
_CAPTION_IMAGE = re.compile(
    r"^\s*(?P<image>(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(?P<text>.*)$", re.DOTALL
)
_ATTRIBUTE = re.compile(r"""(?P<name>[\w-]+)\s*=\s*(?:"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<b>\S+))""")
_EMBED_SHORTCODE = re.compile(r"\[embed\b[^\]]*\](?P<url>.*?)\[/embed\]", re.DOTALL)
_VIDEO_SHORTCODE = re.compile(r"\[(?:youtube|vimeo|dailymotion)\s+(?P<url>https?://[^\s\]]+)\s*\]")
_SHORTCODE = re.compile(
    r"(?P<open>\[?)\[(?P<close>/?)(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?:\s[^\[\]]*)?)\](?P<end>\]?)"
)
_KNOWN_SHORTCODES = frozenset(
    {
        # WordPress itself
        "audio", "caption", "embed", "gallery", "playlist", "video", "wp_caption",
        # Jetpack and common plugins
        "contact-form", "contact-field", "contact-form-7", "gravityform", "ninja_form",
        "wpforms", "mc4wp_form", "youtube", "vimeo", "dailymotion", "soundcloud",
        "googlemaps", "instagram", "tweet", "twitter", "facebook", "pdf-embedder", "table",
        "slideshow", "portfolio", "recipe", "polldaddy", "crowdsignal", "archives",
    }
)  # fmt: skip
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not no-break spaces: those are typography
_WATCH_URLS = {
    "youtube": "https://www.youtube.com/watch?v={id}",
    "vimeo": "https://vimeo.com/{id}",
    "dailymotion": "https://www.dailymotion.com/video/{id}",
}


@dataclass(frozen=True, slots=True)
class PlainHtml:
    """A post's text ready for the HTML parse, and what was left out of it."""

    html: str
    dropped: tuple[str, ...]  # shortcodes removed, one line each


def plain_html(text: str, providers: tuple[Provider, ...]) -> PlainHtml:
    """A post's stored text as the HTML WordPress would show, shortcodes read or listed."""
    classic = _BLOCK_DELIMITER.search(text) is None
    dropped: list[str] = []
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _shortcodes(text, dropped, providers, classic=classic)
    if classic:
        text = _autop(text)
    return PlainHtml(text, tuple(dropped))


def _shortcodes(
    text: str, dropped: list[str], providers: tuple[Provider, ...], *, classic: bool
) -> str:
    """Captions and embeds as HTML presse understands; other shortcodes out, listed."""
    text = _CAPTION.sub(_caption_figure, text)

    def embed(match: re.Match[str]) -> str:
        url = html.unescape(match["url"]).strip()
        return _embed_block(url) if url else ""

    text = _EMBED_SHORTCODE.sub(embed, text)
    text = _VIDEO_SHORTCODE.sub(embed, text)
    if classic:  # WordPress embeds a provider's URL alone on its line
        text = _LONE_URL.sub(
            lambda m: _embed_block(m[1]) if embed_url(m[1], providers) else m[0], text
        )
    closed = {m["name"] for m in _SHORTCODE.finditer(text) if m["close"]}

    def drop(match: re.Match[str]) -> str:
        name, attrs = match["name"], match["attrs"]
        if match["open"] and match["end"]:  # [[gallery]]: the text "[gallery]"
            return match[0][1:-1]
        is_shortcode = (
            name in _KNOWN_SHORTCODES
            or "=" in attrs
            or name in closed
            or "_" in name
            or "-" in name
        )
        if not is_shortcode:
            return match[0]
        if not match["close"]:
            shown = f" {cut(attrs, 60)}" if attrs.strip() else ""
            dropped.append(f"shortcode [{name}{shown}] removed")
        return match["open"] + match["end"]

    return _SHORTCODE.sub(drop, text)


def _caption_figure(match: re.Match[str]) -> str:
    """``[caption id="attachment_12"]<img …> Légende[/caption]`` as a figure."""
    attrs = _attributes(match["attrs"])
    inner = _CAPTION_IMAGE.match(match["inner"])
    if inner is None:
        return match["inner"]
    caption = inner["text"].strip() or attrs.get("caption", "")
    number = re.search(r"\d+", attrs.get("id", ""))
    attachment = f' data-attachment="{number[0]}"' if number else ""
    return (
        f"\n\n<figure{attachment}>{inner['image']}<figcaption>{caption}</figcaption></figure>\n\n"
    )


def _embed_block(url: str) -> str:
    return f'\n\n<div data-presse-embed="{html.escape(url)}"></div>\n\n'


def _attributes(text: str) -> dict[str, str]:
    return {
        m["name"].lower(): html.unescape(m["q"] or m["s"] or m["b"] or "")
        for m in _ATTRIBUTE.finditer(text)
    }


def _autop(text: str) -> str:
    """Paragraphs for a classic-editor post, as WordPress's ``wpautop`` makes them."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\n\n<pre data-presse-kept='{len(kept) - 1}'></pre>\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", _BLOCK_OPEN.sub(r"\n\n\1", text))
    out: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk):
            out.append(chunk)
            continue
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        short = len(lines) > 1 and all(len(_strip_tags(line)) <= MAX_SHORT_LINE for line in lines)
        out.append("<p>" + ("<br>\n" if short else " ").join(lines) + "</p>")
    text = "\n".join(out)
    return re.sub(r"<pre data-presse-kept='(\d+)'></pre>", lambda m: kept[int(m[1])], text)


def _strip_tags(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def embed_url(src: str, providers: tuple[Provider, ...]) -> str | None:
    """The page presse shows as an embed for a URL or an iframe's address (a player's
    address gives its watch page), or None when no provider knows it."""
    address = html.unescape(src).strip()
    address = f"https:{address}" if address.startswith("//") else address
    try:
        parts = urlsplit(address)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for provider in providers:
        groups = provider.match(host, target)
        if groups is not None:
            watch = _WATCH_URLS.get(provider.key)
            return watch.format(id=groups["id"]) if watch and groups.get("id") else address
    return address if find_embed(address, providers) is not None else None


def squash(text: str) -> str:
    """Runs of spaces and line breaks as one space (no-break spaces kept)."""
    return _SPACES.sub(" ", text)


def cut(text: str, limit: int = 80) -> str:
    """The text squashed, at most ``limit`` characters, for a report line."""
    text = squash(text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
