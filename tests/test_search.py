"""Search in shards (issue 10): how articles are shared out, what an edit re-indexes, and
what a reader finds in Chromium, across shards, in relevance and in date order."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from presse.build import BuildOptions, BuildReport, build
from presse.config import SiteConfig
from presse.enrich import Visibility, assemble_site
from presse.model import Article, SourceFile
from presse.parse import parse_many
from presse.search import Shard, plan_shards
from tests.conftest import FIXED_NOW, SITES, search_results, tree_bytes

NOW = datetime.fromisoformat(FIXED_NOW)
MONTHS = 17  # January 2024 to May 2025: all published at FIXED_NOW
PER_MONTH = 3
TWINS = (42, 43)  # March 2025, one shard


def article_text(number: int, extra: str = "") -> str:
    """Article ``number`` (0 is the oldest), three a month; a few words only some hold."""
    month = number // PER_MONTH
    day = 2 + 9 * (number % PER_MONTH)
    date = datetime(2024 + month // 12, 1 + month % 12, day, 9, tzinfo=timezone(timedelta(hours=1)))
    words = ["Un texte ordinaire sur la vie locale."]
    if number == 0:
        words.append("Seul le plus ancien parle du zorglubancien.")
    if number == MONTHS * PER_MONTH - 1:
        words.append("Seul le plus récent parle du zorglubrecent.")
    if number % 4 == 0:
        words.append("On y parle de la marmotte des Alpes.")
    slug = f"depeche-{number:03d}"
    if number in TWINS:  # the same words: equal scores (the index lists the older first)
        words.append("Deux jumeaux identiques évoquent le bouquetin.")
        slug = "jumeau-" + "ba"[TWINS.index(number)]
    return (
        "---\n"
        f"title: Dépêche numéro {number}\n"
        f"slug: {slug}\n"
        f"date: {date.isoformat()}\n"
        "section: Société\n"
        "---\n\n" + " ".join(words) + extra + "\n"
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Seventeen months of articles, in shards of at most ten (five for the newest months)."""
    root = tmp_path / "site"
    shutil.copytree(SITES / "basic", root)
    shutil.rmtree(root / "content" / "2025")
    (root / "presse.toml").write_text(
        (root / "presse.toml").read_text("utf-8") + "search_shard_size = 10\n", "utf-8"
    )
    folder = root / "content" / "depeches"
    folder.mkdir(parents=True)
    for number in range(MONTHS * PER_MONTH):
        (folder / f"{number:03d}.md").write_text(article_text(number), encoding="utf-8")
    return root


def run(site: Path, out: Path, **options: Any) -> BuildReport:
    return build(BuildOptions(site_dir=site, output_dir=out, now=NOW, **options))


# --------------------------------------------------------------------------- sharing out


def published(count_by_month: dict[str, int], size: int = 500) -> list[Article]:
    config = SiteConfig(search_shard_size=size)
    sources = []
    for month, count in count_by_month.items():
        for number in range(count):
            day = 1 + number % 27
            text = (
                f"---\ntitle: Article {month} {number}\nslug: a-{month}-{number}\n"
                f"date: {month}-{day:02d}T{number % 24:02d}:00:00+01:00\n---\n\nTexte.\n"
            )
            sources.append(SourceFile.of_text(Path(f"content/{month}-{number}.md"), text))
    articles = parse_many(sources, config)
    assert all(isinstance(a, Article) for a in articles)
    return articles  # type: ignore[return-value]


def shards_of(articles: list[Article], size: int = 500) -> tuple[Shard, ...]:
    config = SiteConfig(search_shard_size=size)
    return plan_shards(assemble_site(articles, config, Visibility(now=NOW)))


def sizes(shards: tuple[Shard, ...]) -> list[tuple[str, int]]:
    return [(s.name, len(s.slugs)) for s in shards]


def test_months_are_packed_oldest_first_and_the_newest_kept_small() -> None:
    articles = published({"2024-01": 4, "2024-02": 4, "2024-03": 4, "2025-04": 3, "2025-05": 3})
    shards = shards_of(articles, size=8)
    # Newest first; the two newest months are "hot": shards of at most four, on their own.
    assert sizes(shards) == [("2025-05", 3), ("2025-04", 3), ("2024-03", 4), ("2024-01", 8)]
    assert sorted(slug for s in shards for slug in s.slugs) == sorted(a.slug for a in articles)


