"""Fixtures for tests marked ``live``: a real kube-apiserver with mom's test CRDs installed.

``kube_binaries`` is the envtest fixture ``envtest_binaries`` (:mod:`mom.envtest.fixtures`): it
builds kube-apiserver and etcd from their Go modules, or reuses the cached build. When they cannot
be built the live tests skip with the build's last lines, except with ``CI=true``, where they
fail: CI never passes by skipping them.
``kube_apiserver`` starts one control plane per session (see ``cluster.py``), installs every CRD
in ``crds/`` and yields the :class:`cluster.Cluster` (``.kubeconfig``, ``.url``, ``.token``,
``.ca``) once each CRD is Established. ``second_kube_apiserver`` is another such control plane
(own etcd, same CRDs), started on first use, for tests needing two clusters (HyperShift's
management and guest). ``client`` is mom's dict client on a live transport to ``kube_apiserver``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from binaries import Binaries
from cluster import Cluster, ClusterError, running

from mom.client.client import Client
from mom.envtest.crds import install_crds
from mom.live.transport import LiveTransport

CRD_DIR = Path(__file__).resolve().parent / "crds"


@pytest.fixture(scope="session")
def kube_binaries(envtest_binaries: Binaries) -> Binaries:
    """kube-apiserver and etcd, built on first use and cached outside the repository."""
    return envtest_binaries


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


@pytest.fixture
def client(kube_apiserver: Cluster) -> Iterator[Client]:
    """mom's client on a live transport to ``kube_apiserver``; closed after the test."""
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport)
    transport.close()
