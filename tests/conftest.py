"""Shared fixtures: test sites copied to a temporary folder, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest

from presse.build import BuildOptions, build

TESTS = Path(__file__).parent
SITES = TESTS / "sites"
REPO = TESTS.parent
FIXED_NOW = "2025-06-01T12:00:00+02:00"
_SERVE_FOLDERS = pytest.StashKey[set[Path]]()

pytest_plugins = ("tests.dask_cluster",)  # a real Dask cluster, for the --dask tests


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def copy_site(tmp_path: Path) -> Callable[[str], Path]:
    """Copy ``tests/sites/<name>`` into a fresh folder and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SITES / name, target)
        return target

    return copy


def run_presse(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would."""
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "presse", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative POSIX path, for whole-tree comparisons."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def leftovers(site: Path, output: str = "public") -> list[str]:
    """What builds left beside ``site/public`` besides the publication folder itself
    (its back tree, state and lock): scratch folders, trees being deleted."""
    home = f".{output}.presse"
    found = [p.name for p in site.iterdir() if p.name.startswith(f".{output}") and p.name != home]
    if (site / home).is_dir():
        found += [
            f"{home}/{p.name}"
            for p in (site / home).iterdir()
            if p.name not in ("back", "lock", "state")
        ]
    return sorted(found)


CHROMIUM = "/usr/bin/chromium"
NODE_MODULES = REPO / "node_modules"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_client(message: str) -> NoReturn:
    """A test needs a client that is not installed: skip it, naming the client and how to
    get it; in CI (``CI`` set) nothing may be skipped, so fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must install every client: see .ci/run)")
    pytest.skip(message)


def require_chromium() -> None:
    """Chromium for the browser tests (Debian's build, driven by Playwright)."""
    if not Path(CHROMIUM).exists():
        missing_client(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")


def node_module(relative: str) -> Path:
    """A file of an npm test client from package.json (``npm ci`` installs them)."""
    path = NODE_MODULES / relative
    if not path.exists():
        package = relative.split("/", 1)[0]
        missing_client(f"needs npm's {package} at {path} (run `npm ci` in {REPO})")
    return path


def require_java() -> str:
    """The Java runtime the Nu HTML Checker runs on."""
    java = shutil.which("java")
    if java is None:
        missing_client(
            "needs a Java runtime for the Nu HTML Checker (apt-get install default-jre-headless)"
        )
    return java


def _serve_folders() -> set[Path]:
    """The dev servers' private folders in the places ``presse serve`` puts them."""
    from presse.serve import TEMP_PREFIX

    places = {Path("/dev/shm"), Path(tempfile.gettempdir())}
    return {p for place in places if place.is_dir() for p in place.glob(TEMP_PREFIX + "*")}


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_SERVE_FOLDERS] = _serve_folders()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No test may leave a dev server's folder behind (issue 10); in CI a skipped test is
    a failure too: it means a client was not installed."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    left = sorted(_serve_folders() - session.config.stash.get(_SERVE_FOLDERS, set()))
    if left:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.write_line(f"the tests left dev server folders behind: {left}")
    if not os.environ.get("CI"):
        return
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.write_line(f"CI: {skipped} test(s) skipped; nothing may be skipped in CI")


SAMPLE_NOW = datetime.fromisoformat("2025-03-01T00:00:00+01:00")  # every sample article is out
DEVICES: dict[str, dict[str, Any]] = {  # browser contexts: a desktop screen and a phone
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
}


@pytest.fixture(scope="session")
def sample_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site built once, with its Pagefind index. Read-only."""
    out = tmp_path_factory.mktemp("sample") / "public"
    build(BuildOptions(site_dir=REPO, output_dir=out, now=SAMPLE_NOW))
    return out


@pytest.fixture(scope="session")
def sample_url(sample_public: Path) -> Iterator[str]:
    """The built sample site served on 127.0.0.1 for the whole session."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(sample_public))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the session: launching it is the slow part."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 (a free port) and return its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(root: Path) -> str:
        handler = partial(_QuietHandler, directory=str(root))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def search_results(
    chromium: Any, base: str, query: str, order: str = ""
) -> tuple[list[tuple[str, str]], list[str]]:
    """The results (link, title) the site's search page shows for ``query`` (all of them:
    "more results" is clicked until there are no more), and the errors the browser saw
    (console, page errors, failed requests)."""
    errors: list[str] = []
    context = chromium.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
        page.goto(f"{base}/recherche/?q={query}{'&tri=' + order if order else ''}")
        page.locator(".search__result a").first.wait_for(timeout=15_000)
        page.wait_for_load_state("networkidle")
        more = page.locator(".search__more")
        while more.is_visible():
            count = page.locator(".search__result").count()
            more.click()
            page.wait_for_function(
                """n => document.querySelectorAll(".search__result").length > n
                       || document.querySelector(".search__more").hidden""",
                arg=count,
            )
        links = page.locator(".search__result a").all()
        results = [(a.get_attribute("href") or "", a.inner_text()) for a in links]
    finally:
        context.close()
    return results, errors
