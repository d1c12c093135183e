"""Equivalence of two sets of recorded mutations, and explanations a person can act on.

Two requests are equal when action, patch type, field manager, controller instance name,
resource, kind, namespace, name, generateName, body bytes and options bytes all match
(FORMATS.md §2.8); sets are compared order-insensitively with duplicates collapsed.

Every unmatched request becomes one :class:`Difference`. When a request with the same metadata
exists on the other side, the difference shows what changed (a unified diff and the differing
field paths) instead of reporting one request missing and another one extra. Apply requests
whose options differ (another field manager) are unrelated and not paired.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.mutationdir.output import (
    CLUSTER_TYPE_DIRS,
    CONTROLLER_RESULTS_FILE,
    read_mutation_dirs,
    read_results_document,
)
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, load_document

DifferenceKind = Literal["missing", "extra", "body", "options", "results", "error"]


CONTROLLER_NAME_ANNOTATIONS = (
    "synthetic.mom.openshift.io/controller-instance-name",
    "operator.openshift.io/controller-instance-name",
)
"""Body annotations older recordings used to carry the controller name (shown in messages)."""

_EVENT_RESOURCES = frozenset({("", "events"), ("events.k8s.io", "events")})


class FieldDifference(Frozen):
    """One leaf where two decoded documents disagree (a value is ``None`` where a side lacks it)."""

    path: str
    expected: Any
    actual: Any

    __slots__ = ("actual", "expected", "path")

    def __init__(self, path: str, expected: Any, actual: Any) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "expected", expected)
        object.__setattr__(self, "actual", actual)


class Difference(Frozen):
    """One reason two mutation sets are not equivalent."""

    cluster_type: str
    subject: str
    kind: DifferenceKind
    message: str
    fields: tuple[FieldDifference, ...]
    """For a changed request: where its body (else its options) differs; empty otherwise."""

    __slots__ = ("cluster_type", "fields", "kind", "message", "subject")
    _unhashed: ClassVar[tuple[str, ...]] = ("fields",)

    def __init__(
        self,
        cluster_type: str,
        subject: str,
        kind: DifferenceKind,
        message: str,
        fields: tuple[FieldDifference, ...] = (),
    ) -> None:
        object.__setattr__(self, "cluster_type", cluster_type)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "fields", fields)


def is_event(request: MutationRequest) -> bool:
    """Events are recorded but never compared."""
    return (request.gvr.group, request.gvr.resource) in _EVENT_RESOURCES


def compare_requests(
    expected: Sequence[MutationRequest],
    actual: Sequence[MutationRequest],
    *,
    cluster_type: str = "",
    ignore_events: bool = True,
) -> list[Difference]:
    """What keeps ``actual`` from being equivalent to ``expected``; empty when equivalent."""
    if ignore_events:
        expected = [r for r in expected if not is_event(r)]
        actual = [r for r in actual if not is_event(r)]
    expected_keys = {r.equality_key() for r in expected}
    actual_keys = {r.equality_key() for r in actual}
    unmatched_expected = _distinct(r for r in expected if r.equality_key() not in actual_keys)
    unmatched_actual = _distinct(r for r in actual if r.equality_key() not in expected_keys)

    differences: list[Difference] = []
    explained: set[tuple[Any, ...]] = set()
    for request in unmatched_expected:
        candidates = _related(request, unmatched_actual)
        for candidate in candidates:
            explained.add(candidate.equality_key())
            differences.append(_explain_change(cluster_type, request, candidate))
        if not candidates:
            differences.append(_explain_absence(cluster_type, request, unmatched_actual, "missing"))
    for request in unmatched_actual:
        if request.equality_key() not in explained:
            differences.append(_explain_absence(cluster_type, request, unmatched_expected, "extra"))
    return differences


def _distinct(requests: Any) -> list[MutationRequest]:
    seen: set[tuple[Any, ...]] = set()
    result: list[MutationRequest] = []
    for request in requests:
        if request.equality_key() not in seen:
            seen.add(request.equality_key())
            result.append(request)
    return result


def _related(request: MutationRequest, others: Sequence[MutationRequest]) -> list[MutationRequest]:
    """Requests with the same metadata; applies by another field manager are not related."""
    return [
        other
        for other in others
        if other.metadata_key() == request.metadata_key()
        and not (request.action.is_apply and other.options != request.options)
    ]


def _explain_absence(
    cluster_type: str, request: MutationRequest, others: Sequence[MutationRequest], kind: DifferenceKind
) -> Difference:
    side = "actual" if kind == "missing" else "expected"
    same_metadata = any(o.metadata_key() == request.metadata_key() for o in others)
    owner = f"fieldManager={field_manager_of(request)} controllerInstanceName={_controller_name(request)}"
    if same_metadata:
        message = f"{side} output has no equivalent request for {owner}"
    else:
        message = f"{side} output has no such request ({owner})"
    return Difference(cluster_type, request.identity, kind, message)


def _explain_change(cluster_type: str, expected: MutationRequest, actual: MutationRequest) -> Difference:
    owner = f"fieldManager={field_manager_of(expected)} controllerInstanceName={_controller_name(expected)}"
    parts = [f"request for {owner} differs:"]
    kind: DifferenceKind = "body"
    fields: tuple[FieldDifference, ...] = ()
    if expected.body != actual.body:
        parts.append(_describe_content("body", expected.body, actual.body))
        fields = tuple(field_differences(_parse_or_none(expected.body), _parse_or_none(actual.body)))
    elif expected.options != actual.options:
        kind = "options"
        fields = tuple(field_differences(_parse_or_none(expected.options), _parse_or_none(actual.options)))
    if expected.options != actual.options:
        parts.append(_describe_content("options", expected.options, actual.options))
    if expected.kind != actual.kind:
        parts.append(f"kind: expected {expected.kind} but got {actual.kind}")
    return Difference(cluster_type, expected.identity, kind, "\n".join(parts), fields)


def _describe_content(label: str, expected: bytes, actual: bytes) -> str:
    expected_document = _parse_or_none(expected)
    fields = differing_fields(expected_document, _parse_or_none(actual))
    described = _describe_fields(fields, expected_document) if fields else "(formatting only)"
    lines = [f"{label} fields differ: {described}"]
    lines.extend(unified_diff(expected, actual, label))
    return "\n".join(lines)


def unified_diff(expected: bytes, actual: bytes, label: str) -> list[str]:
    """A unified diff of two file contents, one line per entry, without trailing newlines."""
    import difflib  # only a difference needs it

    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(keepends=True),
            actual.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"expected {label}",
            tofile=f"actual {label}",
        )
    ]


def differing_fields(expected: Any, actual: Any) -> list[str]:
    """Field paths (``status.conditions[0].message``) where two decoded documents differ."""
    return [field.path for field in field_differences(expected, actual)]


def field_differences(expected: Any, actual: Any, path: str = "") -> list[FieldDifference]:
    """Every leaf where two decoded documents differ, with both values, in document order."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        fields: list[FieldDifference] = []
        for key in sorted(set(expected) | set(actual), key=str):
            child = f"{path}.{key}" if path else str(key)
            if key not in expected or key not in actual:
                fields.append(FieldDifference(child, expected.get(key), actual.get(key)))
            else:
                fields.extend(field_differences(expected[key], actual[key], child))
        return fields
    if isinstance(expected, list) and isinstance(actual, list):
        fields = []
        for index in range(max(len(expected), len(actual))):
            child = f"{path}[{index}]"
            if index >= len(expected) or index >= len(actual):
                before = expected[index] if index < len(expected) else None
                after = actual[index] if index < len(actual) else None
                fields.append(FieldDifference(child, before, after))
            else:
                fields.extend(field_differences(expected[index], actual[index], child))
        return fields
    if expected != actual or type(expected) is not type(actual):
        return [FieldDifference(path or "(document)", expected, actual)]
    return []


