"""The first answers a support engineer wants, on the real aws must-gather and on hostile files.

Covers: ``mom etcd`` shows three healthy members and exactly one leader, as ``etcd_info/`` says;
``mom alerts`` lists the alerts whose state is firing in ``monitoring/alerts.json``; ``mom
certificates --within`` lists the TLS secrets whose certificate ends within the window, counted
from when the must-gather was taken (checked against the certificates themselves); ``mom
clusteroperators`` reports every ClusterOperator with its Available/Progressing/Degraded. A
malformed, missing or linked-out file gives one error line and exit 1.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.diagnostics.alerts import firing_alerts
from mom.diagnostics.etcd import etcd_members
from mom.mustgather.gathered import gathered_at
from mom.mustgather.layout import find_resource_root
from mom.mustgather.loader import load_must_gather

MOM = [sys.executable, "-m", "mom.cli.main"]
SECRETS = GroupVersionResource("", "v1", "secrets")


def _mom(tmp_path: Path, tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MOM_CACHE_DIR": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path)}
    return subprocess.run(
        [*MOM, *args, "--must-gather-dir", str(tree)],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )


@pytest.mark.realdata
def test_on_the_real_must_gather(aws_must_gather: Path, tmp_path: Path) -> None:
    root = find_resource_root(aws_must_gather)
    etcd = json.loads(_mom(tmp_path, aws_must_gather, "etcd", "-o", "json").stdout)[0]
    members = json.loads((root / "etcd_info" / "member_list.json").read_text())["members"]
    assert sorted(m["name"] for m in etcd["members"]) == sorted(m["name"] for m in members)
    assert all(m["healthy"] is True for m in etcd["members"])
    assert sum(m["leader"] for m in etcd["members"]) == 1
    table = _mom(tmp_path, aws_must_gather, "etcd").stdout
    assert table.splitlines()[0].split()[:3] == ["NAME", "ID", "ENDPOINT"] and "alarms: none" in table

    rules = json.loads((root / "monitoring" / "alerts.json").read_text())["data"]["groups"]
    firing = sorted(
        a["labels"]["alertname"]
        for g in rules
        for r in g["rules"]
        for a in r["alerts"]
        if a["state"] == "firing"
    )
    shown = json.loads(_mom(tmp_path, aws_must_gather, "alerts", "-o", "json").stdout)
    assert sorted(a["name"] for a in shown) == firing and firing

    snapshot = load_must_gather(aws_must_gather)
    taken = gathered_at(snapshot)
    assert taken is not None
    expected = set()
    for secret in snapshot.list(SECRETS):
        crt = (secret.get("data") or {}).get("tls.crt")
        if not crt:
            continue
        pem = base64.b64decode(crt)
        for block in pem.split(b"-----END CERTIFICATE-----")[:-1]:
            cert = x509.load_pem_x509_certificate(block + b"-----END CERTIFICATE-----\n")
            if cert.not_valid_after_utc <= taken + timedelta(days=2):
                expected.add((secret["metadata"]["namespace"], secret["metadata"]["name"]))
    certificates = json.loads(
        _mom(tmp_path, aws_must_gather, "certificates", "--within", "2d", "-o", "json").stdout
    )
    assert {
        (c["namespace"], c["name"]) for c in certificates if c["key"] == "tls.crt"
    } == expected and expected
    assert all(0 < c["expiresInSeconds"] <= 2 * 86400 for c in certificates)

    operators = json.loads(_mom(tmp_path, aws_must_gather, "clusteroperators", "-o", "json").stdout)
    assert len(operators) == 31
    assert all(o["available"] == "True" and o["degraded"] == "False" for o in operators)


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "namespaces" / "ns" / "core").mkdir(parents=True)
    (root / "namespaces" / "ns" / "core" / "configmaps.yaml").write_text(
        "kind: ConfigMapList\napiVersion: v1\nitems: []\n"
    )
    return root


def test_hostile_files_are_one_line(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    (root / "monitoring").mkdir()
    (root / "monitoring" / "alerts.json").write_text("{not json")
    done = _mom(tmp_path, root, "alerts")
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "alerts.json" in done.stderr
    missing = _mom(tmp_path, root, "etcd")
    assert (
        missing.returncode == 1 and "member_list.json" in missing.stderr and "Traceback" not in missing.stderr
    )

    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"members": [{"name": "stolen"}]}))
    (root / "etcd_info").mkdir()
    (root / "etcd_info" / "member_list.json").symlink_to(outside)
    with pytest.raises(InvalidInput, match="inside the must-gather"):
        etcd_members(root)
    (root / "monitoring" / "alerts.json").write_text(json.dumps({"data": {"groups": [{"rules": "x"}, 3]}}))
    assert firing_alerts(root) == []
