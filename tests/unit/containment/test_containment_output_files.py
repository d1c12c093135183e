"""Attacks through the files an operator leaves in its output directory.

Covers: a well-behaved run applies its mutation (the baseline every attack is measured
against); a body that is a FIFO neither blocks the run nor the restart after it; a body
symlinked to ``/dev/zero``, to a readable file outside the output, or a mutation directory
symlinked elsewhere is refused without being followed; a body far larger than the file cap
(a sparse gigabyte), an output with more entries than the entry cap, more bytes than its total
cap, or nested deeper than the layout is refused before being read, with the manager's memory
flat; the caps are set per operator in ``mom.yaml`` and checked there; ``controller-results.yaml``
with a wrong type, non-UTF-8 bytes, or being a FIFO is refused. In every case ``mom run`` ends,
prints no traceback, applies nothing of the refused run, and the journal tells what was refused
and why. ``mom test apply-configuration`` reads outputs the same way: a FIFO body fails the case
instead of hanging it, and ``--replace-expected-output`` never copies what a link points to.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.containment.support import (
    MANAGER_DEADLINE,
    Setup,
    hostile_operator,
    no_traceback,
    process_alive,
)

TARGET = "output / 'UserWorkload/Create/namespaces/openshift-authentication/core/configmaps'"
RSS_BUDGET_KIB = 64 * 1024
"""Peak memory the manager may grow by in one run of a hostile operator."""


def refused(setup: Setup, *reason: str) -> str:
    """Run the manager; assert the run was refused for ``reason`` and nothing was applied."""
    before = setup.cluster_files()
    run = setup.run()
    no_traceback(run.stderr)
    assert run.exit_code == 1, run.stderr
    assert not setup.applied()
    assert setup.cluster_files() == before
    error = setup.last_run().error
    for part in reason:
        assert part in error, error
    assert run.rss_growth_kib < RSS_BUDGET_KIB, f"manager grew by {run.rss_growth_kib} KiB"
    return error


def test_a_well_behaved_operator_has_its_mutation_applied(tmp_path: Path) -> None:
    setup = hostile_operator(tmp_path, "pass")
    run = setup.run()
    assert run.exit_code == 0, run.stderr
    assert setup.applied()
    assert setup.last_run().error == ""


def test_a_fifo_body_blocks_neither_the_run_nor_the_restart(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        body = {TARGET} / "0000-body-ok.yaml"
        body.unlink()
        os.mkfifo(body)
        """,
    )
    refused(setup, "0000-body-ok.yaml", "refused: a FIFO")
    restart = setup.run()  # the journal holds no run left "running" to hang on
    no_traceback(restart.stderr)
    assert not setup.applied()


def test_a_body_linked_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        body = {TARGET} / "0000-body-ok.yaml"
        body.unlink()
        body.symlink_to("/dev/zero")
        """,
    )
    refused(setup, "0000-body-ok.yaml", "refused: a symbolic link")


def test_a_body_linked_to_a_file_outside_the_output_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(
        "apiVersion: v1\nkind: ConfigMap\n"
        "metadata:\n  name: ok\n  namespace: openshift-authentication\ndata:\n  stolen: 'yes'\n"
    )
    setup = hostile_operator(
        tmp_path,
        f"""
        body = {TARGET} / "0000-body-ok.yaml"
        body.unlink()
        body.symlink_to({str(secret)!r})
        """,
    )
    refused(setup, "refused: a symbolic link")


def test_a_mutation_directory_linked_elsewhere_is_not_entered(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        """
        import shutil
        elsewhere = output / "elsewhere"
        shutil.move(str(output / "UserWorkload"), str(elsewhere))
        (output / "UserWorkload").symlink_to(elsewhere)
        """,
    )
    refused(setup, "UserWorkload", "refused: a symbolic link")


@pytest.mark.parametrize("where", ["UserWorkload/Create", "UserWorkload/Create/namespaces"])
def test_a_linked_directory_inside_the_tree_is_not_entered(tmp_path: Path, where: str) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        import shutil
        moved = output / "moved"
        shutil.move(str(output / {where!r}), str(moved))
        (output / {where!r}).symlink_to(moved)
        """,
    )
    error = refused(setup)
    assert "symbolic link" in error


