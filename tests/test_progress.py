from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from presse.build import BuildOptions, build
from presse.progress import TerminalProgress
from tests.conftest import FIXED_NOW, SITES, run_presse


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_draws_bars(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = FakeTerminal()
    progress = TerminalProgress(stream)
    build(
        BuildOptions(
            SITES / "basic",
            tmp_path / "out",
            now=datetime.fromisoformat(FIXED_NOW),
            progress=progress,
        )
    )
    out = stream.getvalue()
    assert "parsing" in out and "█" in out and "5/5" in out
    assert out.endswith("\r\x1b[2K")  # the last bar is cleared: only the summary remains


def test_ci_prints_plain_lines_only_for_long_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    stream = FakeTerminal()
    progress = TerminalProgress(stream)
    progress.stage("parsing", 3)
    progress.advance(3)
    progress.stage("rendering", 1500)
    progress.advance(1500)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rendering 1500 (")
    assert "\r" not in stream.getvalue()


def test_verbose_times_every_stage() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, verbose=True)
    progress.stage("reading", 2)
    progress.stage("linking")
    progress.finish()
    assert [line.split(" (")[0] for line in stream.getvalue().splitlines()] == [
        "reading 2",
        "linking",
    ]


def test_quiet_and_summary_line(tmp_path: Path) -> None:
    site = SITES / "basic"
    quiet = run_presse(
        "build", "--no-cache", "-q", "--now", FIXED_NOW, "-o", str(tmp_path / "q"), cwd=site
    )
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    loud = run_presse(
        "build", "--no-cache", "-v", "--now", FIXED_NOW, "-o", str(tmp_path / "v"), cwd=site
    )
    assert loud.stdout.startswith("23 pages, ")
    assert "parsing 5 (" in loud.stderr
