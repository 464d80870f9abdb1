"""Per-article stage: one source file in, one validated :class:`Article` out. Pure: no I/O.

The frontmatter is split with python-frontmatter's YAML handler and read with a
safe YAML loader that keeps line numbers, so every error can point at the
line to fix. YAML timestamps are *not* resolved by the loader: dates are parsed
here, so ``32/13/2025`` and ``2025-02-30`` get the same clear message.

Hostile frontmatter is refused before it is built: the loader is libyaml's safe one
(``!!python/...`` tags have no constructor), aliases (``*name``) are refused so that a
"billion laughs" cannot expand, nesting is capped (libyaml recurses in C and would
crash), and text may not hold control characters written as YAML escapes (``"\\x01"``:
they make the feeds invalid XML). ``image`` must be a path of the site or an http(s)
URL: ``javascript:`` and ``data:`` images are refused.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import cache, partial
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import babel
import frontmatter.default_handlers
import yaml
from markdown_it import MarkdownIt

from presse import urls
from presse.config import SiteConfig
from presse.digest import source_fingerprint
from presse.embeds import Provider
from presse.errors import PresseError
from presse.i18n import load_translations
from presse.links import has_scheme
from presse.markdown import create_markdown, render_body, render_chapo, render_inline
from presse.model import (
    PAGES_FOLDER,
    UNDATED,
    Article,
    Body,
    Card,
    Correction,
    Frame,
    Held,
    Particulars,
    SourceFile,
    around,
    last_change,
)
from presse.photos import (
    PhotoError,
    alternative_text,
    is_photo_file,
    parse_focus,
    resolve_reference,
)
from presse.slugs import MAX_SLUG_LENGTH, is_safe_link, is_valid_slug, slugify
from presse.sources import CONTROL_CHARACTER
from presse.typography import typographize

FRONTMATTER_KEYS = (
    "title", "date", "updated", "authors", "section", "tags", "summary", "slug",
    "related", "image", "image_alt", "image_credit", "image_caption", "image_focus", "draft",
    "expires",
    "corrections", "id",
    "lang", "extra", "aliases",
)  # fmt: skip

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontmatterLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that leaves timestamps as strings (presse parses dates itself)."""


_FrontmatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_YAML_HANDLER = frontmatter.default_handlers.YAMLHandler()

MIN_YEAR, MAX_YEAR = 1000, 9998
"""Dates outside these years are typos, and near year 1 or 9999 a change of time zone
overflows ``datetime``."""

MAX_NESTING = 32
"""Deepest frontmatter nesting accepted: real articles use 3 (corrections), libyaml
recurses in C per level and crashes the interpreter around 100 000."""


# Keys of Jekyll, Hugo, Eleventy, Pelican and WordPress exports, and what presse does instead.
_OTHER_GENERATORS = {
    **dict.fromkeys(("description", "excerpt", "abstract", "lead", "chapo"),
                    'write it as "summary": the chapô'),
    **dict.fromkeys(("categories", "category"),
                    'an article has one "section" and any number of "tags"'),
    **dict.fromkeys(("author", "byline"), 'write "authors", a list or one name'),
    **dict.fromkeys(("lastmod", "modified", "last_modified_at", "updated_at", "last_modified"),
                    'write it as "updated"'),
    **dict.fromkeys(("publishdate", "pubdate", "published_at", "publish_date"),
                    'write it as "date"'),
    **dict.fromkeys(("expirydate", "expiry_date", "expiration"), 'write it as "expires"'),
    **dict.fromkeys(("layout", "template", "type"),
                    "presse chooses the template itself: remove it"),
    **dict.fromkeys(("permalink", "url"),
                    'an address comes from the site\'s "permalink" option and the article\'s'
                    ' "slug": set "slug", and list the old address under "aliases"'),
    "published": 'write "draft: true" for an article not to publish, and remove it',
    **dict.fromkeys(("images", "featured_image", "cover", "thumbnail", "hero"),
                    'write "image" (one photo, with "image_alt")'),
    "language": 'write it as "lang"',
}  # fmt: skip


