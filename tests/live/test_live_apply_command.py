"""``mom apply`` against a real kube-apiserver.

Covers: an apply-configuration output (UserWorkload and Configuration mutation directories) is
applied to the configuration's only cluster, one line per mutation with its outcome;
``--dry-run --diff`` prints a YAML diff naming the changed field and changes nothing;
re-applying the same directory converges: every mutation ok, no object changes (same
resourceVersion); a mutation the server refuses makes the command exit 1 and says why;
a configuration whose cluster is a manifest directory is refused with one error line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.cli.main import main
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import write_mutation_dir
from mom.serialization import dump_json

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")


def write_dir(root: Path, *writes: Callable[[Client], Any]) -> None:
    recorder = MutationRecorder()
    client = Client(SnapshotTransport(Snapshot.from_objects([]), recorder))
    for write in writes:
        write(client)
    write_mutation_dir(root, recorder.requests)


def write_config(path: Path, kubeconfig: Path | None = None) -> Path:
    cluster = (
        {"name": "live", "kubeconfig": str(kubeconfig)}
        if kubeconfig
        else {"name": "live", "manifestDir": "cluster"}
    )
    config = {
        "operators": [{"name": "sample", "python": "mom.operator.sample.operator:SAMPLE_OPERATOR"}],
        "clusters": [cluster],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    (path.parent / "cluster").mkdir(exist_ok=True)
    path.write_bytes(dump_json(config))
    return path


def configmap(namespace: str, name: str, **data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data,
    }


def test_diff_dry_run_apply_and_reapply(
    kube_apiserver: Cluster, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = f"apply-cmd-{time.monotonic_ns() % 100000}"
    ingress = f"apply-cmd-{time.monotonic_ns() % 100000}"
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    client.create(CONFIGMAPS, configmap(namespace, "settings", mode="old"))
    output = tmp_path / "output"
    write_dir(
        output / "UserWorkload",
        lambda c: c.create(CONFIGMAPS, configmap(namespace, "fresh", k="v")),
        lambda c: c.apply(
            CONFIGMAPS, configmap(namespace, "settings", mode="new"), field_manager="op", force=True
        ),
    )
    write_dir(
        output / "Configuration",
        lambda c: c.apply(
            INGRESSES,
            {
                "apiVersion": "config.openshift.io/v1",
                "kind": "Ingress",
                "metadata": {"name": ingress},
                "spec": {"domain": "a.test"},
            },
            field_manager="op",
        ),
    )
    config = write_config(tmp_path / "mom.yaml", kube_apiserver.kubeconfig)
    args = ["apply", "--mutations", str(output), "--config", str(config)]

    assert main([*args, "--dry-run", "--diff"]) == 0
    printed = capsys.readouterr().out
    assert "-  mode: old\n+  mode: new\n" in printed
    assert "+++ after/configmaps/" + namespace + "/fresh" in printed
    assert "Created (dry run) Create-ConfigMap.v1./fresh[" + namespace + "]" in printed
    assert client.get(CONFIGMAPS, "settings", namespace)["data"] == {"mode": "old"}
    assert client.get_or_none(CONFIGMAPS, "fresh", namespace) is None
    assert client.get_or_none(INGRESSES, ingress) is None

    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in lines[:-1]] == ["Applied", "Applied", "Created"]
    assert lines[-1] == "3/3 mutation(s) applied to live"
    assert client.get(CONFIGMAPS, "settings", namespace)["data"] == {"mode": "new"}
    before = [client.get(CONFIGMAPS, n, namespace) for n in ("fresh", "settings")] + [
        client.get(INGRESSES, ingress)
    ]

    assert main(args) == 0, "re-applying converges"
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in lines[:-1]] == ["Applied", "Applied", "Unchanged"]
    after = [client.get(CONFIGMAPS, n, namespace) for n in ("fresh", "settings")] + [
        client.get(INGRESSES, ingress)
    ]
    assert after == before, "nothing changed on the second pass"
    client.delete(INGRESSES, ingress)


def test_a_refused_mutation_fails_the_command(
    kube_apiserver: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mutations = tmp_path / "mutations"
    write_dir(mutations, lambda c: c.patch(CONFIGMAPS, "missing", {"data": {}}, namespace="default"))
    config = write_config(tmp_path / "mom.yaml", kube_apiserver.kubeconfig)
    assert main(["apply", "--mutations", str(mutations), "--config", str(config)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("NotFound Patch-.v1./missing[default]: ")
    assert '"missing" not found' in lines[0]


def test_a_manifest_directory_cluster_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mutations").mkdir()
    config = write_config(tmp_path / "mom.yaml")
    assert main(["apply", "--mutations", str(tmp_path / "mutations"), "--config", str(config)]) == 1
    assert "not a live cluster" in capsys.readouterr().err
