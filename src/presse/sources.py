"""Load stage: read every article source from ``content/``. I/O only, no parsing.

Bytes are decoded here, so encoding problems are reported once, with a line
number, before any parser sees the text. A UTF-8 BOM and CRLF (or old Mac CR) line
endings are valid input and normalised away. Control characters other than tab and
line breaks, and the noncharacters U+FFFE and U+FFFF, are refused: they are invalid in
XML (the feeds) and mark a binary file saved as ``.md``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from presse.errors import PresseError
from presse.model import SourceFile
from presse.photos import is_photo_file, is_sidecar

CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""A character no source text may hold: C0 controls but tab and line breaks, DEL, and
the two noncharacters XML 1.0 forbids."""

# Every byte but the C0 controls and DEL, and tab, LF, CR: deleting them from a source
# leaves the controls it holds, so the clean case costs one fast pass in C.
_NOT_CONTROL_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n\r"
_NONCHARACTER_LEAD = b"\xef\xbf"  # U+FFFE and U+FFFF are EF BF BE and EF BF BF


NOT_ARTICLES = {
    "_index.md": "Hugo's page for the listing of its folder; presse makes listing pages"
    " itself, so its text is not published (put what matters in an article)",
}
"""Markdown files that are not articles, and why presse leaves them out."""


def check_site_folder(site_dir: Path) -> None:
    """A site folder must exist and be a folder: a typo in ``-s`` must not build (and
    create) a site somewhere else."""
    if not site_dir.exists():
        raise PresseError(f'site folder "{site_dir}" does not exist')
    if not site_dir.is_dir():
        raise PresseError(f'site folder "{site_dir}" is a file, not a folder')


def find_sources(
    content_dir: Path, skipped: list[str] | None = None, media: list[str] | None = None
) -> list[str]:
    """Every ``*.md`` under ``content_dir`` (as strings: a large archive has tens of
    thousands), in a stable order, hidden files and :data:`NOT_ARTICLES` skipped (added
    to ``skipped`` when given); the photos beside them and their sidecars are added to
    ``media`` when given."""
    if not content_dir.is_dir():
        return []
    found: list[tuple[list[str], str]] = []
    root = str(content_dir)
    # os.walk and strings, not Path.rglob: a quarter of a second on a 10 000-article site
    for folder, folders, files in os.walk(root, followlinks=True):
        folders[:] = [f for f in folders if not f.startswith(".")]
        parts = folder[len(root) :].split(os.sep)[1:]  # the folder's path below the root
        for name in files:
            if media is not None and (is_photo_file(name) or is_sidecar(name)):
                if not name.startswith("."):
                    media.append(os.path.join(folder, name))
            elif name.endswith(".md") and not name.startswith("."):
                path = os.path.join(folder, name)
                if name in NOT_ARTICLES:
                    if skipped is not None:
                        skipped.append(path)
                    continue
                if os.path.isfile(path):
                    found.append(([*parts, name], path))
    found.sort(key=lambda item: item[0])  # by path components, as Path objects sort
    if media is not None:
        media.sort()
    return [path for _, path in found]


def read_source(path: Path | str, site_dir: Path) -> SourceFile:
    """One source file, decoded; ``path`` in errors is relative to the site folder."""
    path = Path(path)
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
    if data.translate(None, _NOT_CONTROL_BYTES) or _NONCHARACTER_LEAD in data:
        _refuse_control_characters(text, shown)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _refuse_control_characters(text: str, shown: Path) -> None:
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return  # EF BF lead other characters too (U+FFxx): nothing to refuse
    line = text.count("\n", 0, found.start()) + 1
    if found.group() == "\x00":
        raise PresseError("contains a NUL byte: is this a binary file?", shown, line)
    raise PresseError(
        f"contains the control character U+{ord(found.group()):04X}: is this a binary file?",
        shown,
        line,
    )
