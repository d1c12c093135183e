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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mom.api.errors import Conflict, InvalidInput, MomError, NotFound
from mom.api.resources import GroupVersionResource
from mom.apply.placement import FileChanges, locate
from mom.apply.semantics import Change, WriteContext, decide, has_status_subresource, object_name
from mom.apply.target import ApplyResult, Outcome
from mom.apply.wal import Checkpoint, WriteAheadLog
from mom.manifest.builtin_discovery import builtin_discovery
from mom.manifest.discovery import Discovery
from mom.manifest.layout import CLUSTER_SCOPED_DIR, DISCOVERY_FILES, NAMESPACES_DIR
from mom.manifest.loader import load_must_gather
from mom.manifest.requests import MutationRequest
from mom.manifest.store import Snapshot
from mom.serialization import dump_json, load_document, load_json

STATE_DIR = ".mom"
STATE_FILE = f"{STATE_DIR}/state.json"


def rfc3339(moment: datetime) -> str:
    """``2024-10-14T22:38:20Z``: the form Kubernetes stores timestamps in (naive means UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    ) -> None:
        self.root = root
        self.name = name or str(root)
        self._clock = clock
        self._discovery = discovery if discovery is not None else _tree_discovery(root)
        self._checkpoint = checkpoint
        self._lock = threading.Lock()
        self._wal = WriteAheadLog(root, root / STATE_DIR, compact_after=compact_after)

    def is_applied(self, mutation_id: str) -> bool:
        return self._wal.applied(mutation_id) is not None

    def read(self) -> Snapshot:
        """The tree as it is now, every applied write included."""
        if not any((self.root / d).is_dir() for d in (CLUSTER_SCOPED_DIR, NAMESPACES_DIR)):
            return Snapshot([], {}, self._discovery, root=self.root)
        return load_must_gather(self.root)

    def apply(self, mutation_id: str, request: MutationRequest, *, dry_run: bool = False) -> ApplyResult:
        """Apply ``request`` once under ``mutation_id``; ``dry_run`` decides without writing."""
        with self._lock:
            recorded = self._wal.applied(mutation_id)
            if recorded is not None:
                message = f"already applied ({recorded.get('outcome', '')})".replace(" ()", "")
                return ApplyResult(mutation_id, Outcome.ALREADY_APPLIED, message)
            try:
                options = _options(request)
                change, files = self._plan(mutation_id, request, options)
            except Conflict as exc:
                return ApplyResult(mutation_id, Outcome.CONFLICT, str(exc))
            except NotFound as exc:
                return ApplyResult(mutation_id, Outcome.NOT_FOUND, str(exc))
            except MomError as exc:
                return ApplyResult(mutation_id, Outcome.INVALID, str(exc))
            result = ApplyResult(mutation_id, change.outcome, change.message, change.object)
            if dry_run or options.get("dryRun"):
                return result
            recorded_result = {"outcome": change.outcome.value, "message": change.message}
            self._wal.commit(mutation_id, files, recorded_result, self._checkpoint)
            return result

    def _plan(
        self, mutation_id: str, request: MutationRequest, options: dict[str, Any]
    ) -> tuple[Change, FileChanges]:
        gvr = request.gvr
        body = load_document(request.body, f"{request.identity} body") if request.body.strip() else None
        info = self._discovery.resource_info(gvr)
        namespaced = info.namespaced if info is not None else bool(request.namespace)
        if _is_namespace(gvr):
            namespaced = False
        elif namespaced and not request.namespace:
            raise InvalidInput("metadata.namespace", [f"Required value: {gvr.group_resource} is namespaced"])
        elif not namespaced and request.namespace:
            raise InvalidInput(
                "metadata.namespace",
                [f"Invalid value: {request.namespace!r}: {gvr.group_resource} is cluster-scoped"],
            )
        name = object_name(request, body, mutation_id)
        located = locate(self.root, gvr, request.namespace, name)
        version = self._next_resource_version(located.object)
        context = WriteContext(
            mutation_id=mutation_id,
            now=rfc3339(self._clock()),
            resource_version=str(version),
            namespaced=namespaced,
            has_status=has_status_subresource(gvr),
            options=options,
        )
        change = decide(request, body, located.object, context)
        if change.outcome is Outcome.UNCHANGED:
            return change, {}
        files = located.removed() if change.object is None else located.written(change.object)
        files[STATE_FILE] = dump_json({"resourceVersion": version}).decode()
        return change, files

    def _next_resource_version(self, current: dict[str, Any] | None) -> int:
        """One past both the last version handed out and the stored object's own version."""
        path = self.root / STATE_FILE
        last = 0
        if path.is_file():
            state = load_json(path.read_bytes(), str(path))
            last = int(state.get("resourceVersion", 0)) if isinstance(state, dict) else 0
        stored = str(((current or {}).get("metadata") or {}).get("resourceVersion") or "")
        return max(last, int(stored) if stored.isdigit() else 0) + 1


def _is_namespace(gvr: GroupVersionResource) -> bool:
    return gvr.group == "" and gvr.resource == "namespaces"


def _options(request: MutationRequest) -> dict[str, Any]:
    if not request.options.strip():
        return {}
    options = load_document(request.options, f"{request.identity} options")
    if not isinstance(options, dict):
        raise InvalidInput("options", ["must be a mapping of metav1 options"])
    return options
