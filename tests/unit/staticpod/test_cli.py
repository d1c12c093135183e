"""``mom static-pods`` as a user runs it.

Covers: ``mom static-pods node --once`` with the kube-apiserver unreachable and a probe URL
that never answers ready falls back from its local copy and prints one line saying so, exit 0;
``mom static-pods operator`` answers the operator contract (its output-resources name the
operator resource and the revision copies as generated names).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.unit.staticpod.conftest import Health
from tests.unit.staticpod.world import EXAMPLE, node_installer, revision_files

from mom.api.output_resources import OutputResources
from mom.serialization import load_document

MOM = [sys.executable, "-m", "mom.cli.main", "static-pods"]
OPERAND_FILE = str(EXAMPLE / "operand.yaml")


def test_node_once_falls_back_with_the_api_unreachable(
    tmp_path: Path, unreachable_api: object, health: Health
) -> None:
    installer = node_installer(tmp_path, "master-0")
    for revision in (1, 2):
        installer.stage(revision_files(revision))
    installer.install(1, now="2026-03-01T11:00:00Z", previous=0)
    installer.install(2, now="2026-03-01T12:00:00Z", previous=1)

    done = subprocess.run(
        [*MOM, "node", "--operand", OPERAND_FILE, "--node", "master-0", "--once",
         "--resources-dir", str(installer.resources_dir), "--manifests-dir", str(installer.manifests_dir),
         "--kubeconfig", str(tmp_path / "kubeconfig"), "--probe-url", health.url, "--ready-timeout", "60"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert line.endswith(
        "master-0: FellBack revision 1: from revision 2: revision 2 not ready 60s after its install"
    )
    pod = installer.installed()
    assert pod is not None and (pod.revision, pod.fallback_for) == (1, 2)


def test_operator_answers_the_operator_contract() -> None:
    done = subprocess.run(
        [*MOM, "operator", "--operand", OPERAND_FILE, "output-resources"], capture_output=True, check=False
    )

    assert done.returncode == 0, done.stderr
    outputs = OutputResources.from_wire(load_document(done.stdout, "output-resources"), "output-resources")
    management = outputs.management_resources
    assert [(e.resource, e.name) for e in management.exact_resources] == [("kubeschedulers", "cluster")]
    assert sorted((g.resource, g.name) for g in management.generated_name_resources) == [
        ("configmaps", "config-"),
        ("configmaps", "kube-scheduler-pod-"),
        ("configmaps", "revision-status-"),
        ("secrets", "serving-cert-"),
    ]
