from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from presse.config import SiteConfig
from presse.markdown import create_markdown
from presse.model import Article, SourceFile
from presse.parse import parse_article
from presse.related import WINDOW, related_articles

MD = create_markdown()
BASE = datetime.fromisoformat("2025-01-01T12:00:00+01:00")


def article(
    slug: str, days: int, tags: str = "[]", section: str = "", related: str = "[]"
) -> Article:
    lines = [
        f"title: {slug}",
        f"date: {(BASE + timedelta(days=days)).isoformat()}",
        f"tags: {tags}",
        f"related: {related}",
    ] + ([f"section: {section}"] if section else [])
    text = "---\n" + "\n".join(lines) + "\n---\n"
    return parse_article(SourceFile.of_text(Path(f"content/{slug}.md"), text), SiteConfig(), MD)


def newest_first(*articles: Article) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.timestamp(), a.slug))


def test_shared_tags_beat_section_which_beats_time() -> None:
    a = article("a", 0, "[x, y]", "S")
    two_tags = article("two-tags", 300, "[x, y]")
    one_tag_section = article("one-tag-section", 200, "[x]", "S")
    one_tag = article("one-tag", 1, "[y]")
    section_only = article("section-only", 2, "[]", "S")
    nothing = article("nothing", 1)
    related = related_articles(
        newest_first(a, two_tags, one_tag_section, one_tag, section_only, nothing), 4
    )
    assert related["a"] == ("two-tags", "one-tag-section", "one-tag", "section-only")


def test_explicit_picks_come_first_then_fill() -> None:
    a = article("a", 0, "[x]", related="[z, missing, a]")
    z = article("z", 50)
    x1 = article("x1", 1, "[x]")
    x2 = article("x2", 2, "[x]")
    related = related_articles(newest_first(a, z, x1, x2), 3)
    assert related["a"] == ("z", "x1", "x2")


def test_ties_are_broken_by_newer_then_slug_whatever_the_input_order() -> None:
    a = article("a", 10, "[x]")
    before = article("before", 9, "[x]")  # one day before
    after = article("after", 11, "[x]")  # one day after: same score, newer wins
    b1, b2 = article("b1", 20, "[x]"), article("b2", 20, "[x]")
    corpus = [a, before, after, b1, b2]
    expected = ("after", "before", "b1")
    assert related_articles(newest_first(*corpus), 3)["a"] == expected
    assert related_articles(list(reversed(newest_first(*corpus))), 3)["a"] == expected


def test_no_candidates_means_an_empty_block() -> None:
    assert related_articles([article("seul", 0)], 3) == {"seul": ()}


def test_huge_tag_is_windowed_not_quadratic() -> None:
    corpus = newest_first(*(article(f"a{i:04d}", i, "[commun]") for i in range(4 * WINDOW)))
    related = related_articles(corpus, 3)
    # The nearest in time win: a0100's picks are its immediate neighbours.
    assert set(related["a0100"]) <= {"a0098", "a0099", "a0101", "a0102"}
    assert related["a0100"][:2] == ("a0101", "a0099")


def test_a_tag_written_twice_or_two_ways_counts_once() -> None:
    # "Énergie" and "energie" are one tag (one slug); a tag repeated is still one.
    a = article("a", 0, "[Énergie, energie, climat]")
    twice = article("twice", 40, "[energie, Énergie, énergie]")
    both = article("both", 60, "[climat, energie]")
    near = article("near", 1, "[climat]")
    related = related_articles(newest_first(a, twice, both, near), 3)
    # both shares two tags; twice and near one each, near being nearer in time.
    assert related["a"] == ("both", "near", "twice")
