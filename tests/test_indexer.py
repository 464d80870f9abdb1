"""The search indexer's handling of what Pagefind says when it fails."""

from __future__ import annotations

import pytest

from presse.indexer import telling_line

PANIC = """thread 'main' panicked at pagefind/src/fossick/mod.rs:120:14:
called `Result::unwrap()` on an `Err` value: Os { code: 24, message: "Too many open files" }
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
"""


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            PANIC,
            "thread 'main' panicked at pagefind/src/fossick/mod.rs:120:14: called"
            ' `Result::unwrap()` on an `Err` value: Os { code: 24, message: "Too many open'
            ' files" }',
        ),
        (
            "thread 'main' panicked at 'no space left', src/main.rs:3:5\nnote: x\n",
            "thread 'main' panicked at 'no space left', src/main.rs:3:5",
        ),
        (
            "Running Pagefind\nError: could not read the site folder\n",
            "Error: could not read the site folder",
        ),
        ("note: only a note\n", "note: only a note"),
        ("", ""),
    ],
)
def test_the_line_that_says_why(output: str, expected: str) -> None:
    assert telling_line(output) == expected
