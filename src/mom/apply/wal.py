"""The write-ahead log that makes applying to a directory crash-safe and idempotent.

Owns: ``<state>/wal.jsonl`` and ``<state>/applied.json`` (``<state>`` is ``<root>/.mom``).
Committing one mutation is three steps: (1) append an intent record
``{"id", "files": {relative path: new text | null to remove}, "result"}`` and fsync it;
(2) write every file atomically (temporary file in the same directory, fsync, ``os.replace``),
then remove the files that go away (so a List split into object files is removed only once
every object file is in place);
(3) append ``{"id", "done": true}`` and fsync. Opening the log redoes every intent without
its done record (rewriting recorded contents is idempotent) and drops a torn last line.
Once the log holds more than ``compact_after`` records or :data:`COMPACT_BYTES` bytes, the
ids of done intents and their results move to ``applied.json`` (written atomically first)
and the log starts empty.

An intent that can never be finished must not stop every later start: before an intent is
logged, and again before one is redone, every path in it is checked to be storable
(:func:`storable_problems`: no file name over the file system's limit, no file where a
directory must be). A logged intent that fails the check gets ``{"id", "failed": reason}``
instead of a done record: nothing of it was written and its ids stay unapplied, so whoever
applies them again gets the reason as the mutation's failure. A write the file system refuses for now
(disk full, read-only) raises :class:`WriteFailed` with one line; the intent stays logged
and the next open finishes it.

One writer per directory at a time: the log is not shared between processes.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mom.api.errors import InvalidInput, MomError
from mom.mustgather.atomicfile import sync_directory, write_atomically
from mom.mustgather.layout import MAX_FILE_NAME_BYTES
from mom.serialization import dump_json, load_json

if TYPE_CHECKING:
    import logging


def _log() -> logging.Logger:
    """This module's logger; :mod:`logging` is loaded only by a message (most loads log none)."""
    import logging

    return logging.getLogger(__name__)


WAL_FILE = "wal.jsonl"
APPLIED_FILE = "applied.json"
TEMP_SUFFIX = ".mom-tmp"
COMPACT_BYTES = 64 * 1024 * 1024
"""Intents carry whole files (a List file can be megabytes): compact past this size too."""

Checkpoint = Callable[[str, str], None]
"""Called as ``(mutation_id, point)`` at ``logged``, ``wrote <path>`` and ``written`` (tests crash there)."""

FileChanges = Mapping[str, str | None]

MAX_PATH_BYTES = 4095
"""The longest path the kernel takes in one call (``PATH_MAX`` less the terminating byte)."""


class WriteFailed(MomError):
    """The file system refused a write (full, read-only, no permission); retrying later may work."""


@contextmanager
def _refused_writes(root: Path) -> Iterator[None]:
    """Turn the file system's refusal into one line naming the directory and the reason."""
    try:
        yield
    except OSError as exc:
        where = os.path.relpath(exc.filename, root) if isinstance(exc.filename, str) else "."
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, str(exc))
        raise WriteFailed(
            f"cannot write to {root} ({where}): {reason}; the next run finishes or retries what was started"
        ) from exc


def storable_problems(root: Path, relatives: Iterable[str]) -> list[str]:
    """Why some of ``relatives`` could never be written below ``root`` (empty when all can)."""
    problems = []
    for relative in sorted(relatives):
        parts = relative.split("/")
        long = [part for part in parts if len(part.encode("utf-8")) > MAX_FILE_NAME_BYTES]
        if long:
            problems.append(f"{relative}: file name longer than {MAX_FILE_NAME_BYTES} bytes")
        elif len(os.fsencode(root / relative)) > MAX_PATH_BYTES:
            problems.append(f"{relative}: path longer than {MAX_PATH_BYTES} bytes")
        elif (root / relative).is_dir():
            problems.append(f"{relative}: is a directory")
        elif not (root / relative).parent.is_dir():  # one stat in the usual case
            node = root
            for index, part in enumerate(parts[:-1]):
                node = node / part
                if node.exists() and not node.is_dir():
                    problems.append(f"{relative}: {'/'.join(parts[: index + 1])} is a file, not a directory")
                    break
    return problems


