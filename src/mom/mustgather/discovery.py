"""Discovery: which resources a snapshot serves, their kinds, scopes and preferred versions.

Owns: :class:`ResourceInfo` and :class:`Discovery` (GVR -> kind/scope, kind -> resource,
preferred versions), reading ``apidiscovery.k8s.io/v2`` ``APIGroupDiscoveryList`` documents
(the ``aggregated-discovery-*.yaml`` files of a must-gather) and producing them again.
The built-in table of well-known resources lives in :mod:`mom.mustgather.builtin_discovery`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.api.values import Frozen

DEFAULT_VERBS: tuple[str, ...] = (
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
)


class ResourceInfo(Frozen):
    """One served resource: ``apps/v1 deployments`` is kind ``Deployment``, namespaced."""

    gvr: GroupVersionResource
    kind: str
    namespaced: bool
    verbs: tuple[str, ...]
    short_names: tuple[str, ...]
    singular: str

    __slots__ = ("gvr", "kind", "namespaced", "short_names", "singular", "verbs")

    def __init__(
        self,
        gvr: GroupVersionResource,
        kind: str,
        namespaced: bool,
        verbs: tuple[str, ...] = DEFAULT_VERBS,
        short_names: tuple[str, ...] = (),
        singular: str = "",
    ) -> None:
        object.__setattr__(self, "gvr", gvr)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "namespaced", namespaced)
        object.__setattr__(self, "verbs", verbs)
        object.__setattr__(self, "short_names", short_names)
        object.__setattr__(self, "singular", singular)

    @property
    def gvk(self) -> GroupVersionKind:
        return GroupVersionKind(self.gvr.group, self.gvr.version, self.kind)

    @property
    def is_subresource(self) -> bool:
        return "/" in self.gvr.resource


class Discovery:
    """An ordered, immutable set of resources; earlier versions of a resource are preferred."""

    def __init__(self, resources: Iterable[ResourceInfo]) -> None:
        self._resources: tuple[ResourceInfo, ...] = tuple(resources)
        self._by_gvr: dict[GroupVersionResource, ResourceInfo] = {}
        self._by_gvk: dict[GroupVersionKind, ResourceInfo] = {}
        for info in self._resources:
            self._by_gvr.setdefault(info.gvr, info)
            if not info.is_subresource:
                self._by_gvk.setdefault(info.gvk, info)

    def resource_info(self, gvr: GroupVersionResource) -> ResourceInfo | None:
        """What discovery says about ``gvr``; ``None`` when the resource is not served."""
        return self._by_gvr.get(gvr)

    def for_kind(self, gvk: GroupVersionKind) -> ResourceInfo | None:
        """The resource serving ``gvk`` (subresources skipped); ``None`` when unknown."""
        return self._by_gvk.get(gvk)

    def resources(self) -> Sequence[ResourceInfo]:
        """Every resource, groups and versions in preference order."""
        return self._resources

    def preferred(self, group: str, resource: str) -> ResourceInfo | None:
        """The preferred version of ``resource`` in ``group`` (the first one listed)."""
        for info in self._resources:
            if info.gvr.group == group and info.gvr.resource == resource:
                return info
        return None

    def resolve(self, text: str) -> ResourceInfo | None:
        """The resource a user means by ``text``, kubectl-style, at its preferred version.

        Accepts ``configmaps``, ``configmap``, ``cm``, ``ConfigMap`` (any case), ``configmaps.``
        (core group only), ``clusteroperators.config.openshift.io`` and
        ``deployments.v1.apps``.
        """
        name, dot, qualifier = text.partition(".")
        wanted = name.lower()
        candidates = [info for info in self._resources if not info.is_subresource]
        if dot:
            version, _, group = qualifier.partition(".")
            versioned = [i for i in candidates if i.gvr.version == version and i.gvr.group == group]
            candidates = versioned or [i for i in candidates if i.gvr.group == qualifier]
        for matches in (
            lambda i: i.gvr.resource == wanted,
            lambda i: (i.singular or i.kind.lower()) == wanted,
            lambda i: wanted in i.short_names,
            lambda i: i.kind.lower() == wanted,
        ):
            for info in candidates:
                if matches(info):
                    return info
        return None

    def merged_over(self, base: Discovery) -> Discovery:
        """This discovery's resources first, then those of ``base`` it does not define."""
        mine = {info.gvr for info in self._resources}
        return Discovery([*self._resources, *(info for info in base.resources() if info.gvr not in mine)])

    def aggregated_document(self, legacy: bool) -> dict[str, Any]:
        """The ``APIGroupDiscoveryList`` for ``/api`` (``legacy``) or ``/apis``."""
        groups: dict[str, dict[str, list[ResourceInfo]]] = {}
        for info in self._resources:
            if (info.gvr.group == "") != legacy:
                continue
            groups.setdefault(info.gvr.group, {}).setdefault(info.gvr.version, []).append(info)
        items = []
        for group, versions in groups.items():
            metadata: dict[str, Any] = {"creationTimestamp": None}
            if group:
                metadata["name"] = group
            items.append(
                {
                    "metadata": metadata,
                    "versions": [
                        {"freshness": "Current", "resources": _resource_documents(infos), "version": version}
                        for version, infos in versions.items()
                    ],
                }
            )
        return {
            "apiVersion": "apidiscovery.k8s.io/v2",
            "items": items,
            "kind": "APIGroupDiscoveryList",
            "metadata": {},
        }

    @classmethod
    def from_aggregated(cls, documents: Iterable[tuple[str, Any]]) -> Discovery:
        """Read ``(source, APIGroupDiscoveryList)`` pairs; :class:`InvalidInput` on bad shapes."""
        resources: list[ResourceInfo] = []
        for source, document in documents:
            resources.extend(_read_aggregated(source, document))
        return cls(resources)


