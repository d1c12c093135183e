"""A support engineer's session with real kubectl against ``mom serve`` on the real aws must-gather.

Covers what must not be silently wrong: ``kubectl describe`` of a pod, a node, a deployment and a
clusteroperator shows the events the must-gather holds for it; pod STATUS is what kubectl computes
(``Completed``, ``CrashLoopBackOff``, ``Init:0/1`` — the last two from real pods whose status is
edited in a test copy); ages count from the must-gather's ``timestamp``; ``kubectl version`` names
the gathered cluster's Kubernetes version; ``kubectl delete`` without a recording directory fails
and changes nothing. Then ``kubectl logs`` (default container, ``-c``, ``--tail``,
``--timestamps``, ``-p``, ``--since-time``) from the container log files, field selectors
(``spec.nodeName``, ``status.phase``, ``involvedObject.*``, ``kubectl events --for``), and the
``kubernetes`` Python client reading a log. The azure must-gather, used nowhere else here, gets the
same STATUS and age checks.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mom.api.resources import GroupVersionResource, name_of, namespace_of
from mom.mustgather.gathered import gathered_at
from mom.mustgather.layout import find_resource_root
from mom.serialization import dump_go_yaml, load_document
from mom.server.tables import human_duration

pytestmark = pytest.mark.realdata

PODS = GroupVersionResource("", "v1", "pods")
NODES = GroupVersionResource("", "v1", "nodes")
EVENTS = GroupVersionResource("", "v1", "events")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CLUSTEROPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")

AUTH_NS = "openshift-authentication-operator"
AUTH_POD = "authentication-operator-d968d76cd-cs9s7"
APISERVER_NS = "openshift-apiserver"
APISERVER_POD = "apiserver-5647477f76-2zz4k"
DNS_NS = "openshift-dns"
DNS_POD = "dns-default-tjvnn"


def _edit_pod(root: Path, namespace: str, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit the pod wherever the tree holds it (its own file and the namespace's pod list),
    replacing the files rather than writing through the links the copy shares with the original."""
    own = root / "namespaces" / namespace / "pods" / name / f"{name}.yaml"
    listed = root / "namespaces" / namespace / "core" / "pods.yaml"
    for path in (own, listed):
        if not path.is_file():
            continue
        document = load_document(path.read_bytes(), str(path))
        for pod in document.get("items") or [document]:
            if name_of(pod) == name:
                edit(pod)
        path.unlink()
        path.write_text(dump_go_yaml(document))


def _crash_looping(pod: dict[str, Any]) -> None:
    status = pod["status"]["containerStatuses"][0]
    status["ready"] = False
    status["restartCount"] = 7
    status["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting"}}
    status["lastState"] = {
        "terminated": {"exitCode": 255, "reason": "Error", "finishedAt": "2021-08-03T10:10:47Z"}
    }


def _initializing(pod: dict[str, Any]) -> None:
    pod["status"]["initContainerStatuses"][0]["state"] = {"running": {"startedAt": "2021-08-03T10:10:00Z"}}
    for status in pod["status"]["containerStatuses"]:
        status["state"] = {"waiting": {"reason": "PodInitializing"}}
        status["ready"] = False
    for condition in pod["status"]["conditions"]:
        if condition["type"] in ("Initialized", "Ready", "ContainersReady"):
            condition["status"] = "False"


