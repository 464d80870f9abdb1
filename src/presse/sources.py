"""Load stage: read every article source from ``content/``. I/O only, no parsing.

Bytes are decoded here, so encoding problems are reported once, with a line
number, before any parser sees the text. A UTF-8 BOM and CRLF line endings are
valid input and normalised away.
"""

from __future__ import annotations

from pathlib import Path

from presse.errors import PresseError
from presse.model import SourceFile


def find_sources(content_dir: Path) -> list[Path]:
    """Every ``*.md`` under ``content_dir``, in a stable order, hidden files skipped."""
    if not content_dir.is_dir():
        return []
    return sorted(
        p
        for p in content_dir.rglob("*.md")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(content_dir).parts)
    )


def read_source(path: Path, site_dir: Path) -> SourceFile:
    """One source file, decoded; ``path`` in errors is relative to the site folder."""
    shown = path.relative_to(site_dir) if path.is_relative_to(site_dir) else path
    data = path.read_bytes()
    text = decode_source(data, shown)
    if data.startswith(b"\xef\xbb\xbf") or b"\r" in data:
        data = text.encode("utf-8")  # normalised: keep what the parser will see
    return SourceFile(path=shown, data=data)


def decode_source(data: bytes, shown: Path) -> str:
    """UTF-8 text with a BOM removed and line endings made ``\\n``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PresseError(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            shown,
            line,
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise PresseError("contains a NUL byte: is this a binary file?", shown, line)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
