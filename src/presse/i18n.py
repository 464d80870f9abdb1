"""Interface strings and locale-aware formatting through Babel. Pure, except for
reading the packaged message catalogue.

Templates are written with English message ids (``_("Related reading")``);
the ``.po`` catalogue shipped in ``presse/locale`` translates them. It is
compiled in memory at start-up, so there is no ``.mo`` file to forget to
rebuild.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
DATE_STYLES = ("long", "datetime", "month", "time")


@cache
def load_translations(locale: str) -> NullTranslations:
    """The catalogue for ``locale`` (``fr_FR`` falls back to ``fr``), or identity."""
    parsed = Locale.parse(locale)
    root = resources.files("presse") / "locale"
    for name in (str(parsed), parsed.language):
        po = root / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=name, domain=DOMAIN)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            return Translations(buffer, domain=DOMAIN)
    return NullTranslations()


@lru_cache(maxsize=1 << 16)  # a listing shows the same dates again and again
def format_date_local(value: datetime, locale: str, tz: str, style: str = "long") -> str:
    """A reader-facing date in the site's zone and language.

    Styles: ``long`` (« 1er février 2025 »), ``datetime`` (« 1er février 2025 à 10 h 00 »),
    ``month`` (« février 2025 »), ``time`` (« 10 h 00 »). French writes the first day of a
    month as an ordinal and hours as « 10 h 00 », which CLDR patterns cannot express.
    A ``datetime`` at exactly midnight is shown as a ``long`` date: it was written
    without a time (``date: 2025-01-12``), and « à 0 h 00 » would be invented precision.
    """
    if style not in DATE_STYLES:
        raise ValueError(f"unknown date style {style!r} (use {', '.join(DATE_STYLES)})")
    local = value.astimezone(ZoneInfo(tz))
    if style == "datetime" and (local.hour, local.minute, local.second) == (0, 0, 0):
        style = "long"
    if style == "month":
        return format_datetime(local, "LLLL y", locale=locale)
    if Locale.parse(locale).language != "fr":
        if style == "time":
            return format_time(local, "short", locale=locale)
        day = format_date(local, "long", locale=locale)
        return day if style == "long" else f"{day} {format_time(local, 'short', locale=locale)}"
    month_year = format_datetime(local, "MMMM y", locale=locale)
    day = f"{'1er' if local.day == 1 else local.day}\u00a0{month_year}"
    hour = f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
    return {"long": day, "time": hour, "datetime": f"{day} à\u00a0{hour}"}[style]


def format_number(value: float, locale: str) -> str:
    """« 1 234 » in French: the group separator is a narrow no-break space."""
    return format_decimal(value, locale=locale)
