"""The namespace mapping of a hosted cluster: reversible, collision-free, within name limits.

Covers, for any operand namespaces and names Kubernetes accepts (property-based):
``Flatten`` gives every object of every operand namespace its own name in the hosted control
plane namespace, and reading it back gives the namespace and name the operator wrote
(``unmap(map(x)) == x``, for names and for whole objects, Events' ``involvedObject`` included);
``KeepName`` reads back through the origin annotation. A flattened name longer than the
resource allows (63 characters for a Service, 253 otherwise, five more for a generated name)
is refused with a reason; names within the limit are not. Objects of the hosted control plane
namespace that no operand namespace flattened into are not read as operands' objects. Through
the manager's own path — a mutation routed by the topology, stored on the management cluster,
read back through the hosted cluster's view — every object reads back as written, by GET and
by LIST, and nothing of another operand namespace shows up.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mom.api.cluster import Action, ClusterType
from mom.api.resources import GroupVersionKind, GroupVersionResource, ObjectRef
from mom.manager.mapping import NamespaceMapper
from mom.manager.specs import InstanceSpec, NamespaceMapping, TopologyKind
from mom.manager.topology import HostedView, Topology
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SERVICES = GroupVersionResource("", "v1", "services")
HCP = "clusters-alpha"

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def _label(max_size: int, dashes: str = "-") -> st.SearchStrategy[str]:
    """A DNS label: lower-case alphanumerics and ``dashes``, alphanumeric at both ends."""
    inner = st.text(_ALNUM + dashes, max_size=max(max_size - 2, 0))
    return st.builds(
        lambda first, middle, last: (first + middle + last)[:max_size].rstrip(dashes) or first,
        st.sampled_from(_ALNUM),
        inner,
        st.sampled_from(_ALNUM),
    )


namespaces = _label(40).filter(lambda n: "--" not in n)
"""Operand namespaces: DNS labels without ``--`` (the configuration refuses those under Flatten)."""
names = st.one_of(
    st.lists(_label(40), min_size=1, max_size=3).map(".".join),
    st.lists(_label(20), min_size=2, max_size=3).map("--".join),
)
"""Object names: DNS subdomains, often with ``--`` in them, as real names have."""
operand_sets = st.lists(namespaces, min_size=1, max_size=4, unique=True)


def mapper(operands: list[str], rule: NamespaceMapping = NamespaceMapping.FLATTEN) -> NamespaceMapper:
    return NamespaceMapper(HCP, tuple(operands), rule)


@given(operand_sets, st.data())
def test_flatten_names_read_back_to_what_was_written(operands: list[str], data: st.DataObject) -> None:
    rule = mapper(operands)
    namespace = data.draw(st.sampled_from(operands))
    name = data.draw(names)
    assert rule.split(rule.name(namespace, name)) == (namespace, name)


@given(operand_sets, st.data())
def test_flatten_never_gives_two_objects_one_name(operands: list[str], data: st.DataObject) -> None:
    rule = mapper(operands)
    first = (data.draw(st.sampled_from(operands)), data.draw(names))
    second = (data.draw(st.sampled_from(operands)), data.draw(names))
    if first != second:
        assert rule.name(*first) != rule.name(*second)


def _object(namespace: str, name: str, annotations: dict[str, str], event: bool) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if annotations:
        metadata["annotations"] = annotations
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Event" if event else "ConfigMap",
        "metadata": metadata,
    }
    if event:
        obj["involvedObject"] = {"kind": "Deployment", "name": name, "namespace": namespace}
    return obj


@given(
    operand_sets,
    st.data(),
    st.sampled_from(list(NamespaceMapping)),
    st.dictionaries(st.sampled_from(["a", "b.io/c"]), st.text(max_size=5), max_size=2),
    st.booleans(),
)
def test_objects_read_back_to_what_was_written(
    operands: list[str],
    data: st.DataObject,
    rule_name: NamespaceMapping,
    annotations: dict[str, str],
    event: bool,
) -> None:
    rule = mapper(operands, rule_name)
    namespace, name = data.draw(st.sampled_from(operands)), data.draw(names)
    written = _object(namespace, name, annotations, event)
    stored = copy.deepcopy(written)
    rule.map_object(stored, namespace)
    assert stored["metadata"]["namespace"] == HCP
    origin = rule.origin(stored)
    assert origin == (namespace, name)
    assert rule.unmap_object(stored, *origin) == written


@given(operand_sets, names)
def test_hosted_control_plane_objects_are_no_operands_objects(operands: list[str], name: str) -> None:
    """HyperShift's own objects (``kube-apiserver``, ...) do not start with an operand namespace
    and ``--``: the operator does not see them as its own."""
    own = {"metadata": {"name": f"zz{name}", "namespace": HCP}}
    if not any(f"zz{name}".startswith(f"{n}--") for n in operands):
        assert mapper(operands).origin(own) is None


def test_flattened_names_over_the_limit_are_refused() -> None:
    rule = mapper(["openshift-authentication"])
    fits = "a" * (253 - len("openshift-authentication--"))
    assert rule.too_long(CONFIGMAPS, "openshift-authentication", fits, "") == ""
    reason = rule.too_long(CONFIGMAPS, "openshift-authentication", fits + "b", "")
    assert "254 characters, more than the 253 a configmaps name may have" in reason
    service = "b" * (63 - len("openshift-authentication--"))
    assert rule.too_long(SERVICES, "openshift-authentication", service, "") == ""
    assert "more than the 63" in rule.too_long(SERVICES, "openshift-authentication", service + "c", "")
    prefix = "g" * (253 - len("openshift-authentication--") - 5)
    assert rule.too_long(CONFIGMAPS, "openshift-authentication", "", prefix) == ""
    assert rule.too_long(CONFIGMAPS, "openshift-authentication", "", prefix + "h")


def test_keep_name_never_refuses_for_length() -> None:
    rule = mapper(["openshift-authentication"], NamespaceMapping.KEEP_NAME)
    assert rule.too_long(CONFIGMAPS, "openshift-authentication", "x" * 253, "") == ""


@given(
    operand_sets,
    st.sampled_from(list(NamespaceMapping)),
    st.lists(st.tuples(st.integers(0, 3), names), min_size=1, max_size=6, unique_by=lambda x: x[1]),
)
def test_routed_objects_read_back_through_the_hosted_view(
    operands: list[str], rule: NamespaceMapping, placed: list[tuple[int, str]]
) -> None:
    instance = InstanceSpec(
        name="alpha",
        topology=TopologyKind.HYPERSHIFT,
        management="management",
        guest="guest",
        hosted_control_plane_namespace=HCP,
        operand_namespaces=tuple(operands),
        namespace_mapping=rule,
    )
    topology = Topology(instance)
    written = [(operands[index % len(operands)], name) for index, name in placed]
    stored = []
    for namespace, name in written:
        document = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace},
        }
        request = MutationRequest(
            Action.CREATE,
            CONFIGMAPS,
            namespace,
            name,
            "",
            GroupVersionKind("", "v1", "ConfigMap"),
            dump_go_yaml(document).encode(),
        )
        routed = topology.route(ClusterType.MANAGEMENT, request)
        assert routed.cluster == "management" and routed.request.namespace == HCP
        body = routed.request.body_document()
        stored.append((ObjectRef(CONFIGMAPS, HCP, routed.request.name), body))
    management = Snapshot.from_objects(stored)
    view = HostedView(instance, management, Snapshot.from_objects([]))
    for namespace, name in written:
        assert view.get(CONFIGMAPS, namespace=namespace, name=name)["metadata"] == {
            "name": name,
            "namespace": namespace,
        }
    for namespace in operands:
        listed = {o["metadata"]["name"] for o in view.list(CONFIGMAPS, namespace=namespace)}
        assert listed == {name for ns, name in written if ns == namespace}
