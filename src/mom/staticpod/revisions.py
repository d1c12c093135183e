"""Making revisions: snapshot the operand's inputs as ``<name>-<revision>`` when they change.

The revision controller's decision, as a pure function: compare each input (its ``data``,
``binaryData``, ``type``) with its copy in the newest revision; on any difference, or when there
is no revision yet, the next revision copies every input and gets a ``revision-status-<N>``
ConfigMap saying why. A newest revision that already matches is adopted as the latest (so a run
whose status write was lost converges instead of copying twice). A missing input makes no
revision: a half-made revision would roll out a broken operand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mom.api.resources import GroupVersionResource
from mom.mustgather.reader import Object
from mom.staticpod.operand import CONFIGMAPS, REVISION_LABEL, REVISION_STATUS, StaticPodOperand, revision_name

CONTENT_FIELDS = ("data", "binaryData", "type")


@dataclass(frozen=True)
class RevisionPlan:
    """``revision`` is the latest after this run; ``create`` what makes it, empty when it exists."""

    revision: int
    reason: str = ""
    create: tuple[tuple[GroupVersionResource, Object], ...] = ()
    missing: tuple[str, ...] = ()


def plan_revision(
    operand: StaticPodOperand,
    sources: Mapping[str, Object | None],
    newest: int,
    newest_copies: Mapping[str, Object | None],
) -> RevisionPlan:
    """What to do given the inputs by name, the newest revision and its copies by input name."""
    missing = tuple(
        f"{gvr.resource}/{name}" for gvr, name in operand.revisioned() if sources.get(name) is None
    )
    if missing:
        return RevisionPlan(newest, missing=missing)
    changed = [
        f"{gvr.resource}/{name}"
        for gvr, name in operand.revisioned()
        if _content(sources.get(name)) != _content(newest_copies.get(name))
    ]
    if newest and not changed:
        return RevisionPlan(newest)
    revision = newest + 1
    reason = f"{', '.join(changed)} changed" if newest else "initial revision"
    create = [
        (gvr, _copy(sources[name] or {}, revision_name(name, revision), operand.namespace, revision))
        for gvr, name in operand.revisioned()
    ]
    status = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"revision": str(revision), "reason": reason}}
    create.append(
        (CONFIGMAPS, _copy(status, revision_name(REVISION_STATUS, revision), operand.namespace, revision))
    )
    return RevisionPlan(revision, reason, tuple(create))


def _content(obj: Object | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {k: obj.get(k) or None for k in CONTENT_FIELDS}


def _copy(source: Object, name: str, namespace: str, revision: int) -> Object:
    copy: Object = {
        "apiVersion": "v1",
        "kind": source.get("kind", "ConfigMap"),
        "metadata": {"name": name, "namespace": namespace, "labels": {REVISION_LABEL: str(revision)}},
    }
    copy.update({k: source[k] for k in CONTENT_FIELDS if source.get(k)})
    return copy


def revision_of(obj: Mapping[str, Any]) -> int:
    """The revision label of a copy, 0 when absent or malformed."""
    labels = (obj.get("metadata") or {}).get("labels") or {}
    value = labels.get(REVISION_LABEL) if isinstance(labels, dict) else None
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else 0
