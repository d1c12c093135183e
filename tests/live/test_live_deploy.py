"""``mom deploy`` output applied to a real kube-apiserver with kubectl.

Covers: for each shape (IndividualMOM, UnifiedStandaloneMOM, HyperMOM: a ring of sharing
replicas) and for the CronJob
variant, ``kubectl apply --dry-run=server`` accepts every object (the server validates each one,
RBAC escalation checks included) and a real ``kubectl apply`` creates all of them; the stored
Deployment carries the Lease settings, probes and metrics port, and the stored ConfigMap holds a
configuration that ``mom`` itself loads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.live.transport import LiveTransport
from mom.manager.config import parse_config
from mom.serialization import dump_json, load_document

pytestmark = pytest.mark.live

SRC = str(Path(__file__).resolve().parents[2] / "src")
RESOURCES = {
    "Namespace": GroupVersionResource("", "v1", "namespaces"),
    "ServiceAccount": GroupVersionResource("", "v1", "serviceaccounts"),
    "ConfigMap": GroupVersionResource("", "v1", "configmaps"),
    "Role": GroupVersionResource("rbac.authorization.k8s.io", "v1", "roles"),
    "RoleBinding": GroupVersionResource("rbac.authorization.k8s.io", "v1", "rolebindings"),
    "ClusterRole": GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles"),
    "ClusterRoleBinding": GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterrolebindings"),
    "Deployment": GroupVersionResource("apps", "v1", "deployments"),
    "CronJob": GroupVersionResource("batch", "v1", "cronjobs"),
}
OPERATORS = [
    {"name": "oauth-operator", "python": "mom.operator.oauth.operator:OAUTH_OPERATOR"},
    {"name": "sample-operator", "python": "mom.operator.sample.operator:SAMPLE_OPERATOR"},
]


@pytest.fixture
def admin(kube_apiserver: Cluster) -> Iterator[Client]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport)
    transport.close()


def configuration(directory: Path, cluster: Cluster, shape: str) -> Path:
    directory.mkdir(parents=True)
    (directory / "kube.yaml").write_bytes(cluster.kubeconfig.read_bytes())
    lease: dict[str, Any] = {"name": "mom", "namespace": "mom", "leaseDuration": 20, "renewDeadline": 12}
    lease |= {"retryPeriod": 3, "cluster": "management" if shape == "HyperMOM" else "live"}
    document: dict[str, Any] = {"journal": "state/journal.sqlite", "operators": OPERATORS, "lease": lease}
    if shape == "HyperMOM":
        document["clusters"] = [
            {"name": "management", "kubeconfig": "kube.yaml"},
            {"name": "guest-a", "kubeconfig": "kube.yaml"},
            {"name": "guest-b", "kubeconfig": "kube.yaml"},
        ]
        document["instances"] = [
            {
                "name": name,
                "topology": "HyperShift",
                "management": "management",
                "guest": f"guest-{name[-1]}",
                "hostedControlPlaneNamespace": f"clusters-{name}",
                "operandNamespaces": ["openshift-authentication"],
            }
            for name in ("hosted-a", "hosted-b")
        ]
    else:
        document["clusters"] = [
            {"name": "live", "kubeconfig": "kube.yaml", "impersonate": shape == "UnifiedStandaloneMOM"}
        ]
        document["instances"] = [{"name": "standalone", "topology": "Standalone", "cluster": "live"}]
    (directory / "mom.yaml").write_bytes(dump_json(document))
    return directory / "mom.yaml"


def deploy(config: Path, *arguments: str) -> str:
    command = [
        sys.executable,
        "-m",
        "mom.cli.main",
        "deploy",
        "--config",
        str(config),
        "--image",
        "example.test/mom:1",
    ]
    done = subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def kubectl(cluster: Cluster, manifests: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("kubectl")
    assert binary is not None, "kubectl is needed to apply what mom deploy prints"
    command = [binary, "--kubeconfig", str(cluster.kubeconfig), "apply", "-f", "-", *arguments]
    return subprocess.run(command, input=manifests, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    ("shape", "schedule", "managers"),
    [
        ("UnifiedStandaloneMOM", "", ["mom"]),
        ("IndividualMOM", "", ["mom-oauth-operator", "mom-sample-operator"]),
        ("HyperMOM", "", ["mom"]),
        ("UnifiedStandaloneMOM", "*/5 * * * *", ["mom"]),
    ],
)
def test_kubectl_applies_each_shape(
    kube_apiserver: Cluster, admin: Client, tmp_path: Path, shape: str, schedule: str, managers: list[str]
) -> None:
    config = configuration(tmp_path / "config", kube_apiserver, shape)
    namespace = f"mom-{shape.lower()[:5]}-{'cron' if schedule else 'run'}"
    extra = ["--namespace", namespace] + (["--schedule", schedule] if schedule else [])
    manifests = deploy(config, "--shape", shape, *extra)
    objects = [
        load_document(part.encode(), "manifest") for part in manifests.split("\n---\n") if part.strip("-\n")
    ]
    # The operators' own namespaces exist on a real cluster; mom's exist once applied. A dry run
    # cannot create objects in a namespace it only pretends to create, so all exist beforehand.
    namespaces = {o["metadata"].get("namespace", "") for o in objects} | {
        o["metadata"]["name"] for o in objects if o["kind"] == "Namespace"
    }
    for name in sorted(namespaces - {""}):
        if admin.get_or_none(RESOURCES["Namespace"], name) is None:
            admin.create(
                RESOURCES["Namespace"], {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            )

    dry = kubectl(kube_apiserver, manifests, "--dry-run=server")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("(server dry run)") == len(objects), dry.stdout
    real = kubectl(kube_apiserver, manifests)
    assert real.returncode == 0, real.stderr

    for item in objects:
        metadata = item["metadata"]
        assert admin.get(RESOURCES[item["kind"]], metadata["name"], metadata.get("namespace", ""))
    workload = "CronJob" if schedule else "Deployment"
    for name in managers:
        stored = admin.get(RESOURCES[workload], name, namespace)
        pod = stored["spec"]["jobTemplate"]["spec"]["template"] if schedule else stored["spec"]["template"]
        container = pod["spec"]["containers"][0]
        if schedule:
            assert container["args"][-1] == "--once" and stored["spec"]["concurrencyPolicy"] == "Forbid"
        else:
            assert stored["spec"]["replicas"] == 2
            assert container["ports"][0]["name"] == "metrics"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {
            "name": "POD_NAME",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
        } in container["env"]
        data = admin.get(RESOURCES["ConfigMap"], name, namespace)["data"]
        (tmp_path / name).mkdir()
        for key, text in data.items():
            (tmp_path / name / key).write_text(text)
        loaded = parse_config(load_document(data["mom.yaml"].encode(), name), tmp_path / name / "mom.yaml")
        assert loaded.lease is not None
        assert (loaded.lease.name, loaded.lease.namespace, loaded.lease.duration) == (name, namespace, 20.0)
        assert (loaded.lease.renew_deadline, loaded.lease.retry_period) == (12.0, 3.0)
        if shape == "IndividualMOM":
            assert [o.name for o in loaded.operators] == [name.removeprefix("mom-")]
        assert loaded.lease.shards is (shape == "HyperMOM")
        if shape == "HyperMOM":
            assert [i.name for i in loaded.instances] == ["hosted-a", "hosted-b"]


def test_a_manager_runs_with_the_rbac_it_is_deployed_with(
    kube_apiserver: Cluster, admin: Client, tmp_path: Path
) -> None:
    """The unified manager's ServiceAccount, with only the RBAC mom deploy gave it, takes its Lease,
    watches its operators' inputs and writes as the operators' accounts."""
    config = configuration(tmp_path / "config", kube_apiserver, "UnifiedStandaloneMOM")
    namespace = "mom-as-deployed"
    manifests = deploy(config, "--shape", "UnifiedStandaloneMOM", "--namespace", namespace)
    objects = [
        load_document(part.encode(), "manifest") for part in manifests.split("\n---\n") if part.strip("-\n")
    ]
    for name in sorted({o["metadata"].get("namespace", "") for o in objects} - {""}):
        if admin.get_or_none(RESOURCES["Namespace"], name) is None:
            admin.create(
                RESOURCES["Namespace"], {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            )
    applied = kubectl(kube_apiserver, manifests)
    assert applied.returncode == 0, applied.stderr

    token = admin._call(
        "POST",
        f"/api/v1/namespaces/{namespace}/serviceaccounts/mom/token",
        body=dump_json({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}}),
        content_type="application/json",
    )["status"]["token"]
    pod = tmp_path / "pod"
    pod.mkdir()
    data = admin.get(RESOURCES["ConfigMap"], "mom", namespace)["data"]
    document = load_document(data["mom.yaml"].encode(), "mom.yaml")
    document["journal"] = "state/journal.sqlite"  # the pod's volume
    (pod / "mom.yaml").write_bytes(dump_json(document))
    kubeconfig = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "c",
                "cluster": {"server": kube_apiserver.url, "certificate-authority": str(kube_apiserver.ca)},
            }
        ],
        "users": [{"name": "mom", "user": {"token": token}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "mom"}}],
        "current-context": "c",
    }
    (pod / "in-cluster.kubeconfig").write_bytes(dump_json(kubeconfig))
    command = [
        sys.executable,
        "-m",
        "mom.cli.main",
        "run",
        "--config",
        str(pod / "mom.yaml"),
        "--once",
        "-o",
        "json",
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert "forbidden" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr
    report = json.loads(done.stdout)
    # This bare cluster holds none of the operators' inputs: both are read (through watches the
    # account may open) and found absent, so neither runs; nothing is refused.
    assert [p["error"] for p in report["pairs"]] == [
        f"no declared input of operator {name} exists on instance standalone (cluster live): not run on an empty world"
        for name in ("oauth-operator", "sample-operator")
    ], done.stdout
    writes = [
        e
        for e in kube_apiserver.audit_events()
        if (e.get("user") or {}).get("username") == f"system:serviceaccount:{namespace}:mom"
    ]
    assert {(e["verb"], e["objectRef"]["resource"]) for e in writes} >= {
        ("create", "leases"),
        ("update", "leases"),
    }
    assert all((e.get("responseStatus") or {}).get("code", 500) < 300 for e in writes), writes
    holder = admin.get(GroupVersionResource("coordination.k8s.io", "v1", "leases"), "mom", namespace)["spec"]
    assert holder["holderIdentity"] == "", "taken, then released on exit"
