"""The official kubernetes Python client against ``mom serve`` over must-gather-01.

Covers: listing configmaps across namespaces and namespaces by label selector equals the
snapshot; reading a missing object raises a 404 ApiException; creating a configmap is recorded
as a Create in the mutation directory; with --mutable a second create is a 409.
"""

from __future__ import annotations

import pytest
from kubernetes import client

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource, name_of, namespace_of
from mom.mutationdir.directory import read_mutation_dir
from mom.serialization import load_yaml_text

pytestmark = pytest.mark.conformance

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")


def _api(url: str) -> client.CoreV1Api:
    configuration = client.Configuration()
    configuration.host = url
    return client.CoreV1Api(client.ApiClient(configuration))


def test_lists_equal_the_snapshot(serve_must_gather, must_gather_01) -> None:
    served = serve_must_gather(must_gather_01)
    api = _api(served.url)
    listed = api.list_config_map_for_all_namespaces()
    assert [(i.metadata.namespace, i.metadata.name) for i in listed.items] == [
        (namespace_of(o), name_of(o)) for o in served.snapshot.list(CONFIGMAPS)
    ]
    secrets = api.list_namespaced_secret("openshift-apiserver")
    assert sorted(s.metadata.name for s in secrets.items) == sorted(
        name_of(o) for o in served.snapshot.list(SECRETS, namespace="openshift-apiserver")
    )
    assert secrets.items


def test_missing_object_is_a_404(serve_must_gather, must_gather_01) -> None:
    served = serve_must_gather(must_gather_01)
    with pytest.raises(client.ApiException) as raised:
        _api(served.url).read_namespaced_config_map("nope", "openshift-apiserver")
    assert raised.value.status == 404


def test_create_is_recorded(serve_must_gather, must_gather_01) -> None:
    served = serve_must_gather(must_gather_01)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python"), data={"a": "b"})
    created = _api(served.url).create_namespaced_config_map("openshift-apiserver", body, field_manager="py")
    assert created.metadata.name == "from-python"
    (request,) = read_mutation_dir(served.output_dir)
    assert request.action is Action.CREATE
    assert (request.namespace, request.name) == ("openshift-apiserver", "from-python")
    assert load_yaml_text(request.body.decode(), "body") == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "from-python", "namespace": "openshift-apiserver"},
        "data": {"a": "b"},
    }
    assert load_yaml_text(request.options.decode(), "options") == {"fieldManager": "py"}


def test_mutable_second_create_conflicts(serve_must_gather, must_gather_01) -> None:
    served = serve_must_gather(must_gather_01, mutable=True)
    api = _api(served.url)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="twice"), data={"a": "b"})
    api.create_namespaced_config_map("openshift-apiserver", body)
    with pytest.raises(client.ApiException) as raised:
        api.create_namespaced_config_map("openshift-apiserver", body)
    assert raised.value.status == 409
    assert api.read_namespaced_config_map("twice", "openshift-apiserver").data == {"a": "b"}
