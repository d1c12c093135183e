"""The must-gather layout: which files of a tree are resources, and what each one holds.

Owns: finding the resource root, and walking it into :class:`TreeFile` entries
(``cluster-scoped-resources/<group>/<resource>.yaml`` List files,
``<group>/<resource>/<name>.yaml`` object files, ``namespaces/<ns>/<ns>.yaml`` Namespace
objects, the same below ``namespaces/<ns>/``, and the ``aggregated-discovery-*.yaml`` files).
Everything else — logs, ``event-filter.html``, ``timestamp``, the per-pod log directories
``namespaces/<ns>/pods/`` — is not a resource and is skipped. The walk refuses, before
reading them, resource files that are not regular files (FIFOs, devices, sockets,
directories), symlinks that lead out of the tree or cannot be followed (loops, dangling), and
files far larger than any real object. Symlinks that stay inside the tree are followed.
A walk given a :class:`WalkFilter` descends only where the filter points: entries it does not
want are neither listed further, examined nor refused, so a reader of a few declared places
pays for those places, not for the tree.

Long names: Kubernetes names reach 253 characters (and RBAC names have no limit), but a file
name may not pass :data:`MAX_FILE_NAME_BYTES` bytes. A file whose name would is named
``<start of the object name>~<16 hex digits of the SHA-256 of the whole name><suffix>``, cut
to fit (:func:`fitted_file_name`); every name that fits keeps the exact form Go writes. An
object file named that way is read as the object it holds when the object's own name fits to
that same file name (:func:`object_name_of_file`), so nothing else can claim the name.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from stat import S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from typing import Literal, Protocol

from mom.api.digest import sha256_hex
from mom.api.errors import InvalidInput
from mom.api.resources import CORE_GROUP_DIR
from mom.api.values import Frozen, Value

CLUSTER_SCOPED_DIR = "cluster-scoped-resources"
NAMESPACES_DIR = "namespaces"
DISCOVERY_FILES = {"aggregated-discovery-api.yaml": True, "aggregated-discovery-apis.yaml": False}
"""Discovery file name -> whether it describes the legacy ``/api`` (core) group."""
POD_LOGS_DIR = "pods"
"""``namespaces/<ns>/pods/<pod>/`` holds a pod's YAML beside its container logs, not a group."""
RESOURCE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Resource files above this size are refused unread; real List files are a few MB."""

MAX_FILE_NAME_BYTES = 255
"""The longest file name (in bytes) the common Linux file systems store."""
LONG_NAME_MARKER = "~"
LONG_NAME_DIGEST = 16

FileRole = Literal["namespace", "list", "object", "discovery"]


class TreeFile(Frozen):
    """One resource file; ``group`` is "" for core, ``name`` is "" for List files."""

    root: Path
    relative: str
    role: FileRole
    namespace: str
    group: str
    resource: str
    name: str
    size: int
    mtime_ns: int

    __slots__ = ("group", "mtime_ns", "name", "namespace", "relative", "resource", "role", "root", "size")

    def __init__(
        self,
        root: Path,
        relative: str,
        role: FileRole,
        namespace: str = "",
        group: str = "",
        resource: str = "",
        name: str = "",
        size: int = 0,
        mtime_ns: int = 0,
    ) -> None:
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "relative", relative)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "resource", resource)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "mtime_ns", mtime_ns)

    @property
    def path(self) -> Path:
        return self.root / self.relative


class TreeScan(Value):
    """What a walk found: the resource files, and ``(file, problem)`` pairs for refused ones."""

    files: list[TreeFile]
    problems: list[tuple[str, str]]

    __slots__ = ("files", "problems")

    def __init__(self, files: list[TreeFile], problems: list[tuple[str, str]]) -> None:
        self.files = files
        self.problems = problems


class WalkFilter(Protocol):
    """Which parts of a tree a walk descends into (``namespace`` is "" for cluster scope).
    Discovery files are always found; a namespace wanted brings its Namespace object file."""

    def wants_namespace(self, namespace: str) -> bool: ...

    def wants_group(self, namespace: str, group: str) -> bool: ...

    def wants_place(self, namespace: str, group: str, resource: str) -> bool: ...

    def wants_object(self, namespace: str, group: str, resource: str, stem: str) -> bool:
        """Whether the object file named ``stem`` (its name without the suffix) is wanted."""
        ...


class _Everything:
    def wants_namespace(self, namespace: str) -> bool:
        return True

    def wants_group(self, namespace: str, group: str) -> bool:
        return True

    def wants_place(self, namespace: str, group: str, resource: str) -> bool:
        return True

    def wants_object(self, namespace: str, group: str, resource: str, stem: str) -> bool:
        return True


def find_resource_root(path: Path) -> Path:
    """The directory holding ``cluster-scoped-resources/`` or ``namespaces/``: ``path`` itself, or
    the one child that does (``oc adm must-gather`` writes the tree into a directory named after
    the must-gather image). An empty ``path`` (hidden entries aside) is its own root, ready to be
    written; two children that both hold a tree are ambiguous and refused, naming both.

    The one rule for every reader of a manifest directory: ``mom get``, ``mom serve``,
    ``create-input-resources``, ``mom test`` and the manager's clusters."""
    if not path.is_dir():
        raise InvalidInput(str(path), ["not a directory"])
    try:
        children = sorted(child for child in path.iterdir() if not child.name.startswith("."))
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot read directory: {exc.strerror}"]) from exc
    if _is_resource_root(path) or not children:
        return path
    candidates = [child for child in children if child.is_dir() and _is_resource_root(child)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        names = " and ".join(repr(c.name) for c in candidates)
        raise InvalidInput(str(path), [f"several must-gather trees inside ({names}); pass one of them"])
    raise InvalidInput(
        str(path), [f"no {CLUSTER_SCOPED_DIR}/ or {NAMESPACES_DIR}/ directory here or one level down"]
    )


def _is_resource_root(path: Path) -> bool:
    return any((path / name).is_dir() for name in (CLUSTER_SCOPED_DIR, NAMESPACES_DIR)) or any(
        (path / name).is_file() for name in DISCOVERY_FILES
    )


def holds_no_resources(relative: str) -> bool:
    """Whether the directory at ``relative`` (to the resource root) is one a walk never reads:
    a namespace's ``pods/`` logs."""
    parts = relative.split(os.sep)
    return len(parts) == 3 and parts[0] == NAMESPACES_DIR and parts[2] == POD_LOGS_DIR


def strip_suffix(filename: str) -> str | None:
    """``configmaps.yaml`` -> ``configmaps``; ``None`` for names that are not resource files."""
    for suffix in RESOURCE_SUFFIXES:
        if filename.endswith(suffix) and len(filename) > len(suffix):
            return filename[: -len(suffix)]
    return None


def fitted_file_name(head: str, name: str, tail: str, *, limit: int = MAX_FILE_NAME_BYTES) -> str:
    """``head + name + tail``, or when that passes ``limit`` bytes, the same with ``name``
    replaced by its start, :data:`LONG_NAME_MARKER` and a digest of all of it."""
    whole = f"{head}{name}{tail}"
    if len(whole.encode("utf-8")) <= limit:
        return whole
    digest = sha256_hex(name.encode("utf-8"))[:LONG_NAME_DIGEST]
    room = limit - len(f"{head}{LONG_NAME_MARKER}{digest}{tail}".encode())
    kept = name.encode("utf-8")[: max(room, 0)].decode("utf-8", errors="ignore")
    return f"{head}{kept}{LONG_NAME_MARKER}{digest}{tail}"


def object_file_name(name: str) -> str:
    """The file ``<group>/<resource>/`` holds the object ``name`` in (``<name>.yaml`` when it fits)."""
    return fitted_file_name("", name, ".yaml")


def temporary_file_name(final: str, suffix: str) -> str:
    """A hidden sibling of the file ``final`` to write before renaming: ``.<final><suffix>``,
    in the long-name form when that would not fit."""
    return fitted_file_name(".", final, suffix)


def object_name_of_file(file_stem: str, obj: object) -> str:
    """The name an object file serves: the object's own name when the file carries the long-name
    form of it, else the file's name without its suffix (how Go's reader finds it)."""
    if LONG_NAME_MARKER in file_stem and isinstance(obj, dict):
        metadata = obj.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if isinstance(name, str) and strip_suffix(object_file_name(name)) == file_stem:
            return name
    return file_stem


class _Walker:
    def __init__(self, root: Path, wanted: WalkFilter) -> None:
        self.root = root
        self.wanted = wanted
        self.real_root = os.path.realpath(root)
        self.scan = TreeScan([], [])
        self._prefix = len(os.path.join(str(root), ""))
        """Entry paths start with ``str(root) + sep``: the rest is the relative path (no relpath())."""

    def entries(self, directory: str, keep: Callable[[str], bool] | None = None) -> list[os.DirEntry[str]]:
        """Sorted entries of ``directory`` whose names ``keep`` accepts, minus symlinks that leave
        the tree (reported)."""
        try:
            with os.scandir(directory) as iterator:
                found = sorted(
                    (entry for entry in iterator if keep is None or keep(entry.name)), key=lambda e: e.name
                )
        except OSError as exc:
            self.problem(directory, f"cannot read directory: {exc.strerror}")
            return []
        kept = []
        for entry in found:
            if entry.is_symlink():
                try:
                    target = os.path.realpath(entry.path, strict=True)
                except OSError as exc:
                    if strip_suffix(entry.name) is not None:
                        self.problem(entry.path, f"symlink cannot be followed: {exc.strerror}")
                    continue
                if os.path.commonpath([self.real_root, target]) != self.real_root:
                    self.problem(entry.path, f"symlink leads outside the must-gather tree (to {target!r})")
                    continue
            kept.append(entry)
        return kept

    def problem(self, path: str, message: str) -> None:
        self.scan.problems.append((path, message))

    def add(self, entry: os.DirEntry[str], role: FileRole, **where: str) -> None:
        try:
            stat = entry.stat()
        except OSError as exc:
            self.problem(entry.path, f"cannot read file: {exc.strerror}")
            return
        if not S_ISREG(stat.st_mode):
            self.problem(entry.path, f"not a regular file (a {_file_type(stat.st_mode)}); refused unread")
            return
        if stat.st_size > MAX_FILE_BYTES:
            self.problem(
                entry.path,
                f"file is {stat.st_size} bytes, larger than the {MAX_FILE_BYTES} bytes mom accepts",
            )
            return
        relative = entry.path[self._prefix :]
        self.scan.files.append(
            TreeFile(self.root, relative, role, size=stat.st_size, mtime_ns=stat.st_mtime_ns, **where)
        )

    def walk_groups(self, directory: str, namespace: str) -> None:
        """``<group>/<resource>.yaml`` and ``<group>/<resource>/<name>.yaml`` below ``directory``."""
        wanted = self.wanted

        def keep_group(name: str) -> bool:
            return not (namespace and name == POD_LOGS_DIR) and wanted.wants_group(namespace, _group_of(name))

        for group_entry in self.entries(directory, keep_group):
            if not group_entry.is_dir():
                continue
            group = _group_of(group_entry.name)

            def keep_resource(name: str, group: str = group) -> bool:
                return wanted.wants_place(namespace, group, strip_suffix(name) or name)

            for resource_entry in self.entries(group_entry.path, keep_resource):
                if resource_entry.is_dir():
                    where = {"namespace": namespace, "group": group, "resource": resource_entry.name}

                    def keep_object(
                        name: str, resource: str = resource_entry.name, group: str = group
                    ) -> bool:
                        stem = strip_suffix(name)
                        return stem is not None and wanted.wants_object(namespace, group, resource, stem)

                    for object_entry in self.entries(resource_entry.path, keep_object):
                        self.add(object_entry, "object", name=strip_suffix(object_entry.name) or "", **where)
                    continue
                resource = strip_suffix(resource_entry.name)
                if resource is not None:
                    self.add(resource_entry, "list", namespace=namespace, group=group, resource=resource)

    def walk(self) -> TreeScan:
        for entry in self.entries(str(self.root)):
            if entry.name in DISCOVERY_FILES:
                self.add(entry, "discovery", name=entry.name)
            elif entry.name == CLUSTER_SCOPED_DIR and entry.is_dir():
                if self.wanted.wants_namespace(""):
                    self.walk_groups(entry.path, "")
            elif entry.name == NAMESPACES_DIR and entry.is_dir():
                for namespace_entry in self.entries(entry.path, self.wanted.wants_namespace):
                    if namespace_entry.is_dir():
                        self.walk_namespace(namespace_entry)
        return self.scan

    def walk_namespace(self, namespace_entry: os.DirEntry[str]) -> None:
        namespace = namespace_entry.name
        for entry in self.entries(namespace_entry.path, lambda name: strip_suffix(name) == namespace):
            self.add(entry, "namespace", namespace=namespace, name=namespace)
        self.walk_groups(namespace_entry.path, namespace)


def _group_of(directory_name: str) -> str:
    return "" if directory_name == CORE_GROUP_DIR else directory_name


def _file_type(mode: int) -> str:
    kinds = ((S_ISDIR, "directory"), (S_ISFIFO, "FIFO"), (S_ISSOCK, "socket"), (S_ISCHR, "character device"))
    return next((name for test, name in kinds if test(mode)), "block device")


def scan_tree(root: Path, wanted: WalkFilter | None = None) -> TreeScan:
    """Every resource file below ``root`` (only where ``wanted`` points, when given) in a stable
    order, and the files refused on the way."""
    return _Walker(root, wanted or _Everything()).walk()
