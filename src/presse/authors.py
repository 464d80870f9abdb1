"""Author profiles from the site's authors file (``content/auteurs.toml``). Pure: the
caller reads the file.

One table per author, keyed by the author's slug (the slug of the name used in
articles' ``authors``)::

    [claire-vasseur]
    name = "Claire Vasseur"
    role = "Journaliste au service Économie"
    bio = "Elle suit l’industrie et l’emploi dans les régions."
    photo = "/images/auteurs/claire-vasseur.jpg"
    url = "https://exemple.org/claire"

Unknown fields are errors, like everywhere else in presse. ``photo`` and ``url`` end up
in ``src`` and ``href`` attributes, so each must be a path of the site or an http(s)
URL: anything else (``javascript:``, ``data:``…) is refused, not silently dropped, so
the author sees why the link is missing.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType

from presse.errors import PresseError
from presse.slugs import is_safe_link, is_valid_slug, slugify
from presse.typography import typographize


@dataclass(frozen=True, slots=True)
class Author:
    """Everything known about one author; only ``name`` and ``slug`` are always set."""

    slug: str
    name: str
    role: str = ""
    bio: str = ""
    photo: str = ""
    url: str = ""


_FIELDS = tuple(f.name for f in fields(Author) if f.name != "slug")


def parse_authors(text: str, path: Path) -> Mapping[str, Author]:
    """Author profiles by slug, from the text of the authors file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresseError(f"invalid TOML: {exc}", path) from None
    authors: dict[str, Author] = {}
    headers = _header_lines(text)
    for slug, table in data.items():
        line = headers.get(slug)
        if not is_valid_slug(slug):
            hint = slugify(slug) or "prenom-nom"
            raise PresseError(f'author key "{slug}" must be a slug, e.g. [{hint}]', path, line)
        if not isinstance(table, dict):
            raise PresseError(f'"{slug}" must be a table: [{slug}]', path, line)
        for key, value in table.items():
            if key not in _FIELDS:
                close = difflib.get_close_matches(key, _FIELDS, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise PresseError(f'unknown author field "{key}" in [{slug}]{hint}', path, line)
            if not isinstance(value, str):
                raise PresseError(f'author field "{key}" in [{slug}] must be text', path, line)
            if key in ("photo", "url") and value and not is_safe_link(value):
                raise PresseError(
                    f'author field "{key}" in [{slug}] must be a path of the site'
                    f' or an http(s) URL, not "{value}"',
                    path,
                    line,
                )
        name = table.get("name") or ""
        if not name.strip():
            raise PresseError(f"author [{slug}] has no name", path, line)
        if slugify(name) != slug:
            raise PresseError(
                f'author [{slug}] is named "{name}", whose slug is "{slugify(name)}"', path, line
            )
        authors[slug] = Author(
            slug=slug,
            name=typographize(" ".join(name.split())),
            role=typographize(table.get("role", "")),
            bio=typographize(table.get("bio", "")),
            photo=table.get("photo", ""),
            url=table.get("url", ""),
        )
    return MappingProxyType(authors)


def _header_lines(text: str) -> dict[str, int]:
    """The line of each table header (``[slug]`` or ``["slug"]``), found in one pass."""
    headers: dict[str, int] = {}
    for number, row in enumerate(text.splitlines(), start=1):
        row = row.strip()
        if row.startswith("[") and row.endswith("]"):
            name = row[1:-1]
            if len(name) >= 2 and name[0] == name[-1] == '"':
                name = name[1:-1]
            headers.setdefault(name, number)
    return headers
