"""mom as a user installs it: the wheel, built from the sdist, in a fresh virtual environment.

Covers:
- `python -m build` makes an sdist and a wheel named for the distribution
  (`multi_operator_manager`), the wheel carrying the `mom` package with `py.typed` and the
  `mom`, `sample-operator` and `oauth-operator` launchers, both pytest plugins and the Go
  modules envtest builds its binaries from;
- installed with its `[pytest]` extra and nothing else (no repository on `sys.path`, no
  activated environment, a `python` first on PATH that is not the environment's), the
  installed `mom` runs the README's main job on a copy of `examples/standalone` and one
  operator's golden tests (`examples/sample-operator`) pass under `mom test` and under
  pytest through the plugin the extra brings in; docs/writing-an-operator.md runs as written
  with the installed `mom` and `pytest`;
- each console launcher names the environment's own interpreter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.unit.docs.test_writing_an_operator import run_page

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.packaging


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"$ {' '.join(argv)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel built from it."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source") / "repo"
    # A copy without the working tree's build leftovers or virtual environment.
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "out", "build", "dist", "*.egg-info", "__pycache__"),
    )
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=out)
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel, its dependencies and the pytest extra."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
    (wheel,) = dist.glob("*.whl")
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[pytest]"], cwd=venv.parent)
    return venv


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A shell where nothing is activated and `python` is some other interpreter."""
    decoys = tmp_path / "decoy-bin"
    decoys.mkdir()
    for name in ("python", "python3"):
        (decoys / name).write_text("#!/bin/sh\necho 'not the environment python' >&2\nexit 97\n")
        (decoys / name).chmod(0o755)
    keep = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "TMPDIR", "MOM_KUBE_CACHE")}
    return {**keep, "PATH": f"{decoys}{os.pathsep}/usr/bin{os.pathsep}/bin"}


def test_sdist_and_wheel_are_built(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    assert sdist.name.startswith("multi_operator_manager-")
    assert wheel.name.startswith("multi_operator_manager-") and wheel.name.endswith("-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mom/py.typed" in names and "mom/cli/main.py" in names
    for module_file in ("kube/go.mod", "kube/go.sum", "etcd/go.mod", "etcd/go.sum", "etcd/main.go"):
        assert f"mom/envtest/modules/{module_file}" in names  # envtest builds from them
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for script in (
        "mom = mom.cli.main:run",
        "sample-operator = ",
        "oauth-operator = ",
        "mom = mom.testing.pytest_plugin",
        "mom-envtest = mom.envtest.fixtures",
    ):
        assert script in text


def test_installed_version_is_the_package_version(installed: Path, dist: Path, tmp_path: Path) -> None:
    from mom import __version__

    (wheel,) = dist.glob("*.whl")
    assert wheel.name.startswith(f"multi_operator_manager-{__version__}-")
    done = _run([str(installed / "bin" / "mom"), "--version"], tmp_path)
    assert done.stdout.strip() == f"mom {__version__}"


def test_launchers_use_the_environment_interpreter(installed: Path) -> None:
    for script in ("mom", "sample-operator", "oauth-operator"):
        first = (installed / "bin" / script).read_text().splitlines()[0]
        assert Path(first.removeprefix("#!")).parent == installed / "bin", first


def test_readme_main_job_from_the_wheel(installed: Path, user_env: dict[str, str], tmp_path: Path) -> None:
    mom = str(installed / "bin" / "mom")
    shutil.copytree(REPO / "examples" / "standalone", tmp_path / "out" / "standalone")
    done = subprocess.run(
        [mom, "run", "--config", "out/standalone/mom.yaml", "--once"],
        cwd=tmp_path,
        env=user_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:3]}
    assert set(rows) == {"oauth-operator", "sample-operator"}
    listed = _run(
        [mom, "journal", "list", "--config", "out/standalone/mom.yaml", "-o", "json"], tmp_path, user_env
    )
    assert '"operator": "oauth-operator"' in listed.stdout


def test_golden_tests_from_the_wheel(installed: Path, user_env: dict[str, str], tmp_path: Path) -> None:
    cases = tmp_path / "test-data"
    shutil.copytree(REPO / "examples" / "sample-operator", cases)
    done = _run(
        [
            str(installed / "bin" / "mom"),
            "test",
            "apply-configuration",
            "--test-dir",
            str(cases),
            "--output-dir",
            "out",
        ],
        tmp_path,
        user_env,
    )
    assert done.stdout.strip().splitlines()[-1] == "4 passed, 0 failed"
    plugin = _run(
        [str(installed / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", "--mom-test-dir", str(cases)],
        tmp_path,
        user_env,
    )
    assert "4 passed" in plugin.stdout.splitlines()[-1], plugin.stdout


def test_envtest_finds_its_go_modules_in_the_wheel(
    installed: Path, user_env: dict[str, str], tmp_path: Path
) -> None:
    from mom.envtest.binaries import cached

    found = cached()
    if found is None:
        pytest.skip("the envtest binaries are not built on this machine (tests/live builds them)")
    done = _run([str(installed / "bin" / "mom"), "envtest", "--build-only"], tmp_path, user_env)
    assert done.stdout.splitlines() == [f"kube-apiserver {found.kube_apiserver}", f"etcd {found.etcd}"]


def test_operator_guide_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """docs/writing-an-operator.md, run with the wheel's `mom` and `pytest`."""
    assert run_page(tmp_path, live=False, bin_dir=installed / "bin") >= 12
    launcher = (tmp_path / "work" / "branding-operator").read_text().splitlines()[0]
    assert Path(launcher.removeprefix("#!")).parent == installed / "bin"
