"""The ``presse`` command. I/O edge: arguments in, messages and exit codes out.

Every user-facing failure is a PresseError printed as ``path:line: message``
on stderr with exit status 1; a traceback here is a presse bug.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from presse import __version__
from presse.arguments import iso_datetime, jobs, port
from presse.build import CACHE_DIR, BuildOptions, build
from presse.check import register as register_check
from presse.config import load_config
from presse.errors import PresseError
from presse.import_command import register as register_import
from presse.init import starter_files, write_new
from presse.new import create, new_article
from presse.progress import Progress, TerminalProgress
from presse.serve import DevServer, stop_on_signals
from presse.sources import check_site_folder
from presse.wording import counted


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
        "--now", type=iso_datetime, help="build as if at this ISO 8601 time (embargo checks)"
    )
    b.add_argument(
        "-j",
        "--jobs",
        type=jobs,
        help="worker processes (parsing, rendering, photos; default: all cores)",
    )
    b.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the work on a Dask cluster: its scheduler (tcp://host:8786), or 'local'"
        " for one of --jobs workers here (needs presse[dask])",
    )
    b.add_argument(
        "--cache-dir", type=Path, help="build cache folder (default: .presse-cache in the site)"
    )
    b.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    b.add_argument("-v", "--verbose", action="store_true", help="print the time of each stage")
    b.set_defaults(command="build", handler=_build)

    s = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    s.add_argument("-s", "--site", type=Path, default=Path(), help="site folder (default: .)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=port, default=8000, help="port (default: 8000; 0: any free)")
    s.set_defaults(command="serve", handler=_serve)

    n = commands.add_parser("new", help="create a draft article in content/<year>/")
    n.add_argument("title", help="the headline, in quotes")
    n.add_argument("-s", "--site", type=Path, default=Path(), help="site folder (default: .)")
    n.add_argument("--section", help="the article's section")
    n.add_argument("--tags", default="", help="comma-separated tags: a,b")
    n.set_defaults(command="new", handler=_new)

    i = commands.add_parser(
        "init", help="start a site: config, first article, pages, CI recipes (never overwrites)"
    )
    i.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path(),
        help="site folder (default: .; made if missing)",
    )
    i.set_defaults(command="init", handler=_init)

    register_check(commands)
    register_import(commands)
    return parser


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    options = BuildOptions(
        site_dir=args.site,
        output_dir=args.output,
        drafts=args.drafts,
        future=args.future,
        expired=args.expired,
        now=args.now,
        jobs=args.jobs,
        cache_dir=None if args.no_cache else (args.cache_dir or args.site / CACHE_DIR),
        progress=Progress() if args.quiet else TerminalProgress(verbose=args.verbose),
    )
    if args.dask:
        check_site_folder(args.site)
        # Imported here: without --dask, Dask is not even imported (an optional extra).
        from presse.cluster import connect

        # Absolute paths: the workers do not share this process's working folder.
        absolute = replace(
            options,
            site_dir=options.site_dir.resolve(),
            output_dir=options.output_dir.resolve() if options.output_dir else None,
            cache_dir=options.cache_dir.resolve() if options.cache_dir else None,
        )
        config = load_config(absolute.site_dir)
        out_dir = absolute.output_dir or absolute.site_dir / config.output_dir
        folders = [("the output folder", out_dir.parent)]
        if absolute.cache_dir is not None:
            folders.append(("the cache folder", absolute.cache_dir))
        with connect(args.dask, args.site, args.jobs, folders) as cluster:
            for warning in cluster.warnings:
                print(warning, file=sys.stderr)
            report = build(replace(absolute, executor=cluster.executor, jobs=cluster.workers))
    else:
        report = build(options)
    if not args.quiet:
        print(build_summary(report.pages, report.written, time.perf_counter() - started))
        if args.verbose:
            print(
                f"{counted(report.parsed, 'article')} parsed, "
                f"{counted(report.reused, 'page')} reused, "
                f"{counted(report.written, 'file')} written",
                file=sys.stderr,
            )
    return 0


def build_summary(pages: int, written: int, seconds: float) -> str:
    """The line a build ends with: what the site holds, and what this build changed
    (often nothing: a build after a build writes no file)."""
    site = counted(pages, "page")
    if not written:
        return f"{site}, nothing changed ({seconds:.2f} s)"
    return f"{site}, {counted(written, 'file')} written in {seconds:.2f} s"


def _serve(args: argparse.Namespace) -> int:
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: serving on {args.host} exposes drafts and embargoed articles to the network",
            file=sys.stderr,
        )
    check_site_folder(args.site)
    stop_on_signals()  # before anything is created: a stop at any moment cleans up
    try:
        server = DevServer(args.site, args.host, args.port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PresseError(f"cannot listen on {args.host}:{args.port}: {reason}") from None
    try:
        server.serve_forever()
    except KeyboardInterrupt as exc:
        print(f"stopped ({exc})" if str(exc) else "stopped", file=sys.stderr)
    return 0


def _init(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    created, kept = write_new(folder, starter_files(datetime.now(UTC)))
    for name in created:
        print(f"created {folder / name}")
    for name in kept:
        print(f"kept {folder / name} (already there)")
    where = "" if folder == Path() else f"cd {folder} && "
    print(f"next: {where}presse build && presse serve", file=sys.stderr)
    return 0


def _new(args: argparse.Namespace) -> int:
    check_site_folder(args.site)
    config = load_config(args.site)
    tags = tuple(t.strip() for t in args.tags.split(",") if t.strip())
    article = new_article(args.title, datetime.now(UTC), config, args.section, tags)
    create(args.site, article)
    print(article.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
