"""The manager's configuration values: operators, physical clusters, and the instances to manage.

Owns the frozen values :func:`mom.manager.config.load_config` builds: :class:`ManagerConfig`,
:class:`OperatorSpec`, :class:`ClusterSpec`, :class:`InstanceSpec`, and the topology and
namespace-mapping choices of an instance (:class:`TopologyKind`, :class:`NamespaceMapping`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

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
