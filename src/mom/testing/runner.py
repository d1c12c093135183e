"""Running one case: the operator binary as a subprocess, its logs, its exit status.

The binary is spawned directly (no shell) as ``<bin> apply-configuration --input-dir …
--output-dir … [--now …] [--controllers a,b]`` in a new process group, with stdout and stderr
written to ``stdout.log`` / ``stderr.log`` in the output directory. When the operator exits or
its time is up the whole process group is killed, so helpers it started do not outlive the
test; its output directory is then read as untrusted data (:mod:`mom.mutationdir.output`).
The harness learns of the exit at once (a pidfd on Linux), not on a polling tick.

An operator that is a Python script of this very interpreter (a console script installed beside
it, such as ``sample-operator``) is not given a new interpreter: this process forks, and the
child runs the script with the modules the harness has already imported. The child is still a
process of its own, in its own session, with the same logs, exit code and timeout: a crash or
``sys.exit`` in one case ends that case only. Only a harness with one thread forks (a lock
another thread holds would stay held in the child forever); otherwise, or with
``MOM_TEST_FORK=0``, every operator is spawned.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.mustgather.layout import find_resource_root
from mom.operator.executables import find_executable
from mom.operator.process import Child, kill_group, wait_for_any_exit, wait_for_exit
from mom.testing.cases import Case

STDOUT_LOG = "stdout.log"
STDERR_LOG = "stderr.log"
LOG_FILES = (STDOUT_LOG, STDERR_LOG)
LOG_TAIL_BYTES = 512 * 1024
"""How much of each log a report keeps (the end, where the error usually is)."""

Clock = Callable[[], float]
"""A monotonic clock in seconds; only durations are measured, never the time of day."""


class ProcessOutcome(Frozen):
    """How the operator process ended."""

    command: tuple[str, ...]
    exit_code: int | None
    """``None`` when the process could not be started or was killed on timeout."""
    duration: float
    timed_out: bool
    start_error: str

    __slots__ = ("command", "duration", "exit_code", "start_error", "timed_out")

    def __init__(
        self,
        command: tuple[str, ...],
        exit_code: int | None,
        duration: float,
        timed_out: bool = False,
        start_error: str = "",
    ) -> None:
        object.__setattr__(self, "command", command)
        object.__setattr__(self, "exit_code", exit_code)
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "timed_out", timed_out)
        object.__setattr__(self, "start_error", start_error)

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0


def resolve_binary(binary_name: str, working_dir: Path) -> str:
    """Resolve ``binaryName`` as Go's exec does: paths against the working dir, bare names on PATH
    (or beside this interpreter); an unresolved name is returned as is and fails to start."""
    return find_executable(binary_name, working_dir) or binary_name


def build_command(binary: str, case: Case, output_dir: Path) -> tuple[str, ...]:
    """The argv of one apply-configuration run of ``case``; an ``input-dir/`` holding a whole
    must-gather is passed on as its resource root, which operators expect."""
    description = case.description
    command = [
        binary,
        "apply-configuration",
        "--input-dir",
        str(_tree_of(case.input_dir)),
        "--output-dir",
        str(output_dir),
    ]
    if description.now:
        command += ["--now", description.now]
    if description.controllers:
        command += ["--controllers", ",".join(description.controllers)]
    return tuple(command)


def _tree_of(input_dir: Path) -> Path:
    """``input-dir/`` itself, or the must-gather tree one level down; an input directory with no
    tree (or two) goes to the operator as it is, to judge as the test expects."""
    try:
        return find_resource_root(input_dir)
    except InvalidInput:
        return input_dir


def run_operator(
    command: Sequence[str], output_dir: Path, timeout: float, clock: Clock = time.monotonic
) -> ProcessOutcome:
    """Run ``command`` with its logs in ``output_dir`` (created), killing it after ``timeout`` s."""
    started = start_operator(command, output_dir, clock)
    return started if isinstance(started, ProcessOutcome) else started.finish(timeout)


class StartedOperator:
    """An operator process started by :func:`start_operator`, not yet waited for."""

    def __init__(self, command: tuple[str, ...], process: Child, started: float, clock: Clock) -> None:
        self.command = command
        self._process = process
        self._started = started
        self._clock = clock
        self._spawned = time.monotonic()
        """When the timeout started counting: real time, whatever ``clock`` reports durations in."""

    @property
    def pid(self) -> int:
        return self._process.pid

    def time_left(self, timeout: float) -> float:
        """Seconds until ``timeout`` seconds after its start have passed (0 once they have)."""
        return max(0.0, timeout - (time.monotonic() - self._spawned))

    def finish(self, timeout: float) -> ProcessOutcome:
        """Wait until the operator exits or ``timeout`` seconds after its start have passed, then
        kill whatever is left of its process group; how it ended."""
        exited = wait_for_exit(self._process.pid, self.time_left(timeout))
        kill_group(self._process)
        duration = self._clock() - self._started
        if not exited:
            return ProcessOutcome(self.command, None, duration, timed_out=True)
        return ProcessOutcome(self.command, self._process.wait(), duration)

    def abandon(self) -> None:
        """Kill the operator's process group and reap it (the harness is stopping early)."""
        kill_group(self._process)


