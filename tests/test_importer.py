"""``presse import``: pasted plain text in, a draft article with the same structure out."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.headlines import sentence_case
from presse.import_command import register, site_slugs
from presse.importer import convert
from presse.markdown import create_markdown
from presse.model import SourceFile
from presse.parse import parse_article, split_frontmatter
from tests.conftest import REPO

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = FIXTURES / "openai-seed.txt"
HAND_MADE = (
    REPO / "content/2025/openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique.md"
)
PARIS = ZoneInfo("Europe/Paris")
DATE = datetime(2025, 2, 1, 10, 0, tzinfo=PARIS)
SEED_WARNING = "dropped a repeated block of 14 paragraphs (lines 45–73 repeat lines 15–43)"


def _convert(text: str, known: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """The Markdown body (frontmatter cut) and the warnings as ``line: message``."""
    article = convert(text, Path("in.txt"), date=DATE, known_slugs=known)
    return article.markdown.split("---\n\n", 1)[1], [
        f"{w.line}: {w.message}" for w in article.warnings
    ]


def _meta(markdown: str) -> dict[str, object]:
    meta, _, _ = split_frontmatter(SourceFile.of_text(Path("x.md"), markdown))
    return meta


def _article(body: str) -> str:
    """A title, a chapô, then ``body``: the shape every input shares."""
    return f"Titre\n\nLe chapô.\n\n{body}"


# --- the real example ---------------------------------------------------------------


def _site(root: Path, article: str) -> Path:
    (root / "content/2025").mkdir(parents=True)
    (root / "presse.toml").write_text("search = false\n", encoding="utf-8")
    (root / "content/2025/x.md").write_text(article, encoding="utf-8")
    return root


def _words(text: str) -> str:
    """Whitespace collapsed, no-break spaces included: the seed keeps its own."""
    return " ".join(text.split())


def _structure(site: Path) -> dict[str, object]:
    build(BuildOptions(site_dir=site, output_dir=site / "public", drafts=True, future=True))
    (page,) = (site / "public").glob("2025/*/*/index.html")
    html = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    (body,) = html.xpath("//div[@class='article__body']")
    (chapo,) = html.xpath("//p[@class='chapo']")
    (title,) = html.xpath("//h1[@class='article__title']")
    figures = body.xpath(".//figure[@class='citation']")
    return {
        "title": _words(title.text_content()),
        "chapo": _words(chapo.text_content()),
        "h2": [_words(h.text_content()) for h in body.xpath(".//h2")],
        "quotes": [_words(f.xpath("blockquote")[0].text_content()) for f in figures],
        "captions": [_words(f.xpath("figcaption")[0].text_content()) for f in figures],
        "items": [_words(li.text_content()) for li in body.xpath(".//ul/li")],
        "paragraphs": len(body.xpath(".//p")),
        "centre": _words(body.text_content()).count("gigantesque centre de données"),
    }


def test_seed_builds_like_the_hand_made_article(tmp_path: Path) -> None:
    article = convert(SEED.read_text(encoding="utf-8"), SEED, date=DATE)
    imported = _structure(_site(tmp_path / "imported", article.markdown))
    # The hand-made file's related articles are not in this one-article site.
    reference = re.sub(r"related:\n(?:  - .*\n)+", "", HAND_MADE.read_text(encoding="utf-8"))
    expected = _structure(_site(tmp_path / "reference", reference))

    assert imported == expected
    assert len(imported["h2"]) == 5  # type: ignore[arg-type]
    assert len(imported["captions"]) == 3  # type: ignore[arg-type]
    assert len(imported["items"]) == 3  # type: ignore[arg-type]
    assert imported["centre"] == 1
    assert article.slug == HAND_MADE.stem
    assert [(w.path, w.line, w.message) for w in article.warnings] == [(SEED, 45, SEED_WARNING)]
    assert "related" not in _meta(article.markdown)


def test_seed_report() -> None:
    article = convert(SEED.read_text(encoding="utf-8"), SEED, date=DATE)
    report = article.recognised
    assert report[0] == (
        "title: OpenAI ouvre ses portes aux sources ouvertes : un virage stratégique"
        " (sentence case)"
    )
    assert report[1].startswith("chapô: Dans un revirement stratégique majeur")
    assert "sections: 5" in report
    assert "quotations: 3" in report
    assert "  – Sam Altman, PDG d’OpenAI" in report
    assert "lists: 1 (3 items)" in report
    assert "related: none (« À lire également » at line 75 lists nothing)" in report
    assert report[-2:] == ("dropped: 1 repeated run", "  lines 45–73 (14 blocks)")


def test_output_is_a_valid_article() -> None:
    article = convert(SEED.read_text(encoding="utf-8"), SEED, date=DATE, section="Technologie")
    parsed = parse_article(
        SourceFile.of_text(Path("content/2025/x.md"), article.markdown),
        SiteConfig(),
        create_markdown(),
    )
    assert parsed.draft is True
    assert parsed.date == DATE
    assert parsed.section == "Technologie"
    assert list(_meta(article.markdown)) == ["title", "date", "draft", "section", "summary"]


# --- title --------------------------------------------------------------------------

TITLES = [
    # Title Case, with inner capitals, acronyms and the body's proper nouns kept.
    (
        "OpenAI Ouvre Ses Portes Aux Sources Ouvertes : Un Virage Stratégique",
        "Des sources ouvertes.",
        "OpenAI ouvre ses portes aux sources ouvertes : un virage stratégique",
    ),
    (
        "Sam Altman Admet Que DeepSeek A Réduit L’Avance D’OpenAI",
        "Lors d’un AMA, Sam Altman a parlé.",
        "Sam Altman admet que DeepSeek a réduit l’avance d’OpenAI",
    ),
    (
        "Le Projet Stargate Au Cœur De La Stratégie",
        "Des projets comme Stargate, le centre de données.",
        "Le projet Stargate au cœur de la stratégie",
    ),
    (
        "Reddit AMA : Le Modèle o3-mini Et GPT-5 Face À R1",
        "Sur Reddit, le modèle.",
        "Reddit AMA : le modèle o3-mini et GPT-5 face à R1",
    ),
    ("5 Choses À Savoir Sur DALL-E 3", "", "5 choses à savoir sur DALL-E 3"),
    ("Au-Delà Du Modèle De L’IA", "", "Au-delà du modèle de l’IA"),
    ("Pourquoi ? La Réponse Des Experts", "", "Pourquoi ? La réponse des experts"),
    (
        "Le Gouvernement Annonce un Plan de Relance",
        "Le plan du gouvernement.",
        "Le gouvernement annonce un plan de relance",
    ),
    # All capitals: the body says how each word is written.
    (
        "REDDIT AMA : OPENAI RECONNAÎT SON ERREUR",
        "Lors d’un AMA sur Reddit, OpenAI a reconnu son erreur.",
        "Reddit AMA : OpenAI reconnaît son erreur",
    ),
    # Already sentence case, or names only: unchanged.
    (
        "Le gouvernement annonce un plan de relance",
        "",
        "Le gouvernement annonce un plan de relance",
    ),
    (
        "Emmanuel Macron reçoit Olaf Scholz à Paris",
        "",
        "Emmanuel Macron reçoit Olaf Scholz à Paris",
    ),
    ("Visite de Zelensky", "", "Visite de Zelensky"),
]


@pytest.mark.parametrize(("headline", "body", "expected"), TITLES)
def test_sentence_case(headline: str, body: str, expected: str) -> None:
    assert sentence_case(headline, [body]) == expected


def test_title_case_names_come_from_mid_sentence_capitals() -> None:
    body = [
        "Le président Emmanuel Macron a reçu le chancelier Olaf Scholz à Paris.",
        "Produit phare. La Directrice a parlé, puis la directrice et la directrice ont voté.",
    ]
    assert (
        sentence_case("Emmanuel Macron Reçoit Olaf Scholz À Paris", body)
        == "Emmanuel Macron reçoit Olaf Scholz à Paris"
    )
    # Capitalised at a sentence start only, or more often lowercase: not a name.
    assert sentence_case("La Directrice Du Produit", body) == "La directrice du produit"


def test_title_becomes_slug_and_frontmatter() -> None:
    article = convert("L’Été Des Centres De Données\n\nLe chapô.\n", Path("in.txt"), date=DATE)
    assert article.title == "L’été des centres de données"
    assert article.slug == "lete-des-centres-de-donnees"
    assert _meta(article.markdown)["title"] == "L’été des centres de données"


# --- body ---------------------------------------------------------------------------


def test_chapo_becomes_the_summary_and_leaves_the_body() -> None:
    article = convert(_article("Le texte.\n"), Path("in.txt"), date=DATE)
    assert _meta(article.markdown)["summary"] == "Le chapô."
    assert article.markdown.endswith("---\n\nLe texte.\n")


def test_headings_versus_short_sentences() -> None:
    body, _ = _convert(
        _article(
            "Un intertitre\n\nUn paragraphe.\n\n"
            "Il a refusé.\n\nLa suite :\n\nUne liste de choses.\n\n"
            "Par Jean Dupont\n\nPublié hier\n\nLe texte.\n\n"
            "Deux lignes courtes\nsans ponctuation\n\n"
            "Une ligne beaucoup trop longue pour un intertitre de presse même sans aucune "
            "ponctuation\n\n"
            "La fin.\n\nUne ligne finale"
        )
    )
    assert re.findall(r"^## .*$", body, re.MULTILINE) == ["## Un intertitre", "## Publié hier"]
    paragraphs = [
        "Il a refusé.",
        "La suite :",
        "Par Jean Dupont",
        "Deux lignes courtes sans ponctuation",
        "Une ligne beaucoup trop longue pour un intertitre de presse même sans aucune ponctuation",
        "Une ligne finale",
    ]
    for paragraph in paragraphs:
        assert f"\n{paragraph}\n" in f"\n{body}"


def test_quotations_with_attributions() -> None:
    body, _ = _convert(
        _article(
            "« Citation un. »\n\n– Marie Curie, physicienne\n\n"
            '"Citation deux."\n\n— Pierre Curie\n\n'
            "« Citation trois. »\n- Irène Joliot-Curie, chimiste\n\n"
            "« Citation sans auteur. »\n\nUn paragraphe."
        )
    )
    assert body == (
        "> « Citation un. »\n\n– Marie Curie, physicienne\n\n"
        '> "Citation deux."\n\n– Pierre Curie\n\n'
        "> « Citation trois. »\n\n– Irène Joliot-Curie, chimiste\n\n"
        "« Citation sans auteur. »\n\nUn paragraphe.\n"
    )


def test_a_list_after_a_quotation_is_not_an_attribution() -> None:
    body, _ = _convert(_article("« Une citation. »\n\n- premier point\n- second point\n\nFin."))
    assert body == "« Une citation. »\n\n- premier point\n- second point\n\nFin.\n"


def test_lists() -> None:
    body, _ = _convert(
        _article(
            "  • un\n  • deux\n\n"
            "Ils ont évoqué :\n- a\n- b\n\n"
            "· premier élément\nqui continue\n· second\n\n"
            "1. premier\n2) second\n\n"
            "▪ seul\n\n"
            "Texte.\n\n"
            "- pas une liste\n\n"
            "Texte.\n\n"
            "* étoile\n* encore"
        )
    )
    assert body == (
        "- un\n- deux\n\n"
        "Ils ont évoqué :\n\n- a\n- b\n\n"
        "- premier élément qui continue\n- second\n\n"
        "1. premier\n2. second\n\n"
        "- seul\n\n"
        "Texte.\n\n"
        "\\- pas une liste\n\n"
        "Texte.\n\n"
        "- étoile\n- encore\n"
    )


def test_items_separated_by_blank_lines_make_one_list() -> None:
    body, _ = _convert(_article("- a\n\n- b\n\n• c\n\nFin.\n\n« Oui. »\n\n– Anne\n\n– Marc"))
    assert body == "- a\n- b\n- c\n\nFin.\n\n> « Oui. »\n\n– Anne\n\n– Marc\n"


def test_markdown_syntax_in_plain_text_is_escaped() -> None:
    body, _ = _convert(
        _article("# pas un titre.\n\n1984. Une année.\n\n> pas une citation.\n\nA <b> B")
    )
    assert body == "\\# pas un titre.\n\n1984\\. Une année.\n\n\\> pas une citation.\n\nA \\<b> B\n"


def test_lines_without_blank_lines_are_paragraphs() -> None:
    body, _ = _convert("Titre\nLe chapô.\nPremier paragraphe.\nSecond paragraphe.\n")
    assert body == "Premier paragraphe.\n\nSecond paragraphe.\n"
    wrapped, _ = _convert("Titre\n\nLe chapô.\n\nUne phrase coupée\nen deux lignes.\n")
    assert wrapped == "Une phrase coupée en deux lignes.\n"


# --- repeated blocks ----------------------------------------------------------------


def test_repeated_runs_are_dropped() -> None:
    body, warnings = _convert(_article("Un.\n\nDeux.\n\nTrois.\n\nDeux.\n\nTrois.\n\nQuatre.\n"))
    assert body == "Un.\n\nDeux.\n\nTrois.\n\nQuatre.\n"
    assert warnings == [
        "11: dropped a repeated block of 2 paragraphs (lines 11–13 repeat lines 7–9)"
    ]


def test_a_long_block_repeated_alone_is_dropped() -> None:
    long = "Une longue phrase qui revient. " * 8
    body, warnings = _convert(_article(f"{long}\n\nAutre chose.\n\n{long}\n\nFin.\n"))
    assert body.count("longue phrase") == 8
    assert warnings == ["9: dropped a repeated block of 1 paragraph (line 9 repeats line 5)"]


def test_short_blocks_repeated_alone_are_kept() -> None:
    text = _article(
        "Réactions\n\nPremier avis.\n\n« Un. »\n\n– Kevin Weil, directeur\n\n"
        "Réactions\n\nSecond avis.\n\n« Deux. »\n\n– Kevin Weil, directeur\n"
    )
    body, warnings = _convert(text)
    assert warnings == []
    assert body.count("## Réactions") == 2
    assert body.count("– Kevin Weil, directeur") == 2


def test_whitespace_does_not_hide_a_repeat() -> None:
    _, warnings = _convert(_article("Un  bloc.\n\nDeux.\n\nUn bloc.\nDeux.\n\nFin."))
    assert warnings == []  # a different block shape is a different block
    _, warnings = _convert(_article("Un  bloc.\n\nDeux.\n\nUn bloc. \n\n Deux.\n\nFin."))
    assert warnings == ["9: dropped a repeated block of 2 paragraphs (lines 9–11 repeat lines 5–7)"]


# --- related articles ---------------------------------------------------------------

KNOWN = frozenset({"ia-ouverte-ce-que-les-licences-permettent-vraiment", "centres-de-donnees"})


def test_related_titles_and_urls() -> None:
    text = _article(
        "Le texte.\n\nÀ lire également :\n"
        "IA ouverte : ce que les licences permettent vraiment\n"
        "https://exemple.org/2025/02/centres-de-donnees/\n"
        "Un article qui n’existe pas\n"
    )
    article = convert(text, Path("in.txt"), date=DATE, known_slugs=KNOWN)
    assert _meta(article.markdown)["related"] == [
        "ia-ouverte-ce-que-les-licences-permettent-vraiment",
        "centres-de-donnees",
    ]
    assert article.markdown.endswith("\n\nLe texte.\n")
    assert [str(w) for w in article.warnings] == [
        'in.txt:10: related article "Un article qui n’existe pas" not found, left out'
    ]
    assert "related: 2 of 3" in article.recognised


@pytest.mark.parametrize(
    "marker",
    [
        "LIRE AUSSI : https://exemple.org/centres-de-donnees.html",
        "Voir aussi\n• centres de données",
    ],
)
def test_related_marker_variants(marker: str) -> None:
    article = convert(
        _article(f"Le texte.\n\n{marker}\n"), Path("in.txt"), date=DATE, known_slugs=KNOWN
    )
    assert _meta(article.markdown)["related"] == ["centres-de-donnees"]
    assert article.warnings == ()


def test_a_marker_followed_by_text_is_not_a_related_block() -> None:
    long = (
        "Un paragraphe qui continue l’article après la mention, bien trop long pour un titre. " * 2
    )
    body, _ = _convert(_article(f"Lire aussi\n\n{long}\n"), KNOWN)
    assert body.startswith("## Lire aussi\n\n")


def test_a_slug_the_site_already_has_is_flagged() -> None:
    _, warnings = _convert("Centres de données\n\nLe chapô.\n", KNOWN)
    assert warnings == [
        '1: the site already has an article with the slug "centres-de-donnees": give one of'
        ' them a "slug" field before building'
    ]


def test_site_slugs_reads_slug_fields_and_titles(tmp_path: Path) -> None:
    content = tmp_path / "content/2025"
    content.mkdir(parents=True)
    (content / "a.md").write_text('---\ntitle: "L’été"\ndate: 2025-01-01\n---\n', encoding="utf-8")
    (content / "b.md").write_text(
        "---\ntitle: B\nslug: autre\ndate: 2025-01-01\n---\n", encoding="utf-8"
    )
    (content / "broken.md").write_text("pas de frontmatter\n", encoding="utf-8")
    assert site_slugs(tmp_path, SiteConfig()) == {"lete", "autre"}


# --- the command --------------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``presse import ARGV`` through a real parser, errors printed as the CLI does."""
    parser = argparse.ArgumentParser(prog="presse")
    register(parser.add_subparsers())
    args = parser.parse_args(["import", *argv])
    try:
        code = args.handler(args)
    except PresseError as exc:
        print(exc, file=sys.stderr)
        code = 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/2025").mkdir(parents=True)
    (root / "presse.toml").write_text(
        'timezone = "Europe/Paris"\nsearch = false\n', encoding="utf-8"
    )
    (root / "content/2025/ia.md").write_text(
        '---\ntitle: "IA ouverte : ce que les licences permettent vraiment"\n'
        "date: 2025-01-01\n---\n\nTexte.\n",
        encoding="utf-8",
    )
    return root


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_cli_imports_the_seed(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([str(SEED), "--site", str(site), "--date", "2025-02-01T10:00"], capsys)
    target = site / f"content/2025/{HAND_MADE.name}"
    assert code == 0
    assert out.splitlines()[0] == f"{SEED} → {target} (draft)"
    assert "  sections: 5" in out.splitlines()
    assert err == f"{SEED}:45: warning: {SEED_WARNING}\n"
    meta = _meta(target.read_text(encoding="utf-8"))
    assert meta["draft"] is True
    assert meta["date"] == "2025-02-01T10:00:00+01:00"
    build(BuildOptions(site_dir=site, output_dir=site / "public", drafts=True))


def test_cli_related_warning_and_section(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "in.txt",
        _article(
            "Texte.\n\nÀ lire également\n"
            "IA ouverte : ce que les licences permettent vraiment\nInconnu\n"
        ),
    )
    code, out, err = _run([str(source), "-s", str(site), "--section", "Technologie"], capsys)
    assert code == 0
    assert "  related: 1 of 2" in out.splitlines()
    assert err == f'{source}:9: warning: related article "Inconnu" not found, left out\n'
    (target,) = (site / "content").glob("*/titre.md")
    meta = _meta(target.read_text(encoding="utf-8"))
    assert meta["section"] == "Technologie"
    assert meta["related"] == ["ia-ouverte-ce-que-les-licences-permettent-vraiment"]
    now = datetime.now(PARIS)
    written = datetime.fromisoformat(str(meta["date"]))
    assert written.utcoffset() == now.utcoffset()
    assert abs(written - now) < timedelta(minutes=5)


def test_cli_accepts_bom_and_crlf(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "in.txt", b"\xef\xbb\xbfTitre\r\n\r\nLe chap\xc3\xb4.\r\n\r\nTexte.\r\n"
    )
    code, _, err = _run([str(source), "-s", str(site), "-o", str(tmp_path / "a.md")], capsys)
    assert (code, err) == (0, "")
    text = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "\r" not in text
    assert "\ufeff" not in text
    assert _meta(text)["title"] == "Titre"
    assert text.endswith("---\n\nTexte.\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "in.txt:1: is empty: nothing to import"),
        ("\n  \n\t\n", "in.txt:1: is empty: nothing to import"),
        (
            "\n\nUn titre seul\n",
            "in.txt:3: has a title but no text: an article needs at least one paragraph",
        ),
        (
            b"Titre\n\nCaf\xe9.\n",
            "in.txt:3: is not valid UTF-8 (byte 0xe9 at offset 10); save the file as UTF-8",
        ),
        ("!!!\n\nTexte.\n", 'in.txt:1: cannot make a file name from the title "!!!"'),
    ],
)
def test_cli_errors(
    data: str | bytes,
    message: str,
    site: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "in.txt", data)
    code, out, err = _run(["in.txt", "-s", str(site)], capsys)
    assert (code, out, err) == (1, "", message + "\n")


