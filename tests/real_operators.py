"""The real Go executables shipped in ``../shared/operators``, unpacked once into a cache.

``../shared/operators/bin`` holds xz-compressed, statically linked binaries nobody on this
project wrote: OpenShift's cluster-authentication-operator and the Go proof of concept's
``multi-operator-manager`` and ``sample-operator``. Tests and benchmarks that must run against
the real thing call :func:`unpack`, which decompresses a binary into
``${MOM_OPERATORS_CACHE:-~/.cache/mom/operators}`` (never into the repository), checks its
SHA-256 against the published one, and reuses the cached copy on later calls.

The shared directory is ``${MOM_OPERATORS_DIR:-../shared/operators}``. :func:`require` turns a
missing directory or binary into a skip with the reason, or a failure when ``CI=true``.

Run it as a script to unpack all three ahead of time::

    python tests/real_operators.py
"""

from __future__ import annotations

import fcntl
import hashlib
import lzma
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: sha256 of each unpacked binary, as ``../shared/operators/README.md`` publishes them.
CHECKSUMS = {
    "authentication-operator": "37220aad1420ee08cd6a02370fa7b57a533b155b4cd43b4cef811b3b88016a66",
    "multi-operator-manager": "d5771f2e928d3c98e499c466f77a5c4c61367525b500e9313c41b4247fe454d7",
    "sample-operator": "a014fbf2b1b6c8fc83521a4dbe1fb6318b4159f825b16a078c16d95dd289b73b",
}


class Unavailable(Exception):
    """A binary cannot be had: the shared directory or the archive is missing, or its checksum is wrong."""


def operators_dir() -> Path:
    """``../shared/operators`` beside the checkout, or ``MOM_OPERATORS_DIR``."""
    return Path(os.environ.get("MOM_OPERATORS_DIR", REPO.parent / "shared" / "operators")).resolve()


def cache_dir() -> Path:
    """Where unpacked binaries live: ``MOM_OPERATORS_CACHE`` or ``~/.cache/mom/operators``."""
    default = Path.home() / ".cache" / "mom" / "operators"
    return Path(os.environ.get("MOM_OPERATORS_CACHE", default))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unpack(name: str) -> Path:
    """The executable ``name`` from ``bin/<name>.xz``, decompressed into the cache and verified."""
    if name not in CHECKSUMS:
        raise Unavailable(f"unknown binary {name!r}; known: {', '.join(sorted(CHECKSUMS))}")
    archive = operators_dir() / "bin" / f"{name}.xz"
    if not archive.is_file():
        raise Unavailable(f"{archive} not found (set MOM_OPERATORS_DIR)")
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / name
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file() and _sha256(target) == CHECKSUMS[name]:
            return target
        partial = cache / f".{name}.partial"
        with lzma.open(archive) as source, partial.open("wb") as sink:
            for block in iter(lambda: source.read(1 << 20), b""):
                sink.write(block)
        actual = _sha256(partial)
        if actual != CHECKSUMS[name]:
            partial.unlink()
            raise Unavailable(f"{archive}: unpacked sha256 {actual} is not the published {CHECKSUMS[name]}")
        partial.chmod(0o755)
        partial.replace(target)
    return target


def authentication_operator_tests() -> Path:
    """The authentication operator's own golden test directory (the Go harness's format)."""
    path = operators_dir() / "cluster-authentication-operator" / "test-data" / "apply-configuration"
    if not path.is_dir():
        raise Unavailable(f"{path} not found (set MOM_OPERATORS_DIR)")
    return path


OPERATOR_TEST_DIR = "./test-data/apply-configuration"
"""Where an operator repository keeps its golden cases, relative to its root (OpenShift CI's layout)."""


def operator_repository(root: Path, cases: Path, binary: Path, binary_name: str) -> Path:
    """``root`` laid out as an operator repository's CI sees it: ``test-data/apply-configuration``
    (a copy of ``cases``) and ``./<binary_name>`` (a link to ``binary``)."""
    shutil.copytree(cases, root / OPERATOR_TEST_DIR)
    (root / binary_name).symlink_to(binary)
    return root


def require(name: str) -> Path:
    """:func:`unpack` for a test: skip with the reason, or fail when ``CI=true``."""
    import pytest

    try:
        return unpack(name)
    except Unavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


if __name__ == "__main__":
    for binary in sorted(CHECKSUMS):
        try:
            print(f"real-operators: ready {unpack(binary)}")
        except Unavailable as exc:
            print(f"real-operators: error: {exc}", file=sys.stderr)
            sys.exit(1)
