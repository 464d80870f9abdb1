"""Headline casing: French sentence case that keeps proper nouns as written. Pure.

Wire copy and pasted pages often come in Title Case (« Un Virage Stratégique »); French
headlines are in sentence case. The words to keep are found in the article itself: a
word its body capitalises in mid-sentence more often than not is a proper noun.
Also kept: inner capitals (OpenAI), acronyms (IA, GPT-5) and capitals mixed with digits.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

QUOTE_OPENERS = ("«", '"', "“")

ATTRIBUTION = re.compile(r"^[–—-]\s*(?P<who>[^\W\d_].*)$")

TOKEN_EDGES = re.compile(r"^(?P<lead>\W*)(?P<core>.*?)(?P<trail>\W*)$")

APOSTROPHE = re.compile(r"(['’])")

SENTENCE_END = tuple(".!?")

SPACES = re.compile(r"[ \t]+")  # not no-break spaces: those are typography, kept

UNAMBIGUOUS_BULLET = tuple("•·▪◦‣●■")
OPENERS = (*QUOTE_OPENERS, *UNAMBIGUOUS_BULLET, "–", "—", "-", "*")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    proper: Mapping[str, str]  # lowercase word → the form the body capitalises mid-sentence
    common: frozenset[str]  # words the body writes in lowercase


def sentence_case(title: str, body: Sequence[str] = ()) -> str:
    """French sentence case for a Title-Case or all-capitals headline; others unchanged.

    ``body`` is the article's text: a word it capitalises in mid-sentence is a proper noun.
    """
    words = _vocabulary(body)
    tokens = SPACES.split(title)
    letters = [c for c in title if c.isalpha()]
    shouting = len(tokens) >= 3 and bool(letters) and all(c.isupper() for c in letters)
    if not shouting and not _is_title_case(tokens, words):
        return title
    out: list[str] = []
    starts = True
    for token in tokens:
        edges = TOKEN_EDGES.match(token)
        assert edges is not None
        parts = APOSTROPHE.split(edges["core"])
        cased = []
        for k, part in enumerate(parts):
            if k % 2:  # an apostrophe
                cased.append(part)
            else:
                cased.append(_case_word(part, starts and k == 0, words.proper, shouting))
        out.append(edges["lead"] + "".join(cased) + edges["trail"])
        if edges["core"]:
            starts = token.endswith(SENTENCE_END)
        else:
            starts = starts or token.endswith(SENTENCE_END)
    return " ".join(out)


def _is_title_case(tokens: list[str], words: _Vocabulary) -> bool:
    """Most words after the first capitalised, and some of them common words.

    Capitalised words the body never writes in lowercase may all be names (« Emmanuel
    Macron reçoit Olaf Scholz à Paris »): then every word must be capitalised.
    """
    candidates = []
    for previous, token in itertools.pairwise(tokens):
        word = _last_segment(token)
        if previous.endswith(SENTENCE_END) or not any(c.isalpha() for c in word):
            continue
        if not _keeps_case(word, words.proper):
            candidates.append(word)
    capitalised = [w for w in candidates if w[:1].isupper()]
    if len(capitalised) < 2 or len(capitalised) * 2 <= len(candidates):
        return False
    common = any(w.lower() in words.common for w in capitalised)
    return common or len(capitalised) == len(candidates)


def _last_segment(token: str) -> str:
    edges = TOKEN_EDGES.match(token)
    assert edges is not None
    return APOSTROPHE.split(edges["core"])[-1]


def _case_word(word: str, first: bool, proper: Mapping[str, str], shouting: bool) -> str:
    if shouting:
        known = proper.get(word.lower())
        if known is not None:
            return known
    elif _keeps_case(word, proper):
        return word
    pieces = word.split("-")
    out = []
    for k, piece in enumerate(pieces):
        if not shouting and _keeps_case(piece, proper):
            out.append(piece)
        elif first and k == 0:
            out.append(piece[:1].upper() + piece[1:].lower())
        else:
            out.append(piece.lower())
    return "-".join(out)


def _keeps_case(word: str, proper: Mapping[str, str]) -> bool:
    """Acronyms, inner capitals, capitals with digits and the body's proper nouns."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
        return True
    if any(c.isdigit() for c in word) and any(c.isupper() for c in word):
        return True
    return proper.get(word.lower()) == word


def _vocabulary(body: Iterable[str]) -> _Vocabulary:
    """How the body writes its words: capitalised in mid-sentence (proper nouns) or not."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in body:
        if ATTRIBUTION.match(text):
            continue  # roles in attributions are capitalised at will
        starts = True
        for token in text.split():
            edges = TOKEN_EDGES.match(token)
            assert edges is not None
            core = edges["core"]
            if not core:  # punctuation alone: « opens a sentence, ? ends one
                starts = starts or token.endswith((*SENTENCE_END, "…")) or token in OPENERS
                continue
            starts = starts or any(q in edges["lead"] for q in QUOTE_OPENERS)
            for k, part in enumerate(APOSTROPHE.split(core)[::2]):
                if not part[:1].isalpha():
                    continue
                if part.islower():
                    lower[part] += 1
                elif any(c.isupper() for c in part[1:]) or not (starts and k == 0):
                    capital[part] += 1
            starts = token.endswith((*SENTENCE_END, "…", ":"))
    proper: dict[str, str] = {}
    for form, count in capital.most_common():
        key = form.lower()
        if key not in proper and count > lower[key]:
            proper[key] = form
    return _Vocabulary(proper, frozenset(lower))
