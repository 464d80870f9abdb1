"""The old site as found on disk, for :mod:`presse.generators`: whose rules read it
(Jekyll, Hugo, or a plain folder of Markdown files), what its config says of its
addresses, and its Markdown files, each with what its place says of it. Reads files.

* **Jekyll** (``_config.yml`` or ``_posts/``): a file of ``_posts/`` (or of
  ``news/_posts/``) named ``YYYY-MM-DD-slug.md`` is a post. Jekyll also takes years of
  two or three digits and one-digit months and days (its ``DATE_FILENAME_MATCHER``,
  ``\\d{2,4}-\\d{1,2}-\\d{1,2}``), and reads the date as Ruby's ``Time.parse`` does: a
  two-digit year is 19yy from 69, 20yy below (``18-02-27-x.md`` is 27 February 2018, as
  the links of the site it comes from show). A file of ``_drafts/``, and a post whose
  name starts with ``_`` (Jekyll never builds it), is a draft. Any other Markdown file,
  outside folders starting with ``_`` or ``.``, may be a page (its layout decides).
* **Hugo** (``hugo.toml`` and the like): every Markdown file of ``content/`` but
  ``_index.md`` (a section's listing); files at the top of ``content/`` (or a bundle
  there, ``content/about/index.md``) are pages. ``post/slug/index.md`` is a page bundle.
* **A plain folder**: per file, a ``YYYY-MM-DD-slug.md`` name reads by Jekyll's rules,
  any other by Hugo's.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from presse.errors import PresseError
from presse.parse import MAX_YEAR, MIN_YEAR
from presse.sources import decode_source

_JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
_HUGO_OLD_CONFIGS = ("config.toml", "config.yaml", "config.yml", "config.json")
MARKDOWN = (".md", ".markdown")
_OTHER_CONTENT = (".html", ".htm", ".org", ".adoc", ".asciidoc", ".rst", ".pdc", ".ipynb")
# Never content: tooling, output, and the old site's templates and static files.
_NOT_CONTENT = frozenset(
    ("node_modules", "vendor", "_site", "public", "resources", "layouts", "themes", "static",
     "archetypes", "assets", "_layouts", "_includes", "_sass", "_data", "_plugins")
)  # fmt: skip
_REPOSITORY_FILES = ("readme.md", "license.md", "licence.md", "changelog.md")
_JEKYLL_NAME = re.compile(r"(\d{2,4})-(\d{1,2})-(\d{1,2})-(.+)\.[^.]+")
_HUGO_LANG = re.compile(r"(.+)\.([a-z]{2}(?:-[a-zA-Z]{2,4})?)")
_DATE_TEXT = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


def detect_generator(folder: Path) -> str | None:
    """``"jekyll"``, ``"hugo"``, or None for a folder that is neither site (its Markdown
    files are then read one by one)."""
    if any((folder / n).is_file() for n in _JEKYLL_CONFIGS) or (folder / "_posts").is_dir():
        return "jekyll"
    if any((folder / n).is_file() for n in _HUGO_CONFIGS) or (folder / "config/_default").is_dir():
        return "hugo"
    if any((folder / n).is_file() for n in _HUGO_OLD_CONFIGS) and (folder / "content").is_dir():
        return "hugo"
    return None


# --- the config: where its articles are, and how it made their addresses -------------


@dataclass(frozen=True, slots=True)
class Site:
    generator: str | None
    root: Path
    content: Path  # Hugo's content folder; the root otherwise
    permalink: str = ""  # Jekyll: the posts' pattern, a built-in style expanded
    page_ending: str = ""  # Jekyll: what ends a page's pattern ("/", ":output_ext", "")
    sections: Mapping[str, str] = field(default_factory=dict)  # Hugo: section → pattern
    base_path: str = ""  # the old site's path prefix (Jekyll baseurl, Hugo baseURL)
    lower: bool = True  # Hugo lowercases addresses unless disablePathToLower
    ugly: bool = False  # Hugo's uglyURLs: /post/x.html
    exclude: tuple[str, ...] = ()  # Jekyll's exclude:

    def excluded(self, rel: PurePosixPath) -> bool:
        return any(fnmatch(rel.as_posix(), pattern.strip("/")) for pattern in self.exclude)


_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def read_site(folder: Path) -> Site:
    """The folder's generator and what its config says (a broken config is an error)."""
    generator = detect_generator(folder)
    if generator == "jekyll":
        return _jekyll_site(folder)
    if generator == "hugo":
        return _hugo_site(folder)
    return Site(None, folder, folder)


