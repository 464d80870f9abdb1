"""``presse serve``: build, serve on 127.0.0.1, watch the sources, rebuild, reload browsers.

I/O edge. The site is built into a private temporary folder (never ``public/``) with
drafts and embargoed articles included and marked. Each change is classified:

========== =============================================================
content    articles or the authors file: rebuild; when the watcher saw only
           modifications, only those files are read again (else all are
           looked at), and unchanged articles come from the parse cache
templates  rebuild with a fresh Jinja environment; no article is re-parsed
static     rebuild; pages are re-rendered from cached articles, files copied
config     ``presse.toml``: rebuild from scratch (the cache is dropped, since
           every parsed article depends on the config)
========== =============================================================

A failed rebuild keeps the last good site: the error (``path:line: message``) is
printed and pushed to open pages, which show it over the content until a rebuild
succeeds. Browsers learn about rebuilds through Server-Sent Events from the standard
library server; the small client script is injected only into pages served here.
The server only ever answers with files inside the output folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from presse.build import BuildOptions, build
from presse.cache import ParseCache, PlanStore, SourceMemo
from presse.config import CONFIG_FILE, SiteConfig, load_config
from presse.errors import PresseError
from presse.theme import Theme

DEBOUNCE_SECONDS = 0.05  # one save is one burst of events, a few milliseconds long
KEEPALIVE_SECONDS = 15.0
EVENTS_PATH = "/__presse/events"
CLIENT_PATH = "/__presse/reload.js"
CLIENT_TAG = b'<script src="/__presse/reload.js"></script>'
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


TEMP_PREFIX = "presse-serve-"
OWNER = "owner"  # locked (flock) for as long as the server that made the folder lives
OWNER_MARK = b"presse serve\n"
UNMARKED_GRACE_SECONDS = 60  # a folder without a mark younger than this may be starting


def _fast_temp() -> str:
    """``TMPDIR`` when set; else a memory-backed folder when there is one: rebuilds create
    thousands of folders, which costs microseconds on tmpfs and hundreds on a disk."""
    if os.environ.get("TMPDIR"):
        return tempfile.gettempdir()
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else tempfile.gettempdir()


class _Workspace:
    """The server's private folder: ``site/`` (the built site) and ``owner``, a lock file
    held for the server's life. Removed when the server stops; a server killed outright
    (SIGKILL) leaves it, and the next server to start removes it (its lock is free)."""

    def __init__(self) -> None:
        parent = _fast_temp()
        sweep_abandoned(Path(parent))
        self.folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent))
        try:
            self.lock = os.open(self.folder / OWNER, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(self.lock, fcntl.LOCK_EX)
            os.write(self.lock, OWNER_MARK)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.site = self.folder / "site"

    def remove(self) -> None:
        if self.lock >= 0:
            shutil.rmtree(self.folder, ignore_errors=True)
            os.close(self.lock)
            self.lock = -1


def sweep_abandoned(parent: Path) -> list[Path]:
    """Delete the folders of dev servers that died without cleaning up: marked ones whose
    lock nobody holds, and unmarked ones old enough not to be a server starting."""
    removed = []
    for folder in sorted(parent.glob(TEMP_PREFIX + "*")):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            lock = os.open(folder / OWNER, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > UNMARKED_GRACE_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)  # a live server
            continue
        try:
            if os.read(lock, len(OWNER_MARK)) == OWNER_MARK:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        finally:
            os.close(lock)
    return removed


def _site_config(site_dir: Path) -> SiteConfig:
    """The site's config, or the defaults while ``presse.toml`` is broken (the build says why)."""
    try:
        return load_config(site_dir)
    except PresseError:
        return SiteConfig()


def classify(path: Path, site_dir: Path, config: SiteConfig) -> str | None:
    """The kind of a changed file: content, templates, static, config, or None (ignored)."""
    try:
        rel = path.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return None
    parts = rel.parts
    if not parts or any(p.startswith(".") for p in parts) or rel.name.endswith(IGNORED_SUFFIXES):
        return None
    if rel.as_posix() == CONFIG_FILE:
        return "config"
    content = Path(config.content_dir).parts
    if parts[: len(content)] == content:
        return "content"
    if parts[0] in ("templates", "static"):
        return parts[0]
    return None


