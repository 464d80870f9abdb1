"""The search shards of one build (see :mod:`presse.search`): which are already made,
which to index, when. I/O edge.

Finished bundles live in a store by key: ``search/`` in the cache folder (so a CI run
that restores the cache re-indexes nothing that did not change), the dev server's own,
or a scratch folder beside the output, deleted after the build. A bundle the output
trees or the store hold is linked, never indexed again. After an edit, the few changed
shards are started before the pages are planned (Pagefind runs on one core while the
pages are rendered on the other); a large rebuild indexes them in parallel once the
pages are out. The dev server defers them: the pages are published with the shard's
current bundle, and the new one is indexed after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from functools import partial
from pathlib import Path

from presse.indexer import Indexing, ShardJob, index_shard, index_shards
from presse.model import Article, Site
from presse.pages import SiteView
from presse.parallel import in_order
from presse.progress import Progress
from presse.publish import Output, Publisher, discard, home_of
from presse.render import SitePlan, search_documents
from presse.search import Shard, shard_articles
from presse.tasks import ThemeSource, index_shard_on_worker
from presse.theme import Theme

GONE = ".gone-"  # bundles of the store being deleted (the scratch folders are ".<key>.…")


class SearchIndex:
    """The search shards of one build: found in the store of finished bundles, or indexed
    into it. The store is ``search/`` in the cache folder (so a CI run that restores the
    cache re-indexes nothing that did not change), the dev server's own, or a scratch
    folder beside the output, deleted after the build."""

    def __init__(
        self,
        store: Path | None,
        out_dir: Path,
        theme: Theme,
        site: Site,
        view: SiteView,
        workers: int,
        progress: Progress,
        cluster: tuple[Executor, ThemeSource] | None = None,
    ):
        self.scratch = store is None
        self.store = store or home_of(out_dir) / f".index-{os.getpid()}"
        self.documents = search_documents(theme, site, view)
        self.site = site
        # On a cluster: send a shard, with its articles, to be indexed by a worker.
        self.send: Callable[[ShardJob], Future[None]] | None = None
        if cluster is not None:
            executor, theme_source = cluster
            work = partial(index_shard_on_worker, view=view, theme=theme_source)
            self.send = lambda job: executor.submit(work, (job, self._articles(job)))
        self.language = site.config.language
        self.workers = workers
        self.progress = progress
        self.indexed = 0
        self.pending: tuple[ShardJob, ...] = ()  # deferred by the dev server
        # Started early, by shard name: here, or on a cluster's worker.
        self.running: dict[str, Indexing | Future[None]] = {}

    def begin(self, shards: Sequence[Output], publisher: Publisher) -> None:
        """Start Pagefind now on the shards neither tree nor the store holds, when they are
        few (an edit): it runs on one core while the pages are planned and rendered."""
        changed = [
            o for o in shards if not publisher.holds(o) and not (self.store / o.key).is_dir()
        ]
        if not changed or len(changed) > self.workers:
            return  # none, or a large rebuild: indexed in parallel once the pages are out
        self.store.mkdir(parents=True, exist_ok=True)
        for output in changed:
            assert output.shard is not None
            job = ShardJob(output.shard, self.store / output.key)
            if self.send is not None:
                self.running[output.shard.name] = self.send(job)
            else:
                self.running[output.shard.name] = Indexing(job, self.documents, self.language)

    def index(self, shards: Sequence[tuple[Shard, str]]) -> dict[str, Path]:
        """Shard name → its finished bundle folder, indexing those the store lacks."""
        bundles: dict[str, Path] = {}
        jobs = []
        for shard, key in shards:
            bundles[shard.name] = self.store / key
            running = self.running.pop(shard.name, None)
            if running is not None:
                if isinstance(running, Indexing):
                    running.finish()
                else:
                    running.result()
                self.indexed += 1
            elif not bundles[shard.name].is_dir():
                jobs.append(ShardJob(shard, self.store / key))
        if jobs:
            self.store.mkdir(parents=True, exist_ok=True)
            self.progress.stage("search index", len(jobs))
            if self.send is not None:
                for _ in in_order(map(self.send, jobs), window=2 * self.workers):
                    self.progress.advance()
            else:
                index_shards(jobs, self.documents, self.language, self.workers)
            self.indexed += len(jobs)
        return bundles

    def _articles(self, job: ShardJob) -> tuple[Article, ...]:
        """A shard's articles, sent with it (their bodies stay in the shared cache): this
        process renders no search document."""
        return tuple(shard_articles(job.shard, self.site))

    def defer(self, plan: SitePlan, publisher: Publisher) -> list[Output]:
        """For the dev server: a shard whose new bundle is not ready keeps its current one,
        to be indexed after the pages are out (:meth:`finish`); a new shard is indexed now."""
        outputs: list[Output] = []
        pending = []
        for output, maker in zip(plan.outputs, plan.makers, strict=True):
            if isinstance(maker, Shard):
                current = publisher.current_key(output.path)
                if current and current != output.key and not (self.store / output.key).is_dir():
                    pending.append(ShardJob(maker, self.store / output.key))
                    output = Output(output.path, current, output.origin)
            outputs.append(output)
        self.pending = tuple(pending)
        return outputs

    def finish(self) -> int:
        """Index the shards the build deferred into the store (the dev server calls this
        in the background, then builds again: the bundles are found ready)."""
        self.store.mkdir(exist_ok=True)  # not its parents: gone means the server stopped
        jobs = [job for job in self.pending if not job.target.is_dir()]
        for job in jobs:  # one at a time: the dev server keeps a core for the next edit
            index_shard(job, self.documents, self.language)
        return len(jobs)

    def close(self) -> None:
        """Stop what was started early and not collected (the build failed)."""
        for running in self.running.values():
            if isinstance(running, Indexing):
                running.abandon()
            else:
                running.cancel()
        self.running = {}

    def tidy(self, plan: SitePlan) -> None:
        """Keep in the store only the bundles of this build's shards.

        A bundle leaves its name before it is deleted: a build killed halfway through
        deleting it must not leave a folder under a key's name that a later build takes
        for a whole bundle and links into the site, a shard's fragments missing. What
        such a build left is deleted here the next time."""
        if self.scratch:
            shutil.rmtree(self.store, ignore_errors=True)
            return
        keep = {o.key for o in plan.outputs if o.is_folder}
        with contextlib.suppress(OSError):
            doomed = [
                entry
                for entry in self.store.iterdir()
                if entry.name.startswith(GONE)
                or (entry.name not in keep and not entry.name.startswith("."))
            ]
            discard(doomed, GONE)
