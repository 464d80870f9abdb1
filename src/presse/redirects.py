"""Old addresses kept alive: every ``aliases`` entry of an article or page. Pure.

Each alias is answered twice, because a static site cannot know its host:

* a small HTML page at the old address: an immediate ``<meta http-equiv="refresh">``,
  ``rel=canonical`` to the new address (search engines move their ranking to it) and
  ``noindex``. Any host serves it;
* a line of ``_redirects``, the file Netlify, Cloudflare Pages and others read to
  answer with a real ``301``, before any page is sent.

``/?p=42`` (WordPress's short links, which other sites and old shares carry) is a
query string on the front page: no file can stand at that address, so only the
``_redirects`` line answers it, in Netlify's syntax (``/ p=42 /new/ 301``); hosts
that do not read query parameters leave that line unused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from presse.enrich import alias_key
from presse.model import Article


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old address and the page it moved to."""

    source: str  # the alias, a site path as written ("/2019/03/05/x/", "/?p=42")
    target: str  # the site path of the page it leads to
    title: str  # that page's title, for the redirect page's link
    origin: str  # the file that asks for it, for messages

    @property
    def page_path(self) -> str | None:
        """The output file of its HTML page (``2019/03/x/index.html``), or None when the
        alias carries a query string: no file stands at such an address."""
        if "?" in self.source:
            return None
        key = alias_key(self.source)
        return key[1:] + "index.html" if key.endswith("/") else key[1:]


def redirects_of(pages: Iterable[Article]) -> tuple[Redirect, ...]:
    """Every alias of ``pages`` (published articles and pages), sorted by old address."""
    found = [
        Redirect(alias, page.url, page.title, str(page.source))
        for page in pages
        for alias in page.aliases
    ]
    return tuple(sorted(found, key=lambda r: r.source))


def redirects_lines(redirects: Iterable[Redirect], base_path: str) -> list[str]:
    """The lines of ``_redirects``: ``old new 301``, both under the site's base path;
    an alias with a query string in Netlify's form (``/ p=42 /new/ 301``)."""
    lines = []
    prefix = base_path.rstrip("/")
    for redirect in redirects:
        target = prefix + redirect.target
        path, _, query = redirect.source.partition("?")
        source = prefix + path  # aliases hold no space (presse.parse.alias_problem)
        if query:
            lines.append(f"{source} {query.replace('&', ' ')} {target} 301")
        else:
            lines.append(f"{source} {target} 301")
    return lines
