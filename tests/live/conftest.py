"""Fixtures for tests marked ``live``: a real kube-apiserver with mom's test CRDs installed.

``kube_binaries`` builds kube-apiserver and etcd from their Go modules, or reuses the cached build
(see ``binaries.py``). When they cannot be built the live tests skip with the build's last lines,
except with ``CI=true``, where they fail: CI never passes by skipping them.
``kube_apiserver`` starts one control plane per session (see ``cluster.py``), installs every CRD
in ``crds/`` and yields the :class:`cluster.Cluster` (``.kubeconfig``, ``.url``, ``.token``,
``.ca``) once each CRD is Established. ``second_kube_apiserver`` is another such control plane
(own etcd, same CRDs), started on first use, for tests needing two clusters (HyperShift's
management and guest).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from binaries import Binaries, BuildError, cached, ensure
from cluster import Cluster, ClusterError, running

from mom.serialization import load_yaml_text

CRD_DIR = Path(__file__).resolve().parent / "crds"
CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
ESTABLISHED_TIMEOUT = 60.0


@pytest.fixture(scope="session")
def kube_binaries() -> Binaries:
    """kube-apiserver and etcd, built on first use and cached outside the repository."""
    found = cached()
    if found is not None:
        return found
    try:
        return ensure(progress=sys.__stderr__)
    except BuildError as exc:
        message = f"kube-apiserver/etcd could not be built: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def kube_apiserver(kube_binaries: Binaries, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A running kube-apiserver (with etcd) serving the CRDs in ``crds/``; stopped after the session."""
    directory = tmp_path_factory.mktemp("kube-apiserver")
    try:
        with running(kube_binaries, directory) as cluster:
            install_crds(cluster, sorted(CRD_DIR.glob("*.yaml")))
            yield cluster
    except ClusterError as exc:
        pytest.fail(f"the test control plane did not start: {exc}")


@pytest.fixture(scope="session")
def second_kube_apiserver(
    kube_binaries: Binaries, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """Another running control plane with the same CRDs, independent of ``kube_apiserver``."""
    directory = tmp_path_factory.mktemp("second-kube-apiserver")
    try:
        with running(kube_binaries, directory) as cluster:
            install_crds(cluster, sorted(CRD_DIR.glob("*.yaml")))
            yield cluster
    except ClusterError as exc:
        pytest.fail(f"the second test control plane did not start: {exc}")


def install_crds(cluster: Cluster, paths: list[Path]) -> None:
    """Create each CRD and wait until the server reports all of them Established."""
    names = []
    for path in paths:
        crd = load_yaml_text(path.read_text(), str(path))
        cluster.request("POST", CRD_PATH, crd)
        names.append(crd["metadata"]["name"])
    deadline = time.monotonic() + ESTABLISHED_TIMEOUT
    pending = set(names)
    while pending:
        for name in sorted(pending):
            status = cluster.request("GET", f"{CRD_PATH}/{name}").get("status") or {}
            conditions = status.get("conditions") or []  # null until the server first sets them
            if any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions):
                pending.discard(name)
        if pending and time.monotonic() > deadline:
            raise ClusterError(f"CRDs not Established after {ESTABLISHED_TIMEOUT:.0f}s: {sorted(pending)}")
        if pending:
            time.sleep(0.1)