def test_a_sparse_gigabyte_body_is_refused_before_it_is_read(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        with open({TARGET} / "0000-body-ok.yaml", "ab") as body:
            body.truncate(1024 * 1024 * 1024)
        """,
    )
    refused(setup, "0000-body-ok.yaml", "refused: 1073741824 bytes, larger than the 8388608 bytes allowed")


def test_an_output_with_more_entries_than_the_cap_is_refused(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        for i in range(20_050):
            ({TARGET} / f"junk-{{i}}").touch()
        """,
    )
    refused(setup, "refused: more than 20000 entries in one output")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"controllerResults:\n- controllerName: hostile\n  status: Failed\n  errors: 5\n",
            "errors: Invalid value: 5",
        ),
        (
            b"controllerResults:\n- controllerName: [1]\n  status: Succeeded\n",
            "controllerName: Invalid value",
        ),
        (b"controllerResults:\n- status: {a: b}\n", "status: Unsupported value"),
        (b"controllerResults: 7\n", "controllerResults: Invalid value: must be a list"),
        (b"controllerResults:\n- controllerName: \xff\xfe\n", "not UTF-8 text"),
    ],
)
def test_malformed_controller_results_are_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    setup = hostile_operator(tmp_path, f"(output / 'controller-results.yaml').write_bytes({content!r})")
    refused(setup, "controller-results.yaml", reason)


def test_controller_results_as_a_fifo_are_refused(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        """
        (output / "controller-results.yaml").unlink()
        os.mkfifo(output / "controller-results.yaml")
        """,
    )
    refused(setup, "controller-results.yaml", "refused: a FIFO")


def test_the_golden_harness_reads_an_output_the_same_way(tmp_path: Path) -> None:
    """``mom test apply-configuration`` uses the same reader: a FIFO body and a helper left
    running are an error for that case, not a hang, and the helper does not survive."""
    case = tmp_path / "tests" / "fifo"
    (case / "input-dir").mkdir(parents=True)
    (case / "expected-output").mkdir()
    (case / "test.yaml").write_text(
        "binaryName: ./fifo-operator\ntestName: fifo\ndescription: d\ntestType: ApplyConfiguration\n"
    )
    binary = tmp_path / "fifo-operator"
    binary.write_text(
        f"#!{sys.executable}\n"
        "import os, subprocess, sys\nfrom pathlib import Path\n"
        "output = Path(sys.argv[sys.argv.index('--output-dir') + 1])\n"
        "directory = output / 'UserWorkload/Create/namespaces/ns/core/configmaps'\n"
        "directory.mkdir(parents=True)\n"
        "os.mkfifo(directory / '0000-body-x.yaml')\n"
        "(directory / '0000-metadata-x.yaml').write_text('action: Create\\nname: x\\n')\n"
        "helper = subprocess.Popen(['sleep', '300'])\n"
        "print(f'helper-pid={helper.pid}')\n"
    )
    binary.chmod(0o755)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mom.cli.main",
            "test",
            "apply-configuration",
            "--test-dir",
            str(tmp_path / "tests"),
            "--output-dir",
            str(tmp_path / "out"),
            "--preserve-policy",
            "KeepAlways",
        ],
        capture_output=True,
        text=True,
        timeout=MANAGER_DEADLINE,
        check=False,
        cwd=tmp_path,
    )
    no_traceback(done.stderr + done.stdout)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0000-body-x.yaml: refused: a FIFO" in done.stdout + done.stderr
    log = (tmp_path / "out" / "fifo" / "stdout.log").read_text()
    assert not process_alive(int(log.split("helper-pid=", 1)[1].split()[0]))


