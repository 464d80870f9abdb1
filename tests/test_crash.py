"""Crash safety: ``presse build`` killed with SIGKILL at any instant.

After every kill ``public/`` must be exactly the complete previous site or exactly the
complete new one (every byte of every file, the Pagefind index included), never a mix
and never missing; the next build must clean what the killed one left and give exactly
the site that a build without any cache gives.

Two versions of a generated site differ everywhere: the site's title (on every page),
every article's title, and a few articles that exist in only one of them. Reference
builds of both are made first into other folders with ``--no-cache``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, leftovers, run_presse, tree_bytes

ARTICLES = 260  # enough for a build of a few seconds on two shared cores
SMALL = 70  # for the tests that kill at chosen points
SHIFT = 6  # version B drops the first SHIFT articles of A and adds SHIFT new ones
KILLS = 20
# Three versions: the output's two trees hold two of them, so a switch to the third always
# writes every file (a switch back to the version in the back tree costs only a swap).
VERSIONS = ("A", "B", "C")
SEED = int(os.environ.get("PRESSE_CRASH_SEED", "20250601"))  # reproducible; vary to explore

WORDS = (
    "gouvernement", "budget", "réforme", "région", "conseil", "municipal", "électricité",
    "énergie", "réseau", "université", "recherche", "laboratoire", "données", "vote", "sénat",
    "assemblée", "ministre", "entreprise", "usine", "emploi", "salaire", "commerce", "port",
    "fleuve", "récolte", "vigne", "climat", "chaleur", "sécheresse", "tribunal", "juge",
    "enquête", "police", "quartier", "école", "collège", "lycée", "hôpital", "soins", "musée",
    "théâtre", "festival", "concert", "roman", "auteur", "éditeur", "stade", "match", "équipe",
)  # fmt: skip
SECTIONS = ("Politique", "Économie", "Sciences", "Culture", "Sport", "Société")


# --------------------------------------------------------------------------- the site


def write_version(site: Path, version: str, count: int) -> None:
    """Make ``site`` the given version ("A", "B" or "C") of the generated site, ``count``
    articles."""
    (site / "presse.toml").write_text(
        f'title = "Le Témoin, édition {version}"\n'
        'description = "Un site pour tuer presse en pleine construction."\n'
        'base_url = "https://temoin.example/"\n'
        "per_page = 10\n"
        "search_shard_size = 40\n",  # the search index in several shards
        encoding="utf-8",
    )
    content = site / "content"
    shutil.rmtree(content, ignore_errors=True)
    first = VERSIONS.index(version) * SHIFT
    for number in range(first, first + count):
        path = content / str(2020 + number % 5) / f"article-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(number, version), encoding="utf-8")


def article(number: int, version: str) -> str:
    """One article; its title depends on the version, its body does not."""
    rng = random.Random(number)
    words = [rng.choice(WORDS) for _ in range(260)]
    paragraphs = [" ".join(words[i : i + 65]).capitalize() + "." for i in range(0, 260, 65)]
    tags = sorted({rng.choice(WORDS), rng.choice(WORDS)})
    year, day = 2020 + number % 5, 1 + number % 28
    return (
        "---\n"
        f'title: "Dépêche {number} : {words[0]} et {words[1]}, version {version}"\n'
        f"slug: depeche-{number:04d}\n"  # the same URL in both versions
        f"date: {year}-03-{day:02d}T{number % 24:02d}:00:00+01:00\n"
        f"section: {SECTIONS[number % len(SECTIONS)]}\n"
        f"tags: [{', '.join(tags)}]\n"
        f'summary: "Résumé de la dépêche {number}."\n'
        "---\n\n" + "\n\n## Suite\n\n".join(paragraphs) + "\n"
    )


@dataclass
class Crashable:
    """A site, its two reference builds, and how long a build of it takes."""

    site: Path
    count: int  # articles
    refs: dict[str, dict[str, bytes]]
    duration: float = 0.0  # a whole build, switching version, with the cache
    swap_at: float = 0.0  # when public/ is replaced, from the start of the build

    @property
    def public(self) -> Path:
        return self.site / "public"

    def switch_to(self, version: str) -> None:
        write_version(self.site, version, self.count)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "presse", "build", "-s", str(self.site), "--now", FIXED_NOW]

    def version_of(self, root: Path) -> str:
        """Which complete site ``root`` holds; fails on anything else."""
        assert root.is_dir(), f"{root} is missing"
        tree = tree_bytes(root)
        for version, ref in self.refs.items():
            if tree == ref:
                return version
        raise AssertionError(f"{root} is neither site: {describe_mix(tree, self.refs)}")

    def leftovers(self) -> list[str]:
        return leftovers(self.site)

    @property
    def state(self) -> Path:
        """The publication state: written (the journal) before the back tree is touched."""
        return self.site / ".public.presse" / "state"

    def indexing(self) -> bool:
        """A search shard is being indexed (its bundle is being written)."""
        store = self.site / ".presse-cache" / "search"
        return store.is_dir() and any(p.name.startswith(".") for p in store.iterdir())


def describe_mix(tree: dict[str, bytes], refs: dict[str, dict[str, bytes]]) -> str:
    """A short account of how a tree differs from each reference, for failure messages."""
    parts = []
    for version, ref in refs.items():
        missing = sorted(ref.keys() - tree.keys())
        extra = sorted(tree.keys() - ref.keys())
        changed = sorted(k for k in tree.keys() & ref.keys() if tree[k] != ref[k])
        parts.append(
            f"vs {version}: {len(missing)} missing ({', '.join(missing[:4])}), "
            f"{len(extra)} extra ({', '.join(extra[:4])}), "
            f"{len(changed)} differ ({', '.join(changed[:4])})"
        )
    return "; ".join(parts)


def reference(site: Path, version: str, count: int, folder: Path) -> dict[str, bytes]:
    write_version(site, version, count)
    result = run_presse(
        "build",
        "-s",
        str(site),
        "--now",
        FIXED_NOW,
        "--no-cache",
        "-o",
        str(folder),
        "-q",
        cwd=site,
    )
    assert result.returncode == 0, result.stderr
    tree = tree_bytes(folder)
    shards = {p.split("/")[1] for p in tree if p.startswith("pagefind/")}
    assert len(shards) >= 2, "the search index, in shards, is compared too"
    return tree


def make_crashable(root: Path, count: int) -> Crashable:
    site = root / "site"
    site.mkdir()
    refs = {v: reference(site, v, count, root / f"ref-{v}") for v in VERSIONS}
    differ = [p for p in refs["A"].keys() & refs["B"].keys() if refs["A"][p] != refs["B"][p]]
    assert "index.html" in differ and len(differ) > count  # every page changes
    assert refs["A"].keys() != refs["B"].keys()  # and some exist in one version only
    return Crashable(site=site, count=count, refs=refs)


@pytest.fixture(scope="module")
def crashable(tmp_path_factory: pytest.TempPathFactory) -> Crashable:
    return make_crashable(tmp_path_factory.mktemp("crash"), ARTICLES)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Crashable:
    return make_crashable(tmp_path_factory.mktemp("small"), SMALL)


# --------------------------------------------------------------------------- builds


def start_build(crashable: Crashable, log: Path) -> subprocess.Popen[bytes]:
    """The real CLI in its own process group (so its orphans can be found and ended)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [*crashable.command(), "-v"],
            cwd=crashable.site,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )


