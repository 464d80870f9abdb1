"""What a check reports, and how it is printed. Pure: no I/O.

A :class:`Finding` reads like a compiler diagnostic (``path:line: severity:
message [code]``), so editors and CI logs can jump straight to the line to fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: ``path`` is relative to the site folder, POSIX style."""

    path: str
    line: int
    severity: str  # "error" | "warning"
    code: str
    message: str


def error(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path, line, ERROR, code, message)


def warning(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path, line, WARNING, code, message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by path, then line, then code and message, so output never changes order."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.code, f.message, f.severity))


def format_text(findings: Iterable[Finding]) -> str:
    """One ``path:line: severity: message [code]`` line per finding."""
    return "".join(
        f"{f.path}:{f.line}: {f.severity}: {f.message} [{f.code}]\n"
        for f in sort_findings(findings)
    )


def format_json(findings: Iterable[Finding]) -> str:
    """A JSON array of ``{path, line, severity, code, message}`` objects, in stable order."""
    return json.dumps([asdict(f) for f in sort_findings(findings)], ensure_ascii=False, indent=2)


def summary(findings: Iterable[Finding]) -> str:
    """``2 errors, 3 warnings`` (zero counts left out); empty when there is nothing."""
    found = list(findings)
    counts = (
        (sum(f.severity == ERROR for f in found), "error"),
        (sum(f.severity == WARNING for f in found), "warning"),
    )
    return ", ".join(f"{n} {word}{'s' if n > 1 else ''}" for n, word in counts if n)
