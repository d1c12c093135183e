"""client-go (built with the machine's Go toolchain) against ``mom serve`` over must-gather-01.

Covers: a SharedInformer over secrets and configmaps syncs (WaitForCacheSync returns true within
seconds: WATCH sends the initial events and the initial-events-end bookmark) and sees what the
snapshot holds; a typed create is recorded in the mutation directory with its field manager.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource
from mom.mutationdir.directory import read_mutation_dir
from mom.serialization import load_json, load_yaml_text

pytestmark = pytest.mark.conformance

PROGRAM = Path(__file__).parent / "clientgo"
SECRETS = GroupVersionResource("", "v1", "secrets")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


@pytest.fixture(scope="session")
def clientgo_binary(go_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    key = hashlib.sha256((PROGRAM / "go.sum").read_bytes() + (PROGRAM / "main.go").read_bytes()).hexdigest()[
        :12
    ]
    binary = tmp_path_factory.mktemp(f"clientgo-{key}") / "clientgo"
    done = subprocess.run(
        [str(go_path), "build", "-o", str(binary), "."],
        cwd=PROGRAM,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CGO_ENABLED": "0"},
    )
    assert done.returncode == 0, done.stderr
    return binary


def test_informer_syncs_and_create_is_recorded(serve_must_gather, must_gather_01, clientgo_binary) -> None:
    served = serve_must_gather(must_gather_01)
    namespace = "openshift-apiserver"
    done = subprocess.run(
        [
            str(clientgo_binary),
            "--server",
            served.url,
            "--namespace",
            namespace,
            "--create",
            "from-client-go",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = load_json(done.stdout.strip().splitlines()[-1].encode(), "clientgo")
    assert report["synced"] is True
    assert report["syncMillis"] < 5000
    assert report["secrets"] == len(served.snapshot.list(SECRETS, namespace=namespace)) > 0
    assert report["configMaps"] == len(served.snapshot.list(CONFIGMAPS, namespace=namespace))
    assert report["created"] == "from-client-go"
    (request,) = read_mutation_dir(served.output_dir)
    assert (request.action, request.gvr, request.namespace, request.name) == (
        Action.CREATE,
        CONFIGMAPS,
        namespace,
        "from-client-go",
    )
    assert load_yaml_text(request.options.decode(), "options") == {"fieldManager": "clientgo-interop"}
