"""``presse check``: every rule on the fixture site, with the line it blames, and the CLI.

``tests/sites/check/`` holds one instance of each problem; each file of
``content/2025/`` is named after the code it triggers.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from presse.check import check_site, exit_status, format_json, format_text, register
from presse.checks import near_duplicates as nd
from presse.checks.findings import Finding
from presse.checks.inspect import inspect_source
from presse.config import SiteConfig
from presse.markdown import create_markdown
from presse.model import SourceFile
from tests.conftest import FIXED_NOW, REPO, SITES

NOW = datetime.fromisoformat(FIXED_NOW)
CHECK = SITES / "check"

EXPECTED = [
    ("content/2025/broken-link.md", 12, "error", "broken-link"),
    ("content/2025/duplicate-paragraph.md", 11, "warning", "duplicate-paragraph"),
    ("content/2025/duplicate-slug.md", 3, "error", "duplicate-slug"),
    ("content/2025/embed.md", 11, "warning", "embed"),
    ("content/2025/foreign-syntax.md", 9, "warning", "foreign-syntax"),
    ("content/2025/foreign-syntax.md", 11, "warning", "foreign-syntax"),
    ("content/2025/french-spacing.md", 7, "warning", "french-spacing"),
    ("content/2025/frontmatter.md", 5, "error", "frontmatter"),
    ("content/2025/heading-skip.md", 13, "warning", "heading-skip"),
    ("content/2025/image-alt.md", 5, "error", "image-alt"),
    ("content/2025/image-alt.md", 10, "error", "image-alt"),
    ("content/2025/image-missing.md", 5, "error", "image-missing"),
    ("content/2025/near-duplicate.md", 9, "warning", "near-duplicate"),
    ("content/2025/raw-html.md", 11, "warning", "raw-html"),
    ("content/2025/raw-html.md", 13, "error", "image-alt"),
    ("content/2025/related.md", 7, "error", "related-missing"),
    ("content/2025/related.md", 8, "warning", "related-unpublished"),
    ("content/2025/straight-quote.md", 9, "warning", "straight-quote"),
    ("content/2025/summary-missing.md", 1, "warning", "summary-missing"),
    ("content/2025/title-length.md", 2, "warning", "title-length"),
    ("content/2025/unbalanced-guillemets.md", 9, "warning", "unbalanced-guillemets"),
    ("content/2025/unknown-key.md", 4, "error", "unknown-key"),
    ("content/auteurs.toml", 3, "error", "authors"),
]

MESSAGES = {
    "broken-link": 'link "/2025/01/article-disparu/" leads nowhere',
    "duplicate-paragraph": "paragraph repeats the one at line 7",
    "duplicate-slug": 'duplicate slug "budget-municipal": content/2024/budget-municipal.md and '
    "content/2025/duplicate-slug.md",
    "french-spacing": '"Vraiment?Oui": "?" is glued between two words; write "Vraiment ? Oui"',
    "frontmatter": "invalid YAML in frontmatter: did not find expected ',' or ']'",
    "heading-skip": "h4 follows h2",
    "embed": 'iframe "https://www.tracker.example/player/123" is from no known embed provider',
    "raw-html": "onclick= on <span> is left out of the page",
    "image-missing": 'image "/images/piscine.jpg" does not exist',
    "near-duplicate": "nearly identical to the body of content/2024/mediatheque.md (92%",
    "related-missing": 'related article "article-inexistant" does not exist',
    "related-unpublished": 'related article "tramway" (content/2025/brouillon.md) is not '
    "published: it is a draft",
    "straight-quote": 'unpaired straight quote "',
    "summary-missing": 'no "summary"',
    "title-length": "headline is 134 characters long; Google News shows at most 110",
    "unbalanced-guillemets": "1 « but 0 » in this paragraph",
    "unknown-key": 'unknown frontmatter key "draf" (did you mean "draft"?)',
    "authors": 'unknown author field "roles" in [claire-vasseur] (did you mean "role"?)',
}


def run_check(*args: str) -> int:
    """The ``check`` subcommand as the lead wires it: ``register()`` on a parser."""
    parser = argparse.ArgumentParser(prog="presse")
    register(parser.add_subparsers())
    parsed = parser.parse_args(["check", *args])
    return int(parsed.handler(parsed))


def findings_for(text: str) -> list[Finding]:
    """The article rules' findings for one file, ``content/a.md``, in rule order."""
    source = SourceFile.of_text(Path("content/a.md"), textwrap.dedent(text).lstrip())
    return list(inspect_source(source, SiteConfig(), NOW, create_markdown()).findings)


