"""Short names and categories of served resources, for ``kubectl get subs`` and ``kubectl get all``.

Owns :func:`resource_names`: for every CRD in the snapshot, its ``spec.names.shortNames`` and
``spec.names.categories``; for built-in kinds, the ``all`` category the apiserver gives the
workload kinds (pods, services, deployments...) and OpenShift's own (routes, deployment configs,
builds, image streams); and :func:`with_names`, which adds them to a discovery document's
resources — aggregated (``APIGroupDiscoveryList``) or legacy (``APIResourceList``).
:func:`with_crd_resources` makes every served version of every CRD a served resource, objects
or not, as the apiserver does (``kubectl get subs`` finds none rather than failing).
"""

from __future__ import annotations

from typing import Any

from mom.api.errors import MomError
from mom.api.resources import GroupVersionResource
from mom.mustgather.discovery import Discovery, ResourceInfo
from mom.mustgather.reader import ServedReader
from mom.mustgather.store import Snapshot

CRDS = GroupVersionResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")

Names = dict[tuple[str, str], tuple[list[str], list[str]]]
"""(group, resource) -> (short names, categories)."""

_ALL = ["all"]
BUILTIN_CATEGORIES: dict[tuple[str, str], list[str]] = {
    ("", "pods"): _ALL,
    ("", "replicationcontrollers"): _ALL,
    ("", "services"): _ALL,
    ("apps", "daemonsets"): _ALL,
    ("apps", "deployments"): _ALL,
    ("apps", "replicasets"): _ALL,
    ("apps", "statefulsets"): _ALL,
    ("autoscaling", "horizontalpodautoscalers"): _ALL,
    ("batch", "cronjobs"): _ALL,
    ("batch", "jobs"): _ALL,
    ("apps.openshift.io", "deploymentconfigs"): _ALL,
    ("build.openshift.io", "buildconfigs"): _ALL,
    ("build.openshift.io", "builds"): _ALL,
    ("image.openshift.io", "imagestreams"): _ALL,
    ("route.openshift.io", "routes"): _ALL,
}


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def resource_names(snapshot: ServedReader) -> Names:
    """Short names and categories by (group, resource), from the CRDs and the built-in table."""
    names: Names = {key: ([], list(categories)) for key, categories in BUILTIN_CATEGORIES.items()}
    if snapshot.discovery.resource_info(CRDS) is None:
        return names
    try:
        crds = snapshot.list(CRDS)
    except MomError:
        return names
    for crd in crds:
        spec = crd.get("spec")
        if not isinstance(spec, dict) or not isinstance(spec.get("names"), dict):
            continue
        group, plural = spec.get("group"), spec["names"].get("plural")
        if isinstance(group, str) and isinstance(plural, str):
            names[(group, plural)] = (
                _strings(spec["names"].get("shortNames")),
                _strings(spec["names"].get("categories")),
            )
    return names


def _crd_resources(crd: dict[str, Any]) -> list[ResourceInfo]:
    spec = crd.get("spec")
    names = spec.get("names") if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or not isinstance(names, dict):
        return []
    group, plural, kind = spec.get("group"), names.get("plural"), names.get("kind")
    if not (
        isinstance(group, str) and isinstance(plural, str) and isinstance(kind, str) and group and plural
    ):
        return []
    singular = names.get("singular")
    return [
        ResourceInfo(
            gvr=GroupVersionResource(group, version["name"], plural),
            kind=kind,
            namespaced=spec.get("scope") == "Namespaced",
            short_names=tuple(_strings(names.get("shortNames"))),
            singular=singular if isinstance(singular, str) else kind.lower(),
        )
        for version in spec.get("versions") or []
        if isinstance(version, dict) and isinstance(version.get("name"), str) and version.get("served", True)
    ]


def with_crd_resources(snapshot: Snapshot) -> Discovery:
    """The snapshot's discovery, then every served CRD version it does not already have."""
    discovery = snapshot.discovery
    if discovery.resource_info(CRDS) is None:
        return discovery
    try:
        crds = snapshot.list(CRDS)
    except MomError:
        return discovery
    return discovery.merged_over(Discovery([info for crd in crds for info in _crd_resources(crd)]))


def _add(entry: dict[str, Any], group: str, resource: Any, names: Names) -> None:
    found = names.get((group, resource)) if isinstance(resource, str) else None
    if found is None:
        return
    for field, values in zip(("shortNames", "categories"), found, strict=True):
        present = _strings(entry.get(field))
        merged = present + [value for value in values if value not in present]
        if merged:
            entry[field] = merged


def with_names(document: Any, names: Names) -> Any:
    """``document`` with the short names and categories of ``names`` added to its resources'."""
    if not isinstance(document, dict):
        return document
    if document.get("kind") == "APIResourceList":
        group = str(document.get("groupVersion", "")).rpartition("/")[0]
        for entry in document.get("resources") or []:
            if isinstance(entry, dict):
                _add(entry, group, entry.get("name"), names)
        return document
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        metadata = item.get("metadata")
        group = str(metadata.get("name") or "") if isinstance(metadata, dict) else ""
        for version in item.get("versions") or []:
            for entry in (version.get("resources") or []) if isinstance(version, dict) else []:
                if isinstance(entry, dict):
                    _add(entry, group, entry.get("resource"), names)
    return document
