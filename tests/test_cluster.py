"""``presse build --dask``: the same site on a real Dask cluster (issue 14).

The cluster is a real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1
(tests/dask_cluster.py), never an in-process one.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import dask
import pytest
from distributed import Client

from presse.cluster import KEPT_MESSAGES, KEPT_MESSAGES_ENV, Cluster, connect, kept_messages
from presse.errors import PresseError
from tests.conftest import FIXED_NOW, REPO, leftovers, run_presse, tree_bytes
from tests.dask_cluster import DaskCluster, start_cluster
from tests.test_crash import write_version

SAMPLE_NOW = "2025-02-04T12:00:00+01:00"
CORPUS = 2000


def build_args(site: Path, out: Path, now: str = FIXED_NOW) -> list[str]:
    return ["build", "-s", str(site), "-o", str(out), "--now", now, "--no-cache", "-q"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A 2 000-article site and its local build."""
    root = tmp_path_factory.mktemp("corpus")
    site = root / "site"
    site.mkdir()
    write_version(site, "A", CORPUS)
    local = run_presse(*build_args(site, root / "local"), cwd=root)
    assert local.returncode == 0, local.stderr
    return site, tree_bytes(root / "local")


def test_without_dask_dask_is_not_even_imported(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "sites" / "basic", tmp_path / "site")
    code = (
        "import sys\n"
        "from presse.cli import main\n"
        f"status = main({build_args(tmp_path / 'site', tmp_path / 'out')!r})\n"
        "assert status == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_sample_site_on_a_cluster_is_byte_identical(
    dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    local = run_presse(*build_args(REPO, tmp_path / "local", SAMPLE_NOW), cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    cache = tmp_path / "cache"  # with a cache, the photos are encoded on the workers
    args = [*build_args(REPO, tmp_path / "dask", SAMPLE_NOW)[:-2], "--cache-dir", str(cache)]
    remote = run_presse(*args, "--dask", dask_cluster.address, cwd=tmp_path)
    assert remote.returncode == 0, remote.stderr
    assert tree_bytes(tmp_path / "dask") == tree_bytes(tmp_path / "local")


def test_a_2000_article_corpus_on_a_cluster_is_byte_identical(
    dask_cluster: DaskCluster, corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    site, local = corpus
    result = run_presse(
        *build_args(site, tmp_path / "dask"), "--dask", dask_cluster.address, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert tree_bytes(tmp_path / "dask") == local


def _tasks_run(client: Client) -> set[str]:
    """The kinds of task the cluster's scheduler has seen (named after their functions)."""
    return set(client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes)))


def test_the_workers_read_parse_render_articles_and_listings_and_index_search(
    fresh_dask_cluster: DaskCluster, corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    site, local = corpus
    args = [*build_args(site, tmp_path / "dask"), "--dask", fresh_dask_cluster.address]
    result = run_presse(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with fresh_dask_cluster.client() as client:
        assert _tasks_run(client) == {
            "digest_chunk",  # the sources, read there
            "parse_chunk",
            "render_articles_on_worker",  # each chunk with its slice of the site
            "render_listings_on_worker",  # each chunk with its stretch of its listings
            "index_shard_on_worker",  # documents rendered there, Pagefind run there
        }
    assert tree_bytes(tmp_path / "dask") == local


def test_a_warm_build_on_a_cluster_after_one_edit_does_the_small_work(
    dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "sites" / "basic", site)
    dask = ["--dask", dask_cluster.address]
    assert run_presse("build", "--now", FIXED_NOW, *dask, cwd=site).returncode == 0
    article = site / "content" / "2025" / "ete.md"
    article.write_text(article.read_text("utf-8") + "\nUne phrase ajoutée.\n", "utf-8")
    warm = run_presse("build", "--now", FIXED_NOW, "-v", *dask, cwd=site)
    assert warm.returncode == 0, warm.stderr
    # The cache in the site folder, which the workers see: one article parsed again.
    assert "1 article parsed" in warm.stderr
    cold = run_presse(*build_args(site, tmp_path / "cold"), cwd=tmp_path)
    assert cold.returncode == 0, cold.stderr
    assert tree_bytes(site / "public") == tree_bytes(tmp_path / "cold")


def _keep(count: int, dask_scheduler: object = None) -> None:
    """Run on the scheduler: keep ``count`` messages of each stream from now on."""
    dask.config.set({KEPT_MESSAGES: count})


def test_a_scheduler_that_keeps_its_streams_messages_is_warned_about(
    dask_cluster: DaskCluster, tmp_path: Path
) -> None:
    site = REPO / "tests" / "sites" / "basic"
    with dask_cluster.client() as client:
        client.run_on_scheduler(_keep, 1000)  # Dask's default
        try:
            args = [*build_args(site, tmp_path / "out"), "--dask", dask_cluster.address]
            result = run_presse(*args, cwd=tmp_path)
        finally:
            client.run_on_scheduler(_keep, 0)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: the Dask scheduler keeps the last 1000 messages of each stream"
        f" ({KEPT_MESSAGES}), each up to a megabyte of this build's work:"
        f" start it with {KEPT_MESSAGES_ENV}=0"
    ]


def test_a_worker_killed_mid_build_changes_nothing(
    fresh_dask_cluster: DaskCluster, corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    site, local = corpus
    command = [sys.executable, "-m", "presse", *build_args(site, tmp_path / "dask")]
    build = subprocess.Popen(
        [*command, "--dask", fresh_dask_cluster.address],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        victim = fresh_dask_cluster.worker_address(0)
        with fresh_dask_cluster.client() as watcher:
            deadline = time.monotonic() + 120
            while not watcher.processing().get(victim) and build.poll() is None:
                assert time.monotonic() < deadline, "the build never sent work to the cluster"
                time.sleep(0.02)
        assert build.poll() is None, "the build ended before a worker could be killed"
        fresh_dask_cluster.kill_worker(0)
        _, stderr = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 0, stderr.decode()
    assert tree_bytes(tmp_path / "dask") == local


def test_an_unreachable_scheduler_is_one_line_and_keeps_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "tests" / "sites" / "basic", site)
    assert run_presse("build", "--now", FIXED_NOW, cwd=site).returncode == 0
    before = tree_bytes(site / "public")
    result = run_presse("build", "--now", FIXED_NOW, "--dask", "tcp://127.0.0.1:9", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert len(result.stderr.splitlines()) == 1
    assert tree_bytes(site / "public") == before and leftovers(site) == []


def test_a_worker_of_another_presse_version_is_refused(tmp_path: Path) -> None:
    # A worker whose presse says it is another version: as one left on an older install.
    preload = tmp_path / "older_presse.py"
    preload.write_text("import presse\npresse.__version__ = '0.0.1'\n", encoding="utf-8")
    worker_preload = {"DASK_DISTRIBUTED__WORKER__PRELOAD": json.dumps([str(preload)])}
    cluster = start_cluster(tmp_path / "cluster", workers=1, env=worker_preload)
    try:
        site = tmp_path / "site"
        shutil.copytree(REPO / "tests" / "sites" / "basic", site)
        result = run_presse("build", "--now", FIXED_NOW, "--dask", cluster.address, cwd=site)
    finally:
        cluster.stop()
    assert result.returncode == 1
    assert result.stderr.startswith("Dask worker tcp://127.0.0.1:")
    assert result.stderr.endswith(
        " runs presse 0.0.1, this build presse 0.1.0: every worker needs the same version\n"
    )
    assert not (site / "public").exists() and leftovers(site) == []


class _Blind:
    """A client whose workers do not see the site folder (another machine without the
    shared filesystem): what ``connect`` is told by ``client.run``."""

    def wait_for_workers(self, n: int, timeout: float) -> None:
        return None

    def run(self, function: object, *args: object) -> dict[str, object]:
        from presse.cluster import presse_version

        if function is presse_version:
            return {"tcp://10.0.0.2:4000": presse_version()}
        return {"tcp://10.0.0.2:4000": False}


def test_a_worker_that_cannot_see_the_site_folder_is_refused(tmp_path: Path) -> None:
    from presse.cluster import _check

    with pytest.raises(PresseError) as caught:
        _check(_Blind(), "tcp://10.0.0.1:8786", tmp_path)
    assert str(caught.value) == (
        f'Dask worker tcp://10.0.0.2:4000 cannot see the site folder "{tmp_path.resolve()}":'
        " the workers need it at the same path, on a filesystem they all see (the same"
        " machine, or NFS)"
    )


class _SeesOnly(_Blind):
    """A client whose workers see only the folders given."""

    def __init__(self, *seen: Path) -> None:
        self.seen = {str(p.resolve()) for p in seen}

    def run(self, function: object, *args: object) -> dict[str, object]:
        from presse.cluster import presse_version

        if function is presse_version:
            return {"tcp://10.0.0.2:4000": presse_version()}
        return {"tcp://10.0.0.2:4000": args[0] in self.seen}

    def scheduler_info(self) -> dict[str, object]:
        return {"workers": {"tcp://10.0.0.2:4000": {"nthreads": 1}}}


def test_a_worker_that_cannot_see_the_output_or_cache_folder_is_refused(tmp_path: Path) -> None:
    from presse.cluster import _check

    site = tmp_path / "site"
    elsewhere = tmp_path / "local-disk"
    site.mkdir()
    elsewhere.mkdir()
    folders = [("the output folder", elsewhere), ("the cache folder", site / ".cache" / "new")]
    with pytest.raises(PresseError) as caught:
        _check(_SeesOnly(site), "tcp://10.0.0.1:8786", site, folders)
    assert str(caught.value).startswith(
        f'Dask worker tcp://10.0.0.2:4000 cannot see the output folder "{elsewhere.resolve()}":'
    )
    # A folder the build will make is looked for where it will be made.
    assert _check(_SeesOnly(site, elsewhere), "tcp://10.0.0.1:8786", site, folders) == 1


def test_dask_local_starts_and_stops_its_own_cluster(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "sites" / "basic", tmp_path / "site")
    before = dask.config.get(KEPT_MESSAGES)
    # Dask's own port for a scheduler's HTTP server taken (another cluster here): no
    # matter, and no warning (pytest makes warnings errors).
    taken = socket.socket()
    with contextlib.suppress(OSError):  # already taken: as good
        taken.bind(("127.0.0.1", 8787))
        taken.listen()
    with taken, connect("local", tmp_path / "site", jobs=2) as cluster:
        assert isinstance(cluster, Cluster) and cluster.workers == 2
        assert cluster.executor.submit(sum, [1, 2]).result() == 3
        # Neither its workers nor this process (its scheduler, the client) keep the
        # messages that carry the build's work.
        assert cluster.executor.submit(kept_messages).result() == 0
        assert kept_messages() == 0 and cluster.warnings == ()
    assert dask.config.get(KEPT_MESSAGES) == before