def check_files(site: Path, now: datetime = NOW, **options: int) -> list[Finding]:
    """The findings for a site of a few files, without the site-wide reminder of its
    missing legal notice (tests/test_site_pages.py tests that one)."""
    return [f for f in check_site(site, now=now, **options) if f.code != "legal-notice"]


# What a site needs for presse check to find nothing site-wide: a legal notice naming
# its publisher, director and host.
LEGAL_NOTICE = {
    "content/pages/mentions-legales.md": "---\ntitle: Mentions\nsummary: Qui.\n---\n\nTexte.\n",
    "presse.toml": '[legal]\nname = "Journal SAS"\ndirector = "A. B."\nhost = "Hôte SA"\n',
}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def article(title: str, body: str = "Un texte.", **fields: str) -> str:
    meta = {"title": title, "date": "2025-01-10T09:00:00+01:00", "summary": "Un chapô."}
    meta.update(fields)
    lines = [f"{key}: {value}" for key, value in meta.items() if value]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


# --- the fixture site -----------------------------------------------------------------


def test_fixture_site_has_one_finding_per_problem_at_its_line() -> None:
    findings = check_site(CHECK, now=NOW)
    assert [(f.path, f.line, f.severity, f.code) for f in findings] == EXPECTED
    for finding in findings:
        if finding.code in MESSAGES:
            assert MESSAGES[finding.code] in finding.message, finding


def test_fixture_foreign_syntax_says_what_to_write_instead() -> None:
    messages = [f.message for f in check_site(CHECK, now=NOW) if f.code == "foreign-syntax"]
    assert messages == [
        'template syntax from another generator (Hugo shortcode "figure") is left out of the'
        " page: write the image as ![description](address)",
        'template syntax from another generator (Liquid "site.baseurl") is left out of the'
        " page: remove it: an address starting with / is the site's own",
    ]


def test_fixture_image_alt_covers_frontmatter_and_markdown_images() -> None:
    messages = [f.message for f in check_site(CHECK, now=NOW) if f.code == "image-alt"]
    assert messages == [
        'image "/images/plan.svg" has no "image_alt": describe it for readers who cannot see it',
        'image "/images/plan.svg" has an empty alt text: write ![what it shows](/images/plan.svg)',
        'image "/images/plan.svg" has no alt text: add alt="what it shows"',
    ]


def test_sample_site_has_no_error() -> None:
    findings = check_site(REPO, now=NOW)
    assert [f for f in findings if f.severity == "error"] == []
    assert run_check("--site", str(REPO), "--now", FIXED_NOW) == 0


# --- output and exit status -------------------------------------------------------------


def test_text_output_like_a_compiler(capsys: pytest.CaptureFixture[str]) -> None:
    status = run_check("--site", str(CHECK), "--now", FIXED_NOW)
    out, err = capsys.readouterr()
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == len(EXPECTED)
    assert lines[1] == (
        "content/2025/duplicate-paragraph.md:11: warning: "
        "paragraph repeats the one at line 7 [duplicate-paragraph]"
    )
    assert err == "10 errors, 13 warnings\n"


def test_json_output_is_a_stable_array(capsys: pytest.CaptureFixture[str]) -> None:
    status = run_check("--site", str(CHECK), "--now", FIXED_NOW, "--format", "json")
    out, _ = capsys.readouterr()
    assert status == 1
    data = json.loads(out)
    assert [(d["path"], d["line"], d["severity"], d["code"]) for d in data] == EXPECTED
    assert all(set(d) == {"path", "line", "severity", "code", "message"} for d in data)
    assert out == format_json(check_site(CHECK, now=NOW)) + "\n"


def test_warnings_only_exit_0_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path, {"content/a.md": article("Sans chapô", summary=""), **LEGAL_NOTICE})
    assert run_check("--site", str(tmp_path), "--now", FIXED_NOW) == 0
    assert capsys.readouterr().err == "1 warning\n"
    assert run_check("--site", str(tmp_path), "--now", FIXED_NOW, "--strict") == 1


def test_clean_site_says_it_found_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path, {"content/a.md": article("Tout va bien"), **LEGAL_NOTICE})
    assert run_check("--site", str(tmp_path), "--now", FIXED_NOW, "--strict") == 0
    assert capsys.readouterr() == ("", "no findings\n")


