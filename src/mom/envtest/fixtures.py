"""pytest fixtures: a real kube-apiserver for an operator's tests (the pytest11 entry point).

``envtest_binaries`` builds kube-apiserver and etcd on first use (Go must be installed; about
a quarter of an hour on two cores) or reuses the cached build. ``envtest`` starts one control
plane for the session and yields its :class:`~mom.envtest.cluster.Cluster`: ``.kubeconfig``
for any client, ``.url``, ``.token`` and ``.ca``. CRDs in the directories given by
``--envtest-crds DIR`` (or the ini option ``envtest_crds``) are installed and Established first.
When the binaries cannot be built the tests that need them skip with the reason, except with
``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mom.api.errors import MomError
from mom.envtest.binaries import Binaries, BuildError, cached, ensure
from mom.envtest.cluster import Cluster, ClusterError, running
from mom.envtest.crds import crd_files, install_crds


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mom-envtest", "mom envtest: a real kube-apiserver")
    group.addoption(
        "--envtest-crds",
        action="append",
        default=[],
        metavar="DIR",
        help="install the CRDs (*.yaml) of this directory into the envtest control plane (repeatable)",
    )
    parser.addini("envtest_crds", type="paths", default=[], help="CRD directories for the envtest fixture")


@pytest.fixture(scope="session")
def envtest_binaries() -> Binaries:
    """kube-apiserver and etcd, built on first use and cached outside the project."""
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
def envtest(
    envtest_binaries: Binaries, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Cluster]:
    """A running kube-apiserver (with etcd) for the session, with the configured CRDs installed."""
    invocation = pytestconfig.invocation_params.dir
    directories = [invocation / d for d in pytestconfig.getoption("envtest_crds")]
    directories += list(pytestconfig.getini("envtest_crds"))
    crds = [path for directory in directories for path in crd_files(Path(directory))]
    try:
        with running(envtest_binaries, tmp_path_factory.mktemp("envtest")) as cluster:
            install_crds(cluster, crds)
            yield cluster
    except (ClusterError, MomError) as exc:
        pytest.fail(f"the envtest control plane did not start: {exc}")
