"""Golden output directories: what an actual output may contain, and replacing expected ones.

An apply-configuration output holds ``controller-results.yaml``, one mutation directory per
cluster type, and the two logs the harness adds. ``Unspecified/`` holds mutations no declared
output allows; it is reported, and never copied into ``expected-output/`` (the Go harness
would store it there and then refuse its own expected output).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from mom.api.cluster import CLUSTER_TYPES, UNSPECIFIED_DIR, ClusterType
from mom.mutationdir import output
from mom.mutationdir.equivalence import Difference, is_event
from mom.mutationdir.output import ROUTED_ENTRIES, read_mutation_dirs
from mom.mutationdir.requests import MutationRequest
from mom.testing.runner import LOG_FILES

_CHUNK = 64 * 1024


def unexpected_entries(output_dir: Path) -> list[str]:
    """Top-level names in an actual output that are neither golden content, logs nor Unspecified/."""
    return output.unexpected_entries(output_dir, LOG_FILES)


def undeclared_mutations(output_dir: Path) -> list[str]:
    """Identities of the requests in ``Unspecified/`` (empty when there is none)."""
    return [
        request.identity for request in read_mutation_dirs(output_dir, [UNSPECIFIED_DIR])[UNSPECIFIED_DIR]
    ]


def read_requests_by_cluster_type(output_dir: Path) -> dict[ClusterType, list[MutationRequest]]:
    """The mutation directory of every cluster type (empty lists for missing directories)."""
    by_name = read_mutation_dirs(output_dir, [str(cluster_type) for cluster_type in CLUSTER_TYPES])
    return {cluster_type: by_name[str(cluster_type)] for cluster_type in CLUSTER_TYPES}


def differences_from_nothing(output_dir: Path) -> list[Difference]:
    """Differences when there is no expected output: every mutation but events is one too many."""
    return [
        Difference(
            cluster_type.value,
            request.identity,
            "extra",
            "the test has no expected-output/, so it expects no mutations",
        )
        for cluster_type, requests in read_requests_by_cluster_type(output_dir).items()
        for request in requests
        if not is_event(request)
    ]


def same_golden_content(expected_dir: Path, actual_dir: Path) -> bool:
    """Whether the golden entries of two outputs (``controller-results.yaml`` and the cluster-type
    directories) have the same names, each a plain directory or a regular file with the same
    bytes. A link, any other kind of file or an error reading either side makes it ``False``."""
    pending = [(expected_dir / name, actual_dir / name) for name in ROUTED_ENTRIES]
    try:
        while pending:
            expected, actual = pending.pop()
            expected_stat, actual_stat = _lstat(expected), _lstat(actual)
            if expected_stat is None or actual_stat is None:
                if (expected_stat is None) != (actual_stat is None):
                    return False  # on one side only
            elif S_ISDIR(expected_stat.st_mode) and S_ISDIR(actual_stat.st_mode):
                names = sorted(os.listdir(expected))
                if names != sorted(os.listdir(actual)):
                    return False
                pending += [(expected / name, actual / name) for name in names]
            elif not (
                S_ISREG(expected_stat.st_mode)
                and S_ISREG(actual_stat.st_mode)
                and expected_stat.st_size == actual_stat.st_size
                and _same_bytes(expected, actual)
            ):
                return False
    except OSError:
        return False
    return True


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except FileNotFoundError:
        return None


def _same_bytes(first: Path, second: Path) -> bool:
    with first.open("rb") as one, second.open("rb") as other:
        while True:
            chunk = one.read(_CHUNK)
            if chunk != other.read(_CHUNK):
                return False
            if not chunk:
                return True


def replace_expected_output(actual_dir: Path, expected_dir: Path) -> None:
    """Make ``expected_dir`` a copy of the golden content of ``actual_dir``.

    The new content is assembled beside ``expected_dir`` and swapped in by renames, so a crash
    leaves either the old expected output or the new one (plus a stray hidden directory), never
    a half-written one. Logs and ``Unspecified/`` are not copied.
    """
    import tempfile  # only replace mode writes expected outputs

    parent = expected_dir.parent
    staging = Path(tempfile.mkdtemp(prefix=f".{expected_dir.name}.new.", dir=parent))
    try:
        for name in ROUTED_ENTRIES:
            source = actual_dir / name
            if source.is_dir() and not source.is_symlink():
                shutil.copytree(source, staging / name, symlinks=True)  # a link is never followed
            elif source.is_file() and not source.is_symlink():
                shutil.copy2(source, staging / name, follow_symlinks=False)
        retired: Path | None = None
        if expected_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{expected_dir.name}.old.", dir=parent))
            expected_dir.rename(retired / expected_dir.name)
        staging.rename(expected_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
