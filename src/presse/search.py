"""Full-text search: the Pagefind index of the built pages.

Pagefind (the ``pagefind[bin]`` package ships its binary) reads the HTML already
written to the staging folder and adds ``pagefind/`` next to it, before the site is
swapped in, so the index always matches the pages it is published with. Only
``<article data-pagefind-body>`` content is indexed; the language comes from
``<html lang>``, which gives French stemming and accent folding.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from presse.digest import value_fingerprint
from presse.errors import PresseError
from presse.parallel import die_with_parent

FOLDER = "pagefind"
ENTRY_FILE = "pagefind-entry.json"  # the index's entry point, read first by its UI

TIMEOUT_SECONDS = 600


def index_site(site_dir: Path) -> None:
    """Run Pagefind over a built site folder; a failure is a PresseError."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            preexec_fn=die_with_parent(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PresseError(f"search index: could not run Pagefind ({exc})") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PresseError(
            "search index: Pagefind failed"
            + (f": {detail[-1]}" if detail else f" (exit status {result.returncode})")
            + " (is the pagefind[bin] package installed? set search = false to skip)"
        )


@dataclass
class Search:
    """The search step of a build, run on the staging folder before it is published.

    The index depends only on the HTML pages, so its digest is the digest of every
    page's digest; when it matches the previous build's and the previous index is still
    there, its files are hard-linked instead of running Pagefind again.
    """

    enabled: bool
    previous: str  # the previous build's search digest
    page_digests: Mapping[str, str]  # filled while the pages are rendered
    out_dir: Path  # where the previous index may be
    announce: Callable[[], None] = lambda: None  # progress report
    digest: str = ""

    def up_to_date(self, out_dir: Path) -> bool:
        """Nothing to do for ``out_dir`` as it is (the writer may then skip the build)."""
        if not self.enabled:
            return not (out_dir / FOLDER).exists()
        self.digest = self._recorded(out_dir / FOLDER)
        return self.digest == self.previous

    def __call__(self, staging: Path) -> None:
        if not self.enabled:
            return
        old = self.out_dir / FOLDER
        if not (self._recorded(old) == self.previous and _link_tree(old, staging / FOLDER)):
            self.announce()
            index_site(staging)
        self.digest = self._recorded(staging / FOLDER)

    def _recorded(self, folder: Path) -> str:
        """What the build records: the pages' digest and the stamp of the index made
        from them. The stamp tells our index from any other found in ``folder`` (a cache
        restored beside another site's output, say)."""
        pages = sorted((p, d) for p, d in self.page_digests.items() if p.endswith(".html"))
        return f"{value_fingerprint(_pagefind_version(), pages)}@{index_stamp(folder)}"


def index_stamp(folder: Path) -> str:
    """Identity of the index in ``folder``: its entry file's inode, size and mtime, which
    hard links and the swap keep and any other index cannot share."""
    try:
        stat = (folder / ENTRY_FILE).stat()
    except OSError:
        return "none"
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def _link_tree(source: Path, target: Path) -> bool:
    """Hard-link every file of ``source`` into ``target``; False if anything fails."""
    try:
        for folder, _, files in os.walk(source):
            relative = Path(folder).relative_to(source)
            (target / relative).mkdir(parents=True, exist_ok=True)
            for name in files:
                os.link(Path(folder) / name, target / relative / name)
    except OSError:
        return False
    return True


def _pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind")
    except Exception:  # not installed as a distribution: the digest just never matches
        return "unknown"
