"""Writing imported items into a site: all or nothing, never over a file, never twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.import_writer import write_items
from presse.imports import Imported, ImportedAuthor, Media

NOW = datetime.fromisoformat("2025-03-01T12:00:00+01:00")


class FakeSource:
    """An importer that yields the items it is given, then fails if asked to."""

    def __init__(
        self,
        items: list[Imported],
        authors: tuple[ImportedAuthor, ...] = (),
        fail_after: int | None = None,
    ) -> None:
        self._items = items
        self._authors = authors
        self._fail_after = fail_after

    def items(self) -> Iterator[Imported]:
        for number, item in enumerate(self._items):
            if number == self._fail_after:
                raise PresseError("is broken here", "export.xml", 42)
            yield item

    def authors(self) -> tuple[ImportedAuthor, ...]:
        return self._authors

    def summary(self) -> tuple[str, ...]:
        return ()


def item(slug: str, title: str, identity: str, **extra: object) -> Imported:
    front = {"title": title, "date": "2025-02-01T10:00:00+01:00", "id": identity}
    fields: dict[str, object] = {"page": False, "media": ()}
    fields.update(extra)
    return Imported(
        origin=f"export.xml: {slug}",
        slug=slug,
        year=2025,
        front=front,
        body="Un paragraphe importé.",
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    return tmp_path


def test_items_become_articles_pages_and_bundles(site: Path, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 pas vraiment une photo")
    source = FakeSource(
        [
            item("premier", "Premier", "wp:1"),
            item("contact", "Contact", "wp:2", page=True),
            item("avec-photo", "Avec photo", "wp:3", media=(Media(str(photo), "photo.jpg"),)),
        ]
    )
    report = write_items(source, site, SiteConfig())
    assert [target for _, target in report.written] == [
        "content/2025/premier.md",
        "content/pages/contact.md",
        "content/2025/avec-photo/index.md",
    ]
    assert (site / "content/2025/avec-photo/photo.jpg").read_bytes() == photo.read_bytes()
    text = (site / "content/2025/premier.md").read_text("utf-8")
    assert text.startswith("---\ntitle: Premier\n") and "id: wp:1\n" in text
    assert report.totals() == "imported 2 articles, 1 page"
    assert not [p for p in site.iterdir() if p.name.startswith(".presse-import")]


def test_importing_twice_skips_what_is_already_there(site: Path) -> None:
    items = [item("premier", "Premier", "wp:1"), item("second", "Second", "wp:2")]
    write_items(FakeSource(items), site, SiteConfig())
    before = {p: p.read_bytes() for p in site.rglob("*.md")}
    again = write_items(FakeSource(items), site, SiteConfig())
    assert again.written == [] and len(again.skipped) == 2
    assert again.totals() == "imported 0 articles, 0 pages; 2 already imported, skipped"
    assert {p: p.read_bytes() for p in site.rglob("*.md")} == before


def test_a_slug_the_site_has_gets_a_number(site: Path) -> None:
    (site / "content" / "2024").mkdir()
    (site / "content" / "2024" / "x.md").write_text(
        "---\ntitle: Autre\nslug: premier\ndate: 2024-01-01\n---\n\nTexte.\n", encoding="utf-8"
    )
    report = write_items(FakeSource([item("premier", "Premier", "wp:1")]), site, SiteConfig())
    assert report.renamed == [("premier", "premier-2")]
    written = (site / "content/2025/premier-2.md").read_text("utf-8")
    assert "slug: premier-2\n" in written


def test_a_failure_half_way_writes_nothing(site: Path) -> None:
    items = [item("premier", "Premier", "wp:1"), item("second", "Second", "wp:2")]
    with pytest.raises(PresseError, match="is broken here"):
        write_items(FakeSource(items, fail_after=1), site, SiteConfig())
    assert sorted(p.name for p in site.rglob("*")) == ["content"]


def test_an_existing_file_is_never_overwritten(site: Path) -> None:
    # A file at the very path an item wants, under another slug: nothing is written.
    target = site / "content" / "2025" / "premier.md"
    target.parent.mkdir()
    target.write_text("---\ntitle: À moi\ndate: 2025-01-01\n---\n\nMon texte.\n", "utf-8")
    items = [item("autre", "Autre", "wp:8"), item("premier", "Premier", "wp:9")]
    with pytest.raises(PresseError) as caught:
        write_items(FakeSource(items), site, SiteConfig())
    assert str(caught.value) == "content/2025/premier.md: already exists, not overwritten"
    assert "Mon texte." in target.read_text("utf-8")
    assert not (site / "content" / "2025" / "autre.md").exists()


def test_authors_are_added_to_the_authors_file_and_existing_ones_kept(site: Path) -> None:
    authors_file = site / "content" / "auteurs.toml"
    authors_file.write_text('[anne-martin]\nname = "Anne Martin"\nrole = "cheffe"\n', "utf-8")
    authors = (
        ImportedAuthor("anne-martin", "Anne Martin"),
        ImportedAuthor("paul-roux", 'Paul "P." Roux'),
    )
    report = write_items(FakeSource([], authors), site, SiteConfig())
    assert report.authors == ['Paul "P." Roux']
    text = authors_file.read_text("utf-8")
    assert text.startswith('[anne-martin]\nname = "Anne Martin"\nrole = "cheffe"\n')
    assert '[paul-roux]\nname = "Paul \\"P.\\" Roux"\n' in text


def test_what_is_written_builds(site: Path) -> None:
    items = [item("premier", "Premier", "wp:1"), item("contact", "Contact", "wp:2", page=True)]
    write_items(FakeSource(items), site, SiteConfig())
    out = site / "public"
    build(BuildOptions(site_dir=site, output_dir=out, now=NOW))
    assert (out / "2025" / "02" / "premier" / "index.html").is_file()
    assert (out / "contact" / "index.html").is_file()
