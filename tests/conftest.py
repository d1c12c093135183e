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


@pytest.fixture(scope="session")
def aws_must_gather(realdata_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real aws must-gather, unpacked once per session; the top directory of the archive."""
    target = tmp_path_factory.mktemp("must-gather-aws")
    with tarfile.open(realdata_dir / "must-gather-clean" / "must-gather-aws.tar.xz") as archive:
        archive.extractall(target, filter="data")
    (top,) = [p for p in target.iterdir() if p.is_dir()]
    return top
