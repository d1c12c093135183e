"""Installing a revision on one node: its local copy and the pod manifest, atomically.

The node's two directories stand in for the real ones and are configurable::

    <resources>/<name>-pod-<revision>/configmaps/<input>/<key>   # the local copy of a revision
    <resources>/<name>-pod-<revision>/secrets/<input>/<key>
    <manifests>/<name>-pod.yaml                                  # what the kubelet runs

Nothing is ever half-written where it is read. A revision directory is filled under a
``.partial`` name and renamed into place; the manifest is written beside itself as a dot-file
(which the kubelet ignores) and renamed over the old one, after the revision directory it
points at is complete and flushed. A lock file (``flock``, released by the kernel even on
kill -9) keeps two installers apart, and whoever takes it next removes what a killed one left.
So after a crash at any point the manifest names either the old revision or the new one, and
the directory of the revision it names is complete.

The manifest records, as annotations, the revision it replaced (the one to fall back to), when
it was installed, and, after a fallback, which revision failed and why, using the startup
monitor's annotation names. The kubelet copies them onto the mirror pod, which is how the
cluster learns of a fallback even if it happened while the kube-apiserver was down.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.mustgather.atomicfile import write_atomically
from mom.serialization import dump_go_yaml, load_document
from mom.staticpod.files import RevisionFiles, pod_file
from mom.staticpod.operand import APP_LABEL, REVISION_LABEL, StaticPodOperand

PREVIOUS_REVISION = "static-pods.mom.openshift.io/previous-revision"
INSTALLED_AT = "static-pods.mom.openshift.io/installed-at"
FALLBACK_FOR = "startup-monitor.static-pods.openshift.io/fallback-for-revision"
FALLBACK_REASON = "startup-monitor.static-pods.openshift.io/fallback-reason"
FALLBACK_MESSAGE = "startup-monitor.static-pods.openshift.io/fallback-message"
RESOURCE_DIR_VOLUME = "resource-dir"
"""A hostPath volume of this name in the pod template is pointed at the revision's directory."""
PARTIAL = ".partial"
MAX_MANIFEST = 1 << 20

STEPS = ("locked", "stage-file", "stage-commit", "manifest-write", "manifest-commit", "installed")
"""The points of an install, in order; ``step`` is called at each (the crash tests kill there)."""

Step = Callable[[str], None]


def _no_step(_name: str) -> None:
    return None


@dataclass(frozen=True)
class InstalledPod:
    """What the manifest on the node says about itself."""

    revision: int
    previous: int = 0
    installed_at: str = ""
    fallback_for: int = 0
    fallback_reason: str = ""
    fallback_message: str = ""


class Installer:
    """Installs revisions of ``operand`` into one node's directories."""

    def __init__(
        self, operand: StaticPodOperand, resources_dir: Path, manifests_dir: Path, *, step: Step = _no_step
    ) -> None:
        self.operand = operand
        self.resources_dir = resources_dir
        self.manifests_dir = manifests_dir
        self._step = step

    @property
    def manifest_path(self) -> Path:
        return self.manifests_dir / self.operand.manifest_file_name

    def revision_dir(self, revision: int) -> Path:
        return self.resources_dir / self.operand.resource_dir_name(revision)

    def installed(self) -> InstalledPod | None:
        """The installed revision, or None when no manifest is there."""
        try:
            data = self.manifest_path.read_bytes()
        except FileNotFoundError:
            return None
        if len(data) > MAX_MANIFEST:
            raise InvalidInput(str(self.manifest_path), [f"Too long: larger than {MAX_MANIFEST} bytes"])
        return _installed_from(load_document(data, str(self.manifest_path)), self.manifest_path)

    def local_revisions(self) -> list[int]:
        """Revisions with a complete local copy, oldest first."""
        prefix = f"{self.operand.name}-pod-"
        found = []
        for entry in self.resources_dir.glob(f"{prefix}*"):
            number = entry.name[len(prefix) :]
            if number.isdigit() and entry.is_dir():
                found.append(int(number))
        return sorted(found)

    def has(self, revision: int) -> bool:
        return self.revision_dir(revision).is_dir()

    def stage(self, files: RevisionFiles) -> None:
        """Make the local copy of ``files`` (a no-op when it is already there)."""
        with self._locked():
            self._stage(files)

    def install(
        self,
        revision: int,
        *,
        now: str,
        previous: int,
        fallback_for: int = 0,
        reason: str = "",
        message: str = "",
    ) -> InstalledPod:
        """Point the manifest at the local copy of ``revision``; ``previous`` is the one to fall back to."""
        with self._locked():
            final = self.revision_dir(revision)
            if not final.is_dir():
                raise InvalidInput(str(final), ["Not found: no local copy of this revision"])
            pod = InstalledPod(revision, previous, now, fallback_for, reason, message)
            template = (final / pod_file(self.operand)).read_bytes()
            manifest = render_manifest(self.operand, pod, template, final)
            self._step("manifest-write")
            write_atomically(
                self.manifest_path,
                manifest,
                mode=0o644,
                suffix=PARTIAL,
                sync_directory=True,
                before_replace=lambda: self._step("manifest-commit"),
            )
            self._step("installed")
            return pod

    def prune(self, keep: int) -> list[int]:
        """Remove local copies beyond the ``keep`` newest, never the installed or previous one."""
        with self._locked():
            pod = self.installed()
            protected = {pod.revision, pod.previous} if pod else set()
            local = self.local_revisions()
            doomed = [r for r in local[: max(len(local) - keep, 0)] if r not in protected]
            for revision in doomed:
                shutil.rmtree(self.revision_dir(revision))
            return doomed

    def _stage(self, files: RevisionFiles) -> None:
        final = self.revision_dir(files.revision)
        if final.is_dir():
            return
        partial = final.with_name(f".{final.name}{PARTIAL}")
        partial.mkdir(parents=True)
        for relative, content in sorted(files.files.items()):
            self._step("stage-file")
            target = partial / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_synced(target, content, mode=0o600 if relative.startswith("secrets/") else 0o644)
        for folder in sorted({p for p in partial.rglob("*") if p.is_dir()}, reverse=True):
            _sync_dir(folder)
        _sync_dir(partial)
        self._step("stage-commit")
        os.rename(partial, final)
        _sync_dir(self.resources_dir)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.resources_dir.mkdir(parents=True, exist_ok=True)
        self.manifests_dir.mkdir(parents=True, exist_ok=True)
        lock = self.resources_dir / f".{self.operand.name}-installer.lock"
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._clear_leftovers()
                self._step("locked")
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _clear_leftovers(self) -> None:
        for directory in (self.resources_dir, self.manifests_dir):
            for entry in directory.glob(f".*{PARTIAL}"):
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()


