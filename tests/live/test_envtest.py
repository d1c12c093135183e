"""envtest for mom users: `mom envtest` and the `envtest` pytest fixture, on the real binaries.

Covers:
- `mom envtest --crds DIR --kubeconfig-out FILE` prints a kubeconfig that kubectl uses to list
  namespaces and the installed CRDs; SIGTERM stops it with exit 0, its port closes and its
  directory is gone;
- an operator's own pytest run (a fresh directory, the plugin found through its entry point)
  gets a running kube-apiserver from the `envtest` fixture, with the CRDs of `--envtest-crds`
  Established.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.live

BIN = Path(sys.executable).parent
CRDS = Path(__file__).resolve().parent / "crds"
STARTUP_TIMEOUT = 180.0


def _wait_for_line(process: subprocess.Popen[str], needle: str) -> str:
    assert process.stderr is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if needle in line:
            return line
        if not line and process.poll() is not None:
            break
    process.kill()
    pytest.fail(f"mom envtest did not report {needle!r} (exit {process.poll()})")


def test_mom_envtest_serves_until_terminated(kube_binaries: object, tmp_path: Path) -> None:
    kubeconfig = tmp_path / "envtest.kubeconfig"
    process = subprocess.Popen(
        [str(BIN / "mom"), "envtest", "--crds", str(CRDS), "--kubeconfig-out", str(kubeconfig)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = _wait_for_line(process, "until Ctrl-C")
        assert f"kubectl --kubeconfig {kubeconfig} get namespaces" in ready
        config = json.loads(kubeconfig.read_text())
        (cluster,) = config["clusters"]
        kubectl = [str(BIN / "kubectl"), "--kubeconfig", str(kubeconfig)]
        namespaces = subprocess.run(
            [*kubectl, "get", "namespaces", "-o", "name"], capture_output=True, text=True
        )
        assert "namespace/default" in namespaces.stdout.split(), namespaces.stderr
        crds = subprocess.run([*kubectl, "get", "crds", "-o", "name"], capture_output=True, text=True).stdout
        assert "customresourcedefinition.apiextensions.k8s.io/ingresses.config.openshift.io" in crds.split()
        state_dir = Path(cluster["cluster"]["certificate-authority"]).parent.parent
        assert state_dir.is_dir()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        stdout = process.stdout.read() if process.stdout else ""
        assert json.loads(stdout) == config  # the kubeconfig on stdout is the one written
        url = urlparse(cluster["cluster"]["server"])
        with pytest.raises(OSError), socket.create_connection((url.hostname, url.port), timeout=2):
            pass
        assert not state_dir.exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


OPERATOR_TEST = """
from mom.api.resources import GroupVersionResource
from mom.live.transport import LiveTransport
from mom.client.client import Client

INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")


def test_against_a_real_apiserver(envtest):
    client = Client(LiveTransport(envtest.kubeconfig))
    body = {"apiVersion": "config.openshift.io/v1", "kind": "Ingress", "metadata": {"name": "cluster"},
            "spec": {"domain": "apps.example.com"}}
    client.create(INGRESSES, body)
    assert client.get(INGRESSES, "cluster")["spec"]["domain"] == "apps.example.com"
"""


def test_envtest_fixture_in_an_operator_project(kube_binaries: object, tmp_path: Path) -> None:
    (tmp_path / "test_operator.py").write_text(OPERATOR_TEST)
    done = subprocess.run(
        [
            str(BIN / "pytest"),
            "-q",
            "-p",
            "no:cacheprovider",
            "--envtest-crds",
            str(CRDS),
            "test_operator.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout.splitlines()[-1]
