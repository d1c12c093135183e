"""Parsing kube-apiserver request paths into what they address (like the apiserver's RequestInfo)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

from mom.api.resources import GroupVersionResource
from mom.api.values import Frozen


class ResourcePath(Frozen):
    """A resource request: ``/apis/G/V[/namespaces/NS]/R[/NAME[/SUB]]`` or the core ``/api/v1/...``."""

    gvr: GroupVersionResource
    namespace: str
    name: str
    subresource: str

    __slots__ = ("gvr", "name", "namespace", "subresource")

    def __init__(
        self,
        gvr: GroupVersionResource,
        namespace: str = "",
        name: str = "",
        subresource: str = "",
    ) -> None:
        object.__setattr__(self, "gvr", gvr)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "subresource", subresource)


class DiscoveryPath(Frozen):
    """A discovery request: ``/api``, ``/apis``, ``/api/v1``, ``/apis/G`` or ``/apis/G/V``."""

    group: str | None
    version: str | None
    legacy: bool

    __slots__ = ("group", "legacy", "version")

    def __init__(self, group: str | None = None, version: str | None = None, legacy: bool = False) -> None:
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "legacy", legacy)


@lru_cache(maxsize=4096)  # clients send the same few paths again and again; results are immutable
def parse_path(path: str) -> ResourcePath | DiscoveryPath | None:
    """What a request path addresses; ``None`` for non-resource paths (``/version``, ``/healthz``...)."""
    parts = [unquote(p) for p in path.split("?", 1)[0].strip("/").split("/") if p]
    if not parts:
        return None
    if parts[0] == "api":
        if len(parts) == 1:
            return DiscoveryPath(legacy=True)
        group, version, rest = "", parts[1], parts[2:]
        if not rest:
            return DiscoveryPath(group="", version=version, legacy=True)
    elif parts[0] == "apis":
        if len(parts) <= 3:
            return DiscoveryPath(
                group=parts[1] if len(parts) > 1 else None, version=parts[2] if len(parts) > 2 else None
            )
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 3:
        namespace, rest = rest[1], rest[2:]
    elif rest[0] == "namespaces" and len(rest) == 2:
        # /api/v1/namespaces/NAME addresses the Namespace object itself.
        return ResourcePath(GroupVersionResource(group, version, "namespaces"), namespace="", name=rest[1])
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = "/".join(rest[2:]) if len(rest) > 2 else ""
    return ResourcePath(GroupVersionResource(group, version, resource), namespace, name, subresource)


def resource_url(
    gvr: GroupVersionResource, namespace: str = "", name: str = "", subresource: str = ""
) -> str:
    """The path of a resource request, the inverse of :func:`parse_path`."""
    prefix = f"/apis/{gvr.group}/{gvr.version}" if gvr.group else f"/api/{gvr.version}"
    if gvr.is_namespaces:
        parts = [prefix, "namespaces"] + ([name] if name else [])
    else:
        parts = [prefix] + (["namespaces", namespace] if namespace else []) + [gvr.resource]
        if name:
            parts.append(name)
    if subresource:
        parts.append(subresource)
    return "/".join(parts)
