"""`mom check-input-resources`: which objects an operator needs but does not declare.

Covers, for a Python operator run in process (--python) with its reads traced: a GET of an
undeclared object the must-gather holds, a GET of an undeclared object it does not hold, and
a LIST returning an undeclared object are each named (resource, namespace, name) with the
controller that made them, exit 1, in text and in JSON; declared objects, objects a declared
label selector gathers, and objects of a controller left out by --controllers are not named;
an operator declaring everything it reads exits 0; progress lines go to stderr only when it
is a terminal. For an executable (--binary, here a Python
operator behind the operator contract's command line): the controller that fails only on
the pruned inputs is named with its new error, the object its "not found" error names is
placed in the namespace the must-gather holds it in, the differing mutation is listed, the
work directories are kept with --output-dir; the same executable declaring that object exits 0;
an executable whose mutations differ from run to run on the same inputs (a fresh key) is not
reported for that.
Bad input — a missing must-gather, an unknown Python operator, one whose module fails to import, a file that is not an operator
executable, one that hangs past --timeout, a missing executable, --output-dir with --python, both or neither of --binary/--python, a bad --now, a
non-empty --output-dir — is one "mom: error:" line, exit 2, no traceback, nothing written.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.cli.main import main
from mom.inputs import GatheredInputs, write_input_dir

NOW = "2024-10-14T22:38:20Z"
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
AUTHENTICATIONS = GroupVersionResource("config.openshift.io", "v1", "authentications")

OPERATOR_MODULE = """
from mom.api.input_resources import (
    ExactResource, InputResources, LabelSelectedResource, ResourceList,
)
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator, SyncError

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
AUTHENTICATIONS = GroupVersionResource("config.openshift.io", "v1", "authentications")


def reads(ctx):
    ctx.client.get(CONFIGMAPS, "declared", "demo")
    ctx.client.get(AUTHENTICATIONS, "cluster")
    ctx.client.get_or_none(SECRETS, "absent", "demo")


def lists(ctx):
    ctx.client.list(CONFIGMAPS, "demo")
    ctx.client.list(CONFIGMAPS, "labelled", label_selector="app=demo")


def left_out(ctx):
    ctx.client.get(CONFIGMAPS, "only-left-out-reads-me", "elsewhere")


def needs_settings(ctx):
    try:
        settings = ctx.client.get(CONFIGMAPS, "settings", "demo")
    except Exception as exc:
        raise SyncError(f"reading settings: {exc}") from exc
    ctx.client.apply(
        CONFIGMAPS,
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "result", "namespace": "demo"}, "data": settings.get("data", {})},
        field_manager="demo",
    )


def fresh_key(ctx):
    import secrets

    ctx.client.get(CONFIGMAPS, "declared", "demo")
    ctx.client.apply(
        CONFIGMAPS,
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "result", "namespace": "demo"}, "data": {"key": secrets.token_hex(16)}},
        field_manager="demo",
    )


DECLARED = (ExactResource.configmap("demo", "declared"),)
LABELLED = (LabelSelectedResource("", "v1", "configmaps", "labelled", {"matchLabels": {"app": "demo"}}),)
EVERYTHING = DECLARED + (
    ExactResource.configmap("demo", "other"),
    ExactResource.configmap("demo", "settings"),
    ExactResource.configmap("elsewhere", "only-left-out-reads-me"),
    ExactResource.secret("demo", "absent"),
    ExactResource.config("authentications"),
)


def operator(name, exact, controllers):
    resources = ResourceList(exact_resources=exact, label_selected_resources=LABELLED)
    return Operator(
        name=name,
        inputs=InputResources(apply_configuration_resources=resources),
        outputs=OutputResources(
            user_workload_resources=OutputResourceList(
                exact_resources=(ExactResource.configmap("demo", "result"),)
            )
        ),
        controllers=tuple(Controller(f"{name}-{c.__name__}", c) for c in controllers),
    )


INCOMPLETE = operator("incomplete", DECLARED, (reads, lists, left_out))
COMPLETE = operator("complete", EVERYTHING, (reads, lists, left_out))
FRESH_KEYS = operator("fresh-keys", DECLARED, (fresh_key,))
SETTINGS_UNDECLARED = operator("settings", DECLARED, (needs_settings,))
SETTINGS_DECLARED = operator("settings", DECLARED + (ExactResource.configmap("demo", "settings"),), (needs_settings,))
"""


def configmap(name: str, namespace: str = "demo", labels: dict[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"key": name}}


@pytest.fixture
def must_gather(tmp_path: Path) -> Path:
    """A small must-gather: the declared ConfigMap, undeclared ones, and the cluster Authentication."""
    objects = [
        (ObjectRef(CONFIGMAPS, "demo", name), configmap(name)) for name in ("declared", "other", "settings")
    ]
    objects.append(
        (ObjectRef(CONFIGMAPS, "elsewhere", "left"), configmap("only-left-out-reads-me", "elsewhere"))
    )
    selected = configmap("selected", "labelled", {"app": "demo"})
    objects.append((ObjectRef(CONFIGMAPS, "labelled", "selected"), selected))
    authentication = {
        "apiVersion": "config.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster"},
        "spec": {"type": "IntegratedOAuth"},
    }
    objects.append((ObjectRef(AUTHENTICATIONS, "", "cluster"), authentication))
    path = tmp_path / "must-gather"
    write_input_dir(GatheredInputs(tuple(objects)), path)
    return path


@pytest.fixture
def operators(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The module name of the operators above, importable as an author's own module would be."""
    directory = tmp_path / "authored"
    directory.mkdir()
    (directory / "demo_operators.py").write_text(OPERATOR_MODULE)
    monkeypatch.syspath_prepend(str(directory))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(directory), *sys.path]))
    return "demo_operators"