def _item_labels(document: Any, path: str = "") -> dict[str, str]:
    """``status.conditions[0]`` -> ``type=Available``: how list items name themselves."""
    labels: dict[str, str] = {}
    if isinstance(document, dict):
        for key, value in document.items():
            labels.update(_item_labels(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            child = f"{path}[{index}]"
            if isinstance(item, dict):
                for key in ("type", "name"):
                    if isinstance(item.get(key), str):
                        labels[child] = f"{key}={item[key]}"
                        break
            labels.update(_item_labels(item, child))
    return labels


def _describe_fields(fields: list[str], document: Any) -> str:
    """Field paths, each followed by the names of the list items it passes through."""
    labels = _item_labels(document)
    described = []
    for field in fields:
        names = [
            label
            for item, label in labels.items()
            if field == item or field.startswith((f"{item}.", f"{item}["))
        ]
        described.append(f"{field} ({', '.join(names)})" if names else field)
    return ", ".join(described)


def _parse_or_none(content: bytes) -> Any:
    try:
        return load_document(content, "content") if content.strip() else None
    except InvalidInput:
        return content.decode("utf-8", "replace")


def field_manager_of(request: MutationRequest) -> str:
    """The field manager a request was sent with: from its options, else from its metadata."""
    options = _parse_or_none(request.options)
    if isinstance(options, dict) and isinstance(options.get("fieldManager"), str):
        return str(options["fieldManager"])
    return request.field_manager


def _controller_name(request: MutationRequest) -> str:
    body = _parse_or_none(request.body)
    metadata = body.get("metadata") if isinstance(body, dict) else None
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict):
        for key in CONTROLLER_NAME_ANNOTATIONS:
            if isinstance(annotations.get(key), str):
                return str(annotations[key])
    return request.controller_instance_name


def compare_outputs(expected_dir: Path, actual_dir: Path) -> list[Difference]:
    """Differences between two apply-configuration output directories (events ignored).

    Controller results are compared structurally (a missing file counts as ``null``), then the
    mutation directory of each cluster type in order; a missing directory means no requests.
    ``Unspecified/`` is not looked at.
    """
    differences: list[Difference] = []
    expected_results = read_results_document(expected_dir)
    actual_results = read_results_document(actual_dir)
    if expected_results != actual_results:
        expected_text = dump_go_yaml(expected_results).encode("utf-8")
        actual_text = dump_go_yaml(actual_results).encode("utf-8")
        fields = differing_fields(expected_results, actual_results)
        lines = [f"controller results differ: {', '.join(fields)}"]
        lines.extend(unified_diff(expected_text, actual_text, CONTROLLER_RESULTS_FILE))
        differences.append(Difference("", CONTROLLER_RESULTS_FILE, "results", "\n".join(lines)))
    expected = read_mutation_dirs(expected_dir, CLUSTER_TYPE_DIRS)
    actual = read_mutation_dirs(actual_dir, CLUSTER_TYPE_DIRS)
    for name in CLUSTER_TYPE_DIRS:
        differences.extend(compare_requests(expected[name], actual[name], cluster_type=name))
    return differences


def render_differences(differences: Sequence[Difference]) -> str:
    """The report a person reads: a count, then each difference with its details indented."""
    if not differences:
        return "equivalent: no differences\n"
    noun = "difference" if len(differences) == 1 else "differences"
    lines = [f"{len(differences)} {noun}:"]
    for number, difference in enumerate(differences, start=1):
        where = f"[{difference.cluster_type}] " if difference.cluster_type else ""
        first, *rest = difference.message.splitlines() or [""]
        lines.append(f"{number}. {where}{difference.kind} {difference.subject}: {first}")
        lines.extend(f"     {line}" for line in rest)
    return "\n".join(lines) + "\n"
