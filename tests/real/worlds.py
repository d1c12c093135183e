"""Manager configurations for the real authentication operator on a real must-gather.

:func:`standalone`: the must-gather, given at its top directory, is the one cluster.
:func:`hosted`: a HyperShift hosted cluster as it really is — a management cluster holding only
the hosted control plane namespace (:data:`HCP`), and the must-gather without the operator's
operand namespaces as the guest — with ``namespaceMapping: Flatten``. Both write ``mom.yaml``
beside a copy of the operator named ``./authentication-operator``, as a user would.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

OPERANDS = ("openshift-authentication", "openshift-oauth-apiserver", "openshift-authentication-operator")
HCP = "clusters-aws"


def write_config(
    directory: Path, operator: Path, clusters: list[dict[str, Any]], instance: dict[str, Any], **extra: Any
) -> Path:
    shutil.copy2(operator, directory / "authentication-operator")
    config = {
        "journal": "state/journal.sqlite",
        "operators": [{"name": "authentication", "command": ["./authentication-operator"], "timeout": 300}],
        "clusters": clusters,
        "instances": [instance],
        **extra,
    }
    (directory / "mom.yaml").write_text(yaml.safe_dump(config))
    return directory / "mom.yaml"


def standalone(directory: Path, must_gather: Path, operator: Path, **extra: Any) -> Path:
    shutil.copytree(must_gather, directory / "cluster", symlinks=True)
    return write_config(
        directory,
        operator,
        [{"name": "cluster", "manifestDir": "cluster"}],
        {"name": "standalone", "topology": "Standalone", "cluster": "cluster"},
        **extra,
    )


def hosted(directory: Path, must_gather: Path, operator: Path, **extra: Any) -> Path:
    guest = directory / "guest"
    shutil.copytree(must_gather, guest, symlinks=True)
    for tree in guest.iterdir():
        for namespace in OPERANDS:
            shutil.rmtree(tree / "namespaces" / namespace, ignore_errors=True)
    namespace = directory / "management" / "namespaces" / HCP / f"{HCP}.yaml"
    namespace.parent.mkdir(parents=True)
    namespace.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": HCP}}))
    return write_config(
        directory,
        operator,
        [{"name": "management", "manifestDir": "management"}, {"name": "guest", "manifestDir": "guest"}],
        {
            "name": "aws",
            "topology": "HyperShift",
            "management": "management",
            "guest": "guest",
            "hostedControlPlaneNamespace": HCP,
            "operandNamespaces": list(OPERANDS),
            "namespaceMapping": "Flatten",
        },
        **extra,
    )
