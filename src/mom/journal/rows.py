"""Conversions between the journal's table rows and its values (times, requests, results)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.api.results import ControllerResults
from mom.journal.records import (
    InputChange,
    InputChangeKind,
    MutationState,
    PlannedMutation,
    RunRecord,
    RunStatus,
    RunSummary,
)
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_json, load_json

MUTATION_COLUMNS = (
    "mutation_id, cluster_type, target, action, resource_group, resource_version, resource, "
    "namespace, name, generate_name, kind_group, kind_version, kind, body, options, patch_type, "
    "field_manager, controller_instance_name, state, reason, applied_at"
)


def stamp(moment: datetime, field: str) -> str:
    """``moment`` as stored: ISO 8601 in UTC. Naive times are refused, not guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(field, [f"Invalid value: {moment.isoformat()!r}: a time zone is required"])
    return moment.astimezone(UTC).isoformat()


def moment_of(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def results_blob(results: ControllerResults | None) -> bytes:
    """The controller results as JSON; ``null`` when the operator reported none."""
    return dump_json(None if results is None else results.to_wire())


def results_of(blob: bytes | None, run_id: int) -> ControllerResults | None:
    if blob is None:
        return None
    return ControllerResults.from_wire(load_json(blob, f"run {run_id} results"), f"run {run_id} results")


def changes_blob(changes: Sequence[InputChange] | None) -> bytes | None:
    """Input changes, compactly: ``{"changed": [[group, resource, namespace, name], ...], ...}``
    with only the kinds that occur, an object followed by
    ``{"fields": [...], "managers": [...], "writers": [...]}`` when any is known; ``None`` when
    nothing is known."""
    if changes is None:
        return None
    grouped: dict[str, list[list[Any]]] = {}
    for change in sorted(changes):
        entry: list[Any] = [change.group, change.resource, change.namespace, change.name]
        if change.fields or change.managers or change.writers:
            entry.append(
                {
                    "fields": list(change.fields),
                    "managers": list(change.managers),
                    "writers": list(change.writers),
                }
            )
        grouped.setdefault(change.change.value, []).append(entry)
    return dump_json(grouped)


def changes_of(blob: bytes | None, run_id: int) -> tuple[InputChange, ...] | None:
    """What :func:`changes_blob` stored; a malformed value is reported, not guessed."""
    if blob is None:
        return None
    where = f"run {run_id} input_changes"
    document = load_json(bytes(blob), where)
    changes: list[InputChange] = []
    if not isinstance(document, dict):
        raise InvalidInput(where, ["must be an object"])
    for kind, entries in document.items():
        try:
            change = InputChangeKind(kind)
        except ValueError as exc:
            raise InvalidInput(f"{where}.{kind}", ["Unsupported value"]) from exc
        for index, entry in enumerate(entries if isinstance(entries, list) else [None]):
            at = f"{where}.{kind}[{index}]"
            if not (
                isinstance(entry, list)
                and len(entry) in (4, 5)
                and all(isinstance(p, str) for p in entry[:4])
            ):
                raise InvalidInput(at, ["must be [group, resource, namespace, name] and optional details"])
            details = entry[4] if len(entry) == 5 else {}
            fields, managers = _strings(details, "fields", at), _strings(details, "managers", at)
            writers = _strings(details, "writers", at)
            group, resource, namespace, name = entry[:4]
            changes.append(
                InputChange(
                    change,
                    group,
                    resource,
                    namespace,
                    name,
                    fields=fields,
                    managers=managers,
                    writers=writers,
                )
            )
    return tuple(sorted(changes))


def _strings(details: Any, key: str, where: str) -> tuple[str, ...]:
    value = details.get(key, []) if isinstance(details, dict) else None
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise InvalidInput(f"{where}.{key}", ["must be a list of strings"])
    return tuple(value)


def mutation_values(
    run_id: int, position: int, mutation: PlannedMutation, mutation_id: str
) -> tuple[Any, ...]:
    """The row of one planned mutation, columns in :data:`MUTATION_COLUMNS` order plus run/position."""
    request = mutation.request
    kind = request.kind
    applied_at = None if mutation.applied_at is None else stamp(mutation.applied_at, "applied_at")
    return (
        mutation_id,
        mutation.cluster_type,
        mutation.target,
        request.action.value,
        request.gvr.group,
        request.gvr.version,
        request.gvr.resource,
        request.namespace,
        request.name,
        request.generate_name,
        None if kind is None else kind.group,
        None if kind is None else kind.version,
        None if kind is None else kind.kind,
        request.body,
        request.options,
        request.patch_type,
        request.field_manager,
        request.controller_instance_name,
        mutation.state.value,
        mutation.reason,
        applied_at,
        run_id,
        position,
    )


def mutation_of(row: sqlite3.Row) -> PlannedMutation:
    """One planned mutation from its row: :data:`MUTATION_COLUMNS` plus run/position."""
    kind = (
        None if row["kind"] is None else GroupVersionKind(row["kind_group"], row["kind_version"], row["kind"])
    )
    request = MutationRequest(
        action=Action(row["action"]),
        gvr=GroupVersionResource(row["resource_group"], row["resource_version"], row["resource"]),
        namespace=row["namespace"],
        name=row["name"],
        generate_name=row["generate_name"],
        kind=kind,
        body=bytes(row["body"]),
        options=bytes(row["options"]),
        patch_type=row["patch_type"],
        field_manager=row["field_manager"],
        controller_instance_name=row["controller_instance_name"],
    )
    return PlannedMutation(
        mutation_id=row["mutation_id"],
        cluster_type=row["cluster_type"],
        target=row["target"],
        request=request,
        state=MutationState(row["state"]),
        reason=row["reason"],
        applied_at=moment_of(row["applied_at"]),
        run_id=row["run_id"],
        position=row["position"],
    )


def summary_of(row: sqlite3.Row, counts: Mapping[str, int]) -> RunSummary:
    started_at = moment_of(row["started_at"])
    assert started_at is not None  # NOT NULL column
    return RunSummary(
        run_id=row["run_id"],
        operator=row["operator"],
        instance=row["instance"],
        trigger=row["trigger"],
        input_digest=row["input_digest"],
        started_at=started_at,
        finished_at=moment_of(row["finished_at"]),
        exit_code=row["exit_code"],
        status=RunStatus(row["status"]),
        counts={MutationState(state): count for state, count in counts.items()},
    )


def record_of(row: sqlite3.Row, counts: Mapping[str, int]) -> RunRecord:
    now = moment_of(row["now"])
    assert now is not None  # NOT NULL column
    return RunRecord(
        summary=summary_of(row, counts),
        results=results_of(row["results"], row["run_id"]),
        seed=row["seed"],
        now=now,
        outputs_digest=row["outputs_digest"],
        stdout=row["stdout"],
        stderr=row["stderr"],
        error=row["error"],
        input_changes=changes_of(row["input_changes"], row["run_id"]),
    )
