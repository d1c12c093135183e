"""The manager's configuration values: operators, physical clusters, and the instances to manage.

Owns the frozen values :func:`mom.manager.config.load_config` builds: :class:`ManagerConfig`,
:class:`OperatorSpec`, :class:`ClusterSpec`, :class:`InstanceSpec`, and the topology and
namespace-mapping choices of an instance (:class:`TopologyKind`, :class:`NamespaceMapping`).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from mom.api.values import Frozen
from mom.apply.rbac import DEFAULT_SERVICE_ACCOUNT_NAMESPACE, ServiceAccountRef
from mom.journal.retention import RetentionPolicy
from mom.manager.scaleout.lease import LeaseSpec
from mom.mustgather.untrusted import ReadLimits


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


class OperatorSpec(Frozen):
    name: str
    command: tuple[str, ...]
    python: str
    resync: float
    timeout: float
    controllers: tuple[str, ...]
    """The ``--controllers`` selection: ``*``, ``name``, ``-name``."""
    network: bool
    """Whether a subprocess operator may use the network (off: no TCP, no network namespace)."""
    output_limits: ReadLimits
    """How much of a subprocess operator's output directory is read before it is refused."""

    __slots__ = ("command", "controllers", "name", "network", "output_limits", "python", "resync", "timeout")

    def __init__(
        self,
        name: str,
        command: tuple[str, ...] = (),
        python: str = "",
        resync: float = 3600.0,
        timeout: float = 60.0,
        controllers: tuple[str, ...] = ("*",),
        network: bool = False,
        output_limits: ReadLimits | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "command", command)
        object.__setattr__(self, "python", python)
        object.__setattr__(self, "resync", resync)
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "controllers", controllers)
        object.__setattr__(self, "network", network)
        object.__setattr__(self, "output_limits", ReadLimits() if output_limits is None else output_limits)

    @property
    def in_process(self) -> bool:
        return bool(self.python)


class ClusterSpec(Frozen):
    """A physical cluster mom applies to: a manifest directory in must-gather layout, or a live
    cluster named by a kubeconfig (and context); exactly one of the two."""

    name: str
    manifest_dir: Path | None
    file_format: str
    """How mom writes the directory's files: ``yaml`` (Go-style), or ``json`` for big fleets."""
    kubeconfig: Path | None
    context: str
    impersonate: bool
    """Live clusters only: apply each operator's writes as its service account, so the server
    refuses whatever that operator's RBAC does not allow."""
    service_account_namespace: str

    __slots__ = (
        "context",
        "file_format",
        "impersonate",
        "kubeconfig",
        "manifest_dir",
        "name",
        "service_account_namespace",
    )

    def __init__(
        self,
        name: str,
        manifest_dir: Path | None = None,
        file_format: str = "yaml",
        kubeconfig: Path | None = None,
        context: str = "",
        impersonate: bool = False,
        service_account_namespace: str = DEFAULT_SERVICE_ACCOUNT_NAMESPACE,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "manifest_dir", manifest_dir)
        object.__setattr__(self, "file_format", file_format)
        object.__setattr__(self, "kubeconfig", kubeconfig)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "impersonate", impersonate)
        object.__setattr__(self, "service_account_namespace", service_account_namespace)

    @property
    def live(self) -> bool:
        return self.kubeconfig is not None

    def writer(self, operator: str) -> ServiceAccountRef | None:
        """Whom ``operator``'s writes to this cluster are made as; ``None``: mom's own user."""
        if not self.impersonate:
            return None
        return ServiceAccountRef(self.service_account_namespace, operator)


class InstanceSpec(Frozen):
    """One cluster to manage: standalone, or a hosted cluster on a management cluster."""

    name: str
    topology: TopologyKind
    cluster: str
    management: str
    guest: str
    hosted_control_plane_namespace: str
    operand_namespaces: tuple[str, ...]
    operators: tuple[str, ...]
    """Names of the operators that manage this instance; empty means all of them."""
    namespace_mapping: NamespaceMapping
    guest_namespaces: tuple[str, ...]
    """HyperShift: namespaces whose Management objects go to (and are read from) the guest."""

    __slots__ = (
        "cluster",
        "guest",
        "guest_namespaces",
        "hosted_control_plane_namespace",
        "management",
        "name",
        "namespace_mapping",
        "operand_namespaces",
        "operators",
        "topology",
    )

    def __init__(
        self,
        name: str,
        topology: TopologyKind,
        cluster: str = "",
        management: str = "",
        guest: str = "",
        hosted_control_plane_namespace: str = "",
        operand_namespaces: tuple[str, ...] = (),
        operators: tuple[str, ...] = (),
        namespace_mapping: NamespaceMapping = NamespaceMapping.KEEP_NAME,
        guest_namespaces: tuple[str, ...] = DEFAULT_GUEST_NAMESPACES,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "topology", topology)
        object.__setattr__(self, "cluster", cluster)
        object.__setattr__(self, "management", management)
        object.__setattr__(self, "guest", guest)
        object.__setattr__(self, "hosted_control_plane_namespace", hosted_control_plane_namespace)
        object.__setattr__(self, "operand_namespaces", operand_namespaces)
        object.__setattr__(self, "operators", operators)
        object.__setattr__(self, "namespace_mapping", namespace_mapping)
        object.__setattr__(self, "guest_namespaces", guest_namespaces)


class ManagerConfig(Frozen):
    source: Path
    journal: Path
    operators: tuple[OperatorSpec, ...]
    clusters: tuple[ClusterSpec, ...]
    instances: tuple[InstanceSpec, ...]
    concurrency: int
    debounce: float
    max_backoff: float
    retention: RetentionPolicy
    lease: LeaseSpec | None
    """With a lease, only the replica holding it runs and writes (mom.manager.scaleout)."""

    __slots__ = (
        "clusters",
        "concurrency",
        "debounce",
        "instances",
        "journal",
        "lease",
        "max_backoff",
        "operators",
        "retention",
        "source",
    )

    def __init__(
        self,
        source: Path,
        journal: Path,
        operators: tuple[OperatorSpec, ...],
        clusters: tuple[ClusterSpec, ...],
        instances: tuple[InstanceSpec, ...],
        concurrency: int = 4,
        debounce: float = 5.0,
        max_backoff: float = 300.0,
        retention: RetentionPolicy | None = None,
        lease: LeaseSpec | None = None,
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "journal", journal)
        object.__setattr__(self, "operators", operators)
        object.__setattr__(self, "clusters", clusters)
        object.__setattr__(self, "instances", instances)
        object.__setattr__(self, "concurrency", concurrency)
        object.__setattr__(self, "debounce", debounce)
        object.__setattr__(self, "max_backoff", max_backoff)
        object.__setattr__(self, "retention", RetentionPolicy() if retention is None else retention)
        object.__setattr__(self, "lease", lease)

    def cluster(self, name: str) -> ClusterSpec:
        return next(c for c in self.clusters if c.name == name)

    def operators_for(self, instance: InstanceSpec) -> tuple[OperatorSpec, ...]:
        if not instance.operators:
            return self.operators
        return tuple(o for o in self.operators if o.name in instance.operators)