def render_manifest(
    operand: StaticPodOperand, pod: InstalledPod, template: bytes, resource_dir: Path
) -> bytes:
    """The pod manifest of ``pod.revision``: the template, named, labelled, annotated, pointed at its files."""
    source = f"{operand.pod_config_map}-{pod.revision}: {pod_file(operand)}"
    body = load_document(template, source)
    if not isinstance(body, dict) or body.get("kind") != "Pod" or body.get("apiVersion") != "v1":
        raise InvalidInput(source, ["Invalid value: the pod template must be a v1 Pod"])
    metadata = body.get("metadata") or {}
    spec = body.get("spec")
    if not isinstance(metadata, dict) or not isinstance(spec, dict):
        raise InvalidInput(source, ["Invalid value: metadata and spec must be maps"])
    labels = {**_strings(metadata.get("labels")), APP_LABEL: operand.name, REVISION_LABEL: str(pod.revision)}
    notes = {PREVIOUS_REVISION: str(pod.previous), INSTALLED_AT: pod.installed_at}
    if pod.fallback_for:
        notes |= {FALLBACK_FOR: str(pod.fallback_for), FALLBACK_REASON: pod.fallback_reason}
        notes |= {FALLBACK_MESSAGE: pod.fallback_message}
    annotations = {**_strings(metadata.get("annotations")), **notes}
    volumes = []
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict) and volume.get("name") == RESOURCE_DIR_VOLUME:
            volume = {**volume, "hostPath": {"path": str(resource_dir.absolute())}}
        volumes.append(volume)
    body["metadata"] = {
        **metadata,
        "name": operand.name,
        "namespace": operand.namespace,
        "labels": labels,
        "annotations": annotations,
    }
    if volumes:
        body["spec"] = {**spec, "volumes": volumes}
    return dump_go_yaml(body).encode()


def _installed_from(body: Any, path: Path) -> InstalledPod:
    metadata = body.get("metadata") if isinstance(body, dict) else None
    if not isinstance(metadata, dict):
        raise InvalidInput(str(path), ["Invalid value: not a pod manifest"])
    labels = _strings(metadata.get("labels"))
    notes = _strings(metadata.get("annotations"))
    revision = labels.get(REVISION_LABEL, "")
    if not revision.isdigit():
        raise InvalidInput(str(path), [f"metadata.labels.{REVISION_LABEL}: Invalid value: {revision!r}"])
    return InstalledPod(
        revision=int(revision),
        previous=_number(notes.get(PREVIOUS_REVISION, "")),
        installed_at=notes.get(INSTALLED_AT, ""),
        fallback_for=_number(notes.get(FALLBACK_FOR, "")),
        fallback_reason=notes.get(FALLBACK_REASON, ""),
        fallback_message=notes.get(FALLBACK_MESSAGE, ""),
    )


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def _write_synced(path: Path, content: bytes, mode: int = 0o644) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
