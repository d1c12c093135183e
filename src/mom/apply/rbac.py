"""Least-privilege RBAC for one operator, generated from its pinned inputs and outputs.

Owns: :func:`generate_rbac` (documents in, Kubernetes RBAC objects out, no I/O),
:func:`render_rbac_yaml` (a ``---``-separated stream ``kubectl apply -f`` accepts) and the
service-account identity mom impersonates when it writes for an operator
(:class:`ServiceAccountRef`, :func:`impersonation_headers`).

What each declaration grants (namespaced rules go into a Role in that namespace, the others into
one ClusterRole; each bound to the operator's service account):

* exact outputs: ``create`` on the type, and ``get``/``update``/``patch``/``delete`` plus
  ``get``/``update``/``patch`` of ``<resource>/status``, limited to the declared name;
* generated-name outputs: ``create`` on the type;
* eventing namespaces: ``create``/``patch`` of core and ``events.k8s.io`` events;
* exact inputs (and referring objects): ``get``/``list``/``watch`` limited to the name (a list or
  watch is limited by ``fieldSelector=metadata.name=<name>``, as single-object informers send);
* generated-name and label-selected inputs: ``get``/``list``/``watch`` on the type;
* reference targets: ``get`` on the target type (cluster-wide when the namespace comes from the
  referring object).

Kubernetes cannot limit ``create`` (nor prefixes, label selectors or names found at run time) by
``resourceNames``; every rule granted without names is explained in the role's
``mom.openshift.io/unnamed-rules`` annotation and, in YAML, in a comment above the role.

Inputs carry no cluster type: ``applyConfigurationResources`` are granted for every cluster
type, ``operandResources`` and outputs only for the cluster types asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mom.api.cluster import CLUSTER_TYPES, ClusterType
from mom.api.input_resources import (
    ClusterScopedReference,
    ExplicitNamespacedReference,
    InputResources,
    ResourceList,
)
from mom.api.output_resources import OutputResources
from mom.api.resources import GroupVersionResource
from mom.api.values import OrderedFrozen
from mom.mustgather.builtin_discovery import has_status_subresource
from mom.serialization import dump_go_yaml

RBAC_GROUP = "rbac.authorization.k8s.io"
RBAC_API_VERSION = f"{RBAC_GROUP}/v1"
DEFAULT_SERVICE_ACCOUNT_NAMESPACE = "mom-operators"
OPERATOR_LABEL = "mom.openshift.io/operator"
NOTES_ANNOTATION = "mom.openshift.io/unnamed-rules"
CLUSTER_SCOPE = ""

_VERB_ORDER = ("get", "list", "watch", "create", "update", "patch", "delete")
_READ = ("get", "list", "watch")
_WRITE_NAMED = ("get", "update", "patch", "delete")
_STATUS_VERBS = ("get", "update", "patch")
_EVENT_GROUPS = ("", "events.k8s.io")


class ServiceAccountRef(OrderedFrozen):
    """The service account an operator's writes are made as."""

    namespace: str
    name: str

    __slots__ = ("name", "namespace")

    def __init__(self, namespace: str, name: str) -> None:
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)

    @property
    def username(self) -> str:
        return f"system:serviceaccount:{self.namespace}:{self.name}"


def impersonation_headers(service_account: ServiceAccountRef) -> dict[str, str]:
    """Headers making the kube-apiserver authorize a request as ``service_account``.

    The apiserver adds the service-account groups itself; the caller needs ``impersonate`` on
    ``serviceaccounts`` (cluster-admin has it).
    """
    return {"Impersonate-User": service_account.username}


class _Grant(OrderedFrozen):
    scope: str
    group: str
    resource: str
    name: str
    verb: str

    __slots__ = ("group", "name", "resource", "scope", "verb")

    def __init__(self, scope: str, group: str, resource: str, name: str, verb: str) -> None:
        object.__setattr__(self, "scope", scope)
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "resource", resource)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "verb", verb)


