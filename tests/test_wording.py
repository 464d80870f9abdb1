"""Counts in the command line's messages agree with their number."""

from __future__ import annotations

from presse.cli import build_summary
from presse.wording import counted


def test_one_is_singular_and_any_other_number_plural() -> None:
    assert counted(1, "article") == "1 article"
    assert counted(0, "article") == "0 articles"
    assert counted(2, "old address", "old addresses") == "2 old addresses"
    assert counted(1, "old address", "old addresses") == "1 old address"


def test_a_build_s_last_line_counts_its_pages_and_files() -> None:
    assert build_summary(1, 1, 0.5) == "1 page, 1 file written in 0.50 s"
    assert build_summary(12, 0, 0.25) == "12 pages, nothing changed (0.25 s)"
