"""French typographic rules for plain text.

A pure module: no I/O, no state, nothing but string functions. It turns what people type
on a keyboard into what French typesetting expects:

* ``...`` becomes an ellipsis ``…`` and ``'`` a typographic apostrophe ``’``;
* paired straight quotes ``"…"`` become guillemets ``« … »``;
* a narrow no-break space (U+202F) goes inside guillemets and before ``;``, ``!``, ``?``;
* a no-break space (U+00A0) goes before ``:`` and between a number and ``%``.

Whitespace already next to these signs is normalised to exactly one space of the right
kind, so :func:`typographize` is idempotent and leaves correct text unchanged. URLs and
e-mail addresses are protected: they come back byte for byte.

Markers. The markdown renderer joins the text pieces of a paragraph with :data:`BOUNDARY`
where inline markup (emphasis, links, code spans…) sat between them, calls
:func:`typographize`, and splits the result back on :data:`BOUNDARY`. Every marker of the
input is in the output, in the same order relative to the text, and the rules see through
markers. Placement convention (``{b}`` is a marker, ``{nbsp}``/``{nnbsp}`` the spaces):

* whitespace already there is normalised *where it stands*, never moved across a marker;
  if markers split it into several runs, only the run nearest to the sign is normalised:
  ``« {b}mot{b} »`` → ``«{nnbsp}{b}mot{b}{nnbsp}»``;
* a space that has to be *inserted* goes right against the sign, so any markers stay on
  the side of the neighbouring word: ``Note{b}:`` → ``Note{b}{nbsp}:`` and
  ``«{b}mot{b}»`` → ``«{nnbsp}{b}mot{b}{nnbsp}»``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["BOUNDARY", "typographize"]

BOUNDARY: str = "\ue000"
"""Zero-width marker standing for inline markup between two text pieces of a paragraph."""

NBSP = "\u00a0"
"""No-break space: before ``:`` and ``%``."""

NNBSP = "\u202f"
"""Narrow no-break space: before ``;``, ``!``, ``?`` and inside guillemets."""

_B = BOUNDARY
# Protected spans are replaced by one private-use character (never BOUNDARY) while the
# rules run; to the rules, such a placeholder is a word.
_PLACEHOLDER_FIRST = "\ue001"
_PLACEHOLDER_LAST = "\uf8ff"

# Characters at least one rule reacts to: text with none of them is returned as is.
_TRIGGERS = re.compile(r"""['".:;!?%«»]""")

# Where a URL or an e-mail address may be: a scheme, "www." or an "@". Regexes starting with
# a literal are scanned fast; the context around a candidate is then checked in Python.
_PROTECTED_CANDIDATE = re.compile(r"https?://|ftp://|mailto:|www\.|@")
# URLs run up to whitespace, a marker, a quote or an angle bracket...
_URL = re.compile(rf"""(?:https?://|ftp://|mailto:|www\.)[^\s{_B}"«»<>]+""")
# ... less the punctuation that ends the sentence rather than the URL.
_URL_TRAILING = ".,;:!?…'’\"»"
_URL_BRACKETS = {")": "(", "]": "["}
# E-mail addresses are read backwards from their @ for the local part, forwards for the domain.
_EMAIL_LOCAL = frozenset("._+-")
_EMAIL_DOMAIN = re.compile(r"\w[\w-]*(?:\.[\w-]+)+")


def _url_end(span: str) -> int:
    """Length of ``span`` once sentence punctuation and unbalanced brackets are cut off."""
    end = len(span)
    while end:
        last = span[end - 1]
        if last in _URL_TRAILING or (
            last in _URL_BRACKETS
            and span.count(last, 0, end) > span.count(_URL_BRACKETS[last], 0, end)
        ):
            end -= 1
        else:
            break
    return end


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each URL and e-mail address in ``text``, left to right."""
    spans: list[tuple[int, int]] = []
    pos = 0  # end of the last span: spans never overlap
    for candidate in _PROTECTED_CANDIDATE.finditer(text):
        at = candidate.start()
        if at < pos:
            continue
        if candidate.group() == "@":
            start = at
            while start > pos and (_word_char(text[start - 1]) or text[start - 1] in _EMAIL_LOCAL):
                start -= 1
            while start < at and not _word_char(text[start]):
                start += 1  # the local part starts with a letter or a digit
            domain = _EMAIL_DOMAIN.match(text, at + 1)
            if start == at or domain is None:
                continue
            end = domain.end()
        else:
            start = at
            if at and _word_char(text[at - 1]):
                continue  # inside a word: "awww.", "xhttp://"
            url = _URL.match(text, at)
            if url is None:
                continue
            end = at + _url_end(url.group())
            if end <= candidate.end():
                continue  # nothing left but "www." or "http://"
        spans.append((start, end))
        pos = end
    return spans


def _word_char(char: str) -> bool:
    """Whether ``char`` belongs to a word (a letter, digit or underscore), like regex ``\\w``."""
    return char.isalnum() or char == "_"


def _protect(text: str) -> tuple[str, str, list[str]]:
    """Replace each URL and e-mail address by a placeholder: (text, placeholder, spans)."""
    spans = _protected_spans(text)
    if not spans:
        return text, "", []
    placeholder = _unused_placeholder(text)
    pieces: list[str] = []
    pos = 0
    for start, end in spans:
        pieces += (text[pos:start], placeholder)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), placeholder, [text[start:end] for start, end in spans]


def _unused_placeholder(text: str) -> str:
    """A private-use character absent from ``text``, to stand for its protected spans."""
    for code in range(ord(_PLACEHOLDER_FIRST), ord(_PLACEHOLDER_LAST) + 1):
        if chr(code) not in text:
            return chr(code)
    raise ValueError("text uses every private-use character: cannot protect its URLs")


def _restore(text: str, placeholder: str, spans: list[str]) -> str:
    """Put the protected spans back in place of their placeholders, in order."""
    parts = text.split(placeholder)
    out = [parts[0]]
    for span, part in zip(spans, parts[1:], strict=True):
        out += (span, part)
    return "".join(out)


def _wordlike(char: str) -> bool:
    """Whether ``char`` ends something a sign may be glued to (a word, a number, a bracket)."""
    return bool(char) and (
        char.isalnum() or char in "%»)]" or _PLACEHOLDER_FIRST <= char <= _PLACEHOLDER_LAST
    )


def _digit(char: str) -> bool:
    """Whether ``char`` ends a number."""
    return char.isdecimal()


def _anything(char: str) -> bool:
    """Whether ``char`` is there at all (empty at the start of the text)."""
    return bool(char)


def _visible_before(text: str, index: int) -> str:
    """The character before ``index``, markers skipped; empty at the start of the text."""
    while index and text[index - 1] == BOUNDARY:
        index -= 1
    return text[index - 1] if index else ""


@dataclass(frozen=True)
class _Substitution:
    """A rule that is one regex substitution, run only if its trigger characters occur."""

    name: str
    pattern: re.Pattern[str]
    replacement: str | Callable[[re.Match[str]], str]
    triggers: str

    def apply(self, text: str) -> str:
        if any(c in text for c in self.triggers):
            return self.pattern.sub(self.replacement, text)
        return text


@dataclass(frozen=True)
class _SpaceBefore:
    """A rule giving a sign exactly one ``space`` before it, seeing through markers.

    Looking left from the sign past any markers: whitespace there (the nearest run) becomes
    ``space`` if the character before it passes ``spaced_from``; with no whitespace, a
    ``space`` is inserted against the sign if the sign is glued to a character passing
    ``glued_to`` and is followed (past markers) by ``followed_by``. Scanning for the sign
    itself and looking back in Python is much faster than a regex starting with ``\\s*``.
    """

    name: str
    sign: re.Pattern[str]
    space: str
    glued_to: Callable[[str], bool]
    followed_by: re.Pattern[str]
    spaced_from: Callable[[str], bool] = _anything

    def apply(self, text: str) -> str:
        out: list[str] = []
        pos = 0
        for m in self.sign.finditer(text):
            markers_at = m.start()
            while markers_at > pos and text[markers_at - 1] == BOUNDARY:
                markers_at -= 1
            spaces_at = markers_at
            while spaces_at > pos and text[spaces_at - 1].isspace():
                spaces_at -= 1
            if spaces_at < markers_at:
                if self.spaced_from(_visible_before(text, spaces_at)):
                    out += (text[pos:spaces_at], self.space, text[markers_at : m.start()])
                    pos = m.start()
            elif self.glued_to(text[markers_at - 1] if markers_at else "") and (
                self.followed_by.match(text, m.end())
            ):
                out += (text[pos : m.start()], self.space)
                pos = m.start()
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)


def _space_after_guillemet(m: re.Match[str]) -> str:
    """``«`` + markers + whitespace: normalise the whitespace, or insert a space next to ``«``."""
    markers, spaces = m.group(1), m.group(2)
    return f"«{markers}{NNBSP}" if spaces else f"«{NNBSP}{markers}"


_ALWAYS = re.compile("")

# A pair of straight quotes. The quoted text may not hold guillemets: else a second pass
# could pair, around the guillemets made by the first, two quotes the first left unpaired.
_QUOTE_PAIR = re.compile(
    rf"""
    "(?<![^\s([{{«—–{_B}]")        # opening: at the start, after a space/bracket/dash/marker
    (
        (?=[^"«»]*[^\s"«»{_B}])    # something visible inside
        [^"«»]+
    )
    "(?=[\s.,;:!?…)\]}}»—–{_B}]|\Z)  # closing: before a space, punctuation, marker, the end
    """,
    re.VERBOSE,
)

# Order matters: quotes become guillemets before guillemet spacing runs, and guillemet
# spacing runs before the punctuation rules so that they see its spaces.
_RULES: tuple[_Substitution | _SpaceBefore, ...] = (
    # Three dots are an ellipsis, one character in French typesetting.
    _Substitution("ellipsis", re.compile(r"\.\.\."), "…", "."),
    # The typewriter apostrophe is always an elision in French: l’homme, aujourd’hui.
    _Substitution("apostrophe", re.compile("'"), "’", "'"),
    # "…" pairs become «…», spaced by the next rules. Unpaired " are left alone.
    _Substitution("quotes", _QUOTE_PAIR, r"«\1»", '"'),
    # One narrow no-break space after «: whitespace is normalised, else one is inserted.
    _Substitution(
        "space after «",
        re.compile(rf"«({_B}*)(\s*)(?=[{_B}\s]*[^{_B}\s])"),
        _space_after_guillemet,
        "«",
    ),
    # One narrow no-break space before », unless it opens the text.
    _SpaceBefore("space before »", re.compile("»"), NNBSP, _anything, _ALWAYS),
    # A number and its % are kept together by a no-break space: 23,7 %, 50 %.
    _SpaceBefore("space before %", re.compile("%"), NBSP, _digit, _ALWAYS, spaced_from=_digit),
    # A no-break space before a colon that ends a clause; 14:30, 3:2 and a:b stay glued.
    _SpaceBefore(
        "space before :", re.compile(":"), NBSP, _wordlike, re.compile(rf"{_B}*(?:\s|\Z)")
    ),
    # A narrow no-break space before a semicolon that ends a clause; a;b stays glued.
    _SpaceBefore(
        "space before ;", re.compile(";"), NNBSP, _wordlike, re.compile(rf"{_B}*(?:\s|\Z)")
    ),
    # A narrow no-break space before ! and ?; in a run such as ?! only the first gets one.
    _SpaceBefore(
        "space before !?",
        re.compile("[!?]"),
        NNBSP,
        _wordlike,
        re.compile(rf"{_B}*(?:[\s!?…»)\]]|\Z)"),
    ),
)


def typographize(text: str) -> str:
    """Apply French typographic rules to ``text``, leaving URLs and e-mail addresses alone.

    :data:`BOUNDARY` markers are kept, in order, and are transparent to the rules.
    The function is idempotent: ``typographize(typographize(x)) == typographize(x)``.
    """
    if _TRIGGERS.search(text) is None:
        return text
    text, placeholder, spans = _protect(text)
    for rule in _RULES:
        text = rule.apply(text)
    return _restore(text, placeholder, spans) if spans else text