def undeclared_names(report: dict[str, Any]) -> list[tuple[str, str, str, str, list[str], bool]]:
    return [
        (u["group"], u["resource"], u["namespace"], u["name"], u["controllers"], u["inMustGather"])
        for u in report["undeclared"]
    ]


def test_traced_reads_name_every_undeclared_object_with_its_controller(
    must_gather: Path, operators: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check-input-resources", "--python", f"{operators}:INCOMPLETE", "--must-gather-dir"]
    argv += [str(must_gather), "--now", NOW, "-o", "json"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err == ""  # not a terminal: no progress
    report = json.loads(captured.out)
    assert report["complete"] is False
    assert report["method"] == "traced-reads"
    assert undeclared_names(report) == [
        ("", "configmaps", "demo", "other", ["incomplete-lists"], True),
        ("", "configmaps", "demo", "settings", ["incomplete-lists"], True),
        ("", "configmaps", "elsewhere", "only-left-out-reads-me", ["incomplete-left_out"], True),
        ("", "secrets", "demo", "absent", ["incomplete-reads"], False),
        ("config.openshift.io", "authentications", "", "cluster", ["incomplete-reads"], True),
    ]


def test_text_report_and_controller_selection(
    must_gather: Path, operators: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check-input-resources", "--python", f"{operators}:INCOMPLETE", "--must-gather-dir"]
    argv += [str(must_gather), "--now", NOW, "--controllers", "*,-incomplete-left_out"]
    assert main(argv) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "incomplete: 4 undeclared input(s) needed"
    assert "  authentications.config.openshift.io/cluster: read by incomplete-reads" in lines
    assert "  secrets/absent [namespace demo, not in the must-gather]: read by incomplete-reads" in lines
    assert "  configmaps/other [namespace demo]: read by incomplete-lists" in lines
    assert not any("only-left-out-reads-me" in line for line in lines)


def test_progress_goes_to_stderr_only_on_a_terminal(
    must_gather: Path, operators: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    argv = ["check-input-resources", "--python", f"{operators}:COMPLETE", "--must-gather-dir"]
    assert main([*argv, str(must_gather), "--now", NOW]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"mom: complete: loading {must_gather}",
        "mom: complete: running every controller with its reads traced",
    ]
    assert captured.out.startswith("complete: declared inputs are complete")


def test_operator_declaring_every_read_is_complete(
    must_gather: Path, operators: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check-input-resources", "--python", f"{operators}:COMPLETE", "--must-gather-dir"]
    argv += [str(must_gather), "--now", NOW]
    assert main(argv) == 0
    assert capsys.readouterr().out == "complete: declared inputs are complete (every read is declared)\n"


def operator_executable(directory: Path, module: str, attribute: str) -> Path:
    """An executable speaking the operator contract, as ``pip install`` would make one."""
    path = directory / f"{attribute.lower()}-operator"
    path.write_text(
        f"#!{sys.executable}\n"
        + textwrap.dedent(
            f"""\
            import sys
            from mom.operator.command import run_command
            from {module} import {attribute}
            sys.exit(run_command({attribute}))
            """
        )
    )
    path.chmod(0o755)
    return path


def test_executable_failing_only_on_pruned_inputs_names_the_missing_object(
    must_gather: Path, operators: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = operator_executable(tmp_path, operators, "SETTINGS_UNDECLARED")
    work = tmp_path / "work"
    argv = ["check-input-resources", "--binary", str(binary), "--must-gather-dir", str(must_gather)]
    argv += ["--now", NOW, "--output-dir", str(work), "-o", "json"]
    assert main(argv) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["method"] == "pruned-run"
    failed = report["failedOnlyOnPrunedInputs"]
    assert [f["controllerName"] for f in failed] == ["settings-needs_settings"]
    assert "not found" in failed[0]["errors"][0]
    settings = [u for u in report["undeclared"] if u["name"] == "settings"]
    assert settings == [
        {
            "group": "",
            "version": "v1",
            "resource": "configmaps",
            "namespace": "demo",
            "name": "settings",
            "controllers": ["settings-needs_settings"],
            "evidence": "not-found",
            "inMustGather": True,
            "namespaceInferred": True,
        }
    ]
    differences = report["outputDifferences"]
    assert [(d["clusterType"], d["kind"]) for d in differences] == [("UserWorkload", "missing")]
    assert differences[0]["subject"] == "Apply-ConfigMap.v1./result[demo]"
    for kept in ("pruned-input", "full-output", "pruned-output", "full-output-again"):
        assert (work / kept).is_dir()


def test_executable_declaring_what_it_reads_is_complete(
    must_gather: Path, operators: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = operator_executable(tmp_path, operators, "SETTINGS_DECLARED")
    argv = ["check-input-resources", "--binary", str(binary), "--must-gather-dir", str(must_gather)]
    assert main([*argv, "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert out.startswith("settings_declared-operator: declared inputs are complete")


def test_executable_writing_different_bytes_every_run_is_not_missing_inputs(
    must_gather: Path, operators: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = operator_executable(tmp_path, operators, "FRESH_KEYS")
    work = tmp_path / "work"
    argv = ["check-input-resources", "--binary", str(binary), "--must-gather-dir", str(must_gather)]
    assert main([*argv, "--now", NOW, "--output-dir", str(work), "-o", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["outputDifferences"] == []
    assert main(["mutations", "diff", str(work / "full-output"), str(work / "full-output-again")]) == 1


def not_an_operator(tmp_path: Path) -> Path:
    path = tmp_path / "not-an-operator"
    path.write_text("#!/bin/sh\necho 'usage: not-an-operator FILE' >&2\necho 'try --help' >&2\nexit 64\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing-dir", "--must-gather-dir"),
        ("unknown-python", "cannot load the operator"),
        ("broken-python", "cannot load the operator: ZeroDivisionError: division by zero"),
        ("not-an-operator", "operator not-an-operator: `input-resources` exited 64"),
        ("missing-binary", "operator executable not found"),
        ("hanging-binary", "`input-resources` timed out after 0.5s"),
        ("not-executable", "Permission denied"),
        ("bad-now", "--now"),
        ("non-empty-output-dir", "must be absent or empty"),
        ("output-dir-with-python", "--output-dir keeps the runs of a --binary"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    case: str,
    expected: str,
    must_gather: Path,
    operators: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    argv = ["check-input-resources", "--must-gather-dir", str(must_gather), "--now", NOW]
    operator = ["--binary", str(operator_executable(tmp_path, operators, "SETTINGS_UNDECLARED"))]
    if case == "missing-dir":
        argv[2] = str(tmp_path / "nowhere")
    elif case == "unknown-python":
        operator = ["--python", f"{operators}:NO_SUCH_OPERATOR"]
    elif case == "broken-python":
        (tmp_path / "authored" / "broken_operator.py").write_text("OPERATOR = 1 / 0\n")
        operator = ["--python", "broken_operator:OPERATOR"]
    elif case == "not-an-operator":
        operator = ["--binary", str(not_an_operator(tmp_path))]
    elif case == "hanging-binary":
        hangs = tmp_path / "hangs"
        hangs.write_text("#!/bin/sh\nexec sleep 30\n")
        hangs.chmod(0o755)
        operator = ["--binary", str(hangs), "--timeout", "0.5"]
    elif case == "missing-binary":
        operator = ["--binary", "no-such-operator-anywhere"]
    elif case == "not-executable":
        plain = tmp_path / "plain-file"
        plain.write_text("not a program\n")
        operator = ["--binary", str(plain)]
    elif case == "bad-now":
        argv[-1] = "yesterday"
    elif case == "non-empty-output-dir":
        work.mkdir()
        (work / "precious").write_text("keep me\n")
    elif case == "output-dir-with-python":
        operator = ["--python", f"{operators}:INCOMPLETE"]
    if operator[0] == "--binary" or case == "output-dir-with-python":
        argv += ["--output-dir", str(work)]
    before = sorted(tmp_path.rglob("*"))
    code = _exit_code(lambda: main([*argv, *operator]))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("mom: error: ")
    assert expected in lines[0]
    assert "Traceback" not in captured.err
    after = [p for p in sorted(tmp_path.rglob("*")) if "__pycache__" not in p.parts]
    assert after == [p for p in before if "__pycache__" not in p.parts]


@pytest.mark.parametrize("operator", [[], ["--python", "a:B", "--binary", "b"]])
def test_exactly_one_operator_is_a_usage_error(
    operator: list[str], must_gather: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _exit_code(
        lambda: main(["check-input-resources", "--must-gather-dir", str(must_gather), *operator])
    )
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def _exit_code(call: Any) -> int:
    try:
        return int(call())
    except SystemExit as exc:
        return int(exc.code or 0)
