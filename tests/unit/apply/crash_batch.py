"""A batch of mutations applied to a tree by a separate process, which may be killed midway.

``python crash_batch.py ROOT [KILL_AT]``: applies :func:`batch` to the tree at ROOT; with
KILL_AT, the process sends itself SIGKILL at that checkpoint (counted over the whole batch).
Prints one ``<id> <outcome>`` line per mutation.
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.apply import ManifestTarget
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
INITIAL_LIST = """apiVersion: v1
items:
- apiVersion: v1
  data:
    n: "1"
  kind: ConfigMap
  metadata:
    name: counter
    namespace: ns
    resourceVersion: "7"
kind: ConfigMapList
metadata: {}
"""


def _request(action: Action, gvr: GroupVersionResource, body: object, **fields: str) -> MutationRequest:
    if action.is_patch:
        raw = (
            dump_go_yaml(body) if fields.get("patch_type", "").startswith("application/json-patch") else None
        )
        data = raw.encode() if raw else dump_json(body)
        kind = None
    else:
        data = dump_go_yaml(body).encode()
        assert isinstance(body, dict)
        kind = GroupVersionKind.from_api_version(body["apiVersion"], body["kind"]) if "kind" in body else None
    return MutationRequest(
        action=action,
        gvr=gvr,
        namespace=fields.get("namespace", ""),
        name=fields.get("name", ""),
        generate_name=fields.get("generate_name", ""),
        kind=kind,
        body=data,
        options=fields.get("options", "").encode(),
        patch_type=fields.get("patch_type", ""),
        field_manager=fields.get("field_manager", ""),
    )


def batch() -> list[tuple[str, MutationRequest]]:
    """Mutations whose double application would show: counters, generated names, appends."""
    bump = [
        {"op": "test", "path": "/data/n", "value": "1"},
        {"op": "replace", "path": "/data/n", "value": "2"},
    ]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "ns"},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "app", "image": "a:1"}]}}},
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"generateName": "token-", "namespace": "ns"}}
    extra = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "extra", "namespace": "ns"}}
    status = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "ns"},
        "status": {"conditions": [{"type": "Available", "status": "True"}]},
    }
    delete = {"apiVersion": "v1", "kind": "DeleteOptions"}
    json_patch, merge_patch = "application/json-patch+json", "application/merge-patch+json"
    web = {"namespace": "ns", "name": "web"}
    return [
        ("ns", _request(Action.CREATE, NAMESPACES, namespace, name="ns")),
        (
            "bump",
            _request(Action.PATCH, CONFIGMAPS, bump, namespace="ns", name="counter", patch_type=json_patch),
        ),
        ("generated", _request(Action.CREATE, SECRETS, secret, namespace="ns", generate_name="token-")),
        ("appended", _request(Action.CREATE, CONFIGMAPS, {**extra, "data": {"a": "b"}}, namespace="ns")),
        (
            "deploy",
            _request(
                Action.APPLY, DEPLOYMENTS, deployment, field_manager="m", options="force: true\n", **web
            ),
        ),
        (
            "scale",
            _request(Action.PATCH, DEPLOYMENTS, {"spec": {"replicas": 3}}, patch_type=merge_patch, **web),
        ),
        ("status", _request(Action.APPLY_STATUS, DEPLOYMENTS, status, field_manager="s", **web)),
        ("drop-extra", _request(Action.DELETE, CONFIGMAPS, delete, namespace="ns", name="extra")),
    ]


def main() -> None:
    root = Path(sys.argv[1])
    kill_at = int(sys.argv[2]) if len(sys.argv) > 2 else -1
    calls = [0]

    def checkpoint(mutation_id: str, point: str) -> None:
        if calls[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        calls[0] += 1

    target = ManifestTarget(root, clock=lambda: datetime(2024, 10, 14, tzinfo=UTC), checkpoint=checkpoint)
    for mutation_id, request in batch():
        print(mutation_id, target.apply(mutation_id, request).outcome.value, flush=True)
    print("checkpoints", calls[0], flush=True)


if __name__ == "__main__":
    main()
