"""Reading a real kube-apiserver through the live source and the watch cache.

Covers: the live source's GET (namespaced, cluster-scoped), NotFound for an absent object,
LIST with label and field selectors answered by the server, items carrying their kind;
the watch cache answering the same reads from its watches; and
``mom create-input-resources from-cluster`` gathering declared inputs from the cluster into an
input directory, the objects as the server holds them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.errors import NotFound
from mom.api.resources import GroupVersionResource
from mom.cli.main import main
from mom.client.client import Client
from mom.live.source import LiveSource
from mom.live.transport import LiveTransport
from mom.live.watches import WatchCache
from mom.mustgather.builtin_discovery import builtin_discovery
from mom.mustgather.loader import load_must_gather
from mom.mustgather.selectors import FieldSelector, LabelSelector

pytestmark = pytest.mark.live

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")


@pytest.fixture
def transport(kube_apiserver: Cluster) -> Iterator[LiveTransport]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield transport
    transport.close()


@pytest.fixture
def namespace(transport: LiveTransport) -> str:
    """A fresh namespace holding configmaps ``a`` (app=x), ``b`` (app=y) and ``c`` (app=x)."""
    name = f"source-{secrets.token_hex(4)}"
    client = Client(transport)
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    for item, app in (("a", "x"), ("b", "y"), ("c", "x")):
        metadata = {"name": item, "namespace": name, "labels": {"app": app}}
        client.create(
            CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"k": item}}
        )
    return name


def names(found: list[dict[str, Any]]) -> list[str]:
    return sorted(obj["metadata"]["name"] for obj in found)


def test_the_live_source_gets_and_lists_what_the_server_holds(
    transport: LiveTransport, namespace: str
) -> None:
    source = LiveSource(transport)
    assert source.get(CONFIGMAPS, namespace=namespace, name="a")["data"] == {"k": "a"}
    assert source.get(NAMESPACES, name=namespace)["metadata"]["name"] == namespace
    with pytest.raises(NotFound, match="not found"):
        source.get(CONFIGMAPS, namespace=namespace, name="absent")
    assert names(source.list(CONFIGMAPS, namespace=namespace)) == ["a", "b", "c"]
    selected = source.list(CONFIGMAPS, namespace=namespace, label_selector=LabelSelector.parse("app=x"))
    assert names(selected) == ["a", "c"]
    assert {(obj["apiVersion"], obj["kind"]) for obj in selected} == {("v1", "ConfigMap")}
    fields = FieldSelector.parse(f"metadata.namespace={namespace},metadata.name!=a")
    assert names(source.list(CONFIGMAPS, field_selector=fields)) == ["b", "c"]


def test_the_watch_cache_answers_the_same_reads(transport: LiveTransport, namespace: str) -> None:
    cache = WatchCache(transport, [(CONFIGMAPS, "ConfigMap")], builtin_discovery(), namespaces=[namespace])
    try:
        assert cache.get(CONFIGMAPS, namespace=namespace, name="b")["data"] == {"k": "b"}
        selected = cache.list(CONFIGMAPS, namespace=namespace, label_selector=LabelSelector.parse("app=x"))
        assert names(selected) == ["a", "c"]
    finally:
        cache.close()


def test_create_input_resources_from_cluster_writes_the_declared_objects(
    kube_apiserver: Cluster, namespace: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    declared = tmp_path / "input-resources.yaml"
    declared.write_text(
        "applyConfigurationResources:\n"
        "  exactResources:\n"
        f"  - {{version: v1, resource: configmaps, namespace: {namespace}, name: b}}\n"
        "  labelSelectedResources:\n"
        f"  - {{version: v1, resource: configmaps, namespace: {namespace}, labelSelector: {{matchLabels: {{app: x}}}}}}\n"
    )
    argv = ["create-input-resources", "from-cluster", "--kubeconfig", str(kube_apiserver.kubeconfig)]
    argv += ["--input-resources", str(declared), "--output-dir", str(tmp_path / "inputs")]
    assert main(argv) == 0, capsys.readouterr().err
    assert "3 objects written" in capsys.readouterr().out
    written = load_must_gather(tmp_path / "inputs")
    assert names(written.list(CONFIGMAPS, namespace=namespace)) == ["a", "b", "c"]
    assert written.get(CONFIGMAPS, namespace=namespace, name="c")["data"] == {"k": "c"}
