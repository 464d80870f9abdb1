"""What the build's workers run: they get paths, read the files themselves (issue 14)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.digest import content_digest
from presse.errors import BuildErrors, PresseError
from presse.model import Article, SourceFile
from presse.parallel import MIN_ITEMS_FOR_WORKERS
from presse.sources import read_source
from presse.tasks import digest_chunk, parse_chunk
from tests.conftest import FIXED_NOW, SITES, tree_bytes

NOW = datetime.fromisoformat(FIXED_NOW)
ARTICLE = "---\ntitle: Le marché rouvre\ndate: 2025-03-05\n---\n\nLe marché couvert rouvre.\n"


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_a_digest_is_of_the_text_the_parser_sees(tmp_path: Path) -> None:
    unix = write(tmp_path, "a.md", ARTICLE.encode())
    windows = write(tmp_path, "b.md", b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode())
    digests = digest_chunk([unix, windows], str(tmp_path))
    assert digests[0] == digests[1] == content_digest(read_source(unix, tmp_path).data)


def test_an_unreadable_file_gives_its_error_in_its_place(tmp_path: Path) -> None:
    good = write(tmp_path, "a.md", ARTICLE.encode())
    latin = write(tmp_path, "b.md", b"---\ntitle: Caf\xe9\n---\n")
    results = digest_chunk([latin, good], str(tmp_path))
    assert isinstance(results[0], PresseError) and isinstance(results[1], str)
    assert str(results[0]).startswith("content/b.md:2: is not valid UTF-8")


def test_paths_are_read_by_the_worker_and_results_keep_their_order(tmp_path: Path) -> None:
    first = write(tmp_path, "2025/premier.md", ARTICLE.encode())
    second = write(tmp_path, "2025/second.md", ARTICLE.replace("Le marché", "La halle").encode())
    given = SourceFile.of_text(Path("content/2025/donne.md"), ARTICLE)
    items = [
        (second, digest_chunk([second], str(tmp_path))[0]),
        given,
        (first, digest_chunk([first], str(tmp_path))[0]),
    ]
    results = parse_chunk(items, SiteConfig(), str(tmp_path), None)  # type: ignore[arg-type]
    assert [r.source for r in results if isinstance(r, Article)] == [
        "content/2025/second.md",
        "content/2025/donne.md",
        "content/2025/premier.md",
    ]
    assert results[0].title == "La halle rouvre"  # type: ignore[union-attr]


def test_a_file_changed_since_its_digest_is_refused_not_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", ARTICLE.encode())
    digest = digest_chunk([path], str(tmp_path))[0]
    write(tmp_path, "a.md", ARTICLE.replace("rouvre", "ferme").encode())
    (result,) = parse_chunk([(path, digest)], SiteConfig(), str(tmp_path), None)  # type: ignore[list-item]
    assert str(result) == "content/a.md: changed while the site was being built: build again"


def test_with_a_bodies_folder_the_results_come_back_without_their_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", ARTICLE.encode())
    pending = (path, digest_chunk([path], str(tmp_path))[0])
    bodies = tmp_path / "bodies"
    (article,) = parse_chunk([pending], SiteConfig(), str(tmp_path), str(bodies))  # type: ignore[list-item]
    assert isinstance(article, Article)
    assert article.body.packed == b"" and Path(article.body.file).parent.parent == bodies
    assert "Le marché couvert rouvre." in article.body.html


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A site with enough articles for the build to read and parse them on workers."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    for n in range(MIN_ITEMS_FOR_WORKERS + 6):
        text = ARTICLE.replace("Le marché rouvre", f"Le marché rouvre ({n})")
        write(site, f"2025/marche-{n:03d}.md", text.encode())
    return site


def test_a_build_on_workers_reports_an_unreadable_file_with_the_others(
    many: Path, tmp_path: Path
) -> None:
    write(many, "latin1.md", b"---\ntitle: Caf\xe9\ndate: 2025-01-01\n---\n")
    write(many, "2025/sans-titre.md", b"---\ndate: 2025-01-01\n---\n\nTexte.\n")
    options = BuildOptions(site_dir=many, output_dir=tmp_path / "out", now=NOW, jobs=2)
    with pytest.raises(BuildErrors) as raised:
        build(options)
    assert [str(e) for e in raised.value.errors] == [
        'content/2025/sans-titre.md:1: missing required field "title"',
        "content/latin1.md:2: is not valid UTF-8 (byte 0xe9 at offset 14); save the file as UTF-8",
    ]
    assert not (tmp_path / "out").exists()


def test_sources_read_by_workers_give_the_site_read_here(many: Path, tmp_path: Path) -> None:
    def built(jobs: int, name: str) -> dict[str, bytes]:
        cache = tmp_path / f"cache-{name}"
        build(BuildOptions(many, tmp_path / name, now=NOW, jobs=jobs, cache_dir=cache))
        return tree_bytes(tmp_path / name)

    assert built(2, "workers") == built(1, "here")