def wait_for_first(operators: Sequence[tuple[StartedOperator, float]]) -> list[StartedOperator]:
    """Wait until one of ``operators`` (each with its timeout) has exited or run out of time;
    those that have, for :meth:`StartedOperator.finish` to conclude at once."""
    time_left = min(operator.time_left(timeout) for operator, timeout in operators)
    exited = set(wait_for_any_exit([operator.pid for operator, _ in operators], time_left))
    return [
        operator
        for operator, timeout in operators
        if operator.pid in exited or operator.time_left(timeout) <= 0
    ]


def start_operator(
    command: Sequence[str], output_dir: Path, clock: Clock = time.monotonic
) -> StartedOperator | ProcessOutcome:
    """Start ``command`` with its logs in ``output_dir`` (created); the outcome right away when
    it cannot be started."""
    output_dir.mkdir(parents=True, exist_ok=True)
    started = clock()
    with (output_dir / STDOUT_LOG).open("wb") as stdout, (output_dir / STDERR_LOG).open("wb") as stderr:
        try:
            process: Child = (
                _fork_script(command, stdout.fileno(), stderr.fileno())
                if _runs_in_this_interpreter(command[0])
                else _spawn(command, stdout.fileno(), stderr.fileno())
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return ProcessOutcome(
                tuple(command), None, clock() - started, start_error=f"{command[0]}: {reason}"
            )
    return StartedOperator(tuple(command), process, started, clock)


def _runs_in_this_interpreter(binary: str) -> bool:
    """Whether ``binary`` is a script whose ``#!`` names this interpreter, in this environment."""
    if os.environ.get("MOM_TEST_FORK") == "0" or threading.active_count() > 1:
        return False
    try:
        with open(binary, "rb") as script:
            first_line = script.readline(512)
    except OSError:
        return False
    if not first_line.startswith(b"#!"):
        return False
    words = first_line[2:].split()
    if len(words) != 1:
        return False
    interpreter = os.fsdecode(words[0])
    here = sys.executable
    return os.path.dirname(interpreter) == os.path.dirname(here) and os.path.realpath(
        interpreter
    ) == os.path.realpath(here)


def _spawn(command: Sequence[str], stdout: int, stderr: int) -> Child:
    """Start ``command`` (no shell; a bare name is looked up on PATH) in a session of its own,
    as :class:`subprocess.Popen` would with ``start_new_session``: stdin from ``/dev/null``, the
    given stdout and stderr, no other descriptor of this process, and SIGPIPE and SIGXFSZ back
    to their defaults (Python ignores both). Spawned directly, without loading
    :mod:`subprocess`. Raises :class:`OSError` when it cannot be started."""
    import signal

    actions: list[tuple[int, ...] | tuple[int, int, str, int, int]] = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, stdout, 1),
        (os.POSIX_SPAWN_DUP2, stderr, 2),
    ]
    actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in _inheritable_descriptors() if fd not in (stdout, stderr)]
    pid = os.posix_spawnp(
        command[0],
        list(command),
        os.environ,
        file_actions=actions,
        setsid=True,
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
    )
    return _Started(pid)


def _inheritable_descriptors() -> list[int]:
    """This process's descriptors above 2 that a started program would inherit (Python opens
    its own non-inheritable; these came from whoever started the harness)."""
    try:
        listed = os.listdir("/proc/self/fd")
    except OSError:
        return []
    found = []
    for name in listed:
        fd = int(name)
        if fd > 2:
            try:
                if os.get_inheritable(fd):
                    found.append(fd)
            except OSError:
                pass  # the descriptor listdir itself had open
    return found


class _Started:
    """A child this process forked or spawned, reaped once."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._code: int | None = None

    def wait(self) -> int:
        if self._code is None:
            _, status = os.waitpid(self.pid, 0)
            self._code = os.waitstatus_to_exitcode(status)
        return self._code


def _fork_script(command: Sequence[str], stdout: int, stderr: int) -> Child:
    """Run the Python script ``command[0]`` with ``command[1:]`` in a forked child of this process.

    The SDK's run path is imported here first (once per harness), so each forked operator
    starts with it loaded instead of importing it again; so is what runs the script (a harness
    that only spawns, as for Go operators, never loads it)."""
    import logging  # settles, here, the configuration mom.api.logs may be waiting to make on import
    import runpy  # noqa: F401 - for _run_script in every child
    import traceback  # noqa: F401

    import mom.operator.command  # noqa: F401

    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid:
        return _Started(pid)
    code = 1
    try:
        os.setsid()
        stdin = os.open(os.devnull, os.O_RDONLY)
        for source, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(source, target)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the child's own streams, never closed
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        logging.root.handlers.clear()  # the operator configures logging as a fresh process would
        sys.argv = list(command)
        code = _run_script(command[0])
    finally:
        os._exit(code)


def _run_script(path: str) -> int:
    """The exit code of running ``path`` as ``__main__``, as the interpreter would report it."""
    import runpy  # loaded by the parent before it forked
    import traceback

    try:
        runpy.run_path(path, run_name="__main__")
        code = 0
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            code = exit_.code or 0
        else:
            print(exit_.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return code


def read_log_tail(output_dir: Path, name: str, limit: int = LOG_TAIL_BYTES) -> str:
    """The last ``limit`` bytes of a log file as text ("" when absent)."""
    path = output_dir / name
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - limit))
            data = handle.read()
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")
