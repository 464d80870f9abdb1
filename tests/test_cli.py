"""The command line as a user meets it: exit codes, messages, an intact ``public/``."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, SITES, leftovers, run_presse, tree_bytes

INVALID = SITES / "invalid"

# One broken file per error message: (fixture, file:line that must be blamed, message).
ERROR_CASES = [
    (
        "malformed_yaml.md",
        "content/2025/malformed_yaml.md:5",
        "invalid YAML in frontmatter: did not find expected ',' or ']' "
        "(while parsing a flow sequence started on line 4)",
    ),
    ("missing_title.md", "content/2025/missing_title.md:1", 'missing required field "title"'),
    (
        "impossible_date.md",
        "content/2025/impossible_date.md:3",
        'date "32/13/2025" is not a date (expected YYYY-MM-DD or ISO 8601)',
    ),
    (
        "duplicate_slug.md",
        "content/2025/hiver.md:3",
        'duplicate slug "bilan-hiver" (already used by content/2025/duplicate_slug.md)',
    ),
    (
        "missing_related.md",
        "content/2025/missing_related.md:6",
        'related article "article-inexistant" does not exist',
    ),
    (
        "missing_image.md",
        "content/2025/missing_image.md:4",
        'image "/images/absente.png" does not exist (expected static/images/absente.png)',
    ),
    (
        "escaping_slug.md",
        "content/2025/escaping_slug.md:3",
        'slug "../../../../tmp/evasion" would escape the output folder',
    ),
]


def test_build_succeeds_and_reports_pages(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    result = run_presse("build", "--now", FIXED_NOW, cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.match(r"23 pages, \d+ files written in \d+\.\d\d s$", result.stdout.strip())
    assert (site / "public" / "index.html").is_file()


@pytest.mark.parametrize(
    ("fixture", "location", "message"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES]
)
def test_broken_file_fails_cleanly_and_keeps_previous_site(
    copy_site: Callable[[str], Path], fixture: str, location: str, message: str
) -> None:
    site = copy_site("basic")
    assert run_presse("build", "--now", FIXED_NOW, cwd=site).returncode == 0
    before = tree_bytes(site / "public")

    shutil.copy(INVALID / fixture, site / "content" / "2025" / fixture)
    result = run_presse("build", "--now", FIXED_NOW, cwd=site)

    assert result.returncode == 1
    assert result.stderr == f"{location}: {message}\n"
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_bytes(site / "public") == before
    assert leftovers(site) == []


def test_every_broken_file_is_reported_in_one_run(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    for fixture in ("missing_title.md", "impossible_date.md"):
        shutil.copy(INVALID / fixture, site / "content" / "2025" / fixture)
    result = run_presse("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'content/2025/impossible_date.md:3: date "32/13/2025" is not a date '
        "(expected YYYY-MM-DD or ISO 8601)",
        'content/2025/missing_title.md:1: missing required field "title"',
    ]


def test_invalid_utf8_is_reported_with_its_line(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    (site / "content" / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\ndate: 2025-01-01\n---\n")
    result = run_presse("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith("content/latin1.md:2: is not valid UTF-8")


def test_an_unreadable_file_does_not_hide_the_others(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    (site / "content" / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\ndate: 2025-01-01\n---\n")
    shutil.copy(INVALID / "missing_title.md", site / "content" / "2025" / "missing_title.md")
    result = run_presse("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'content/2025/missing_title.md:1: missing required field "title"',
        "content/latin1.md:2: is not valid UTF-8 (byte 0xe9 at offset 14); save the file as UTF-8",
    ]


def test_past_twenty_errors_the_build_says_how_many_more(
    copy_site: Callable[[str], Path],
) -> None:
    site = copy_site("basic")
    for n in range(23):
        (site / "content" / f"sans-titre-{n:02d}.md").write_text(
            "---\ndate: 2025-01-01\n---\n\nTexte.\n", encoding="utf-8"
        )
    result = run_presse("build", cwd=site)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 21 and lines[0].startswith("content/sans-titre-00.md:1: missing")
    assert lines[-1] == "... and 3 more errors (presse check lists them all)"


def test_unknown_config_option_is_named(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    config = site / "presse.toml"
    config.write_text(config.read_text(encoding="utf-8") + "per_pgae = 4\n", encoding="utf-8")
    result = run_presse("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr == 'presse.toml:6: unknown option "per_pgae" (did you mean "per_page"?)\n'


def test_two_builds_are_byte_identical(copy_site: Callable[[str], Path], tmp_path: Path) -> None:
    site = copy_site("basic")
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = run_presse("build", "--now", FIXED_NOW, "-o", str(out), cwd=site)
        assert result.returncode == 0, result.stderr
    assert tree_bytes(first) == tree_bytes(second)


def test_source_date_epoch_sets_the_clock(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    # 2029-12-31: the embargoed 2030 article is still out, the footer says 2029.
    result = run_presse("build", cwd=site, env={"SOURCE_DATE_EPOCH": "1893369600"})
    assert result.returncode == 0, result.stderr
    front = (site / "public" / "index.html").read_text(encoding="utf-8")
    assert "© 2029" in front
    assert "embargo" not in "".join(tree_bytes(site / "public").keys())


def test_drafts_and_future_flags_publish_them(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    result = run_presse("build", "--now", FIXED_NOW, "--drafts", "--future", cwd=site)
    assert result.returncode == 0, result.stderr
    paths = tree_bytes(site / "public").keys()
    assert "2025/01/un-brouillon-secret/index.html" in paths
    assert "2030/01/un-article-sous-embargo/index.html" in paths


def test_now_without_offset_is_refused(copy_site: Callable[[str], Path]) -> None:
    result = run_presse("build", "--now", "2025-06-01T12:00", cwd=copy_site("basic"))
    assert result.returncode == 2
    assert "needs a UTC offset" in result.stderr


def test_output_folder_may_not_be_the_sources(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    result = run_presse("build", "-o", "content", cwd=site)
    assert result.returncode == 1
    assert "would overwrite the site's sources" in result.stderr
    assert (site / "content" / "2025" / "ete.md").is_file()


def test_folder_with_only_content_builds_with_packaged_theme(tmp_path: Path) -> None:
    shutil.copytree(SITES / "basic" / "content", tmp_path / "content")
    theatre = tmp_path / "content" / "2025" / "theatre.md"  # its image lives in static/
    theatre.write_text(
        theatre.read_text("utf-8").replace("image: /images/scene.svg\n", ""), encoding="utf-8"
    )
    result = run_presse("build", "--now", FIXED_NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "public" / "2025" / "01" / "bilan-hiver" / "index.html").read_text("utf-8")
    assert '<html lang="fr">' in html
    assert "Site produit avec presse" in html  # the packaged footer, no site override here
    assert (tmp_path / "public" / "css" / "presse.css").is_file()


@pytest.mark.parametrize("command", ["build", "serve", "new", "check"])
def test_a_missing_site_folder_is_an_error_and_is_not_created(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "absent" / "site"
    args = {"new": ["new", "Un titre"], "serve": ["serve", "--port", "0"]}.get(command, [command])
    result = run_presse(*args, "-s", str(missing), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, f'site folder "{missing}" does not exist\n')
    assert not (tmp_path / "absent").exists()


@pytest.mark.parametrize("command", ["build", "serve", "new"])
def test_a_site_folder_that_is_a_file_is_an_error(tmp_path: Path, command: str) -> None:
    (tmp_path / "site.md").write_text("pas un dossier\n")
    args = {"new": ["new", "Un titre"], "serve": ["serve", "--port", "0"]}.get(command, [command])
    result = run_presse(*args, "-s", "site.md", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        'site folder "site.md" is a file, not a folder\n',
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.md"]


@pytest.mark.parametrize("value", ["0", "-3", "deux"])
def test_jobs_must_be_a_positive_whole_number(tmp_path: Path, value: str) -> None:
    result = run_presse("build", f"--jobs={value}", cwd=tmp_path)
    assert result.returncode == 2  # a usage error, as argparse reports them
    assert result.stderr.splitlines()[-1].startswith("presse build: error: argument -j/--jobs: ")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_without_content_is_not_built(tmp_path: Path) -> None:
    result = run_presse("build", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        'no content/ folder in ".": a site keeps its articles there (is this the site folder?'
        " see -s)\n",
    )
    assert list(tmp_path.iterdir()) == []  # no public/, no .presse-cache/


def test_output_naming_a_file_is_an_error(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    (site / "afile").write_text("not a folder", encoding="utf-8")
    result = run_presse("build", "-o", "afile", cwd=site)
    assert result.returncode == 1
    assert result.stderr == f'output folder "{site.resolve() / "afile"}" is a file, not a folder\n'
    assert (site / "afile").read_text(encoding="utf-8") == "not a folder"
    assert not (site / "public").exists() and leftovers(site) == []


def test_output_below_a_missing_folder_creates_nothing(
    copy_site: Callable[[str], Path], tmp_path: Path
) -> None:
    site = copy_site("basic")
    target = tmp_path / "absent" / "deeper" / "public"
    result = run_presse("build", "-o", str(target), cwd=site)
    assert result.returncode == 1
    assert result.stderr == f'output folder "{target}": its parent folder does not exist\n'
    assert not (tmp_path / "absent").exists()


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("70000", "port 70000 is out of range (0 to 65535)"),
        ("-1", "port -1 is out of range (0 to 65535)"),
        ("huit", '"huit" is not a port number'),
    ],
)
def test_serve_refuses_a_port_out_of_range(tmp_path: Path, port: str, message: str) -> None:
    (tmp_path / "content").mkdir()
    result = run_presse("serve", f"--port={port}", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.endswith(f"presse serve: error: argument --port: {message}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_a_second_build_says_nothing_changed(copy_site: Callable[[str], Path]) -> None:
    site = copy_site("basic")
    assert run_presse("build", "--now", FIXED_NOW, cwd=site).returncode == 0
    again = run_presse("build", "--now", FIXED_NOW, cwd=site)
    assert again.returncode == 0, again.stderr
    assert re.match(r"23 pages, nothing changed \(\d+\.\d\d s\)$", again.stdout.strip())
