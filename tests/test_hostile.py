"""Hostile and broken input never hurts: it comes out inert, or is refused with a located
error and the previous ``public/`` intact.

A site is built, through the real command line, from articles whose every field holds
script tags, event handlers, ``javascript:`` links and Jinja syntax; every file it writes
is parsed (lxml for HTML and XML, json for JSON-LD) and searched for anything a browser
or a feed reader would run. Then broken files (YAML that asks for Python objects, a
billion laughs, binary junk…) must each give one ``path:line: message`` and exit 1.
The browser test at the end opens every page of the hostile site in Chromium.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
import yaml

from presse import parse
from presse.links import encode_url
from presse.slugs import slugify
from tests.conftest import (
    FIXED_NOW,
    SITES,
    run_presse,
    tree_bytes,
)

# --- the hostile site -----------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[clic](javascript:alert(1))"
A_LINK = '<a href="javascript:alert(1)">lien</a>'
JINJA = "{{ 7*7 }}"
RAW = "{% raw %}"
# 1111² = 1234321: if any of these were evaluated, that number would be in an output file.
JINJA_MARKERS = ["{{ 1111*1111 }}", "{{ (1111*1111)|string }}", "${1111*1111}"]
EVALUATED = "1234321"
PWNED = "window.__pwned=1"

PAYLOADS = [SCRIPT, IMG, MD_LINK, A_LINK, JINJA, RAW, *JINJA_MARKERS]
HOSTILE = " ".join(PAYLOADS)
ESCAPE_JSON = f"</script><script>{PWNED}</script><!--"

BODY = f"""\
{SCRIPT}

{IMG}

<img src=x onerror="{PWNED}">

