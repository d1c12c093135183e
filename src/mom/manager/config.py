"""The manager's configuration file: operators, clusters, and the instances to manage.

A YAML (or JSON) document; relative paths are relative to the file. Example::

    journal: state/journal.sqlite
    retention:             # optional; what the journal keeps (mom.journal.retention)
      runsPerPair: 100     # the newest runs of each operator on each instance (0: keep all)
      keepProblemsFor: 604800  # seconds failed, abandoned or refusing runs stay regardless
    concurrency: 4         # subprocess runs at once (in-process runs take turns)
    operators:
    - name: sample-operator
      python: mom.operator.sample.operator:SAMPLE_OPERATOR   # in-process
      resync: 600            # seconds between runs on unchanged inputs
      controllers: ["*", -sample-operator-IngressCreator]       # as --controllers
    - name: other
      command: [./bin/other-operator]                           # any language, as a subprocess
      timeout: 60
      network: false         # subprocess operators run without network unless set to true
      outputLimits: {fileBytes: 8388608, entries: 20000, totalBytes: 67108864}   # the defaults
    clusters:
    - name: standalone
      manifestDir: clusters/standalone
    - name: production                     # a live cluster instead of a directory
      kubeconfig: kube/production.yaml
      context: admin                       # optional: the kubeconfig's current context
      impersonate: true                    # optional: write as each operator's service account
      serviceAccountNamespace: mom-operators   # optional: where those service accounts live
    instances:
    - name: standalone
      topology: Standalone
      cluster: standalone
    - name: hosted-a
      topology: HyperShift
      management: management
      guest: guest-a
      hostedControlPlaneNamespace: clusters-hosted-a
      operandNamespaces: [openshift-authentication, openshift-example-operator]
      namespaceMapping: Flatten            # <namespace>--<name> in clusters-hosted-a; or KeepName
      guestNamespaces: [openshift-config, openshift-config-managed]   # Management objects there

A ``manifestDir`` may be a must-gather's top directory: its resource tree is found one level
down (:func:`mom.mustgather.layout.find_resource_root`).

Every problem in the file is reported at once, with its field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.wire_reader import WireReader, field_path, quote
from mom.apply.rbac import DEFAULT_SERVICE_ACCOUNT_NAMESPACE, ServiceAccountRef
from mom.journal.retention import DEFAULT_PROBLEMS_FOR, DEFAULT_RUNS_PER_PAIR, RetentionPolicy
from mom.manager.scaleout.lease import LeaseSpec, check_ring, read_lease
from mom.mustgather.layout import find_resource_root
from mom.mustgather.untrusted import ReadLimits
from mom.serialization import load_document


class TopologyKind(StrEnum):
    STANDALONE = "Standalone"
    HYPERSHIFT = "HyperShift"


FLATTEN_SEPARATOR = "--"
"""Between the operand namespace and the name, in a flattened name."""


class NamespaceMapping(StrEnum):
    """How a hosted cluster's operand namespaces share its hosted control plane namespace."""

    KEEP_NAME = "KeepName"
    """``<namespace>/<name>`` becomes ``<hcp>/<name>``: objects of one name in two operand
    namespaces collide and are refused. The default, so existing configurations keep their objects
    where they are."""
    FLATTEN = "Flatten"
    """``<namespace>/<name>`` becomes ``<hcp>/<namespace>--<name>``: no two objects collide."""


DEFAULT_GUEST_NAMESPACES = ("openshift-config", "openshift-config-managed")
"""Where a hosted cluster's Management objects in these namespaces go unless configured: the
guest cluster, whose API serves the cluster-wide configuration they belong to."""


@dataclass(frozen=True)
class OperatorSpec:
    name: str
    command: tuple[str, ...] = ()
    python: str = ""
    resync: float = 3600.0
    timeout: float = 60.0
    controllers: tuple[str, ...] = ("*",)
    """The ``--controllers`` selection: ``*``, ``name``, ``-name``."""
    network: bool = False
    """Whether a subprocess operator may use the network (off: no TCP, no network namespace)."""
    output_limits: ReadLimits = field(default_factory=ReadLimits)
    """How much of a subprocess operator's output directory is read before it is refused."""

    @property
    def in_process(self) -> bool:
        return bool(self.python)


@dataclass(frozen=True)
class ClusterSpec:
    """A physical cluster mom applies to: a manifest directory in must-gather layout, or a live
    cluster named by a kubeconfig (and context); exactly one of the two."""

    name: str
    manifest_dir: Path | None = None
    file_format: str = "yaml"
    """How mom writes the directory's files: ``yaml`` (Go-style), or ``json`` for big fleets."""
    kubeconfig: Path | None = None
    context: str = ""
    impersonate: bool = False
    """Live clusters only: apply each operator's writes as its service account, so the server
    refuses whatever that operator's RBAC does not allow."""
    service_account_namespace: str = DEFAULT_SERVICE_ACCOUNT_NAMESPACE

    @property
    def live(self) -> bool:
        return self.kubeconfig is not None

    def writer(self, operator: str) -> ServiceAccountRef | None:
        """Whom ``operator``'s writes to this cluster are made as; ``None``: mom's own user."""
        if not self.impersonate:
            return None
        return ServiceAccountRef(self.service_account_namespace, operator)


