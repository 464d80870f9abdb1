"""The authors file (``content/auteurs.toml``), checked like the articles. Pure: no I/O.

The build stops at the first problem; here every unknown field is reported, with
its own line, then whatever else :func:`presse.authors.parse_authors` refuses.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import fields
from pathlib import Path

from presse.authors import Author, parse_authors
from presse.checks.findings import Finding, error
from presse.errors import PresseError

AUTHOR_FIELDS = tuple(f.name for f in fields(Author) if f.name != "slug")


def check_authors(text: str, path: str) -> list[Finding]:
    """A wrong bio field is silently missing from every author page: report them all."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        return [error(path, int(found.group(1)) if found else 1, "authors", f"invalid TOML: {exc}")]
    findings: list[Finding] = []
    rows = text.split("\n")
    for slug, table in data.items():
        if not isinstance(table, dict):
            continue
        for key in table:
            if key not in AUTHOR_FIELDS:
                close = difflib.get_close_matches(key, AUTHOR_FIELDS, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                line = _field_line(text, slug, key)
                findings.append(
                    error(path, line, "authors", f'unknown author field "{key}" in [{slug}]{hint}')
                )
                rows[line - 1] = ""
    # Without the fields reported above, parse_authors can point at the next problem.
    known = "\n".join(rows)
    try:
        parse_authors(known if _is_toml(known) else text, Path(path))
    except PresseError as exc:
        if not exc.message.startswith("unknown author field"):  # reported above, each one
            findings.append(error(path, exc.line or 1, "authors", exc.message))
    return findings


def _is_toml(text: str) -> bool:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def _field_line(text: str, slug: str, key: str) -> int:
    """Line of ``key = …`` inside the ``[slug]`` table (else of the table, else 1)."""
    table_line = 0
    field = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            if table_line:
                break
            if stripped in (f"[{slug}]", f'["{slug}"]'):
                table_line = number
        elif table_line and field.match(line):
            return number
    return table_line or 1
