"""The one writer: every output file goes through :func:`write_site`.

It knows the output folder and guarantees four things:

* no two outputs claim the same path, and no path leaves the output folder;
* the site is built in a staging folder next to the output and swapped in at
  the end, atomically where the OS allows (``renameat2(RENAME_EXCHANGE)`` on
  Linux), so ``public/`` is always either the old site or the new one;
* a file whose bytes did not change is hard-linked from the previous build,
  keeping its modification time for rsync-style deploys;
* if anything fails, the previous site is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import filecmp
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from presse.errors import PresseError
from presse.model import OutputFile


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int  # files whose bytes are new or changed
    unchanged: int  # files identical to the previous build


def check_output_path(path: str) -> PurePosixPath:
    """A relative POSIX path that cannot leave the output folder, or a PresseError."""
    pure = PurePosixPath(path)
    if (
        not path
        or pure.is_absolute()
        or "\\" in path
        or "\x00" in path
        or any(part in ("..", ".") for part in path.split("/"))
        or path.endswith("/")
    ):
        raise PresseError(f'output path "{path}" would escape the output folder')
    return pure


def write_site(
    outputs: Iterable[OutputFile],
    out_dir: Path,
    finish: Callable[[Path], None] | None = None,
) -> WriteReport:
    """Write all ``outputs`` as the new content of ``out_dir``, all or nothing.

    ``finish`` runs on the complete staging folder before the swap (the search
    indexer): what it adds is published atomically with the pages.
    """
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        report = _write_all(outputs, staging, out_dir)
        if finish is not None:
            finish(staging)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _write_all(outputs: Iterable[OutputFile], staging: Path, previous: Path) -> WriteReport:
    claimed: dict[str, str] = {}
    written = unchanged = 0
    for output in outputs:
        rel = check_output_path(output.path)
        key = rel.as_posix()
        if key in claimed:
            raise PresseError(f'two outputs want "{key}": {claimed[key]} and {output.origin}')
        claimed[key] = output.origin
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        old = previous.joinpath(*rel.parts)
        if _same_as(old, output) and _link(old, target):
            unchanged += 1
            continue
        if output.source is not None:
            shutil.copyfile(output.source, target)
        else:
            target.write_bytes(output.data or b"")
        written += 1
    return WriteReport(written=written, unchanged=unchanged)


def _same_as(old: Path, output: OutputFile) -> bool:
    if not old.is_file() or old.is_symlink():
        return False
    if output.source is not None:
        return filecmp.cmp(old, output.source, shallow=False)
    data = output.data or b""
    return old.stat().st_size == len(data) and old.read_bytes() == data


def _link(old: Path, target: Path) -> bool:
    try:
        os.link(old, target)
    except OSError:
        return False
    return True


def _swap_in(staging: Path, out_dir: Path) -> None:
    staging.chmod(0o755)  # mkdtemp makes 0700; a web server must read the site
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise PresseError(f"{out_dir} exists and is not a folder")
    if _exchange(staging, out_dir):
        shutil.rmtree(staging)  # staging now holds the previous site
        return
    # Portable fallback: two renames, with a short window where out_dir is absent.
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux ``renameat2``); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return bool(result == 0)
    return False
