"""Full-text search: the Pagefind index of the built pages.

Pagefind (the ``pagefind[bin]`` package ships its binary) reads the HTML already
written to the staging folder and adds ``pagefind/`` next to it, before the site is
swapped in, so the index always matches the pages it is published with. Only
``<article data-pagefind-body>`` content is indexed; the language comes from
``<html lang>``, which gives French stemming and accent folding.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from presse.errors import PresseError

TIMEOUT_SECONDS = 600


def index_site(site_dir: Path) -> None:
    """Run Pagefind over a built site folder; a failure is a PresseError."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
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
