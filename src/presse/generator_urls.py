"""An imported item's addresses: the one the old site gave it (from Jekyll's or Hugo's
permalink patterns, as each fills them), the one presse gives it, and the aliases that
keep the old site's links working. Pure.

An alias presse could not redirect from (a fragment, a space, a query string:
:func:`presse.parse.alias_problem`) is dropped with a report line, so that every
imported file builds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from presse import urls
from presse.config import SiteConfig
from presse.generator_site import File, Site
from presse.links import has_scheme
from presse.parse import alias_problem
from presse.slugs import is_site_path, is_web_url

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PLACEHOLDER = re.compile(r":([a-z_]+)")


def new_url(config: SiteConfig, published: datetime | None, slug: str, section: str) -> str:
    """The item's address in presse (as :func:`presse.parse.article_from` makes it): a
    page's (or an undated item's) is ``/slug/``."""
    if published is None:
        return f"/{slug}/"
    return urls.article(config, published, slug, section)


def item_aliases(written: list[str], old: str, new: str) -> tuple[list[str], dict[str, str]]:
    """The item's aliases: those its front matter lists (``aliases``, ``redirect_from``)
    as paths of the site, then its ``old`` address, each once and none the ``new`` one;
    and those presse could not redirect from, each with what is wrong with it."""
    kept: list[str] = []
    refused: dict[str, str] = {}
    for alias in dict.fromkeys([*(_alias(a, old) for a in written), old]):
        if not alias or alias.rstrip("/") == new.rstrip("/"):
            continue
        problem = alias_problem(alias)
        if problem:
            refused[alias] = problem
        else:
            kept.append(alias)
    return kept, refused


def _alias(alias: str, old: str) -> str:
    """An old address as a path of the site: a full URL's path, a relative one (Hugo)
    against the page's folder; "" for anything else."""
    alias = alias.strip()
    if is_web_url(alias):
        alias = urlsplit(alias).path or "/"
    elif alias and not alias.startswith("/") and not has_scheme(alias):
        alias = (old.rstrip("/").rsplit("/", 1)[0] if old else "") + "/" + alias
        if "." not in alias.rsplit("/", 1)[-1]:
            alias += "/"  # Hugo publishes it as a folder: …/alias/index.html
    return alias if is_site_path(alias) else ""


def old_url(
    file: File,
    site: Site,
    fixed: str,
    written_slug: str,
    title: str,
    when: str,
    categories: list[str],
    page: bool,
) -> tuple[str, str]:
    """The address the old site gave the file (with its base path), and the placeholder
    of its pattern this importer cannot fill ("" when it filled them all). A ``fixed``
    address (the front matter's ``permalink``, or Hugo's ``url``) is the address."""
    if is_web_url(fixed):
        return urlsplit(fixed).path or "/", ""
    moment = datetime.fromisoformat(when) if when else None
    if file.generator == "jekyll" and (fixed or site.generator == "jekyll"):
        if fixed:
            template = fixed
        elif page and file.path.stem == "index":
            template = "/:path/"
        else:
            template = f"/:path/:basename{site.page_ending}" if page else site.permalink
        values = _jekyll_values(file, written_slug, moment, categories)
        url, unknown = _fill(template, values)
    elif file.generator == "hugo" and fixed:
        url, unknown = fixed, ""
    elif file.generator == "hugo" and site.generator == "hugo":
        url, unknown = _hugo_url(file, site, written_slug, title, moment)
    else:
        return "", ""
    return ("", unknown) if unknown else (site.base_path + "/" + url.lstrip("/"), "")


def _fill(template: str, values: Mapping[str, str]) -> tuple[str, str]:
    """A permalink pattern with its ``:placeholders`` filled, and the first one that
    could not be ("" if none)."""
    unknown: list[str] = []

    def one(found: re.Match[str]) -> str:
        name = found.group(1)
        for key in (name, name.rstrip("_")):  # Jekyll reads ":title_" as ":title" and "_"
            if key in values:
                return values[key] + name[len(key) :]
        unknown.append(found.group())
        return found.group()

    return re.sub("/{2,}", "/", _PLACEHOLDER.sub(one, template)), (unknown or [""])[0]


