"""The theme: templates and static files, with a site's own files overriding the defaults.

The default theme ships inside the package (``presse/theme``); a site's
``templates/`` and ``static/`` folders override it file by file. This module
sets up the Jinja environment once per build (autoescaping on, undefined
variables are errors) and lists static files; it reads folder listings only.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from babel.lists import format_list

from presse import __version__
from presse.config import SiteConfig
from presse.digest import templates_fingerprint
from presse.i18n import format_date_local, format_number, load_translations
from presse.links import encode_url
from presse.model import OutputFile

PACKAGE_THEME = Path(str(resources.files("presse") / "theme"))


@dataclass(frozen=True, slots=True)
class Theme:
    env: jinja2.Environment
    static_files: tuple[OutputFile, ...]
    fingerprint: str  # digest of every template, the catalogues and the config


def load_theme(
    site_dir: Path,
    config: SiteConfig,
    compiled: Path | None = None,
    known: MutableMapping[str, Theme] | None = None,
) -> Theme:
    """Templates and static files for a build, site files first.

    Compiling a template costs more than rendering it (a quarter of a second for the
    dozen an edit renders): ``compiled`` is a folder for Jinja's bytecode cache (in the
    build cache), and ``known`` keeps the last theme (the dev server) to reuse while no
    template, catalogue or config value changed."""
    search = [p for p in (site_dir / "templates", PACKAGE_THEME / "templates") if p.is_dir()]
    fingerprint = templates_fingerprint(search, config)
    static = collect_static(site_dir)
    if known is not None and fingerprint in known:
        return Theme(env=known[fingerprint].env, static_files=static, fingerprint=fingerprint)
    cache = None
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(compiled))
    theme = Theme(
        env=create_environment(search, config, cache),
        static_files=static,
        fingerprint=fingerprint,
    )
    if known is not None:
        known.clear()
        known[fingerprint] = theme
    return theme


def create_environment(
    search_path: list[Path], config: SiteConfig, cache: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """A fresh Jinja environment with presse's filters, globals and translations."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        bytecode_cache=cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(load_translations(config.locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(_filters(config))
    env.globals["presse_version"] = __version__
    env.globals.update(
        url=lambda path: site_url(config, path),
        absolute_url=lambda path: absolute_url(config, path),
    )
    return env


def iso_datetime(value: datetime, config: SiteConfig) -> str:
    """ISO 8601 with the site's UTC offset: ``2025-02-01T10:00:00+01:00``."""
    return value.astimezone(config.tzinfo).isoformat(timespec="seconds")


def month_label(year: int, month: int, config: SiteConfig) -> str:
    """« février 2025 » for an archive month."""
    middle = datetime(year, month, 15, tzinfo=config.tzinfo)
    return format_date_local(middle, config.locale, config.timezone, "month")


def _filters(config: SiteConfig) -> dict[str, Callable[..., Any]]:
    def date(value: datetime, style: str = "long") -> str:
        return format_date_local(value, config.locale, config.timezone, style)

    def isodate(value: datetime) -> str:
        return iso_datetime(value, config)

    def number(value: float) -> str:
        return format_number(value, config.locale)

    def rfc822(value: datetime) -> str:
        """RFC 822 dates for RSS: ``Sat, 01 Feb 2025 10:00:00 +0100``."""
        return format_datetime(value.astimezone(config.tzinfo))

    def month_name(year: int, month: int) -> str:
        return month_label(year, month, config)

    def names(values: Sequence[str]) -> str:
        """« Anne, Marc et Léa »: a list joined the way the locale does it."""
        return format_list(list(values), locale=config.locale)

    return {
        "date": date,
        "isodate": isodate,
        "number": number,
        "names": names,
        "rfc822": rfc822,
        "month_name": month_name,
    }


def site_url(config: SiteConfig, path: str) -> str:
    """A root-relative link that respects a ``base_url`` with a path (``/journal/…``); an
    http(s) URL (a photo hosted elsewhere, an author's page) is kept. Either way a valid
    URL (:func:`presse.urls.encode_url`)."""
    if path.startswith(("http://", "https://")):
        return encode_url(path)
    return encode_url(config.base_path + path.lstrip("/"))


def absolute_url(config: SiteConfig, path: str) -> str:
    """An absolute, valid URL for canonical links and metadata (an http(s) URL is kept)."""
    if path.startswith(("http://", "https://")):
        return encode_url(path)
    root = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
    return encode_url(root + path.lstrip("/"))


def collect_static(site_dir: Path) -> tuple[OutputFile, ...]:
    """Static files to copy, by output path; a site file replaces the theme's file."""
    chosen: dict[str, Path] = {}
    for root in (PACKAGE_THEME / "static", site_dir / "static"):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            # Symlinks are skipped: a static folder must not publish files from elsewhere.
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                chosen[path.relative_to(root).as_posix()] = path
    return tuple(
        OutputFile(path=rel, origin=str(src), source=src) for rel, src in sorted(chosen.items())
    )