def unknown_key_message(key: object) -> str:
    """The error for a key presse does not know, with the likely intended one, or what
    presse does instead of another generator's key."""
    other = _OTHER_GENERATORS.get(str(key).lower())
    if other is not None:
        return f'unknown frontmatter key "{key}" (another generator\'s key: {other})'
    # 0.75: "tilte" → title (0.8), "draf" → draft (0.89); not "twitter" → title (0.67).
    close = difflib.get_close_matches(str(key), FRONTMATTER_KEYS, n=1, cutoff=0.75)
    hint = f' (did you mean "{close[0]}"?)' if close else ' (custom data goes under "extra")'
    return f'unknown frontmatter key "{key}"{hint}'


def parse_article(source: SourceFile, config: SiteConfig, md: MarkdownIt) -> Article:
    """Validate the frontmatter and render the body of one article."""
    meta, lines, body = split_frontmatter(source)
    return article_from(source, meta, lines, body, config, md)


def article_from(
    source: SourceFile,
    meta: Mapping[str, Any],
    lines: Mapping[str, int],
    body: str,
    config: SiteConfig,
    md: MarkdownIt,
) -> Article:
    """The article made of a split source (see :func:`split_frontmatter`): the frontmatter
    validated, the body rendered. ``presse check`` calls it with the unknown keys left
    out, to check everything else."""
    path = source.path

    def err(message: str, key: object = "") -> PresseError:
        key = str(key)  # YAML keys may be numbers, booleans or null
        line = lines.get(key) or lines.get(key.split("[")[0]) or lines[""]
        return PresseError(message, path, line)

    unknown = [k for k in meta if k not in FRONTMATTER_KEYS]
    if unknown:
        raise err(unknown_key_message(unknown[0]), unknown[0])

    lang = article_language(_text(meta, "lang", err), config, err)
    typo, site = typography_language(lang, config), config.locale
    title = _text(meta, "title", err, required=True)
    page = is_page_source(path, config)
    published = _date(meta, "date", config, err, required=not page) or UNDATED
    assert title is not None
    updated = _date(meta, "updated", config, err)
    if updated is not None and updated < published:
        raise err("updated is earlier than date", "updated")

    slug = _text(meta, "slug", err)
    if slug is None:
        # A page keeps the address of its file: a legal notice retitled stays where
        # every footer links to it.
        slug = slugify(_page_name(path)) if page else slugify(title)
        if not slug:
            raise err(f'cannot make a slug from title "{title}": add a "slug" field', "title")
    elif not is_valid_slug(slug):
        if "/" in slug or "\\" in slug or slug.startswith("."):
            raise err(f'slug "{slug}" would escape the output folder', "slug")
        if len(slug) > MAX_SLUG_LENGTH:
            raise err(f"slug is longer than {MAX_SLUG_LENGTH} characters ({len(slug)})", "slug")
        raise err(
            f'slug "{slug}" is not valid: use lowercase letters, digits and hyphens'
            f' (e.g. "{slugify(slug) or "mon-article"}")',
            "slug",
        )

    section = _text(meta, "section", err)
    if section and not slugify(section):
        raise err(_no_page_message("section", section), "section")
    url = f"/{slug}/" if page else urls.article(config, published, slug, section)
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        raise err(f"draft must be true or false, not {draft!r}", "draft")
    expires = _date(meta, "expires", config, err)
    if expires is not None and expires <= published:
        raise err("expires is not after date", "expires")
    corrections = _corrections(meta, config, md, err, typo)
    if corrections and corrections[0].date < published:
        raise err("a correction is dated before the article", "corrections")
    image, image_file, image_alt = _lead_image(meta, url, path, err)
    summary_html, summary = render_chapo(md, _text(meta, "summary", err) or "", typo)
    if meta.get("extra") is not None and not isinstance(meta["extra"], dict):
        raise err('"extra" must be a mapping of custom fields', "extra")

    url_head, url_tail = around(url, slug)
    source_head, source_tail = around(str(path), slug)
    return Article(
        slug=slug,
        frame=Frame(url_head, url_tail, source_head, source_tail, lang),
        date=published,
        updated=updated,
        # Names shared by the whole site take the site's typography, whatever the article's.
        authors=tuple(typographize(a, site) for a in _text_list(meta, "authors", err, pages=True)),
        section=typographize(section, site) if section else None,
        tags=tuple(typographize(t, site) for t in _text_list(meta, "tags", err, pages=True)),
        related=_text_list(meta, "related", err),
        image=image,
        rare=Particulars(
            image_credit=typographize(_text(meta, "image_credit", err) or "", typo) or None,
            image_file=image_file,
            image_focus=_focus(meta, image, err),
            draft=draft,
            expires=expires,
            feed_key=_text(meta, "id", err) or "",
            page=page,
            aliases=_aliases(meta, url, err),
        ),
        modified=last_change(published, updated, corrections),
        digest=bytes.fromhex(source_fingerprint(source, config)),
        text=Held(
            body=_with_photos(
                render_body(md, body, interface_gettext(lang, config), typo, excerpt=not summary),
                source,
                body,
                url,
            ),
            card=Card(
                title=typographize(title, typo),
                summary=summary,
                summary_html=summary_html,
                image_alt=typographize(image_alt, typo) if image_alt else image_alt,
                image_caption=typographize(_text(meta, "image_caption", err) or "", typo) or None,
                corrections=corrections,
                lines=Article.pack_lines(lines),
            ),
        ),
    )


