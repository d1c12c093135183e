"""Gathering an operator's inputs from a real must-gather: gather, digest and one-shot pruning.

Run: ``python -m benchmarks.gather [--must-gather PATH] [--runs N]``. Without a path, unpacks
``../shared/realdata/must-gather-clean/must-gather-aws.tar.xz`` into a temporary directory.
Declarations: the sample operator's (the Go one's, entry for entry), one using every kind, and
the real cluster-authentication-operator's (41 exact resources, from its ``input-resources``)
when ``tests/real_operators.py`` can unpack that binary.
Goals (2 cores): gather_inputs on a loaded snapshot at most 50 ms, input_digest at most 5 ms,
one-shot ``mom create-input-resources from-must-gather`` no slower than Go's 0.26 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from mom.api.input_resources import InputResources
from mom.inputs import TreeSource, gather_inputs, input_digest, prune_must_gather
from mom.mustgather.loader import load_must_gather
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import dump_json, load_document

GATHER_GOAL_S = 0.050
DIGEST_GOAL_S = 0.005
ONE_SHOT_GOAL_S = 0.26
AWS_ARCHIVE = (
    Path(__file__).resolve().parent.parent.parent / "shared/realdata/must-gather-clean/must-gather-aws.tar.xz"
)


def _exact(group: str, resource: str, name: str, namespace: str = "") -> dict[str, str]:
    entry = {"group": group, "version": "v1", "resource": resource, "name": name}
    return {**entry, "namespace": namespace} if namespace else entry


def _reference(referring: dict[str, str], kind: str, body: dict[str, str]) -> dict[str, Any]:
    return {"referringResource": referring, "type": kind, kind[0].lower() + kind[1:]: body}


AUTH_NS = "openshift-authentication"
RELATED = '$.status.relatedObjects[?(@.resource == "routes" && @.group == "route.openshift.io")]'
EVERY_KIND = {
    "applyConfigurationResources": {
        "exactResources": [_exact("", "configmaps", "kube-root-ca.crt", "openshift-config")],
        "generatedNameResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "pods",
                "namespace": "openshift-etcd",
                "name": "etcd-quorum-guard-",
            }
        ],
        "labelSelectedResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "configmaps",
                "namespace": AUTH_NS,
                "labelSelector": {"matchLabels": {"app": "oauth-openshift"}},
            },
            {
                "group": "",
                "version": "v1",
                "resource": "nodes",
                "labelSelector": {
                    "matchExpressions": [{"key": "node-role.kubernetes.io/master", "operator": "Exists"}]
                },
            },
        ],
        "resourceReferences": [
            _reference(
                _exact("apps", "deployments", "oauth-openshift", AUTH_NS),
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "configmaps",
                    "namespace": AUTH_NS,
                    "nameJSONPath": "$.spec.template.spec.volumes[*].configMap.name",
                },
            ),
            _reference(
                _exact("config.openshift.io", "clusteroperators", "authentication"),
                "ExplicitNamespacedReference",
                {
                    "group": "route.openshift.io",
                    "version": "v1",
                    "resource": "routes",
                    "namespaceJSONPath": RELATED + ".namespace",
                    "nameJSONPath": RELATED + ".name",
                },
            ),
            _reference(
                _exact("route.openshift.io", "routes", "oauth-openshift", AUTH_NS),
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "services",
                    "namespace": AUTH_NS,
                    "nameJSONPath": "$.spec.to.name",
                },
            ),
            _reference(
                _exact("config.openshift.io", "authentications", "cluster"),
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "secrets",
                    "namespace": "openshift-config",
                    "nameJSONPath": "$.spec.webhookTokenAuthenticator.kubeConfig.name",
                },
            ),
        ],
    }
}


def _median_s(call: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _line(label: str, seconds: float, goal: float) -> None:
    print(f"{label:<52} {seconds * 1000:9.2f} ms   goal {goal * 1000:6.0f} ms   ratio {seconds / goal:5.2f}")


def _must_gather(path: str | None, scratch: Path) -> Path:
    if path:
        return Path(path)
    with tarfile.open(AWS_ARCHIVE) as archive:
        archive.extractall(scratch, filter="data")
    return next(p for p in scratch.iterdir() if p.is_dir())


def _authentication_operator() -> dict[str, Any] | None:
    """The real cluster-authentication-operator's declaration, or None when its binary is unavailable."""
    from tests.real_operators import Unavailable, unpack

    try:
        binary = unpack("authentication-operator")
    except Unavailable as exc:
        print(f"authentication operator declaration skipped: {exc}")
        return None
    done = subprocess.run([str(binary), "input-resources"], capture_output=True, check=True, timeout=120)
    document = load_document(done.stdout, "authentication-operator input-resources")
    assert isinstance(document, dict)
    return document


def _gather_cold(must_gather: Path, spec: InputResources) -> object:
    """Gather through a new :class:`TreeSource`: nothing read before."""
    return gather_inputs(TreeSource(must_gather), spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gather", description=__doc__)
    parser.add_argument("--must-gather", help="must-gather directory (default: the aws archive, unpacked)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mom-bench-gather-") as scratch_name:
        scratch = Path(scratch_name)
        must_gather = _must_gather(args.must_gather, scratch / "mg")
        start = time.perf_counter()
        snapshot = load_must_gather(must_gather)
        print(
            f"loaded {len(snapshot)} objects in {time.perf_counter() - start:.1f} s (not part of the goals)"
        )
        docs: dict[str, Any] = {"sample operator": SAMPLE_OPERATOR.inputs.to_wire(), "every kind": EVERY_KIND}
        authentication = _authentication_operator()
        if authentication is not None:
            docs["authentication operator"] = authentication
        for label, doc in docs.items():
            spec = InputResources.from_wire(doc, label)
            gathered = gather_inputs(snapshot, spec)
            count = f"{len(gathered.objects)} objects, {len(gathered.missing)} missing"
            _line(
                f"gather_inputs, {label} ({count})",
                _median_s(partial(gather_inputs, snapshot, spec), args.runs),
                GATHER_GOAL_S,
            )
            _line(
                f"input_digest, {label}",
                _median_s(partial(input_digest, gathered), args.runs),
                DIGEST_GOAL_S,
            )
        for label, doc in docs.items():
            spec = InputResources.from_wire(doc, label)
            out = scratch / "out-in-process"
            _line(
                f"prune_must_gather in process, {label}",
                _median_s(partial(prune_must_gather, must_gather, spec, out), 5),
                ONE_SHOT_GOAL_S,
            )
            _line(
                f"TreeSource gather only, {label}",
                _median_s(partial(_gather_cold, must_gather, spec), 5),
                ONE_SHOT_GOAL_S,
            )
            declaration = scratch / f"{label.replace(' ', '-')}.json"
            declaration.write_bytes(dump_json(doc))
            command = [
                sys.executable,
                "-m",
                "mom.cli.main",
                "create-input-resources",
                "from-must-gather",
                "--must-gather-dir",
                str(must_gather),
                "--input-resources",
                str(declaration),
                "--output-dir",
                str(scratch / "out-cli"),
            ]
            _line(
                f"one-shot CLI (subprocess), {label}",
                _median_s(partial(subprocess.run, command, check=True, capture_output=True), 5),
                ONE_SHOT_GOAL_S,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