{MD_LINK} [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) [d](vbscript:msgbox(1))
[e](data:text/html,<script>alert(1)</script>) [f](java&#x09;script:alert(1))
[g](javascript:{PWNED}) [h]( javascript:alert(1)) [i](&#x6A;avascript&#58;alert(1))

{A_LINK} <javascript:alert(1)> <JAVASCRIPT:alert(1)>

![i](javascript:alert(1)) ![j](data:image/svg+xml,<svg onload=alert(1)>)

[ref] et [autre]

[ref]: javascript:alert(1)
[autre]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==

<iframe src="javascript:alert(1)"></iframe>

<iframe src="https://tracker.example/embed/1" onload="{PWNED}"></iframe>

<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" onload="{PWNED}" title="{SCRIPT}"></iframe>

<svg onload="{PWNED}"><script>alert(1)</script></svg>

{JINJA} {RAW} {" ".join(JINJA_MARKERS)} {{% endraw %}} {ESCAPE_JSON}

> « Une citation {SCRIPT} »
>
> – {IMG}, porte-parole

| a | {SCRIPT} |
|---|---|
| {MD_LINK} | {JINJA} |

Une note[^1].

[^1]: {SCRIPT} {MD_LINK}

## Titre {SCRIPT} {JINJA}

`{SCRIPT}`

```html
{SCRIPT}
```
"""

PROFILE_NAME = f"Zoé {SCRIPT}"
ARTICLE_AUTHORS = [IMG, PROFILE_NAME, "{{ 7*7 }} Bob"]


def _yaml(value: object) -> str:
    """A YAML flow value: JSON is YAML, and json.dumps quotes everything that matters."""
    return json.dumps(value, ensure_ascii=False)


def hostile_article(number: int, section: str, day: str) -> str:
    meta = {
        "title": f"Article {number} {HOSTILE}",
        "date": f"{day}T10:00:00+01:00",
        "section": section,
        "tags": [*PAYLOADS, ESCAPE_JSON],
        "authors": ARTICLE_AUTHORS,
        "summary": f"{HOSTILE} {ESCAPE_JSON}",
        "image": "/images/scene.svg",
        "image_alt": f"{IMG} {JINJA}",
        "image_credit": f"{SCRIPT} {RAW}",
        "id": f"hostile-{number}-{SCRIPT}",
        "corrections": [
            {"date": f"{day}T12:00:00+01:00", "text": f"{MD_LINK} {SCRIPT} {A_LINK} {JINJA}"}
        ],
    }
    lines = "".join(f"{key}: {_yaml(value)}\n" for key, value in meta.items())
    return f"---\n{lines}---\n\n{BODY}"


def make_hostile_site(root: Path) -> Path:
    """A site whose two articles, author profile and sections are all hostile."""
    shutil.copytree(SITES / "basic" / "static", root / "static")
    shutil.copy(SITES / "basic" / "presse.toml", root / "presse.toml")
    content = root / "content" / "2025"
    content.mkdir(parents=True)
    (content / "un.md").write_text(hostile_article(1, SCRIPT, "2025-01-10"), encoding="utf-8")
    # Within two days of the build: in the news sitemap too.
    second = hostile_article(2, f'"><svg onload={PWNED}>', "2025-05-31")
    (content / "deux.md").write_text(second, encoding="utf-8")
    profile = {
        "name": PROFILE_NAME,
        "role": f"{IMG} {JINJA}",
        "bio": f"{HOSTILE} {ESCAPE_JSON}",
        "photo": "/images/scene.svg",
        "url": f'https://exemple.fr/?q="><script>{PWNED}</script>',
    }
    table = "".join(f"{key} = {_yaml(value)}\n" for key, value in profile.items())
    (root / "content" / "auteurs.toml").write_text(
        f"[{slugify(PROFILE_NAME)}]\n{table}", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def hostile_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_hostile_site(tmp_path_factory.mktemp("hostile"))
    result = run_presse("build", "--now", FIXED_NOW, "--no-cache", cwd=site)
    assert result.returncode == 0, result.stderr
    return site / "public"


def output_files(public: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in public.rglob("*") if p.is_file() and p.suffix in suffixes)


# --- what "inert" means -------------------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


def browser_url(value: str) -> str:
    """A URL as a browser reads it: tabs and newlines removed, C0 and spaces stripped."""
    value = "".join(c for c in value if c not in "\t\n\r")
    return value.strip("".join(map(chr, range(0x21)))).lower()


def theme_script(script: lxml.html.HtmlElement) -> str | None:
    """Which of the default theme's own scripts this is, or None for anything else."""
    src = script.get("src")
    if src is None and script.get("type") == "application/ld+json":
        return "json-ld"
    if src in ("/js/recherche.js", "/js/embed.js") and not (script.text or ""):
        return src
    return None


def is_theme_search_form(element: lxml.html.HtmlElement) -> bool:
    """The default theme's search form: it submits to the site's own search page."""
    return (
        element.tag == "form"
        and element.get("class") == "search__form"
        and element.get("action") == "/recherche/"
        and element.get("method") == "get"
    )


def active_content(markup: str, where: str) -> list[str]:
    """Everything in an HTML document or fragment that a browser would run."""
    root = lxml.html.document_fromstring(markup) if markup.strip() else None
    if root is None:
        return []
    problems: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.lower()
        if tag == "script":
            kind = theme_script(element)
            if kind is None:
                problems.append(f"{where}: foreign <script> {lxml.html.tostring(element)!r}")
            elif kind == "json-ld":
                problems += json_ld_problems(element.text or "", where)
        forbidden = ("iframe", "object", "embed", "svg", "math", "base", "form", "frame")
        if tag in forbidden and not is_theme_search_form(element):
            problems.append(f"{where}: <{tag}> element")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            problems.append(f"{where}: meta refresh")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{where}: event handler {name}={value!r} on <{tag}>")
            if name.lower() in URL_ATTRIBUTES and browser_url(value).startswith(UNSAFE_SCHEMES):
                problems.append(f"{where}: {name}={value!r} on <{tag}>")
        if tag == "meta" and (element.get("property") or element.get("name") or "").endswith(
            ("image", ":url", "image:url")
        ):
            content = element.get("content") or ""
            if not content.startswith(("https://", "http://")):
                problems.append(f"{where}: meta image/url {content!r}")
    return problems


def json_ld_problems(text: str, where: str) -> list[str]:
    problems = []
    if "</" in text or "<!--" in text:
        problems.append(f"{where}: JSON-LD holds an unescaped '</' or '<!--'")
    try:
        json.loads(text)
    except ValueError as exc:
        problems.append(f"{where}: JSON-LD is not valid JSON: {exc}")
    return problems


# --- the hostile site's outputs -----------------------------------------------------------


def test_every_html_page_is_inert(hostile_public: Path) -> None:
    pages = output_files(hostile_public, ".html")
    assert len(pages) > 15  # articles, listings of every term, archives, search, 404…
    problems = [
        problem for page in pages for problem in active_content(page.read_text("utf-8"), str(page))
    ]
    assert problems == []


def test_the_hostile_text_is_shown_as_text(hostile_public: Path) -> None:
    """The payloads are escaped, not dropped: the reader sees what the author typed, but
    for raw HTML in the body, which the sanitizer cleans (test_raw_html_in_the_body...)."""
    article = next(hostile_public.glob("2025/01/*/index.html"))
    root = lxml.html.parse(str(article)).getroot()
    title = root.findtext(".//h1")
    assert title is not None
    for payload in PAYLOADS:
        assert payload in title
    chapo = root.find_class("chapo")[0].text_content()
    assert SCRIPT in chapo and ESCAPE_JSON in chapo
    body = root.find_class("article__body")[0].text_content()
    for payload in ("javascript:alert(1)", "{{ ", " }}", "${"):
        assert payload in body  # (the * of {{ 7*7 }} may make emphasis in a body)
    assert RAW not in body  # Liquid: another generator's syntax, left out (presse.foreign)
    code = [c.text_content() for c in root.find_class("article__body")[0].iter("code")]
    assert SCRIPT in code  # in a code span, HTML is text
    figure = root.find_class("article__image")[0]
    assert figure.find("img").get("alt") == f"{IMG} {JINJA}"  # type: ignore[union-attr]
    assert figure.findtext("figcaption") == f"{SCRIPT} {RAW}"
    tags = [a.text_content() for a in root.find_class("tag")]
    assert SCRIPT in tags and JINJA in tags and RAW in tags


def test_iframes_become_facades_or_nothing(hostile_public: Path) -> None:
    """An unknown host's iframe is dropped; a known provider's becomes a facade whose
    title is text and whose player is the provider's own address, loaded on a click."""
    article = next(hostile_public.glob("2025/01/*/index.html"))
    markup = article.read_text("utf-8")
    assert "tracker.example" not in markup and "<iframe" not in markup
    root = lxml.html.fromstring(markup)
    facades = root.find_class("embed")
    assert [f.get("data-embed-src") for f in facades] == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    ]
    assert facades[0].get("data-embed-title") == SCRIPT  # an attribute's text, escaped
    assert facades[0].find_class("embed__title")[0].text_content() == SCRIPT


def test_no_link_of_the_body_is_kept_when_unsafe(hostile_public: Path) -> None:
    article = next(hostile_public.glob("2025/01/*/index.html"))
    root = lxml.html.parse(str(article)).getroot()
    body = root.find_class("article__body")[0]
    facades = {a.get("href") for f in body.find_class("embed") for a in f.iter("a")}
    hrefs = [a.get("href") for a in body.iter("a") if a.get("href") not in facades]
    # Only the footnote's own links survive (and the facade's link to the provider): the
    # hostile ones stay text, or (raw HTML) lose their href.
    assert hrefs and all(h is None or h.startswith("#") for h in hrefs), hrefs
    assert hrefs.count(None) == 1
    # The raw <img src=x onerror=…> keeps its harmless part only.
    assert {tuple(img.attrib.items()) for img in body.iter("img")} == {(("alt", ""), ("src", "x"))}


def test_jinja_in_content_is_never_evaluated(hostile_public: Path) -> None:
    for path in output_files(hostile_public, ".html", ".xml", ".txt", ".json"):
        text = path.read_text("utf-8")
        assert EVALUATED not in text, path
    article = next(hostile_public.glob("2025/01/*/index.html")).read_text("utf-8")
    assert "{{ 7*7 }}" in article and "{% raw %}" in article
    assert ">49<" not in article and " 49 " not in article


def test_json_ld_is_valid_and_escaped(hostile_public: Path) -> None:
    article = next(hostile_public.glob("2025/01/*/index.html"))
    scripts = lxml.html.parse(str(article)).getroot().xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    raw = scripts[0].text
    assert "</script" not in raw.lower() and "\\u003c/script\\u003e" in raw
    data = json.loads(raw)
    news = next(item for item in data if item["@type"] == "NewsArticle")
    assert SCRIPT in news["headline"] and ESCAPE_JSON in news["description"]
    assert ESCAPE_JSON in news["keywords"]
    same_as = [a.get("sameAs") for a in news["author"] if a.get("sameAs")]
    # A valid URL: what the author typed, percent-encoded (presse.links.encode_url).
    assert same_as == [[encode_url(f'https://exemple.fr/?q="><script>{PWNED}</script>')]]
    assert same_as[0][0].startswith("https://exemple.fr/?q=%22%3E%3Cscript%3E")


def test_feeds_and_sitemaps_are_well_formed_and_inert(hostile_public: Path) -> None:
    xml_files = output_files(hostile_public, ".xml")
    assert {p.name for p in xml_files} >= {"atom.xml", "rss.xml", "sitemap.xml"}
    for path in xml_files:
        tree = lxml.etree.parse(str(path), lxml.etree.XMLParser(resolve_entities=False))
        assert tree.docinfo.internalDTD is None, path  # no entity declarations
    atom = lxml.etree.parse(str(hostile_public / "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.getroot().findall("a:entry", ns)
    assert len(entries) == 2
    for entry in entries:
        assert SCRIPT in entry.findtext("a:title", namespaces=ns)  # type: ignore[operator]
        summary = entry.find("a:summary", ns)
        assert summary is not None and summary.get("type") == "text"
        content = entry.find("a:content", ns)
        assert content is not None and content.get("type") == "html"
        assert active_content(content.text or "", "atom content") == []
        for link in entry.findall("a:link", ns):
            assert link.get("href", "").startswith("https://temoin.example/")
    rss = lxml.etree.parse(str(hostile_public / "rss.xml"))
    content_ns = "{http://purl.org/rss/1.0/modules/content/}encoded"
    for item in rss.getroot().iter("item"):
        assert active_content(item.findtext(content_ns) or "", "rss content") == []
        assert item.findtext("link", "").startswith("https://temoin.example/")


def test_rss_descriptions_are_inert_for_readers_that_render_html(hostile_public: Path) -> None:
    rss = lxml.etree.parse(str(hostile_public / "rss.xml"))
    descriptions = [item.findtext("description") or "" for item in rss.getroot().iter("item")]
    assert len(descriptions) == 2
    for description in descriptions:
        shown = lxml.html.fragment_fromstring(description, create_parent="div").text_content()
        assert SCRIPT in shown  # the reader shows the chapô as text, tags and all


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def test_sitemaps_hold_only_site_urls(hostile_public: Path) -> None:
    for name in ("sitemap.xml", "news-sitemap.xml"):
        tree = lxml.etree.parse(str(hostile_public / name))
        locs = [e.text or "" for e in tree.iter(f"{{{SITEMAP_NS}}}loc")]
        assert locs and all(loc.startswith("https://temoin.example/") for loc in locs)
        assert all("<" not in loc and '"' not in loc for loc in locs)


def test_author_page_shows_the_profile_inert(hostile_public: Path) -> None:
    page = hostile_public / "auteur" / slugify(PROFILE_NAME) / "index.html"
    root = lxml.html.parse(str(page)).getroot()
    links = [a.get("href") for a in root.iter("a") if a.get("rel") == "me"]
    assert links == [encode_url(f'https://exemple.fr/?q="><script>{PWNED}</script>')]
    assert SCRIPT in (root.findtext(".//h1") or "")


# --- the loader ---------------------------------------------------------------------------


def test_frontmatter_loader_is_libyaml_safe_loader() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the C safe loader is missing"
    assert issubclass(parse._FrontmatterLoader, yaml.CSafeLoader)
    assert not issubclass(parse._FrontmatterLoader, yaml.FullLoader | yaml.UnsafeLoader)


# --- refused input ------------------------------------------------------------------------


def billion_laughs() -> str:
    """Nine levels of nine aliases: 9⁹ = 387 420 489 strings once expanded."""
    lines = ["title: Des rires", "date: 2025-01-20", "extra:"]
    lines.append('  a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]')
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"  a{level}: &a{level} [{aliases}]")
    return "---\n" + "\n".join(lines) + "\n---\n\nTexte.\n"


def frontmatter(*lines: str) -> bytes:
    return ("---\n" + "\n".join(lines) + "\n---\n\nTexte.\n").encode("utf-8")


VALID = ("title: Un titre", "date: 2025-01-20")

# (file name, its bytes, the line blamed, the message)
REFUSED: list[tuple[str, bytes, int, str]] = [
    (
        "python_apply.md",
        frontmatter('title: !!python/object/apply:os.system ["echo hi"]', "date: 2025-01-20"),
        2,
        "invalid YAML in frontmatter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    (
        "python_name.md",
        frontmatter(*VALID, "extra: {f: !!python/name:os.system }"),
        4,
        "invalid YAML in frontmatter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system'",
    ),
    (
        "python_object.md",
        frontmatter(*VALID, "extra: !!python/object:subprocess.Popen {args: [ls]}"),
        4,
        "invalid YAML in frontmatter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object:subprocess.Popen'",
    ),
    (
        "billion_laughs.md",
        billion_laughs().encode("utf-8"),
        6,
        "YAML alias *a0 is not allowed in frontmatter: write the value out",
    ),
    (
        "deep.md",
        frontmatter(*VALID, "extra: " + "[" * 100_000 + "]" * 100_000),
        4,
        f"frontmatter is nested more than {parse.MAX_NESTING} levels deep",
    ),
    (
        "latin1.md",
        frontmatter("title: Un café", "date: 2025-01-20").replace(
            "café".encode(), "café".encode("latin-1")
        ),
        2,
        "is not valid UTF-8 (byte 0xe9 at offset 17); save the file as UTF-8",
    ),
    (
        "nul.md",
        frontmatter(*VALID) + b"Un\x00octet nul.\n",
        7,
        "contains a NUL byte: is this a binary file?",
    ),
    (
        "escape.md",
        frontmatter(*VALID) + b"Une s\xc3\xa9quence \x1b[2J d'\xc3\xa9chappement.\n",
        7,
        "contains the control character U+001B: is this a binary file?",
    ),
    (
        "yaml_escape.md",
        frontmatter('title: "Un titre\\x07 qui sonne"', "date: 2025-01-20"),
        2,
        '"title" contains the control character U+0007',
    ),
    (
        "empty.md",
        b"",
        1,
        'is empty: an article starts with a "---" line, then YAML, then "---"',
    ),
    (
        "blank.md",
        b"\n  \n\n",
        1,
        'is empty: an article starts with a "---" line, then YAML, then "---"',
    ),
    (
        "png.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00",
        1,
        "is not valid UTF-8 (byte 0x89 at offset 0); save the file as UTF-8",
    ),
    (
        "only_dashes.md",
        b"---\n",
        1,
        'frontmatter is not closed by a "---" line',
    ),
    (
        "no_frontmatter.md",
        "Un texte sans en-tête.\n".encode(),
        1,
        'no frontmatter: an article starts with a "---" line, then YAML, then "---"',
    ),
    (
        "list.md",
        frontmatter("- title", "- date"),
        2,
        "frontmatter must be a mapping of keys to values",
    ),
    ("scalar.md", frontmatter("Un titre"), 2, "frontmatter must be a mapping of keys to values"),
    (
        "javascript_image.md",
        frontmatter(*VALID, "image: JaVaScRiPt:alert(1)", "image_alt: Rien"),
        4,
        'image "JaVaScRiPt:alert(1)" must be a path from static/ ("/images/photo.jpg"), a photo'
        " beside the article (JPEG, PNG, WebP, AVIF, TIFF), or an http(s) URL",
    ),
    (
        "data_image.md",
        frontmatter(*VALID, 'image: "data:text/html,<script>alert(1)</script>"'),
        4,
        'image "data:text/html,<script>alert(1)</script>" must be a path from static/'
        ' ("/images/photo.jpg"), a photo beside the article (JPEG, PNG, WebP, AVIF, TIFF),'
        " or an http(s) URL",
    ),
    (
        "entity_image.md",
        frontmatter(*VALID, 'image: "&#106;avascript:alert(1)"'),
        4,
        'image "&#106;avascript:alert(1)" must be a path from static/'
        ' ("/images/photo.jpg"), a photo beside the article (JPEG, PNG, WebP, AVIF, TIFF),'
        " or an http(s) URL",
    ),
    (
        "protocol_relative_image.md",
        frontmatter(*VALID, 'image: "//evil.example/x.png"'),
        4,
        'image "//evil.example/x.png" must be a path from static/ ("/images/photo.jpg"), a photo'
        " beside the article (JPEG, PNG, WebP, AVIF, TIFF), or an http(s) URL",
    ),
    (
        "unsluggable_section.md",
        frontmatter(*VALID, 'section: "<!-- -->"'),
        4,
        'section "<!-- -->" has no letter or digit to make its page address from',
    ),
    (
        "unsluggable_tag.md",
        frontmatter(*VALID, "tags:", "  - culture", '  - "«»"'),
        6,
        'tag "«»" has no letter or digit to make its page address from',
    ),
    (
        "newline_key.md",
        frontmatter(*VALID, '"x\\ny\\e[31m": 1'),
        4,
        '"x\\ny\\x1b[31m" contains the control character U+001B',
    ),
    (
        "long_slug.md",
        frontmatter(*VALID, "slug: " + "-".join(["mot"] * 60)),
        4,
        "slug is longer than 200 characters (239)",
    ),
    (
        "year_one.md",
        frontmatter("title: Un titre", "date: 0001-01-01T00:00:00+05:00"),
        3,
        'date "0001-01-01T00:00:00+05:00" is out of range (years 1000 to 9998)',
    ),
]


def random_junk() -> bytes:
    """Bytes from a fixed seed: never valid UTF-8 in practice, and reproducible."""
    return random.Random(20250601).randbytes(2048)


@pytest.fixture(scope="module")
def built_basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic site built once; each test copies it, public/ included."""
    site = tmp_path_factory.mktemp("built") / "basic"
    shutil.copytree(SITES / "basic", site)
    result = run_presse("build", "--now", FIXED_NOW, "--no-cache", cwd=site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def basic_site(built_basic: Path, tmp_path: Path) -> Path:
    site = tmp_path / "basic"
    shutil.copytree(built_basic, site, symlinks=True)
    return site


def run_build(site: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI with a bound on its time: a refused file is refused quickly."""
    return subprocess.run(
        [sys.executable, "-m", "presse", "build", "--now", FIXED_NOW, "--no-cache"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_refused(site: Path, result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == expected + "\n"
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "data", "line", "message"), REFUSED, ids=[case[0] for case in REFUSED]
)
def test_broken_file_is_refused_with_its_line(
    basic_site: Path, name: str, data: bytes, line: int, message: str
) -> None:
    before = tree_bytes(basic_site / "public")
    (basic_site / "content" / "2025" / name).write_bytes(data)
    result = run_build(basic_site, timeout=20)  # generous; the alias bomb must not expand
    assert_refused(basic_site, result, f"content/2025/{name}:{line}: {message}")
    assert tree_bytes(basic_site / "public") == before


def test_random_bytes_named_md_are_refused(basic_site: Path) -> None:
    before = tree_bytes(basic_site / "public")
    (basic_site / "content" / "2025" / "junk.md").write_bytes(random_junk())
    result = run_build(basic_site, timeout=20)
    assert result.returncode == 1
    assert result.stderr.startswith("content/2025/junk.md:")
    assert "is not valid UTF-8" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert tree_bytes(basic_site / "public") == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "javascript:alert(1)"),
        ("url", "JaVaScRiPt:alert(1)"),
        ("url", "java\tscript:alert(1)"),
        ("url", "data:text/html,<script>alert(1)</script>"),
        ("photo", "javascript:alert(1)"),
        ("photo", "vbscript:msgbox(1)"),
        ("photo", "//evil.example/x.png"),
    ],
)
def test_author_links_that_could_run_are_refused(basic_site: Path, field: str, value: str) -> None:
    before = tree_bytes(basic_site / "public")
    authors = basic_site / "content" / "auteurs.toml"
    authors.write_text(
        f'[anne-martin]\nname = "Anne Martin"\n{field} = {_yaml(value)}\n', encoding="utf-8"
    )
    result = run_build(basic_site)
    shown = value.replace("\t", "\\t")
    assert_refused(
        basic_site,
        result,
        f'content/auteurs.toml:1: author field "{field}" in [anne-martin] must be a path of'
        f' the site or an http(s) URL, not "{shown}"',
    )
    assert tree_bytes(basic_site / "public") == before


