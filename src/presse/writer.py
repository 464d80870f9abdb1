"""The one writer: every output file goes through :func:`write_site`.

It knows the output folder and guarantees four things:

* no two outputs claim the same path, and no path leaves the output folder;
* the site is built in a staging folder next to the output and swapped in at
  the end, atomically where the OS allows (``renameat2(RENAME_EXCHANGE)`` on
  Linux), so ``public/`` is always either the old site or the new one, even if the
  build is killed at any instant;
* a file whose bytes did not change is hard-linked from the previous build,
  keeping its modification time for rsync-style deploys;
* if anything fails, the previous site is left exactly as it was.

Each build works in its own work folder next to the output, ``.public.new-XXXX/``:
``site/`` is the staging tree (after the swap, the previous site, to be deleted) and
``owner`` is a lock file, locked (``flock``) for as long as the build or the process
deleting the folder lives, and written only once locked. A build killed midway leaves
its work folder behind; the next build deletes every work folder whose ``owner`` says
it is presse's and is not locked, and leaves alone those of a build still running.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import filecmp
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
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


OWNER = "owner"  # the lock file of a work folder
OWNER_MARK = b"presse work folder\n"  # its first line, written once it is locked
SITE = "site"  # the staging tree inside a work folder

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
    outputs: Iterable[OutputFile],
    out_dir: Path,
    finish: Finisher | None = None,
    before_swap: Callable[[], None] | None = None,
) -> WriteReport:
    """Write all ``outputs`` as the new content of ``out_dir``, all or nothing.

    While every output matches the previous build, nothing is written; if that holds to
    the end (and ``finish`` has nothing new either), the previous site is left as it is.
    Otherwise a staging folder is filled (unchanged files hard-linked), ``finish`` runs
    on it, ``before_swap`` runs (to forget whatever describes the site about to be
    replaced), and it is swapped in.
    """
    out_dir = out_dir.absolute()
    sweep_stale_work(out_dir)
    writer = _Writer(out_dir)
    try:
        for output in outputs:
            writer.add(output)
        if writer.work is None and writer.nothing_changed(finish):
            return writer.report()
        staging = writer.flush()
        if finish is not None:
            finish(staging)
        if before_swap is not None:
            before_swap()
        assert writer.work is not None
        _swap_in(writer.work, out_dir)
        writer.work.remove(background=len(writer.claimed) > BACKGROUND_DELETE)
    except BaseException:
        if writer.work is not None:
            writer.work.remove(background=False)
        raise
    return writer.report()


class _Work:
    """A build's work folder: the staging tree and the lock that marks it as in use."""

    def __init__(self, out_dir: Path):
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _setting_up(out_dir.parent):
            self.folder = Path(tempfile.mkdtemp(prefix=work_prefix(out_dir), dir=out_dir.parent))
            self.lock = os.open(self.folder / OWNER, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            # Locked before the mark is written: a folder whose mark is readable and whose
            # lock is free is one whose build has ended, never one being set up.
            _flock(self.lock, blocking=True)
            os.write(self.lock, OWNER_MARK + f"pid {os.getpid()}\n".encode())
        self.site = self.folder / SITE
        self.site.mkdir()
        self.site.chmod(0o755)  # whatever the umask: a web server must read the site

    def remove(self, background: bool) -> None:
        """Delete the folder, the staging tree first, ``owner`` last; then unlock.

        A large tree is deleted by a detached background ``rm`` that inherits the lock, so
        the build returns at once and no other build sweeps the folder meanwhile."""
        if self.lock < 0:
            return  # removed already
        try:
            if not (background and _delete_in_background(self.site, self.folder, self.lock)):
                _remove_marked(self.folder)
        finally:
            os.close(self.lock)
            self.lock = -1


def _delete_in_background(site: Path, folder: Path, lock: int) -> bool:
    """Start ``rm -rf site folder`` detached (a shell starts it and exits: no zombie, no
    child to wait for); it holds ``lock`` until it is done. False if it cannot start."""
    shell = shutil.which("sh")
    if shell is None or shutil.which("rm") is None:
        return False
    # rm takes its operands in order: the tree first, the marked folder last.
    script = 'rm -rf -- "$1" "$2" </dev/null >/dev/null 2>&1 &'
    try:
        subprocess.run(
            [shell, "-c", script, "sh", str(site), str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=(lock,),
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def work_prefix(out_dir: Path) -> str:
    """How the names of ``out_dir``'s work folders begin."""
    return f".{out_dir.name}.new-"


def sweep_stale_work(out_dir: Path) -> list[Path]:
    """Delete the work folders that killed builds left next to ``out_dir``.

    Only folders named like ours, holding an ``owner`` file with our mark, whose lock
    nobody holds: a build still running (or its background delete) keeps its lock. And
    those that a build killed while setting them up left with nothing but an unmarked
    ``owner``: decided while holding the lock that setting up takes, so never one that
    a live build is setting up. Returns the folders deleted."""
    parent = out_dir.absolute().parent
    prefix = work_prefix(out_dir)
    try:
        names = sorted(n for n in os.listdir(parent) if n.startswith(prefix))
    except OSError:
        return []
    if not names:
        return []
    removed, claimed = [], []
    with _setting_up(parent):
        for name in names:
            folder = parent / name
            state, lock = _inspect(folder)
            if state == "unfinished":
                with contextlib.suppress(OSError):
                    (folder / OWNER).unlink(missing_ok=True)
                    folder.rmdir()
                    removed.append(folder)
            elif state == "stale":
                claimed.append((folder, lock))
    for folder, lock in claimed:  # deleted outside the set-up lock: a tree can be large
        try:
            _remove_marked(folder)
        finally:
            os.close(lock)
        removed.append(folder)
    return removed


def _inspect(folder: Path) -> tuple[str, int]:
    """ "stale" (with its lock, held), "unfinished", or "other" (busy, foreign)."""
    if folder.is_symlink() or not folder.is_dir():
        return "other", -1
    try:
        entries = os.listdir(folder)
        if not entries:
            return "unfinished", -1  # killed between creating it and creating its owner
        lock = os.open(folder / OWNER, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return "other", -1
    if not _flock(lock, blocking=False):
        os.close(lock)
        return "other", -1  # a live build, or the process deleting its folder
    try:
        marked = os.read(lock, len(OWNER_MARK)) == OWNER_MARK
    except OSError:
        marked = False
    if marked:
        return "stale", lock
    os.close(lock)
    return ("unfinished" if entries == [OWNER] else "other"), -1


@contextlib.contextmanager
def _setting_up(parent: Path) -> Iterator[None]:
    """The lock on the output's parent folder, held while a work folder is set up and
    while a sweep decides what to delete."""
    try:
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        _flock(fd, blocking=True)
        yield
    finally:
        os.close(fd)


def _flock(fd: int, blocking: bool) -> bool:
    """Lock ``fd`` exclusively; False if it is held elsewhere, or cannot be locked here
    (then nothing is ever swept: a sweep deletes only what it has locked)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _remove_marked(folder: Path) -> None:
    """Delete a work folder, ``owner`` last, so that an interrupted delete stays sweepable."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name == OWNER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    shutil.rmtree(folder, ignore_errors=True)


class _Writer:
    """Collects outputs; opens the staging folder as soon as something has changed."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.old = str(out_dir)
        self.work: _Work | None = None
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
        if self.work is not None:
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
        if self.work is None:
            self.work = _Work(self.out_dir)
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
        return self.work.site

    def _target(self, key: str) -> str:
        """The file's path in staging, its folder created."""
        assert self.work is not None
        target = os.path.join(self.work.site, key)
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
    if output.source == old:
        return True  # a page reused from this very file (render.Reuse checked its stamp)
    try:
        old_stat = os.lstat(old)
    except OSError:
        return False
    if not stat.S_ISREG(old_stat.st_mode):
        return False
    if output.source is not None:
        source_stat = os.stat(output.source)
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


def _swap_in(work: _Work, out_dir: Path) -> None:
    """Put the staging tree in place of ``out_dir``; the previous site ends up in ``work``."""
    if not out_dir.exists():
        work.site.rename(out_dir)  # a first build: one atomic rename
        return
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise PresseError(f"{out_dir} exists and is not a folder")
    if _exchange(work.site, out_dir):
        return  # work.site now holds the previous site
    # Portable fallback: two renames, with a short window where out_dir is absent.
    staging = work.folder / "new"
    work.site.rename(staging)
    out_dir.rename(work.site)
    staging.rename(out_dir)


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
