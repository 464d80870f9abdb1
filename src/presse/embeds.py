"""Embedded videos, charts, maps and social posts, behind a facade. Pure, except for
reading the packaged provider list once.

A newsroom embeds a YouTube video, a Datawrapper chart or a post from X. The
provider's own embed code loads its player, its scripts and its cookies as the
page opens, before the reader has asked for anything; a French site may not set
third-party cookies without consent. presse publishes a *facade* instead: a
figure with the provider's name, the embed's title, a note on what loading it
implies, and a link to the original. ``/js/embed.js`` swaps in the player (an
iframe at the provider's privacy-friendly address) when the reader clicks; without
JavaScript the link opens the provider's page. Social posts get a link card and
never the provider's script.

Providers are data (:file:`embeds.toml`, extended by the site's ``[embeds]``
tables): hosts, URL patterns whose named groups fill the player's address.
A URL of an unknown host is no embed, and stays a link.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from string import Formatter
from typing import Any
from urllib.parse import urlsplit

from presse.links import encode_url

KINDS = ("video", "audio", "chart", "map", "post")
_PROVIDER_KEYS = ("name", "kind", "hosts", "patterns", "player")


@dataclass(frozen=True, slots=True)
class Provider:
    """One embed provider. ``hosts`` is sorted: the config's ``repr`` is a cache key."""

    key: str
    name: str
    kind: str
    hosts: tuple[str, ...]
    patterns: tuple[str, ...]
    player: str | None  # None for a "post": a link card, no player

    def match(self, host: str, target: str) -> dict[str, str] | None:
        """The named groups of the first pattern matching ``target`` on one of our hosts."""
        if host not in self.hosts:
            return None
        for pattern in _compiled(self.patterns):
            found = pattern.match(target)
            if found is not None:
                return {name: value or "" for name, value in found.groupdict().items()}
        return None


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


@dataclass(frozen=True, slots=True)
class Embed:
    """A URL recognised as an embed: what its facade shows and what it loads on click."""

    provider: str  # the provider's name, as readers know it
    kind: str
    url: str  # the page to open without JavaScript (the URL the author wrote)
    player: str | None  # the iframe's address, loaded on the reader's click
    title: str  # the author's title for it ("" when none was given)
    poster: str = ""  # a picture of the site's own shown on the facade ("" when none)


def provider_from_table(key: str, table: Any) -> Provider:
    """A :class:`Provider` from a TOML table; ``ValueError`` says what is wrong."""
    if not isinstance(table, dict):
        raise ValueError(f"embeds.{key} must be a table")
    unknown = sorted(set(table) - set(_PROVIDER_KEYS))
    if unknown:
        known = ", ".join(_PROVIDER_KEYS)
        raise ValueError(f'embeds.{key}: unknown key "{unknown[0]}" (use {known})')
    name, kind, player = table.get("name", key), table.get("kind", "video"), table.get("player")
    hosts, patterns = table.get("hosts"), table.get("patterns")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"embeds.{key}.name must be a text")
    if kind not in KINDS:
        raise ValueError(f"embeds.{key}.kind must be one of {', '.join(KINDS)}, not {kind!r}")
    for field, value in (("hosts", hosts), ("patterns", patterns)):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ValueError(f"embeds.{key}.{field} must be a non-empty list of texts")
    assert isinstance(hosts, list) and isinstance(patterns, list)
    groups: set[str] = {"host"}
    for pattern in patterns:
        try:
            groups |= set(re.compile(pattern).groupindex)
        except re.error as exc:
            message = f"embeds.{key}.patterns: {pattern!r} is not a regular expression: {exc}"
            raise ValueError(message) from None
    if kind == "post":
        if player is not None:
            raise ValueError(f'embeds.{key}: a "post" has no player (it is shown as a link card)')
    else:
        if not isinstance(player, str) or not player.startswith("https://"):
            raise ValueError(f"embeds.{key}.player must be an https:// address")
        try:
            fields = {f for _, f, _, _ in Formatter().parse(player) if f is not None}
        except ValueError as exc:
            raise ValueError(f"embeds.{key}.player is malformed: {exc}") from None
        if not fields <= groups:
            missing = sorted(fields - groups)[0]
            raise ValueError(f'embeds.{key}.player uses "{{{missing}}}", which no pattern names')
    return Provider(
        key=key,
        name=name.strip(),
        kind=kind,
        hosts=tuple(sorted({h.strip().lower() for h in hosts})),
        patterns=tuple(patterns),
        player=player if kind != "post" else None,
    )


