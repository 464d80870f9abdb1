"""``presse serve`` end to end: a real server process, a client listening for reloads.

Edit an article → a reload event and the new text; break its YAML → an error event
and the old page still served; fix it → recovery. Plus the path-traversal guard.
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from presse.config import SiteConfig
from presse.serve import DevServer, _Handler, _inject, classify
from tests.conftest import REPO

ARTICLE = "content/2025/hiver.md"
PAGE = "/2025/01/bilan-hiver/"
EVENT_TIMEOUT = 20.0


class Events:
    """A Server-Sent Events client on a thread, as the browser's EventSource is."""

    def __init__(self, port: int):
        self.queue: queue.Queue[tuple[str, str]] = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request("GET", "/__presse/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif not line and data:
                    self.queue.put((name, "\n".join(data)))
                    name, data = "message", []
        except (OSError, ValueError):
            pass

    def next(self, wanted: str) -> str:
        deadline = time.monotonic() + EVENT_TIMEOUT
        while True:
            name, data = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
            if name == wanted:
                return data

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def server(copy_site: Callable[[str], Path]) -> Iterator[tuple[Path, int, subprocess.Popen[str]]]:
    site = copy_site("basic")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "presse", "serve", "--port", "0"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    port = 0
    for line in process.stdout:
        found = re.search(r"Serving on http://127\.0\.0\.1:(\d+)/", line)
        if found:
            port = int(found.group(1))
            break
    assert port, "the server did not start"
    output = process.stdout
    drain = threading.Thread(target=lambda: [None for _ in output], daemon=True)
    drain.start()  # keep reading, or a full pipe would block the server
    try:
        yield site, port, process
    finally:
        process.terminate()
        process.wait(timeout=10)
        drain.join(timeout=5)
        output.close()


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response.status, body


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_edit_break_and_fix_an_article(server: tuple[Path, int, subprocess.Popen[str]]) -> None:
    site, port, _ = server
    status, body = get(port, PAGE)
    assert status == 200
    assert "Bilan de l’hiver" in body
    assert '<script src="/__presse/reload.js"></script></body>' in body
    events = Events(port)
    try:
        assert events.next("ok") == ""

        edit(site / ARTICLE, "Voir aussi", "Nouveau texte du bilan. Voir aussi")
        events.next("reload")
        assert "Nouveau texte du bilan." in get(port, PAGE)[1]

        edit(site / ARTICLE, "title: Bilan de l’hiver", "title: [Bilan de l’hiver")
        error = events.next("build-error")
        assert error.startswith("content/2025/hiver.md:3: invalid YAML in frontmatter")
        status, body = get(port, PAGE)
        assert status == 200 and "Nouveau texte du bilan." in body  # last good site

        late = Events(port)  # a page opened now is told about the error at once
        try:
            assert late.next("build-error") == error
        finally:
            late.close()

        edit(site / ARTICLE, "title: [Bilan de l’hiver", "title: Bilan de l’hiver corrigé")
        events.next("reload")
        assert "Bilan de l’hiver corrigé" in get(port, PAGE)[1]
    finally:
        events.close()


NEW_ARTICLE = """---
title: Un article écrit pendant le service
date: 2025-01-20T09:00:00+01:00
section: Économie
---

Premier jet.
"""


def test_created_edited_and_deleted_articles(
    server: tuple[Path, int, subprocess.Popen[str]],
) -> None:
    """A new file, then an edit of it (known by then: only it is looked at again), then
    its deletion: each reaches the served site."""
    site, port, _ = server
    events = Events(port)
    url = "/2025/01/un-article-ecrit-pendant-le-service/"
    try:
        events.next("ok")
        path = site / "content" / "2025" / "pendant.md"
        path.write_text(NEW_ARTICLE, encoding="utf-8")
        events.next("reload")
        status, body = get(port, url)
        assert status == 200 and "Premier jet." in body

        edit(path, "Premier jet.", "Deuxième jet.")
        events.next("reload")
        assert "Deuxième jet." in get(port, url)[1]
        edit(site / ARTICLE, "Voir aussi", "Encore du texte. Voir aussi")  # another file
        events.next("reload")
        assert "Encore du texte." in get(port, PAGE)[1]
        assert "Deuxième jet." in get(port, url)[1]

        path.unlink()
        events.next("reload")
        assert get(port, url)[0] == 404
    finally:
        events.close()


def test_drafts_and_future_articles_are_shown_and_marked(
    server: tuple[Path, int, subprocess.Popen[str]],
) -> None:
    _, port, _ = server
    status, body = get(port, "/2025/01/un-brouillon-secret/")
    assert status == 200 and "Brouillon" in body
    status, body = get(port, "/2030/01/un-article-sous-embargo/")
    assert status == 200 and "Programmé pour le" in body


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2f..%2fetc/passwd",
        "/css/../../../etc/passwd",
        "//etc/passwd",
        "/%00/etc/passwd",
    ],
)
def test_path_traversal_gets_404(
    server: tuple[Path, int, subprocess.Popen[str]], path: str
) -> None:
    _, port, _ = server
    status, body = get(port, path)
    assert status in (403, 404)
    assert "root:" not in body