class WriteAheadLog:
    """The intent/done journal of one target directory, and the ids it has applied."""

    def __init__(self, root: Path, state_dir: Path, *, compact_after: int = 1000) -> None:
        self.root = root
        self.state_dir = state_dir
        self.compact_after = compact_after
        self._applied: dict[str, dict[str, Any]] = {}
        self._records = 0
        self._bytes = 0
        with _refused_writes(root):
            state_dir.mkdir(parents=True, exist_ok=True)
        self._path = state_dir / WAL_FILE
        self._load_applied()
        with _refused_writes(root):
            self.recover()

    def _load_applied(self) -> None:
        path = self.state_dir / APPLIED_FILE
        if path.is_file():
            document = load_json(path.read_bytes(), str(path))
            if not isinstance(document, dict):
                raise InvalidInput(str(path), ["expected an object of mutation ids"])
            self._applied = document

    def recover(self) -> list[str]:
        """Finish every logged intent that has no done record; the ids redone, in log order."""
        pending: dict[str, dict[str, Any]] = {}
        lines = self._path.read_bytes().split(b"\n") if self._path.is_file() else []
        complete = [line for line in lines[:-1] if line.strip()]
        torn = bool(lines and lines[-1].strip())
        records = []
        for number, line in enumerate(complete, 1):
            try:
                records.append(load_json(line, f"{self._path}:{number}"))
            except InvalidInput:
                if number < len(complete):
                    raise
                torn = True  # The last record's newline made it, its fsync did not finish.
        if torn:
            _replace_file(self._path, b"".join(dump_json(r) + b"\n" for r in records))
        for record in records:
            if record.get("done"):
                intent = pending.pop(record["id"], None)
                self._settle(record["id"], intent)
            elif "failed" in record:
                pending.pop(record["id"], None)
            else:
                pending[record["id"]] = record
        self._records = len(records)
        self._bytes = sum(len(line) + 1 for line in complete)
        redone = []
        for intent_id, record in pending.items():
            ids = record.get("ids", [record["id"]])
            problems = storable_problems(self.root, record["files"])
            if problems:
                reason = "; ".join(problems)
                _log().warning(
                    "dropping a logged write that can never be finished (%s): %s", intent_id, reason
                )
                self._append({"id": intent_id, "failed": reason})
                continue
            self._write_files(intent_id, record["files"], None)
            self._append({"id": intent_id, "done": True})
            self._settle(intent_id, record)
            redone += ids
        self._compact_if_needed()
        return redone

    def _settle(self, intent_id: str, intent: dict[str, Any] | None) -> None:
        """Remember the ids a done intent applied (one mutation, or a batch of them)."""
        if intent is None:
            self._applied.setdefault(intent_id, {})
        elif "ids" in intent:
            for mutation_id in intent["ids"]:
                self._applied[mutation_id] = intent["results"].get(mutation_id, {})
        else:
            self._applied[intent_id] = intent["result"]

    def applied(self, mutation_id: str) -> dict[str, Any] | None:
        """The recorded result of an applied id (``{"outcome", "message"}``), else ``None``."""
        return self._applied.get(mutation_id)

    def commit(
        self, mutation_id: str, files: FileChanges, result: dict[str, Any], checkpoint: Checkpoint | None
    ) -> None:
        """Log, write and mark done one mutation's file changes (the three steps above)."""
        self._check_storable(files)
        with _refused_writes(self.root):
            self._commit(mutation_id, files, result, checkpoint)

    def _commit(
        self, mutation_id: str, files: FileChanges, result: dict[str, Any], checkpoint: Checkpoint | None
    ) -> None:
        self._append({"id": mutation_id, "files": dict(files), "result": result})
        if checkpoint is not None:
            checkpoint(mutation_id, "logged")
        self._write_files(mutation_id, files, checkpoint)
        if checkpoint is not None:
            checkpoint(mutation_id, "written")
        self._append({"id": mutation_id, "done": True})
        self._applied[mutation_id] = result
        self._compact_if_needed()

    def commit_batch(
        self,
        results: Mapping[str, dict[str, Any]],
        files: FileChanges,
        checkpoint: Checkpoint | None,
    ) -> None:
        """Log, write and mark done many mutations' combined file changes as one intent.

        The intent holds every file's final content, so a crash anywhere is repaired by redoing
        it; file contents therefore need no fsync of their own: one filesystem sync before the
        done record makes them durable together (none when no file changes).
        """
        ids = list(results)
        if not ids:
            return
        self._check_storable(files)
        with _refused_writes(self.root):
            self._commit_batch(ids, results, files, checkpoint)

    def _check_storable(self, files: FileChanges) -> None:
        problems = storable_problems(self.root, files)
        if problems:
            raise InvalidInput(str(self.root), problems)

    def _commit_batch(
        self,
        ids: list[str],
        results: Mapping[str, dict[str, Any]],
        files: FileChanges,
        checkpoint: Checkpoint | None,
    ) -> None:
        batch_id = f"batch:{ids[0]}"
        self._append({"id": batch_id, "ids": ids, "files": dict(files), "results": dict(results)})
        if checkpoint is not None:
            checkpoint(batch_id, "logged")
        self._write_files(batch_id, files, checkpoint, durable=False)
        if files:  # results alone (every mutation unchanged) are durable with the intent
            os.sync()
        if checkpoint is not None:
            checkpoint(batch_id, "written")
        self._append({"id": batch_id, "done": True})
        self._applied.update(results)
        self._compact_if_needed()

    def _append(self, record: dict[str, Any]) -> None:
        line = dump_json(record) + b"\n"
        with open(self._path, "ab") as stream:
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())
        self._records += 1
        self._bytes += len(line)

    def _write_files(
        self, mutation_id: str, files: FileChanges, checkpoint: Checkpoint | None, *, durable: bool = True
    ) -> None:
        directories = set()
        for relative, content in sorted(files.items(), key=lambda change: (change[1] is None, change[0])):
            path = self.root / relative
            if content is None:
                path.unlink(missing_ok=True)
            else:
                _replace_file(path, content.encode("utf-8"), durable=durable)
            directories.add(path.parent)
            if checkpoint is not None:
                checkpoint(mutation_id, f"wrote {relative}")
        if durable:
            for directory in sorted(directories):
                sync_directory(directory)

    def _compact_if_needed(self) -> None:
        if self._records <= self.compact_after and self._bytes <= COMPACT_BYTES:
            return
        _replace_file(self.state_dir / APPLIED_FILE, dump_json(self._applied, sort_keys=True))
        _replace_file(self._path, b"")
        sync_directory(self.state_dir)
        self._records = self._bytes = 0


def _replace_file(path: Path, content: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``content`` (readers see the old file or the new one, never a mix);
    ``durable=False`` skips the fsync, for callers that make a whole batch durable at once."""
    write_atomically(path, content, sync=durable, suffix=TEMP_SUFFIX, make_parents=True)
