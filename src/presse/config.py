"""The site's configuration: ``presse.toml`` parsed into a frozen :class:`SiteConfig`.

:func:`parse_config` is pure (text in, config out) so every rule can be tested
without a disk; :func:`load_config` is the only function here that reads a file.
Unknown keys are errors, with a "did you mean" hint, because a misspelt option
silently ignored is a bug the newsroom finds in production.
"""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel

from presse.embeds import Provider, builtin_providers, merge_providers, provider_from_table
from presse.errors import PresseError
from presse.sanitize import HTML_LEVELS
from presse.slugs import SLUG_RE, is_safe_link

CONFIG_FILE = "presse.toml"

PERMALINK_FIELDS = frozenset({"year", "month", "day", "slug", "section"})


def _option(default: Any, doc: str) -> Any:
    """A dataclass field whose docstring travels with it (shown by ``presse`` docs and tests)."""
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True, slots=True)
class UrlWords:
    """The words of listing URLs, configurable in the ``[urls]`` table (French by default)."""

    section: str = _option("rubrique", "Section pages: /rubrique/<section>/.")
    tag: str = _option("tag", "Tag pages: /tag/<tag>/.")
    author: str = _option("auteur", "Author pages: /auteur/<author>/.")
    archives: str = _option("archives", "Date archives: /archives/<yyyy>/<mm>/.")
    page: str = _option("page", "Pagination: /page/2/, /rubrique/<section>/page/2/.")
    search: str = _option("recherche", "The search page: /recherche/.")
    sections: str = _option("rubriques", "The index of all sections: /rubriques/.")
    tags: str = _option("tags", "The index of all tags: /tags/.")