def is_page_source(path: Path, config: SiteConfig) -> bool:
    """A file of ``content/pages/``: a page of the site (legal notice, about, contact),
    with its own address and no date, never listed with the news."""
    pure = PurePosixPath(path.as_posix())
    content = PurePosixPath(config.content_dir)
    inner = pure.relative_to(content) if pure.is_relative_to(content) else pure
    return len(inner.parts) > 1 and inner.parts[0] == PAGES_FOLDER


def _page_name(path: Path) -> str:
    """What a page's address is made of: its file's name, or its folder's for a bundle."""
    return path.parent.name if path.name == "index.md" else path.stem


def _aliases(meta: Mapping[str, Any], url: str, err: Any) -> tuple[str, ...]:
    """The article's old addresses (a migrated site's permalinks, a changed slug): paths
    of this site, each answered by a redirect to ``url``. ``/?p=42`` (WordPress's short
    links) is kept too: only a host's redirects file can answer a query string."""
    found: list[str] = []
    for i, alias in enumerate(_text_list(meta, "aliases", err)):
        where = f"aliases[{i}]"
        problem = alias_problem(alias)
        if problem:
            raise err(f'alias "{alias}" {problem}', where)
        if alias == url or alias.rstrip("/") == url.rstrip("/"):
            raise err(f'alias "{alias}" is the address of this very page', where)
        if alias not in found:
            found.append(alias)
    return tuple(found)


def alias_problem(alias: str) -> str:
    """What is wrong with an alias, or "": a path of this site, without ``..``, spaces,
    a fragment or a scheme, which a redirect page can be written at."""
    if has_scheme(alias) or alias.startswith("//"):
        return 'must be a path of this site (write "/old/address/", not a full URL)'
    if not alias.startswith("/"):
        return 'must start with "/"'
    path, _, query = alias.partition("?")
    decoded = unquote(path)
    if "#" in alias or not alias.isprintable() or any(c.isspace() for c in alias):
        return "must not contain spaces, control characters or a fragment (#)"
    if "\\" in decoded or any(s in (".", "..") for s in decoded.split("/")):
        return "would escape the output folder"
    if query and path != "/":
        return 'may carry a query string only on "/" (as WordPress\'s "/?p=42")'
    return ""


