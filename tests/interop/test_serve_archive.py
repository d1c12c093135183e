"""The everyday commands on the real aws must-gather archive as shipped (``.tar.xz``), no unpacking by hand.

Covers: ``mom use ARCHIVE`` remembers it and later ``mom get`` needs no flag and prints kubectl's
columns (pod STATUS ``Completed``, ages from the must-gather's time) (and
``$MOM_MUST_GATHER`` wins over it); ``mom serve`` on the same archive answers kubectl, with ages
counted from the must-gather's ``timestamp`` and writes refused without ``--output-dir``; the
cache holds one unpacked copy, reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.realdata

MOM = [sys.executable, "-m", "mom.cli.main"]


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "MOM_MUST_GATHER"},
        "MOM_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


@pytest.fixture
def archive(realdata_dir: Path) -> Path:
    return realdata_dir / "must-gather-clean" / "must-gather-aws.tar.xz"


def _mom(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MOM, *args], capture_output=True, text=True, timeout=300, env=environment)


def test_use_then_get_without_a_flag(environment, archive, tmp_path) -> None:
    assert _mom(environment, "get", "nodes").returncode != 0
    used = _mom(environment, "use", str(archive))
    assert used.returncode == 0, used.stderr
    assert used.stdout.startswith(f"using {archive.resolve()} (")
    assert _mom(environment, "use").stdout.strip() == str(archive.resolve())
    nodes = _mom(environment, "get", "nodes", "-o", "name")
    assert nodes.returncode == 0, nodes.stderr
    assert len(nodes.stdout.split()) == 6
    on_node = _mom(
        environment,
        "get",
        "pods",
        "-A",
        "--field-selector",
        "spec.nodeName=ip-10-0-187-218.ec2.internal",
        "-o",
        "name",
    )
    assert on_node.returncode == 0 and len(on_node.stdout.split()) > 10
    etcd = _mom(environment, "get", "pods", "-n", "openshift-etcd").stdout.splitlines()
    assert etcd[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    statuses = {line.split()[0]: line.split()[2] for line in etcd[1:]}
    assert {s for n, s in statuses.items() if n.startswith("installer-")} == {"Completed"}
    assert all(line.split()[-1].endswith("m") for line in etcd[1:])  # ages as of the timestamp file
    unpacked = list((tmp_path / "cache" / "archives").iterdir())
    assert len(unpacked) == 1
    missing = _mom({**environment, "MOM_MUST_GATHER": str(tmp_path / "nothing-here")}, "get", "nodes")
    assert missing.returncode != 0
    assert missing.stderr.count("\n") == 1 and "nothing-here" in missing.stderr


@pytest.fixture
def served(environment, archive) -> Iterator[str]:
    process = subprocess.Popen(
        [*MOM, "serve", "--must-gather-dir", str(archive), "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "writes refused" in line, line
        yield line.split(" at ", 1)[1].split(" ", 1)[0]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_an_archive(served, kubectl) -> None:
    ages = [line.split()[-2] for line in kubectl(served, "get", "nodes").stdout.splitlines()[1:]]
    assert len(ages) == 6 and all(age.endswith("m") for age in ages)
    refused = kubectl(served, "delete", "namespace", "openshift-dns", check=False)
    assert refused.returncode != 0 and "--output-dir" in refused.stderr
