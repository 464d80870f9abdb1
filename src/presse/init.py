"""``presse init``: a working site in one command.

:func:`starter_files` is pure (a time in, file paths and texts out); :func:`write_new`
writes them, and never over an existing file: ``presse init`` in a site that already
has its ``presse.toml`` only adds what is missing.

The ``presse.toml`` it writes lists every option, each with its documentation and its
default value, generated from :class:`presse.config.SiteConfig` itself, so it can never
drift from what presse reads.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from presse import __version__
from presse.config import CONFIG_FILE, LegalDetails, SiteConfig, UrlWords
from presse.errors import PresseError
from presse.model import PAGES_FOLDER

CACHE_FOLDER = ".presse-cache"

# The commands every recipe runs: the same as the README's "Start a site" section.
INSTALL = f'pip install "presse=={__version__}"'
BUILD = "presse build"
CHECK = "presse check"


def starter_files(now: datetime, config: SiteConfig | None = None) -> dict[str, str]:
    """Every file of a new site by its path (POSIX, from the site folder), in order."""
    config = config or SiteConfig()
    local = now.astimezone(config.tzinfo).replace(microsecond=0)
    content = config.content_dir
    return {
        CONFIG_FILE: config_text(config),
        f"{content}/{local.year:04d}/bienvenue.md": _first_article(local),
        f"{content}/{config.authors_file}": _AUTHORS,
        f"{content}/{PAGES_FOLDER}/{config.legal_notice}.md": _LEGAL_NOTICE,
        f"{content}/{PAGES_FOLDER}/a-propos.md": _ABOUT,
        f"{content}/{PAGES_FOLDER}/contact.md": _CONTACT,
        ".gitignore": f"/{config.output_dir}/\n/.{config.output_dir}.presse/\n/{CACHE_FOLDER}/\n",
        ".github/workflows/presse.yml": _GITHUB,
        ".gitlab-ci.yml": _GITLAB,
    }


def config_text(config: SiteConfig) -> str:
    """``presse.toml`` with every option, its documentation as a comment, and its value."""
    lines = [
        "# The configuration of this presse site. Every option is here with its default;",
        "# change what you need. The README documents each one.",
        "",
    ]
    tables: list[tuple[str, Any, list[Any]]] = []
    for option in fields(SiteConfig):
        value = getattr(config, option.name)
        if isinstance(value, UrlWords | LegalDetails):
            tables.append((option.name, value, list(fields(value))))
        elif option.name == "embeds":
            tables.append((option.name, None, []))
        else:
            lines += [*_comment(option.metadata["doc"]), f"{option.name} = {_toml(value)}", ""]
    for name, table, entries in tables:
        if name == "embeds":
            lines += [*_comment(_EMBEDS), ""]
            continue
        lines += [*_comment(_TABLES[name]), f"[{name}]"]
        for entry in entries:
            lines += [
                *_comment(entry.metadata["doc"]),
                f"{entry.name} = {_toml(getattr(table, entry.name))}",
            ]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


_TABLES = {
    "urls": "The words of listing URLs (French by default).",
    "legal": "The publisher's legal details, as French law requires a publication to give"
    " them (LCEN, art. 6-III): shown on the legal notice page and given to search engines"
    " as the publisher's structured data. Fill them in before publishing.",
}
_EMBEDS = (
    "Embed providers besides presse's own (YouTube, Vimeo, Dailymotion, PeerTube,"
    " Datawrapper, Flourish, uMap, social posts), one table each, for example:\n"
    '[embeds.ina]\nname = "INA"\nkind = "video"\nhosts = ["www.ina.fr"]\n'
    "patterns = ['^/ina-eclaire-actu/video/(?P<id>\\w+)']\n"
    'player = "https://player.ina.fr/player/embed/{id}"'
)


def _comment(text: str) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, 86) or [""]
    return [f"# {line}".rstrip() for line in lines]


def _toml(value: Any) -> str:
    """A TOML value: strings as JSON strings (valid TOML basic strings), lists of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def write_new(site_dir: Path, files: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Write each file that does not exist yet: (created, kept). The site folder itself
    is created if missing, but never its parent: a typo must not plant folders."""
    if site_dir.exists() and not site_dir.is_dir():
        raise PresseError(f'"{site_dir}" is a file, not a folder')
    if not site_dir.parent.is_dir():
        raise PresseError(f'cannot create "{site_dir}": its parent folder does not exist')
    site_dir.mkdir(exist_ok=True)
    created: list[str] = []
    kept: list[str] = []
    for name, text in files.items():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            kept.append(name)
            continue
        except OSError as exc:
            raise PresseError(f"cannot write: {exc.strerror}", name) from None
        created.append(name)
    return created, kept


def _first_article(local: datetime) -> str:
    return f"""---
title: Bienvenue sur votre site d’information
date: {local.isoformat()}
authors:
  - La rédaction
section: Vie du site
tags:
  - presse
summary: Ce premier article montre ce qu’un article peut contenir. Modifiez-le, ou supprimez-le.
---

Chaque article est un fichier Markdown du dossier `content/`, précédé de son en-tête
entre deux lignes `---` : titre, date, auteurs, rubrique, mots-clés, chapô.

## Un intertitre

Les guillemets, les espaces insécables et les apostrophes se mettent en place tout
seuls : écrivez "comme d'habitude", presse s'occupe de la typographie.

> « Une citation suivie d’une ligne d’attribution devient une vraie citation. »

– Une personne citée, sa fonction

- une liste à puces ;
- un deuxième élément.

Pour écrire un nouvel article : `presse new "Le titre de l’article"`.
"""


_AUTHORS = """# One table per author, keyed by the slug of the name used in articles' "authors".
# Every field but "name" is optional: role, bio, photo (a path under static/), url.

[la-redaction]
name = "La rédaction"
bio = "Les articles signés collectivement par la rédaction."
"""

_LEGAL_NOTICE = """---
title: Mentions légales
summary: Qui publie ce site, qui en dirige la publication et qui l’héberge.
---

Les informations de l’éditeur, du directeur de la publication et de l’hébergeur
s’affichent au-dessus de ce texte : elles viennent de la table `[legal]` du fichier
`presse.toml`, à remplir avant de publier.

## Données personnelles

Ce site ne dépose aucun cookie. Les vidéos et les contenus d’autres sites ne sont
chargés que si vous le demandez.
"""

_ABOUT = """---
title: À propos
summary: Qui nous sommes, ce que nous couvrons.
---

Présentez ici votre rédaction, sa ligne éditoriale et la façon de la joindre.
"""

_CONTACT = """---
title: Contact
summary: Écrire à la rédaction, signaler une erreur.
---

Indiquez ici l’adresse de la rédaction. Une erreur dans un article ? Chaque correction
est datée et publiée en tête de l’article concerné.
"""

# Built on every push to the default branch and every 15 minutes, so that an embargoed
# article goes live on time with nobody pushing. The cache is saved under a new key each
# run and restored from the latest one.
_GITHUB = f"""# Build and publish the site with presse on GitHub Pages.
name: presse

on:
  push:
    branches: [main]
  schedule:
    - cron: "*/15 * * * *"  # embargoed articles go live without a push
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Restore the build cache
        uses: actions/cache@v4
        with:
          path: {CACHE_FOLDER}
          key: presse-${{{{ github.run_id }}}}
          restore-keys: presse-
      - run: {INSTALL}
      - run: {BUILD}
      - run: {CHECK}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

_GITLAB = f"""# Build and publish the site with presse on GitLab Pages. Add a pipeline schedule
# (every 15 minutes) so that embargoed articles go live without a push.
pages:
  image: python:3.12-slim
  cache:
    key: presse
    paths:
      - {CACHE_FOLDER}/
  script:
    - {INSTALL}
    - {BUILD}
    - {CHECK}
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""
