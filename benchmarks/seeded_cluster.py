"""A real control plane seeded from a must-gather: its CRDs, then an operator's declared inputs.

Used by :mod:`benchmarks.daemon_go` to give a real operator daemon the cluster it would find.
The must-gather's CustomResourceDefinitions are installed as they were served (metadata cut to
name, labels and annotations; status dropped; a caller may replace one by a file of its own),
so every type that is a CRD on OpenShift is served here too; aggregated APIs (routes, OAuth
clients, users) are not CRDs and stay unserved, as on a cluster whose openshift-apiserver is
down. The objects are what mom gathers for the operator's ``input-resources`` from the same
must-gather (:func:`mom.inputs.gather.gather_inputs`) plus any the caller names, created with
their server-set metadata (and a Service's recorded addresses) removed, namespaces first, then
given their recorded status through the status subresource.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mom.api.errors import MomError, NotFound
from mom.api.input_resources import InputResources
from mom.api.resources import GroupVersionResource, ObjectRef, name_of
from mom.client.paths import resource_url
from mom.envtest.cluster import Cluster
from mom.envtest.crds import install_crds
from mom.inputs.gather import gather_inputs
from mom.mustgather.store import Snapshot
from mom.serialization import dump_json, load_document

CRD_GVR = GroupVersionResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
SERVICES = GroupVersionResource("", "v1", "services")
SERVER_SET_METADATA = (
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
    "ownerReferences",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
)
"""Metadata a kube-apiserver sets itself, or that names objects this cluster does not have."""
SERVICE_ALLOCATED = ("clusterIP", "clusterIPs")
"""A Service's addresses come from the cluster's own service range, not the recorded one."""


@dataclass
class Seeded:
    """What seeding did: objects created, statuses written, and what the server refused (why)."""

    created: int = 0
    statuses: int = 0
    refused: list[str] = field(default_factory=list)


def crd_for_install(crd: dict[str, Any]) -> dict[str, Any]:
    """A served CRD as a fresh one: its spec, with metadata cut to name, labels and annotations."""
    metadata = crd.get("metadata") or {}
    fresh = {key: metadata[key] for key in ("name", "labels", "annotations") if key in metadata}
    return {
        "apiVersion": crd.get("apiVersion"),
        "kind": crd.get("kind"),
        "metadata": fresh,
        "spec": crd.get("spec"),
    }


def object_for_create(gvr: GroupVersionResource, obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` without the fields the server sets, ready to be created anew (a status subresource's
    server ignores the status on create)."""
    fresh = dict(obj)
    metadata = {k: v for k, v in (obj.get("metadata") or {}).items() if k not in SERVER_SET_METADATA}
    fresh["metadata"] = metadata
    if gvr == SERVICES and isinstance(obj.get("spec"), dict):
        fresh["spec"] = {k: v for k, v in obj["spec"].items() if k not in SERVICE_ALLOCATED}
    return fresh


def install_must_gather_crds(
    cluster: Cluster, snapshot: Snapshot, scratch: Path, replacements: Mapping[str, Path]
) -> int:
    """Install every CRD the must-gather recorded, or the file ``replacements`` names for it; how many."""
    scratch.mkdir(parents=True, exist_ok=True)
    paths = []
    for crd in snapshot.list(CRD_GVR):
        name = name_of(crd)
        path = replacements.get(name)
        if path is None:
            path = scratch / f"{name}.yaml"
            path.write_bytes(dump_json(crd_for_install(dict(crd))))  # JSON is YAML
        paths.append(path)
    install_crds(cluster, paths)
    return len(paths)


def objects_to_seed(
    snapshot: Snapshot, declaration: InputResources, also: Sequence[ObjectRef]
) -> tuple[list[tuple[ObjectRef, dict[str, Any]]], list[str]]:
    """What mom gathers from ``snapshot`` for ``declaration``, plus the objects ``also`` names;
    and what was named but is not in the snapshot."""
    gathered = gather_inputs(snapshot, declaration)
    objects = [(ref, dict(obj)) for ref, obj in gathered.objects]
    missing = list(gathered.missing)
    for ref in also:
        try:
            objects.append((ref, dict(snapshot.get(ref.gvr, namespace=ref.namespace, name=ref.name))))
        except NotFound:
            missing.append(f"{_describe(ref)}: not found")
    return objects, missing


def seed(cluster: Cluster, objects: list[tuple[ObjectRef, dict[str, Any]]]) -> Seeded:
    """Create ``objects`` (their namespaces first) and give each its recorded status."""
    seeded = Seeded()
    objects = list(objects)
    present = {ref.name for ref, _ in objects if ref.gvr == NAMESPACES}
    for namespace in sorted({ref.namespace for ref, _ in objects if ref.namespace} - present):
        objects.append((ObjectRef(NAMESPACES, "", namespace), _namespace(namespace)))
    objects.sort(key=lambda item: item[0].gvr != NAMESPACES)
    for ref, obj in objects:
        _create(cluster, ref, obj, seeded)
    return seeded


def _describe(ref: ObjectRef) -> str:
    where = f"{ref.namespace}/" if ref.namespace else ""
    return f"{ref.gvr.resource}.{ref.gvr.group or 'core'} {where}{ref.name}"


def _namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _create(cluster: Cluster, ref: ObjectRef, obj: dict[str, Any], seeded: Seeded) -> None:
    what = _describe(ref)
    try:
        created = cluster.request(
            "POST", resource_url(ref.gvr, ref.namespace), object_for_create(ref.gvr, obj)
        )
    except urllib.error.HTTPError as exc:
        if exc.code != 409:  # 409: the server made it itself (default/kubernetes)
            seeded.refused.append(f"{what}: {exc.code} {_reason(exc)}")
        return
    seeded.created += 1
    status = obj.get("status")
    if not status or ref.gvr == NAMESPACES:
        return
    created["status"] = status
    try:
        cluster.request("PUT", resource_url(ref.gvr, ref.namespace, ref.name, "status"), created)
    except urllib.error.HTTPError as exc:
        if exc.code != 404:  # 404: the type has no status subresource; its status went with the body
            seeded.refused.append(f"{what} status: {exc.code} {_reason(exc)}")
        return
    seeded.statuses += 1


def _reason(exc: urllib.error.HTTPError) -> str:
    body = exc.read().decode("utf-8", "replace").strip()
    try:
        answer = load_document(body.encode(), "kube-apiserver answer")
    except MomError:
        return body[:200]
    message = answer.get("message") if isinstance(answer, dict) else None
    return str(message or body[:200])
