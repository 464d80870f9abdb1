"""Article texts put away in the build cache: the corpus without its text. I/O edge.

A parsed article's body (its HTML, zlib-compressed) is two thirds of what the parse
cache holds and most of what a build keeps of an article in memory, yet only its own
page, the feeds that carry it and its search shard read it; its card (title, chapô,
captions: :class:`presse.model.Card`) is a third of the rest, read by the pages, feeds
and search records that show the article. With a build cache, each article's card and
body are written once into one file of ``.presse-cache/bodies/`` under the article's
fingerprint, by whoever parsed it (a worker process, or a Dask worker on the shared
filesystem), and the article keeps only the file's name: the parse cache loads in a
third of the time, the build that links the archive holds its metadata only, and
parse results cross process (or network) boundaries without their text. Pages and
feeds read the file when they render the article (:attr:`presse.model.Body.html`,
:attr:`presse.model.Article.card`).

A body file is never changed: its name is the fingerprint of everything the article
depends on. Files no cached article refers to are deleted when the cache is saved.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from presse.model import Article, Body, body_path, put_away_parts, shelf

BODIES_DIR = "bodies"


def put_away(article: Article, folder: str) -> Article:
    """``article`` with its card and its body's HTML in a file of ``folder``, written if
    missing."""
    body, card = article.body, article.held
    if not isinstance(body, Body) or card is None:
        return article  # already put away
    path = body_path(folder, article.fingerprint)
    if not os.path.exists(path):
        _write_once(path, put_away_parts(card, body))
    return replace(article, text=shelf(body.photos, folder))


def _write_once(path: str, data: bytes) -> None:
    """Write atomically: two workers writing one body write the same bytes, and a killed
    build leaves a whole file or none."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=folder, prefix=".body-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(scratch, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise


def prune(folder: Path, articles: Iterable[Article]) -> None:
    """Delete the body files no article of the cache refers to.

    Files are matched by name, which is the article's fingerprint: the articles hold the
    folder as an absolute path, ``folder`` may be relative (``presse build`` in the site
    folder), and compared as paths no file would ever be wanted."""
    wanted = {os.path.basename(a.body.file) for a in articles if a.body.stored}
    if not folder.is_dir():
        return
    for sub in os.scandir(str(folder)):
        if not sub.is_dir():
            continue
        for entry in os.scandir(sub.path):
            if entry.name not in wanted:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