def _jekyll_site(folder: Path) -> Site:
    """Jekyll's ``permalink`` (a built-in style or a pattern, for posts and, by its
    ending, for pages), ``baseurl`` and ``exclude``."""
    config = next((_read_config(folder / n) for n in _JEKYLL_CONFIGS if (folder / n).is_file()), {})
    style = _config_text(config.get("permalink")) or "date"
    collections = config.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    pattern = (_config_text(posts.get("permalink")) if isinstance(posts, dict) else "") or style
    if style == "pretty" or (style not in _JEKYLL_STYLES and style.endswith("/")):
        ending = "/"
    elif style in _JEKYLL_STYLES or style.endswith(":output_ext"):
        ending = ":output_ext"
    else:
        ending = ""
    exclude = config.get("exclude")
    return Site(
        "jekyll",
        folder,
        folder,
        permalink=_JEKYLL_STYLES.get(pattern, pattern),
        page_ending=ending,
        base_path=_config_text(config.get("baseurl")).rstrip("/"),
        exclude=tuple(str(e) for e in exclude) if isinstance(exclude, list) else (),
    )


def _hugo_site(folder: Path) -> Site:
    """Hugo's ``[permalinks]`` (per section; ``[permalinks.page]`` since Hugo 0.115),
    ``baseURL``, ``contentDir``, ``disablePathToLower`` and ``uglyURLs``."""
    names = (*_HUGO_CONFIGS, *_HUGO_OLD_CONFIGS)
    paths = (*(folder / n for n in names), *(folder / "config/_default" / n for n in names))
    path = next((p for p in paths if p.is_file()), None)
    config = {str(k).lower(): v for k, v in (_read_config(path) if path else {}).items()}
    permalinks = config.get("permalinks")
    separate = folder / "config/_default/permalinks.toml"
    if permalinks is None and separate.is_file():
        permalinks = _read_config(separate)
    sections: dict[str, str] = {}
    for key, value in (permalinks if isinstance(permalinks, dict) else {}).items():
        if isinstance(value, str):
            sections[str(key)] = value
        elif key == "page" and isinstance(value, dict):
            sections.update({str(k): v for k, v in value.items() if isinstance(v, str)})
    base = _config_text(config.get("baseurl"))
    return Site(
        "hugo",
        folder,
        folder / (_config_text(config.get("contentdir")) or "content"),
        sections=sections,
        base_path=urlsplit(base).path.rstrip("/") if "://" in base else "",
        lower=config.get("disablepathtolower") is not True,
        ugly=config.get("uglyurls") is True,
    )


def _config_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as written (presse reads them itself)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_config(path: Path) -> dict[str, Any]:
    """A config file (YAML, TOML or JSON) as a mapping; a broken one is an error."""
    text = decode_source(path.read_bytes(), path)
    if path.suffix == ".toml":
        data: Any = read_toml(text, path, 0)
    elif path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PresseError(f"invalid JSON: {exc.msg}", path, exc.lineno) from None
    else:
        try:
            data = yaml.load(text, Loader=_Loader)  # a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "not YAML"
            line = mark.line + 1 if mark else 1
            raise PresseError(f"invalid YAML: {problem}", path, line) from None
    if not isinstance(data, dict | None):
        raise PresseError("must be a mapping of keys to values", path, 1)
    return data or {}