def test_long_titles_and_tags_make_short_enough_folders(basic_site: Path) -> None:
    """A slug is a folder name, and file systems refuse names over 255 bytes."""
    title = "Un titre " + "très " * 80 + "long"
    tag = "étiquette" * 40
    (basic_site / "content" / "2025" / "long.md").write_text(
        f"---\ntitle: {title}\ndate: 2025-01-20\ntags: [{tag}]\n---\n\nTexte.\n", "utf-8"
    )
    result = run_build(basic_site)
    assert result.returncode == 0, result.stderr
    public = basic_site / "public"
    article = next(public.glob("2025/01/un-titre-tres-*/index.html"))
    assert len(article.parent.name) <= 200 and article.parent.name.endswith("-tres")
    tag_pages = [p.name for p in (public / "tag").iterdir() if p.name.startswith("etiquette")]
    assert tag_pages == ["etiquette" * 22 + "et"]
    assert title.replace("  ", " ") in article.read_text("utf-8")


def test_the_checks_find_raw_html_when_a_site_lets_it_through(tmp_path: Path) -> None:
    """The same hostile site with ``allow_html = true``: the checks above must then find
    its scripts, handlers and links (they are able to fail)."""
    site = make_hostile_site(tmp_path / "unsafe")
    config = site / "presse.toml"
    config.write_text(config.read_text("utf-8") + "allow_html = true\n", encoding="utf-8")
    result = run_presse("build", "--now", FIXED_NOW, "--no-cache", cwd=site)
    assert result.returncode == 0, result.stderr
    article = next((site / "public").glob("2025/01/*/index.html"))
    problems = "\n".join(active_content(article.read_text("utf-8"), "page"))
    assert "page: foreign <script>" in problems
    assert "page: event handler onerror='window.__pwned=1' on <img>" in problems
    assert "page: href='javascript:alert(1)' on <a>" in problems
    assert "page: <iframe> element" in problems and "page: <svg> element" in problems