@dataclass(frozen=True)
class InstanceSpec:
    """One cluster to manage: standalone, or a hosted cluster on a management cluster."""

    name: str
    topology: TopologyKind
    cluster: str = ""
    management: str = ""
    guest: str = ""
    hosted_control_plane_namespace: str = ""
    operand_namespaces: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    """Names of the operators that manage this instance; empty means all of them."""
    namespace_mapping: NamespaceMapping = NamespaceMapping.KEEP_NAME
    guest_namespaces: tuple[str, ...] = DEFAULT_GUEST_NAMESPACES
    """HyperShift: namespaces whose Management objects go to (and are read from) the guest."""


@dataclass(frozen=True)
class ManagerConfig:
    source: Path
    journal: Path
    operators: tuple[OperatorSpec, ...]
    clusters: tuple[ClusterSpec, ...]
    instances: tuple[InstanceSpec, ...]
    concurrency: int = 4
    debounce: float = 5.0
    max_backoff: float = 300.0
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    lease: LeaseSpec | None = None
    """With a lease, only the replica holding it runs and writes (mom.manager.scaleout)."""

    def cluster(self, name: str) -> ClusterSpec:
        return next(c for c in self.clusters if c.name == name)

    def operators_for(self, instance: InstanceSpec) -> tuple[OperatorSpec, ...]:
        if not instance.operators:
            return self.operators
        return tuple(o for o in self.operators if o.name in instance.operators)


_TOP = (
    "journal",
    "retention",
    "concurrency",
    "debounce",
    "maxBackoff",
    "operators",
    "clusters",
    "instances",
    "lease",
)
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


def load_config(path: Path) -> ManagerConfig:
    """Read and validate a configuration file; raises InvalidInput listing every problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot read: {exc.strerror}"]) from exc
    return parse_config(load_document(data, str(path)), path)


def parse_config(document: Any, source: Path) -> ManagerConfig:
    reader = WireReader()
    top = reader.mapping(document, "", _TOP) or {}
    base = source.parent
    operators = tuple(_operator(reader, item, here) for here, item in reader.items(top, "operators", ""))
    clusters = tuple(_cluster(reader, item, here, base) for here, item in reader.items(top, "clusters", ""))
    instances = tuple(_instance(reader, item, here) for here, item in reader.items(top, "instances", ""))
    _check_references(reader, operators, clusters, instances)
    journal = _path(reader, reader.string(top, "journal", ""), "journal") or "mom-journal.sqlite"
    config = ManagerConfig(
        source=source,
        journal=base / journal,
        operators=operators,
        clusters=clusters,
        instances=instances,
        concurrency=int(_number(reader, top, "concurrency", "", 4, minimum=1, maximum=MAX_CONCURRENCY)),
        debounce=_number(reader, top, "debounce", "", 5.0),
        max_backoff=_number(reader, top, "maxBackoff", "", 300.0),
        retention=_retention(reader, top.get("retention")),
        lease=read_lease(reader, top.get("lease"), {c.name for c in clusters if c.live}),
    )
    live = {c.name: c.live for c in clusters}
    check_ring(
        reader, config.lease, {i.management: live.get(i.management, True) for i in instances if i.management}
    )
    if not operators:
        reader.add("operators", "Required value: at least one operator")
    if not instances:
        reader.add("instances", "Required value: at least one instance")
    if reader.problems:
        raise InvalidInput(str(source), reader.problems)
    return config


def _retention(reader: WireReader, value: Any) -> RetentionPolicy:
    if value is None:
        return RetentionPolicy()
    item = reader.mapping(value, "retention", ("runsPerPair", "keepProblemsFor")) or {}
    runs = _number(reader, item, "runsPerPair", "retention", DEFAULT_RUNS_PER_PAIR)
    if runs != int(runs):
        reader.add("retention.runsPerPair", f"Invalid value: {quote(runs)}: must be a whole number")
    seconds = _number(reader, item, "keepProblemsFor", "retention", DEFAULT_PROBLEMS_FOR.total_seconds())
    return RetentionPolicy(int(runs), timedelta(seconds=seconds))


def _operator(reader: WireReader, value: Any, path: str) -> OperatorSpec:
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
    network = item.get("network", False)
    if not isinstance(network, bool):
        reader.add(field_path(path, "network"), f"Invalid value: {quote(network)}: must be true or false")
        network = False
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
        resync=_number(reader, item, "resync", path, 3600.0),
        timeout=_number(reader, item, "timeout", path, 60.0, minimum=0.001),
        controllers=reader.strings(item, "controllers", path) if "controllers" in item else ("*",),
        network=network,
        output_limits=_output_limits(reader, item.get("outputLimits"), field_path(path, "outputLimits")),
    )


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
    return replace(ReadLimits(), **limits)


def _cluster(reader: WireReader, value: Any, path: str, base: Path) -> ClusterSpec:
    item = reader.mapping(value, path, _CLUSTER) or {}
    name = reader.string(item, "name", path, required=True)
    kubeconfig = _path(reader, reader.string(item, "kubeconfig", path), field_path(path, "kubeconfig"))
    context = reader.string(item, "context", path)
    manifest_dir = reader.string(item, "manifestDir", path, required=not kubeconfig)
    manifest_dir = _path(reader, manifest_dir, field_path(path, "manifestDir"))
    if kubeconfig and manifest_dir:
        reader.add(
            path, "Invalid value: exactly one of 'manifestDir' (a directory) or 'kubeconfig' (a live cluster)"
        )
    if kubeconfig and not (base / kubeconfig).is_file():
        reader.add(field_path(path, "kubeconfig"), f"Not found: {quote(kubeconfig)}: not a file")
    if context and not kubeconfig:
        reader.add(field_path(path, "context"), "Invalid value: a context needs a 'kubeconfig'")
    impersonate = item.get("impersonate", False)
    if not isinstance(impersonate, bool):
        reader.add(
            field_path(path, "impersonate"), f"Invalid value: {quote(impersonate)}: must be true or false"
        )
        impersonate = False
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


def _instance(reader: WireReader, value: Any, path: str) -> InstanceSpec:
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
    _check_namespaces(reader, item, path, instance)
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


def _check_namespaces(reader: WireReader, item: dict[str, Any], path: str, instance: InstanceSpec) -> None:
    """HyperShift's namespace settings: only on HyperShift, unambiguous, and each namespace in one place."""
    if instance.topology is not TopologyKind.HYPERSHIFT:
        for key in ("namespaceMapping", "guestNamespaces", "operandNamespaces"):
            if key in item:
                reader.add(field_path(path, key), "Invalid value: only a HyperShift instance maps namespaces")
        return
    for index, namespace in enumerate(instance.operand_namespaces):
        here = f"{field_path(path, 'operandNamespaces')}[{index}]"
        if instance.namespace_mapping is NamespaceMapping.FLATTEN and FLATTEN_SEPARATOR in namespace:
            reader.add(
                here,
                f"Invalid value: {quote(namespace)}: contains {quote(FLATTEN_SEPARATOR)}, so flattened "
                "names could not be told apart",
            )
        if namespace in instance.guest_namespaces:
            reader.add(
                here,
                f"Invalid value: {quote(namespace)}: also in guestNamespaces; a namespace has one place",
            )


