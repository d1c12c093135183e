"""A non-convergence warning against a real kube-apiserver names the field and its managers.

Covers: on a CRD whose ``status.conditions`` is not declared a map list (as in the
authentication operator's CRD of OpenShift 4.8), two controllers each force-applying one
condition replace the whole list in turn, every run; the manager warns that the operator does
not converge and names ``.status.conditions``, both field managers (as the server records them
in ``managedFields``) and the controllers whose writes flipped it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.envtest.crds import CRD_PATH, install_crds
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.serialization import dump_json

pytestmark = pytest.mark.live

CRD = "widgets.convergence.mom.test"
OPERATOR = """
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator

WIDGETS = GroupVersionResource("convergence.mom.test", "v1", "widgets")
WIDGET = ExactResource("convergence.mom.test", "v1", "widgets", "", {name!r})


def condition(kind, manager):
    def sync(ctx):
        body = {{"apiVersion": "convergence.mom.test/v1", "kind": "Widget", "metadata": {{"name": {name!r}}}}}
        status = {{"conditions": [{{"type": kind, "status": "True"}}]}}
        ctx.client.apply(WIDGETS, {{**body, "status": status}}, field_manager=manager, force=True, status=True)

    return sync


FLIPPER = Operator(
    name="flipper",
    inputs=InputResources(apply_configuration_resources=ResourceList(exact_resources=(WIDGET,))),
    outputs=OutputResources(user_workload_resources=OutputResourceList(exact_resources=(WIDGET,))),
    controllers=(
        Controller("flipper-Available", condition("Available", "available-manager")),
        Controller("flipper-Degraded", condition("Degraded", "degraded-manager")),
    ),
)
"""


def _crd() -> dict[str, Any]:
    conditions = {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}
    schema = {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "status": {"type": "object", "properties": {"conditions": conditions}},
        },
    }
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": CRD},
        "spec": {
            "group": "convergence.mom.test",
            "scope": "Cluster",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {"openAPIV3Schema": schema},
                }
            ],
        },
    }


@pytest.fixture
def widgets(kube_apiserver: Cluster, tmp_path: Path) -> Iterator[None]:
    path = tmp_path / "widgets.json"
    path.write_bytes(dump_json(_crd()))
    install_crds(kube_apiserver, [path])
    yield
    kube_apiserver.request("DELETE", f"{CRD_PATH}/{CRD}")


def test_flipping_conditions_are_named_with_their_managers(
    kube_apiserver: Cluster, widgets: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"widget-{time.monotonic_ns() % 1000000}"
    body = {"apiVersion": "convergence.mom.test/v1", "kind": "Widget", "metadata": {"name": name}, "spec": {}}
    kube_apiserver.request("POST", "/apis/convergence.mom.test/v1/widgets", body)
    directory = tmp_path / "manager"
    directory.mkdir()
    module = f"flipper_{name.replace('-', '_')}"
    (directory / f"{module}.py").write_text(OPERATOR.format(name=name))
    (directory / "kubeconfig.yaml").write_bytes(kube_apiserver.kubeconfig.read_bytes())
    config = {
        "journal": "state/journal.sqlite",
        "debounce": 0,
        "operators": [{"name": "flipper", "python": f"{module}:FLIPPER"}],
        "clusters": [{"name": "live", "kubeconfig": "kubeconfig.yaml"}],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    (directory / "mom.yaml").write_bytes(dump_json(config))
    monkeypatch.syspath_prepend(str(directory))
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    ticks = iter(range(1000))
    manager, _ = open_manager(
        load_config(directory / "mom.yaml"), clock=lambda: now + timedelta(minutes=next(ticks))
    )
    warnings: list[str] = []
    try:
        for _ in range(4):
            report = manager.tick()
            assert report.ok, report.pairs
            warnings += report.warnings
    finally:
        manager.targets["live"].close()  # type: ignore[attr-defined]
        manager.journal.close()
    found = [w for w in warnings if "operator flipper on live does not converge" in w]
    assert found, warnings
    prefix = (
        f"changing since the previous run: widgets.convergence.mom.test {name} on live: .status.conditions"
    )
    managers = "field managers available-manager, degraded-manager"
    # Controllers run in a reproducibly shuffled order: a run whose first write leaves the list as
    # the previous run ended it changed nothing with that write; the other one flipped it.
    assert re.search(
        re.escape(f"{prefix} ({managers}; controllers ")
        + r"(flipper-Available|flipper-Degraded)(, flipper-Degraded)?\)$",
        found[-1],
    ), found[-1]