# --- valid variants: BOM, CRLF, CR --------------------------------------------------------

CLEAN = (
    '---\ntitle: "« Fins de ligne » : un test"\ndate: 2025-01-21\nsection: Société\n'
    "tags: [lignes]\nsummary: Un chapô.\n---\n\nUn paragraphe ; puis un autre !\n\n"
    "- une liste\n- de deux\n\n```\ncode\n  indenté\n```\n"
)
VARIANTS = {
    "bom": b"\xef\xbb\xbf" + CLEAN.encode(),
    "crlf": CLEAN.replace("\n", "\r\n").encode(),
    "cr": CLEAN.replace("\n", "\r").encode(),
    "bom-crlf": b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode(),
}


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build_with(tmp_path_factory.mktemp("clean"), CLEAN.encode())


def build_with(root: Path, data: bytes) -> dict[str, bytes]:
    site = root / "basic"
    shutil.copytree(SITES / "basic", site)
    (site / "content" / "2025" / "lignes.md").write_bytes(data)
    result = run_presse("build", "--now", FIXED_NOW, "--no-cache", cwd=site)
    assert result.returncode == 0, result.stderr
    return tree_bytes(site / "public")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_bom_and_line_endings_build_the_same_site(
    variant: str, clean_build: dict[str, bytes], tmp_path: Path
) -> None:
    built = build_with(tmp_path, VARIANTS[variant])
    page = "2025/01/fins-de-ligne-un-test/index.html"
    assert page in clean_build
    assert built[page] == clean_build[page]
    assert built == clean_build


