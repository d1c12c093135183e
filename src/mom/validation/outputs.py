"""Routing recorded mutations by the declared output resources; refusing what none allows."""

from __future__ import annotations

from collections.abc import Iterable

from mom.api.cluster import CLUSTER_TYPES, ClusterType
from mom.api.output_resources import OutputResources, output_matches
from mom.api.resources import GroupVersionKind
from mom.api.values import Frozen
from mom.mustgather.discovery import Discovery
from mom.mutationdir.requests import MutationRequest
from mom.validation.mutations import mutation_problems


class Refusal(Frozen):
    """A mutation no declared output allows, and why."""

    request: MutationRequest
    reason: str

    __slots__ = ("reason", "request")

    def __init__(self, request: MutationRequest, reason: str) -> None:
        object.__setattr__(self, "request", request)
        object.__setattr__(self, "reason", reason)

    def __str__(self) -> str:
        return f"{self.request.identity}: {self.reason}"


class RoutedMutations(Frozen):
    """Allowed mutations per cluster type (one request may go to several), and the refused ones."""

    allowed: dict[ClusterType, tuple[MutationRequest, ...]]
    refused: tuple[Refusal, ...]

    __slots__ = ("allowed", "refused")

    def __init__(
        self,
        allowed: dict[ClusterType, tuple[MutationRequest, ...]] | None = None,
        refused: tuple[Refusal, ...] = (),
    ) -> None:
        object.__setattr__(self, "allowed", {} if allowed is None else allowed)
        object.__setattr__(self, "refused", refused)


def route_mutations(
    requests: Iterable[MutationRequest], outputs: OutputResources, discovery: Discovery | None = None
) -> RoutedMutations:
    """Offer every request to each cluster type's declared outputs (FORMATS.md §3.4-3.5).

    A request matching no cluster type is refused as undeclared. So is one whose content could
    not be stored (:func:`~mom.validation.mutations.mutation_problems`) and, with ``discovery``,
    one whose body kind is not the kind of the resource its path names, even when the path is
    declared (a Secret smuggled under a ConfigMap path).
    """
    allowed: dict[ClusterType, list[MutationRequest]] = {ct: [] for ct in CLUSTER_TYPES}
    refused: list[Refusal] = []
    for request in requests:
        problems = mutation_problems(request, discovery)
        mismatch = "; ".join(problems) or body_mismatch(request)
        mismatch = mismatch or (_kind_mismatch(request, discovery) if discovery else "")
        if mismatch:
            refused.append(Refusal(request, mismatch))
            continue
        matched = False
        for cluster_type in CLUSTER_TYPES:
            if output_matches(
                outputs.for_cluster_type(cluster_type),
                gvr_group=request.gvr.group,
                resource=request.gvr.resource,
                namespace=request.namespace,
                name=request.name,
                generate_name=request.generate_name,
            ):
                allowed[cluster_type].append(request)
                matched = True
        if not matched:
            refused.append(Refusal(request, "not declared in the operator's output-resources"))
    return RoutedMutations({ct: tuple(reqs) for ct, reqs in allowed.items() if reqs}, tuple(refused))


def body_mismatch(request: MutationRequest) -> str:
    """Why a request's body disagrees with its own metadata (name, namespace, group), or ``""``.

    A recorded request cannot disagree (the recorder checks), but a mutation directory written
    by another program can: its metadata file may name one object while its body is another.
    """
    if request.action.is_patch or request.kind is None or request.kind.kind == "DeleteOptions":
        return ""
    if request.kind.group != request.gvr.group:
        return f"body is {request.kind} but the path names the {request.gvr.group or 'core'} group"
    document = request.body_document()
    metadata = document.get("metadata") if isinstance(document, dict) else None
    if not isinstance(metadata, dict):
        return "body has no metadata"
    name = str(metadata.get("name") or "")
    namespace = str(metadata.get("namespace") or "")
    if name != request.name:
        return f"body names {name!r} but the request is for {request.name!r}"
    if namespace != request.namespace:
        return f"body namespace {namespace!r} differs from the request namespace {request.namespace!r}"
    return ""


def _kind_mismatch(request: MutationRequest, discovery: Discovery) -> str:
    if request.kind is None or request.action.is_patch:
        return ""
    info = discovery.resource_info(request.gvr)
    if info is None:
        return ""
    body = request.kind
    expected = GroupVersionKind(request.gvr.group, request.gvr.version, info.kind)
    if body.kind == "DeleteOptions":
        return ""
    if (body.group, body.kind) != (expected.group, expected.kind):
        return f"body is a {body} but the path names {request.gvr.group_resource} ({expected})"
    return ""
