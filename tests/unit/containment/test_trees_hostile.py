"""Hostile cluster trees, fed to every command that reads one.

Each attack plants one bad resource file in an otherwise good tree: malformed YAML, an alias
bomb, a symlink out of the tree, a file larger than the cap, a FIFO, a symlink loop, duplicate
keys, ``!!binary`` and ``!!set`` values, a non-string key, ``name: 12``, ``metadata: [1, 2]``,
``items`` that is not a list, and a Secret inside ``configmaps.yaml``. Each command — ``get``,
``get -o json``, ``create-input-resources from-must-gather``, ``run --once``, ``serve`` and
``test apply-configuration`` — must refuse it the same way: exit 1, one line on stderr that
names the bad file, no traceback, nothing written (no output directory, the tree untouched;
``run`` records no run and leaves the target's state directory empty).
A FIFO is never opened, so no command blocks on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mom.cli.main import main
from mom.mustgather import layout

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"
MOM = Path(sys.executable).parent / "mom"
NAMESPACE = "openshift-authentication"
CONFIGMAPS = f"namespaces/{NAMESPACE}/core/configmaps.yaml"
LIST_HEAD = "apiVersion: v1\nkind: ConfigMapList\nitems:\n"
ITEM = (
    "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    namespace: openshift-authentication\n"
)

Attack = Callable[[Path], tuple[Path, str]]
"""Plants a bad file in the tree at the given root; returns it and a fragment of the error."""


def _text(relative: str, text: str, expected: str) -> Attack:
    def plant(root: Path) -> tuple[Path, str]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path, expected

    return plant


def _bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def _symlink_out(root: Path) -> tuple[Path, str]:
    outside = root.parent / "outside.yaml"
    outside.write_text(LIST_HEAD + ITEM)
    path = root / CONFIGMAPS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside)
    return path, "symlink leads outside the must-gather tree"


def _symlink_loop(root: Path) -> tuple[Path, str]:
    path = root / CONFIGMAPS
    path.parent.mkdir(parents=True, exist_ok=True)
    other = path.parent / "loop.yaml"
    other.symlink_to(path)
    path.symlink_to(other)
    return path, "symlink cannot be followed: Too many levels of symbolic links"


def _fifo(root: Path) -> tuple[Path, str]:
    path = root / CONFIGMAPS
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path, "not a regular file (a FIFO)"


def _oversized(root: Path) -> tuple[Path, str]:
    path = root / CONFIGMAPS
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:  # sparse: as large as the cap says, without writing it
        stream.truncate(layout.MAX_FILE_BYTES + 1)
    return path, f"larger than the {layout.MAX_FILE_BYTES} bytes mom accepts"


ATTACKS: dict[str, Attack] = {
    "malformed-yaml": _text(CONFIGMAPS, "kind: [\n", "malformed YAML"),
    "alias-bomb": _text(CONFIGMAPS, _bomb(), "alias bomb"),
    "symlink-out-of-tree": _symlink_out,
    "symlink-loop": _symlink_loop,
    "fifo": _fifo,
    "oversized": _oversized,
    "duplicate-keys": _text(CONFIGMAPS, LIST_HEAD + ITEM + "  data: {k: a}\n  data: {k: b}\n", "duplicate"),
    "binary": _text(CONFIGMAPS, LIST_HEAD + ITEM + "  binaryData: {k: !!binary aGk=}\n", "!!binary"),
    "set": _text(CONFIGMAPS, LIST_HEAD + ITEM + "  data: !!set {a, b}\n", "!!set"),
    "non-string-key": _text(CONFIGMAPS, LIST_HEAD + ITEM + "  data: {12: x}\n", "key '12' is not a string"),
    "numeric-name": _text(
        CONFIGMAPS, LIST_HEAD + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: 12}}\n", "metadata.name"
    ),
    "metadata-list": _text(
        CONFIGMAPS,
        LIST_HEAD + "- {apiVersion: v1, kind: ConfigMap, metadata: [1, 2]}\n",
        "metadata: expected",
    ),
    "items-not-a-list": _text(CONFIGMAPS, LIST_HEAD + "  a: b\n", "items: expected a list"),
    "secret-in-configmaps": _text(
        CONFIGMAPS,
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n"
        f"  metadata: {{name: a, namespace: {NAMESPACE}}}\n  data: {{password: aHVudGVyMg==}}\n",
        "a Secret does not belong in core/configmaps",
    ),
}

INPUTS = f"""\
applyConfigurationResources:
  labelSelectedResources:
  - {{version: v1, resource: configmaps, namespace: {NAMESPACE}, labelSelector: {{}}}}
  exactResources:
  - {{group: operator.openshift.io, version: v1, resource: authentications, name: cluster}}
