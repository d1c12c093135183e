"""`mom create-input-resources from-must-gather` against the Go tool, on real must-gathers.

Covers: for the declarations the real operators print (the Go sample operator's and the
cluster-authentication-operator's ``input-resources``), on the aws and azure must-gathers, mom
writes the same files as the Go proof of concept's ``multi-operator-manager`` with the same
bytes, items in the same order. The one documented difference (FORMATS.md §3.3, §6 item 6): a
declared Namespace object is written where readers look for it, ``namespaces/<ns>/<ns>.yaml``,
not into ``cluster-scoped-resources/core/namespaces.yaml``; the objects themselves are the same.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mom.cli.main import main
from mom.serialization import load_document

pytestmark = pytest.mark.realdata

GO_NAMESPACES_FILE = Path("cluster-scoped-resources/core/namespaces.yaml")


def resource_root(must_gather: Path) -> Path:
    """The directory below the archive's top that holds ``namespaces/``."""
    (root,) = [path for path in must_gather.iterdir() if (path / "namespaces").is_dir()]
    return root


def declaration(operator: Path, tmp_path: Path) -> Path:
    done = subprocess.run([str(operator), "input-resources"], capture_output=True, check=True, timeout=120)
    path = tmp_path / "input-resources.yaml"
    path.write_bytes(done.stdout)
    return path


def go_prune(go_harness: Path, must_gather: Path, spec: Path, output: Path) -> None:
    argv = [
        str(go_harness),
        "create-input-resources",
        "from-must-gather",
        "--must-gather-dir",
        str(must_gather),
    ]
    argv += ["--input-resources", str(spec), "--output-dir", str(output)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def mom_prune(must_gather: Path, spec: Path, output: Path) -> None:
    argv = ["create-input-resources", "from-must-gather", "--must-gather-dir", str(must_gather)]
    argv += ["--input-resources", str(spec), "--output-dir", str(output)]
    assert main(argv) == 0


def files_of(tree: Path) -> dict[Path, bytes]:
    return {path.relative_to(tree): path.read_bytes() for path in sorted(tree.rglob("*")) if path.is_file()}


def assert_same_tree(go_tree: Path, mom_tree: Path) -> None:
    go_files = files_of(go_tree)
    mom_files = files_of(mom_tree)
    go_namespaces = go_files.pop(GO_NAMESPACES_FILE, None)
    expected_namespaces = (
        [item["metadata"]["name"] for item in load_document(go_namespaces, "namespaces.yaml")["items"]]
        if go_namespaces is not None
        else []
    )
    mom_namespaces = {
        path: data
        for path, data in mom_files.items()
        if len(path.parts) == 3 and path.parts[0] == "namespaces" and path.name == f"{path.parts[1]}.yaml"
    }
    assert sorted(mom_namespaces) == sorted(
        Path("namespaces", name, f"{name}.yaml") for name in expected_namespaces
    )
    if go_namespaces is not None:
        go_items = load_document(go_namespaces, "namespaces.yaml")["items"]
        for item in go_items:
            name = item["metadata"]["name"]
            mom_object = load_document(mom_namespaces[Path("namespaces", name, f"{name}.yaml")], name)
            assert mom_object == item, f"Namespace {name} differs"
    for path in mom_namespaces:
        del mom_files[path]
    assert sorted(mom_files) == sorted(go_files)
    for path, data in go_files.items():
        assert mom_files[path] == data, f"{path}: mom's bytes differ from the Go tool's"


@pytest.mark.parametrize("must_gather_fixture", ["aws_must_gather", "azure_must_gather"])
@pytest.mark.parametrize("operator_fixture", ["go_sample_operator", "authentication_operator"])
def test_pruned_tree_is_the_go_tools_byte_for_byte(
    request: pytest.FixtureRequest,
    go_harness: Path,
    must_gather_fixture: str,
    operator_fixture: str,
    tmp_path: Path,
) -> None:
    must_gather = resource_root(request.getfixturevalue(must_gather_fixture))
    spec = declaration(request.getfixturevalue(operator_fixture), tmp_path)

    go_prune(go_harness, must_gather, spec, tmp_path / "go")
    mom_prune(must_gather, spec, tmp_path / "mom")

    assert files_of(tmp_path / "go"), "the Go tool wrote nothing: the comparison would prove nothing"
    assert_same_tree(tmp_path / "go", tmp_path / "mom")