def test_exit_status_and_empty_outputs() -> None:
    warning = Finding("a.md", 1, "warning", "summary-missing", "no summary")
    assert exit_status([]) == 0
    assert exit_status([warning]) == 0
    assert exit_status([warning], strict=True) == 1
    assert format_text([]) == ""
    assert format_json([]) == "[]"


def test_now_needs_an_offset(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_check("--site", str(CHECK), "--now", "2025-06-01T12:00")
    assert "needs a UTC offset" in capsys.readouterr().err


# --- files that cannot be read do not stop the others ------------------------------------


def test_broken_files_do_not_stop_the_others(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/a.md": "---\ntitle: Cassé\ndate: [2025\n---\n\nTexte.\n",
            "content/b.md": "Pas de frontmatter.\n",
            "content/d.md": article("Bon", summary=""),
        },
    )
    (tmp_path / "content/c.md").write_bytes(b"---\ntitle: Latin\n---\n\ncaf\xe9\n")
    findings = check_files(tmp_path)
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("content/a.md", 4, "frontmatter"),
        ("content/b.md", 1, "frontmatter"),
        ("content/c.md", 5, "encoding"),
        ("content/d.md", 1, "summary-missing"),
    ]


def test_broken_config_is_reported_and_defaults_stand_in(tmp_path: Path) -> None:
    write_site(
        tmp_path, {"presse.toml": 'title = "x"\nper_pgae = 3\n', "content/a.md": article("Bon")}
    )
    findings = check_files(tmp_path)
    assert [(f.path, f.line, f.code) for f in findings] == [("presse.toml", 2, "config")]
    assert 'did you mean "per_page"' in findings[0].message


def test_invalid_authors_toml_is_reported_with_its_line(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/a.md": article("Bon"),
            "content/auteurs.toml": '[anne-roy]\nname = "Anne Roy"\nbio = "sans fin\n',
        },
    )
    findings = check_files(tmp_path)
    assert [(f.path, f.line, f.code) for f in findings] == [("content/auteurs.toml", 3, "authors")]
    assert findings[0].message.startswith("invalid TOML")