def test_symlink_out_of_the_output_is_not_followed() -> None:
    server = DevServer(REPO, port=0)
    try:
        server.out_dir.mkdir(parents=True)
        (server.out_dir / "index.html").write_text("<p>x</p>", encoding="utf-8")
        (server.out_dir / "fuite").symlink_to("/etc")
        handler = _Handler.__new__(_Handler)  # translate_path needs no connection
        handler.server_state = server
        handler.directory = str(server.out_dir)
        assert handler.translate_path("/fuite/passwd") == ""
        assert handler.translate_path("/index.html") == str(
            (server.out_dir / "index.html").resolve()
        )
    finally:
        server.close()
        assert not server.out_dir.parent.exists()


def test_changes_are_classified(tmp_path: Path) -> None:
    config = SiteConfig()
    assert classify(tmp_path / "content/2025/a.md", tmp_path, config) == "content"
    assert classify(tmp_path / "content/auteurs.toml", tmp_path, config) == "content"
    assert classify(tmp_path / "templates/base.html", tmp_path, config) == "templates"
    assert classify(tmp_path / "static/css/x.css", tmp_path, config) == "static"
    assert classify(tmp_path / "presse.toml", tmp_path, config) == "config"
    assert classify(tmp_path / "public/index.html", tmp_path, config) is None
    assert classify(tmp_path / "content/.a.md.swp", tmp_path, config) is None
    assert classify(tmp_path / "content/a.md~", tmp_path, config) is None
    assert classify(Path("/elsewhere/x.md"), tmp_path, config) is None


def test_reload_client_is_injected_only_when_serving(tmp_path: Path) -> None:
    assert _inject(b"<html><body><p>x</p></body></html>").endswith(
        b'<script src="/__presse/reload.js"></script></body></html>'
    )
    built = (REPO / "tests" / "golden" / "basic" / "index.html").read_text("utf-8")
    assert "__presse" not in built


def start_server(site: Path, temp: Path, *args: str) -> subprocess.Popen[str]:
    """``presse serve`` with its private folder under ``temp`` (TMPDIR)."""
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(temp)}
    return subprocess.Popen(
        [sys.executable, "-m", "presse", "serve", *args],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As a shell starts a command in the foreground: a suite run in the background
        # of a script inherits SIGINT ignored, and Python then leaves it so.
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT"])
def test_a_stopped_server_leaves_nothing(
    copy_site: Callable[[str], Path], tmp_path: Path, stop: str
) -> None:
    """Issue 10: each stop by SIGTERM used to leave a full copy of the site in /dev/shm."""
    temp = tmp_path / "tmp"
    process = start_server(copy_site("basic"), temp, "--port", "0")
    assert process.stdout is not None
    for line in process.stdout:
        if "Serving on" in line:
            break
    assert [p.name[:13] for p in temp.iterdir()] == ["presse-serve-"]
    process.send_signal(getattr(signal, stop))
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("port", ["taken", "70000", "-1", "http"])
def test_a_failed_start_leaves_nothing(
    copy_site: Callable[[str], Path], tmp_path: Path, port: str
) -> None:
    temp = tmp_path / "tmp"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        number = str(busy.getsockname()[1]) if port == "taken" else port
        process = start_server(copy_site("basic"), temp, "--port", number)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == (1 if port == "taken" else 2), output
    assert "Traceback" not in output
    if port == "taken":
        assert f"cannot listen on 127.0.0.1:{number}" in output
    else:
        assert "--port" in output
    assert list(temp.iterdir()) == []


def test_the_folder_of_a_killed_server_is_swept_by_the_next(
    copy_site: Callable[[str], Path], tmp_path: Path
) -> None:
    """SIGKILL cannot be caught: the next server to start removes what the killed one left,
    and leaves alone the folder of a server still running."""
    site, temp = copy_site("basic"), tmp_path / "tmp"
    servers = [start_server(site, temp, "--port", "0") for _ in range(2)]
    for process in servers:
        assert process.stdout is not None
        for line in process.stdout:
            if "Serving on" in line:
                break
    assert len(list(temp.iterdir())) == 2
    servers[0].kill()
    servers[0].communicate(timeout=20)
    third = start_server(site, temp, "--port", "0")
    assert third.stdout is not None
    for line in third.stdout:
        if "Serving on" in line:
            break
    assert len(list(temp.iterdir())) == 2  # the killed one's is gone, the live one's kept
    for process in (servers[1], third):
        process.terminate()
        process.communicate(timeout=20)
    assert list(temp.iterdir()) == []


def test_an_edit_is_served_before_search_catches_up_then_found(
    server: tuple[Path, int, subprocess.Popen[str]], chromium: Any
) -> None:
    """Issue 10: the dev server reloads open pages as soon as the pages are written; the
    edited article's search shard is indexed in the background, the search page is told
    the index is behind, then that it caught up, and the new words are found."""
    site, port, _ = server
    events = Events(port)
    try:
        events.next("ok")
        edit(site / ARTICLE, "Voir aussi", "Le mot zyxquartzite apparaît. Voir aussi")
        sequence = [events.queue.get(timeout=EVENT_TIMEOUT)[0] for _ in range(2)]
        assert sequence == ["reload", "search-pending"]  # pages first, the index after
        assert "zyxquartzite" in get(port, PAGE)[1]
        events.next("search-ready")
    finally:
        events.close()
    context = chromium.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{port}/recherche/?q=zyxquartzite")
        link = page.locator(f'.search__result a[href="{PAGE}"]')
        link.wait_for(timeout=15_000)
        assert page.locator(".search__pending").is_hidden()
    finally:
        context.close()
    assert errors == []
