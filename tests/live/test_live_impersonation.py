"""The manager writing to a live cluster as each operator's service account.

Covers: a live cluster configured with ``impersonate: true`` and a ``serviceAccountNamespace``
makes the manager send an operator's writes as ``system:serviceaccount:<ns>:<operator>``; an
operator whose pinned outputs allow two ConfigMaps but whose RBAC (generated from narrower
declarations and applied by the admin) allows only one gets that one written, while the other
is refused by the apiserver itself: the journal marks it FAILED with the server's forbidden
message naming the service account, and the object does not exist. Mutations left pending by
an interrupted tick and rolled forward on recovery are impersonated the same way, and so are
the writes of ``mom apply --operator`` (which refuses, changing nothing, to apply to an
impersonating cluster without knowing whose account to use). Impersonation on a
manifest-directory cluster is refused by the configuration.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.errors import InvalidInput, MomError
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.apply.rbac import ServiceAccountRef, generate_rbac, impersonation_headers
from mom.cli.main import main
from mom.client.client import ApiError, Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.journal.records import MutationState
from mom.live.target import LiveTarget
from mom.live.transport import LiveTransport
from mom.manager.assembly import open_manager
from mom.manager.config import load_config, parse_config
from mom.manager.loop import Manager
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import write_mutation_dir
from mom.serialization import dump_json

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
RBAC_KINDS = {
    "ServiceAccount": GroupVersionResource("", "v1", "serviceaccounts"),
    "Role": GroupVersionResource("rbac.authorization.k8s.io", "v1", "roles"),
    "RoleBinding": GroupVersionResource("rbac.authorization.k8s.io", "v1", "rolebindings"),
    "ClusterRole": GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles"),
    "ClusterRoleBinding": GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterrolebindings"),
}
OPERATOR = "guarded"
RBAC_PROPAGATION_TIMEOUT = 15.0

MODULE = """
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator

NS = {namespace!r}
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def write_both(ctx):
    for name in ("allowed", "denied"):
        body = {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": name, "namespace": NS}}}}
        ctx.client.apply(CONFIGMAPS, {{**body, "data": {{"written": "yes"}}}}, field_manager="guarded", force=True)


GUARDED = Operator(
    name="guarded",
    inputs=InputResources(
        apply_configuration_resources=ResourceList(exact_resources=(ExactResource.configmap(NS, "source"),))
    ),
    outputs=OutputResources(
        user_workload_resources=OutputResourceList(
            exact_resources=(ExactResource.configmap(NS, "allowed"), ExactResource.configmap(NS, "denied"))
        )
    ),
    controllers=(Controller("guarded-WriteBoth", write_both),),
)
"""


def clock() -> datetime:
    return datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def admin(kube_apiserver: Cluster) -> Iterator[Client]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport)
    transport.close()


def _namespace(admin: Client, name: str) -> None:
    admin.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


def _grant_only_allowed(
    kube_apiserver: Cluster, admin: Client, namespace: str, account: ServiceAccountRef
) -> None:
    """RBAC generated from narrower outputs than the pinned ones: ConfigMap ``allowed`` only."""
    narrow = OutputResources(
        user_workload_resources=OutputResourceList(
            exact_resources=(ExactResource.configmap(namespace, "allowed"),)
        )
    )
    inputs = InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(ExactResource.configmap(namespace, "source"),)
        )
    )
    for obj in generate_rbac(f"{OPERATOR}-{account.namespace}", inputs, narrow, service_account=account):
        admin.apply(RBAC_KINDS[obj["kind"]], obj, field_manager="mom-test", force=True)
    transport = LiveTransport(kube_apiserver.kubeconfig)
    try:
        as_operator = Client(transport, headers=impersonation_headers(account))
        deadline = time.monotonic() + RBAC_PROPAGATION_TIMEOUT
        while True:  # until the authorizer has seen the new bindings
            try:
                as_operator.get(CONFIGMAPS, "source", namespace)
                break
            except ApiError as exc:
                if exc.code != 403 or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        transport.close()


def _write_config(directory: Path, kubeconfig: Path, namespace: str, account_namespace: str) -> Path:
    directory.mkdir(parents=True)
    module = f"guarded_{namespace.replace('-', '_')}"
    (directory / f"{module}.py").write_text(MODULE.format(namespace=namespace))
    (directory / "kube.yaml").write_bytes(kubeconfig.read_bytes())
    config: dict[str, Any] = {
        "journal": "state/journal.sqlite",
        "debounce": 0,
        "operators": [{"name": OPERATOR, "python": f"{module}:GUARDED"}],
        "clusters": [
            {
                "name": "live",
                "kubeconfig": "kube.yaml",
                "impersonate": True,
                "serviceAccountNamespace": account_namespace,
            }
        ],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    (directory / "mom.yaml").write_bytes(dump_json(config))
    return directory / "mom.yaml"


@pytest.fixture
def guarded(
    kube_apiserver: Cluster, admin: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str, ServiceAccountRef]:
    """A namespace, the operator's narrow RBAC in place, and a config impersonating its account."""
    namespace = f"guarded-{secrets.token_hex(4)}"
    account = ServiceAccountRef(f"mom-operators-{secrets.token_hex(4)}", OPERATOR)
    _namespace(admin, namespace)
    _namespace(admin, account.namespace)
    source = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "source", "namespace": namespace}}
    admin.create(CONFIGMAPS, source)
    _grant_only_allowed(kube_apiserver, admin, namespace, account)
    config_path = _write_config(tmp_path / "manager", kube_apiserver.kubeconfig, namespace, account.namespace)
    monkeypatch.syspath_prepend(str(tmp_path / "manager"))
    return config_path, namespace, account