@cache
def builtin_providers() -> tuple[Provider, ...]:
    """The providers presse ships (:file:`embeds.toml`)."""
    data = tomllib.loads((resources.files("presse") / "embeds.toml").read_text("utf-8"))
    return tuple(provider_from_table(key, table) for key, table in data.items())


def merge_providers(site: Mapping[str, Any]) -> tuple[Provider, ...]:
    """presse's providers with the site's added, a site table replacing the one of its name."""
    own = {key: provider_from_table(key, table) for key, table in site.items()}
    merged = [own.pop(p.key, p) for p in builtin_providers()]
    return (*merged, *own.values())


def find_embed(url: str, providers: tuple[Provider, ...], title: str = "") -> Embed | None:
    """The embed ``url`` stands for, or None when no provider knows it."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for provider in providers:
        groups = provider.match(host, target)
        if groups is None:
            continue
        player = provider.player.format(host=host, **groups) if provider.player else None
        player = encode_url(player) if player else None
        return Embed(provider.name, provider.kind, encode_url(url), player, " ".join(title.split()))
    return None


def is_remote(src: str) -> bool:
    """Whether an image address would make the reader's browser contact another site."""
    return src.strip().lower().startswith(("http://", "https://", "//"))


def remote_image(src: str, alt: str, *, linked: bool = False) -> Embed:
    """An image hosted by another site: shown on the reader's click, like a player. In a
    link (``linked``) there is no room for a button: the facade is its description."""
    src = src.strip()
    address = encode_url(f"https:{src}" if src.startswith("//") else src)
    try:
        host = urlsplit(address).hostname or address
    except ValueError:
        host = address
    return Embed(host, "image", address, None if linked else address, " ".join(alt.split()))


# --- the facade --------------------------------------------------------------------

_ACTIONS = {
    "video": "Play the video",
    "audio": "Play the recording",
    "chart": "Show the chart",
    "map": "Show the map",
}
_DEFAULT_TITLES = {
    "video": "Video on %(provider)s",
    "audio": "Recording on %(provider)s",
    "chart": "Chart on %(provider)s",
    "map": "Map on %(provider)s",
    "post": "Post on %(provider)s",
}


def facade_html(embed: Embed, gettext: Callable[[str], str]) -> str:
    """The figure standing for ``embed`` until the reader asks for the player."""
    _ = gettext
    if embed.kind == "image":
        return _image_facade(embed, gettext)
    provider = escape(embed.provider)
    title = escape(embed.title) or _(_DEFAULT_TITLES[embed.kind]) % {"provider": provider}
    url = escape(embed.url)
    if embed.player is None:
        open_text = _("See the post on %(provider)s") % {"provider": provider}
        return (
            f'<figure class="embed embed--post">\n'
            f'<a class="embed__card" href="{url}">'
            f'<span class="embed__provider">{provider}</span> '
            f'<span class="embed__title">{title}</span> '
            f'<span class="embed__open">{open_text}</span></a>\n'
            f"</figure>\n"
        )
    notice = _("Loading it connects you to %(provider)s, which may set cookies.") % {
        "provider": provider
    }
    open_text = _("Open on %(provider)s") % {"provider": provider}
    poster = (
        f'<img class="embed__poster" src="{escape(embed.poster)}" alt="">' if embed.poster else ""
    )
    return (
        f'<figure class="embed embed--{embed.kind}" data-embed-src="{escape(embed.player)}"'
        f' data-embed-title="{title}">\n'
        f'<div class="embed__facade">{poster}'
        f'<span class="embed__provider">{provider}</span> '
        f'<span class="embed__title">{title}</span> '
        f'<button class="embed__play" type="button" hidden>{_(_ACTIONS[embed.kind])}</button>'
        f"</div>\n"
        f'<figcaption class="embed__caption">{notice} '
        f'<a class="embed__link" href="{url}">{open_text}</a></figcaption>\n'
        f"</figure>\n"
    )


def _image_facade(embed: Embed, gettext: Callable[[str], str]) -> str:
    """Inline (an image sits in a paragraph): its description, a button, a link."""
    _ = gettext
    url, alt = escape(embed.url), escape(embed.title)
    hosted = _("Image hosted by %(host)s") % {"host": escape(embed.provider)}
    if embed.player is None:  # in a link: the link stays, the image is described
        return f'<span class="remote-image remote-image--linked">{alt or hosted}</span>'

    described = f'<span class="remote-image__alt">{alt}</span> ' if alt else ""
    return (
        f'<span class="remote-image" data-remote-src="{url}" data-remote-alt="{alt}">'
        f"{described}"
        f'<button class="remote-image__show" type="button" hidden>{_("Show the image")}</button> '
        f'<a class="remote-image__link" href="{url}">{hosted}</a></span>'
    )
