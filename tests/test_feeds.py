from __future__ import annotations

from pathlib import Path

from presse.config import SiteConfig
from presse.feeds import absolutize, entry_id
from presse.markdown import create_markdown
from presse.model import SourceFile
from presse.parse import parse_article

CONFIG = SiteConfig(base_url="https://journal.example/edition/")
MD = create_markdown()


def parse(path: str, text: str):  # type: ignore[no-untyped-def]
    return parse_article(SourceFile.of_text(Path(path), text), CONFIG, MD)


def test_entry_id_survives_a_slug_change() -> None:
    before = parse(
        "content/2025/greve.md", "---\ntitle: Grève\ndate: 2025-02-01T10:00+01:00\n---\n"
    )
    after = parse(
        "content/2025/greve.md",
        "---\ntitle: La grève continue\nslug: greve-continue\ndate: 2025-02-01T10:00+01:00\n---\n",
    )
    assert before.url != after.url
    assert (
        entry_id(before, CONFIG)
        == entry_id(after, CONFIG)
        == "tag:journal.example,2025-02-01:2025/greve"
    )


def test_explicit_id_wins() -> None:
    article = parse("content/x.md", "---\ntitle: X\nid: 7f3c-41\ndate: 2025-02-01\n---\n")
    assert entry_id(article, CONFIG) == "tag:journal.example,2025-02-01:7f3c-41"


def test_links_in_feed_content_become_absolute() -> None:
    html = (
        '<p><a href="/2025/01/x/">x</a> <img src="/images/a.png" alt=""> '
        '<a href="//cdn.example/y">y</a> <a href="https://o.example/">o</a></p>'
    )
    assert absolutize(html, CONFIG) == (
        '<p><a href="https://journal.example/edition/2025/01/x/">x</a> '
        '<img src="https://journal.example/edition/images/a.png" alt=""> '
        '<a href="//cdn.example/y">y</a> <a href="https://o.example/">o</a></p>'
    )