@dataclass(frozen=True, slots=True)
class Change:
    """One watched file event: its kind (see :func:`classify`), path and type."""

    kind: str
    path: Path
    event: str  # created, modified, deleted or moved


@dataclass
class State:
    """What open pages should know: the last build error, if the last build failed."""

    error: str | None = None
    builds: int = 0
    search_pending: bool = False  # the search index is behind the pages


class DevServer:
    """A build loop, a file watcher and an HTTP server sharing one output folder."""

    def __init__(self, site_dir: Path, host: str = "127.0.0.1", port: int = 8000):
        self.site_dir = site_dir
        handler = partial(_Handler, server_state=self)
        # Bound before anything is created: a port that is taken or refused leaves nothing.
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        try:
            self.workspace = _Workspace()
        except BaseException:
            self.httpd.server_close()
            raise
        self.out_dir = self.workspace.site
        self.cache = ParseCache()
        self.sources = SourceMemo()
        self.plans = PlanStore()  # the last plan: an edit is traced to what shows it
        self.themes: dict[str, Theme] = {}  # the compiled templates, while unchanged
        self.publication: dict[str, Any] = {}  # the output trees' state, kept in memory
        self.search_store = self.workspace.folder / "search"
        self.search_job: Callable[[], int] | None = None  # the latest deferred indexing
        self.search_wanted = threading.Condition()
        self.indexer: threading.Thread | None = None
        self.config = _site_config(site_dir)  # for classifying changes; refreshed with it
        self.state = State()
        self.listeners: list[queue.Queue[tuple[str, str]]] = []
        self.lock = threading.Lock()
        self.changes: queue.Queue[Change] = queue.Queue()
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    # --- building --------------------------------------------------------------

    def rebuild(self, kinds: set[str], changes: Iterable[Change] = ()) -> bool:
        """Rebuild after changes of ``kinds``; True when the site was updated."""
        if "config" in kinds:
            self.cache, self.sources, self.plans = ParseCache(), SourceMemo(), PlanStore()
            self.config = _site_config(self.site_dir)
        content = [c for c in changes if c.kind == "content"]
        if all(c.event == "modified" for c in content):
            self.sources.expect(c.path for c in content)  # only these: no walk, no stats
        else:
            self.sources.look_at_all()  # files came or went: walk and stat everything
        started = time.perf_counter()
        try:
            report = build(
                BuildOptions(
                    site_dir=self.site_dir,
                    output_dir=self.out_dir,
                    drafts=True,
                    future=True,
                    expired=True,
                    preview=True,
                    cache=self.cache,
                    sources=self.sources,
                    plans=self.plans,
                    themes=self.themes,
                    compiled=self.workspace.folder / "templates",
                    publication=self.publication,
                    verify_output=False,  # a private folder: nobody edits it by hand
                    search_store=self.search_store,
                    defer_search=True,  # an edit is shown at once, found in search soon after
                    jobs=1 if self.state.builds else None,  # after the first build: few changes
                )
            )
        except PresseError as exc:
            self.state.error = str(exc)
            print(f"{exc}", file=sys.stderr, flush=True)
            self._broadcast("build-error", str(exc))
            return False
        self.state.error = None
        self.state.builds += 1
        elapsed = time.perf_counter() - started
        what = ", ".join(sorted(kinds)) or "initial"
        print(
            f"rebuilt ({what}): {report.pages} pages, {report.written} files changed, "
            f"{elapsed:.2f} s",
            flush=True,
        )
        if kinds != {"search"}:  # a search index caught up: open pages have nothing new
            self._broadcast("reload", str(self.state.builds))
        with self.search_wanted:
            self.search_job = report.finish_search
            self.search_wanted.notify()
        self.state.search_pending = report.finish_search is not None
        self._broadcast("search-pending" if report.finish_search else "search-ready", "")
        return True

    def _search_loop(self) -> None:
        """Index the shards that builds deferred, then build again to publish them: the
        pages of an edit are served at once, and its words are found a little later."""
        while not self.stopping.is_set():
            with self.search_wanted:
                self.search_wanted.wait_for(
                    lambda: self.search_job is not None or self.stopping.is_set(), timeout=0.5
                )
                job, self.search_job = self.search_job, None
            if job is None or self.stopping.is_set():
                continue
            try:
                job()
            except (PresseError, OSError) as exc:
                if not self.stopping.is_set():
                    print(f"search index: {exc}", file=sys.stderr, flush=True)
                continue
            self.changes.put(Change("search", self.site_dir, "indexed"))

    def _broadcast(self, event: str, data: str) -> None:
        with self.lock:
            for listener in self.listeners:
                listener.put((event, data))

    def subscribe(self) -> queue.Queue[tuple[str, str]]:
        listener: queue.Queue[tuple[str, str]] = queue.Queue()
        with self.lock:
            self.listeners.append(listener)
        return listener

    def unsubscribe(self, listener: queue.Queue[tuple[str, str]]) -> None:
        with self.lock:
            if listener in self.listeners:
                self.listeners.remove(listener)

    def _build_loop(self) -> None:
        """Wait for changes, let a burst of events settle, rebuild once for all of them."""
        while not self.stopping.is_set():
            try:
                changes = [self.changes.get(timeout=0.5)]
            except queue.Empty:
                continue
            deadline = time.monotonic() + DEBOUNCE_SECONDS
            while (left := deadline - time.monotonic()) > 0:
                try:
                    changes.append(self.changes.get(timeout=left))
                    deadline = time.monotonic() + DEBOUNCE_SECONDS
                except queue.Empty:
                    break
            self.rebuild({c.kind for c in changes}, changes)

    # --- running ----------------------------------------------------------------

    def serve_forever(self) -> None:
        """Build, watch and serve until :meth:`shutdown` (or an exception: Ctrl+C, or a
        signal turned into one by :func:`stop_on_signals`); then remove every file made."""
        observer = Observer()
        try:
            self.rebuild(set())
            self._watch_and_serve(observer)
        finally:
            self.stopping.set()
            if observer.is_alive():
                observer.stop()
                observer.join(timeout=2)
            self.close()

    def _watch_and_serve(self, observer: BaseObserver) -> None:
        watcher = _Watcher(self)
        # Only the sources: watching the whole site would include public/ and the cache,
        # thousands of folders whose events would flood the queue.
        observer.schedule(watcher, str(self.site_dir), recursive=False)
        for folder in self._watched_folders():
            observer.schedule(watcher, str(folder), recursive=True)
        observer.start()
        self.sources.look_at_all()  # an edit before the watcher started went unreported
        builder = threading.Thread(target=self._build_loop, name="presse-build", daemon=True)
        builder.start()
        self.indexer = threading.Thread(target=self._search_loop, name="presse-search", daemon=True)
        self.indexer.start()
        print(f"Serving on {self.url} (Ctrl+C to stop)", flush=True)
        self.httpd.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        """Stop listening and delete the private folder (idempotent), once the search
        indexer has let go of it."""
        self.stopping.set()
        with self.search_wanted:
            self.search_wanted.notify_all()
        if self.indexer is not None:
            self.indexer.join(timeout=30)
        self.httpd.server_close()
        self.workspace.remove()

    def _watched_folders(self) -> list[Path]:
        folders = [self.site_dir / self.config.content_dir, self.site_dir / "templates"]
        folders.append(self.site_dir / "static")
        return [f for f in folders if f.is_dir()]

    def shutdown(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()


class _Watcher(FileSystemEventHandler):
    """Turns file system events into classified changes; ignores the output and noise."""

    def __init__(self, server: DevServer):
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("created", "modified", "deleted", "moved"):
            return  # inotify also reports opened/closed: one save must mean one rebuild
        if event.is_directory and event.event_type == "modified":
            return
        site = self.server.site_dir
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                path = Path(os.fsdecode(raw))
                kind = classify(path, site, self.server.config)
                if kind is not None:
                    # The path as the build spells it (under site_dir), for SourceMemo.
                    spelled = site / path.resolve().relative_to(site.resolve())
                    self.server.changes.put(Change(kind, spelled, event.event_type))


class _Handler(SimpleHTTPRequestHandler):
    """Static files from the output folder, plus the reload channel and its script."""

    server_state: DevServer

    def __init__(self, *args: object, server_state: DevServer, **kwargs: object) -> None:
        self.server_state = server_state
        super().__init__(*args, directory=str(server_state.out_dir), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would drown the build messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == EVENTS_PATH:
            self._events()
        elif path == CLIENT_PATH:
            client = resources.files("presse").joinpath("serve_client.js").read_bytes()
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", client)
        else:
            self._file()

    def do_HEAD(self) -> None:
        self._file(head=True)

    def translate_path(self, path: str) -> str:
        """The stdlib mapping, then a hard check that the result is inside the output folder."""
        try:
            candidate = os.path.realpath(super().translate_path(path))
        except ValueError:  # a NUL byte, encoded or not
            return ""
        root = os.path.realpath(self.server_state.out_dir)
        if candidate != root and not candidate.startswith(root + os.sep):
            return ""
        return candidate

    def _file(self, head: bool = False) -> None:
        translated = self.translate_path(self.path)
        target = Path(translated) if translated else None
        if target is not None and target.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.end_headers()
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self._not_found(head)
            return
        if target.suffix == ".html":
            self._send(
                HTTPStatus.OK, "text/html; charset=utf-8", _inject(target.read_bytes()), head
            )
            return
        super().do_HEAD() if head else super().do_GET()

    def _not_found(self, head: bool) -> None:
        page = self.server_state.out_dir / "404.html"
        if page.is_file():
            body = _inject(page.read_bytes())
        elif self.server_state.state.error:
            body = _inject(_error_page(self.server_state.state.error))
        else:
            body = b"<!DOCTYPE html><title>404</title><p>Not found</p>"
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, head)

    def _send(self, status: HTTPStatus, mime: str, body: bytes, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-Sent Events: the current state first, then every rebuild outcome."""
        server = self.server_state
        listener = server.subscribe()
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "keep-alive")
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            first = ("build-error", server.state.error) if server.state.error else ("ok", "")
            self._event(*first)
            if server.state.search_pending:
                self._event("search-pending", "")
            while not server.stopping.is_set():
                try:
                    self._event(*listener.get(timeout=KEEPALIVE_SECONDS))
                except queue.Empty:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            server.unsubscribe(listener)

    def _event(self, name: str, data: str) -> None:
        lines = "".join(f"data: {line}\n" for line in (data.splitlines() or [""]))
        self.wfile.write(f"event: {name}\n{lines}\n".encode())
        self.wfile.flush()


def _inject(page: bytes) -> bytes:
    """Add the reload client before ``</body>`` (or at the end of a page without one)."""
    at = page.rfind(b"</body>")
    return page + CLIENT_TAG if at < 0 else page[:at] + CLIENT_TAG + page[at:]


def _error_page(message: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='fr'><meta charset='utf-8'><title>Erreur</title>"
        f"<pre>{html.escape(message)}</pre></html>"
    ).encode()


class Stopped(KeyboardInterrupt):
    """A termination signal, turned into an exception so that cleanup code runs."""


STOP_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT")


def stop_on_signals() -> None:
    """Make SIGTERM, SIGHUP and SIGQUIT stop the server like Ctrl+C does (main thread only):
    their default action would end the process without deleting its private folder."""

    def stop(number: int, frame: FrameType | None) -> None:
        for name in (*STOP_SIGNALS, "SIGINT"):  # a second signal must not cut the cleanup short
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        raise Stopped(signal.Signals(number).name)

    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


@contextlib.contextmanager
def running(site_dir: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[DevServer]:
    """A dev server running in a background thread (for tests and embedding)."""
    server = DevServer(site_dir, host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)
