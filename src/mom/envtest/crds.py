"""Installing CustomResourceDefinitions into an envtest control plane and waiting for them."""

from __future__ import annotations

import time
import urllib.error
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.envtest.cluster import Cluster, ClusterError
from mom.serialization import load_yaml_text

CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
ESTABLISHED_TIMEOUT = 60.0


def crd_files(directory: Path) -> list[Path]:
    """The ``*.yaml`` and ``*.yml`` files of ``directory``, in name order."""
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def install_crds(cluster: Cluster, paths: list[Path]) -> None:
    """Create each CRD and wait until the server reports all of them Established."""
    names = []
    for path in paths:
        crd = load_yaml_text(path.read_text(), str(path))
        name = crd.get("metadata", {}).get("name") if isinstance(crd, dict) else None
        if (
            not isinstance(crd, dict)
            or crd.get("kind") != "CustomResourceDefinition"
            or not isinstance(name, str)
        ):
            raise InvalidInput(str(path), ["not a CustomResourceDefinition with a metadata.name"])
        try:
            cluster.request("POST", CRD_PATH, crd)
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace")
            raise InvalidInput(str(path), [f"the kube-apiserver refused it ({exc.code}): {message}"]) from exc
        names.append(name)
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
