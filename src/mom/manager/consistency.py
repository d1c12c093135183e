"""Whether the manager configuration's entries agree with each other.

Owns :func:`check_references` (unique names; instances naming clusters and operators that
exist; one hosted control plane namespace per instance on a management cluster; operand
namespaces to map) and :func:`check_namespaces` (an instance's HyperShift namespace settings:
only on HyperShift, unambiguous, each namespace in one place). Problems go to the reader, with
their field paths.
"""

from __future__ import annotations

from typing import Any

from mom.api.wire_reader import WireReader, field_path, quote
from mom.manager.specs import (
    FLATTEN_SEPARATOR,
    ClusterSpec,
    InstanceSpec,
    NamespaceMapping,
    OperatorSpec,
    TopologyKind,
)


def check_namespaces(reader: WireReader, item: dict[str, Any], path: str, instance: InstanceSpec) -> None:
    """HyperShift's namespace settings: only on HyperShift, unambiguous, and each namespace in one place."""
    if instance.topology is not TopologyKind.HYPERSHIFT:
        for key in ("namespaceMapping", "guestNamespaces", "operandNamespaces"):
            if key in item:
                reader.add(field_path(path, key), "Invalid value: only a HyperShift instance maps namespaces")
        return
    for index, namespace in enumerate(instance.operand_namespaces):
        here = f"{field_path(path, 'operandNamespaces')}[{index}]"
        if instance.namespace_mapping is NamespaceMapping.FLATTEN and FLATTEN_SEPARATOR in namespace:
            reader.add(
                here,
                f"Invalid value: {quote(namespace)}: contains {quote(FLATTEN_SEPARATOR)}, so flattened "
                "names could not be told apart",
            )
        if namespace in instance.guest_namespaces:
            reader.add(
                here,
                f"Invalid value: {quote(namespace)}: also in guestNamespaces; a namespace has one place",
            )


def check_references(
    reader: WireReader,
    operators: tuple[OperatorSpec, ...],
    clusters: tuple[ClusterSpec, ...],
    instances: tuple[InstanceSpec, ...],
) -> None:
    for kind, names in (
        ("operators", [o.name for o in operators]),
        ("clusters", [c.name for c in clusters]),
        ("instances", [i.name for i in instances]),
    ):
        for index, name in enumerate(names):
            if name and names.index(name) != index:
                reader.add(f"{kind}[{index}].name", f"Duplicate value: {quote(name)}")
    cluster_names = {c.name for c in clusters}
    operator_names = {o.name for o in operators}
    hcp_namespaces: dict[tuple[str, str], str] = {}
    for index, instance in enumerate(instances):
        path = f"instances[{index}]"
        for key, value in (
            ("cluster", instance.cluster),
            ("management", instance.management),
            ("guest", instance.guest),
        ):
            if value and value not in cluster_names:
                reader.add(field_path(path, key), f"Not found: {quote(value)}: no cluster has this name")
        for name in instance.operators:
            if name not in operator_names:
                reader.add(
                    field_path(path, "operators"), f"Not found: {quote(name)}: no operator has this name"
                )
        if instance.topology is TopologyKind.HYPERSHIFT:
            _check_hosted(reader, path, instance, hcp_namespaces)


def _check_hosted(
    reader: WireReader, path: str, instance: InstanceSpec, hcp_namespaces: dict[tuple[str, str], str]
) -> None:
    """A hosted instance maps into a namespace no other instance on its management cluster
    maps into (``hcp_namespaces``: the instances seen so far), and names namespaces to map."""
    place = (instance.management, instance.hosted_control_plane_namespace)
    if place in hcp_namespaces:
        reader.add(
            field_path(path, "hostedControlPlaneNamespace"),
            f"Duplicate value: {quote(place[1])}: instance {quote(hcp_namespaces[place])} already "
            "maps into this namespace of the same management cluster",
        )
    hcp_namespaces[place] = instance.name
    if not instance.operand_namespaces:
        reader.add(field_path(path, "operandNamespaces"), "Required value: namespaces to map")
