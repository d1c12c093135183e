"""Build-or-reuse of the kube-apiserver and etcd binaries of the envtest control plane.

Both are compiled from published Go modules (``modules/kube`` and ``modules/etcd``, shipped with
the package) and cached outside it, keyed by version, so only the first use on a machine pays
for the build: ``${MOM_KUBE_CACHE:-~/.cache/mom/kube}/<kubernetes-version>-etcd<etcd-version>/``.
A lock file in the cache keeps two concurrent runs from building the same binaries twice.
Only the standard library is imported, so a checkout can pre-build them before mom is installed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

MODULES = Path(__file__).resolve().parent / "modules"
KUBE_MODULE = MODULES / "kube"
ETCD_MODULE = MODULES / "etcd"
STRIP_FLAGS = "-s -w"
TAIL_LINES = 15


class BuildError(Exception):
    """The binaries could not be built; the message ends with the failing command's last lines."""


@dataclass(frozen=True)
class Binaries:
    kube_apiserver: Path
    etcd: Path
    kubernetes_version: str
    etcd_version: str


@dataclass(frozen=True)
class _Target:
    name: str
    module_dir: Path
    package: str

    def ldflags(self) -> str:
        """Strip symbols; stamp kube-apiserver with its release so ``/version`` reports it."""
        if self.module_dir != KUBE_MODULE:
            return STRIP_FLAGS
        release = required_version(KUBE_MODULE, "k8s.io/kubernetes")
        major, minor = release.removeprefix("v").split(".")[:2]
        stamps = {"gitVersion": release, "gitMajor": major, "gitMinor": minor, "gitTreeState": "clean"}
        package = "k8s.io/component-base/version"
        return " ".join([STRIP_FLAGS, *(f"-X {package}.{key}={value}" for key, value in stamps.items())])


_TARGETS = (
    _Target("etcd", ETCD_MODULE, "."),
    _Target("kube-apiserver", KUBE_MODULE, "k8s.io/kubernetes/cmd/kube-apiserver"),
)


def required_version(module_dir: Path, module: str) -> str:
    """The version of ``module`` that ``module_dir/go.mod`` requires."""
    text = (module_dir / "go.mod").read_text()
    match = re.search(rf"^\s*(?:require\s+)?{re.escape(module)}\s+(v\S+)", text, re.MULTILINE)
    if match is None:
        raise BuildError(f"{module_dir / 'go.mod'}: no requirement on {module}")
    return match.group(1)


def cache_root() -> Path:
    configured = os.environ.get("MOM_KUBE_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "mom" / "kube"


def cache_dir() -> Path:
    kube = required_version(KUBE_MODULE, "k8s.io/kubernetes")
    etcd = required_version(ETCD_MODULE, "go.etcd.io/etcd/server/v3")
    return cache_root() / f"{kube}-etcd{etcd.removeprefix('v')}"


def cached() -> Binaries | None:
    """The cached binaries if both are already built, else ``None``; never builds."""
    directory = cache_dir()
    found = _binaries(directory)
    return found if found.kube_apiserver.is_file() and found.etcd.is_file() else None


def ensure(progress: TextIO | None = None) -> Binaries:
    """The binaries, built first if the cache lacks them; ``progress`` receives the build output.

    Raises :class:`BuildError` when Go is missing or a build fails.
    """
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory / ".lock", progress):
        for target in _TARGETS:
            output = directory / target.name
            if output.is_file():
                _say(progress, f"reusing {output}")
                continue
            _build(target, output, directory / f"{target.name}.build.log", progress)
    return _binaries(directory)


def _binaries(directory: Path) -> Binaries:
    return Binaries(
        kube_apiserver=directory / "kube-apiserver",
        etcd=directory / "etcd",
        kubernetes_version=required_version(KUBE_MODULE, "k8s.io/kubernetes"),
        etcd_version=required_version(ETCD_MODULE, "go.etcd.io/etcd/server/v3"),
    )


@contextlib.contextmanager
def _locked(path: Path, progress: TextIO | None) -> Iterator[None]:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _say(progress, f"waiting for another build holding {path}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(target: _Target, output: Path, log_path: Path, progress: TextIO | None) -> None:
    go = shutil.which("go")
    if go is None:
        raise BuildError("the `go` command is not on PATH; install Go to build kube-apiserver and etcd")
    env = dict(os.environ, GOFLAGS="-mod=readonly -buildvcs=false")
    partial = output.with_name(output.name + ".partial")
    steps = (
        ("download modules", [go, "mod", "download"]),
        (
            "compile",
            [
                go,
                "build",
                "-v",
                "-trimpath",
                "-ldflags",
                target.ldflags(),
                "-o",
                str(partial),
                target.package,
            ],
        ),
    )
    with log_path.open("w") as log:
        for step, command in steps:
            _say(progress, f"{target.name}: {step} ({' '.join(command[1:])}) in {target.module_dir}")
            started = time.monotonic()
            returncode = _run(command, target.module_dir, env, log, progress)
            _say(progress, f"{target.name}: {step} took {time.monotonic() - started:.0f}s")
            if returncode != 0:
                log.flush()
                lines = log_path.read_text(errors="replace").splitlines()[-TAIL_LINES:]
                raise BuildError(
                    f"building {target.name} failed at `{step}` (exit {returncode}; log {log_path}):\n"
                    + "\n".join(lines)
                )
    partial.replace(output)
    _say(progress, f"{target.name}: built {output} ({output.stat().st_size / 2**20:.0f} MiB)")


def _run(command: list[str], cwd: Path, env: dict[str, str], log: TextIO, progress: TextIO | None) -> int:
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            if progress is not None:
                progress.write(line)
                progress.flush()
        return process.wait()


def _say(progress: TextIO | None, message: str) -> None:
    if progress is not None:
        progress.write(f"live-binaries: {message}\n")
        progress.flush()


def main() -> int:
    """Build (or reuse) both binaries with the compiler's progress on stdout; 1 on failure."""
    try:
        found = ensure(progress=sys.stdout)
    except BuildError as exc:
        print(f"live-binaries: error: {exc}", file=sys.stderr)
        return 1
    for path in (found.kube_apiserver, found.etcd):
        print(f"live-binaries: ready {path} ({path.stat().st_size / 2**20:.0f} MiB)")
    return 0