def _resource_documents(infos: Sequence[ResourceInfo]) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for info in infos:
        if info.is_subresource:
            continue
        document: dict[str, Any] = {
            "resource": info.gvr.resource,
            "responseKind": {"group": "", "kind": info.kind, "version": ""},
            "scope": "Namespaced" if info.namespaced else "Cluster",
        }
        if info.short_names:
            document["shortNames"] = list(info.short_names)
        document["singularResource"] = info.singular or info.kind.lower()
        document["verbs"] = list(info.verbs)
        documents.append(document)
    return documents


def _read_aggregated(source: str, document: Any) -> list[ResourceInfo]:
    if not isinstance(document, Mapping) or not isinstance(document.get("items") or [], list):
        raise InvalidInput(source, ["not an APIGroupDiscoveryList (expected a mapping with a list of items)"])
    resources: list[ResourceInfo] = []
    problems: list[str] = []
    for g_index, item in enumerate(document.get("items") or []):
        if not isinstance(item, Mapping):
            problems.append(f"items[{g_index}]: not a mapping")
            continue
        metadata = item.get("metadata") if isinstance(item.get("metadata"), Mapping) else {}
        group = str(metadata.get("name") or "") if isinstance(metadata, Mapping) else ""
        for v_index, version_doc in enumerate(item.get("versions") or []):
            field = f"items[{g_index}].versions[{v_index}]"
            if not isinstance(version_doc, Mapping) or not isinstance(version_doc.get("version"), str):
                problems.append(f"{field}.version: required")
                continue
            version = version_doc["version"]
            for r_index, resource_doc in enumerate(version_doc.get("resources") or []):
                info = _read_resource(resource_doc, group, version, f"{field}.resources[{r_index}]", problems)
                if info is not None:
                    resources.append(info)
    if problems:
        raise InvalidInput(source, problems)
    return resources


def _read_resource(
    document: Any, group: str, version: str, field: str, problems: list[str]
) -> ResourceInfo | None:
    if not isinstance(document, Mapping) or not isinstance(document.get("resource"), str):
        problems.append(f"{field}.resource: required")
        return None
    response_kind = document.get("responseKind")
    if not isinstance(response_kind, Mapping) or not response_kind.get("kind"):
        return None  # Go skips resources without a response kind.
    verbs = document.get("verbs")
    short_names = document.get("shortNames")
    return ResourceInfo(
        gvr=GroupVersionResource(group, version, document["resource"]),
        kind=str(response_kind["kind"]),
        namespaced=document.get("scope") != "Cluster",
        verbs=tuple(str(v) for v in verbs) if isinstance(verbs, list) else (),
        short_names=tuple(str(s) for s in short_names) if isinstance(short_names, list) else (),
        singular=str(document.get("singularResource") or ""),
    )