def test_every_unknown_author_field_and_the_next_problem(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/auteurs.toml": """
                [anne-roy]
                name = "Anne Roy"
                fonction = "x"
                photos = "/a.png"

                [marc-petit]
                name = "Marc Grand"
            """
        },
    )
    findings = check_files(tmp_path)
    assert [(f.line, f.message) for f in findings] == [
        (3, 'unknown author field "fonction" in [anne-roy]'),
        (4, 'unknown author field "photos" in [anne-roy] (did you mean "photo"?)'),
        (6, 'author [marc-petit] is named "Marc Grand", whose slug is "marc-grand"'),
    ]


# --- article rules, one file at a time ---------------------------------------------------


def test_every_unknown_key_is_reported_and_the_rest_still_checked() -> None:
    findings = findings_for(
        """
        ---
        tilte: Un titre
        date: 2025-01-10
        sumary: Un chapô.
        tags:
          - un
        autor: Anne
        ---

        Texte.
        """
    )
    assert [(f.line, f.code, f.message) for f in findings] == [
        (1, "frontmatter", 'missing required field "title"'),
        (2, "unknown-key", 'unknown frontmatter key "tilte" (did you mean "title"?)'),
        (4, "unknown-key", 'unknown frontmatter key "sumary" (did you mean "summary"?)'),
        (7, "unknown-key", 'unknown frontmatter key "autor" (did you mean "authors"?)'),
        (1, "summary-missing", findings[4].message),
    ]


def test_unknown_key_does_not_hide_the_article_from_the_corpus(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/a.md": article("Cible", slug="cible", brouillon="oui"),
            "content/b.md": article("Lien", related="[cible]", body="[Voir](/2025/01/cible/)"),
        },
    )
    findings = check_files(tmp_path)
    assert [(f.path, f.code) for f in findings] == [("content/a.md", "unknown-key")]
    assert findings[0].message.endswith('(custom data goes under "extra")')


def test_a_repeated_run_of_paragraphs_is_named_once() -> None:
    para = ["Premier paragraphe assez long pour compter. " * 2, "Un court.", "Deuxième " * 6]
    body = "\n\n".join([para[0], para[1], para[2], "Entre les deux.", *para])
    findings = findings_for(article("Copie", body))
    assert [(f.line, f.code) for f in findings] == [
        (15, "duplicate-paragraph"),
        (19, "duplicate-paragraph"),
    ]
    assert findings[0].message == (
        "paragraph repeats the one at line 7 (first of a repeated run of 2 paragraphs:"
        " lines 7–11 repeated at lines 15–19)"
    )
    assert findings[1].message == "paragraph repeats the one at line 11"


def test_headings_start_at_h2_and_do_not_skip() -> None:
    body = "# Titre bis\n\n## Bon\n\n### Bon\n\n## Bon\n\n#### Saut"
    findings = findings_for(article("Titres", body))
    assert [(f.line, f.message) for f in findings] == [
        (7, "h1 in the body: the headline is the page's h1, start sections at ## (h2)"),
        (15, "h4 follows h2: heading levels skip (use ### for an h3)"),
    ]


def test_typography_leftovers_in_the_rendered_text() -> None:
    body = "\n\n".join(
        [
            "»Suite de la citation, sans espace.",
            'Il a dit "oui, puis `code "droit"` et [lien](/a?x="b").',
            "Un ratio 3:2, une heure 14:30 et https://exemple.org/a:b sont justes.",
            "Écrire à contact:presse@exemple.org ou mailto:x@y.fr ne gêne pas.",
            "Mot;suivant et voilà!Non, dans\nla *même*:phrase.",
            "Il a lancé : « Nous *ne* partirons pas » puis « Jamais.",
        ]
    )
    findings = sorted(findings_for(article("Typo", body)), key=lambda f: (f.line, f.code))
    assert [(f.line, f.code) for f in findings] == [
        (7, "french-spacing"),
        (7, "unbalanced-guillemets"),
        (9, "straight-quote"),
        (15, "french-spacing"),
        (15, "french-spacing"),
        (16, "french-spacing"),
        (18, "unbalanced-guillemets"),
    ]
    assert [f.message for f in findings if f.code != "straight-quote"] == [
        '"»Suite": » needs a space before it',
        "0 « but 1 » in this paragraph",
        '"Mot;suivant": ";" is glued between two words; write "Mot ; suivant"',
        '"voilà!Non": "!" is glued between two words; write "voilà ! Non"',
        '"même:phrase": ":" is glued between two words; write "même : phrase"',
        "2 « but 1 » in this paragraph",
    ]


def test_frontmatter_texts_are_checked_too() -> None:
    findings = findings_for(
        article(
            "'\"Le titre sans fin'",
            summary="« Une citation ouverte",
            tags="\n  - bon\n  - « mauvais",
        )
    )
    assert [(f.line, f.code, f.message) for f in findings] == [
        (2, "straight-quote", 'unpaired straight quote " in the title: close it, or use « »'),
        (4, "unbalanced-guillemets", '1 « but 0 » in "summary"'),
        (7, "unbalanced-guillemets", '1 « but 0 » in "tags"'),
    ]


def test_short_texts_and_attributions_are_not_duplicates() -> None:
    speaker = "– Anne Roy, maire de la commune depuis deux mille vingt"
    body = "\n\n".join(
        ["> « Une première citation. »", speaker, "Oui.", "Oui.", "> « Une autre. »", speaker]
    )
    assert findings_for(article("Citations", body)) == []


# --- corpus rules ---------------------------------------------------------------------


def test_links_reach_pages_feeds_and_files_the_build_makes(tmp_path: Path) -> None:
    links = [
        "/",
        "/page/2/",
        "/page/3/",  # three published articles, two per page
        "/rubrique/sport/",
        "/rubrique/sport/atom.xml",
        "/rubrique/sport/page/2/",  # one article in Sport
        "/tag/velo/",
        "/tag/velo/atom.xml",  # tags have no feed
        "/archives/2025/",
        "/archives/2025/01/",
        "/archives/2024/",
        "/rubriques/",
        "/tags/",
        "/rss.xml",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/favicon.svg",
        "/2025/01/velo/index.html",
        "/2025/01/velo",
        "/2025/01/brouillon/",  # a draft: not online yet
        "/velo/",
    ]
    body = "\n".join(f"- [lien]({link})" for link in links)
    write_site(
        tmp_path,
        {
            "presse.toml": "per_page = 2\n",
            "content/velo.md": article("Vélo", section="Sport", tags="[vélo]", slug="velo"),
            "content/liens.md": article("Liens", body, slug="liens"),
            "content/autre.md": article("Autre", slug="autre"),
            "content/brouillon.md": article(
                "Brouillon", "[Retour](/2025/01/velo/) [Soi](/2025/01/brouillon/)", draft="true"
            ),
        },
    )
    broken = {f.line: f.message for f in check_files(tmp_path) if f.code == "broken-link"}
    line = 8  # first link of content/liens.md
    assert broken == {
        line + 2: 'link "/page/3/" leads nowhere: no article, listing page or static file there',
        line + 5: 'link "/rubrique/sport/page/2/" leads nowhere: no article, listing page or'
        " static file there",
        line + 7: 'link "/tag/velo/atom.xml" leads nowhere: no article, listing page or static'
        " file there",
        line + 10: 'link "/archives/2024/" leads nowhere: no article, listing page or static'
        " file there",
        line + 20: 'link "/2025/01/brouillon/" leads to content/brouillon.md, which is not'
        " published: it is a draft",
        line + 21: 'link "/velo/" leads nowhere: no article, listing page or static file there'
        ' (did you mean "/2025/01/velo/"?)',
    }


def test_links_respect_the_base_path(tmp_path: Path) -> None:
    body = "[a](/journal/2025/01/a/) [b](/2025/01/a/) ![c](/journal/images/absente.png)"
    write_site(
        tmp_path,
        {
            "presse.toml": 'base_url = "https://exemple.org/journal/"\n',
            "content/a.md": article("A", body, slug="a"),
        },
    )
    messages = [f.message for f in check_files(tmp_path)]
    assert messages == [
        'image "/journal/images/absente.png" does not exist (expected static/images/absente.png)',
        'link "/2025/01/a/" is outside the site: links must start with "/journal/"',
    ]


def test_related_names_why_a_target_is_not_published(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/a.md": article("A", related="[futur, perime, futr]"),
            "content/futur.md": article("Futur", date="2026-01-01T00:00:00+01:00"),
            "content/perime.md": article(
                "Périmé", slug="perime", expires="2025-02-01T00:00:00+01:00"
            ),
        },
    )
    assert [(f.code, f.message) for f in check_files(tmp_path)] == [
        ("related-missing", 'related article "futr" does not exist (did you mean "futur"?)'),
        (
            "related-unpublished",
            'related article "futur" (content/futur.md) is not published:'
            " it is embargoed until 2026-01-01T00:00:00+01:00",
        ),
        (
            "related-unpublished",
            'related article "perime" (content/perime.md) is not published:'
            " it expired on 2025-02-01T00:00:00+01:00",
        ),
    ]


# --- near-duplicates ------------------------------------------------------------------

SYLLABLES = ("ma", "lo", "ri", "ven", "tu", "sa", "ple", "don", "ca", "bé", "gre", "fon")
WORDS = [a + b for a in SYLLABLES for b in SYLLABLES]  # 144 made-up words


def _text(seed: int, n: int = 120) -> str:
    """Pseudo-random made-up words: the same seed gives the same text, on any run."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def test_minhash_signatures_find_near_duplicates_and_only_them() -> None:
    base = _text(1)
    changed = base.replace(" ", " nouveau ", 1)
    others = [_text(seed) for seed in range(2, 40)]
    signatures = [nd.signature(t) for t in (base, changed, *others)]
    assert all(len(s) == nd.SIZE for s in signatures)
    assert (0, 1) in nd.candidate_pairs(signatures)
    assert nd.jaccard(nd.shingles(base), nd.shingles(changed)) >= nd.THRESHOLD
    texts = [nd.shingles(t) for t in (base, changed, *others)]
    candidates = nd.candidate_pairs(signatures)
    assert {(i, j) for i, j in candidates if nd.jaccard(texts[i], texts[j]) >= 0.8} == {(0, 1)}
    assert len(candidates) < 10  # LSH leaves out nearly all of the 780 pairs
    assert nd.signature("trop court") == ()
    assert len(nd.signature("un deux trois quatre cinq")) == nd.SIZE  # one shingle, densified


def test_signatures_do_not_depend_on_the_hash_seed() -> None:
    code = f"from presse.checks.near_duplicates import signature; print(signature({_text(3)!r}))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


def test_near_duplicates_are_reported_on_the_newer_article(tmp_path: Path) -> None:
    text = _text(5, 200)
    write_site(
        tmp_path,
        {
            "content/b-ancien.md": article("Ancien", text, date="2025-01-02T09:00:00+01:00"),
            "content/a-nouveau.md": article(
                "Nouveau", text.replace(" ", " nouveau ", 1), date="2025-03-02T09:00:00+01:00"
            ),
            "content/c-autre.md": article("Autre", _text(6, 200)),
        },
    )
    findings = check_files(tmp_path)
    assert [(f.path, f.line, f.code) for f in findings] == [
        ("content/a-nouveau.md", 7, "near-duplicate")
    ]
    assert "content/b-ancien.md" in findings[0].message


# --- large corpora --------------------------------------------------------------------


def test_parallel_check_gives_the_same_findings(tmp_path: Path) -> None:
    files = {
        f"content/{i:03d}.md": article(f"Article {i}", _text(i, 60), slug=f"a{i}")
        for i in range(240)
    }
    files["content/007.md"] = article("Sept", "[x](/nulle-part/)", related="[a999]")
    files["content/100.md"] = article("Cent", files["content/099.md"].split("---\n\n")[1])
    write_site(tmp_path, files)
    serial = check_site(tmp_path, now=NOW, workers=1)
    assert check_site(tmp_path, now=NOW, workers=2) == serial
    assert {f.code for f in serial} >= {"broken-link", "related-missing", "near-duplicate"}


def test_keys_of_other_generators_say_what_presse_does_instead() -> None:
    text = article(
        "Titre",
        description="Un résumé",
        categories="[Politique]",
        author="Anne Martin",
        lastmod="2025-01-11",
        layout="post",
    )
    messages = [f.message for f in findings_for(text) if f.code == "unknown-key"]
    assert messages == [
        'unknown frontmatter key "description" (another generator\'s key: write it as'
        ' "summary": the chapô)',
        'unknown frontmatter key "categories" (another generator\'s key: an article has one'
        ' "section" and any number of "tags")',
        'unknown frontmatter key "author" (another generator\'s key: write "authors", a list'
        " or one name)",
        'unknown frontmatter key "lastmod" (another generator\'s key: write it as "updated")',
        'unknown frontmatter key "layout" (another generator\'s key: presse chooses the'
        " template itself: remove it)",
    ]


def test_a_quotation_over_several_paragraphs_or_a_list_is_balanced() -> None:
    body = "\n\n".join(
        [
            "« Premier paragraphe d’une longue citation.",
            "« Deuxième paragraphe, rouvert comme le veut l’usage français.",
            "« Fin de la citation. »",
            "« **Être designer, c’est** :",
            "* écouter ;\n* douter ;\n* recommencer. »",
            "Puis un paragraphe ordinaire.",
        ]
    )
    codes = [f.code for f in findings_for(article("Citations", body))]
    assert "unbalanced-guillemets" not in codes


def test_a_quotation_left_open_at_a_heading_is_reported_where_it_opened() -> None:
    body = "« Une citation ouverte.\n\nQui continue.\n\n## Intertitre\n\nTexte."
    found = [(f.line, f.message) for f in findings_for(article("Ouverte", body))
             if f.code == "unbalanced-guillemets"]  # fmt: skip
    assert found == [(7, "1 « but 0 » in this paragraph")]


def test_a_short_repeat_in_a_parallel_section_is_deliberate() -> None:
    sentence = "L’utilisation de with n’affiche rien si la page mère n’existe pas."
    body = f"## Avec un shortcode\n\n{sentence}\n\n## Avec un partial\n\n{sentence}"
    assert [f.code for f in findings_for(article("Tutoriel", body))] == []
    same_section = f"{sentence}\n\nAutre chose.\n\n{sentence}"
    assert [f.code for f in findings_for(article("Doublon", same_section))] == [
        "duplicate-paragraph"
    ]


def test_acronyms_and_line_breaks_are_not_glued_punctuation() -> None:
    body = "TL;DR et AI;DR restent tels quels.\n\nEst-ce actuel?\nLes Lumières sont passées."
    assert [f.code for f in findings_for(article("Acronymes", body))] == []


def test_hugo_index_files_are_explained_not_read_as_articles(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "content/blog/_index.md": "---\ntitle: Blog\n---\n\nLes billets.\n",
            "content/blog/billet.md": article("Un billet"),
        },
    )
    findings = check_files(site)
    assert [(f.path, f.code) for f in findings] == [("content/blog/_index.md", "not-an-article")]
    assert "listing of its folder" in findings[0].message
