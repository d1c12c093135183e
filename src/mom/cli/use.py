"""`mom use [DIR|ARCHIVE]`: remember a must-gather so later `mom get` and `mom serve` need no flag.

With a path, checks that it is a must-gather (loading it once, which also fills the cache) and
remembers its absolute path; without one, prints the remembered must-gather. ``$MOM_MUST_GATHER``
overrides what is remembered.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mom.cli.source import ENVIRONMENT, open_must_gather, used_file


def register(commands: Any) -> None:
    """Add ``mom use``."""
    parser = commands.add_parser(
        "use", help="remember a must-gather (directory or archive) for later commands"
    )
    parser.add_argument("path", type=Path, nargs="?", metavar="DIR|ARCHIVE", help="the must-gather to use")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the parsed-tree cache")
    parser.set_defaults(handler=run_use)


def run_use(args: argparse.Namespace) -> int:
    if args.path is None:
        remembered = used_file().read_text(encoding="utf-8").strip() if used_file().is_file() else ""
        print(remembered or f"no must-gather in use (run `mom use DIR|ARCHIVE` or set ${ENVIRONMENT})")
        return 0 if remembered else 1
    path = args.path.resolve()
    snapshot = open_must_gather(path, use_cache=not args.no_cache)
    target = used_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"{path}\n", encoding="utf-8")
    print(f"using {path} ({len(snapshot)} objects, {len(snapshot.namespaces())} namespaces)")
    return 0