def test_cli_missing_input(site: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run([str(tmp_path / "absent.txt"), "-s", str(site)], capsys)
    assert code == 1
    assert err == f"{tmp_path / 'absent.txt'}: does not exist\n"


def test_cli_never_overwrites(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "in.txt", _article("Texte."))
    assert _run([str(source), "-s", str(site), "--date", "2025-03-01"], capsys)[0] == 0
    target = site / "content/2025/titre.md"
    target.write_text("mine", encoding="utf-8")
    code, out, err = _run([str(source), "-s", str(site), "--date", "2025-03-01"], capsys)
    assert (code, out, err) == (1, "", f"{target}: already exists, not overwritten\n")
    assert target.read_text(encoding="utf-8") == "mine"


def test_cli_writes_nothing_when_one_input_fails(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path / "good.txt", _article("Texte."))
    same = _write(tmp_path / "same.txt", _article("Autre texte."))
    code, _, err = _run(
        [str(good), str(same), "-s", str(site), "-o", str(tmp_path / "out")], capsys
    )
    assert code == 1
    assert err == f"{tmp_path / 'out/titre.md'}: would be written twice (also by {same})\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("2025-03-04", "2025-03-04T00:00:00+01:00"),
        ("2025-07-04T08:30", "2025-07-04T08:30:00+02:00"),
        ("2025-03-04T10:00:00Z", "2025-03-04T11:00:00+01:00"),
        ("2025-03-04T10:00:00.123+01:00", "2025-03-04T10:00:00+01:00"),
    ],
)
def test_cli_date(
    given: str, written: str, site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "in.txt", _article("Texte."))
    assert _run([str(source), "-s", str(site), "--date", given], capsys)[0] == 0
    year = written[:4]
    assert _meta((site / f"content/{year}/titre.md").read_text(encoding="utf-8"))["date"] == written


