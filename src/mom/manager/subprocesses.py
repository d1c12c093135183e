"""Operators as executables, in any language: each run a confined subprocess.

Owns :class:`SubprocessRunner`: it lays a run's inputs out in a private directory and spawns
the operator's executable (never through a shell) with ``apply-configuration --input-dir
--output-dir --now``, confined (:mod:`mom.operator.sandbox`) and in a session of its own that is
killed when the run ends, and reads its output directory back as untrusted data
(:mod:`mom.mutationdir.output`). Like every runner, it is not trusted about its outputs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from mom.api.digest import sha256_hex
from mom.api.errors import InvalidInput, MomError
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.manager.operators import OperatorRun, RunInputs
from mom.manager.specs import OperatorSpec
from mom.mutationdir.output import read_operator_output
from mom.operator.command import format_now
from mom.operator.executables import find_executable
from mom.operator.process import TAIL_BYTES, ProcessOutcome, run_untrusted
from mom.operator.sandbox import UNCONFINED, Sandbox
from mom.serialization import load_document

_LINE_CHARS = 500


class SubprocessRunner:
    """An executable honouring the operator contract, in any language, treated as untrusted:
    confined by ``sandbox``, its output read within ``spec.output_limits``."""

    concurrent: ClassVar[bool] = True

    def __init__(self, spec: OperatorSpec, working_dir: Path, sandbox: Sandbox = UNCONFINED) -> None:
        self.spec = spec
        self.command = (resolve_executable(spec.command[0], working_dir), *spec.command[1:])
        self.sandbox = sandbox
        self.limits = spec.output_limits

    def _document(self, command: str) -> object:
        done = self._call([command], [], keep=self.limits.file_bytes)
        what = f"operator {self.spec.name}: `{command}`"
        if done.timed_out:
            raise MomError(f"{what} timed out after {self.spec.timeout:g}s")
        if done.exit_code != 0:
            raise MomError(f"{what} exited {done.exit_code}: {_last_line(done.stderr.text())}")
        if done.stdout.truncated:
            raise MomError(
                f"{what} printed {done.stdout.total} bytes, more than the {self.limits.file_bytes} accepted"
            )
        return load_document(done.stdout.data, f"{self.spec.name} {command}")

    def declared_inputs(self) -> InputResources:
        return InputResources.from_wire(
            self._document("input-resources"), f"{self.spec.name} input-resources"
        )

    def declared_outputs(self) -> OutputResources:
        return OutputResources.from_wire(
            self._document("output-resources"), f"{self.spec.name} output-resources"
        )

    def identity(self) -> str | None:
        """The executable file (path, device, inode, size, modification and change times) and
        the command line; ``None`` when the file cannot be examined."""
        try:
            found = os.stat(self.command[0])
        except OSError:
            return None
        file = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        return sha256_hex(repr((self.command, file, self.spec.network)).encode())

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun:
        """``apply-configuration`` on ``inputs`` laid out in a scratch directory of its own."""
        scratch = Path(tempfile.mkdtemp(prefix="mom-run-"))
        try:
            inputs.lay_out(scratch / "input")
            return self.apply_configuration(scratch / "input", scratch / "output", now)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def apply_configuration(self, input_dir: Path, output_dir: Path, now: datetime) -> OperatorRun:
        """``apply-configuration`` from ``input_dir`` into ``output_dir``, which it leaves behind."""
        arguments = [
            "apply-configuration",
            "--input-dir",
            str(input_dir),
            "--output-dir",
            str(output_dir),
            "--now",
            format_now(now),
            "--controllers",
            ",".join(self.spec.controllers),
        ]
        output_dir.mkdir(parents=True, exist_ok=True)
        done = self._call(arguments, [output_dir])
        stdout, stderr = done.stdout.text(), done.stderr.text()
        if done.timed_out or done.exit_code is None:
            return OperatorRun(
                exit_code=-1,
                results=None,
                requests=(),
                stdout=stdout,
                stderr=stderr,
                error=f"timed out after {self.spec.timeout:g}s",
            )
        try:
            output = read_operator_output(output_dir, self.limits)
        except MomError as exc:
            return OperatorRun(
                exit_code=done.exit_code,
                results=None,
                requests=(),
                stdout=stdout,
                stderr=stderr,
                error=f"unreadable output: {exc}",
            )
        return OperatorRun(
            exit_code=done.exit_code,
            results=output.results,
            requests=output.requests,
            stdout=stdout,
            stderr=stderr,
        )

    def _call(self, arguments: list[str], writable: list[Path], keep: int = TAIL_BYTES) -> ProcessOutcome:
        """Run the operator with ``arguments``, confined, with a private temporary directory."""
        with tempfile.TemporaryDirectory(prefix="mom-operator-", ignore_cleanup_errors=True) as temporary:
            argv = self.sandbox.command(
                [*self.command, *arguments], [*writable, Path(temporary)], network=self.spec.network
            )
            try:
                return run_untrusted(
                    argv, self.spec.timeout, keep=keep, env={**os.environ, "TMPDIR": temporary}
                )
            except OSError as exc:
                raise MomError(
                    f"operator {self.spec.name}: cannot start {self.command[0]}: {exc.strerror}"
                ) from exc


def resolve_executable(name: str, working_dir: Path) -> str:
    """The operator's executable: a path relative to the config file, or a name on PATH."""
    found = find_executable(name, working_dir)
    if found is None:
        raise InvalidInput(name, ["operator executable not found on PATH"])
    return found


def _last_line(text: str) -> str:
    """The last non-blank line of a log, shortened to one readable line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else "(nothing on stderr)"
    return last if len(last) <= _LINE_CHARS else f"{last[:_LINE_CHARS]}..."
