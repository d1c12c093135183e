"""A hostile operator for the containment tests, and ways to look at what it changed.

:func:`hostile_manager` sets up a private copy of ``examples/standalone`` whose only operator
is an executable that declares ``outputs`` and, on every ``apply-configuration``, writes the
given mutation files verbatim into its output directory: whatever bytes an operator in any
language could write. :func:`mom_run` runs ``mom run --once`` on it the way a user does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.mutationdir.directory import metadata_bytes, request_paths
from mom.mutationdir.requests import MutationRequest

REPOSITORY = Path(__file__).resolve().parents[3]
EXAMPLES = REPOSITORY / "examples"
MOM = Path(sys.executable).with_name("mom")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NAMESPACE = "openshift-authentication"

OPERATOR = """#!{python}
import json, shutil, sys
from pathlib import Path
plan = json.loads((Path(__file__).parent / "plan.json").read_text())
command = sys.argv[1]
if command == "input-resources":
    print("{{}}")
elif command == "output-resources":
    print(json.dumps(plan["outputs"]))
elif command == "apply-configuration":
    out = Path(sys.argv[sys.argv.index("--output-dir") + 1])
    for relative, text in plan["files"].items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text)
"""


def declares(*names: str, namespace: str = NAMESPACE, resource: str = "configmaps") -> dict[str, object]:
    """An output-resources document allowing exactly these UserWorkload objects."""
    exact = [
        {"group": "", "version": "v1", "resource": resource, "namespace": namespace, "name": name}
        for name in names
    ]
    return {"userWorkloadResources": {"exactResources": exact}}


def mutation_files(requests: Iterable[MutationRequest], cluster_type: str = "UserWorkload") -> dict[str, str]:
    """The files a mutation directory holds for ``requests``, with their bodies as given."""
    files = {}
    for index, request in enumerate(requests):
        try:
            body, metadata, _ = request_paths(request)
        except InvalidInput:  # a name mom would not write; an operator can, under any file name
            body, metadata = (
                f"{request.action.value}/{index:04}-{part}-x.yaml" for part in ("body", "metadata")
            )
        files[f"{cluster_type}/{body}"] = request.body.decode()
        files[f"{cluster_type}/{metadata}"] = metadata_bytes(request).decode()
    return files


def request(
    action: Action,
    name: str,
    body: str,
    *,
    patch_type: str = "",
    namespace: str = NAMESPACE,
    gvr: GroupVersionResource = CONFIGMAPS,
) -> MutationRequest:
    return MutationRequest(
        action=action,
        gvr=gvr,
        namespace=namespace,
        name=name,
        generate_name="",
        kind=None,
        body=body.encode(),
        patch_type=patch_type,
    )


def hostile_manager(base: Path, outputs: Mapping[str, object], files: Mapping[str, str]) -> Path:
    """A standalone example whose one operator writes ``files``; returns its ``mom.yaml``."""
    root = base / "standalone"
    shutil.copytree(EXAMPLES / "standalone", root)
    write_plan(root, outputs, files)
    script = root / "hostile-operator"
    script.write_text(OPERATOR.format(python=sys.executable))
    script.chmod(0o755)
    (root / "mom.yaml").write_text(
        "journal: state/journal.sqlite\n"
        "operators:\n- name: hostile\n  command: [./hostile-operator]\n  resync: 0\n"
        "clusters:\n- name: standalone\n  manifestDir: cluster\n"
        "instances:\n- name: standalone\n  topology: Standalone\n  cluster: standalone\n"
    )
    return root / "mom.yaml"


def write_plan(root: Path, outputs: Mapping[str, object], files: Mapping[str, str]) -> None:
    (root / "plan.json").write_text(json.dumps({"outputs": outputs, "files": files}))


def mom_run(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``mom run --config <config> --once -o json``, as a user runs it."""
    return subprocess.run(
        [str(MOM), "run", "--config", str(config), "--once", "-o", "json", *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file of a cluster directory but mom's own state, by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".mom" not in path.relative_to(root).parts
    }


def put_configmap(cluster: Path, name: str, data: Mapping[str, str]) -> Path:
    path = cluster / "namespaces" / NAMESPACE / "core" / "configmaps" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        f"  name: {name}",
        f"  namespace: {NAMESPACE}",
        '  resourceVersion: "1"',
        "data:",
    ] + [f"  {key}: {value}" for key, value in data.items()]
    path.write_text("\n".join(lines) + "\n")
    return path
