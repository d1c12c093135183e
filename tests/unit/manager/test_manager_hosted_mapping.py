"""HyperShift placement through the whole loop: where writes go is where reads come from.

Covers: under ``namespaceMapping: Flatten`` the operand of every hosted cluster lands in its
hosted control plane namespace as ``<namespace>--<name>`` and the next run reads it back under
its own namespace and name, and objects of one name in two operand namespaces both land; an
object of an operand namespace that exists only on the guest is not read (no fallback), unless
the operator writes it to the guest itself; the Namespace object of an operand namespace is the
hosted control plane namespace's, in GET and LIST, never the guest's; Management objects of a
guest namespace (``openshift-config-managed`` by default) go to the guest, and with
``guestNamespaces: []`` are refused; writing the Namespace object of an operand namespace is refused; an operator allowed
only ``openshift-example-operator/x`` cannot delete or overwrite the ``openshift-authentication/x``
of another operator under ``KeepName`` (refused for the second writer, the object unharmed),
nor under ``Flatten`` (the names differ); another instance on the management cluster cannot
write into a hosted control plane namespace; the configuration refuses bad mapping settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.unit.manager.conftest import FakeClock
from tests.unit.manager.test_manager_triggers import _operator, _with_operators

from mom.api.errors import InvalidInput, NotFound
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import NAMESPACES, GroupVersionResource, ObjectRef
from mom.journal.records import MutationState
from mom.manager.config import load_config, parse_config
from mom.manager.mapping import ORIGIN_ANNOTATION
from mom.manager.topology import HostedView, Topology
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot
from mom.operator import RunContext

DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
AUTH = "openshift-authentication"
EXAMPLE = "openshift-example-operator"


def configure(config_path: Path, **instance_settings: Any) -> Path:
    document = yaml.safe_load(config_path.read_text())
    for instance in document["instances"]:
        instance.update(instance_settings)
    config_path.write_text(yaml.safe_dump(document))
    return config_path


def configmap(namespace: str, name: str, **data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data,
    }


def test_flatten_places_operands_apart_and_reads_them_back(hypershift: Path, clock: FakeClock) -> None:
    def both(ctx: RunContext) -> None:
        ctx.client.apply(CONFIGMAPS, configmap(AUTH, "default-deny-all", side="auth"), field_manager="t")
        ctx.client.apply(
            CONFIGMAPS, configmap(EXAMPLE, "default-deny-all", side="example"), field_manager="t"
        )

    outputs = OutputResources(
        management_resources=OutputResourceList(
            exact_resources=(
                ExactResource.configmap(AUTH, "default-deny-all"),
                ExactResource.configmap(EXAMPLE, "default-deny-all"),
            )
        )
    )
    reads = InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=outputs.management_resources.exact_resources
        )
    )
    configure(hypershift, namespaceMapping="Flatten")
    manager = _with_operators(hypershift, clock, _operator("twins", both, outputs, reads))
    report = manager.tick()
    assert all(p.refused == 0 and p.applied == 2 for p in report.pairs), report.pairs
    management = load_must_gather(hypershift.parent / "management")
    for side, namespace in (("auth", AUTH), ("example", EXAMPLE)):
        stored = management.get(CONFIGMAPS, namespace="clusters-alpha", name=f"{namespace}--default-deny-all")
        assert stored["data"] == {"side": side}
        assert stored["metadata"]["annotations"][ORIGIN_ANNOTATION] == namespace

    clock.advance(700)
    manager.tick()
    second = max(r.run_id for r in manager.journal.runs(instance="alpha"))
    from mom.journal.archive import unpack_dir

    unpack_dir(manager.journal.inputs_of(second), hypershift.parent / "read")
    read = load_must_gather(hypershift.parent / "read")
    assert read.get(CONFIGMAPS, namespace=AUTH, name="default-deny-all")["data"] == {"side": "auth"}
    assert read.get(CONFIGMAPS, namespace=EXAMPLE, name="default-deny-all")["data"] == {"side": "example"}
    manager.journal.close()


def test_keep_name_refuses_the_same_pair_as_a_collision(hypershift: Path, clock: FakeClock) -> None:
    def both(ctx: RunContext) -> None:
        ctx.client.apply(CONFIGMAPS, configmap(AUTH, "default-deny-all", side="auth"), field_manager="t")
        ctx.client.apply(
            CONFIGMAPS, configmap(EXAMPLE, "default-deny-all", side="example"), field_manager="t"
        )

    outputs = OutputResources(
        management_resources=OutputResourceList(
            exact_resources=(
                ExactResource.configmap(AUTH, "default-deny-all"),
                ExactResource.configmap(EXAMPLE, "default-deny-all"),
            )
        )
    )
    manager = _with_operators(hypershift, clock, _operator("twins", both, outputs))
    report = manager.tick()
    assert all(p.refused == 2 and p.applied == 0 for p in report.pairs)
    (first, _) = manager.journal.mutations_of(report.pairs[0].run_id or 0)
    assert "namespace mapping collision" in first.reason and "Flatten" in first.reason
    manager.journal.close()


def _attack(config: Path, clock: FakeClock) -> tuple[list[str], Snapshot]:
    """The oauth side owns openshift-authentication/x; an operator allowed only
    openshift-example-operator/x tries to overwrite it, then to delete it."""

    def owner(ctx: RunContext) -> None:
        ctx.client.apply(CONFIGMAPS, configmap(AUTH, "x", owner="oauth"), field_manager="t")

    def attacker(ctx: RunContext) -> None:
        ctx.client.apply(CONFIGMAPS, configmap(EXAMPLE, "x", owner="attacker"), field_manager="t")
        ctx.client.delete(CONFIGMAPS, "x", EXAMPLE)

    def management(namespace: str) -> OutputResources:
        exact = (ExactResource.configmap(namespace, "x"),)
        return OutputResources(management_resources=OutputResourceList(exact_resources=exact))

    manager = _with_operators(
        config,
        clock,
        _operator("oauth", owner, management(AUTH)),
        _operator("intruder", attacker, management(EXAMPLE)),
    )
    reasons: list[str] = []
    for _ in range(2):
        report = manager.tick(force=True)
        for pair in report.pairs:
            if pair.operator == "intruder" and pair.run_id is not None:
                mutations = manager.journal.mutations_of(pair.run_id)
                reasons += [m.reason for m in mutations if m.state is MutationState.REFUSED]
        clock.advance(700)
    manager.journal.close()
    return reasons, load_must_gather(config.parent / "management")


def test_keep_name_second_writer_cannot_take_over_another_namespaces_object(
    hypershift: Path, clock: FakeClock
) -> None:
    reasons, management = _attack(hypershift, clock)
    for hcp in ("clusters-alpha", "clusters-beta", "clusters-gamma"):
        stored = management.get(CONFIGMAPS, namespace=hcp, name="x")
        assert stored["data"] == {"owner": "oauth"}, "the attacker changed or deleted the oauth object"
        assert stored["metadata"]["annotations"][ORIGIN_ANNOTATION] == AUTH
    assert reasons and all(f"belongs to {AUTH}" in reason for reason in reasons)


def test_flatten_second_writer_only_ever_reaches_its_own_object(hypershift: Path, clock: FakeClock) -> None:
    reasons, management = _attack(configure(hypershift, namespaceMapping="Flatten"), clock)
    assert reasons == []
    for hcp in ("clusters-alpha", "clusters-beta", "clusters-gamma"):
        assert management.get(CONFIGMAPS, namespace=hcp, name=f"{AUTH}--x")["data"] == {"owner": "oauth"}
        with pytest.raises(NotFound):  # the attacker deleted what it wrote: its own object
            management.get(CONFIGMAPS, namespace=hcp, name=f"{EXAMPLE}--x")


def _view(
    hypershift: Path,
    guest_objects: frozenset[tuple[str, str, str, str]] = frozenset(),
    management: Snapshot | None = None,
) -> HostedView:
    config = load_config(hypershift)
    instance = next(i for i in config.instances if i.name == "alpha")
    management = management or Snapshot.from_objects([])
    guest_root = hypershift.parent / "guests" / "alpha"
    only_on_guest = guest_root / "namespaces" / AUTH / "core" / "configmaps" / "guest-only.yaml"
    only_on_guest.parent.mkdir(parents=True, exist_ok=True)
    only_on_guest.write_text(yaml.safe_dump(configmap(AUTH, "guest-only", where="guest")))
    view = Topology(instance).input_source({"management": management, "alpha": load_must_gather(guest_root)})
    assert isinstance(view, HostedView)
    return view.reading_from_guest(guest_objects)


def test_operand_namespace_reads_do_not_fall_back_to_the_guest(hypershift: Path) -> None:
    view = _view(hypershift)
    with pytest.raises(NotFound):
        view.get(CONFIGMAPS, namespace=AUTH, name="guest-only")
    assert not [o for o in view.list(CONFIGMAPS, namespace=AUTH) if o["metadata"]["name"] == "guest-only"]
    assert not [o for o in view.list(CONFIGMAPS) if o["metadata"]["name"] == "guest-only"]


def test_an_object_the_operator_writes_to_the_guest_is_read_there(hypershift: Path) -> None:
    view = _view(hypershift, frozenset({("", "configmaps", AUTH, "guest-only")}))
    assert view.get(CONFIGMAPS, namespace=AUTH, name="guest-only")["data"] == {"where": "guest"}
    assert [o["metadata"]["name"] for o in view.list(CONFIGMAPS, namespace=AUTH)] == ["guest-only"]


def test_an_operand_namespace_object_is_the_hosted_control_plane_namespace(hypershift: Path) -> None:
    hcp = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "clusters-alpha", "labels": {"hcp": "yes"}},
    }
    management = Snapshot.from_objects([(ObjectRef(NAMESPACES, "", "clusters-alpha"), hcp)])
    view = _view(hypershift, management=management)
    listed = {n["metadata"]["name"]: n for n in view.list(NAMESPACES)}
    assert listed[AUTH]["metadata"]["labels"] == {"hcp": "yes"}, (
        "the guest's namespace of that name is not read"
    )
    assert view.get(NAMESPACES, name=AUTH)["metadata"]["labels"] == {"hcp": "yes"}
    without_hcp = {n["metadata"]["name"] for n in _view(hypershift).list(NAMESPACES)}
    assert AUTH not in without_hcp


def _placement_run(config: Path, clock: FakeClock) -> tuple[list[Any], Snapshot]:
    def writes(ctx: RunContext) -> None:
        ctx.client.apply(
            CONFIGMAPS, configmap("openshift-config-managed", "oauth-serving-cert", a="b"), field_manager="t"
        )
        ctx.client.apply(
            NAMESPACES,
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": AUTH}},
            field_manager="t",
        )

    outputs = OutputResources(
        management_resources=OutputResourceList(
            exact_resources=(
                ExactResource.configmap("openshift-config-managed", "oauth-serving-cert"),
                ExactResource("", "v1", "namespaces", "", AUTH),
            )
        )
    )
    manager = _with_operators(config, clock, _operator("placer", writes, outputs))
    report = manager.tick()
    (pair,) = [p for p in report.pairs if p.instance == "alpha"]
    mutations = manager.journal.mutations_of(pair.run_id or 0)
    manager.journal.close()
    return mutations, load_must_gather(config.parent / "guests" / "alpha")


def test_guest_namespaces_go_to_the_guest_and_operand_namespace_objects_are_not_written(
    hypershift: Path, clock: FakeClock
) -> None:
    mutations, guest = _placement_run(hypershift, clock)
    by_resource = {m.request.gvr.resource: m for m in mutations}
    assert by_resource["configmaps"].state is MutationState.APPLIED
    assert by_resource["configmaps"].target == "alpha"
    assert guest.get(CONFIGMAPS, namespace="openshift-config-managed", name="oauth-serving-cert")["data"] == {
        "a": "b"
    }
    assert by_resource["namespaces"].state is MutationState.REFUSED
    assert "read as clusters-alpha on the management cluster" in by_resource["namespaces"].reason


def test_guest_namespaces_can_be_emptied(hypershift: Path, clock: FakeClock) -> None:
    mutations, guest = _placement_run(configure(hypershift, guestNamespaces=[]), clock)
    (configmap_write,) = [m for m in mutations if m.request.gvr.resource == "configmaps"]
    assert configmap_write.state is MutationState.REFUSED
    assert "not an operand namespace, nor a guest namespace" in configmap_write.reason
    assert not guest.list(CONFIGMAPS, namespace="openshift-config-managed")


def _config(**instance: Any) -> dict[str, Any]:
    return {
        "operators": [{"name": "o", "command": ["o"]}],
        "clusters": [{"name": "m", "manifestDir": "."}, {"name": "g", "manifestDir": "."}],
        "instances": [
            {
                "name": "a",
                "topology": "HyperShift",
                "management": "m",
                "guest": "g",
                "hostedControlPlaneNamespace": "clusters-a",
                "operandNamespaces": [AUTH],
                **instance,
            }
        ],
    }


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"namespaceMapping": "Prefix"}, 'instances[0].namespaceMapping: Unsupported value: "Prefix"'),
        (
            {"namespaceMapping": "Flatten", "operandNamespaces": ["a--b"]},
            'instances[0].operandNamespaces[0]: Invalid value: "a--b": contains "--"',
        ),
        ({"guestNamespaces": [AUTH]}, f'instances[0].operandNamespaces[0]: Invalid value: "{AUTH}": also in'),
    ],
)
def test_bad_mapping_settings_are_refused(tmp_path: Path, settings: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_config(_config(**settings), tmp_path / "mom.yaml")
    assert problem in str(caught.value)


def test_mapping_settings_only_on_hypershift(tmp_path: Path) -> None:
    document = {
        "operators": [{"name": "o", "command": ["o"]}],
        "clusters": [{"name": "c", "manifestDir": "."}],
        "instances": [{"name": "c", "topology": "Standalone", "cluster": "c", "namespaceMapping": "Flatten"}],
    }
    with pytest.raises(InvalidInput, match="only a HyperShift instance maps namespaces"):
        parse_config(document, tmp_path / "mom.yaml")


def test_another_instance_cannot_write_into_a_hosted_control_plane_namespace(
    hypershift: Path, clock: FakeClock
) -> None:
    """A standalone instance on the management cluster itself does not reach into clusters-alpha."""
    document = yaml.safe_load(hypershift.read_text())
    document["instances"].append({"name": "management", "topology": "Standalone", "cluster": "management"})
    hypershift.write_text(yaml.safe_dump(document))

    def writes(ctx: RunContext) -> None:
        ctx.client.apply(CONFIGMAPS, configmap("clusters-alpha", "x", owner="other"), field_manager="t")

    outputs = OutputResources(
        user_workload_resources=OutputResourceList(
            exact_resources=(ExactResource.configmap("clusters-alpha", "x"),)
        )
    )
    manager = _with_operators(hypershift, clock, _operator("neighbour", writes, outputs))
    report = manager.tick()
    (pair,) = [p for p in report.pairs if p.instance == "management"]
    (mutation,) = manager.journal.mutations_of(pair.run_id or 0)
    manager.journal.close()
    assert mutation.state is MutationState.REFUSED
    assert "clusters-alpha on cluster management is the hosted control plane namespace of instance alpha" in (
        mutation.reason
    )
    assert not load_must_gather(hypershift.parent / "management").list(CONFIGMAPS, namespace="clusters-alpha")
