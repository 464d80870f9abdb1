"""Typographic rules for plain text, French first. Pure: no I/O, no state.

It turns what people type on a keyboard into what typesetting expects:

* ``...`` becomes an ellipsis ``…`` and ``'`` a typographic apostrophe ``’``;
  a ``'`` between digits is a prime (``1′07``), a ``"`` left after a number is a
  double prime (``32″``);
* paired straight quotes ``"…"`` become guillemets ``« … »``, and so do single ones
  used as quotation marks (``'Démarche commencée'``), while the apostrophe of an
  elision before a quotation stays one (``l’« agilité »``);
* a narrow no-break space (U+202F) goes inside guillemets and before ``;``, ``!``, ``?``;
* a no-break space (U+00A0) goes before ``:`` and between a number and ``%``;
* no space before a comma, one after it between two words.

The rules follow the text's language (:func:`conventions_for`): France, Belgium and
Luxembourg as above; Switzerland puts a narrow no-break space before ``:`` too; Quebec
puts none before ``; ! ?`` and a no-break space inside guillemets; English pairs quotes
as “ ” and ‘ ’ and wants no space before ``: ; ! ?``; other languages only get the
ellipsis, apostrophes and primes.

Whitespace already next to these signs is normalised to exactly one space of the right
kind, so :func:`typographize` is idempotent and leaves correct text unchanged. URLs,
e-mail addresses and emoticons (``;)``, ``:-D``) are protected: they come back byte for
byte.

Markers. The markdown renderer joins the text pieces of a paragraph with :data:`BOUNDARY`
where inline markup (emphasis, links…) sat between them, calls :func:`typographize`,
and splits the result back on :data:`BOUNDARY`. Every marker of the input is in the
output, in the same order relative to the text, and the rules see through markers. A
code span or an image between two markers stands as one private-use character, a word
to the rules. Placement convention (``{b}`` is a marker, ``{nbsp}``/``{nnbsp}`` the
spaces):

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
from functools import cache

__all__ = ["BOUNDARY", "WORD", "Conventions", "conventions_for", "typographize"]

BOUNDARY: str = "\ue000"
"""Zero-width marker standing for inline markup between two text pieces of a paragraph."""

NBSP = "\u00a0"
"""No-break space: before ``:`` and ``%``."""

NNBSP = "\u202f"
"""Narrow no-break space: before ``;``, ``!``, ``?`` and inside guillemets."""

WORD: str = "\ue001"
"""Stands for a code span or an image between two markers: a word to the rules."""

_B = BOUNDARY
# Protected spans are replaced by one private-use character (never BOUNDARY) while the
# rules run; to the rules, such a placeholder is a word.
_PLACEHOLDER_FIRST = "\ue001"
_PLACEHOLDER_LAST = "\uf8ff"

# Characters at least one rule reacts to: text with none of them is returned as is.
_TRIGGER_CHARACTERS = frozenset("'\".,:;!?%«»")

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


# Emoticons: a colon, semicolon or equals sign, maybe a nose, and a mouth; alone between
# spaces (or at an end). Typography must not space them as punctuation.
_EMOTICON = re.compile(
    r"[:;=](?<![^\s(«\ue000][:;=])[-'^]?(?:\)+|\(+|D+|[Pp]|[Oo]|/|\\|\||\*|3)(?![^\s.,!?)])"
)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of each URL, e-mail address and emoticon in ``text``, left to right."""
    spans = _url_and_email_spans(text)
    if ":" not in text and ";" not in text and "=" not in text:
        return spans
    emoticons = [m.span() for m in _EMOTICON.finditer(text)]
    emoticons = [e for e in emoticons if not any(s <= e[0] < t for s, t in spans)]
    return sorted(spans + emoticons)


def _url_and_email_spans(text: str) -> list[tuple[int, int]]:
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
        char.isalnum() or char in "%»”’)]" or _PLACEHOLDER_FIRST <= char <= _PLACEHOLDER_LAST
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
    # A fast test that the rule can apply at all (a regex starting with a literal, so
    # that the scan is a string search), for rules whose triggers are everywhere.
    precheck: re.Pattern[str] | None = None

    @property
    def trigger_set(self) -> frozenset[str]:
        return frozenset(self.triggers)

    def apply(self, text: str) -> str:
        """The text with the rule applied (the caller saw a trigger character in it)."""
        if self.precheck is None or self.precheck.search(text) is not None:
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

    @property
    def trigger_set(self) -> frozenset[str]:
        """The sign's characters (its pattern is one character or a class of them)."""
        return frozenset(self.sign.pattern.strip("[]"))

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


