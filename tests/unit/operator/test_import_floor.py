"""An operator run as a subprocess imports only what the run needs.

Each contract command of the sample operator runs in a fresh interpreter under ``-X importtime``;
the modules it imported must avoid a deny-list of modules a run has no use for (argparse and its
translation machinery, the compressors tempfile and shutil pull in, OpenSSL's hashes, ctypes, subprocess,
logging handlers, the network, the manager's own modules). The run still writes its mutations. The
command line read without argparse must mean what argparse reads from it, and everything else
still gets argparse's words.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests import import_trace

from mom.operator.command import ContractArguments, read_arguments

DENIED = {
    "argparse": "the contract's command line is read without it",
    "gettext": "argparse's translation machinery",
    "locale": "argparse's translation machinery",
    "tempfile": "pulls shutil, bz2 and lzma; the output is written without it",
    "shutil": "pulls bz2 and lzma",
    "bz2": "a compressor no run uses",
    "lzma": "a compressor no run uses",
    "zlib": "a compressor no run uses",
    "ctypes": "only the manager's file-change notifications need it",
    "orjson": "a run's few small documents are plain JSON, which the standard library encodes alike",
    "uuid": "orjson's import; a run names nothing by UUID",
    "dataclasses": "the run's values are written out (mom.api.values); orjson would load it too",
    "inspect": "dataclasses' import",
    "hashlib": "names are hashed by the interpreter's own SHA-256, without loading OpenSSL",
    "_hashlib": "names are hashed by the interpreter's own SHA-256, without loading OpenSSL",
    "subprocess": "only a big tree decoded by helper processes needs it",
    "logging": "a run that logs nothing does not load it: a controller's logger is made on first use",
    "traceback": "only a controller that raises needs its traceback",
    "yaml": "the inputs Kubernetes tools write are read, and the mutations written, without PyYAML",
    "socket": "a run never touches the network",
    "ssl": "a run never touches the network",
    "http.client": "a run never touches the network",
    "email": "a run never touches the network",
    "sqlite3": "the journal is the manager's",
    "asyncio": "a run has no event loop",
    "concurrent.futures": "a run's one controller thread is started by hand",
    "mom.mustgather._cache": "the parsed-tree cache is for long-lived readers",
    "mom.mustgather._notify": "file-change notifications are for long-lived readers",
    "mom.mustgather.selectors": "selectors are parsed by the lists that have them; the sample's have none",
    "mom.api.jsonpath": "reference paths are followed when inputs are gathered, not in a run",
    "mom.manager": "the manager is not part of a run",
    "mom.journal": "the journal is not part of a run",
    "mom.inputs": "gathering is not part of a run",
    "mom.testing": "the harness is not part of a run",
    "mom.cli": "mom's own command line is not part of a run",
}


def imported_modules(argv: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    return import_trace.imported_modules("mom.operator.sample.command", argv, cwd)


def test_apply_configuration_imports_only_what_a_run_needs(conformance_dir: Path, tmp_path: Path) -> None:
    case = (
        conformance_dir / "multi-operator-manager" / "test-data" / "apply-configuration" / "test-basic-call"
    )
    completed, modules = imported_modules(
        [
            "apply-configuration",
            f"--input-dir={case / 'input-dir'}",
            "--output-dir",
            str(tmp_path / "output"),
            "--now",
            "2024-10-14T22:38:20Z",
        ],
        tmp_path,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    written = sorted(
        p.relative_to(tmp_path / "output").as_posix() for p in (tmp_path / "output").rglob("*.yaml")
    )
    assert "controller-results.yaml" in written and len(written) > 5, written
    assert "mom.operator.run" in modules, "importtime output was read"
    assert import_trace.denied_in(modules, DENIED) == []


@pytest.mark.parametrize("command", ["input-resources", "output-resources"])
def test_declarations_import_only_what_they_need(command: str, tmp_path: Path) -> None:
    completed, modules = imported_modules([command], tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "apiVersion:" in completed.stdout or "Resources" in completed.stdout, completed.stdout
    assert import_trace.denied_in(modules, DENIED) == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["input-resources"], ContractArguments("input-resources")),
        (["-v", "-v", "output-resources"], ContractArguments("output-resources", verbose=2)),
        (
            [
                "-vv",
                "apply-configuration",
                "--input-dir",
                "in",
                "--output-dir=out",
                "--now=2024-10-14T22:38:20Z",
                "--controllers",
                "a,b",
                "--controllers=-c",
                "--seed",
                "7",
                "--input-dir=in2",
            ],
            ContractArguments(
                "apply-configuration",
                verbose=2,
                input_dir=Path("in2"),
                output_dir=Path("out"),
                now="2024-10-14T22:38:20Z",
                controllers=("a,b", "-c"),
                seed=7,
            ),
        ),
    ],
)
def test_a_well_formed_command_line_is_read_as_argparse_reads_it(
    argv: list[str], expected: ContractArguments
) -> None:
    assert read_arguments(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["-h"],
        ["apply-configuration", "--help"],
        ["input-resources", "extra"],
        ["apply-configuration", "--input-dir", "in"],
        ["apply-configuration", "--input", "in", "--output-dir", "out"],
        ["apply-configuration", "--input-dir", "in", "--output-dir", "out", "--now"],
        ["apply-configuration", "--input-dir", "in", "--output-dir", "out", "--controllers", "-c"],
        ["apply-configuration", "--input-dir", "in", "--output-dir", "out", "--seed", "seven"],
        ["apply-configuration", "--input-dir", "in", "--output-dir", "out", "stray"],
        ["apply-configuration", "-v", "--input-dir", "in", "--output-dir", "out"],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert read_arguments(argv) is None


def test_argparse_still_words_a_bad_command_line(tmp_path: Path) -> None:
    completed, _ = imported_modules(["apply-configuration", "--input-dir", "in"], tmp_path)
    assert completed.returncode == 2
    assert "the following arguments are required: --output-dir" in completed.stderr
    assert "Traceback" not in completed.stderr
