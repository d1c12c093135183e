"""``mom serve --mutable`` writes by the same rules as a manifest target (what ``mom run`` applies to).

Covers: one sequence of writes — a create with generateName, an update, merge, strategic-merge
and JSON patches, server-side apply creating an object and taking fields of another, a status
update, and a delete — sent over HTTP to a mutable server, and the mutations it recorded applied
in order to a ManifestTarget over the same tree: every object (uid, generated name, generation,
managedFields, resourceVersion, timestamps) is the same in both, and so is each HTTP answer to
the object the target returned. Both start from one tree written by the target, so the
resource versions they hand out count on from the same last one, and the server applies its
n-th write under :func:`~mom.server.mutations.mutation_id` ``(n)``, the id the target is given.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource
from mom.apply import ManifestTarget
from mom.client.recorder import build_request
from mom.mustgather.loader import load_must_gather
from mom.mutationdir.directory import read_mutation_dir
from mom.serialization import dump_json, load_json
from mom.server.app import ServeApp
from mom.server.mutations import mutation_id
from mom.server.runner import build_app, start_in_thread

NOW = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)
NS = "ns1"
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CM_PATH = f"/api/v1/namespaces/{NS}/configmaps"
DEPLOY_PATH = f"/apis/apps/v1/namespaces/{NS}/deployments"
JSON = "application/json"


def _deployment(replicas: int) -> dict[str, Any]:
    labels = {"app": "web"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": NS, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "web:1"}]},
            },
        },
    }


def _seed(tree: Path) -> None:
    """Objects written by a manifest target, so both sides start from the same stored ones."""
    target = ManifestTarget(tree, clock=lambda: NOW)
    seeds = [
        (
            CM_PATH,
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "a", "namespace": NS},
                "data": {"k": "1"},
            },
        ),
        (DEPLOY_PATH, _deployment(1)),
    ]
    for index, (path, body) in enumerate(seeds):
        request = build_request("POST", path, (), JSON, dump_json(body))
        assert target.apply(f"seed-{index}", request).ok


@pytest.fixture
def trees(tmp_path: Path) -> Iterator[tuple[httpx2.Client, ManifestTarget, ServeApp]]:
    tree = tmp_path / "tree"
    _seed(tree)
    served_tree = tmp_path / "served"
    shutil.copytree(tree, served_tree, ignore=shutil.ignore_patterns(".mom"))
    app = build_app(load_must_gather(served_tree), lambda: NOW, tmp_path / "recorded", mutable=True)
    server = start_in_thread(app)
    try:
        with httpx2.Client(base_url=server.url, timeout=10) as client:
            yield client, ManifestTarget(tree, clock=lambda: NOW), app
    finally:
        server.stop()


def _send(
    client: httpx2.Client, method: str, path: str, body: Any, content_type: str = JSON, **params: str
) -> Any:
    response = client.request(
        method,
        path,
        content=b"" if body is None else dump_json(body),
        headers={"Content-Type": content_type},
        params=params,
    )
    assert response.status_code in (200, 201), response.text
    return load_json(response.content, path)


def test_the_same_writes_give_the_same_objects(trees: tuple[httpx2.Client, ManifestTarget, ServeApp]) -> None:
    client, target, app = trees
    created = _send(client, "POST", CM_PATH, {"metadata": {"generateName": "gen-"}, "data": {"n": "1"}})
    generated = created["metadata"]["name"]
    web = load_json(client.get(f"{DEPLOY_PATH}/web").content, "web")
    updated = _deployment(2)
    updated["metadata"]["resourceVersion"] = web["metadata"]["resourceVersion"]
    answers = [
        created,
        _send(client, "PUT", f"{DEPLOY_PATH}/web", updated),
        _send(client, "PATCH", f"{CM_PATH}/a", {"data": {"k": "2"}}, "application/merge-patch+json"),
        _send(
            client,
            "PATCH",
            f"{DEPLOY_PATH}/web",
            {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "web:2"}]}}}},
            "application/strategic-merge-patch+json",
        ),
        _send(
            client,
            "PATCH",
            f"{CM_PATH}/{generated}",
            [{"op": "add", "path": "/data/m", "value": "2"}],
            "application/json-patch+json",
        ),
        _send(
            client,
            "PATCH",
            f"{CM_PATH}/applied",
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}, "data": {"x": "1"}},
            "application/apply-patch+yaml",
            fieldManager="tester",
        ),
        _send(
            client,
            "PATCH",
            f"{DEPLOY_PATH}/web",
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web"},
                "spec": {"replicas": 4},
            },
            "application/apply-patch+yaml",
            fieldManager="tester",
            force="true",
        ),
        _send(
            client,
            "PUT",
            f"{DEPLOY_PATH}/web/status",
            {**_deployment(4), "status": {"replicas": 4, "readyReplicas": 3}},
        ),
        _send(client, "DELETE", f"{CM_PATH}/a", None),
    ]
    recorded = app.writes.log.recorder.requests
    assert app.writes.log.output_dir is not None
    on_disk = read_mutation_dir(app.writes.log.output_dir)
    assert sorted(r.identity for r in on_disk) == sorted(r.identity for r in recorded)
    assert [r.action for r in recorded] == [
        Action.CREATE,
        Action.UPDATE,
        Action.PATCH,
        Action.PATCH,
        Action.PATCH,
        Action.APPLY,
        Action.APPLY,
        Action.UPDATE_STATUS,
        Action.DELETE,
    ]
    results = [target.apply(mutation_id(n), request) for n, request in enumerate(recorded, start=1)]
    assert all(result.ok for result in results), [result.message for result in results]
    for answer, result in zip(answers[:-1], results[:-1], strict=True):
        assert answer == result.object
    assert answers[-1]["metadata"]["name"] == "a"

    stored = target.read()
    for gvr in (CONFIGMAPS, DEPLOYMENTS):
        path = CM_PATH if gvr is CONFIGMAPS else DEPLOY_PATH
        served = load_json(client.get(path).content, path)["items"]
        assert sorted(served, key=_name) == sorted(stored.list(gvr, namespace=NS), key=_name)
    deployment = stored.get(DEPLOYMENTS, namespace=NS, name="web")
    assert deployment["metadata"]["generation"] == 4
    assert deployment["spec"]["replicas"] == 4 and deployment["status"]["readyReplicas"] == 3
    assert {entry["manager"] for entry in deployment["metadata"]["managedFields"]} == {"tester"}
    assert generated.startswith("gen-") and len(generated) == len("gen-") + 5


def _name(obj: dict[str, Any]) -> str:
    return str(obj["metadata"]["name"])
