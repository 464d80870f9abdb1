"""What every importer produces: articles and pages ready to be written into ``content/``.

Each importer (a WordPress export, a feed, a Hugo or Jekyll folder) reads its own
format and yields :class:`Imported` records; :mod:`presse.import_command` writes them,
all or nothing, never over an existing file, and skips what an earlier import already
brought in (same ``id``). Pure: nothing here reads or writes a file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml


@dataclass(frozen=True, slots=True)
class Media:
    """A file an imported article shows, to be copied beside it (a page bundle)."""

    source: str  # a path on this machine (a copy of wp-content/uploads, a Hugo bundle)
    name: str  # its file name beside the article, as the body and front matter refer to it


@dataclass(frozen=True, slots=True)
class Imported:
    """One article or page brought in from another system.

    ``front`` holds presse's front matter keys only, in the order they are written
    (``title`` first); ``front["id"]`` is the item's identity in the system it came
    from (``wordpress:https://exemple.fr/?p=42``), so a second import of the same
    export finds it and skips it, and feed readers keep seeing the same entry.
    """

    origin: str  # where it came from, for the report: "export.xml: post 42"
    slug: str
    year: int  # the article's folder, content/<year>/ (ignored for a page)
    page: bool  # a page of the site (content/pages/), not a dated article
    front: Mapping[str, Any]
    body: str  # Markdown
    media: tuple[Media, ...] = ()
    recognised: tuple[str, ...] = ()  # what was understood, one line each, for the report
    dropped: tuple[str, ...] = ()  # what was left out and why, one line each
    remote: tuple[str, ...] = ()  # images left on the old site (no --media copy)

    @property
    def identity(self) -> str:
        return str(self.front.get("id", ""))


@dataclass(frozen=True, slots=True)
class ImportedAuthor:
    """An author an import names, for an entry of the authors file."""

    slug: str
    name: str
    fields: Mapping[str, str] = field(default_factory=dict)  # role, bio, url when known


class ImportSource(Protocol):
    """An importer's input, read in a stream: a 500 MB export never sits whole in memory.

    ``items()`` is iterated once; ``authors()`` and ``summary()`` are read after it
    (what was skipped, counted or dropped across the whole input, one line each)."""

    def items(self) -> Iterator[Imported]: ...

    def authors(self) -> tuple[ImportedAuthor, ...]: ...

    def summary(self) -> tuple[str, ...]: ...


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the given order, long lines kept whole (titles, chapôs)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def file_text(item: Imported) -> str:
    """The Markdown file of an imported item: its front matter, then its body."""
    front = yaml.dump(
        dict(item.front),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    body = item.body.strip("\n")
    return f"---\n{front}---\n\n{body}\n" if body else f"---\n{front}---\n"
