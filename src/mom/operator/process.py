"""Running an untrusted executable: its own session, bounded output, nothing left behind.

The process starts in a new session (so in a process group of its own) with stdin from
``/dev/null``. Its stdout and stderr are drained as they come into bounded buffers that keep
the *tail* — an operator printing gigabytes costs the manager a fixed amount of memory. When
the process exits, or its time is up, everything still in its process group is killed; a
helper it forked that holds the pipes open can neither turn a success into a timeout nor
outlive the run. At the deadline the group gets SIGTERM and :data:`TERM_GRACE` seconds before
SIGKILL, so a supervisor in it can clean up. Bytes are decoded leniently, for logs only.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from mom.api.values import Frozen

if TYPE_CHECKING:
    import selectors

Clock = Callable[[], float]
"""A monotonic clock in seconds; only durations are measured."""

TAIL_BYTES = 64 * 1024
"""How much of each stream a run keeps by default (the end, where the error usually is)."""
DRAIN_GRACE = 0.5
"""Seconds to collect what is left in the pipes once the process group is gone."""
TERM_GRACE = 2.0
"""Seconds a process group gets to end after SIGTERM at the deadline, before SIGKILL."""
_CHUNK = 64 * 1024
_POLL = 0.05


class StreamTail(Frozen):
    """The last bytes of one output stream, and how many there were in all."""

    data: bytes
    total: int

    __slots__ = ("data", "total")

    def __init__(self, data: bytes = b"", total: int = 0) -> None:
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "total", total)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.data)

    def text(self) -> str:
        """For logs: undecodable bytes replaced, a note when the beginning was dropped."""
        decoded = self.data.decode("utf-8", errors="replace")
        if self.truncated:
            return f"[{self.total - len(self.data)} earlier bytes dropped]\n{decoded}"
        return decoded


class ProcessOutcome(Frozen):
    """How an untrusted process ended: its exit code (``None`` when killed at the deadline)."""

    exit_code: int | None
    stdout: StreamTail
    stderr: StreamTail
    timed_out: bool

    __slots__ = ("exit_code", "stderr", "stdout", "timed_out")

    def __init__(
        self, exit_code: int | None, stdout: StreamTail, stderr: StreamTail, timed_out: bool = False
    ) -> None:
        object.__setattr__(self, "exit_code", exit_code)
        object.__setattr__(self, "stdout", stdout)
        object.__setattr__(self, "stderr", stderr)
        object.__setattr__(self, "timed_out", timed_out)


class _Tail:
    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.buffer = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.buffer += chunk
        if len(self.buffer) > 2 * self.keep:
            del self.buffer[: len(self.buffer) - self.keep]

    def freeze(self) -> StreamTail:
        return StreamTail(bytes(self.buffer[-self.keep :]) if self.keep else b"", self.total)


def run_untrusted(
    argv: Sequence[str],
    timeout: float,
    *,
    keep: int = TAIL_BYTES,
    env: Mapping[str, str] | None = None,
    clock: Clock = time.monotonic,
) -> ProcessOutcome:
    """Run ``argv`` (no shell) for at most ``timeout`` seconds, keeping ``keep`` bytes of each
    stream. Raises :class:`OSError` when the executable cannot be started."""
    import selectors  # loaded by the runs that drain pipes only
    import subprocess

    process = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        close_fds=True,
        env=None if env is None else dict(env),
    )
    assert process.stdout is not None and process.stderr is not None
    stdout, stderr = _Tail(keep), _Tail(keep)
    tails = {process.stdout.fileno(): stdout, process.stderr.fileno(): stderr}
    deadline = clock() + timeout
    timed_out = False
    with contextlib.ExitStack() as stack:
        stack.enter_context(process.stdout)
        stack.enter_context(process.stderr)
        selector = stack.enter_context(selectors.DefaultSelector())
        for fd in tails:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        exited = _exit_watch(process.pid)
        if exited is not None:
            stack.callback(os.close, exited)
            selector.register(exited, selectors.EVENT_READ)
        try:
            while not _has_exited(process.pid):
                remaining = deadline - clock()
                if remaining <= 0:
                    timed_out = True
                    break
                _drain(selector, tails, remaining if exited is not None else min(remaining, _POLL))
        finally:
            if timed_out:
                _ask_group_to_end(process.pid)
            kill_group(process)
        if exited is not None:
            selector.unregister(exited)
        grace = clock() + DRAIN_GRACE
        while selector.get_map() and (left := grace - clock()) > 0:
            _drain(selector, tails, left)
    exit_code = None if timed_out else process.returncode
    return ProcessOutcome(exit_code, stdout.freeze(), stderr.freeze(), timed_out)


def _exit_watch(pid: int) -> int | None:
    """A descriptor that becomes readable when ``pid`` exits (Linux ≥ 5.3), else ``None``."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _has_exited(pid: int) -> bool:
    """Whether ``pid`` has exited, leaving it unreaped so its group cannot be reused yet."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _drain(selector: selectors.BaseSelector, tails: dict[int, _Tail], timeout: float) -> None:
    for key, _ in selector.select(timeout):
        tail = tails.get(int(key.fd))
        if tail is None:
            continue  # the exit watch: wake up and look
        try:
            chunk = os.read(int(key.fd), _CHUNK)
        except BlockingIOError:
            continue
        if chunk:
            tail.feed(chunk)
        else:
            selector.unregister(key.fd)


def wait_for_exit(pid: int, timeout: float, clock: Clock = time.monotonic) -> bool:
    """Wait up to ``timeout`` seconds for child ``pid`` to exit, leaving it unreaped (so its
    process group stays valid for :func:`kill_group`); whether it exited."""
    return bool(wait_for_any_exit([pid], timeout, clock))


def wait_for_any_exit(pids: Sequence[int], timeout: float, clock: Clock = time.monotonic) -> list[int]:
    """Wait up to ``timeout`` seconds for any of the children ``pids`` to exit, leaving them
    unreaped; those that have exited (empty when the time ran out first)."""
    deadline = clock() + timeout
    watches = [watch for watch in map(_exit_watch, pids) if watch is not None]
    try:
        while True:
            exited = [pid for pid in pids if _has_exited(pid)]
            remaining = deadline - clock()
            if exited or remaining <= 0:
                return exited
            if len(watches) < len(pids):
                time.sleep(min(remaining, _POLL))
            else:
                select.select(watches, [], [], remaining)
    finally:
        for watch in watches:
            os.close(watch)


def _ask_group_to_end(pid: int) -> None:
    """SIGTERM the group and give its leader :data:`TERM_GRACE` seconds to exit: a supervisor
    (the confinement script) then kills what escaped the group before it goes."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    wait_for_exit(pid, TERM_GRACE)


class Child(Protocol):
    """A started child process: a :class:`subprocess.Popen`, or one this process forked or spawned."""

    @property
    def pid(self) -> int: ...

    def wait(self) -> int: ...


def kill_group(process: Child) -> None:
    """SIGKILL everything in the process's group (its session), then reap the process."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