def _lead_image(
    meta: Mapping[str, Any], url: str, path: Path, err: Any
) -> tuple[str | None, str, str | None]:
    """The lead image's reference, its file when it sits beside the article, and its
    alternative text ("" when marked decorative): a photo must be described."""
    image = _text(meta, "image", err)
    image_alt = _text(meta, "image_alt", err)
    if image is None:
        return None, "", image_alt
    image_file = ""
    relative = not image.startswith("/") and not has_scheme(image)
    if relative and is_photo_file(image):
        try:
            image, image_file = resolve_reference(image, url, path.as_posix())
        except PhotoError as exc:
            raise err(str(exc), "image") from None
    elif not is_safe_link(image):
        raise err(
            f'image "{image}" must be a path from static/ ("/images/photo.jpg"), a photo'
            " beside the article (JPEG, PNG, WebP, AVIF, TIFF), or an http(s) URL",
            "image",
        )
    if image.startswith("/") and is_photo_file(image):
        described = alternative_text(image_alt)
        if described is None:
            raise err(
                f'image "{image}" has no alternative text: add "image_alt" saying what the'
                ' photo shows, or "image_alt: décorative" if it only decorates',
                "image_alt" if "image_alt" in meta else "image",
            )
        image_alt = described
    return image, image_file, image_alt


def _focus(meta: Mapping[str, Any], image: str | None, err: Any) -> tuple[float, float] | None:
    """``image_focus``: the point of the lead photo every crop keeps (see
    :func:`presse.photos.parse_focus`)."""
    text = _text(meta, "image_focus", err)
    if text is None:
        return None
    if image is None:
        raise err('image_focus is set but there is no "image" to crop', "image_focus")
    try:
        return parse_focus(text)
    except PhotoError as exc:
        raise err(str(exc), "image_focus") from None


def _with_photos(body: Body, source: SourceFile, written: str, url: str) -> Body:
    """The body's photos resolved (see :func:`presse.photos.resolve_reference`), each at
    its line in the source file, and described: a photo without alternative text (and
    not marked decorative) is an error."""
    if not body.photos:
        return body
    path = source.path
    first = body_first_line(source.text, written)
    photos = []
    for photo in body.photos:
        line = first + photo.line - 1
        try:
            reference, file = resolve_reference(photo.reference, url, path.as_posix())
        except PhotoError as exc:
            raise PresseError(str(exc), path, line) from None
        alt = alternative_text(photo.alt)
        if alt is None:
            raise PresseError(
                f'photo "{photo.reference}" has no alternative text: say what it shows'
                f" (![Ce que montre la photo]({photo.reference})), or write"
                f" ![décorative]({photo.reference}) if it only decorates",
                path,
                line,
            )
        photos.append(replace(photo, reference=reference, file=file, alt=alt, line=line))
    return replace(body, photos=tuple(photos))


def _corrections(
    meta: Mapping[str, Any], config: SiteConfig, md: MarkdownIt, err: Any, language: str
) -> tuple[Correction, ...]:
    """``corrections:`` as a list of ``{date, text}``, sorted oldest first."""
    value = meta.get("corrections")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise err('"corrections" must be a list of {date, text} entries', "corrections")
    result: list[Correction] = []
    for i, item in enumerate(value):
        key = f"corrections[{i}]"
        if not isinstance(item, dict) or set(item) != {"date", "text"}:
            raise err(f"correction {i + 1} must have exactly a date and a text", key)
        item_err = partial(_prefixed, err, f"correction {i + 1}: ", key)
        date = _date(item, "date", config, item_err)
        text = _text(item, "text", item_err, required=True)
        assert date is not None and text is not None
        result.append(Correction(date=date, html=render_inline(md, text, language)))
    return tuple(sorted(result, key=lambda c: c.date))


def parse_many(sources: Sequence[SourceFile], config: SiteConfig) -> list[Article | PresseError]:
    """Parse a chunk of sources (in a worker process, possibly): errors are returned, not
    raised, so one broken file does not hide the others."""
    md = shared_markdown(config.allow_html, config.embeds)
    results: list[Article | PresseError] = []
    for source in sources:
        try:
            results.append(parse_article(source, config, md))
        except PresseError as exc:
            results.append(exc)
    return results


@cache
def shared_markdown(allow_html: str, providers: tuple[Provider, ...]) -> MarkdownIt:
    """One parser per process and setting: building it costs more than a short article."""
    return create_markdown(html=allow_html, providers=providers)