def _never(char: str) -> bool:
    """For a sign that never gets a space inserted before it."""
    return False


@dataclass(frozen=True)
class Conventions:
    """What one language's typesetting wants (see :func:`conventions_for`)."""

    name: str
    double_quotes: tuple[str, str] | None  # "…" pairs become these; None: left alone
    single_quotes: tuple[str, str] | None  # '…' used as quotation marks become these
    inside_guillemets: str | None  # space inside « »; None: no guillemet rule
    before_colon: str | None  # the space before : ; None: left alone
    before_semicolon: str | None  # the space before ; ! and ?
    before_percent: str | None
    commas: bool  # no space before a comma, one after it between two words


FRANCE = Conventions("fr", ("«", "»"), ("«", "»"), NNBSP, NBSP, NNBSP, NBSP, True)
SWITZERLAND = Conventions("fr-CH", ("«", "»"), ("«", "»"), NNBSP, NNBSP, NNBSP, NBSP, True)
QUEBEC = Conventions("fr-CA", ("«", "»"), ("«", "»"), NBSP, NBSP, "", NBSP, True)
ENGLISH = Conventions("en", ("“", "”"), ("‘", "’"), None, "", "", None, True)
OTHER = Conventions("", None, None, None, None, None, None, False)


@cache
def conventions_for(language: str) -> Conventions:
    """The conventions for a BCP 47 language tag (``fr``, ``fr-CA``, ``en-GB``; ``_`` is
    read as ``-``): French ones by region, English, or the few rules every language
    shares (ellipsis, apostrophe, primes)."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] == "fr":
        regions = set(parts[1:])
        return QUEBEC if "ca" in regions else SWITZERLAND if "ch" in regions else FRANCE
    return ENGLISH if parts[0] == "en" else OTHER


# A pair of straight double quotes. The quoted text may hold no guillemet, curly quote or
# double prime: else a second pass could pair, around the marks made by the first, two
# quotes the first left unpaired. An elision may come before it: l’"agilité".
_DOUBLE_PAIR = re.compile(
    rf"""
    "(?<![^\s([{{«“—–’{_B}]")      # opening: at the start, after a space, bracket, dash,
                                   # apostrophe or marker
    (
        (?=[^"«»“”″]*[^\s"«»“”″{_B}])  # something visible inside
        [^"«»“”″]+
    )
    "(?=[\s.,;:!?…)\]}}»”—–{_B}]|\Z)  # closing: before a space, punctuation, marker, the end
    """,
    re.VERBOSE,
)

# Single straight quotes used as quotation marks: 'Démarche commencée'. The opening one
# starts a word, the closing one ends one; inside, only elisions (l'homme) may have one.
_SINGLE_OPENING = re.compile(rf"'(?<![^\s([{{«“—–{_B}]')(?=[^\s'])")
_SINGLE_PAIR = re.compile(
    rf"""
    '(?<![^\s([{{«“—–{_B}]')(?=[^\s'])   # opening: after a space, bracket, dash, marker
    (
        (?:[^'«»“”‘’\n]|(?<=[^\W_])'(?=[^\W_]))*?
        [^\s'{_B}]{_B}*                  # visible text just before the closing one
    )
    '(?=[\s.,;:!?…)\]}}»”—–{_B}]|\Z)
    """,
    re.VERBOSE,
)


def _guillemet_spacing(space: str) -> Callable[[re.Match[str]], str]:
    def replace(m: re.Match[str]) -> str:
        """``«`` + markers + whitespace: normalise the whitespace, or insert ``space``."""
        markers, spaces = m.group(1), m.group(2)
        return f"«{markers}{space}" if spaces else f"«{space}{markers}"

    return replace


_ALWAYS = re.compile("")
_CLAUSE_END = re.compile(rf"{_B}*(?:\s|\Z)")


@cache
def _rules(
    conventions: Conventions,
) -> tuple[tuple[_Substitution | _SpaceBefore, frozenset[str]], ...]:
    """The rules for ``conventions``, in order: quotes become guillemets before guillemet
    spacing runs, and guillemet spacing runs before the punctuation rules so that they
    see its spaces."""
    c = conventions
    rules: list[_Substitution | _SpaceBefore] = [
        # Three dots (or more) are an ellipsis, one character.
        _Substitution("ellipsis", re.compile(r"\.{3,}"), "…", "."),
        # After a digit, and before another or the end of the word, a quote is a prime:
        # 1′07, 44′ (minutes, feet); before a letter it is an elision (l’an 2000’s).
        _Substitution("prime", re.compile(r"'(?<=\d')(?![^\W\d_])"), "′", "'"),
    ]
    if c.single_quotes:
        opening, closing = c.single_quotes
        rules.append(
            _Substitution(
                "single quotes", _SINGLE_PAIR, rf"{opening}\1{closing}", "'", _SINGLE_OPENING
            )
        )
    # What is left is an apostrophe: l’homme, aujourd’hui, it’s.
    rules.append(_Substitution("apostrophe", re.compile("'"), "’", "'"))
    if c.double_quotes:
        opening, closing = c.double_quotes
        rules.append(_Substitution("quotes", _DOUBLE_PAIR, rf"{opening}\1{closing}", '"'))
    # A straight double quote left after a number is a double prime: 32″ (inches, seconds).
    rules.append(_Substitution("double prime", re.compile(r'"(?<=\d")'), "″", '"'))
    if c.inside_guillemets is not None:
        space = c.inside_guillemets
        rules += [
            _Substitution(
                "space after «",
                re.compile(rf"«({_B}*)(\s*)(?=[{_B}\s]*[^{_B}\s])"),
                _guillemet_spacing(space),
                "«",
            ),
            _SpaceBefore("space before »", re.compile("»"), space, _anything, _ALWAYS),
        ]
    if c.before_percent is not None:
        # A number and its % are kept together: 23,7 %, 50 %.
        rules.append(
            _SpaceBefore(
                "space before %", re.compile("%"), c.before_percent, _digit, _ALWAYS, _digit
            )
        )
    if c.before_colon is not None:
        # Before a colon that ends a clause; 14:30, 3:2 and a:b stay glued.
        # (Where no space is wanted, only one after a word is taken away.)
        glued, spaced = (_wordlike, _anything) if c.before_colon else (_never, _wordlike)
        rules.append(
            _SpaceBefore(
                "space before :", re.compile(":"), c.before_colon, glued, _CLAUSE_END, spaced
            )
        )
    if c.before_semicolon is not None:
        glued, spaced = (_wordlike, _anything) if c.before_semicolon else (_never, _wordlike)
        rules += [
            # Before a semicolon that ends a clause; a;b and TL;DR stay glued.
            _SpaceBefore(
                "space before ;",
                re.compile(";"),
                c.before_semicolon,
                glued,
                _CLAUSE_END,
                spaced,
            ),
            # Before ! and ?; in a run such as ?! only the first gets one.
            _SpaceBefore(
                "space before !?",
                re.compile("[!?]"),
                c.before_semicolon,
                glued,
                re.compile(rf"{_B}*(?:[\s!?…»”)\]]|\Z)"),
                spaced,
            ),
        ]
    if c.commas:
        rules += [
            # No space before a comma (a number's decimal comma is never spaced anyway).
            _Substitution(
                "space before ,",
                re.compile(r"(?<=[^\W_])[^\S\n]+(?=,)"),
                "",
                ",",
                re.compile(r"[ \t\u00a0\u202f],"),
            ),
            # One space after a comma glued between two words (3,14 stays), or spaced
            # by several.
            _Substitution(
                "space after ,",
                re.compile(r",(?<=[^\W\d_],)(?:(?=[^\W\d_])|[ \t]{2,}(?=\S))"),
                ", ",
                ",",
                re.compile(r",(?:[^\W\d_]|[ \t]{2})"),
            ),
        ]
    return tuple((rule, rule.trigger_set) for rule in rules)


def _present(text: str) -> frozenset[str]:
    """The trigger characters in ``text`` (a substring search each: faster than walking
    the text character by character)."""
    return frozenset(c for c in _TRIGGER_CHARACTERS if c in text)


def typographize(text: str, language: str = "fr") -> str:
    """Apply the typographic rules of ``language`` (a BCP 47 tag, French by default) to
    ``text``, leaving URLs, e-mail addresses and emoticons alone.

    :data:`BOUNDARY` markers are kept, in order, and are transparent to the rules.
    The function is idempotent: ``typographize(typographize(x)) == typographize(x)``.
    """
    present = _present(text)
    if not present:
        return text
    rules = _rules(conventions_for(language))
    text, placeholder, spans = _protect(text)
    # A rule runs only if one of its characters is in the text: most paragraphs hold a
    # comma and an apostrophe, few hold all of the signs.
    for rule, triggers in rules:
        if not triggers.isdisjoint(present):
            changed = rule.apply(text)
            if changed is not text:
                text = changed
                present = _present(text)
    return _restore(text, placeholder, spans) if spans else text