def read_toml(text: str, path: Path, offset: int) -> dict[str, Any]:
    """TOML read, an error pointing at its line (``offset``: the lines before ``text``)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        line = int(found.group(1)) if found else text.count("\n") + 1  # at end of document
        message = re.sub(r"\s*\(at (?:line|end).*\)$", "", str(exc))
        raise PresseError(f"invalid TOML: {message}", path, line + offset) from None


# --- the files: what each is, by its place -------------------------------------------


@dataclass(frozen=True, slots=True)
class File:
    """One Markdown file and what its place says of it."""

    path: Path
    rel: PurePosixPath  # from the imported folder: the item's id and report name
    generator: str  # "jekyll" or "hugo": whose rules read it
    place: str  # "post", "page", "jekyll-page" (if its layout says so), "loose"
    draft: bool = False  # by its place: _drafts/, a Jekyll name starting with "_"
    name_date: str = ""  # ISO date of a Jekyll file name
    name_slug: str = ""  # the file name's slug (a bundle's folder name), as written
    bundle: Path | None = None  # the folder of a page bundle
    lang: str = ""  # Hugo's language in the file name (about.en.md)
    categories: tuple[str, ...] = ()  # Jekyll's categories from folders (news/_posts/)


def walk(top: Path, skip: Callable[[PurePosixPath], bool]) -> Iterator[Path]:
    """Every file below ``top`` (a folder's files, then its folders, in name order),
    hidden folders and those ``skip`` refuses left out."""
    for current, folders, files in os.walk(top):
        here = Path(current)
        folders[:] = sorted(
            f
            for f in folders
            if not f.startswith(".") and not skip(PurePosixPath((here / f).relative_to(top)))
        )
        yield from (here / name for name in sorted(files) if not name.startswith("."))


def site_files(site: Site, skipped: Counter[str]) -> Iterator[File]:
    """The site's Markdown files; each file left out by its place is counted in
    ``skipped`` by its reason."""
    if site.generator == "jekyll":
        yield from _jekyll_files(site, skipped)
    else:
        yield from _hugo_files(site, skipped)


def _jekyll_files(site: Site, skipped: Counter[str]) -> Iterator[File]:
    def skip(rel: PurePosixPath) -> bool:
        special = rel.name.startswith("_") and rel.name not in ("_posts", "_drafts")
        return special or rel.name in _NOT_CONTENT or site.excluded(rel)

    for path in walk(site.root, skip):
        rel = PurePosixPath(path.relative_to(site.root))
        if path.suffix.lower() not in MARKDOWN or site.excluded(rel):
            continue
        folders = rel.parts[:-1]
        if "_posts" in folders:
            post = _dated(path, rel, "post", categories=folders[: folders.index("_posts")])
            if post is None:
                skipped[
                    "file of _posts without a date in its name (Jekyll does not publish it)"
                ] += 1
            else:
                yield post
        elif "_drafts" in folders:
            draft = _dated(path, rel, "post") or File(
                path, rel, "jekyll", "post", name_slug=path.stem
            )
            yield replace(draft, draft=True)
        elif rel.name.lower() not in _REPOSITORY_FILES:
            name = rel.stem if rel.stem != "index" else rel.parent.name or "accueil"
            yield File(path, rel, "jekyll", "jekyll-page", name_slug=name)


def _hugo_files(site: Site, skipped: Counter[str]) -> Iterator[File]:
    """Hugo's content folder, or a plain folder (``site.generator`` None)."""
    loose = site.generator is None
    if not site.content.is_dir():
        raise PresseError(f'has no "{site.content.name}" folder of articles', site.root)
    for path in walk(site.content, lambda rel: loose and rel.name in _NOT_CONTENT):
        rel = PurePosixPath(path.relative_to(site.root))
        inner = PurePosixPath(path.relative_to(site.content))
        suffix = path.suffix.lower()
        if suffix in _OTHER_CONTENT and not loose:
            skipped[f"{suffix} file (only Markdown is imported)"] += 1
        if suffix not in MARKDOWN:
            continue
        stem, lang = path.stem, ""
        translated = None if loose else _HUGO_LANG.fullmatch(stem)
        if translated is not None:
            stem, lang = translated.groups()
        if stem == "_index":
            skipped["_index.md (a section's listing page)"] += 1
            continue
        bundle = path.parent if stem == "index" and len(inner.parts) > 1 else None
        dated = _dated(path, rel, "loose", bundle=bundle) if loose else None
        if dated is not None:
            yield dated
            continue
        top = len(inner.parts) == 1 or (bundle is not None and len(inner.parts) == 2)
        place = "loose" if loose else "page" if top else "post"
        name = bundle.name if bundle is not None else stem
        yield File(path, rel, "hugo", place, name_slug=name, bundle=bundle, lang=lang)


def _dated(path: Path, rel: PurePosixPath, place: str, **more: Any) -> File | None:
    """A file named as a Jekyll post (``2024-03-05-slug.md``), None for another name."""
    found = _JEKYLL_NAME.fullmatch(path.name.removeprefix("_"))
    if found is None:
        return None
    year, month, day, slug = found.groups()
    when = _name_date(year, month, day, path)
    draft = path.name.startswith("_")
    return File(path, rel, "jekyll", place, draft, when, slug, **more)


def _name_date(year: str, month: str, day: str, path: Path) -> str:
    """The date of a Jekyll file name, read as Ruby's ``Time.parse`` reads it: a two-digit
    year is 19yy from 69 on, 20yy below."""
    number = int(year)
    if len(year) == 2:
        number += 1900 if number >= 69 else 2000
    text = f"{number:04d}-{int(month):02d}-{int(day):02d}"
    if not MIN_YEAR <= number <= MAX_YEAR or iso_date(text) is None:
        raise PresseError(f'the file name\'s date "{year}-{month}-{day}" is not a date', path, 1)
    return text


def iso_date(value: object) -> str | None:
    """A date as written by Jekyll or Hugo, as ISO 8601 text (what presse reads); None if
    it is not one."""
    if isinstance(value, datetime | date):
        return value.isoformat()  # TOML's dates
    found = _DATE_TEXT.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, hour, minute, second, zone = found.groups()
    text = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is not None:
        text += f"T{int(hour):02d}:{minute}:{second or '00'}"
        if zone:
            text += "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return None
    return text
