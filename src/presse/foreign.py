"""Template syntax from other generators in article text. Pure: no I/O.

Articles moved in from Jekyll or Hugo carry their old generator's template code in
the prose: Liquid tags (``{% include video.html %}``), Liquid output
(``{{ site.baseurl }}``) and Hugo shortcodes (``{{< figure src="…" >}}``). presse
runs no template code from articles, so readers would see it as text. It is left
out of the page instead, and ``presse check`` names each one with its line and what
to write in its place. Code spans and code blocks are never touched: an article
about Jekyll shows its examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYNTAX = re.compile(
    r"""
      \{\{<\s*/?\s*[\w./-]+.*?>\}\}          # Hugo shortcode {{< name … >}}, {{< /name >}}
    | \{\{%\s*/?\s*[\w./-]+.*?%\}\}          # Hugo shortcode {{% name … %}}
    | \{%-?\s*[a-z_]+\b.*?-?%\}              # Liquid (and Jinja) tag {% name … %}
    | \{\{-?\s*(?:"[^"{}]*"|'[^'{}]*'|[A-Za-z_][\w.]*)  # Liquid output {{ site.url }},
      (?:\s*\|\s*\w+(?::\s*[^{}]*?)?)*\s*-?\}\}          # with filters: {{ x | relative_url }}
    """,
    re.VERBOSE | re.DOTALL,
)
_BACKTICKS = re.compile(r"`+")

# What to write instead, by the shortcode's or tag's name.
_ADVICE = {
    "figure": "write the image as ![description](address)",
    "youtube": "put the video's URL on a line of its own",
    "vimeo": "put the video's URL on a line of its own",
    "tweet": "put the post's URL on a line of its own",
    "x": "put the post's URL on a line of its own",
    "gist": "copy the code into a fenced code block, or link to the gist",
    "highlight": "use a fenced code block (```language)",
    "endhighlight": "use a fenced code block (```language)",
    "ref": "link to the article's address",
    "relref": "link to the article's address",
    "post_url": "link to the article's address",
    "link": "link to the page's address",
    "include": "write the included content into the article",
    "site.baseurl": "remove it: an address starting with / is the site's own",
    "site.url": "remove it: an address starting with / is the site's own",
    "raw": "nothing: presse never runs template code, so raw/endraw are not needed",
    "endraw": "nothing: presse never runs template code, so raw/endraw are not needed",
}


@dataclass(frozen=True, slots=True)
class ForeignSyntax:
    """One piece of another generator's template syntax, where it was in the text."""

    text: str
    offset: int  # in the text it was found in

    @property
    def kind(self) -> str:
        return "Hugo shortcode" if self.text.startswith(("{{<", "{{%")) else "Liquid"

    @property
    def name(self) -> str:
        found = re.match(r"\{[{%][<%]?-?\s*/?\s*([\w./-]+)", self.text)
        return found.group(1) if found else ""

    def advice(self) -> str:
        return _ADVICE.get(self.name.split("/")[0], "")


def find_foreign(text: str) -> list[ForeignSyntax]:
    """Every piece of foreign template syntax in ``text`` (Markdown source) that does not
    start inside a code span. (A shortcode may hold a code span: ``{{< details
    summary="`robots.txt`" >}}``.)"""
    if "{" not in text:
        return []
    code = _code_spans(text)
    found: list[ForeignSyntax] = []
    pos = 0
    while (match := _SYNTAX.search(text, pos)) is not None:
        inside = next((end for start, end in code if start <= match.start() < end), None)
        if inside is not None:
            pos = inside
            continue
        found.append(ForeignSyntax(match.group(), match.start()))
        pos = match.end()
    return found


def strip_foreign(text: str) -> tuple[str, list[ForeignSyntax]]:
    """``text`` without its foreign template syntax (see :func:`find_foreign`)."""
    found = find_foreign(text)
    if not found:
        return text, found
    pieces: list[str] = []
    pos = 0
    for item in found:
        pieces.append(text[pos : item.offset])
        pos = item.offset + len(item.text)
    pieces.append(text[pos:])
    return "".join(pieces), found


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each code span (a run of backticks closed by a run as long)."""
    spans: list[tuple[int, int]] = []
    search_from = 0
    while (opening := _BACKTICKS.search(text, search_from)) is not None:
        ticks = opening.group()
        closing = re.compile(rf"(?<!`){ticks}(?!`)").search(text, opening.end())
        if closing is None:
            search_from = opening.end()
            continue
        spans.append((opening.start(), closing.end()))
        search_from = closing.end()
    return spans