class _Grants:
    """Grants collected from the documents, with a note for each one that has no name."""

    def __init__(self) -> None:
        self.grants: set[_Grant] = set()
        self.notes: dict[str, set[str]] = {}

    def add(
        self, scope: str, group: str, resource: str, verbs: Iterable[str], name: str = "", note: str = ""
    ) -> None:
        for verb in verbs:
            self.grants.add(_Grant(scope, group, resource, name, verb))
        if not name:
            where = f" in {scope}" if scope else ""
            kind = f"{resource}.{group}" if group else resource
            self.notes.setdefault(scope, set()).add(f"{'/'.join(verbs)} {kind}{where}: {note}")

    def scopes(self) -> list[str]:
        return sorted({grant.scope for grant in self.grants})

    def rules(self, scope: str) -> list[dict[str, Any]]:
        mine = [grant for grant in self.grants if grant.scope == scope]
        unnamed = {(g.group, g.resource, g.verb) for g in mine if not g.name}
        verbs_by_object: dict[tuple[str, str, str], set[str]] = {}
        for grant in mine:
            if grant.name and (grant.group, grant.resource, grant.verb) in unnamed:
                continue
            verbs_by_object.setdefault((grant.group, grant.resource, grant.name), set()).add(grant.verb)
        names_by_rule: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
        for (group, resource, name), granted in verbs_by_object.items():
            ordered = tuple(sorted(granted, key=_verb_rank))
            names_by_rule.setdefault((group, resource, ordered), []).append(name)
        rules = []
        for (group, resource, verbs), names in sorted(names_by_rule.items(), key=_rule_order):
            rule: dict[str, Any] = {"apiGroups": [group], "resources": [resource]}
            if all(names):
                rule["resourceNames"] = sorted(names)
            rule["verbs"] = list(verbs)
            rules.append(rule)
        return rules


def _verb_rank(verb: str) -> int:
    return _VERB_ORDER.index(verb) if verb in _VERB_ORDER else len(_VERB_ORDER)


def _rule_order(item: tuple[tuple[str, str, tuple[str, ...]], list[str]]) -> tuple[Any, ...]:
    (group, resource, verbs), names = item
    return (group, resource, "" in names, [_verb_rank(v) for v in verbs])


def generate_rbac(
    operator: str,
    inputs: InputResources,
    outputs: OutputResources,
    *,
    cluster_type: ClusterType | Iterable[ClusterType] | None = None,
    service_account: ServiceAccountRef | None = None,
) -> list[dict[str, Any]]:
    """The ServiceAccount, Roles, ClusterRole and their bindings for ``operator``, in a fixed order.

    ``cluster_type`` keeps the outputs (and operand inputs) of those cluster types only; ``None``
    keeps all three (a standalone cluster).
    """
    account = service_account or ServiceAccountRef(DEFAULT_SERVICE_ACCOUNT_NAMESPACE, operator)
    if cluster_type is None:
        types: tuple[ClusterType, ...] = CLUSTER_TYPES
    elif isinstance(cluster_type, ClusterType):
        types = (cluster_type,)
    else:
        types = tuple(cluster_type)
    grants = _Grants()
    _grant_reads(grants, inputs.apply_configuration_resources)
    for kind in types:
        operand = inputs.operand_resources
        _grant_reads(
            grants,
            {
                ClusterType.CONFIGURATION: operand.configuration_resources,
                ClusterType.MANAGEMENT: operand.management_resources,
                ClusterType.USER_WORKLOAD: operand.user_workload_resources,
            }[kind],
        )
        _grant_writes(grants, outputs, kind)
    labels = {OPERATOR_LABEL: operator}
    objects: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"labels": labels, "name": account.name, "namespace": account.namespace},
        }
    ]
    for scope in grants.scopes():
        objects.extend(_role_and_binding(operator, scope, grants, account, labels))
    return objects


