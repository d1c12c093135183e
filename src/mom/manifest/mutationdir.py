"""Mutation directories: recorded write requests on disk, written and read like library-go.

Layout (FORMATS.md §2.4): ``<Action>/(cluster-scoped-resources|namespaces/<ns>)/<group>/<resource>/``
holding ``<hhhh>-body-<name>.yaml``, ``<hhhh>-metadata-<name>.yaml`` and, when the request had
options, ``<hhhh>-options-<name>.yaml``; ``hhhh`` is the last two bytes of the SHA-256 of the body.

Differences from the Go code, all readable by it: two *different* requests that map to the same
file names get a de-conflicting prefix (``<hhhh>-2-body-...``) instead of overwriting each other;
files are replaced atomically; a name too long for a file name is cut and suffixed with its
hash in the file name (the metadata file holds it whole); ``.json`` bodies are read and their kind is taken from them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mom.api.cluster import ALL_ACTIONS, Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource, gvk_of
from mom.manifest.requests import MutationRequest
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
            return hashlib.sha256(content).hexdigest()[-4:]
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


MAX_NAME_IN_FILE = 160
"""Longest object name (after ``:`` is replaced) that goes into a file name whole: with the prefix
and suffix a file name stays under the 255 bytes file systems allow."""


def _name_in_file(object_name: str) -> str:
    """``object_name`` as file names hold it; a long one is cut and told apart by its hash (the
    metadata file keeps the whole name, and readers take it from there)."""
    shown = object_name.replace(":", COLON_REPLACEMENT)
    if len(shown.encode("utf-8")) <= MAX_NAME_IN_FILE:
        return shown
    digest = hashlib.sha256(object_name.encode("utf-8")).hexdigest()[:16]
    return shown.encode("utf-8")[: MAX_NAME_IN_FILE - 17].decode("utf-8", "ignore") + "-" + digest


def _paths_with_prefix(request: MutationRequest, prefix: str) -> tuple[str, str, str | None]:
    directory = _directory(request).replace(":", COLON_REPLACEMENT)
    object_name = _name_in_file(request.name + request.generate_name)

    def path(part: str) -> str:
        return f"{directory}/{prefix}-{part}-{object_name}.yaml"

    return path("body"), path("metadata"), path("options") if request.options else None


def request_paths(request: MutationRequest) -> tuple[str, str, str | None]:
    """Relative paths of the body, metadata and (when options are non-empty) options files."""
    return _paths_with_prefix(request, _hash_prefix(request))


def metadata_bytes(request: MutationRequest) -> bytes:
    """The metadata file's content, as current library-go writes it (``name:``)."""
    return dump_go_yaml(request.metadata_wire()).encode("utf-8")


def _write_atomically(path: Path, content: bytes, made: set[Path]) -> None:
    """Replace ``path`` with ``content``; ``made`` remembers directories already created."""
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            os.fchmod(stream.fileno(), FILE_MODE)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


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
        _write_atomically(root / body_path, request.body, made)
        _write_atomically(root / metadata_path, metadata_bytes(request), made)
        if options_path is not None:
            _write_atomically(root / options_path, request.options, made)


def read_mutation_dir(root: Path) -> list[MutationRequest]:
    """Every request stored under ``root`` (empty when ``root`` does not exist), in path order."""
    if not root.is_dir():
        return []
    requests: list[MutationRequest] = []
    for action in ALL_ACTIONS:
        action_dir = root / action.value
        if not action_dir.is_dir():
            continue
        for directory, subdirs, files in os.walk(action_dir):
            subdirs.sort()
            for file_name in sorted(files):
                if BODY_MARKER in file_name and file_name.endswith(BODY_SUFFIXES):
                    requests.append(_read_request(Path(directory), file_name))
    return requests


def _sibling(directory: Path, body_name: str, part: str) -> Path | None:
    """The metadata/options file of a body file; same extension first, then the other one."""
    name = body_name.replace("body", part, 1)
    stem, dot, extension = name.rpartition(".")
    candidates = [name] + [f"{stem}{dot}{other[1:]}" for other in BODY_SUFFIXES if other != f".{extension}"]
    for candidate in candidates:
        if (directory / candidate).is_file():
            return directory / candidate
    return None


def _read_request(directory: Path, body_name: str) -> MutationRequest:
    body_path = directory / body_name
    metadata_path = _sibling(directory, body_name, "metadata")
    if metadata_path is None:
        expected = body_name.replace("body", "metadata", 1)
        raise InvalidInput(str(body_path), [f"no metadata file {expected} beside this body file"])
    options_path = _sibling(directory, body_name, "options")
    body = body_path.read_bytes()
    options = options_path.read_bytes() if options_path is not None else b""
    fields = _parse_metadata(metadata_path)
    action: Action = fields["action"]
    kind = (
        None if action.is_patch else _kind_of_body(body, str(body_path), required=action is not Action.DELETE)
    )
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
    )


def _kind_of_body(body: bytes, source: str, *, required: bool) -> GroupVersionKind | None:
    """The kind a body states; a Delete's options body may state none."""
    if not body.strip():
        return None
    document = load_document(body, source)
    if not isinstance(document, dict):
        raise InvalidInput(source, ["body: must be an object with apiVersion and kind"])
    if not required and "kind" not in document:
        return None
    kind = gvk_of(document)
    if not kind.version or not kind.kind:
        raise InvalidInput(source, ["body: apiVersion and kind are required"])
    return kind


_STRING_FIELDS = ("controllerInstanceName", "fieldManager", "generateName", "namespace", "patchType")


def _parse_metadata(path: Path) -> dict[str, Any]:
    source = str(path)
    document = load_document(path.read_bytes(), source)
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