def test_the_caps_are_set_per_operator_in_the_configuration(tmp_path: Path) -> None:
    setup = hostile_operator(tmp_path, "pass")
    config = json.loads(setup.config.read_text())
    config["operators"][0]["outputLimits"] = {"entries": 3}
    setup.config.write_text(json.dumps(config))
    refused(setup, "refused: more than 3 entries in one output")


def test_bad_caps_are_one_error_line(tmp_path: Path) -> None:
    setup = hostile_operator(tmp_path, "pass")
    config = json.loads(setup.config.read_text())
    config["operators"][0]["outputLimits"] = {"entries": 0, "fileBytes": "8M", "depth": 3}
    setup.config.write_text(json.dumps(config))
    run = setup.run()
    no_traceback(run.stderr)
    assert run.exit_code == 1
    (line,) = run.stderr.strip().splitlines()
    assert "operators[0].outputLimits.entries: Invalid value: 0: must be a positive integer" in line
    assert 'operators[0].outputLimits.fileBytes: Invalid value: "8M"' in line
    assert "operators[0].outputLimits.depth: Forbidden: unknown field" in line


def test_a_tree_nested_deeper_than_the_layout_is_refused(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        deep = {TARGET}
        for _ in range(100):
            deep = deep / "d"
        deep.mkdir(parents=True)
        """,
    )
    refused(setup, "configmaps/d", "refused: nested deeper than this layout allows")


def test_an_output_larger_in_total_than_its_cap_is_refused(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        padding = b"y" * (7 * 1024 * 1024)
        for i in range(4):
            name = f"big{{i}}"
            ({TARGET} / f"0000-body-{{name}}.yaml").write_bytes(
                b"apiVersion: v1\\nkind: ConfigMap\\nmetadata: {{name: " + name.encode()
                + b", namespace: openshift-authentication}}\\ndata: {{x: '" + padding + b"'}}\\n"
            )
            ({TARGET} / f"0000-metadata-{{name}}.yaml").write_text(
                f"action: Create\\nname: {{name}}\\nnamespace: openshift-authentication\\n"
                "resourceType: {{Version: v1, Resource: configmaps}}\\n"
            )
        """,
    )
    config = json.loads(setup.config.read_text())
    config["operators"][0]["outputLimits"] = {"totalBytes": 16 * 1024 * 1024}
    setup.config.write_text(json.dumps(config))
    refused(setup, "refused: the output holds more than the 16777216 bytes allowed")


def test_replacing_goldens_never_copies_what_a_link_points_to(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("controllerResults: []\n# the user's secret\n")
    case = tmp_path / "tests" / "link"
    (case / "input-dir").mkdir(parents=True)
    (case / "test.yaml").write_text(
        "binaryName: ./link-operator\ntestName: link\ndescription: d\ntestType: ApplyConfiguration\n"
    )
    binary = tmp_path / "link-operator"
    binary.write_text(
        f"#!{sys.executable}\n"
        "import sys\nfrom pathlib import Path\n"
        "output = Path(sys.argv[sys.argv.index('--output-dir') + 1])\n"
        "output.mkdir(parents=True, exist_ok=True)\n"
        f"(output / 'controller-results.yaml').symlink_to({str(secret)!r})\n"
    )
    binary.chmod(0o755)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mom.cli.main", "test", "apply-configuration"),
            *("--test-dir", str(tmp_path / "tests"), "--output-dir", str(tmp_path / "out")),
            "--replace-expected-output",
        ],
        capture_output=True,
        text=True,
        timeout=MANAGER_DEADLINE,
        check=False,
        cwd=tmp_path,
    )
    no_traceback(done.stderr + done.stdout)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "controller-results.yaml: refused: a symbolic link" in done.stdout + done.stderr
    assert not (case / "expected-output").exists()
