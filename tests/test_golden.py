"""Golden-file test: ``tests/sites/basic`` must build to exactly ``tests/golden/basic``.

Every generated page is compared byte for byte, with a unified diff on failure;
theme assets (CSS, JS) are listed in ``MANIFEST.txt`` but not compared, so styling
work does not churn the golden pages, and Pagefind's index is left out. After an
intended change, regenerate with

    pytest tests/test_golden.py --update-golden

and review the diff of ``tests/golden/`` like code.
"""

from __future__ import annotations

import difflib
import shutil
from datetime import datetime
from pathlib import Path

from presse.build import BuildOptions, build
from tests.conftest import FIXED_NOW, SITES, TESTS, tree_bytes

GOLDEN = TESTS / "golden" / "basic"
COMPARED_SUFFIXES = (".html", ".svg", ".txt", ".xml", ".json")


def _golden_view(root: Path) -> dict[str, bytes]:
    # Pagefind's index is its own format and changes with its version: not golden material.
    files = {p: d for p, d in tree_bytes(root).items() if not p.startswith("pagefind/")}
    view = {p: data for p, data in files.items() if p.endswith(COMPARED_SUFFIXES)}
    view["MANIFEST.txt"] = "".join(f"{p}\n" for p in sorted(files)).encode()
    return view


def test_basic_site_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "public"
    build(
        BuildOptions(
            site_dir=SITES / "basic", output_dir=out, now=datetime.fromisoformat(FIXED_NOW)
        )
    )
    actual = _golden_view(out)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        return
    expected = tree_bytes(GOLDEN)
    problems: list[str] = []
    for rel in sorted(set(expected) | set(actual)):
        if rel not in actual:
            problems.append(f"missing from output: {rel}")
        elif rel not in expected:
            problems.append(f"not in golden: {rel}")
        elif actual[rel] != expected[rel]:
            diff = difflib.unified_diff(
                expected[rel].decode().splitlines(),
                actual[rel].decode().splitlines(),
                f"golden/{rel}",
                f"output/{rel}",
                lineterm="",
            )
            problems.append("\n".join(diff))
    assert not problems, (
        "output differs from tests/golden/basic "
        "(if intended: pytest tests/test_golden.py --update-golden)\n\n" + "\n\n".join(problems)
    )