# --- in a browser -------------------------------------------------------------------------


def every_page(public: Path) -> Iterator[str]:
    for path in output_files(public, ".html"):
        relative = path.relative_to(public).as_posix()
        yield "/" + relative.removesuffix("index.html")


def test_no_dialog_opens_in_a_browser(
    hostile_public: Path, serve: Callable[[Path], str], chromium: Any
) -> None:
    """Every page of the hostile site, and a search for the payloads, in Chromium: no
    alert, confirm or prompt ever opens and no payload sets ``window.__pwned``."""
    base = serve(hostile_public)
    dialogs: list[str] = []
    pwned: list[str] = []
    pages = list(every_page(hostile_public))
    assert len(pages) > 15
    context = chromium.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for path in pages:
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(50)  # let onerror/onload handlers fire if any exist
            if page.evaluate("() => window.__pwned !== undefined"):
                pwned.append(path)
        page.goto(f"{base}/recherche/", wait_until="load")
        page.fill(".search__input", "alert")
        page.locator(".search__result a").first.wait_for(timeout=15_000)
        page.wait_for_timeout(300)
        results = page.locator(".search__result a").count()
        if page.evaluate("() => window.__pwned !== undefined"):
            pwned.append("/recherche/ (results)")
    finally:
        context.close()
    assert results >= 1  # the search did find the hostile articles
    assert dialogs == []
    assert pwned == []
