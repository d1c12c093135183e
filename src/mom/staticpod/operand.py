"""The static pod operand: its identity, its revisioned inputs, and the names both halves share.

An operand definition is a small YAML document (``mom static-pods ... --operand FILE``)::

    name: example-apiserver            # the pod; mirror pods are <name>-<node>
    namespace: openshift-example-apiserver
    operator: {group: operator.openshift.io, version: v1, resource: exampleapiservers, name: cluster}
    configMaps: [example-apiserver-pod, config]   # <name>-pod holds pod.yaml, the pod template
    secrets: [serving-cert]
    nodeSelector: {node-role.kubernetes.io/master: ""}
    revisionLimit: 5                   # revisions kept besides those a node runs or falls back to
    minReadySeconds: 30                # a node counts as done after this long Ready

Every name here ends up in an object name, a label or a directory name, so each is checked to
be a DNS-1123 label short enough to take a ``-<revision>`` suffix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.resource_entries import ExactResource
from mom.api.resources import GroupVersionResource
from mom.api.wire_reader import WireReader, field_path, quote
from mom.serialization import load_document

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
PODS = GroupVersionResource("", "v1", "pods")
NODES = GroupVersionResource("", "v1", "nodes")

POD_KEY = "pod.yaml"
"""The key of the pod ConfigMap (``<name>-pod``) that holds the pod template."""
REVISION_LABEL = "revision"
"""Label on revision copies and on the installed pod: the revision number, as library-go uses it."""
APP_LABEL = "app"
"""Label on the installed pod (and so its mirror pods): the operand's name."""
REVISION_STATUS = "revision-status"
"""Prefix of the per-revision ConfigMap (``revision-status-<N>``) recording why it was made."""
MASTER_ROLE = "node-role.kubernetes.io/master"

MAX_SIZE = 1 << 20
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_NAME_ROOM = 63 - len("-pod-") - 10
"""A name must leave room for ``-pod-<revision>`` within a 63-character label."""

FIELDS = (
    "name",
    "namespace",
    "operator",
    "configMaps",
    "secrets",
    "nodeSelector",
    "revisionLimit",
    "minReadySeconds",
)
_OPERATOR_FIELDS = ("group", "version", "resource", "name")


@dataclass(frozen=True)
class StaticPodOperand:
    """One operand installed as a static pod on every selected node."""

    name: str
    namespace: str
    operator: ExactResource
    config_maps: tuple[str, ...]
    secrets: tuple[str, ...] = ()
    node_selector: dict[str, str] = field(default_factory=lambda: {MASTER_ROLE: ""})
    revision_limit: int = 5
    min_ready_seconds: int = 30

    @property
    def pod_config_map(self) -> str:
        return f"{self.name}-pod"

    @property
    def node_label_selector(self) -> str:
        return ",".join(f"{k}={v}" if v else k for k, v in sorted(self.node_selector.items()))

    def mirror_pod_name(self, node: str) -> str:
        """The kubelet names the mirror pod of static pod ``<name>`` on node N ``<name>-N``."""
        return f"{self.name}-{node}"

    def revisioned(self) -> tuple[tuple[GroupVersionResource, str], ...]:
        """Every revision input, ConfigMaps first."""
        return tuple((CONFIGMAPS, n) for n in self.config_maps) + tuple((SECRETS, n) for n in self.secrets)

    def resource_dir_name(self, revision: int) -> str:
        """The node directory of a revision, as the installer names it: ``<name>-pod-<revision>``."""
        return f"{self.name}-pod-{revision}"

    @property
    def manifest_file_name(self) -> str:
        return f"{self.name}-pod.yaml"


def revision_name(name: str, revision: int) -> str:
    """A revision's copy of input ``name``: ``<name>-<revision>``."""
    return f"{name}-{revision}"


def check_name(reader: WireReader, value: str, path: str) -> None:
    if not _NAME.match(value) or len(value) > _NAME_ROOM:
        reader.add(
            path,
            f"Invalid value: {quote(value)}: must be a DNS-1123 label of at most {_NAME_ROOM} characters",
        )


def operand_from_wire(doc: Any, source: str) -> StaticPodOperand:
    """A checked operand definition; every problem is reported at once with its field path."""
    reader = WireReader()
    top = reader.mapping(doc, "", FIELDS)
    if top is None:
        raise InvalidInput(source, reader.problems)
    name = reader.string(top, "name", "", required=True)
    namespace = reader.string(top, "namespace", "", required=True)
    for key, value in (("name", name), ("namespace", namespace)):
        if value:
            check_name(reader, value, key)
    operator = _operator(reader, top.get("operator"))
    config_maps = reader.strings(top, "configMaps", "")
    secrets = reader.strings(top, "secrets", "")
    for key, names in (("configMaps", config_maps), ("secrets", secrets)):
        for index, value in enumerate(names):
            check_name(reader, value, f"{key}[{index}]")
        if len(set(names)) != len(names):
            reader.add(key, "Duplicate value: a name is listed twice")
    if name and _NAME.match(name) and f"{name}-pod" not in config_maps:
        reader.add("configMaps", f"Required value: must list {quote(name + '-pod')}, the pod template")
    selector = reader.mapping(top.get("nodeSelector", {MASTER_ROLE: ""}), "nodeSelector", None) or {}
    for key, value in selector.items():
        if not isinstance(value, str):
            reader.add(
                field_path("nodeSelector", str(key)), f"Invalid value: {quote(value)}: must be a string"
            )
    limit = _count(reader, top, "revisionLimit", 5, minimum=1)
    min_ready = _count(reader, top, "minReadySeconds", 30, minimum=0)
    if reader.problems or operator is None:
        raise InvalidInput(source, reader.problems)
    return StaticPodOperand(
        name=name,
        namespace=namespace,
        operator=operator,
        config_maps=config_maps,
        secrets=secrets,
        node_selector={str(k): str(v) for k, v in selector.items()},
        revision_limit=limit,
        min_ready_seconds=min_ready,
    )


def load_operand(path: Path) -> StaticPodOperand:
    """Read and check the operand definition at ``path``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SIZE + 1)
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot read: {exc.strerror or exc}"]) from exc
    if len(data) > MAX_SIZE:
        raise InvalidInput(str(path), [f"Too long: larger than {MAX_SIZE} bytes"])
    return operand_from_wire(load_document(data, str(path)), str(path))


def _operator(reader: WireReader, value: Any) -> ExactResource | None:
    if value is None:
        reader.add("operator", "Required value: the resource whose status the controller writes")
        return None
    body = reader.mapping(value, "operator", _OPERATOR_FIELDS)
    if body is None:
        return None
    group = reader.string(body, "group", "operator")
    version = reader.string(body, "version", "operator", required=True)
    resource = reader.string(body, "resource", "operator", required=True)
    name = reader.string(body, "name", "operator", required=True)
    return ExactResource(group, version, resource, "", name)


def _count(reader: WireReader, top: dict[str, Any], key: str, default: int, *, minimum: int) -> int:
    value = top.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        reader.add(key, f"Invalid value: {quote(value)}: must be an integer of at least {minimum}")
        return default
    return value
