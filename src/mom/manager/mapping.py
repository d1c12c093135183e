"""Where an operand namespace's objects live in the hosted control plane namespace, and back.

A hosted cluster's operand namespaces all share one namespace on the management cluster (the
hosted control plane namespace), so an object's name there must say which operand namespace it
belongs to. Two rules, chosen per instance (:class:`~mom.manager.specs.NamespaceMapping`):

- ``Flatten``: ``<namespace>/<name>`` becomes ``<hcp>/<namespace>--<name>``. Operand namespaces
  never contain ``--`` (the configuration refuses them), so the first ``--`` of a flattened name
  splits it back without doubt: no two objects ever share a name, and an object of the hosted
  control plane namespace whose name does not start with an operand namespace and ``--`` belongs
  to no operand namespace (the operator does not see it). A flattened name longer than its
  resource allows is refused, not shortened.
- ``KeepName``: ``<namespace>/<name>`` becomes ``<hcp>/<name>``; the object carries the annotation
  :data:`ORIGIN_ANNOTATION` naming its operand namespace, and an object without it is read as
  living in the first operand namespace. Objects of one name in two operand namespaces collide.

Under both rules the object carries :data:`ORIGIN_ANNOTATION`, so whoever looks at the management
cluster sees where it came from.
"""

from __future__ import annotations

from mom.api.resources import GroupVersionResource, metadata_of
from mom.api.values import Frozen
from mom.manager.specs import FLATTEN_SEPARATOR, NamespaceMapping
from mom.mustgather.reader import Object

ORIGIN_ANNOTATION = "mom.openshift.io/operand-namespace"

NAME_LIMIT = 253
"""A DNS subdomain: the longest name most resources accept."""
LABEL_NAME_LIMITS = {("", "services"): 63}
"""Resources whose names are DNS labels (group, resource) -> their longest name."""
GENERATED_SUFFIX = 5
"""Characters the apiserver appends to a ``generateName``."""


class NamespaceMapper(Frozen):
    """One instance's rule: its hosted control plane namespace and operand namespaces."""

    hosted_control_plane_namespace: str
    operand_namespaces: tuple[str, ...]
    rule: NamespaceMapping

    __slots__ = ("hosted_control_plane_namespace", "operand_namespaces", "rule")

    def __init__(
        self,
        hosted_control_plane_namespace: str,
        operand_namespaces: tuple[str, ...],
        rule: NamespaceMapping = NamespaceMapping.KEEP_NAME,
    ) -> None:
        object.__setattr__(self, "hosted_control_plane_namespace", hosted_control_plane_namespace)
        object.__setattr__(self, "operand_namespaces", operand_namespaces)
        object.__setattr__(self, "rule", rule)

    @property
    def flatten(self) -> bool:
        return self.rule is NamespaceMapping.FLATTEN

    def name(self, namespace: str, name: str) -> str:
        """The name ``namespace/name`` has in the hosted control plane namespace (``""`` stays ``""``)."""
        if not self.flatten or not name:
            return name
        return f"{namespace}{FLATTEN_SEPARATOR}{name}"

    def origin(self, obj: Object) -> tuple[str, str] | None:
        """``(operand namespace, name)`` of an object of the hosted control plane namespace, or
        ``None`` when it belongs to no operand namespace."""
        metadata = metadata_of(obj)
        name = str(metadata.get("name", ""))
        if self.flatten:
            return self.split(name)
        annotations = metadata.get("annotations")
        marked = annotations.get(ORIGIN_ANNOTATION) if isinstance(annotations, dict) else None
        return (str(marked) if marked else self.operand_namespaces[0]), name

    def split(self, mapped_name: str) -> tuple[str, str] | None:
        """The way back from a flattened name; ``None`` when it is not one."""
        namespace, separator, name = mapped_name.partition(FLATTEN_SEPARATOR)
        if not separator or not name or namespace not in self.operand_namespaces:
            return None
        return namespace, name

    def too_long(self, gvr: GroupVersionResource, namespace: str, name: str, generate_name: str) -> str:
        """Why the mapped name of ``namespace/name`` (or its generated name) is longer than
        ``gvr`` accepts, or ``""``."""
        limit = LABEL_NAME_LIMITS.get((gvr.group, gvr.resource), NAME_LIMIT)
        mapped = self.name(namespace, name) if name else self.name(namespace, generate_name)
        length = len(mapped) + (0 if name else GENERATED_SUFFIX)
        if length <= limit:
            return ""
        return (
            f"namespace mapping: {namespace}/{name or generate_name} would be named {mapped!r} in "
            f"{self.hosted_control_plane_namespace}: {length} characters, more than the {limit} "
            f"a {gvr.resource} name may have"
        )

    def map_object(self, document: Object, namespace: str) -> None:
        """``document`` (of operand ``namespace``) as it is stored in the hosted control plane
        namespace, changed in place."""
        metadata = document.setdefault("metadata", {})
        metadata["namespace"] = self.hosted_control_plane_namespace
        for key in ("name", "generateName"):
            if metadata.get(key):
                metadata[key] = self.name(namespace, str(metadata[key]))
        annotations = metadata.get("annotations") or {}
        metadata["annotations"] = {**annotations, ORIGIN_ANNOTATION: namespace}
        involved = document.get("involvedObject")
        if isinstance(involved, dict) and involved.get("namespace") == namespace:
            involved["namespace"] = self.hosted_control_plane_namespace
            if involved.get("name"):
                involved["name"] = self.name(namespace, str(involved["name"]))

    def unmap_object(self, obj: Object, namespace: str, name: str) -> Object:
        """``obj`` as it appears in its operand namespace. Snapshot objects are read-only, so only
        the parts that change are copied."""
        metadata = {**metadata_of(obj), "namespace": namespace, "name": name}
        view = {**obj, "metadata": metadata}
        if self.flatten and metadata.get("generateName"):
            origin = self.split(str(metadata["generateName"]))
            if origin is not None:
                metadata["generateName"] = origin[1]
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict) and ORIGIN_ANNOTATION in annotations:
            rest = {k: v for k, v in annotations.items() if k != ORIGIN_ANNOTATION}
            if rest:
                metadata["annotations"] = rest
            else:
                del metadata["annotations"]
        involved = obj.get("involvedObject")
        if isinstance(involved, dict) and involved.get("namespace") == self.hosted_control_plane_namespace:
            back = self.split(str(involved.get("name", ""))) if self.flatten else (namespace, "")
            if back is not None and back[0] == namespace:
                view["involvedObject"] = {**involved, "namespace": namespace}
                if self.flatten:
                    view["involvedObject"]["name"] = back[1]
        return view
