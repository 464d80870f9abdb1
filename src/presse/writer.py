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
import stat
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from presse.errors import PresseError
from presse.model import OutputFile


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int  # files whose bytes are new or changed
    unchanged: int  # files identical to the previous build
    pages: int  # HTML files among them


class Finisher(Protocol):
    """A last step on the complete staging folder (the search index), published with it."""

    def up_to_date(self, out_dir: Path) -> bool:
        """True when what it would add to ``out_dir`` is already there, unchanged."""
        ...

    def __call__(self, staging: Path) -> None: ...


HOLD = 256  # changed files kept in memory while it is unknown whether anything changed
BACKGROUND_DELETE = 5_000  # a previous site bigger than this is deleted in the background


def check_output_path(path: str) -> str:
    """A relative POSIX path that cannot leave the output folder, or a PresseError."""
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\x00" in path
        or any(part in ("..", ".") for part in path.split("/"))
        or path.endswith("/")
    ):
        raise PresseError(f'output path "{path}" would escape the output folder')
    return path


def write_site(
    outputs: Iterable[OutputFile], out_dir: Path, finish: Finisher | None = None
) -> WriteReport:
    """Write all ``outputs`` as the new content of ``out_dir``, all or nothing.

    While every output matches the previous build, nothing is written; if that holds to
    the end (and ``finish`` has nothing new either), the previous site is left as it is.
    Otherwise a staging folder is filled (unchanged files hard-linked), ``finish`` runs
    on it, and it is swapped in.
    """
    out_dir = out_dir.absolute()
    writer = _Writer(out_dir)
    try:
        for output in outputs:
            writer.add(output)
        if writer.staging is None and writer.nothing_changed(finish):
            return writer.report()
        staging = writer.flush()
        if finish is not None:
            finish(staging)
        _swap_in(staging, out_dir, large=len(writer.claimed) > BACKGROUND_DELETE)
    except BaseException:
        if writer.staging is not None:
            shutil.rmtree(writer.staging, ignore_errors=True)
        raise
    return writer.report()


class _Writer:
    """Collects outputs; opens the staging folder as soon as something has changed."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.old = str(out_dir)
        self.staging: Path | None = None
        self.claimed: dict[str, str] = {}
        self.kept: list[str] = []  # unchanged, not yet linked into staging
        self.pending: list[tuple[str, OutputFile]] = []  # changed, not yet written
        self.written = self.unchanged = self.pages = 0
        self.folders: set[str] = set()  # created in staging already

    def add(self, output: OutputFile) -> None:
        key = check_output_path(output.path)
        if key in self.claimed:
            raise PresseError(f'two outputs want "{key}": {self.claimed[key]} and {output.origin}')
        self.claimed[key] = output.origin
        self.pages += key.endswith(".html")
        if self.staging is not None:
            self._put(key, output)
        elif _same_as(os.path.join(self.old, key), output):
            self.kept.append(key)
        else:
            self.pending.append((key, output))
            if len(self.pending) > HOLD:
                self.flush()

    def nothing_changed(self, finish: Finisher | None) -> bool:
        """No output differs, none has gone, and the last step has nothing new."""
        if self.pending or not self.out_dir.is_dir():
            return False
        if finish is not None and not finish.up_to_date(self.out_dir):
            return False
        existing = set()
        for folder, _, files in os.walk(self.out_dir):
            relative = Path(folder).relative_to(self.out_dir).as_posix()
            if relative.split("/")[0] == "pagefind":
                continue  # the finisher's own output, checked by up_to_date
            for name in files:
                existing.add(name if relative == "." else f"{relative}/{name}")
        return existing == self.claimed.keys()

    def flush(self) -> Path:
        """Open the staging folder (once) and put everything collected so far into it."""
        if self.staging is None:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            prefix = f".{self.out_dir.name}.new-"
            self.staging = Path(tempfile.mkdtemp(prefix=prefix, dir=self.out_dir.parent))
        for key in self.kept:
            target = self._target(key)
            if _link(os.path.join(self.old, key), target):
                self.unchanged += 1
            else:
                shutil.copy2(os.path.join(self.old, key), target)
                self.written += 1
        for key, output in self.pending:
            self._put(key, output)
        self.kept, self.pending = [], []
        return self.staging

    def _target(self, key: str) -> str:
        """The file's path in staging, its folder created."""
        assert self.staging is not None
        target = os.path.join(self.staging, key)
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        return target

    def _put(self, key: str, output: OutputFile) -> None:
        target = self._target(key)
        old = os.path.join(self.old, key)
        if _same_as(old, output) and _link(old, target):
            self.unchanged += 1
            return
        if output.source is not None:
            shutil.copy2(output.source, target)  # keeps the mtime: a quick check next time
        else:
            with open(target, "wb") as handle:
                handle.write(output.data or b"")
        self.written += 1

    def report(self) -> WriteReport:
        unchanged = self.unchanged + len(self.kept)
        return WriteReport(written=self.written, unchanged=unchanged, pages=self.pages)


def _same_as(old: str, output: OutputFile) -> bool:
    try:
        old_stat = os.lstat(old)
    except OSError:
        return False
    if not stat.S_ISREG(old_stat.st_mode):
        return False
    if output.source is not None:
        source_stat = output.source.stat()
        if (old_stat.st_dev, old_stat.st_ino) == (source_stat.st_dev, source_stat.st_ino):
            return True  # the previous build's own file, reused unrendered
        if (old_stat.st_size, old_stat.st_mtime_ns) == (
            source_stat.st_size,
            source_stat.st_mtime_ns,
        ):
            return True  # a static file copied last time with its mtime (as rsync checks)
        return filecmp.cmp(old, output.source, shallow=False)
    data = output.data or b""
    if old_stat.st_size != len(data):
        return False
    with open(old, "rb") as handle:
        return handle.read() == data


def _link(old: str, target: str) -> bool:
    try:
        os.link(old, target)
    except OSError:
        return False
    return True


def _swap_in(staging: Path, out_dir: Path, large: bool = False) -> None:
    staging.chmod(0o755)  # mkdtemp makes 0700; a web server must read the site
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise PresseError(f"{out_dir} exists and is not a folder")
    if _exchange(staging, out_dir):
        _discard(staging, large)  # staging now holds the previous site
        return
    # Portable fallback: two renames, with a short window where out_dir is absent.
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    _discard(old, large)


def _discard(folder: Path, large: bool) -> None:
    """Delete the previous site; a large one in a background process, so that the build
    returns as soon as the new site is in place (the old one is out of the way already)."""
    rm = shutil.which("rm")
    if large and rm is not None and os.name == "posix":
        subprocess.Popen(
            [rm, "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return
    shutil.rmtree(folder, ignore_errors=True)


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