def complete_build(crashable: Crashable, version: str) -> None:
    """A normal build to the end; it must give exactly the reference and leave nothing."""
    result = run_presse(*crashable.command()[3:], "-q", cwd=crashable.site)
    assert result.returncode == 0, result.stderr
    assert crashable.version_of(crashable.public) == version
    assert crashable.leftovers() == []


def timed_build(crashable: Crashable) -> tuple[float, float]:
    """Run a build to its end; return its duration and when public/ appeared or changed."""
    before = inode(crashable.public)
    start = time.monotonic()
    process = start_build(crashable, crashable.site.parent / "timed.log")
    swap_at = 0.0
    while process.poll() is None:
        if not swap_at and inode(crashable.public) != before:
            swap_at = time.monotonic() - start
        time.sleep(0.001)
    duration = time.monotonic() - start
    assert process.returncode == 0
    return duration, swap_at or duration


def inode(path: Path) -> int:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return 0


def mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def group_processes(group: int) -> Iterator[tuple[int, str, str]]:
    """(pid, name, state) of the live processes of a process group, from /proc."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == group and fields[0] != "Z":
            yield int(entry.name), name, fields[0]


def end_orphans(group: int) -> list[str]:
    """Check that nothing the killed build started outlives it: the kernel kills Pagefind
    and the pool workers with their parent (PR_SET_PDEATHSIG). Returns what was left, for
    the failure message, after ending it so later builds are not disturbed."""
    deadline = time.monotonic() + 2  # the kernel kills them at once; unkilled, they stay
    while any(group_processes(group)) and time.monotonic() < deadline:
        time.sleep(0.02)
    names = [name for _, name, _ in group_processes(group)]
    if names:
        os.killpg(group, signal.SIGKILL)
    return names


def stage_reached(
    crashable: Crashable, log: Path, now: str, previous: str, code: int, journal: int
) -> str:
    """Where the kill landed, from the filesystem and the stages the build printed."""
    if code == 0:
        return "too late: the build had ended"
    printed = [line.split()[0] for line in log.read_text(errors="replace").splitlines() if line]
    if now != previous:
        return "after the swap"
    if crashable.indexing() or (printed and printed[-1] == "rendering"):
        return "search index"
    if mtime(crashable.state) != journal:
        return "filling the back tree"
    running = {"reading": "parsing", "parsing": "linking", "linking": "rendering"}
    return "before publishing, " + running.get(printed[-1] if printed else "", "starting")


@dataclass(frozen=True)
class Trigger:
    """When to kill: ``delay`` seconds after the start, or after ``event`` was seen.

    Timed kills spread over a build as measured; events make sure some kills land at
    the late stages whatever the load of the machine makes the build last."""

    delay: float
    event: str = ""  # "staging" (the back tree is being written), "pagefind" (Pagefind is
    # running), "indexing" (a shard's bundle is being written), "swapped" (public/ replaced)


EVENTS = ("staging", "pagefind", "indexing", "swapped")


def kill_schedule(rng: random.Random, duration: float, swap_at: float, kills: int) -> list[Trigger]:
    """Timed kills spread evenly over a whole build (as measured), two at the measured
    moment of the swap, one per event, in a seeded order."""
    near_swap = 2 if kills >= 10 else 0
    timed = kills - len(EVENTS) - near_swap
    slot = duration / timed
    triggers = [Trigger(0.0)]  # the very start: before the interpreter has loaded presse
    triggers += [Trigger((i + rng.random()) * slot) for i in range(1, timed)]
    triggers += [Trigger(swap_at + rng.uniform(-0.03, 0.03)) for _ in range(near_swap)]
    triggers += [
        Trigger(rng.uniform(0, 0.05) if e in ("staging", "indexing") else 0.0, e) for e in EVENTS
    ]
    rng.shuffle(triggers)
    return triggers


def kill_at(crashable: Crashable, trigger: Trigger, log: Path) -> subprocess.Popen[bytes]:
    """Start a build and SIGKILL it when ``trigger`` says; returns the dead process."""
    before = (inode(crashable.public), mtime(crashable.state))
    process = start_build(crashable, log)
    start = time.monotonic()
    if trigger.event:
        while process.poll() is None and not seen(crashable, process, trigger, before):
            time.sleep(0.0005)
    time.sleep(max(0.0, trigger.delay - (0 if trigger.event else time.monotonic() - start)))
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process


def seen(
    crashable: Crashable,
    process: subprocess.Popen[bytes],
    trigger: Trigger,
    before: tuple[int, int],
) -> bool:
    """Whether the event that ``trigger`` waits for has happened."""
    if trigger.event == "pagefind":
        return any(name == "pagefind" for _, name, _ in group_processes(process.pid))
    if trigger.event == "swapped":
        return inode(crashable.public) != before[0]
    if trigger.event == "staging":
        return mtime(crashable.state) != before[1]
    return crashable.indexing()


# --------------------------------------------------------------------------- tests


def test_killed_builds_leave_the_old_or_the_new_site(crashable: Crashable) -> None:
    crashable.switch_to("A")
    complete_build(crashable, "A")
    for version in ("B", "C"):  # each a full change: the back tree holds neither
        crashable.switch_to(version)
        duration, swap_at = timed_build(crashable)
        # The quicker build sets the schedule: measured on a busy machine, the slower one
        # put many timed kills after the end of the builds killed (all at one stage).
        if not crashable.duration or duration < crashable.duration:
            crashable.duration, crashable.swap_at = duration, swap_at
        assert crashable.version_of(crashable.public) == version
    assert crashable.swap_at > crashable.duration / 2  # the swap is near the end

    stages: Counter[str] = Counter()
    orphans: list[str] = []
    current, other = "C", "B"  # in public/, and what the back tree holds or was becoming
    log = crashable.site.parent / "killed.log"
    schedule = kill_schedule(random.Random(SEED), crashable.duration, crashable.swap_at, KILLS)
    for number, trigger in enumerate(schedule):
        # Always the version neither tree holds: every file of the site changes.
        target = next(v for v in VERSIONS if v not in (current, other))
        crashable.switch_to(target)
        journal = mtime(crashable.state)
        process = kill_at(crashable, trigger, log)
        orphans += end_orphans(process.pid)
        found = crashable.version_of(crashable.public)
        assert found in (current, target)
        stages[stage_reached(crashable, log, found, current, process.returncode, journal)] += 1
        current, other = (target, current) if found == target else (current, target)
        if number % 3 == 2:
            # The next build ends normally: exactly the reference of what it was given
            # (as with no cache at all), and what the killed build left is gone.
            complete_build(crashable, target)
            current, other = (target, current) if current != target else (current, other)
        # Otherwise the next build is killed too, on top of what this one left.

    complete_build(crashable, target)  # the version on disk, whatever the last kill left
    summary = ", ".join(f"{stage}: {count}" for stage, count in sorted(stages.items()))
    print(f"\nbuild {crashable.duration:.2f} s, swap at {crashable.swap_at:.2f} s; {summary}")
    assert orphans == []  # no worker or Pagefind outlived a killed build
    assert sum(stages.values()) == KILLS
    assert len(stages) >= 4  # the kills did land at different stages


# Precise kill points: a wrapper replaces one function of presse with one that SIGKILLs
# the process at that exact instant, then runs the real command line.
KILL_POINTS = {
    # the back tree complete, search index included: just before the swap
    "before swap": ("presse.publish", "_swap", "before"),
    # the new site in place, the state not yet saved again, the cache not yet saved
    "after swap": ("presse.publish", "_swap", "after"),
    # the new site in place, the plan not yet saved (the parse cache is, before publishing)
    "before the plan is saved": ("presse.build", "save_plans", "before"),
}

WRAPPER = """
import importlib, os, runpy, signal, sys
module_name, function_name, when = sys.argv[1:4]
module = importlib.import_module(module_name)
original = getattr(module, function_name)
def killing(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(module, function_name, killing)
sys.argv = ["presse", *sys.argv[4:]]
runpy.run_module("presse", run_name="__main__")
"""

# Killed halfway through writing a file of the cache (a pattern on the command line):
# the source memo and the parse cache are written before the site is published, the plan
# after it.
MID_CACHE_WRITE = """
import fnmatch, os, runpy, signal, sys
import presse.cache
target = sys.argv[1]
writing, written = False, 0
original_store, original_write = presse.cache._store, presse.cache._HashingWriter.write
def store(folder, name, write):
    global writing
    writing = fnmatch.fnmatch(f"{folder.name}/{name}", target)
    try:
        return original_store(folder, name, write)
    finally:
        writing = False
def write(self, data):
    global written
    written += len(data) if writing else 0
    if written > 2048:  # halfway through the file
        os.kill(os.getpid(), signal.SIGKILL)
    return original_write(self, data)
presse.cache._store = store
presse.cache._HashingWriter.write = write
sys.argv = ["presse", *sys.argv[2:]]
runpy.run_module("presse", run_name="__main__")
"""
CACHE_FILES = {  # the file, and whether the site is published before it is written
    "halfway through writing the source memo": ("*/sources.pickle", False),
    "halfway through writing the parse cache": ("articles/*", False),
    "halfway through writing the plan": ("*/plan.pickle", True),
}


def run_killed(crashable: Crashable, script: str, *args: str) -> None:
    """Run the CLI under ``script``, which must get it killed by SIGKILL."""
    command = [sys.executable, "-c", script, *args, *crashable.command()[3:], "-q"]
    result = subprocess.run(command, cwd=crashable.site, capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()


@pytest.mark.parametrize("point", [*KILL_POINTS, *CACHE_FILES])
def test_kill_at_precise_points(small: Crashable, point: str) -> None:
    small.switch_to("A")
    complete_build(small, "A")
    small.switch_to("B")
    if point in KILL_POINTS:
        run_killed(small, WRAPPER, *KILL_POINTS[point])
        published = point != "before swap"
    else:
        name, published = CACHE_FILES[point]
        run_killed(small, MID_CACHE_WRITE, name)
    assert small.version_of(small.public) == ("B" if published else "A")
    # The next build, back to A, must give exactly A from whatever the killed one left:
    # a back tree written (before the swap) or the old site as back tree (after it).
    small.switch_to("A")
    complete_build(small, "A")


# Killed halfway through deleting a search bundle the build no longer uses (from the
# store of finished bundles, in the cache): half its files gone, then SIGKILL.
MID_TIDY = """
import os, runpy, shutil, signal, sys
original = shutil.rmtree
def rmtree(path, *args, **kwargs):
    folder = os.fspath(path)
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names)
    finished = any(f.endswith("pagefind-entry.json") for f in files)
    if os.path.basename(os.path.dirname(folder)) == "search" and finished:
        for name in files[: len(files) // 2]:
            os.unlink(name)
        os.kill(os.getpid(), signal.SIGKILL)
    return original(path, *args, **kwargs)
shutil.rmtree = rmtree
sys.argv = ["presse", *sys.argv[1:]]
runpy.run_module("presse", run_name="__main__")
"""


def test_killed_while_deleting_an_old_search_bundle(small: Crashable) -> None:
    """A bundle half deleted by a killed build is never taken for a whole one later: here
    B's bundles, which neither tree holds any more when B is built again."""
    for folder in (small.public, small.site / ".public.presse", small.site / ".presse-cache"):
        shutil.rmtree(folder, ignore_errors=True)  # a fresh start: B is indexed into the store
    for version in ("A", "B"):
        small.switch_to(version)
        complete_build(small, version)
    store = small.site / ".presse-cache" / "search"
    assert any(store.iterdir())  # B's bundles, to be deleted by the next build
    small.switch_to("C")
    run_killed(small, MID_TIDY)  # the site is published: the store is being tidied
    assert small.version_of(small.public) == "C"
    small.switch_to("A")
    run_killed(small, WRAPPER, *KILL_POINTS["before swap"])  # the back tree becomes A
    small.switch_to("B")
    complete_build(small, "B")
    assert [p.name for p in store.iterdir() if p.name.startswith(".")] == []


def test_first_build_killed(small: Crashable) -> None:
    """With no public/ yet, a killed first build leaves it absent or complete."""
    small.switch_to("A")

    def first_build_ever() -> None:
        shutil.rmtree(small.public, ignore_errors=True)
        shutil.rmtree(small.site / ".presse-cache", ignore_errors=True)

    first_build_ever()
    duration, swap_at = timed_build(small)  # how long a first build takes
    assert small.version_of(small.public) == "A"
    seen: Counter[str] = Counter()
    for trigger in kill_schedule(random.Random(SEED + 1), duration, swap_at, 6):
        first_build_ever()
        process = kill_at(small, trigger, small.site.parent / "first.log")
        assert end_orphans(process.pid) == []
        if small.public.exists():
            assert small.version_of(small.public) == "A"
            seen["complete"] += 1
        else:
            seen["absent"] += 1
        complete_build(small, "A")
    print(f"\nfirst builds killed: {dict(seen)}")
