"""The write-ahead log that makes applying to a directory crash-safe and idempotent.

Owns: ``<state>/wal.jsonl`` and ``<state>/applied.json`` (``<state>`` is ``<root>/.mom``).
Committing one mutation is three steps: (1) append an intent record
``{"id", "files": {relative path: new text | null to remove}, "result"}`` and fsync it;
(2) write every file atomically (temporary file in the same directory, fsync, ``os.replace``);
(3) append ``{"id", "done": true}`` and fsync. Opening the log redoes every intent without
its done record (rewriting recorded contents is idempotent) and drops a torn last line.
Once the log holds more than ``compact_after`` records or :data:`COMPACT_BYTES` bytes, the
ids of done intents and their results move to ``applied.json`` (written atomically first)
and the log starts empty.

One writer per directory at a time: the log is not shared between processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.serialization import dump_json, load_json

WAL_FILE = "wal.jsonl"
APPLIED_FILE = "applied.json"
TEMP_SUFFIX = ".mom-tmp"
COMPACT_BYTES = 64 * 1024 * 1024
"""Intents carry whole files (a List file can be megabytes): compact past this size too."""

Checkpoint = Callable[[str, str], None]
"""Called as ``(mutation_id, point)`` at ``logged``, ``wrote <path>`` and ``written`` (tests crash there)."""

FileChanges = Mapping[str, str | None]


def write_atomically(path: Path, content: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``content``: readers see the old file or the new one, never a mix.

    ``durable=False`` skips the fsync, for callers that make a whole batch durable at once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}{TEMP_SUFFIX}")
    with open(temporary, "wb") as stream:
        stream.write(content)
        if durable:
            stream.flush()
            os.fsync(stream.fileno())
    os.replace(temporary, path)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class WriteAheadLog:
    """The intent/done journal of one target directory, and the ids it has applied."""

    def __init__(self, root: Path, state_dir: Path, *, compact_after: int = 1000) -> None:
        self.root = root
        self.state_dir = state_dir
        self.compact_after = compact_after
        self._applied: dict[str, dict[str, Any]] = {}
        self._records = 0
        self._bytes = 0
        state_dir.mkdir(parents=True, exist_ok=True)
        self._path = state_dir / WAL_FILE
        self._load_applied()
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
            write_atomically(self._path, b"".join(dump_json(r) + b"\n" for r in records))
        for record in records:
            if record.get("done"):
                intent = pending.pop(record["id"], None)
                self._settle(record["id"], intent)
            else:
                pending[record["id"]] = record
        self._records = len(records)
        self._bytes = sum(len(line) + 1 for line in complete)
        for intent_id, record in pending.items():
            self._write_files(intent_id, record["files"], None)
            self._append({"id": intent_id, "done": True})
            self._settle(intent_id, record)
        self._compact_if_needed()
        return [i for record in pending.values() for i in record.get("ids", [record["id"]])]

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
        done record makes them durable together.
        """
        ids = list(results)
        if not ids:
            return
        batch_id = f"batch:{ids[0]}"
        self._append({"id": batch_id, "ids": ids, "files": dict(files), "results": dict(results)})
        if checkpoint is not None:
            checkpoint(batch_id, "logged")
        self._write_files(batch_id, files, checkpoint, durable=False)
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
        for relative, content in sorted(files.items()):
            path = self.root / relative
            if content is None:
                path.unlink(missing_ok=True)
            else:
                write_atomically(path, content.encode("utf-8"), durable=durable)
            directories.add(path.parent)
            if checkpoint is not None:
                checkpoint(mutation_id, f"wrote {relative}")
        if durable:
            for directory in sorted(directories):
                _fsync_directory(directory)

    def _compact_if_needed(self) -> None:
        if self._records <= self.compact_after and self._bytes <= COMPACT_BYTES:
            return
        write_atomically(self.state_dir / APPLIED_FILE, dump_json(self._applied, sort_keys=True))
        write_atomically(self._path, b"")
        _fsync_directory(self.state_dir)
        self._records = self._bytes = 0
