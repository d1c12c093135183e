"""One entry of the manager's configuration file at a time: an operator, a cluster, an instance.

Owns :func:`operator_entry`, :func:`cluster_entry` and :func:`instance_entry` (each reads its
entry's fields, reporting every problem with its field path to the reader) and the bounded
scalar fields every part of the file uses (:func:`read_number`, :func:`read_path`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.wire_reader import WireReader, field_path, quote
from mom.apply.rbac import DEFAULT_SERVICE_ACCOUNT_NAMESPACE
from mom.manager.consistency import check_namespaces
from mom.manager.specs import (
    DEFAULT_GUEST_NAMESPACES,
    ClusterSpec,
    InstanceSpec,
    NamespaceMapping,
    OperatorSpec,
    TopologyKind,
)
from mom.mustgather.layout import find_resource_root
from mom.mustgather.untrusted import ReadLimits

_OPERATOR = ("name", "command", "python", "resync", "timeout", "controllers", "network", "outputLimits")
_OUTPUT_LIMITS = {"fileBytes": "file_bytes", "entries": "entries", "totalBytes": "total_bytes"}
_CLUSTER = (
    "name",
    "manifestDir",
    "format",
    "kubeconfig",
    "context",
    "impersonate",
    "serviceAccountNamespace",
)
_INSTANCE = (
    "name",
    "topology",
    "cluster",
    "management",
    "guest",
    "hostedControlPlaneNamespace",
    "operandNamespaces",
    "operators",
    "namespaceMapping",
    "guestNamespaces",
)


def operator_entry(reader: WireReader, value: Any, path: str) -> OperatorSpec:
    item = reader.mapping(value, path, _OPERATOR) or {}
    name = reader.string(item, "name", path, required=True)
    command = reader.strings(item, "command", path) if isinstance(item.get("command"), list) else ()
    if isinstance(item.get("command"), str):
        command = (item["command"],)
    python = reader.string(item, "python", path)
    if bool(command) == bool(python):
        reader.add(path, "Invalid value: exactly one of 'command' (a subprocess) or 'python' (in-process)")
    if python and ":" not in python:
        reader.add(field_path(path, "python"), f"Invalid value: {quote(python)}: want 'module:attribute'")
    network = _flag(reader, item, "network", path)
    if network and python:
        reader.add(
            field_path(path, "network"),
            "Invalid value: only a subprocess operator ('command') is confined; an in-process one "
            "shares the manager's network",
        )
    return OperatorSpec(
        name=name,
        command=command,
        python=python,
        resync=read_number(reader, item, "resync", path, 3600.0),
        timeout=read_number(reader, item, "timeout", path, 60.0, minimum=0.001),
        controllers=reader.strings(item, "controllers", path) if "controllers" in item else ("*",),
        network=network,
        output_limits=_output_limits(reader, item.get("outputLimits"), field_path(path, "outputLimits")),
    )


def _flag(reader: WireReader, item: dict[str, Any], key: str, path: str) -> bool:
    """``item[key]``, true or false (false when absent, or reported when not a boolean)."""
    value = item.get(key, False)
    if not isinstance(value, bool):
        reader.add(field_path(path, key), f"Invalid value: {quote(value)}: must be true or false")
        return False
    return value


def _output_limits(reader: WireReader, value: Any, path: str) -> ReadLimits:
    """``outputLimits: {fileBytes, entries, totalBytes}``; each a positive integer, each optional."""
    if value is None:
        return ReadLimits()
    item = reader.mapping(value, path, _OUTPUT_LIMITS) or {}
    limits: dict[str, int] = {}
    for key, attribute in _OUTPUT_LIMITS.items():
        if key not in item:
            continue
        number = item[key]
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            reader.add(field_path(path, key), f"Invalid value: {quote(number)}: must be a positive integer")
            continue
        limits[attribute] = number
    return ReadLimits(**limits)


def cluster_entry(reader: WireReader, value: Any, path: str, base: Path) -> ClusterSpec:
    item = reader.mapping(value, path, _CLUSTER) or {}
    name = reader.string(item, "name", path, required=True)
    kubeconfig = read_path(reader, reader.string(item, "kubeconfig", path), field_path(path, "kubeconfig"))
    context = reader.string(item, "context", path)
    manifest_dir = reader.string(item, "manifestDir", path, required=not kubeconfig)
    manifest_dir = read_path(reader, manifest_dir, field_path(path, "manifestDir"))
    if kubeconfig and manifest_dir:
        reader.add(
            path, "Invalid value: exactly one of 'manifestDir' (a directory) or 'kubeconfig' (a live cluster)"
        )
    if kubeconfig and not (base / kubeconfig).is_file():
        reader.add(field_path(path, "kubeconfig"), f"Not found: {quote(kubeconfig)}: not a file")
    if context and not kubeconfig:
        reader.add(field_path(path, "context"), "Invalid value: a context needs a 'kubeconfig'")
    impersonate = _flag(reader, item, "impersonate", path)
    account_namespace = reader.string(item, "serviceAccountNamespace", path)
    if (impersonate or account_namespace) and not kubeconfig:
        reader.add(path, "Invalid value: impersonation needs a live cluster ('kubeconfig')")
    if kubeconfig:
        return ClusterSpec(
            name=name,
            kubeconfig=base / kubeconfig,
            context=context,
            impersonate=impersonate,
            service_account_namespace=account_namespace or DEFAULT_SERVICE_ACCOUNT_NAMESPACE,
        )
    return _directory_cluster(reader, item, path, name, (base, manifest_dir))


def _directory_cluster(
    reader: WireReader, item: dict[str, Any], path: str, name: str, where: tuple[Path, str]
) -> ClusterSpec:
    """A cluster in the manifest directory ``manifest_dir`` relative to ``base`` (its resource
    tree when it is a must-gather's top directory)."""
    base, manifest_dir = where
    root = base / manifest_dir
    if manifest_dir and not root.is_dir():
        reader.add(field_path(path, "manifestDir"), f"Not found: {quote(manifest_dir)}: not a directory")
    elif manifest_dir:
        try:
            root = find_resource_root(root)
        except InvalidInput as exc:
            reason = "; ".join(exc.problems)
            reader.add(field_path(path, "manifestDir"), f"Invalid value: {quote(manifest_dir)}: {reason}")
    file_format = reader.string(item, "format", path) or "yaml"
    if file_format not in ("yaml", "json"):
        reader.add(
            field_path(path, "format"),
            f'Unsupported value: {quote(file_format)}: supported values: "yaml", "json"',
        )
    return ClusterSpec(name=name, manifest_dir=root, file_format=file_format)


def instance_entry(reader: WireReader, value: Any, path: str) -> InstanceSpec:
    item = reader.mapping(value, path, _INSTANCE) or {}
    name = reader.string(item, "name", path, required=True)
    topology_text = reader.string(item, "topology", path, required=True)
    try:
        topology = TopologyKind(topology_text)
    except ValueError:
        supported = ", ".join(quote(t.value) for t in TopologyKind)
        reader.add(
            field_path(path, "topology"),
            f"Unsupported value: {quote(topology_text)}: supported values: {supported}",
        )
        topology = TopologyKind.STANDALONE
    instance = InstanceSpec(
        name=name,
        topology=topology,
        cluster=reader.string(item, "cluster", path, required=topology is TopologyKind.STANDALONE),
        management=reader.string(item, "management", path, required=topology is TopologyKind.HYPERSHIFT),
        guest=reader.string(item, "guest", path, required=topology is TopologyKind.HYPERSHIFT),
        hosted_control_plane_namespace=reader.string(
            item, "hostedControlPlaneNamespace", path, required=topology is TopologyKind.HYPERSHIFT
        ),
        operand_namespaces=reader.strings(item, "operandNamespaces", path),
        operators=reader.strings(item, "operators", path),
        namespace_mapping=_namespace_mapping(reader, item, path),
        guest_namespaces=(
            reader.strings(item, "guestNamespaces", path)
            if "guestNamespaces" in item
            else DEFAULT_GUEST_NAMESPACES
        ),
    )
    check_namespaces(reader, item, path, instance)
    return instance


def _namespace_mapping(reader: WireReader, item: dict[str, Any], path: str) -> NamespaceMapping:
    text = reader.string(item, "namespaceMapping", path) or NamespaceMapping.KEEP_NAME.value
    try:
        return NamespaceMapping(text)
    except ValueError:
        supported = ", ".join(quote(m.value) for m in NamespaceMapping)
        reader.add(
            field_path(path, "namespaceMapping"),
            f"Unsupported value: {quote(text)}: supported values: {supported}",
        )
        return NamespaceMapping.KEEP_NAME


MAX_CONCURRENCY = 1024
"""More operator runs at once than any machine can hold is a typo, not a setting."""
MAX_SECONDS = 7 * 24 * 3600.0
"""The longest debounce or backoff accepted: a week."""
MAX_PATH_BYTES = 4096
"""Longest path a configuration may name (Linux's PATH_MAX); a component is at most 255 bytes."""


def read_number(
    reader: WireReader,
    item: dict[str, Any],
    key: str,
    path: str,
    default: float,
    *,
    minimum: float = 0.0,
    maximum: float = MAX_SECONDS,
) -> float:
    value = item.get(key, default)
    # NaN compares false both ways; infinities and huge integers fail the maximum.
    if isinstance(value, bool) or not isinstance(value, int | float) or not minimum <= value <= maximum:
        reader.add(
            field_path(path, key),
            f"Invalid value: {quote(value)}: must be a number from {minimum:g} to {maximum:g}",
        )
        return default
    return float(value)


def read_path(reader: WireReader, value: str, field: str) -> str:
    """``value`` when it can name a file at all, else ``""`` with the problem reported."""
    encoded = value.encode("utf-8", "surrogatepass")
    if "\x00" in value:
        reader.add(field, f"Invalid value: {quote(value)}: a path cannot hold a NUL character")
    elif len(encoded) > MAX_PATH_BYTES or any(len(part) > 255 for part in encoded.split(b"/")):
        reader.add(
            field,
            f"Invalid value: a path of {len(encoded)} bytes: paths are at most {MAX_PATH_BYTES} bytes,"
            " each name in them at most 255",
        )
    else:
        return value
    return ""
