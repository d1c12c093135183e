"""From an operator's raw mutations to planned ones: validated, routed, mapped, or refused.

The planned mutations are built here, as the records the journal stores
(:class:`~mom.journal.records.PlannedMutation`); once stored, the manager applies them as
:class:`~mom.manager.commit.Write` values (:func:`~mom.manager.commit.writes_of`).
"""

from __future__ import annotations

from collections.abc import Sequence

from mom.api.cluster import CLUSTER_TYPES
from mom.api.output_resources import output_matches
from mom.journal.records import MutationState, PlannedMutation
from mom.manager.pins import Pin
from mom.manager.topology import Claims, RoutedMutation, Topology, find_collisions
from mom.mustgather.discovery import Discovery
from mom.mutationdir.requests import MutationRequest
from mom.validation.mutations import mutation_problems
from mom.validation.outputs import body_mismatch, route_mutations


def plan_mutations(
    requests: Sequence[MutationRequest],
    pin: Pin,
    topology: Topology,
    discovery: Discovery | None,
    claims: Claims | None = None,
) -> list[PlannedMutation]:
    """Re-route every mutation against the pinned outputs, then map it by topology.

    Refused mutations (undeclared, a body that disagrees with its path, a namespace with no
    place in the topology, a mapping collision, an object another writer owns per ``claims``)
    are kept, with their reason, and never applied.
    """
    routed = route_mutations(requests, pin.outputs, discovery)
    planned = [_planned(refusal.request, MutationState.REFUSED, refusal.reason) for refusal in routed.refused]
    placed: list[RoutedMutation] = [
        topology.route(cluster_type, request)
        for cluster_type, allowed in routed.allowed.items()
        for request in allowed
    ]
    collisions = find_collisions(placed)
    for index, mutation in enumerate(placed):
        reason = collisions.get(index, "") or topology.refusal(mutation.cluster_type, mutation.original)
        if not reason and claims is not None:
            reason = claims.claim(topology, mutation)
        state = MutationState.REFUSED if reason else MutationState.PENDING
        planned.append(
            _planned(mutation.request, state, reason, (str(mutation.cluster_type), mutation.cluster))
        )
    return planned


def _planned(
    request: MutationRequest, state: MutationState, reason: str, place: tuple[str, str] = ("", "")
) -> PlannedMutation:
    """A mutation to journal, not yet stored; ``place``: its cluster type and target, when routed."""
    cluster_type, target = place
    return PlannedMutation(
        mutation_id="", cluster_type=cluster_type, target=target, request=request, state=state, reason=reason
    )


def pinned_refusal(
    mutation: PlannedMutation, pin: Pin, topology: Topology, discovery: Discovery | None
) -> str:
    """Why a journaled, not yet applied mutation is not one planning could have produced from
    ``pin`` on ``topology`` (``""`` when it is): checked again before it is applied, because the
    journal is a file someone else could have written into.

    The stored request is already mapped; under HyperShift, a Management write into the hosted
    control plane's namespace stands for a write into one of the operand namespaces.
    """
    request = mutation.request
    cluster_type = next((ct for ct in CLUSTER_TYPES if str(ct) == mutation.cluster_type), None)
    if cluster_type is None:
        return f"cluster type {mutation.cluster_type!r} is not one an operator can route to"
    problems = mutation_problems(request, discovery)
    mismatch = "; ".join(problems) or body_mismatch(request)
    if mismatch:
        return mismatch
    origins = [request.namespace]
    if topology.hypershift and request.namespace == topology.instance.hosted_control_plane_namespace:
        origins = [ns for ns in topology.instance.operand_namespaces if topology.maps(cluster_type, ns)]
    declared = pin.outputs.for_cluster_type(cluster_type)
    for origin in origins:
        allowed = output_matches(
            declared,
            gvr_group=request.gvr.group,
            resource=request.gvr.resource,
            namespace=origin,
            name=request.name,
            generate_name=request.generate_name,
        )
        if allowed and topology.cluster_for(cluster_type, origin) == mutation.target:
            return ""
    return (
        f"not declared in the pinned output-resources of {pin.operator} for {cluster_type}"
        f" on cluster {mutation.target}"
    )
