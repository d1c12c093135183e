"""A pair's inputs: what its operator reads through the instance's topology, and whether there is
anything to run it on.

Under HyperShift an operator reads each object where its writes of that object go
(:meth:`~mom.manager.topology.HostedView.reading_from_guest`). An operator none of whose declared
inputs exists is not run on the empty world it would see (a wrong ``manifestDir``, an empty
cluster), unless everything it reads is its own output.

A manifest-directory cluster is read only where some pair's gathering can look
(:func:`read_scopes`): the files of the resources the pinned operators declare, read or written.
A management cluster is read only in the hosted control plane namespaces of the configured
hosted clusters (:func:`management_namespaces`), so a replica of a ring, configured with its
share, reads and watches its share's namespaces and nothing of the others'. A guest is not read
in its operand namespaces, which its operators see on the management cluster, except where
configuration and user-workload outputs write to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from mom.inputs.gather import GatheredInputs
from mom.manager.pins import Pin
from mom.manager.specs import InstanceSpec, TopologyKind
from mom.manager.topology import HostedView, Topology
from mom.mustgather.scope import ReadScope, scope_of_inputs
from mom.mustgather.store import Snapshot


def read_scopes(instances: Iterable[InstanceSpec], pins: Iterable[Pin]) -> dict[str, ReadScope]:
    """Per cluster some instance uses, the files its pairs' gathering needs: what the pinned
    operators declare (read, and written: a write looks its object up first), in the declared
    namespaces on a standalone cluster; on a management cluster in the hosted control plane
    namespaces, where operand namespaces are mapped; on a guest outside its operand namespaces,
    plus what the configuration and user-workload outputs write there (those stay on the guest)."""
    pinned = list(pins)
    declared = scope_of_inputs(
        [pin.inputs.apply_configuration_resources for pin in pinned],
        [
            written
            for pin in pinned
            for written in (
                pin.outputs.configuration_resources,
                pin.outputs.management_resources,
                pin.outputs.user_workload_resources,
            )
        ],
    )
    to_guests = scope_of_inputs(
        [],
        [
            written
            for pin in pinned
            for written in (pin.outputs.configuration_resources, pin.outputs.user_workload_resources)
        ],
    )
    scopes: dict[str, ReadScope] = {}
    for instance in instances:
        if instance.topology is TopologyKind.HYPERSHIFT:
            hcp = [instance.hosted_control_plane_namespace]
            guest = declared.outside(instance.operand_namespaces).union(to_guests)
            uses = [(instance.management, declared.in_namespaces(hcp)), (instance.guest, guest)]
        else:
            uses = [(instance.cluster, declared)]
        for cluster, scope in uses:
            scopes[cluster] = scopes[cluster].union(scope) if cluster in scopes else scope
    return scopes


def management_namespaces(instances: Iterable[InstanceSpec]) -> dict[str, frozenset[str]]:
    """Per cluster used only as a management cluster, the only namespaces read there: the
    hosted control plane namespaces of the hosted clusters it holds. A cluster some instance
    reads otherwise (standalone, guest) is absent: read in every namespace."""
    namespaces: dict[str, frozenset[str]] = {}
    whole: set[str] = set()
    for instance in instances:
        if instance.topology is TopologyKind.HYPERSHIFT:
            held = namespaces.get(instance.management, frozenset())
            namespaces[instance.management] = held | {instance.hosted_control_plane_namespace}
            whole.add(instance.guest)
        else:
            whole.add(instance.cluster)
    return {cluster: held for cluster, held in namespaces.items() if cluster not in whole}


def reading_as(source: Snapshot | HostedView, topology: Topology, pin: Pin) -> Snapshot | HostedView:
    """``source`` as ``pin``'s operator reads it: what it writes to a guest, it reads there."""
    if isinstance(source, HostedView):
        return source.reading_from_guest(topology.guest_objects(pin.outputs))
    return source


def empty_world(operator: str, topology: Topology, pin: Pin, gathered: GatheredInputs) -> str:
    """Why ``operator`` must not run on ``gathered``, or ``""``: not one declared input exists on
    the instance's clusters (a wrong directory, an empty cluster), though some of them are not
    the operator's own outputs. An operator that reads only what it writes itself may start from
    nothing; one that reads the cluster's configuration may not."""
    if gathered.objects:
        return ""
    declared = pin.inputs.apply_configuration_resources
    outputs = pin.outputs
    own = {
        resource
        for written in (
            outputs.configuration_resources,
            outputs.management_resources,
            outputs.user_workload_resources,
        )
        for resource in written.exact_resources
    }
    from_others = (
        any(resource not in own for resource in declared.exact_resources)
        or declared.generated_name_resources
        or declared.label_selected_resources
        or declared.resource_references
    )
    if not from_others:
        return ""
    clusters = ", ".join(topology.clusters)
    return (
        f"no declared input of operator {operator} exists on instance {topology.instance.name} "
        f"(cluster {clusters}): not run on an empty world"
    )
