"""The `mom create-input-resources` and `mom input-digest` commands.

Covers: from-must-gather on a Go fixture writes the tree, prints one summary line with the
digest and each missing object as a warning; input-digest prints the same digest for the tree
written; a document with several problems is one error line and exit code 1, nothing written;
from-cluster with an unusable kubeconfig is one error line and exit code 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.cli.main import main

DIRECT = Path("multi-operator-manager/pkg/library/libraryinputresources/test-data/direct-references-01")


@pytest.mark.conformance
def test_from_must_gather_writes_the_tree_and_reports(
    conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = conformance_dir / DIRECT
    out = tmp_path / "out"
    argv = ["create-input-resources", "from-must-gather", "--must-gather-dir", str(case / "input-dir")]
    argv += ["--input-resources", str(case / "input-resources.yaml"), "--output-dir", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    summary = captured.out.strip().splitlines()
    assert len(summary) == 1
    assert summary[0].startswith(f"6 objects written to {out}, 3 missing, digest ")
    warnings = captured.err.strip().splitlines()
    assert len(warnings) == 3
    assert warnings[0].startswith("mom: warning: configmaps kube-system/not-present")
    assert (out / "namespaces/kube-system/core/configmaps.yaml").is_file()

    assert main(["input-digest", "--input-dir", str(out)]) == 0
    assert capsys.readouterr().out.strip() == summary[0].rsplit(" ", 1)[1]


def test_bad_document_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "inputs.yaml"
    doc.write_text(
        "applyConfigurationResources:\n"
        "  exactResources:\n"
        "  - {resource: configmaps, name: x, colour: blue}\n"
        "  resourceReferences:\n"
        "  - referringResource: {version: v1, resource: configmaps, namespace: a, name: b}\n"
        "    type: ImplicitNamespacedReference\n"
        "    implicitNamespacedReference:\n"
        "      {version: v1, resource: secrets, namespace: a, nameJSONPath: '$.x['}\n"
    )
    (tmp_path / "mg").mkdir()
    argv = ["create-input-resources", "from-must-gather", "--must-gather-dir", str(tmp_path / "mg")]
    argv += ["--input-resources", str(doc), "--output-dir", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"mom: error: {doc}: 3 problems: ")
    assert "exactResources[0].colour: Forbidden: unknown field" in err
    assert "exactResources[0].version: Required value" in err
    assert 'nameJSONPath: Invalid value: "$.x["' in err
    assert not (tmp_path / "out").exists()


def test_from_cluster_with_a_bad_kubeconfig_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "inputs.json"
    doc.write_text('{"applyConfigurationResources": {}}')
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    argv = ["create-input-resources", "from-cluster", "--kubeconfig", str(kubeconfig), "--context", "nope"]
    argv += ["--input-resources", str(doc), "--output-dir", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"mom: error: {kubeconfig}: ")
