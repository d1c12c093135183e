"""``mom serve`` as a command: the printed line, the kubeconfig, TLS, and flushing on SIGTERM.

Covers: ``--port 0`` picks a port and prints one line naming the URL and a kubectl command;
``--kubeconfig-out`` writes a kubeconfig kubectl uses as is, over plain HTTP and with ``--tls``
(generated CA trusted through the kubeconfig); writes are on disk while the server runs and the
server exits cleanly on SIGTERM; a non-empty ``--output-dir`` is refused with one error line.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.mutationdir.directory import read_mutation_dir

pytestmark = pytest.mark.conformance

MOM = [sys.executable, "-m", "mom.cli.main"]


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def _start(started, must_gather_01: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [*MOM, "serve", "--must-gather-dir", str(must_gather_01), "--port", "0", "--no-cache", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(process)
    assert process.stdout is not None
    return process, process.stdout.readline()


def _kubectl(kubectl_path: Path, kubeconfig: Path, tmp_path: Path, *args: str) -> str:
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(
        [str(kubectl_path), "--kubeconfig", str(kubeconfig), "--cache-dir", str(tmp_path / "c"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("tls", [False, True])
def test_kubeconfig_works_and_writes_are_flushed(
    started, must_gather_01, kubectl_path, tmp_path, tls
) -> None:
    kubeconfig, output = tmp_path / "kubeconfig", tmp_path / "out"
    flags = ["--tls"] if tls else []
    process, line = _start(
        started, must_gather_01, "--kubeconfig-out", str(kubeconfig), "--output-dir", str(output), *flags
    )
    url = re.search(r"(https?://127\.0\.0\.1:\d+)", line)
    assert url is not None, line
    assert url.group(1).startswith("https" if tls else "http:")
    assert f"kubectl --kubeconfig {kubeconfig} get clusteroperators" in line
    manifest = tmp_path / "made.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made\n  namespace: openshift-apiserver\n"
    )
    pods = _kubectl(kubectl_path, kubeconfig, tmp_path, "get", "configmaps", "-A", "-o", "name")
    assert pods.split() == ["configmap/foo"]
    _kubectl(kubectl_path, kubeconfig, tmp_path, "create", "-f", str(manifest))
    assert [r.action for r in read_mutation_dir(output)] == [Action.CREATE]
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    assert [(r.action, r.name) for r in read_mutation_dir(output)] == [(Action.CREATE, "made")]


def test_non_empty_output_dir_is_refused(must_gather_01, tmp_path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "stale").write_text("x")
    done = subprocess.run(
        [*MOM, "serve", "--must-gather-dir", str(must_gather_01), "--output-dir", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("mom: error: ") and "must be a new or empty directory" in done.stderr
