"""``presse import`` on the command line: what an input is, and every misuse a one-line
error that creates nothing (issue 13)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_presse

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "wordpress" / "export.xml"
FEED = FIXTURES / "feeds" / "rss.xml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    return root


def contents(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["absent.xml"], "absent.xml: does not exist"),
        ([str(FEED), "--media", "uploads"], "--media is for a WordPress export, not a feed"),
        ([str(FEED), "--date", "2024-01-01"], "--date is for text files; a feed brings its own"),
        ([str(FEED), "--section", "Monde"], "--section is for text files; a feed brings its own"),
        (
            [str(EXPORT), str(FEED)],
            "import one export, feed or folder at a time (each is imported all or nothing)",
        ),
        ([str(EXPORT), "--media", "absent"], 'media folder "absent" does not exist'),
    ],
    ids=["missing", "media-feed", "date-feed", "section-feed", "two", "media-missing"],
)
def test_misuse_is_one_line_and_creates_nothing(site: Path, args: list[str], message: str) -> None:
    before = contents(site)
    result = run_presse("import", *args, cwd=site)
    assert (result.returncode, result.stderr) == (1, message + "\n")
    assert contents(site) == before


def test_media_for_a_text_file_is_refused(site: Path) -> None:
    (site / "depeche.txt").write_text("Un titre\n\nUn texte.\n", encoding="utf-8")
    result = run_presse("import", "depeche.txt", "--media", ".", cwd=site)
    assert result.returncode == 1
    assert result.stderr == "--media is for a WordPress export, and no export is imported\n"
    assert not (site / "content" / "2026").exists() and not list(site.rglob("*.md"))


def test_a_malformed_export_names_its_line_and_writes_nothing(site: Path) -> None:
    broken = site / "export.xml"
    text = EXPORT.read_text("utf-8")
    broken.write_text(text.replace("</wp:post_name>", "</wp:post_nom>", 3), encoding="utf-8")
    before = contents(site)
    result = run_presse("import", "export.xml", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith("export.xml:") and "is not well-formed XML" in result.stderr
    assert "Traceback" not in result.stderr
    assert contents(site) == before


def test_a_missing_site_folder_is_not_created(tmp_path: Path) -> None:
    result = run_presse("import", str(FEED), "-s", str(tmp_path / "absent"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f'site folder "{tmp_path / "absent"}" does not exist\n'
    assert list(tmp_path.iterdir()) == []


def test_inputs_are_recognised_by_content_not_name(site: Path) -> None:
    shutil.copy(FEED, site / "flux.txt")  # a feed saved under any name
    result = run_presse("import", "flux.txt", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported 2 articles, 0 pages"


def test_a_folder_with_nothing_to_import_says_so(site: Path, tmp_path: Path) -> None:
    (tmp_path / "vide").mkdir()
    before = contents(site)
    result = run_presse("import", str(tmp_path / "vide"), cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        f"{tmp_path / 'vide'}: nothing to import: no article, page or entry found (folder)\n"
    )
    assert contents(site) == before


def test_a_media_folder_that_is_a_file_is_refused(site: Path) -> None:
    result = run_presse("import", str(EXPORT), "--media", str(FEED), cwd=site)
    assert result.returncode == 1
    assert result.stderr == f'media folder "{FEED}" is a file, not a folder\n'
