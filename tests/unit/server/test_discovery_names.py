"""Short names, categories and CRD-defined resources in what discovery serves.

Covers: a CRD's ``shortNames`` and ``categories`` are added to the aggregated and the legacy
discovery documents, merged with the built-in ones, and the workload kinds carry ``all``; every
served version of a CRD becomes a resource even without objects; a malformed CRD is ignored.
"""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.mustgather.store import Snapshot
from mom.server.names import CRDS, resource_names, with_crd_resources, with_names

WIDGETS = GroupVersionResource("example.com", "v1", "widgets")


def _crd(**names: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "kind": "Widget", **names},
            "versions": [{"name": "v1", "served": True}, {"name": "v0", "served": False}],
        },
    }


def _snapshot(*crds: dict[str, Any]) -> Snapshot:
    return Snapshot.from_objects(
        [(ObjectRef(CRDS, "", f"crd{i}.example.com"), crd) for i, crd in enumerate(crds)]
    )


def test_names_reach_both_discovery_documents() -> None:
    names = resource_names(_snapshot(_crd(shortNames=["wd"], categories=["things"])))
    aggregated = {
        "kind": "APIGroupDiscoveryList",
        "items": [
            {
                "metadata": {"name": "example.com"},
                "versions": [{"version": "v1", "resources": [{"resource": "widgets", "shortNames": ["w"]}]}],
            },
            {"metadata": {}, "versions": [{"version": "v1", "resources": [{"resource": "pods"}]}]},
        ],
    }
    done = with_names(aggregated, names)
    widgets = done["items"][0]["versions"][0]["resources"][0]
    assert widgets["shortNames"] == ["w", "wd"] and widgets["categories"] == ["things"]
    assert done["items"][1]["versions"][0]["resources"][0]["categories"] == ["all"]
    legacy = {"kind": "APIResourceList", "groupVersion": "example.com/v1", "resources": [{"name": "widgets"}]}
    assert with_names(legacy, names)["resources"][0]["shortNames"] == ["wd"]
    assert with_names("not a document", names) == "not a document"


def test_crd_versions_become_resources() -> None:
    snapshot = _snapshot(_crd(), {**_crd(), "metadata": {"name": "x"}, "spec": 3})
    discovery = with_crd_resources(snapshot)
    info = discovery.resource_info(WIDGETS)
    assert info is not None and info.kind == "Widget" and info.namespaced
    assert discovery.resource_info(GroupVersionResource("example.com", "v0", "widgets")) is None
    snapshot.discovery = discovery
    assert snapshot.list(WIDGETS) == []
