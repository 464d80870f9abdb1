"""The publication gate: drafts, embargoed and expired articles leave no trace anywhere.

Every file of the built site is searched, including Pagefind's compressed index, for
each hidden article's slug, title, unique words, author and section.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from tests.conftest import SITES

NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")
HIDDEN = {
    "draft": ["le-brouillon-confidentiel", "brouillon confidentiel", "Zyxbrouillon",
              "Bruno Brouillon", "bruno-brouillon", "Brouillonne", "motbrouillon"],
    "embargo": ["larticle-sous-embargo", "sous embargo", "Zyxembargo", "Emma Embargo",
                "emma-embargo", "Embarguée", "motembargo"],
    "expired": ["larticle-perime", "article périmé", "Zyxperime", "Paul Périmé",
                "paul-perime", "Rubrique Périmée", "motperime"],
}  # fmt: skip


def _all_text(root: Path) -> dict[str, str]:
    """Every file as text, Pagefind's gzip-compressed index files decompressed."""
    texts: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[path.relative_to(root).as_posix()] = data.decode("utf-8", errors="replace")
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("embargo") / "public"
    build(BuildOptions(site_dir=SITES / "embargo", output_dir=out, now=NOW))
    return _all_text(out)


@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_hidden_articles_leave_no_trace(built: dict[str, str], kind: str) -> None:
    leaks = [
        f"{path}: {needle!r}"
        for path, text in built.items()
        for needle in HIDDEN[kind]
        if needle.lower() in text.lower() or needle.lower() in path.lower()
    ]
    assert leaks == []


def test_the_public_article_is_everywhere(built: dict[str, str]) -> None:
    assert "2025/05/un-article-bien-public/index.html" in built
    assert "un-article-bien-public" in built["atom.xml"]
    assert "un-article-bien-public" in built["sitemap.xml"]
    fragments = [p for p in built if p.startswith("pagefind/") and "/fragment/" in p]
    assert fragments
    assert "Ce texte est public" in "".join(built[path] for path in fragments)
    # The related block stays empty: every related slug is unpublished.
    assert "À lire également" not in built["2025/05/un-article-bien-public/index.html"]


def test_flags_publish_them_again(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(
        BuildOptions(
            site_dir=SITES / "embargo",
            output_dir=out,
            now=NOW,
            drafts=True,
            future=True,
            expired=True,
        )
    )
    for slug, month in [
        ("le-brouillon-confidentiel", "05"),
        ("larticle-sous-embargo", "06"),
        ("larticle-perime", "04"),
    ]:
        assert (out / "2025" / month / slug / "index.html").is_file()


def test_embargo_lifts_at_its_time(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(
        BuildOptions(
            site_dir=SITES / "embargo",
            output_dir=out,
            now=datetime.fromisoformat("2025-06-02T06:00:00+02:00"),
        )
    )
    assert (out / "2025" / "06" / "larticle-sous-embargo" / "index.html").is_file()
