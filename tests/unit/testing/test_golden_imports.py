"""``mom test apply-configuration`` loads only what judging the suite needs.

Covers: a suite whose cases all pass is run and judged, in a fresh interpreter under
``-X importtime``, without loading :mod:`dataclasses` (and the ``inspect``/``ast`` it brings),
:mod:`difflib` (only a difference is diffed), :mod:`tempfile` (only replace mode stages a
new expected output) or PyYAML (the outputs are YAML as Go writes it, read without it); a failing case still gets its diff, and replace mode still works; what
comes before the first operator starts (the CLI and the harness) loads neither :mod:`logging` nor
:mod:`runpy`/:mod:`traceback`, which only judging and forked Python operators use, nor PyYAML
(``test.yaml`` is read without it), :mod:`json`, the junit writer's XML, :mod:`subprocess` (the
operator is spawned with :func:`os.posix_spawnp`) or :mod:`shutil` (a fresh output directory
needs no clearing).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

from golden_support import MakeCase, default_script
from tests.import_trace import imported_modules

UNUSED = ("dataclasses", "inspect", "ast", "difflib", "tempfile", "yaml")


def mom_test(tmp_path: Path, operator_binary: Path, *extra: str) -> tuple[int, str, set[str]]:
    completed, modules = imported_modules(
        "mom.cli.main",
        [
            "test",
            "apply-configuration",
            f"--test-dir={tmp_path / 'tests'}",
            f"--output-dir={tmp_path / 'out'}",
            f"--binary={operator_binary}",
            *extra,
        ],
    )
    return completed.returncode, completed.stderr, modules


def test_a_passing_suite_is_judged_without_dataclasses_difflib_or_tempfile(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("first")
    make_case("second")
    code, stderr, modules = mom_test(tmp_path, operator_binary)
    assert code == 0, stderr[-2000:]
    assert "mom.testing.judge" in modules, "importtime output was read"
    assert sorted(m for m in modules if m in UNUSED) == []


def test_a_difference_is_still_diffed_and_replace_mode_still_replaces(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    changed = copy.deepcopy(default_script())
    changed["mutations"]["UserWorkload"][0]["body"]["data"] = {"counter": "2"}
    case = make_case("changed", expected=changed)
    code, stderr, _ = mom_test(tmp_path, operator_binary)
    assert code == 1
    assert '-  counter: "2"' in stderr and '+  counter: "1"' in stderr
    code, stderr, modules = mom_test(tmp_path, operator_binary, "--replace-expected-output")
    assert code == 0, stderr[-2000:]
    assert "tempfile" in modules
    code, stderr, _ = mom_test(tmp_path, operator_binary)
    assert code == 0, stderr[-2000:]
    assert (case / "expected-output").is_dir()


def test_the_first_operator_starts_before_logging_or_runpy_load() -> None:
    probe = (
        "import sys, mom.cli.main, mom.testing.harness; "
        "print(sorted(m for m in ('logging', 'runpy', 'traceback') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_first_operator_starts_before_yaml_json_or_the_junit_writer_load(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("first")
    make_case("second")
    argv = [
        "test",
        "apply-configuration",
        f"--test-dir={tmp_path / 'tests'}",
        f"--output-dir={tmp_path / 'out'}",
    ]
    probe = (
        "import sys\n"
        "loaded = []\n"
        "def at_start(event, args):\n"
        "    if event in ('subprocess.Popen', 'os.posix_spawn') and not loaded:\n"
        "        names = ('yaml', 'json', 'xml.etree.ElementTree', 'logging', 'shlex', 'subprocess', 'shutil')\n"
        "        loaded.append(sorted(m for m in names if m in sys.modules))\n"
        "sys.addaudithook(at_start)\n"
        "from mom.cli.main import main\n"
        f"code = main({[*argv, f'--binary={operator_binary}']!r})\n"
        "print('loaded at the first start:', loaded, code)\n"
    )
    env = {**os.environ, "MOM_TEST_FORK": "0"}  # a subprocess, as for a Go operator
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == "loaded at the first start: [[]] 0", done.stderr[-2000:]
