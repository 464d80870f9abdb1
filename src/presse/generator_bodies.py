"""An imported body's template code (Liquid tags, Hugo shortcodes) written as presse's
own Markdown where its meaning is clear, and reported with its line either way. Pure.

Converted: a video or a post (its URL alone on a line, which presse shows as an
embed), Hugo's ``figure`` (a Markdown image), a highlight block (a fenced code block),
a Liquid comment (an HTML comment), ``raw``/``endraw`` (removed), a link's
``{{ site.baseurl }}`` (removed: a path starting with ``/`` is the site's). The rest
stays as written, with :mod:`presse.foreign`'s advice in the report: presse's build
leaves it out of the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from presse.foreign import ForeignSyntax, find_foreign
from presse.slugs import is_safe_link, is_web_url
from presse.wording import counted

BASE_OUTPUT = re.compile(r"\{\{-?\s*site\.(?:base)?url\s*-?\}\}")
"""Jekyll's ``{{ site.baseurl }}`` (or ``site.url``), which starts the site's own paths."""

_VIDEO_URL = {
    "youtube": ("https://www.youtube.com/watch?v={}", re.compile(r"[\w-]{6,20}")),
    "vimeo": ("https://vimeo.com/{}", re.compile(r"\d{1,12}")),
}
_ARGUMENT = re.compile(r"""(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`]+)""")
_IN_LINK = re.compile(
    r"""(?:\]\(\s*<?|^\s*\[[^\]\n]+\]:\s*|\b(?:href|src)\s*=\s*["']?)(?:\{\{[^{}\n]*\}\})*$"""
)
_URL_FILTER = re.compile(
    r"""\{\{-?\s*(["'])([^"'{}]*)\1\s*\|\s*(?:relative_url|absolute_url"""
    r"""|prepend:\s*site\.(?:base)?url)\s*-?\}\}"""
)
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\b(alt|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LIQUID, _SHORTCODE = "Liquid tag", "Hugo shortcode"


@dataclass(frozen=True, slots=True)
class Body:
    """A body with its template code converted, and what was done to it."""

    text: str
    recognised: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # see template_summary
    reviews: int = 0  # images whose description stands in for a missing one


def template_summary(counts: Mapping[str, int]) -> list[str]:
    """The summary's words for the template code of every body: ``10 Liquid tags
    converted``, ``3 Hugo shortcodes left out``."""
    lines = []
    for kind in (_LIQUID, _SHORTCODE):
        for done in ("left out", "converted"):
            n = counts.get(f"{kind} {done}", 0)
            if n:
                lines.append(f"{counted(n, kind)} {done}")
    return lines


@dataclass(frozen=True, slots=True)
class _Call:
    """A shortcode or Liquid tag read: its name and arguments (value, quoted)."""

    name: str
    closing: bool
    positional: tuple[tuple[str, bool], ...]
    named: Mapping[str, tuple[str, bool]]

    def value(self, *keys: str, index: int | None = None, quoted: bool = False) -> str:
        """The first named argument of ``keys`` (or the positional one at ``index``);
        with ``quoted``, only a literal ("…"), not a Liquid variable."""
        found = next((self.named[k] for k in keys if k in self.named), None)
        if found is None and index is not None and len(self.positional) > index:
            found = self.positional[index]
        if found is None or (quoted and not found[1]):
            return ""
        return found[0]


def _call(item: ForeignSyntax) -> _Call:
    """``{{< figure src="a.jpg" >}}``, ``{% include x.html id=page.id %}`` read."""
    inner = re.sub(r"^\{[{%][<%]?-?\s*|\s*-?[>%]?[}%]\}$", "", item.text)
    closing = inner.startswith("/")
    name, rest = ([*inner.lstrip("/").split(None, 1), "", ""])[:2]
    positional: list[tuple[str, bool]] = []
    named: dict[str, tuple[str, bool]] = {}
    for key, raw in _ARGUMENT.findall(rest):
        quoted = raw[:1] in "\"'`" and len(raw) > 1 and raw[-1] == raw[0]
        value = raw[1:-1].replace('\\"', '"') if quoted else raw
        if key:
            named[key.lower()] = (value, quoted)
        else:
            positional.append((value, quoted))
    return _Call(name.lower(), closing, tuple(positional), named)


def convert_body(body: str, first: int, title: str) -> Body:
    """The body with the template code whose meaning is clear written as presse's own
    Markdown, each piece of it reported with its line in the file (``first`` is the
    body's first line)."""
    found = find_foreign(body)
    edits: list[tuple[int, int, str]] = []
    recognised: list[str] = []
    dropped: list[str] = []
    counts: Counter[str] = Counter()
    skip: set[int] = set()
    for i, item in enumerate(found):
        if i in skip:
            continue
        line = first + body.count("\n", 0, item.offset)
        shortcode = item.kind == "Hugo shortcode"
        kind = _SHORTCODE if shortcode else _LIQUID
        shown = f"{kind} {_shown(item.text)}"
        call = None if item.text.startswith("{{") and not shortcode else _call(item)
        pair = _pair(body, found, i, call, shortcode)
        if pair is not None:
            closer, opening, closing, note = pair
            skip.update(range(i + 1, closer + 1))
            end = found[closer]
            edits.append((item.offset, item.offset + len(item.text), opening))
            edits.append((end.offset, end.offset + len(end.text), closing))
            last = first + body.count("\n", 0, end.offset)
            recognised.append(f"lines {line}–{last}: {shown} → {note}")
            counts[f"{kind} converted"] += 2
            continue
        converted = _one(body, item, call, title)
        if converted is not None:
            start, stop, text, note, review = converted
            edits.append((start, stop, text))
            recognised.append(f"line {line}: {shown} → {note}")
            counts[f"{kind} converted"] += 1
            if review:
                dropped.append(f"line {line}: {review}")
                counts["review"] += 1
            continue
        advice = item.advice() or "left out of the published page"
        dropped.append(f"line {line}: {shown} ({advice})")
        counts[f"{kind} left out"] += 1
    text = body
    for start, stop, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[stop:]
    reviews = counts.pop("review", 0)
    return Body(text, tuple(recognised), tuple(dropped), dict(counts), reviews)


def _pair(
    body: str, found: list[ForeignSyntax], i: int, call: _Call | None, shortcode: bool
) -> tuple[int, str, str, str] | None:
    """A highlight block (Liquid or Hugo) as a fenced code block, a Liquid comment as an
    HTML comment (readers never see either): the closing item's index, what replaces
    the opening and the closing, and the report's note."""
    if call is None or call.closing or call.name not in ("highlight", "comment"):
        return None
    if shortcode and call.name != "highlight":
        return None
    for j in range(i + 1, len(found)):
        if (found[j].kind == "Hugo shortcode") != shortcode:
            continue
        if not shortcode and found[j].text.startswith("{{"):
            continue
        other = _call(found[j])
        ends = (other.closing and other.name == call.name) or other.name == "end" + call.name
        if not ends:
            continue
        inside = body[found[i].offset + len(found[i].text) : found[j].offset]
        if call.name == "comment":
            if "-->" in inside:
                return None
            return j, "<!--", "-->", "HTML comment (never shown to readers)"
        if _line_of(body, found[i]) is None or _line_of(body, found[j]) is None:
            return None
        language = call.value(index=0)
        language = language if re.fullmatch(r"[\w+#.-]+", language) else ""
        runs = [len(run) for run in re.findall(r"`{3,}|~{3,}", inside)]
        fence = "`" * max(3, *(n + 1 for n in runs)) if runs else "```"
        return j, fence + language, fence, f"code block {fence}{language}"
    return None


_Edit = tuple[int, int, str, str, str]


def _one(body: str, item: ForeignSyntax, call: _Call | None, title: str) -> _Edit | None:
    """One piece of template code as presse's Markdown: the span it replaces, the text,
    the report's note and what a person should review ("" if nothing); None when its
    meaning is not clear enough."""
    start, stop = item.offset, item.offset + len(item.text)
    if call is None:  # Liquid output: {{ site.baseurl }} in a link's address
        line_start = body.rfind("\n", 0, start) + 1
        if not _IN_LINK.search(body[line_start:start]):
            return None
        if BASE_OUTPUT.fullmatch(item.text):
            return start, stop, "", "removed from the link's address", ""
        filtered = _URL_FILTER.fullmatch(item.text)
        if filtered is None or ":" in filtered.group(2):
            return None
        path = "/" + filtered.group(2).lstrip("/")
        return start, stop, path, path, ""
    name = call.name
    if name in ("raw", "endraw") and item.kind == "Liquid":
        line = _line_of(body, item)
        start, stop = (line[0], min(line[1] + 1, len(body))) if line else (start, stop)
        return start, stop, "", "removed (presse runs no template code)", ""
    url = _embed_url(call, item.kind == "Liquid")
    if url:
        return (start, stop, url, url, "") if _line_of(body, item) else None
    if name == "figure" and item.kind == "Hugo shortcode":
        return _figure(call, start, stop, title)
    return None


def _embed_url(call: _Call, liquid: bool) -> str:
    """The address of a video or post a shortcode or Liquid tag shows, when explicit."""
    name = call.name
    if liquid and name == "include":
        included = call.value(index=0).lower()
        name = next((n for n in _VIDEO_URL if n in included), "")
        if not name:
            return ""
        value = call.value("id", "video_id", f"{name}_id", "video", quoted=True)
    elif name in _VIDEO_URL:
        value = call.value("id", index=0)
        if liquid and is_web_url(value):
            return value if name in urlsplit(value).netloc else ""
    elif name in ("tweet", "x", "twitter"):
        if liquid:
            value = call.value(index=0)
            host = urlsplit(value).netloc if is_web_url(value) else ""
            return value if host.removeprefix("www.") in ("twitter.com", "x.com") else ""
        user = call.value("user", index=0 if len(call.positional) == 2 else None)
        post = call.value("id", index=len(call.positional) - 1)
        if not re.fullmatch(r"\d{1,25}", post) or not re.fullmatch(r"\w{0,15}", user):
            return ""
        return f"https://x.com/{user or 'i'}/status/{post}"
    else:
        return ""
    template, valid = _VIDEO_URL[name]
    return template.format(value) if valid.fullmatch(value) else ""


def _figure(call: _Call, start: int, stop: int, title: str) -> _Edit | None:
    """Hugo's ``figure`` as a Markdown image, its caption as the image's title (presse
    shows it as the figure's caption). presse wants every photo described: without
    ``alt``, the caption (else the article's title) stands in, for a person to review."""
    src = call.value("src")
    if not src or not (is_safe_link(src) or is_relative_path(src)):
        return None
    caption = plain(call.value("caption") or call.value("title"))
    alt = " ".join(call.value("alt").split())
    review = ""
    if not alt:
        alt = caption or title
        stand_in = "the caption" if caption else "the article's title"
        review = f'image "{src}" has no alt text: {stand_in} stands in, to review'
    alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    target = f"<{src}>" if re.search(r"[\s()<>]", src) else src
    titled = ' "' + caption.replace("\\", "\\\\").replace('"', '\\"') + '"' if caption else ""
    image = f"![{alt}]({target}{titled})"
    return start, stop, image, image, review


def _line_of(body: str, item: ForeignSyntax) -> tuple[int, int] | None:
    """Start and end of the item's line when it is alone on it, else None."""
    start, stop = item.offset, item.offset + len(item.text)
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", stop)
    line_end = len(body) if line_end < 0 else line_end
    if body[line_start:start].strip() or body[stop:line_end].strip():
        return None
    return line_start, line_end


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


# --- what the body shows, for the lead image ----------------------------------------


def body_images(body: str) -> list[tuple[str, str]]:
    """Each image of the body (in Markdown or an HTML ``<img>``): its address and its
    description."""
    found = [(src, alt) for alt, src in _MD_IMAGE.findall(body)]
    for tag in _HTML_IMAGE.findall(body):
        attributes = {m[0].lower(): m[1] or m[2] for m in _ATTRIBUTE.findall(tag)}
        found.append((attributes.get("src", ""), attributes.get("alt", "")))
    return found


def is_relative_path(reference: str) -> bool:
    """A path beside the article that leads nowhere else (no scheme, no ``..``)."""
    return (
        ":" not in reference
        and "\\" not in reference
        and not reference.startswith("/")
        and ".." not in reference.split("/")
        and reference.isprintable()
    )


def plain(text: str) -> str:
    """A caption without its markup: readers see an image's title as text."""
    text = re.sub(r"<[^>]*>", "", text)
    return " ".join(re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text).split())
