"""The one error family presse raises for bad input.

Every problem a user can fix (a broken article, a bad config value) is a
:class:`PresseError` carrying the file and line it comes from, so the CLI can
print ``path:line: message`` like a compiler and exit 1 without a traceback.

Messages quote what the user wrote (a key, a date, a slug), and that text may hold line
breaks or terminal escapes: control characters in a message are written as Python
escapes (``\\n``, ``\\x1b``), so one error stays one line and cannot drive the terminal.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path


def printable(text: str) -> str:
    """``text`` with each control character replaced by its escape: ``"a\\nb"``."""
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc" else c for c in text)


class PresseError(Exception):
    """A user-facing error about one place in the site's sources."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        message = printable(message)
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[type[PresseError], tuple[str, Path | None, int | None]]:
        # Errors cross process boundaries (parallel parsing): keep path and line.
        return (type(self), (self.message, self.path, self.line))

    def location(self) -> str:
        """``path:line`` (or ``path``, or nothing) for the start of the printed message."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class BuildErrors(PresseError):
    """Several independent errors found in one pass, reported together."""

    def __init__(self, errors: list[PresseError], more: int = 0):
        super().__init__("")
        self.errors = errors
        self.more = more  # errors found but not listed
        self.message = str(self)
        self.args = (self.message,)

    def __reduce__(self) -> tuple[type[BuildErrors], tuple[list[PresseError], int]]:  # type: ignore[override]
        return (type(self), (self.errors, self.more))

    def __str__(self) -> str:
        # One located error per line: each was made printable on its own.
        lines = [str(e) for e in self.errors]
        if self.more:
            plural = "s" if self.more > 1 else ""
            lines.append(f"... and {self.more} more error{plural} (presse check lists them all)")
        return "\n".join(lines)
