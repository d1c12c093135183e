"""An executable for a Python operator, bound to the interpreter mom runs under.

A golden test's ``binaryName``, the Go harness and the manager's ``command:`` all run an
operator as an executable. A shell launcher (``exec python op.py``) picks whichever ``python``
comes first on PATH, which outside an activated virtual environment is not the one mom is
installed in. :func:`render_launcher` writes the launcher the way pip writes console scripts:
the interpreter's absolute path in the ``#!`` line (or, when that path cannot be a ``#!`` line,
a ``/bin/sh`` line that execs it), then the import of the operator and its command line.
"""

from __future__ import annotations

import re
from pathlib import Path

from mom.api.errors import InvalidInput

# Linux reads at most this many bytes of a "#!" line (BINPRM_BUF_SIZE, older kernels), and the
# line cannot quote a path with spaces.
_SHEBANG_LIMIT = 127
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def parse_reference(reference: str) -> tuple[str, str]:
    """``package.module:ATTRIBUTE`` → (module, attribute), or one clear error."""
    module, separator, attribute = reference.partition(":")
    parts = module.split(".")
    if not separator or not all(_IDENTIFIER.match(p) for p in [*parts, attribute]):
        raise InvalidInput(reference, ["expected MODULE:ATTRIBUTE, e.g. branding_operator:OPERATOR"])
    return module, attribute


def _interpreter_line(python: Path) -> str:
    text = str(python)
    if len(text) + 2 <= _SHEBANG_LIMIT and not re.search(r"\s", text):
        return f"#!{text}\n"
    # A line both sh and Python read: sh execs the interpreter, Python sees a string.
    quoted = "'" + text.replace("'", "'\"'\"'") + "'"
    return f"#!/bin/sh\n'''exec' {quoted} \"$0\" \"$@\"\n' '''\n"


def render_launcher(reference: str, python: Path, search_path: Path) -> str:
    """The launcher's text: run ``reference``'s operator contract with ``python``.

    ``search_path`` is put first on ``sys.path`` so the operator's module is found wherever the
    launcher is started from.
    """
    module, attribute = parse_reference(reference)
    return (
        _interpreter_line(python)
        + f'"""Operator launcher for {reference}, written by `mom launcher`."""\n'
        + "import sys\n\n"
        + f"sys.path.insert(0, {str(search_path)!r})\n"
        + "from mom.operator.command import run_command  # noqa: E402\n"
        + f"from {module} import {attribute} as OPERATOR  # noqa: E402\n\n"
        + "raise SystemExit(run_command(OPERATOR))\n"
    )
