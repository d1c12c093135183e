"""Identities of Kubernetes resources and objects, as mom speaks of them, and copies of objects."""

from __future__ import annotations

from typing import TypeVar

from mom.api.values import OrderedFrozen

T = TypeVar("T")

CORE_GROUP_DIR = "core"
"""Directory name that stands for the core (empty) API group in must-gather and mutation trees."""


class GroupVersionResource(OrderedFrozen):
    """A REST resource: ``apps/v1 deployments``. The core group is the empty string."""

    group: str
    version: str
    resource: str

    __slots__ = ("group", "resource", "version")

    def __init__(self, group: str, version: str, resource: str) -> None:
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "resource", resource)

    @property
    def is_namespaces(self) -> bool:
        """Whether this is the core ``namespaces`` resource (whatever the version)."""
        return self.group == "" and self.resource == "namespaces"

    @property
    def group_dir(self) -> str:
        """The directory name of the group in on-disk trees (``core`` for the core group)."""
        return self.group or CORE_GROUP_DIR

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        return f"{self.resource}.{self.group}" if self.group else self.resource

    def __str__(self) -> str:
        return f"{self.api_version} {self.resource}"


NAMESPACES = GroupVersionResource("", "v1", "namespaces")


class GroupVersionKind(OrderedFrozen):
    """A serialized type: ``apps/v1 Deployment``."""

    group: str
    version: str
    kind: str

    __slots__ = ("group", "kind", "version")

    def __init__(self, group: str, version: str, kind: str) -> None:
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "kind", kind)

    @classmethod
    def from_api_version(cls, api_version: str, kind: str) -> GroupVersionKind:
        group, _, version = api_version.rpartition("/")
        return cls(group, version, kind)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def __str__(self) -> str:
        return f"{self.api_version} {self.kind}"


class ObjectRef(OrderedFrozen):
    """One object of a resource; ``namespace`` is empty for cluster-scoped objects."""

    gvr: GroupVersionResource
    namespace: str
    name: str

    __slots__ = ("gvr", "name", "namespace")

    def __init__(self, gvr: GroupVersionResource, namespace: str, name: str) -> None:
        object.__setattr__(self, "gvr", gvr)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.gvr.group_resource} {where}"


def gvk_of(obj: dict[str, object]) -> GroupVersionKind:
    """The group/version/kind an object says it is (empty strings when it does not say)."""
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    return GroupVersionKind.from_api_version(
        api_version if isinstance(api_version, str) else "", kind if isinstance(kind, str) else ""
    )


def metadata_of(obj: dict[str, object]) -> dict[str, object]:
    """``obj.metadata`` as a dict, empty when absent or malformed."""
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def name_of(obj: dict[str, object]) -> str:
    name = metadata_of(obj).get("name")
    return name if isinstance(name, str) else ""


def namespace_of(obj: dict[str, object]) -> str:
    namespace = metadata_of(obj).get("namespace")
    return namespace if isinstance(namespace, str) else ""


def labels_of(obj: dict[str, object]) -> dict[str, str]:
    labels = metadata_of(obj).get("labels")
    if not isinstance(labels, dict):
        return {}
    return {str(k): str(v) for k, v in labels.items()}


def copy_value(value: T) -> T:
    """A deep copy of a decoded JSON value (an object, a list, a scalar), as ``copy.deepcopy``
    makes it but more than twice as fast: dicts and lists are copied; strings, numbers,
    booleans and null are shared, since they cannot change; anything else is left to
    ``copy.deepcopy``. A dict or list that appears twice in ``value`` is copied twice, as JSON
    would carry it."""
    kind = type(value)
    if kind is dict:
        items = value.items()  # type: ignore[attr-defined]
        return {key: item if type(item) in _SHARED else copy_value(item) for key, item in items}  # type: ignore[return-value]
    if kind is list:
        return [item if type(item) in _SHARED else copy_value(item) for item in value]  # type: ignore[attr-defined, return-value]
    if kind in _SHARED:
        return value
    import copy  # other types: the general copy, loaded only for them

    return copy.deepcopy(value)


_SHARED = frozenset((str, int, float, bool, type(None)))
"""The JSON scalars: immutable, so a copy shares them."""