def _date_values(moment: datetime | None) -> dict[str, str]:
    """The date placeholders Jekyll and Hugo share, in English as both write them."""
    if moment is None:
        return {}
    iso = moment.isocalendar()
    month, day = _MONTHS[moment.month - 1], _DAYS[moment.weekday()]
    return {
        "year": f"{moment.year:04d}", "month": f"{moment.month:02d}", "i_month": str(moment.month),
        "day": f"{moment.day:02d}", "i_day": str(moment.day),
        "short_year": f"{moment.year % 100:02d}", "hour": f"{moment.hour:02d}",
        "minute": f"{moment.minute:02d}", "second": f"{moment.second:02d}",
        "y_day": f"{moment.timetuple().tm_yday:03d}",
        "short_month": month[:3], "long_month": month, "monthname": month,
        "short_day": day[:3], "long_day": day, "weekdayname": day,
        "weekday": str(iso.weekday % 7), "yearday": str(moment.timetuple().tm_yday),
        "week": f"{iso.week:02d}", "w_year": str(iso.year), "w_day": str(iso.weekday),
    }  # fmt: skip


def _jekyll_values(
    file: File, written_slug: str, moment: datetime | None, categories: list[str]
) -> dict[str, str]:
    """Jekyll's URL placeholders for a document (its ``UrlDrop``)."""
    slug = written_slug or file.name_slug
    folders = dict.fromkeys(c.lower() for c in (*file.categories, *categories))
    return {
        **_date_values(moment),
        "title": _jekyll_slug(slug, pretty=True),
        "slug": _jekyll_slug(slug).lower(),
        "name": _jekyll_slug(file.path.stem).lower(),
        "basename": file.path.stem,
        "path": file.rel.parent.as_posix().strip("."),
        "categories": "/".join(folders),
        "slugified_categories": "/".join(_jekyll_slug(c).lower() for c in folders),
        "collection": "posts",
        "output_ext": ".html",
    }


def _jekyll_slug(text: str, *, pretty: bool = False) -> str:
    """Jekyll's ``Utils.slugify``, case kept: a run of characters other than letters and
    digits (and, ``pretty``, ``._~!$&'()+,;=@``) becomes one hyphen."""
    other = r"(?:[^\w._~!$&'()+,;=@]|_)+" if pretty else r"(?:\W|_)+"
    return re.sub(other, "-", text).strip("-")


def _hugo_url(
    file: File, site: Site, written_slug: str, title: str, moment: datetime | None
) -> tuple[str, str]:
    """Hugo's address for a content file: its section's pattern from ``[permalinks]``,
    else ``/section/slug-or-file-name/``; lowercased unless ``disablePathToLower``."""
    inner = PurePosixPath(file.path.relative_to(site.content))
    folders = inner.parts[: -2 if file.bundle is not None else -1]
    name = written_slug or file.name_slug
    pattern = site.sections.get("/".join(folders)) or site.sections.get(
        folders[0] if folders else ""
    )
    if pattern is None:
        url, unknown = "/" + "/".join((*folders, name)) + (".html" if site.ugly else "/"), ""
    else:
        values = {
            **_date_values(moment),
            "section": folders[0] if folders else "",
            "sections": "/".join(folders),
            "title": _hugo_sanitize(title),
            "slug": _hugo_sanitize(written_slug or title),  # Hugo falls back on the title
            "filename": file.name_slug,
            "contentbasename": file.name_slug,
            "slugorfilename": name,
            "slugorcontentbasename": name,
        }
        url, unknown = _fill(pattern, values)
    url = _hugo_sanitize(url)
    return (url.lower() if site.lower else url), unknown


def _hugo_sanitize(text: str) -> str:
    """Hugo's ``UnicodeSanitize``: letters, digits, marks and ``./\\_#+~-@`` stay, a run
    of spaces becomes one hyphen, anything else goes."""
    out: list[str] = []
    pending = was_hyphen = False
    for i, char in enumerate(text):
        escape = char == "%" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 1 : i + 3]) is not None
        if char.isalnum() or char in "./\\_#+~-@" or unicodedata.category(char)[0] == "M" or escape:
            was_hyphen = char == "-"
            if pending and not was_hyphen:
                out.append("-")
            pending = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            pending = True
    return "".join(out)
