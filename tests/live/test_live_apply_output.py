"""``mom apply -o json|yaml`` against a real kube-apiserver.

Covers: a dry run reports, in one document, the cluster, the dry-run flag, each mutation's
request, outcome and diff, and the counts; JSON and YAML carry the same document (the diffs
but for the uid and creation time each dry run is given); nothing is
created by the dry run; a real apply then reports every mutation applied and the object exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.cli.main import main
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.live.transport import LiveTransport
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import write_mutation_dir
from mom.serialization import dump_json

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def _mutations(root: Path, namespace: str) -> Path:
    recorder = MutationRecorder()
    client = Client(SnapshotTransport(Snapshot.from_objects([]), recorder))
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "report", "namespace": namespace}}
    client.apply(CONFIGMAPS, {**body, "data": {"k": "v"}}, field_manager="reporter", force=True)
    write_mutation_dir(root, recorder.requests)
    return root


def _config(path: Path, kubeconfig: Path) -> Path:
    config = {
        "operators": [{"name": "sample", "python": "mom.operator.sample.operator:SAMPLE_OPERATOR"}],
        "clusters": [{"name": "live", "kubeconfig": str(kubeconfig)}],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    path.write_bytes(dump_json(config))
    return path


def test_apply_reports_as_json_and_yaml(
    kube_apiserver: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = "apply-output"
    transport = LiveTransport(kube_apiserver.kubeconfig)
    live = Client(transport)
    live.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    argv = [
        "apply",
        "--mutations",
        str(_mutations(tmp_path / "mutations", namespace)),
        "--config",
        str(_config(tmp_path / "mom.yaml", kube_apiserver.kubeconfig)),
    ]
    try:
        assert main([*argv, "--dry-run", "--diff", "-o", "json"]) == 0
        as_json = json.loads(capsys.readouterr().out)
        assert main([*argv, "--dry-run", "--diff", "-o", "yaml"]) == 0
        as_yaml = yaml.safe_load(capsys.readouterr().out)
        # each dry run gets its own uid and creationTimestamp: the diffs differ there only
        diffs = [m.pop("diff") for m in (*as_json["mutations"], *as_yaml["mutations"])]
        assert as_yaml == as_json
        assert as_json["cluster"] == "live" and as_json["dryRun"] is True
        assert (as_json["applied"], as_json["total"]) == (1, 1)
        (mutation,) = as_json["mutations"]
        assert mutation["request"].startswith("Apply-ConfigMap.v1./report[apply-output]")
        assert all("+  k: v" in diff for diff in diffs)
        assert live.get_or_none(CONFIGMAPS, "report", namespace) is None

        assert main([*argv, "-o", "json"]) == 0
        applied = json.loads(capsys.readouterr().out)
        assert applied["dryRun"] is False and applied["applied"] == 1
        assert "diff" not in applied["mutations"][0]
        assert live.get(CONFIGMAPS, "report", namespace)["data"] == {"k": "v"}
    finally:
        transport.close()
