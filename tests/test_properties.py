"""Properties that hold for any input, checked with hypothesis.

Typography is idempotent and never touches code or URLs; parsing any frontmatter
mapping ends in an article or a PresseError, never another exception; slugs and output
paths can never leave the output folder; links a source may hold are never runnable.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import unicodedata
import warnings
from datetime import UTC, date, timedelta, timezone
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from presse.config import SiteConfig
from presse.errors import PresseError
from presse.markdown import create_markdown, render_body
from presse.model import SourceFile
from presse.parse import FRONTMATTER_KEYS, parse_article
from presse.slugs import (
    MAX_SLUG_LENGTH,
    SLUG_RE,
    is_safe_link,
    is_valid_slug,
    slugify,
    url_to_output_path,
)
from presse.sources import CONTROL_CHARACTER
from presse.typography import typographize

with warnings.catch_warnings():
    # Hypothesis reports a failing example through libcst, whose import warns
    # (mypy_extensions.TypedDict); under ``filterwarnings = error`` that warning would turn
    # the report of a failure into an INTERNALERROR. Import it now, warning silenced.
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):  # no libcst installed: Hypothesis does without
        import hypothesis.extra._patching  # noqa: F401

CONFIG = SiteConfig()
MD = create_markdown()
FAST = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])

# Characters that make the typography rules fire, mixed into generated text so that
# most examples exercise them rather than plain letters.
TYPO_ALPHABET = st.sampled_from(list("abcé 1 2'\".:;!?%«»…\u00a0\u202f\t-—()[]/@www"))
TYPO_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=TYPO_ALPHABET, max_size=60),
    st.lists(st.sampled_from(["l'an", '"oui"', " : ", "50 %", "?!", "...", "« a »", "x;y"])).map(
        "".join
    ),
)


@FAST
@given(TYPO_TEXT)
@example('""a"" "b"')
@example("« »")
def test_typography_is_idempotent(text: str) -> None:
    once = typographize(text)
    assert typographize(once) == once


URL_CHARS = st.text(
    alphabet=st.sampled_from(list("abcXYZ019-_~.'!$&()*+,;=:@%/?#")), min_size=1, max_size=30
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    """An http(s) URL whose last character is not sentence punctuation (which is, by
    design, read as the end of the sentence)."""
    scheme = draw(st.sampled_from(["https://", "http://", "ftp://"]))
    host = draw(st.sampled_from(["exemple.fr", "www.presse.example", "a.b"]))
    path = draw(URL_CHARS)
    end = draw(st.sampled_from(list("az09/-_")))
    return f"{scheme}{host}/{path}{end}"


@FAST
@given(TYPO_TEXT, urls(), TYPO_TEXT)
def test_typography_leaves_urls_alone(before: str, url: str, after: str) -> None:
    text = f"{before} {url} {after}"
    assert url in typographize(text)


# Code content: anything but backticks, line breaks and characters markdown-it escapes
# or replaces, so that the rendered text is html.escape(content).
CODE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="`\r\n\ufffd\x00"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip() != "")


@FAST
@given(TYPO_TEXT.filter(lambda s: "`" not in s and "\n" not in s), CODE_TEXT)
def test_code_spans_are_left_alone(prose: str, code: str) -> None:
    body = render_body(MD, f"Avant : {prose} `{code}` et après !\n")
    assert [c.text_content() for c in _fragment(body.html).iter("code")] == [code]


@FAST
@given(st.lists(CODE_TEXT, min_size=1, max_size=5))
def test_code_blocks_are_left_alone(lines: list[str]) -> None:
    code = "\n".join(lines)
    body = render_body(MD, f'Un "exemple" :\n\n```\n{code}\n```\n')
    assert [c.text_content() for c in _fragment(body.html).iter("code")] == [code + "\n"]


def _fragment(body_html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(body_html, create_parent="div")


# Prose with the characters typography reacts to, and no Markdown syntax.
PROSE = st.text(alphabet=st.sampled_from(list("abcé 1'\".:;!?%«»…")), max_size=40)


@FAST
@given(urls().filter(lambda u: not u.startswith("ftp")), PROSE)
def test_link_destinations_and_autolinks_are_left_alone(url: str, prose: str) -> None:
    assume(not any(c in url for c in "()<> ") and "%" not in url)
    label = prose.strip() or "lien"
    body = render_body(MD, f"Voir [{label}]({url}) ou <{url}> : {prose}\n")
    root = _fragment(body.html)
    hrefs = [a.get("href") for a in root.iter("a")]
    assert hrefs.count(url) == 2, body.html
    autolink = [a for a in root.iter("a") if a.text_content() == url]
    assert autolink, "the text of an autolink is its URL, untouched"


HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "[c](JaVaScRiPt:alert(1))",
    "[c](&#106;avascript:alert(1))",
    "[c](java\tscript:alert(1))",
    "[c](vbscript:msgbox(1))",
    "[c](data:text/html,<script>alert(1)</script>)",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<svg onload=alert(1)>",
    "{{ 7*7 }}",
    "{% raw %}",
    "\n\n",
    "`code`",
    "> ",
    "* ",
    "texte",
]


@FAST
@given(st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=10), max_size=12))
def test_rendered_markdown_is_never_active(pieces: list[str]) -> None:
    # Sources with control characters are refused when read (presse.sources).
    body = render_body(MD, CONTROL_CHARACTER.sub("", "".join(pieces)))
    if not body.html.strip():
        return
    root = _fragment(body.html)
    for element in root.iter():
        assert element.tag not in ("script", "iframe", "object", "embed", "svg"), body.html
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), body.html
            if name in ("href", "src"):
                # A site path, a web URL, a fragment, or (from raw HTML) a relative path:
                # never a scheme that runs.
                scheme = value.partition(":")[0] if ":" in value.split("/")[0] else ""
                assert is_safe_link(value) or value.startswith("#") or not scheme, body.html
                assert scheme.lower() in ("", "http", "https", "mailto", "tel"), body.html
    assert "49" not in body.html or "49" in "".join(pieces)


# --- frontmatter --------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=14))])),
    st.sampled_from(["2025-01-20", "2025-02-30", "0001-01-01T00:00:00+05:00", "", " ", "…"]),
    st.sampled_from(["9999-12-31T23:59:59-05:00", "javascript:alert(1)", "/images/a.png"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
KEYS = st.sampled_from(FRONTMATTER_KEYS) | st.text(max_size=12) | st.none() | st.integers()


@st.composite
def frontmatters(draw: st.DrawFn) -> dict[Any, Any]:
    """A mapping that is valid often enough to reach the later checks, wild otherwise."""
    meta: dict[Any, Any] = {}
    if draw(st.booleans()):
        meta["title"] = draw(st.text(min_size=1, max_size=30) | st.just("Un titre"))
        meta["date"] = draw(st.sampled_from(["2025-01-20", "2025-01-20T10:00:00+01:00"]))
    meta.update(draw(st.dictionaries(KEYS, VALUES, max_size=6)))
    return meta


def frontmatter_source(meta: dict[Any, Any], body: str) -> SourceFile:
    dumped = yaml.safe_dump(meta, allow_unicode=True, default_flow_style=False, sort_keys=False)
    return SourceFile.of_text(Path("content/a.md"), f"---\n{dumped}---\n{body}")


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(frontmatters(), st.text(max_size=40))
@example({"title": "T", "date": "0001-01-01T00:00:00+05:00"}, "")
@example({"title": "T", "date": "9999-12-31T23:59:59-05:00"}, "")
@example({"title": "T", "date": "2025-01-01", "expires": "9999-12-31T23:59:59-05:00"}, "")
@example({"title": "T", "date": "2025-01-01", "updated": "9999-12-31T23:59:59-14:00"}, "")
@example({"title": "T", "date": date(2025, 1, 1), "section": "…"}, "")
@example({"title": "T", "date": "2025-01-01", "tags": ["«»"]}, "")
@example({"title": "T", "date": "2025-01-01", "image": "javascript:alert(1)"}, "")
@example({"title": "T\x01", "date": "2025-01-01"}, "")
@example({"title": "T", "date": "2025-01-01", "corrections": [{"date": 1, "text": "x"}]}, "")
@example({"title": "T", "date": 20250101}, "")
@example({"title": 1e308, "date": "2025-01-01"}, "")
@example({"title": float("nan"), "date": "2025-01-01"}, "")
def test_any_frontmatter_gives_an_article_or_a_presse_error(
    meta: dict[Any, Any], body: str
) -> None:
    source = frontmatter_source(meta, body)
    try:
        article = parse_article(source, CONFIG, MD)
    except PresseError as exc:
        assert exc.path == Path("content/a.md")
        assert exc.line is not None and exc.line >= 1
        assert exc.message and _no_control_characters(exc.message)
        return
    assert is_valid_slug(article.slug)
    url_to_output_path(article.url)  # a URL of a parsed article is always writable
    assert article.image is None or is_safe_link(article.image)


def _no_control_characters(message: str) -> bool:
    """No control character (line breaks, escapes) in a message: one error, one line."""
    return not any(unicodedata.category(c) == "Cc" for c in message)


@settings(deadline=None, max_examples=150)
@given(st.text(max_size=200))
@example("?")
@example("1: x\ntitle: T\ndate: 2025-01-01")
@example("? [a, b]\n: c")
@example("title: T\ndate: 2025-01-01\nextra: &a [*a]")
def test_any_frontmatter_text_gives_an_article_or_a_presse_error(yaml_text: str) -> None:
    source = SourceFile.of_text(Path("content/a.md"), f"---\n{yaml_text}\n---\nCorps.\n")
    with contextlib.suppress(PresseError):
        parse_article(source, CONFIG, MD)


YAML_VALUES = st.sampled_from(
    ["!!python/object/apply:os.system [echo hi]", "!!python/name:os.system", "&a x", "*a",
     "[a, [b, [c]]]", "{a: 1}", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]",
     "!!timestamp 2025-01-01", "!!float nan", "2025-01-20", "2025-01-20T10:00:00+01:00",
     "null", "~", "true", "'\\x01'", '"\\x01"', '"\\e[31m"', '"\\uFFFE"', "|\n  a\n  b",
     ">-\n  a", "- a\n  - b", "\n  - a\n  - b", "\n  - date: 2025-02-01\n    text: x",
     "-1", "1e400", "0x1F", "'…'", "'javascript:alert(1)'", "'/images/a.png'", "'«»'"]
)  # fmt: skip
YAML_KEYS = st.sampled_from([*FRONTMATTER_KEYS, "<<", "?", "1", "'a'", "&k title", "*k"])


@settings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(YAML_KEYS, YAML_VALUES), max_size=8), st.booleans())
def test_any_frontmatter_lines_give_an_article_or_a_presse_error(
    pairs: list[tuple[str, str]], valid_start: bool
) -> None:
    head = "title: Un titre\ndate: 2025-01-20\n" if valid_start else ""
    yaml_text = head + "".join(f"{key}: {value}\n" for key, value in pairs)
    source = SourceFile.of_text(Path("content/a.md"), f"---\n{yaml_text}---\nCorps.\n")
    try:
        parse_article(source, CONFIG, MD)
    except PresseError as exc:
        assert exc.line is not None and _no_control_characters(exc.message)


# --- slugs and paths --------------------------------------------------------------------


LONG_TEXT = st.lists(st.text(min_size=1, max_size=30), min_size=10, max_size=40).map(" ".join)


@FAST
@given(
    st.text()
    | LONG_TEXT
    | st.sampled_from(["..", ".", "../x", "a/../b", "\x00", "Œuvre d’art", "İ", "a" * 300])
)
def test_slugify_returns_a_safe_path_segment_or_nothing(text: str) -> None:
    slug = slugify(text)
    if slug == "":
        return  # callers turn an empty slug into a clear error (see test_parse)
    assert SLUG_RE.fullmatch(slug) and is_valid_slug(slug)
    assert len(slug.encode()) <= MAX_SLUG_LENGTH < 255  # a file name, on any file system
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    assert not slug.startswith(("-", ".")) and not slug.endswith("-")
    assert "--" not in slug and ".." not in slug
    assert slugify(slug) == slug


def test_slugify_is_empty_only_without_letters_or_digits() -> None:
    assert slugify("?!… «»") == ""
    assert slugify("../..") == ""
    assert slugify("Été 2025") == "ete-2025"


def test_long_slugs_are_cut_between_words() -> None:
    assert slugify("mot " * 100) == "-".join(["mot"] * 50)[:199]
    assert slugify("a" * 300) == "a" * MAX_SLUG_LENGTH


URL_PATHS = st.lists(
    st.sampled_from(["..", ".", "", "a", "%2e%2e", "...", "\\", "\x00", "b c", "é"]) | st.text(),
    max_size=6,
).map(lambda segments: "/".join(segments))


@FAST
@given(URL_PATHS | st.text())
def test_url_to_output_path_never_escapes_the_output_folder(url: str) -> None:
    try:
        relative = url_to_output_path(url)
    except ValueError:
        return
    assert relative and not relative.startswith("/")
    assert "\\" not in relative and "\x00" not in relative
    resolved = posixpath.normpath(posixpath.join("/public", relative))
    assert resolved.startswith("/public/"), relative
    assert ".." not in relative.split("/") and "." not in relative.split("/")


LINK_PIECES = ["java", "script", ":", "JaVa", "\t", "\n", " ", "/", "//", "\\", "http", "s",
               "data", "vbscript", "&#106;", "\x01", "x.org", "@", "%0a"]  # fmt: skip

# Browsers remove tabs and newlines from URLs and strip leading C0 controls and spaces:
# whatever is_safe_link accepts must still be a path or http(s) after that.
BROWSER_STRIPPED = re.compile("[\t\n\r]")


@FAST
@given(
    st.one_of(
        st.text(),
        st.builds(
            "".join,
            st.lists(st.sampled_from(LINK_PIECES), max_size=8),
        ),
    )
)
def test_safe_links_are_paths_or_http(reference: str) -> None:
    if not is_safe_link(reference):
        return
    seen = BROWSER_STRIPPED.sub("", reference).lstrip("".join(map(chr, range(0x21))))
    assert seen == reference
    lowered = seen.lower()
    assert (seen.startswith("/") and not seen.startswith("//") and "\\" not in seen) or (
        lowered.startswith(("http://", "https://"))
    ), reference


@pytest.mark.parametrize(
    "reference",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "vbscript:x",
     "data:text/html,<script>", "//evil.example/x.png", "/\\evil.example", " javascript:x",
     "java\tscript:alert(1)", "http://", ""],
)  # fmt: skip
def test_runnable_or_foreign_links_are_not_safe(reference: str) -> None:
    assert not is_safe_link(reference)


@pytest.mark.parametrize("reference", ["/images/a.png", "https://exemple.fr/a.jpg", "HTTP://x.fr"])
def test_paths_and_web_urls_are_safe(reference: str) -> None:
    assert is_safe_link(reference)