def _assert_only_allowed_written(
    admin: Client, manager: Manager, run_id: int, namespace: str, account: ServiceAccountRef
) -> None:
    assert admin.get(CONFIGMAPS, "allowed", namespace)["data"] == {"written": "yes"}
    assert admin.get_or_none(CONFIGMAPS, "denied", namespace) is None
    by_name = {m.request.name: m for m in manager.journal.mutations_of(run_id)}
    assert by_name["allowed"].state is MutationState.APPLIED
    denied = by_name["denied"]
    assert denied.state is MutationState.FAILED, "mom's own validation let it through; the server did not"
    assert "forbidden" in denied.reason
    assert account.username in denied.reason


def test_the_apiserver_refuses_what_the_operators_rbac_does_not_allow(
    admin: Client, guarded: tuple[Path, str, ServiceAccountRef]
) -> None:
    config_path, namespace, account = guarded
    manager, _ = open_manager(load_config(config_path), clock=clock)
    target = manager.targets["live"]
    assert isinstance(target, LiveTarget)
    try:
        (pair,) = manager.tick().pairs
        assert (pair.ran, pair.applied, pair.failed, pair.refused) == (True, 1, 1, 0), pair
        assert pair.run_id is not None
        _assert_only_allowed_written(admin, manager, pair.run_id, namespace, account)
    finally:
        target.close()
        manager.journal.close()


def test_writes_rolled_forward_after_a_crash_are_impersonated_too(
    admin: Client, guarded: tuple[Path, str, ServiceAccountRef], monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path, namespace, account = guarded
    manager, _ = open_manager(load_config(config_path), clock=clock)
    target = manager.targets["live"]
    assert isinstance(target, LiveTarget)

    def unreachable(self: LiveTarget, items: object) -> None:
        raise MomError("the apiserver went away")

    try:
        with monkeypatch.context() as patch:
            patch.setattr(LiveTarget, "apply_batch", unreachable)
            with pytest.raises(MomError):
                manager.tick()
        pending = manager.journal.pending_mutations()
        assert sorted(m.request.name for m in pending) == ["allowed", "denied"]
        assert manager.recover() == 2
        run_id = int(pending[0].mutation_id.partition("-")[0])
        _assert_only_allowed_written(admin, manager, run_id, namespace, account)
    finally:
        target.close()
        manager.journal.close()


def test_mom_apply_writes_as_the_named_operator(
    admin: Client,
    guarded: tuple[Path, str, ServiceAccountRef],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config_path, namespace, account = guarded
    recorder = MutationRecorder()
    client = Client(SnapshotTransport(Snapshot.from_objects([]), recorder))
    for name in ("allowed", "denied"):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}
        client.apply(CONFIGMAPS, {**body, "data": {"written": "yes"}}, field_manager=OPERATOR, force=True)
    write_mutation_dir(tmp_path / "mutations", recorder.requests)
    command = ["apply", "--mutations", str(tmp_path / "mutations"), "--config", str(config_path)]

    assert main(command) == 1
    assert "--operator: Required value: cluster live impersonates" in capsys.readouterr().err
    assert admin.get_or_none(CONFIGMAPS, "allowed", namespace) is None, "nothing was applied"

    assert main([*command, "--operator", OPERATOR]) == 1
    out = capsys.readouterr().out
    assert admin.get(CONFIGMAPS, "allowed", namespace)["data"] == {"written": "yes"}
    assert admin.get_or_none(CONFIGMAPS, "denied", namespace) is None
    assert "forbidden" in out and account.username in out
    assert out.splitlines()[-1] == f"1/2 mutation(s) applied to live as {account.username}"


def test_impersonation_needs_a_live_cluster(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    document = {
        "operators": [{"name": "op", "python": "m:OP"}],
        "clusters": [
            {"name": "files", "manifestDir": "dir", "impersonate": True},
            {"name": "odd", "manifestDir": "dir", "impersonate": "yes"},
        ],
        "instances": [{"name": "i", "topology": "Standalone", "cluster": "files"}],
    }
    with pytest.raises(InvalidInput) as raised:
        parse_config(document, tmp_path / "mom.yaml")
    problems = str(raised.value)
    assert "clusters[0]: Invalid value: impersonation needs a live cluster ('kubeconfig')" in problems
    assert 'clusters[1].impersonate: Invalid value: "yes": must be true or false' in problems
    (tmp_path / "kube.yaml").write_text("{}")
    document["clusters"] = [{"name": "files", "kubeconfig": "kube.yaml", "impersonate": True}]
    (cluster,) = parse_config(document, tmp_path / "mom.yaml").clusters
    assert cluster.writer("op") == ServiceAccountRef("mom-operators", "op")