def test_cli_rejects_a_bad_date(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run(["in.txt", "-s", str(site), "--date", "32/13/2025"], capsys)
    assert exit_info.value.code == 2
    assert '"32/13/2025" is not a date (expected YYYY-MM-DD or ISO 8601)' in capsys.readouterr().err


def test_cli_output_folder_and_file(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _write(tmp_path / "one.txt", _article("Texte."))
    two = _write(tmp_path / "two.txt", "Autre Titre Pour Un Autre Article\n\nChapô.\n")
    folder = tmp_path / "brouillons"
    code, out, _ = _run([str(one), str(two), "-s", str(site), "-o", str(folder)], capsys)
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "autre-titre-pour-un-autre-article.md",
        "titre.md",
    ]
    assert f"{two} → {folder / 'autre-titre-pour-un-autre-article.md'} (draft)" in out

    single = tmp_path / "ailleurs/article.md"
    assert _run([str(one), "-s", str(site), "-o", str(single)], capsys)[0] == 0
    assert _meta(single.read_text(encoding="utf-8"))["draft"] is True

    code, _, err = _run([str(one), str(two), "-s", str(site), "-o", str(tmp_path / "x.md")], capsys)
    assert (code, err) == (1, f"{tmp_path / 'x.md'}: names one file but 2 files are imported\n")


def test_frontmatter_round_trips_awkward_text(tmp_path: Path) -> None:
    title = 'Le "vrai" #1 : l’été\\ – 100 % {ok} [non] *oui* & — @x'
    article = convert(
        f"{title}\n\n- Chapô: « oui » #2\n", Path("in.txt"), date=DATE, section="A: b"
    )
    meta = _meta(article.markdown)
    assert (meta["title"], meta["summary"], meta["section"]) == (
        title,
        "- Chapô: « oui » #2",
        "A: b",
    )
