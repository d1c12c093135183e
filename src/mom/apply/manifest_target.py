"""A must-gather directory as a write target, updated the way a cluster would be.

Owns: :class:`ManifestTarget` — per mutation: resolve scope from discovery, find the stored
object (:mod:`mom.apply.placement`), decide the change (:mod:`mom.apply.semantics`), then
commit every file change through the write-ahead log (:mod:`mom.apply.wal`) so a crash at
any point is finished on the next open and no mutation id is ever applied twice.
State lives in ``<root>/.mom/`` (``state.json`` holds the last resourceVersion handed out;
the must-gather loader does not look there). Time comes from the ``clock`` argument.
Discovery: the tree's own ``aggregated-discovery-*.yaml`` over mom's built-in table; a
resource neither knows is taken as namespaced exactly when the request names a namespace.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mom.api.errors import InvalidInput, MomError
from mom.apply.target import ApplyResult, Outcome
from mom.apply.wal import Checkpoint, WriteAheadLog, storable_problems
from mom.mustgather.builtin_discovery import builtin_discovery
from mom.mustgather.discovery import Discovery
from mom.mustgather.layout import CLUSTER_SCOPED_DIR, DISCOVERY_FILES, NAMESPACES_DIR
from mom.mustgather.loader import TreeLoader
from mom.mustgather.reader import Object
from mom.mustgather.scope import ReadScope
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json, load_document, load_json

if TYPE_CHECKING:
    from mom.apply.placement import DocumentChanges
    from mom.apply.semantics import Change
    from mom.mustgather.loader import ChangeNotifier

STATE_DIR = ".mom"
STATE_FILE = f"{STATE_DIR}/state.json"


def _tree_discovery(root: Path) -> Discovery:
    documents = [
        (str(root / name), load_document((root / name).read_bytes(), str(root / name)))
        for name in sorted(DISCOVERY_FILES)
        if (root / name).is_file()
    ]
    builtin = builtin_discovery()
    return Discovery.from_aggregated(documents).merged_over(builtin) if documents else builtin


class ManifestTarget:
    """Applies mutations to the must-gather tree at ``root``; see the module docstring."""

    def __init__(
        self,
        root: Path,
        name: str = "",
        *,
        clock: Callable[[], datetime],
        discovery: Discovery | None = None,
        checkpoint: Checkpoint | None = None,
        compact_after: int = 1000,
        file_format: str = "yaml",
        scope: ReadScope | None = None,
        notifier: ChangeNotifier | None = None,
        watch: bool = True,
    ) -> None:
        self.root = root
        self.name = name or str(root)
        self._clock = clock
        self._discovery = discovery if discovery is not None else _tree_discovery(root)
        self._checkpoint = checkpoint
        self._lock = threading.Lock()
        self._wal = WriteAheadLog(root, root / STATE_DIR, compact_after=compact_after)
        self._reader = TreeLoader(root, scope, notifier, watch=watch)
        if file_format not in FILE_FORMATS:
            raise InvalidInput(
                "format", [f"Unsupported value: {file_format!r}: supported values: yaml, json"]
            )
        self._encode = FILE_FORMATS[file_format]

    def is_applied(self, mutation_id: str) -> bool:
        return self._wal.applied(mutation_id) is not None

    def read(self) -> Snapshot:
        """The tree as it is now, every applied write included (what the scope wants of it)."""
        if not any((self.root / d).is_dir() for d in (CLUSTER_SCOPED_DIR, NAMESPACES_DIR)):
            return Snapshot([], {}, self._discovery, root=self.root)
        return self._reader.load()

    def apply(self, mutation_id: str, request: MutationRequest, *, dry_run: bool = False) -> ApplyResult:
        """Apply ``request`` once under ``mutation_id``; ``dry_run`` decides without writing."""
        from mom.apply.placement import SPLIT_LIST_ITEMS

        with self._lock:
            recorded = self._wal.applied(mutation_id)
            if recorded is not None:
                message = f"already applied ({recorded.get('outcome', '')})".replace(" ()", "")
                return ApplyResult(mutation_id, Outcome.ALREADY_APPLIED, message)
            try:
                options = request.options_document()
                change, documents, version = self._plan(mutation_id, request)
            except MomError as exc:
                return ApplyResult(mutation_id, Outcome.of_failure(exc), str(exc))
            result = ApplyResult(mutation_id, change.outcome, change.message, change.object)
            if dry_run or options.get("dryRun"):
                return result
            files: dict[str, str | None] = {
                path: None if doc is None else self._encode(doc) for path, doc in documents.items()
            }
            if documents:
                files[STATE_FILE] = dump_json({"resourceVersion": version}).decode()
            recorded_result = {"outcome": change.outcome.value, "message": change.message}
            if len(files) > SPLIT_LIST_ITEMS:  # a List split: made durable by one sync, not per file
                self._wal.commit_batch({mutation_id: recorded_result}, files, self._checkpoint)
            else:
                self._wal.commit(mutation_id, files, recorded_result, self._checkpoint)
            self._reader.invalidate(path for path in files if path != STATE_FILE)
            return result

    def apply_batch(self, items: Sequence[tuple[str, MutationRequest]]) -> list[ApplyResult]:
        """Apply many mutations in order, as one durable commit; results in the same order.

        Each mutation sees the ones before it in the batch. Mutations that fail change nothing
        and are not remembered, exactly as with :meth:`apply`; the others are committed together
        through one write-ahead intent, so a crash leaves all of them applied or none.
        """
        with self._lock:
            overlay: dict[str, Object | None] = {}
            recorded: dict[str, dict[str, Any]] = {}
            results: list[ApplyResult] = []
            stored = version = self._stored_version()
            for mutation_id, request in items:
                previous = self._wal.applied(mutation_id) or recorded.get(mutation_id)
                if previous is not None:
                    message = f"already applied ({previous.get('outcome', '')})".replace(" ()", "")
                    results.append(ApplyResult(mutation_id, Outcome.ALREADY_APPLIED, message))
                    continue
                try:
                    options = request.options_document()
                    change, documents, version = self._plan(mutation_id, request, overlay, version)
                except MomError as exc:
                    results.append(ApplyResult(mutation_id, Outcome.of_failure(exc), str(exc)))
                    continue
                results.append(ApplyResult(mutation_id, change.outcome, change.message, change.object))
                if options.get("dryRun"):
                    continue
                overlay.update(documents)
                recorded[mutation_id] = {"outcome": change.outcome.value, "message": change.message}
            if recorded:
                files: dict[str, str | None] = {
                    path: None if doc is None else self._encode(doc) for path, doc in overlay.items()
                }
                if version != stored:  # a batch that changed nothing rewrites no file
                    files[STATE_FILE] = dump_json({"resourceVersion": version}).decode()
                self._wal.commit_batch(recorded, files, self._checkpoint)
                self._reader.invalidate(path for path in files if path != STATE_FILE)
            return results

    def _plan(
        self,
        mutation_id: str,
        request: MutationRequest,
        overlay: Mapping[str, Object | None] | None = None,
        last_version: int | None = None,
    ) -> tuple[Change, DocumentChanges, int]:
        """What ``request`` changes: the outcome, the documents to write, the version handed out."""
        from mom.api.timestamps import rfc3339
        from mom.apply.placement import locate
        from mom.apply.semantics import decide, object_name, write_context

        body = request.body_document()
        name = object_name(request, body, mutation_id)
        located = locate(self.root, request.gvr, request.namespace, name, partial(self._read, overlay or {}))
        last = self._stored_version() if last_version is None else last_version
        stored = str(((located.object or {}).get("metadata") or {}).get("resourceVersion") or "")
        version = max(last, int(stored) if stored.isdigit() else 0) + 1
        now, rv = rfc3339(self._clock()), str(version)
        context = write_context(mutation_id, request, self._discovery, now=now, resource_version=rv)
        change = decide(request, body, located.object, context)
        if change.outcome is Outcome.UNCHANGED:
            return change, {}, last
        documents = located.removed() if change.object is None else located.written(change.object)
        problems = storable_problems(self.root, documents)
        if problems:
            raise InvalidInput(request.identity, problems)
        return change, documents, version

    def _read(self, overlay: Mapping[str, Object | None], relative: str) -> Object | None:
        """A file as the batch in progress left it, else as last loaded if unchanged, else from disk."""
        from mom.apply.placement import read_document

        if relative in overlay:
            return overlay[relative]
        cached, document = self._reader.document(relative)
        if cached and isinstance(document, dict):
            return document
        return read_document(self.root, relative)

    def _stored_version(self) -> int:
        """The last resourceVersion this directory handed out."""
        path = self.root / STATE_FILE
        if not path.is_file():
            return 0
        state = load_json(path.read_bytes(), str(path))
        return int(state.get("resourceVersion", 0)) if isinstance(state, dict) else 0


def _yaml(document: Object) -> str:
    return dump_go_yaml(document)


def _json(document: Object) -> str:
    return dump_json(document, indent=True, sort_keys=True).decode() + "\n"


FILE_FORMATS = {"yaml": _yaml, "json": _json}
"""How files are written: Go-style YAML (readable, the default), or JSON in the same ``.yaml``
files (every must-gather reader accepts it; an order of magnitude faster to write and read)."""
