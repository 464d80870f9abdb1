"""Telling the user how a build goes. Terminal I/O only.

On a terminal, each stage draws a bar that redraws in place; in CI (``CI`` set) or when
the output is not a terminal, only a few plain lines are printed, so logs stay short.
``quiet`` prints nothing; ``verbose`` adds the time of each stage.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

BAR_WIDTH = 28


class Progress:
    """A progress reporter; the base class reports nothing (library use, tests)."""

    def stage(self, name: str, total: int = 0) -> None:
        """A new stage begins, with ``total`` items when it is known."""

    def advance(self, count: int = 1) -> None:
        """``count`` items of the current stage are done."""

    def finish(self) -> None:
        """The build is over (successfully or not)."""


class TerminalProgress(Progress):
    """Bars on a terminal, plain lines elsewhere."""

    def __init__(self, stream: TextIO | None = None, *, verbose: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() and not os.environ.get("CI")
        self.verbose = verbose
        self.name = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.last_draw = 0.0

    def stage(self, name: str, total: int = 0) -> None:
        self._end_stage()
        self.name, self.total, self.done = name, total, 0
        self.started = self.last_draw = time.perf_counter()
        if self.interactive:
            self._draw()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.perf_counter()
        if self.interactive and (now - self.last_draw > 0.05 or self.done >= self.total):
            self.last_draw = now
            self._draw()

    def finish(self) -> None:
        self._end_stage()
        self.name = ""

    def _draw(self) -> None:
        if self.total:
            filled = BAR_WIDTH * min(self.done, self.total) // self.total
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            line = f"{self.name:<12} {bar} {self.done}/{self.total}"
        else:
            line = f"{self.name}…"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()

    def _end_stage(self) -> None:
        if not self.name:
            return
        elapsed = time.perf_counter() - self.started
        if self.interactive:
            self.stream.write("\r\x1b[2K")
        if self.verbose or (not self.interactive and self.total >= 1000):
            count = f" {self.total}" if self.total else ""
            self.stream.write(f"{self.name}{count} ({elapsed:.2f} s)\n")
        self.stream.flush()