@pytest.fixture(scope="module")
def edited_aws(aws_must_gather: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the aws must-gather (hard links) with one pod crash-looping and one initializing."""
    copy = tmp_path_factory.mktemp("edited-aws") / aws_must_gather.name
    shutil.copytree(aws_must_gather, copy, copy_function=os.link)
    root = find_resource_root(copy)
    _edit_pod(root, AUTH_NS, AUTH_POD, _crash_looping)
    _edit_pod(root, APISERVER_NS, APISERVER_POD, _initializing)
    return copy


def _table(text: str) -> list[list[str]]:
    """kubectl's table as rows of cells (cells are separated by two spaces or more)."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


def _rows_by_name(text: str) -> dict[str, dict[str, str]]:
    header, *rows = _table(text)
    return {row[header.index("NAME")]: dict(zip(header, row, strict=True)) for row in rows}


def _events_for(snapshot: Any, kind: str, name: str, namespace: str = "") -> list[dict[str, Any]]:
    found = []
    for event in snapshot.list(EVENTS):
        involved = event.get("involvedObject") or {}
        same = involved.get("kind") == kind and involved.get("name") == name
        if same and (not namespace or namespace_of(event) == namespace):
            found.append(event)
    return found


def _described_events(text: str) -> list[str]:
    """The Reason of each line under ``Events:`` in kubectl describe output."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Events:"))
    if lines[start].strip() == "Events:  <none>" or "<none>" in lines[start]:
        return []
    return [line.split()[1] for line in lines[start + 3 :] if line.startswith("  ") and line.split()]


@pytest.mark.parametrize(
    ("kind", "resource", "namespace", "name"),
    [
        ("Pod", "pod", DNS_NS, DNS_POD),
        ("Node", "node", "", "ip-10-0-187-218.ec2.internal"),
        ("Deployment", "deployment", AUTH_NS, "authentication-operator"),
        ("ClusterOperator", "clusteroperator", "", "machine-api"),
    ],
)
def test_describe_shows_the_events_of_the_object(
    serve_must_gather, aws_must_gather, kubectl, kind: str, resource: str, namespace: str, name: str
) -> None:
    served = serve_must_gather(aws_must_gather, gathered=True)
    expected = _events_for(served.snapshot, kind, name, namespace)
    assert expected, f"the must-gather holds no events about {kind} {name}"
    scope = ["-n", namespace] if namespace else []
    described = kubectl(served.url, "describe", resource, name, *scope).stdout
    reasons = _described_events(described)
    assert reasons, f"describe {resource} {name} shows no events, the must-gather holds {len(expected)}"
    assert set(reasons) <= {str(e.get("reason")).split()[0] for e in expected}


def test_describe_pod_and_node_events_are_all_there(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather, gathered=True)
    expected = _events_for(served.snapshot, "Pod", DNS_POD, DNS_NS)
    assert len(expected) > 3
    described = kubectl(served.url, "describe", "pod", DNS_POD, "-n", DNS_NS).stdout
    assert sorted(_described_events(described)) == sorted(str(e["reason"]) for e in expected)
    name = "ip-10-0-187-218.ec2.internal"
    uid = served.snapshot.get(NODES, name=name)["metadata"]["uid"]
    node_events = [  # kubectl asks for the node's uid and for its name as uid (the kubelet's events)
        e
        for e in _events_for(served.snapshot, "Node", name)
        if not e["involvedObject"].get("namespace") and e["involvedObject"].get("uid") in (uid, name)
    ]
    assert node_events
    node = kubectl(served.url, "describe", "node", name).stdout
    assert "Non-terminated Pods:" in node  # needs the spec.nodeName field selector
    assert len(_described_events(node)) == len(node_events)


def test_pod_status_is_what_kubectl_computes(serve_must_gather, edited_aws, kubectl) -> None:
    served = serve_must_gather(edited_aws, gathered=True)
    etcd = _rows_by_name(kubectl(served.url, "get", "pods", "-n", "openshift-etcd").stdout)
    installers = {name: row for name, row in etcd.items() if name.startswith("installer-")}
    assert installers and {row["STATUS"] for row in installers.values()} == {"Completed"}
    assert {row["STATUS"] for name, row in etcd.items() if name.startswith("etcd-ip-")} == {"Running"}

    auth = _rows_by_name(kubectl(served.url, "get", "pods", "-n", AUTH_NS).stdout)[AUTH_POD]
    assert auth["STATUS"] == "CrashLoopBackOff"
    assert auth["READY"] == "0/1"
    assert auth["RESTARTS"] == "7 (3m ago)"  # last finished 10:10:47, gathered 10:13:47

    apiserver = _rows_by_name(kubectl(served.url, "get", "pods", "-n", APISERVER_NS).stdout)
    assert apiserver[APISERVER_POD]["STATUS"] == "Init:0/1"


def test_ages_count_from_the_must_gather_timestamp(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather, gathered=True)
    taken = gathered_at(served.snapshot)
    assert taken == datetime(2021, 8, 3, 10, 13, 47, 364145, tzinfo=UTC)  # the timestamp file's last line
    rows = _rows_by_name(kubectl(served.url, "get", "nodes").stdout)
    for node in served.snapshot.list(NODES):
        created = datetime.fromisoformat(node["metadata"]["creationTimestamp"].replace("Z", "+00:00"))
        assert rows[name_of(node)]["AGE"] == human_duration((taken - created).total_seconds())
    assert all(row["AGE"].endswith(("m", "s")) for row in rows.values())


def test_version_is_the_gathered_clusters(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather)
    operator = served.snapshot.get(CLUSTEROPERATORS, name="kube-apiserver")
    (expected,) = [v["version"] for v in operator["status"]["versions"] if v["name"] == "kube-apiserver"]
    shown = kubectl(served.url, "version").stdout
    assert f"Server Version: v{expected}" in shown
    assert "mom" not in shown


def test_delete_without_a_recording_directory_is_refused(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather, record=False)
    done = kubectl(served.url, "delete", "pod", DNS_POD, "-n", DNS_NS, check=False)
    assert done.returncode != 0
    assert "deleted" not in done.stdout
    assert "--output-dir" in done.stderr
    assert kubectl(served.url, "get", "pod", DNS_POD, "-n", DNS_NS, "-o", "name").stdout.strip() == (
        f"pod/{DNS_POD}"
    )
    assert not served.output_dir.exists()


def _log_file(tree: Path, namespace: str, pod: str, container: str, which: str) -> bytes:
    root = find_resource_root(tree)
    return (
        root / "namespaces" / namespace / "pods" / pod / container / container / "logs" / which
    ).read_bytes()


def _without_stamps(data: bytes) -> str:
    return "".join(line.split(" ", 1)[1] for line in data.decode().splitlines(keepends=True))


def test_logs_come_from_the_container_log_files(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather, gathered=True)
    current = _log_file(aws_must_gather, AUTH_NS, AUTH_POD, "authentication-operator", "current.log")
    previous = _log_file(aws_must_gather, AUTH_NS, AUTH_POD, "authentication-operator", "previous.log")
    assert current and previous
    assert kubectl(served.url, "logs", AUTH_POD, "-n", AUTH_NS).stdout == _without_stamps(current)
    assert kubectl(served.url, "logs", AUTH_POD, "-n", AUTH_NS, "-p").stdout == _without_stamps(previous)
    stamped = kubectl(served.url, "logs", AUTH_POD, "-n", AUTH_NS, "--timestamps", "--tail", "5").stdout
    assert stamped.splitlines() == current.decode().splitlines()[-5:]

    lines = current.decode().splitlines()
    middle = lines[len(lines) // 2].split(" ", 1)[0]
    since = kubectl(served.url, "logs", AUTH_POD, "-n", AUTH_NS, "--timestamps", f"--since-time={middle}")
    kept = since.stdout.splitlines()
    assert 0 < len(kept) < len(lines)
    assert all(line.split(" ", 1)[0] >= middle[:19] for line in kept if line[:4].isdigit())

    dns = _log_file(aws_must_gather, DNS_NS, DNS_POD, "kube-rbac-proxy", "current.log")
    shown = kubectl(served.url, "logs", DNS_POD, "-n", DNS_NS, "-c", "kube-rbac-proxy").stdout
    assert shown == _without_stamps(dns)
    wrong = kubectl(served.url, "logs", DNS_POD, "-n", DNS_NS, "-c", "nope", check=False)
    assert wrong.returncode != 0 and "nope" in wrong.stderr


def test_field_selectors_that_kubectl_sends(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather, gathered=True)
    node = "ip-10-0-187-218.ec2.internal"
    on_node = sorted(
        f"pod/{name_of(p)}" for p in served.snapshot.list(PODS) if p["spec"].get("nodeName") == node
    )
    shown = kubectl(
        served.url, "get", "pods", "-A", "--field-selector", f"spec.nodeName={node}", "-o", "name"
    )
    assert sorted(shown.stdout.split()) == on_node and len(on_node) > 10

    succeeded = sorted(
        f"pod/{name_of(p)}" for p in served.snapshot.list(PODS) if p["status"].get("phase") == "Succeeded"
    )
    shown = kubectl(
        served.url, "get", "pods", "-A", "--field-selector", "status.phase=Succeeded", "-o", "name"
    )
    assert sorted(shown.stdout.split()) == succeeded and succeeded

    warnings = [e for e in served.snapshot.list(EVENTS, namespace=DNS_NS) if e.get("type") == "Warning"]
    shown = kubectl(
        served.url, "get", "events", "-n", DNS_NS, "--field-selector", "type=Warning", "-o", "name"
    )
    assert len(shown.stdout.split()) == len(warnings)

    expected = _events_for(served.snapshot, "Pod", DNS_POD, DNS_NS)
    events = kubectl(served.url, "events", "-n", DNS_NS, "--for", f"pod/{DNS_POD}").stdout
    assert len(_table(events)) - 1 == len(expected)

    wrong = kubectl(served.url, "get", "pods", "-A", "--field-selector", "spec.nope=x", check=False)
    assert wrong.returncode != 0 and "spec.nope" in wrong.stderr


def test_python_client_reads_a_log(serve_must_gather, aws_must_gather) -> None:
    kubernetes = pytest.importorskip("kubernetes")
    served = serve_must_gather(aws_must_gather)
    configuration = kubernetes.client.Configuration()
    configuration.host = served.url
    with kubernetes.client.ApiClient(configuration) as api:
        text = kubernetes.client.CoreV1Api(api).read_namespaced_pod_log(
            AUTH_POD, AUTH_NS, tail_lines=3, timestamps=True
        )
    current = _log_file(aws_must_gather, AUTH_NS, AUTH_POD, "authentication-operator", "current.log")
    assert text.splitlines() == current.decode().splitlines()[-3:]


def test_unseen_must_gather_statuses_and_ages(serve_must_gather, azure_must_gather, kubectl) -> None:
    served = serve_must_gather(azure_must_gather, gathered=True)
    taken = gathered_at(served.snapshot)
    assert taken is not None and taken.year < 2030
    rows = _table(kubectl(served.url, "get", "pods", "-A").stdout)
    header, body = rows[0], rows[1:]
    statuses = {row[header.index("STATUS")] for row in body}
    assert "Completed" in statuses and "Succeeded" not in statuses
    assert not any(row[header.index("AGE")].endswith("y") or "y" in row[header.index("AGE")] for row in body)
    assert kubectl(served.url, "version").stdout.count("Server Version: v1.") == 1


def test_short_names_and_categories_from_the_crds(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather)
    assert kubectl(served.url, "get", "subs", "-A").stderr.strip() == "No resources found"
    sources = kubectl(served.url, "get", "catsrc", "-A", "-o", "name").stdout.split()
    assert "catalogsource.operators.coreos.com/certified-operators" in sources
    everything = kubectl(served.url, "get", "all", "-n", DNS_NS, "-o", "name").stdout.split()
    pods = sorted(f"pod/{name_of(p)}" for p in served.snapshot.list(PODS, namespace=DNS_NS))
    assert sorted(n for n in everything if n.startswith("pod/")) == pods
    assert "service/dns-default" in everything
    assert any(n.startswith("daemonset.apps/") for n in everything)


def test_tables_of_the_kinds_people_list(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather, gathered=True)
    nodes = _rows_by_name(kubectl(served.url, "get", "nodes", "-o", "wide").stdout)
    for node in served.snapshot.list(NODES):
        row = nodes[name_of(node)]
        assert row["STATUS"] == "Ready"
        assert row["VERSION"] == node["status"]["nodeInfo"]["kubeletVersion"]
        internal = [a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP"]
        assert row["INTERNAL-IP"] == internal[0]
    assert {row["ROLES"] for row in nodes.values()} == {"master", "worker"}

    events = _table(kubectl(served.url, "get", "events", "-n", DNS_NS).stdout)
    assert events[0] == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert len(events) - 1 == len(served.snapshot.list(EVENTS, namespace=DNS_NS))
    assert any(row[3] == f"pod/{DNS_POD}" for row in events[1:])

    deployments = _rows_by_name(kubectl(served.url, "get", "deployments", "-n", AUTH_NS, "-o", "wide").stdout)
    deployment = served.snapshot.get(DEPLOYMENTS, namespace=AUTH_NS, name="authentication-operator")
    row = deployments["authentication-operator"]
    assert row["READY"] == f"{deployment['status']['readyReplicas']}/{deployment['spec']['replicas']}"
    assert row["CONTAINERS"] == "authentication-operator"

    services = _table(kubectl(served.url, "get", "services", "-n", AUTH_NS).stdout)
    assert services[0] == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    routes = _table(kubectl(served.url, "get", "routes", "-A").stdout)
    assert routes[0][:4] == ["NAMESPACE", "NAME", "HOST/PORT", "PATH"] or routes[0][:3] == [
        "NAMESPACE",
        "NAME",
        "HOST/PORT",
    ]
    wide = _rows_by_name(kubectl(served.url, "get", "pods", "-n", DNS_NS, "-o", "wide").stdout)
    pod = served.snapshot.get(PODS, namespace=DNS_NS, name=DNS_POD)
    assert wide[DNS_POD]["NODE"] == pod["spec"]["nodeName"]
    assert wide[DNS_POD]["IP"] == pod["status"]["podIP"]


def test_explain_reads_crd_schemas_and_inferred_core_ones(
    serve_must_gather, aws_must_gather, kubectl
) -> None:
    served = serve_must_gather(aws_must_gather)
    crd = kubectl(served.url, "explain", "clusteroperator.status.conditions").stdout
    assert "KIND:       ClusterOperator" in crd
    assert "lastTransitionTime" in crd and "-required-" in crd
    assert "message provides additional information" in crd  # the CRD's own description
    pod = kubectl(served.url, "explain", "pod.spec.containers").stdout
    assert "KIND:       Pod" in pod
    for field in ("image", "name", "resources", "volumeMounts"):
        assert f"  {field}\t" in pod
    missing = kubectl(served.url, "explain", "pod.spec.nope", check=False)
    assert missing.returncode != 0 and "nope" in missing.stderr
