"""``mom launcher MODULE:ATTR --output FILE``: an executable for a Python operator.

The operator is imported first (so a wrong reference is one error line, not a broken file);
the launcher runs it with the interpreter running mom, whatever ``python`` is on PATH later.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, MomError
from mom.manager.operators import load_operator
from mom.mustgather.atomicfile import write_atomically
from mom.operator.launcher import parse_reference, render_launcher


def register(commands: Any) -> None:
    """Add ``mom launcher``."""
    parser = commands.add_parser("launcher", help="write an executable that runs a Python operator")
    parser.add_argument("reference", metavar="MODULE:ATTR", help="an importable mom.operator.Operator")
    parser.add_argument("--output", required=True, type=Path, metavar="FILE", help="the executable to write")
    parser.set_defaults(handler=run_launcher)


def _search_path(module: str) -> Path:
    """The ``sys.path`` entry the operator's top-level module was imported from."""
    top = importlib.import_module(module.split(".")[0])
    origin = getattr(top, "__file__", None)
    if origin is None:
        raise InvalidInput(module, ["is not a module loaded from a file"])
    path = Path(origin).resolve().parent
    return path.parent if hasattr(top, "__path__") else path


def run_launcher(args: argparse.Namespace) -> int:
    module, _ = parse_reference(args.reference)
    try:
        load_operator(args.reference)
    except MomError:
        raise
    except Exception as exc:  # the operator's own module failed while it was imported
        raise InvalidInput(
            args.reference, [f"cannot load the operator: {type(exc).__name__}: {exc}"]
        ) from exc
    output: Path = args.output
    if output.is_dir():
        raise InvalidInput(str(output), ["--output: is a directory"])
    if not output.parent.is_dir():
        raise InvalidInput(str(output), [f"--output: {output.parent} is not a directory"])
    text = render_launcher(args.reference, Path(sys.executable), _search_path(module))
    write_atomically(output, text.encode("utf-8"), sync=False, mode=0o755)
    print(f"wrote {output}: runs {args.reference} with {sys.executable}", file=sys.stderr)
    return 0
