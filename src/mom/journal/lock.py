"""One manager per journal: an exclusive OS lock on ``<journal>.lock`` beside the journal.

Owns: :func:`lock_journal`. The lock is ``flock(LOCK_EX | LOCK_NB)`` on a file of its own (not
the database, whose locks SQLite manages and readers share), so ``mom journal list`` and other
readers never wait, while a second ``mom run`` on the same journal is refused at once instead
of taking the first one's runs in flight for crashed ones. The kernel drops the lock when its
holder exits, however it exits: a killed manager never leaves a stale lock. The file holds the
holder's process id, for the message the next one prints.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from mom.api.errors import Conflict, InvalidInput

LOCK_SUFFIX = ".lock"


class JournalLock:
    """A held lock; :meth:`release` (or leaving the ``with`` block) gives it up."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor drops the flock
            self._descriptor = None

    def __enter__(self) -> JournalLock:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + LOCK_SUFFIX)


def lock_journal(journal: Path) -> JournalLock:
    """Take the journal's lock, or raise :class:`Conflict` naming the process that holds it."""
    path = lock_path(journal)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot open the journal's lock file: {exc.strerror}"]) from exc
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(descriptor)
        raise Conflict(
            f"journal {journal} is in use by another mom run (process {holder}); one manager per journal"
        ) from None
    except OSError as exc:
        os.close(descriptor)
        raise InvalidInput(str(path), [f"cannot lock the journal: {exc.strerror}"]) from exc
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    return JournalLock(path, descriptor)
