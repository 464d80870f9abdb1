"""``presse new``: start an article with its frontmatter filled in.

:func:`new_article` is pure (title and time in, path and text out); :func:`create`
writes the file and refuses to overwrite one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from presse.config import SiteConfig
from presse.errors import PresseError
from presse.slugs import slugify


@dataclass(frozen=True, slots=True)
class NewArticle:
    path: Path  # relative to the site folder
    text: str


def new_article(
    title: str,
    now: datetime,
    config: SiteConfig,
    section: str | None = None,
    tags: tuple[str, ...] = (),
) -> NewArticle:
    """The path and text of a new draft dated ``now`` in the site's zone."""
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise PresseError(f'cannot make a file name from the title "{title}"')
    local = now.astimezone(config.tzinfo).replace(microsecond=0)
    # JSON strings are valid YAML scalars and read better than YAML's own quoting ('L''été').
    lines = [
        f"title: {_quote(title)}",
        f"date: {local.isoformat()}",
        "draft: true",
        "authors: []",
        *([f"section: {_quote(section)}"] if section else []),
        f"tags: [{', '.join(_quote(t) for t in tags)}]",
        'summary: ""',
    ]
    front = "\n".join(lines) + "\n"
    body = "Le premier paragraphe de l’article.\n\n## Un intertitre\n\nLa suite.\n"
    return NewArticle(
        path=Path(config.content_dir) / f"{local.year:04d}" / f"{slug}.md",
        text=f"---\n{front}---\n\n{body}",
    )


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def create(site_dir: Path, article: NewArticle) -> Path:
    """Write the new article; an existing file is never overwritten."""
    target = site_dir / article.path
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(article.text)
    except FileExistsError:
        raise PresseError("already exists, not overwritten", article.path) from None
    return target