@dataclass(frozen=True, slots=True)
class LegalDetails:
    """Who publishes the site, as French law (LCEN, art. 6-III) requires a publication to
    say: written once in the ``[legal]`` table, shown on the legal notice page and given
    to search engines as the publisher's structured data, so the two always agree."""

    name: str = _option("", "Legal name of the publisher (raison sociale), e.g. « Journal SAS ».")
    legal_form: str = _option("", "Legal form and capital, e.g. « SAS au capital de 10 000 € ».")
    address: str = _option("", "The publisher's postal address (siège social).")
    registration: str = _option("", "Registration, e.g. « RCS Lyon 123 456 789 ».")
    director: str = _option("", "The directeur de la publication, by name.")
    email: str = _option("", "Contact e-mail address.")
    phone: str = _option("", "Contact telephone number.")
    host: str = _option("", "The host (hébergeur): name, address and telephone.")

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Every option a site can set in ``presse.toml``; all have working defaults."""

    title: str = _option(
        "Mon journal", "Name of the publication, shown in the masthead and <title>."
    )
    description: str = _option("", "One-sentence description of the site (front page meta).")
    base_url: str = _option(
        "http://localhost:8000/",
        "Absolute URL the site is published at; its path becomes the prefix of every link.",
    )
    locale: str = _option("fr_FR", "Babel locale for dates, numbers and interface strings.")
    timezone: str = _option(
        "Europe/Paris", "IANA time zone given to dates written without an offset."
    )
    per_page: int = _option(10, "Articles per page on the front page.")
    permalink: str = _option(
        "/{year}/{month}/{slug}/",
        "URL of an article; fields: {year} {month} {day} {slug} {section}. Must contain {slug}.",
    )
    content_dir: str = _option("content", "Folder of Markdown articles, relative to the site.")
    output_dir: str = _option("public", "Folder the built site is written to.")
    related_count: int = _option(3, "How many articles the « À lire également » block lists.")
    allow_html: str = _option(
        "safe",
        'Raw HTML in Markdown: "safe" keeps a safe subset (text formatting, links, images, '
        'figures, tables) and drops the rest, "none" drops it all, "all" publishes it as '
        'written (trusted sites only). HTML comments never reach readers but with "all".',
    )
    words_per_minute: int = _option(230, "Reading speed used for the « min de lecture » figure.")
    publisher: str = _option("", "Publisher named in structured data and feeds (default: title).")
    logo: str = _option("", "Publisher logo (path under static/ or URL) for structured data.")
    default_image: str = _option(
        "", "Share image (path under static/ or URL) for pages and articles without an image."
    )
    twitter_site: str = _option("", "The publication's X/Twitter account, e.g. @journal.")
    feed_size: int = _option(20, "How many articles each Atom and RSS feed carries.")
    authors_file: str = _option(
        "auteurs.toml", "File describing authors (name, role, bio, photo, url), in content_dir."
    )
    search: bool = _option(True, "Build the /recherche/ page and its Pagefind index.")
    search_shard_size: int = _option(
        500,
        "Most articles in one part (shard) of the search index; the newest months use parts "
        "half as large. Smaller parts are indexed again faster after an edit; larger ones "
        "mean fewer files for a reader's search to load.",
    )
    footer_pages: tuple[str, ...] = _option(
        (),
        "Pages linked from every page's footer, by slug, in order "
        '(e.g. ["mentions-legales", "a-propos", "contact"]); empty: every page of content/pages/.',
    )
    legal_notice: str = _option(
        "mentions-legales",
        "Slug of the legal notice page: it shows the [legal] details, and presse check warns "
        "when the site has no such page.",
    )
    legal: LegalDetails = field(
        default_factory=LegalDetails,
        metadata={"doc": "The publisher's legal details ([legal] table)."},
    )
    urls: UrlWords = field(
        default_factory=UrlWords, metadata={"doc": "Words of listing URLs ([urls] table)."}
    )
    embeds: tuple[Provider, ...] = field(
        default_factory=builtin_providers,
        metadata={
            "doc": "Embed providers ([embeds.<name>] tables: name, kind, hosts, patterns, "
            "player), added to presse's own (YouTube, Vimeo, Dailymotion, PeerTube, "
            "Datawrapper, Flourish, uMap, social posts) or replacing one of the same name."
        },
    )

    @property
    def publisher_name(self) -> str:
        return self.publisher or self.title

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always ending in ``/`` (``/`` or ``/journal/``)."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def language(self) -> str:
        """BCP 47 language tag for ``<html lang>`` (``fr`` for ``fr_FR``)."""
        return babel.Locale.parse(self.locale).language

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


OPTION_DOCS: Mapping[str, str] = {
    **{f.name: f.metadata["doc"] for f in fields(SiteConfig)},
    **{f"urls.{f.name}": f.metadata["doc"] for f in fields(UrlWords)},
    **{f"legal.{f.name}": f.metadata["doc"] for f in fields(LegalDetails)},
}


def _line_of(text: str, key: str) -> int | None:
    """Line where ``key = …`` is written, for error messages (tomllib gives no positions)."""
    name = re.escape(key)
    pattern = re.compile(rf"^[ \t]*(?:\[{name}\]|[\"']?{name}[\"']?[ \t]*=)", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _did_you_mean(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _check_type(key: str, value: Any, expected: type, err: Any) -> None:
    # bool is a subclass of int: `per_page = true` must not pass as a number.
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        names = {str: "a string", int: "a whole number", bool: "true or false"}
        raise err(f'option "{key}" must be {names[expected]}, not {value!r}', key)


def parse_config(text: str, path: Path | str = CONFIG_FILE) -> SiteConfig:
    """Parse the text of ``presse.toml`` into a validated :class:`SiteConfig`."""

    def err(message: str, key: str | None = None) -> PresseError:
        return PresseError(message, path, _line_of(text, key) if key else None)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else text.rstrip("\n").count("\n") + 1
        raise PresseError(f"invalid TOML: {exc}", path, line) from None

    known = [f.name for f in fields(SiteConfig)]
    for key, value in data.items():
        if key not in known:
            raise err(f'unknown option "{key}"{_did_you_mean(key, known)}', key)
        if key == "allow_html" and isinstance(value, bool):
            data[key] = "all" if value else "none"  # presse < 0.11 had true/false
        elif key == "footer_pages":
            data[key] = _slug_list(key, value, err)
        elif key not in ("urls", "embeds", "legal"):
            _check_type(key, value, type(getattr(SiteConfig(), key)), err)
    if "urls" in data:
        data["urls"] = _parse_urls(data["urls"], err)
    if "legal" in data:
        data["legal"] = _parse_legal(data["legal"], err)
    if "embeds" in data:
        if not isinstance(data["embeds"], dict):
            raise err('option "embeds" must be tables: [embeds.<name>]', "embeds")
        for key, table in data["embeds"].items():
            try:
                provider_from_table(key, table)
            except ValueError as exc:
                raise err(str(exc), f"embeds.{key}") from None
        data["embeds"] = merge_providers(data["embeds"])

    config = SiteConfig(**data)
    _validate(config, err)
    return config


def _slug_list(key: str, value: Any, err: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise err(f'option "{key}" must be a list of page slugs, not {value!r}', key)
    for slug in value:
        if not SLUG_RE.match(slug):
            raise err(
                f'{key}: "{slug}" is not a page slug (lowercase letters, digits, hyphens)', key
            )
    return tuple(value)


def _parse_legal(table: Any, err: Any) -> LegalDetails:
    if not isinstance(table, dict):
        raise err('option "legal" must be a table: [legal]', "legal")
    known = [f.name for f in fields(LegalDetails)]
    for key, value in table.items():
        if key not in known:
            raise err(f'unknown option "legal.{key}"{_did_you_mean(key, known)}', key)
        _check_type(f"legal.{key}", value, str, err)
    return LegalDetails(**table)


def _parse_urls(table: Any, err: Any) -> UrlWords:
    if not isinstance(table, dict):
        raise err('option "urls" must be a table: [urls]', "urls")
    known = [f.name for f in fields(UrlWords)]
    for key, value in table.items():
        if key not in known:
            raise err(f'unknown option "urls.{key}"{_did_you_mean(key, known)}', key)
        if not isinstance(value, str) or not SLUG_RE.match(value):
            raise err(
                f"urls.{key} must be a lowercase URL word (letters, digits, hyphens): {value!r}",
                key,
            )
    words = UrlWords(**table)
    values = [getattr(words, k) for k in known]
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise err(f'urls: the word "{duplicates[0]}" is used twice', "urls")
    return words


def _validate(config: SiteConfig, err: Any) -> None:
    if config.allow_html not in HTML_LEVELS:
        levels = ", ".join(f'"{level}"' for level in HTML_LEVELS)
        raise err(f'allow_html "{config.allow_html}" is not one of {levels}', "allow_html")
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise err(f'base_url "{config.base_url}" must be an absolute http(s) URL', "base_url")
    try:
        babel.Locale.parse(config.locale)
    except (ValueError, babel.UnknownLocaleError):
        raise err(f'locale "{config.locale}" is not a known locale', "locale") from None
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise err(f'timezone "{config.timezone}" is not an IANA time zone', "timezone") from None
    for key in ("per_page", "related_count", "words_per_minute", "feed_size", "search_shard_size"):
        if getattr(config, key) < (0 if key == "related_count" else 1):
            raise err(f'option "{key}" is out of range: {getattr(config, key)}', key)
    _validate_permalink(config.permalink, err)
    for key in ("logo", "default_image"):  # they end up in src, og:image and JSON-LD
        value = getattr(config, key)
        if value and not is_safe_link(value):
            raise err(
                f'option "{key}" must be a path from static/ or an http(s) URL, not "{value}"',
                key,
            )
    if not SLUG_RE.match(config.legal_notice):
        raise err(f'legal_notice "{config.legal_notice}" is not a page slug', "legal_notice")
    for key in ("content_dir", "output_dir"):
        value = getattr(config, key)
        if not value or Path(value).is_absolute() or ".." in Path(value).parts:
            raise err(f'option "{key}" must be a folder inside the site: "{value}"', key)


def _validate_permalink(pattern: str, err: Any) -> None:
    if not (pattern.startswith("/") and pattern.endswith("/")):
        raise err(f'permalink "{pattern}" must start and end with "/"', "permalink")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise err(f'permalink "{pattern}" is malformed: {exc}', "permalink") from None
    unknown = names - PERMALINK_FIELDS
    if unknown:
        raise err(
            f'permalink field "{{{sorted(unknown)[0]}}}" is unknown '
            f"(use {', '.join('{' + n + '}' for n in sorted(PERMALINK_FIELDS))})",
            "permalink",
        )
    if "slug" not in names:
        raise err(f'permalink "{pattern}" must contain {{slug}}', "permalink")
    if ".." in pattern.split("/"):
        raise err(f'permalink "{pattern}" must not contain ".."', "permalink")


def load_config(site_dir: Path) -> SiteConfig:
    """Read ``presse.toml`` from the site folder; a site without one gets the defaults."""
    path = site_dir / CONFIG_FILE
    if not path.is_file():
        return SiteConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PresseError("is not valid UTF-8", CONFIG_FILE) from None
    return parse_config(text, CONFIG_FILE)
