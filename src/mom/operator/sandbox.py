"""What a subprocess operator may touch: its output directory, a private temporary directory,
and — only when its configuration says so — the network.

The confinement is Linux Landlock (:mod:`mom.operator.landlock`), applied by a small standard
library script that then executes the operator. :func:`probe_sandbox` runs that script once to
learn what this kernel can enforce; where it cannot, operators run unconfined and the caller
says so once.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mom.operator import landlock

_SCRIPT = Path(landlock.__file__)
_PROBE_TIMEOUT = 30.0


@dataclass(frozen=True)
class Sandbox:
    """How operators are confined on this machine."""

    available: bool
    notes: tuple[str, ...] = ()
    """Why there is no sandbox, or what it cannot restrict here."""

    def command(self, argv: Sequence[str], writable: Sequence[Path], *, network: bool) -> list[str]:
        """``argv`` to run confined: writes only beneath ``writable``, network only if asked."""
        if not self.available:
            return list(argv)
        prefix = [sys.executable, "-I", "-S", str(_SCRIPT)]
        for directory in writable:
            prefix += ["--write", str(directory)]
        if network:
            prefix.append("--network")
        return [*prefix, "--", *argv]


UNCONFINED = Sandbox(available=False, notes=("confinement turned off",))


def probe_sandbox() -> Sandbox:
    """Confine a throw-away process the way an operator would be, and report what held."""
    abi, reason = landlock.abi_version()
    if abi == 0:
        return Sandbox(False, (reason,))
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", str(_SCRIPT), "--probe"],
            capture_output=True,
            timeout=_PROBE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Sandbox(False, (f"the confinement check did not run: {exc}",))
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        return Sandbox(False, (message,))
    notes = tuple(line for line in done.stdout.decode("utf-8", "replace").splitlines() if line)
    return Sandbox(True, notes)