def article_language(value: str | None, config: SiteConfig, err: Any) -> str:
    """The BCP 47 tag of an article's language: its ``lang`` key (``en``, ``en-GB``,
    ``fr-CA``; ``_`` accepted for ``-``), or the site's."""
    if value is None:
        return sys.intern(config.language)
    try:
        locale = babel.Locale.parse(value.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        raise err(
            f'lang "{value}" is not a language tag (e.g. "en", "en-GB", "fr-CA")', "lang"
        ) from None
    tag = locale.language + (f"-{locale.territory}" if locale.territory else "")
    return sys.intern(tag)


def typography_language(lang: str, config: SiteConfig) -> str:
    """Whose typography an article follows: its own language, but the site's variant of
    French (``locale = "fr_CA"``) when it is French without saying where."""
    if lang == config.language:
        return config.locale
    return lang


def interface_gettext(lang: str, config: SiteConfig) -> Callable[[str], str]:
    """The words presse writes into a body (an embed's « Lire la vidéo ») in its language."""
    locale = config.locale if lang.split("-")[0] == config.language else lang.replace("-", "_")
    return load_translations(locale).gettext


def _prefixed(err: Any, prefix: str, key: str, message: str, _key: str = "") -> PresseError:
    """An error about a nested entry, reported at the line of the entry."""
    return err(prefix + message, key)  # type: ignore[no-any-return]


def split_frontmatter(source: SourceFile) -> tuple[dict[str, Any], Mapping[str, int], str]:
    """Return the frontmatter mapping, the line of each key (and list item), and the body."""
    text = source.text
    if not text.strip():
        raise PresseError(
            'is empty: an article starts with a "---" line, then YAML, then "---"',
            source.path,
            1,
        )
    if not _YAML_HANDLER.detect(text):
        raise PresseError(
            'no frontmatter: an article starts with a "---" line, then YAML, then "---"',
            source.path,
            1,
        )
    try:
        fm, body = _YAML_HANDLER.split(text)
    except ValueError:
        raise PresseError('frontmatter is not closed by a "---" line', source.path, 1) from None
    offset = text.count("\n", 0, text.find(fm, text.find("---") + 3)) + 1
    _refuse_expansion(fm, source.path, offset)
    node = _compose(fm, source.path, offset)
    if node is None:
        return {}, {"": 1}, body
    if not isinstance(node, yaml.MappingNode):
        raise PresseError(
            "frontmatter must be a mapping of keys to values",
            source.path,
            node.start_mark.line + offset,
        )
    lines: dict[str, int] = {"": 1}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + offset
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}[{i}]"] = item.start_mark.line + offset
    loader = _FrontmatterLoader("")
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source.path, offset) from None
    finally:
        loader.dispose()
    if "\\" in fm:  # control characters can only come from escapes such as "\x01"
        _refuse_control_characters(data, lines, source.path)
    return data, lines, body


def body_first_line(text: str, body: str) -> int:
    """The file line (1-based) of the body's first line, ``body`` being the text's tail.

    A markdown-it token's ``map[0]`` is 0-based in the body: its file line is
    ``body_first_line(text, body) + token.map[0]``.
    """
    return text.count("\n", 0, len(text) - len(body)) + 1


