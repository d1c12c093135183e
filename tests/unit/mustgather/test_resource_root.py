"""The one rule that finds a must-gather's resource tree, and every reader that goes through it.

Covers: a directory that holds the tree is its own root; a must-gather's top directory (the tree
one level down, in the directory named after the must-gather image, beside ``timestamp`` and
``event-filter.html``) resolves to that child; an empty directory (hidden entries such as mom's
``.mom/`` state aside) is its own root; two candidate trees are refused naming both; a
non-empty directory with no tree is refused; ``mom get`` and a manager cluster given the top
directory read the same objects, and ``mom get`` on an ambiguous directory prints one line and
exits 1; a golden case whose ``input-dir/`` holds a whole must-gather hands the operator its tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.api.errors import InvalidInput
from mom.cli.main import main
from mom.manager.config import parse_config
from mom.mustgather.layout import find_resource_root

IMAGE_DIR = "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-0123abcd"


def must_gather(top: Path, image_dir: str = IMAGE_DIR) -> Path:
    """A must-gather as ``oc adm must-gather`` writes it; returns the resource root."""
    root = top / image_dir
    configmaps = root / "namespaces" / "openshift-config" / "core" / "configmaps.yaml"
    configmaps.parent.mkdir(parents=True)
    configmaps.write_text(
        "apiVersion: v1\nkind: ConfigMapList\nitems:\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: admin-kubeconfig-client-ca\n"
        "    namespace: openshift-config\n  data:\n    ca-bundle.crt: x\n"
    )
    (root / "timestamp").write_text("2021-06-01 10:00:00\n")
    (top / "timestamp").write_text("2021-06-01 10:00:00\n")
    (top / "event-filter.html").write_text("<html></html>\n")
    return root


def test_a_tree_is_its_own_root(tmp_path: Path) -> None:
    root = must_gather(tmp_path)
    assert find_resource_root(root) == root


def test_the_top_directory_resolves_to_the_image_directory(tmp_path: Path) -> None:
    root = must_gather(tmp_path)
    assert find_resource_root(tmp_path) == root


def test_an_empty_directory_is_its_own_root_hidden_entries_aside(tmp_path: Path) -> None:
    (tmp_path / ".mom").mkdir()
    (tmp_path / ".mom" / "state.json").write_text("{}")
    assert find_resource_root(tmp_path) == tmp_path


def test_two_trees_are_ambiguous_and_both_are_named(tmp_path: Path) -> None:
    must_gather(tmp_path, "image-a")
    must_gather(tmp_path, "image-b")
    with pytest.raises(InvalidInput) as caught:
        find_resource_root(tmp_path)
    assert "'image-a' and 'image-b'" in str(caught.value)


def test_a_directory_without_a_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a must-gather")
    with pytest.raises(InvalidInput, match="no cluster-scoped-resources/ or namespaces/"):
        find_resource_root(tmp_path)


def test_get_and_a_manager_cluster_read_the_same_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top = tmp_path / "must-gather"
    root = must_gather(top)
    assert main(["get", "--must-gather-dir", str(top), "configmaps", "-n", "openshift-config"]) == 0
    assert "admin-kubeconfig-client-ca" in capsys.readouterr().out
    config = parse_config(
        {
            "operators": [{"name": "o", "command": ["o"]}],
            "clusters": [{"name": "c", "manifestDir": "must-gather"}],
            "instances": [{"name": "c", "topology": "Standalone", "cluster": "c"}],
        },
        tmp_path / "mom.yaml",
    )
    assert config.cluster("c").manifest_dir == root


def test_an_ambiguous_directory_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    must_gather(tmp_path, "image-a")
    must_gather(tmp_path, "image-b")
    assert main(["get", "--must-gather-dir", str(tmp_path), "configmaps", "-A"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "'image-a' and 'image-b'" in captured.err
    assert "Traceback" not in captured.err
    with pytest.raises(InvalidInput) as caught:
        parse_config(
            {
                "operators": [{"name": "o", "command": ["o"]}],
                "clusters": [{"name": "c", "manifestDir": "."}],
                "instances": [{"name": "c", "topology": "Standalone", "cluster": "c"}],
            },
            tmp_path / "mom.yaml",
        )
    assert "clusters[0].manifestDir: Invalid value" in str(caught.value)
    assert "'image-a' and 'image-b'" in str(caught.value)


def test_a_golden_case_gets_the_tree_of_a_must_gather_input_dir(tmp_path: Path) -> None:
    from mom.testing.cases import load_case
    from mom.testing.runner import build_command

    case_dir = tmp_path / "case"
    root = must_gather(case_dir / "input-dir")
    (case_dir / "test.yaml").write_text(
        "binaryName: operator\ntestName: a must-gather as input\ndescription: d\ntestType: ApplyConfiguration\n"
    )
    command = build_command("operator", load_case(case_dir, tmp_path), tmp_path / "out")
    assert command[command.index("--input-dir") + 1] == str(root)
