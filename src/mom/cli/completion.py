"""``mom completion bash|zsh``: a shell completion script generated from mom's own parser.

The script is written by shtab from the full command line (every command module loaded), so
it lists exactly the commands and options ``mom --help`` shows; file and directory options
complete paths.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mom.cli.helptext import walk

SHELLS = ("bash", "zsh")


def register(commands: Any) -> None:
    """Add ``mom completion``."""
    parser = commands.add_parser("completion", help="print a bash or zsh completion script")
    parser.add_argument("shell", choices=SHELLS, help="the shell the script is for")
    parser.set_defaults(handler=run_completion)


def _prepare(parser: argparse.ArgumentParser, directory: object, file: object) -> None:
    """Menus show each command's one-line help (shtab prefers the description, cut at its first
    line break); options taking a path complete directories (``DIR``, ``--*-dir``) or files."""
    for command in [parser, *walk(parser).values()]:
        if command is not parser:
            command.description = None
        for action in command._actions:
            if action.type is Path:
                wants_directory = action.metavar == "DIR" or action.dest.endswith("_dir")
                setattr(action, "complete", directory if wants_directory else file)  # noqa: B010  shtab reads it


def run_completion(args: argparse.Namespace) -> int:
    import shtab

    from mom.cli.main import build_parser

    parser = build_parser()
    _prepare(parser, shtab.DIRECTORY, shtab.FILE)
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return 0