"""


def _state(root: Path) -> dict[str, tuple[int, int] | str]:
    """Every entry below ``root`` with its size and modification time (a link: its target)."""
    found: dict[str, tuple[int, int] | str] = {}
    for directory, names, files in os.walk(root):
        for name in names + files:
            path = Path(directory) / name
            if path.is_symlink():
                found[str(path)] = os.readlink(path)
            else:
                stat = path.lstat()
                found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def _one_line_naming(err: str, bad: Path, expected: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mom: error: "), err
    assert str(bad) in lines[0], err
    assert expected in lines[0], err
    assert "Traceback" not in err


@pytest.fixture
def standalone(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    return tmp_path / "standalone"


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_get_and_create_input_resources_refuse(
    attack: str, standalone: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = standalone / "cluster"
    bad, expected = ATTACKS[attack](tree)
    before = _state(tmp_path)
    for output in ("yaml", "json"):
        assert (
            main(["get", "--no-cache", "--must-gather-dir", str(tree), "configmaps", "-A", "-o", output]) == 1
        )
        _one_line_naming(capsys.readouterr().err, bad, expected)
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(INPUTS)
    before[str(inputs)] = _state(tmp_path)[str(inputs)]
    out = tmp_path / "out"
    argv = ["create-input-resources", "from-must-gather", "--must-gather-dir", str(tree)]
    assert main([*argv, "--input-resources", str(inputs), "--output-dir", str(out)]) == 1
    _one_line_naming(capsys.readouterr().err, bad, expected)
    assert not out.exists()
    assert _state(tmp_path) == before


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_run_refuses(attack: str, standalone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = standalone / "cluster"
    bad, expected = ATTACKS[attack](tree)
    before = _state(tree)
    assert main(["run", "--config", str(standalone / "mom.yaml"), "--once"]) == 1
    _one_line_naming(capsys.readouterr().err, bad, expected)
    state_dir = tree / ".mom"  # the target's own write-ahead state: opened, and left empty
    assert not state_dir.exists() or not any(state_dir.iterdir())
    assert {path: seen for path, seen in _state(tree).items() if path != str(state_dir)} == before
    assert main(["journal", "list", "--journal", str(standalone / "state/journal.sqlite")]) == 0
    assert capsys.readouterr().out.strip().splitlines()[1:] == []  # the header only: no run recorded


@pytest.mark.parametrize("attack", ["fifo", "symlink-out-of-tree", "binary", "secret-in-configmaps"])
def test_serve_refuses_before_listening(attack: str, standalone: Path, tmp_path: Path) -> None:
    tree = standalone / "cluster"
    bad, expected = ATTACKS[attack](tree)
    out = tmp_path / "recorded"
    done = subprocess.run(
        [str(MOM), "serve", "--no-cache", "--must-gather-dir", str(tree), "--output-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""  # no "serving ... at" line: nothing listened
    _one_line_naming(done.stderr, bad, expected)
    assert not out.exists()


@pytest.mark.parametrize("attack", ["fifo", "duplicate-keys", "binary", "secret-in-configmaps"])
def test_golden_test_input_dir_is_refused(
    attack: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "cases" / "first-run"
    shutil.copytree(EXAMPLES / "sample-operator" / "first-run", case)
    bad, expected = ATTACKS[attack](case / "input-dir")
    before = _state(case)
    argv = ["test", "apply-configuration", "--test-dir", str(tmp_path / "cases")]
    argv += ["--output-dir", str(tmp_path / "out"), "--binary", str(MOM.parent / "sample-operator")]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert f"{bad}: " in captured.out + captured.err
    assert expected in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err
    assert _state(case) == before
