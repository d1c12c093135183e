"""Mutation directories: recorded write requests on disk, written and read like library-go.

Layout (FORMATS.md §2.4): ``<Action>/(cluster-scoped-resources|namespaces/<ns>)/<group>/<resource>/``
holding ``<hhhh>-body-<name>.yaml``, ``<hhhh>-metadata-<name>.yaml`` and, when the request had
options, ``<hhhh>-options-<name>.yaml``; ``hhhh`` is the last two bytes of the SHA-256 of the body.

Differences from the Go code, all readable by it: two *different* requests that map to the same
file names get a de-conflicting prefix (``<hhhh>-2-body-...``) instead of overwriting each other;
files are replaced atomically; ``.json`` bodies are read and their kind is taken from them;
a name too long for a file name (a 253-character name makes ``<hhhh>-metadata-<name>.yaml``
272 bytes) is written in the long-name form of :func:`mom.mustgather.layout.fitted_file_name`,
the same for the three files of one request (the reader takes names from the metadata file).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mom.api.cluster import ALL_ACTIONS, Action
from mom.api.digest import sha256_hex
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource, gvk_of
from mom.api.values import Frozen
from mom.mustgather.atomicfile import write_atomically
from mom.mustgather.layout import fitted_file_name
from mom.mustgather.untrusted import ReadBudget, open_directory, read_regular_file, walk_tree
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, load_document

COLON_REPLACEMENT = "-COLON-"
"""What every ``:`` in a relative path becomes, so trees stay valid Go module content."""

FILE_MODE = 0o644
"""Mode of written files (a temporary file starts private; the result is not)."""

BODY_MARKER = "-body-"
BODY_SUFFIXES = (".yaml", ".json")


def _hash_prefix(request: MutationRequest) -> str:
    for content in (request.body, request.options):
        if content:
            return sha256_hex(content)[-4:]
    return "MISSING"


def _check_segment(value: str, field: str, problems: list[str], *, allow_empty: bool = False) -> None:
    if not value and not allow_empty:
        problems.append(f"{field}: required value")
    elif "/" in value or "\x00" in value or value in (".", ".."):
        problems.append(f'{field}: invalid value "{value}": must be usable as one path segment')


def _directory(request: MutationRequest) -> str:
    problems: list[str] = []
    _check_segment(request.gvr.resource, "resourceType.Resource", problems)
    _check_segment(request.gvr.group_dir, "resourceType.Group", problems)
    _check_segment(request.namespace, "namespace", problems, allow_empty=True)
    _check_segment(request.name + request.generate_name, "name", problems, allow_empty=True)
    if problems:
        raise InvalidInput(request.identity, problems)
    scope = f"namespaces/{request.namespace}" if request.namespace else "cluster-scoped-resources"
    return f"{request.action.value}/{scope}/{request.gvr.group_dir}/{request.gvr.resource}"


def _paths_with_prefix(request: MutationRequest, prefix: str) -> tuple[str, str, str | None]:
    directory = _directory(request).replace(":", COLON_REPLACEMENT)
    object_name = (request.name + request.generate_name).replace(":", COLON_REPLACEMENT)
    longest = fitted_file_name(f"{prefix}-metadata-", object_name, ".yaml")
    object_name = longest.removeprefix(f"{prefix}-metadata-").removesuffix(".yaml")

    def path(part: str) -> str:
        return f"{directory}/{prefix}-{part}-{object_name}.yaml"

    return path("body"), path("metadata"), path("options") if request.options else None


def request_paths(request: MutationRequest) -> tuple[str, str, str | None]:
    """Relative paths of the body, metadata and (when options are non-empty) options files."""
    return _paths_with_prefix(request, _hash_prefix(request))


def metadata_bytes(request: MutationRequest) -> bytes:
    """The metadata file's content, as current library-go writes it (``name:``)."""
    return dump_go_yaml(request.metadata_wire()).encode("utf-8")


def _write_file(path: Path, content: bytes, made: set[Path]) -> None:
    """Replace ``path`` with ``content``; ``made`` remembers directories already created."""
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    write_atomically(path, content, sync=False, mode=FILE_MODE, unique=True)


def _assign_paths(
    requests: Iterable[MutationRequest],
) -> Iterator[tuple[MutationRequest, tuple[str, str, str | None]]]:
    """Each distinct request with its own file set; equal requests collapse into one."""
    seen: set[tuple[Any, ...]] = set()
    taken: set[str] = set()
    for request in requests:
        key = request.equality_key()
        if key in seen:
            continue
        seen.add(key)
        prefix = _hash_prefix(request)
        paths = _paths_with_prefix(request, prefix)
        attempt = 1
        while paths[1] in taken:
            attempt += 1
            paths = _paths_with_prefix(request, f"{prefix}-{attempt}")
        taken.add(paths[1])
        yield request, paths


def write_mutation_dir(root: Path, requests: Iterable[MutationRequest]) -> None:
    """Write ``requests`` under ``root`` byte-for-byte as library-go would (set semantics)."""
    made: set[Path] = set()
    for request, (body_path, metadata_path, options_path) in _assign_paths(requests):
        _write_file(root / body_path, request.body, made)
        _write_file(root / metadata_path, metadata_bytes(request), made)
        if options_path is not None:
            _write_file(root / options_path, request.options, made)


