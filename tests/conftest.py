"""Shared fixtures: where the Go conformance corpus and the real must-gathers live.

The corpus and the real data are read in place from ``../shared`` (override with
``MOM_CONFORMANCE_DIR`` / ``MOM_REALDATA_DIR``). Outside CI a missing corpus skips the tests
that need it; with ``CI=true`` it is an error, so CI never passes by skipping them.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _shared_dir(env: str, default: Path) -> Path:
    path = Path(os.environ.get(env, default)).resolve()
    if not path.is_dir():
        message = f"{path} not found (set {env})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def conformance_dir() -> Path:
    """``../shared/conformance``: the Go fixtures, read in place."""
    return _shared_dir("MOM_CONFORMANCE_DIR", REPO.parent / "shared" / "conformance")


@pytest.fixture(scope="session")
def realdata_dir() -> Path:
    """``../shared/realdata``: real must-gathers and HyperShift manifests, read in place."""
    return _shared_dir("MOM_REALDATA_DIR", REPO.parent / "shared" / "realdata")


def _unpack_must_gather(realdata_dir: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    target = tmp_path_factory.mktemp(f"must-gather-{name}")
    with tarfile.open(realdata_dir / "must-gather-clean" / f"must-gather-{name}.tar.xz") as archive:
        archive.extractall(target, filter="data")
    (top,) = [p for p in target.iterdir() if p.is_dir()]
    return top


@pytest.fixture(scope="session")
def aws_must_gather(realdata_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real aws must-gather, unpacked once per session; the top directory of the archive."""
    return _unpack_must_gather(realdata_dir, tmp_path_factory, "aws")


@pytest.fixture(scope="session")
def azure_must_gather(realdata_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real azure must-gather, unpacked once per session; the top directory of the archive."""
    return _unpack_must_gather(realdata_dir, tmp_path_factory, "azure")


@pytest.fixture(scope="session")
def authentication_operator() -> Path:
    """The real cluster-authentication-operator binary, unpacked into the cache and verified."""
    from tests.real_operators import require

    return require("authentication-operator")


@pytest.fixture(scope="session")
def go_harness() -> Path:
    """The Go proof of concept's ``multi-operator-manager`` binary."""
    from tests.real_operators import require

    return require("multi-operator-manager")


@pytest.fixture(scope="session")
def go_sample_operator() -> Path:
    """The Go proof of concept's ``sample-operator`` binary."""
    from tests.real_operators import require

    return require("sample-operator")


@pytest.fixture(scope="session")
def authentication_operator_tests() -> Path:
    """The authentication operator's six golden cases (read in place; copy before running)."""
    from tests.real_operators import Unavailable, authentication_operator_tests

    try:
        return authentication_operator_tests()
    except Unavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