def test_a_month_too_large_is_cut_and_its_last_part_left_open() -> None:
    shards = shards_of(published({"2023-01": 23, "2023-02": 2, "2025-01": 1}), size=10)
    assert sizes(shards) == [("2025-01", 1), ("2023-01-3", 5), ("2023-01-2", 10), ("2023-01", 10)]


def test_a_new_article_changes_only_the_newest_shard() -> None:
    months = {f"2024-{m:02d}": 5 for m in range(1, 13)}
    before = shards_of(published(months), size=10)
    assert sizes(before)[:3] == [("2024-12", 5), ("2024-11", 5), ("2024-09", 10)]
    months["2024-12"] = 6
    after = shards_of(published(months), size=10)
    assert after[1:] == before  # every other shard keeps its articles: not indexed again
    assert sizes(after)[0] == ("2024-12-2", 1)


# --------------------------------------------------------------------------- indexing


def test_an_edit_re_indexes_exactly_one_shard(site: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = run(site, out, cache_dir=cache)
    shards = sorted(p.name for p in (out / "pagefind").iterdir())
    assert first.indexed == len(shards) >= 5
    old = site / "content" / "depeches" / "004.md"
    old.write_text(article_text(4, " Une correction."), encoding="utf-8")
    report = run(site, out, cache_dir=cache)
    assert report.indexed == 1  # counted: the one shard holding the edited article
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == shards
    assert tree_bytes(out) == tree_bytes_of_fresh_build(site, tmp_path / "fresh", jobs=1)
    assert run(site, out, cache_dir=cache).indexed == 0  # nothing changed


def tree_bytes_of_fresh_build(site: Path, out: Path, **options: Any) -> dict[str, bytes]:
    run(site, out, **options)
    return tree_bytes(out)


def test_shards_are_identical_whatever_the_route(site: Path, tmp_path: Path) -> None:
    """Serial or parallel, cached or not, from the command line or the dev server's way
    (deferred indexing finished afterwards): the same bytes, search bundles included."""
    reference = tree_bytes_of_fresh_build(site, tmp_path / "serial", jobs=1)
    assert tree_bytes_of_fresh_build(site, tmp_path / "parallel", jobs=2) == reference
    out = tmp_path / "deferred"
    run(site, out, jobs=1)
    old = site / "content" / "depeches" / "010.md"
    old.write_text(article_text(10, " Une correction."), encoding="utf-8")
    store = tmp_path / "store"
    report = run(site, out, defer_search=True, search_store=store, verify_output=False)
    assert report.finish_search is not None  # the pages are out, one shard is behind
    assert report.finish_search() == 1
    run(site, out, defer_search=True, search_store=store, verify_output=False)
    assert tree_bytes(out) == tree_bytes_of_fresh_build(site, tmp_path / "after", jobs=2)


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture
def searchable(site: Path, tmp_path: Path, serve: Any) -> str:
    out = tmp_path / "public"
    run(site, out)
    assert len(list((out / "pagefind").iterdir())) >= 5
    return str(serve(out))


def test_words_of_the_oldest_and_the_newest_shard_are_found(searchable: str, chromium: Any) -> None:
    newest = f"/2025/05/depeche-{MONTHS * PER_MONTH - 1:03d}/"
    for word, url in (("zorglubancien", "/2024/01/depeche-000/"), ("zorglubrecent", newest)):
        results, errors = search_results(chromium, searchable, word)
        assert [href for href, _ in results] == [url]
        assert errors == []


def test_newest_first_is_the_exact_date_order_across_shards(searchable: str, chromium: Any) -> None:
    """« Les plus récents d’abord »: the marmot articles (every fourth), newest first,
    read shard after shard."""
    results, errors = search_results(chromium, searchable, "marmotte", order="date")
    links = [href for href, _ in results]
    numbers = [int(link.rstrip("/").rsplit("-", 1)[1]) for link in links]
    assert numbers == sorted(range(0, MONTHS * PER_MONTH, 4), reverse=True)
    assert errors == []
    relevant, _ = search_results(chromium, searchable, "marmotte")
    assert sorted(href for href, _ in relevant) == sorted(links)  # the same, by relevance


def test_equally_relevant_articles_come_fresher_first(searchable: str, chromium: Any) -> None:
    """Two articles of one shard with the same words score the same: the newer first (the
    index lists the older one first)."""
    results, errors = search_results(chromium, searchable, "bouquetin")
    assert [href for href, _ in results] == ["/2025/03/jumeau-a/", "/2025/03/jumeau-b/"]
    assert errors == []