def _check_references(
    reader: WireReader,
    operators: tuple[OperatorSpec, ...],
    clusters: tuple[ClusterSpec, ...],
    instances: tuple[InstanceSpec, ...],
) -> None:
    for kind, names in (
        ("operators", [o.name for o in operators]),
        ("clusters", [c.name for c in clusters]),
        ("instances", [i.name for i in instances]),
    ):
        for index, name in enumerate(names):
            if name and names.index(name) != index:
                reader.add(f"{kind}[{index}].name", f"Duplicate value: {quote(name)}")
    cluster_names = {c.name for c in clusters}
    operator_names = {o.name for o in operators}
    hcp_namespaces: dict[tuple[str, str], str] = {}
    for index, instance in enumerate(instances):
        path = f"instances[{index}]"
        for key, value in (
            ("cluster", instance.cluster),
            ("management", instance.management),
            ("guest", instance.guest),
        ):
            if value and value not in cluster_names:
                reader.add(field_path(path, key), f"Not found: {quote(value)}: no cluster has this name")
        for name in instance.operators:
            if name not in operator_names:
                reader.add(
                    field_path(path, "operators"), f"Not found: {quote(name)}: no operator has this name"
                )
        if instance.topology is TopologyKind.HYPERSHIFT:
            place = (instance.management, instance.hosted_control_plane_namespace)
            if place in hcp_namespaces:
                reader.add(
                    field_path(path, "hostedControlPlaneNamespace"),
                    f"Duplicate value: {quote(place[1])}: instance {quote(hcp_namespaces[place])} already "
                    "maps into this namespace of the same management cluster",
                )
            hcp_namespaces[place] = instance.name
            if not instance.operand_namespaces:
                reader.add(field_path(path, "operandNamespaces"), "Required value: namespaces to map")


MAX_CONCURRENCY = 1024
"""More operator runs at once than any machine can hold is a typo, not a setting."""
MAX_SECONDS = 7 * 24 * 3600.0
"""The longest debounce or backoff accepted: a week."""
MAX_PATH_BYTES = 4096
"""Longest path a configuration may name (Linux's PATH_MAX); a component is at most 255 bytes."""


def _number(
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


def _path(reader: WireReader, value: str, field: str) -> str:
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