def _refuse_expansion(fm: str, path: Path, offset: int) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is built.

    An alias makes one node appear in several places: nine levels of nine aliases
    ("billion laughs") expand to 9⁹ strings for whoever walks the result. Frontmatter
    has no use for them, so none is accepted. Syntax errors are left to the composer.
    """
    if "*" not in fm and sum(fm.count(c) for c in "[{-?:") <= MAX_NESTING:
        return  # no alias, and too few indicators to nest that deep: skip the scan

    def too_deep(mark: Any) -> PresseError:  # a Mark of PyYAML or of libyaml, or None
        message = f"frontmatter is nested more than {MAX_NESTING} levels deep"
        return PresseError(message, path, _mark_line(mark, offset))

    depth = 0
    loader = _FrontmatterLoader(fm)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent):
                raise PresseError(
                    f"YAML alias *{event.anchor} is not allowed in frontmatter:"
                    " write the value out",
                    path,
                    _mark_line(event.start_mark, offset),
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise too_deep(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # newer PyYAML caps flow nesting by itself
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            raise too_deep(mark) from None
        return  # other syntax errors are reported with their line by the composer
    finally:
        loader.dispose()


def _mark_line(mark: Any, offset: int) -> int:
    """The site-file line of a YAML mark (a Mark of PyYAML or of libyaml, or None)."""
    return mark.line + offset if mark is not None else offset


def _refuse_control_characters(data: Any, lines: Mapping[str, int], path: Path) -> None:
    """Text with control characters (from escapes) would be invalid XML in the feeds."""
    for key, value in data.items():
        for text in (key, *_strings(value)):
            found = CONTROL_CHARACTER.search(text) if isinstance(text, str) else None
            if found is not None:
                raise PresseError(
                    f'"{key}" contains the control character U+{ord(found.group()):04X}',
                    path,
                    lines.get(str(key), lines[""]),
                )


def _strings(value: Any) -> list[Any]:
    """Every string inside a constructed value (aliases are refused, so it is a tree)."""
    found: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return found


def _compose(fm: str, path: Path, offset: int) -> yaml.Node | None:
    loader = _FrontmatterLoader(fm)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, offset) from None
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError, path: Path, offset: int) -> PresseError:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if context and context_mark is not None and context_mark is not mark:
        problem += f" ({context} started on line {context_mark.line + offset})"
    elif context:
        problem += f" ({context})"
    return PresseError(
        f"invalid YAML in frontmatter: {problem}",
        path,
        mark.line + offset if mark is not None else offset,
    )


# --- field readers ----------------------------------------------------------------


def _text(meta: Mapping[str, Any], key: str, err: Any, *, required: bool = False) -> str | None:
    value = meta.get(key)
    if value is None:
        if required:
            raise err(f'missing required field "{key}"', key)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise err(f'"{key}" must be text, not {_kind(value)}', key)
    text = " ".join(str(value).split())
    if required and not text:
        raise err(f'"{key}" is empty', key)
    return text


def _text_list(
    meta: Mapping[str, Any], key: str, err: Any, *, pages: bool = False
) -> tuple[str, ...]:
    """The texts of a list field (or of one text), spaces normalised, duplicates dropped.
    With ``pages`` (tags, authors: each gets a page) each needs a letter or a digit."""
    value = meta.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise err(f'"{key}" must be a list of texts, not {_kind(value)}', key)
    result: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise err(
                f'"{key}" must be a list of texts; item {i + 1} is {_kind(item)}', f"{key}[{i}]"
            )
        text = " ".join(str(item).split())
        if pages and text and not slugify(text):
            raise err(_no_page_message(key.removesuffix("s"), text), f"{key}[{i}]")
        if text and text not in result:
            result.append(text)
    return tuple(result)


def _no_page_message(kind: str, name: str) -> str:
    return f'{kind} "{name}" has no letter or digit to make its page address from'


def _date(
    meta: Mapping[str, Any], key: str, config: SiteConfig, err: Any, *, required: bool = False
) -> datetime | None:
    value = meta.get(key)
    if value is None:
        if required:
            raise err(f'missing required field "{key}"', key)
        return None
    parsed = parse_date(str(value), config) if isinstance(value, str | int) else None
    if parsed is None:
        raise err(f'{key} "{value}" is not a date (expected YYYY-MM-DD or ISO 8601)', key)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise err(f'{key} "{value}" is out of range (years {MIN_YEAR} to {MAX_YEAR})', key)
    # In the site's zone, one tzinfo object for all: comparing dates with different
    # tzinfo objects asks each for its offset, and a build compares dates by the million.
    return parsed.astimezone(config.tzinfo)


def parse_date(text: str, config: SiteConfig) -> datetime | None:
    """An aware datetime from ``YYYY-MM-DD`` or ISO 8601; naive values take the site zone."""
    text = text.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=config.tzinfo)
    return value


def _kind(value: object) -> str:
    kinds = {dict: "a mapping", list: "a list", bool: "true/false"}
    return kinds.get(type(value), f"{type(value).__name__} {value!r}")