def _grant_reads(grants: _Grants, resources: ResourceList) -> None:
    for exact in resources.exact_resources:
        grants.add(exact.namespace, exact.group, exact.resource, _READ, exact.name)
    for generated in resources.generated_name_resources:
        note = f"objects named {generated.name!r}+suffix are read; names cannot be limited by prefix"
        grants.add(generated.namespace, generated.group, generated.resource, _READ, note=note)
    for selected in resources.label_selected_resources:
        note = "objects are chosen by label selector; names cannot be limited"
        grants.add(selected.namespace, selected.group, selected.resource, _READ, note=note)
    for reference in resources.resource_references:
        referring = reference.referring_resource
        grants.add(referring.namespace, referring.group, referring.resource, _READ, referring.name)
        target = reference.target
        note = f"names are read from {referring.resource} {referring.name!r} at run time"
        if isinstance(target, ClusterScopedReference | ExplicitNamespacedReference):
            grants.add(CLUSTER_SCOPE, target.group, target.resource, ("get",), note=note)
        else:
            grants.add(target.namespace, target.group, target.resource, ("get",), note=note)


def _grant_writes(grants: _Grants, outputs: OutputResources, kind: ClusterType) -> None:
    declared = outputs.for_cluster_type(kind)
    create_note = "Kubernetes cannot limit create by resourceNames"
    for exact in declared.exact_resources:
        grants.add(exact.namespace, exact.group, exact.resource, ("create",), note=create_note)
        grants.add(exact.namespace, exact.group, exact.resource, _WRITE_NAMED, exact.name)
        if has_status_subresource(GroupVersionResource(exact.group, "", exact.resource)):
            grants.add(exact.namespace, exact.group, f"{exact.resource}/status", _STATUS_VERBS, exact.name)
    for generated in declared.generated_name_resources:
        note = f"objects are created with generateName {generated.name!r}; later writes to them are refused"
        grants.add(generated.namespace, generated.group, generated.resource, ("create",), note=note)
    for namespace in declared.eventing_namespaces:
        for group in _EVENT_GROUPS:
            note = "events are named by the recorder at run time"
            grants.add(namespace, group, "events", ("create", "patch"), note=note)


def role_name(operator: str, scope: str) -> str:
    """``mom:<operator>:<namespace>`` for a Role, ``mom:<operator>:cluster`` for the ClusterRole."""
    return f"mom:{operator}:{scope or 'cluster'}"


def _role_and_binding(
    operator: str, scope: str, grants: _Grants, account: ServiceAccountRef, labels: dict[str, str]
) -> list[dict[str, Any]]:
    name = role_name(operator, scope)
    role_kind = "Role" if scope else "ClusterRole"
    metadata: dict[str, Any] = {"name": name}
    if scope:
        metadata["namespace"] = scope
    notes = sorted(grants.notes.get(scope, ()))
    role_metadata: dict[str, Any] = {**metadata, "labels": labels}
    if notes:
        role_metadata["annotations"] = {NOTES_ANNOTATION: "\n".join(notes)}
    role = {
        "apiVersion": RBAC_API_VERSION,
        "kind": role_kind,
        "metadata": role_metadata,
        "rules": grants.rules(scope),
    }
    binding = {
        "apiVersion": RBAC_API_VERSION,
        "kind": f"{role_kind}Binding",
        "metadata": {**metadata, "labels": labels},
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": name},
        "subjects": [{"kind": "ServiceAccount", "name": account.name, "namespace": account.namespace}],
    }
    return [role, binding]


def render_rbac_yaml(objects: Iterable[dict[str, Any]]) -> str:
    """A ``---``-separated YAML stream; each role's unnamed-rule notes become comments above it."""
    documents = []
    for obj in objects:
        notes = obj.get("metadata", {}).get("annotations", {}).get(NOTES_ANNOTATION, "")
        comments = "".join(f"# no resourceNames: {line}\n" for line in notes.splitlines())
        documents.append(comments + dump_go_yaml(obj))
    return "---\n" + "---\n".join(documents)


def rbac_list(objects: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The objects as one ``v1`` ``List`` (the JSON form ``kubectl apply -f`` accepts)."""
    return {"apiVersion": "v1", "items": list(objects), "kind": "List", "metadata": {}}
