"""The ``presse`` command. I/O edge: arguments in, messages and exit codes out.

Every user-facing failure is a PresseError printed as ``path:line: message``
on stderr with exit status 1; a traceback here is a presse bug.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from babel.numbers import format_decimal

from presse import __version__
from presse.build import BuildOptions, build
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.i18n import load_translations


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except PresseError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presse", description="A static site generator for French-language news."
    )
    parser.add_argument("--version", action="version", version=f"presse {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands")

    b = commands.add_parser("build", help="build the site into public/")
    b.add_argument("-s", "--site", type=Path, default=Path(), help="site folder (default: .)")
    b.add_argument("-o", "--output", type=Path, help="output folder (default: output_dir)")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft")
    b.add_argument("--future", action="store_true", help="include articles dated after now")
    b.add_argument("--expired", action="store_true", help="include articles past their expires")
    b.add_argument(
        "--now", type=_iso_datetime, help="build as if at this ISO 8601 time (embargo checks)"
    )
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    b.set_defaults(command="build", handler=_build)
    return parser


def _iso_datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not an ISO 8601 date-time') from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f'"{text}" needs a UTC offset, e.g. {text}+01:00')
    return value


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    report = build(
        BuildOptions(
            site_dir=args.site,
            output_dir=args.output,
            drafts=args.drafts,
            future=args.future,
            expired=args.expired,
            now=args.now,
        )
    )
    if not args.quiet:
        locale = SiteConfig().locale
        seconds = format_decimal(time.perf_counter() - started, "0.0", locale=locale)
        message = load_translations(locale).ngettext(
            "%(pages)s page written in %(seconds)s s",
            "%(pages)s pages written in %(seconds)s s",
            report.pages,
        )
        print(message % {"pages": format_decimal(report.pages, locale=locale), "seconds": seconds})
    return 0


if __name__ == "__main__":
    sys.exit(main())