def read_mutation_dir(root: Path, budget: ReadBudget | None = None) -> list[MutationRequest]:
    """Every request stored under ``root`` (empty when ``root`` does not exist), in path order.

    The tree is read as untrusted (:mod:`mom.mustgather.untrusted`): regular files only, no links
    followed, within ``budget`` (the default :class:`ReadLimits` when none is given).
    """
    budget = budget or ReadBudget()
    root_fd = open_directory(root, str(root))
    if root_fd is None:
        return []
    requests: list[MutationRequest] = []
    try:
        for action in ALL_ACTIONS:
            action_fd = open_directory(action.value, f"{root}/{action.value}", dir_fd=root_fd)
            if action_fd is None:
                continue
            try:
                source = f"{root}/{action.value}"
                for relative, dir_fd, files in walk_tree(action_fd, source, budget, _LAYOUT_DEPTH):
                    present = set(files)
                    for file_name in files:
                        if BODY_MARKER in file_name and file_name.endswith(BODY_SUFFIXES):
                            where = _Directory(dir_fd, f"{source}/{relative}", present, budget)
                            requests.append(_read_request(where, file_name))
            finally:
                os.close(action_fd)
    finally:
        os.close(root_fd)
    return requests


_LAYOUT_DEPTH = 4
"""Directories below an action directory: ``namespaces/<ns>/<group>/<resource>``."""


class _Directory(Frozen):
    """One directory of a mutation tree being read: its descriptor, path and file names."""

    fd: int
    path: str
    files: set[str]
    budget: ReadBudget

    __slots__ = ("budget", "fd", "files", "path")

    def __init__(self, fd: int, path: str, files: set[str], budget: ReadBudget) -> None:
        object.__setattr__(self, "fd", fd)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "budget", budget)

    def read(self, name: str) -> bytes:
        return read_regular_file(name, self.fd, self.source(name), self.budget)

    def source(self, name: str) -> str:
        return f"{self.path}{name}"


def _sibling(directory: _Directory, body_name: str, part: str) -> str | None:
    """The metadata/options file of a body file; same extension first, then the other one."""
    name = body_name.replace("body", part, 1)
    stem, dot, extension = name.rpartition(".")
    candidates = [name] + [f"{stem}{dot}{other[1:]}" for other in BODY_SUFFIXES if other != f".{extension}"]
    for candidate in candidates:
        if candidate in directory.files:
            return candidate
    return None


def _read_request(directory: _Directory, body_name: str) -> MutationRequest:
    body_source = directory.source(body_name)
    metadata_name = _sibling(directory, body_name, "metadata")
    if metadata_name is None:
        expected = body_name.replace("body", "metadata", 1)
        raise InvalidInput(body_source, [f"no metadata file {expected} beside this body file"])
    options_name = _sibling(directory, body_name, "options")
    body = directory.read(body_name)
    options = directory.read(options_name) if options_name is not None else b""
    fields = _parse_metadata(directory.read(metadata_name), directory.source(metadata_name))
    action: Action = fields["action"]
    decoded, kind = None, None
    if not action.is_patch and body.strip():
        decoded = load_document(body, body_source)
        kind = _kind_of_body(decoded, body_source, required=action is not Action.DELETE)
    return MutationRequest(
        action=action,
        gvr=fields["gvr"],
        namespace=fields["namespace"],
        name=fields["name"],
        generate_name=fields["generateName"],
        kind=kind,
        body=body,
        options=options,
        patch_type=fields["patchType"],
        field_manager=fields["fieldManager"],
        controller_instance_name=fields["controllerInstanceName"],
        decoded_body=decoded,
    )


def _kind_of_body(document: Any, source: str, *, required: bool) -> GroupVersionKind | None:
    """The kind a decoded body states; a Delete's options body may state none."""
    if not isinstance(document, dict):
        raise InvalidInput(source, ["body: must be an object with apiVersion and kind"])
    if not required and "kind" not in document:
        return None
    kind = gvk_of(document)
    if not kind.version or not kind.kind:
        raise InvalidInput(source, ["body: apiVersion and kind are required"])
    return kind


_STRING_FIELDS = ("controllerInstanceName", "fieldManager", "generateName", "namespace", "patchType")


def _parse_metadata(content: bytes, source: str) -> dict[str, Any]:
    document = load_document(content, source)
    if not isinstance(document, dict):
        raise InvalidInput(source, ["must be a YAML map of request metadata"])
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for key in _STRING_FIELDS:
        value = document.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(f'{key}: invalid value "{value}": must be a string')
        fields[key] = value if isinstance(value, str) else ""
    name = document.get("name", document.get("mame", ""))
    if not isinstance(name, str):
        problems.append(f'name: invalid value "{name}": must be a string')
    fields["name"] = name if isinstance(name, str) else ""
    action = document.get("action")
    try:
        fields["action"] = Action(str(action))
    except ValueError:
        allowed = ", ".join(a.value for a in ALL_ACTIONS)
        problems.append(f'action: unsupported value "{action}": must be one of {allowed}')
    fields["gvr"] = _parse_resource_type(document.get("resourceType"), problems)
    if problems:
        raise InvalidInput(source, problems)
    return fields


def _parse_resource_type(value: object, problems: list[str]) -> GroupVersionResource:
    if not isinstance(value, dict):
        problems.append("resourceType: required map with Group, Version and Resource")
        return GroupVersionResource("", "", "")
    parts: dict[str, str] = {}
    for key in ("Group", "Version", "Resource"):
        part = value.get(key, "")
        if part is None:
            part = ""
        if not isinstance(part, str):
            problems.append(f'resourceType.{key}: invalid value "{part}": must be a string')
            part = ""
        parts[key] = part
    for key in ("Version", "Resource"):
        if not parts[key]:
            problems.append(f"resourceType.{key}: required value")
    return GroupVersionResource(parts["Group"], parts["Version"], parts["Resource"])
