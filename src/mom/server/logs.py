"""The pod ``log`` subresource, served from the container logs a must-gather holds.

Owns :func:`pod_log`. ``oc adm must-gather`` writes each container's log (with ``--timestamps``)
to ``namespaces/<ns>/pods/<pod>/<container>/<container>/logs/current.log``, and the previous
instance's to ``previous.log`` beside it (``previous.insecure.log`` when that is all there is).
The query parameters ``kubectl logs`` sends are honoured: ``container`` (the only container, or
the ``kubectl.kubernetes.io/default-container`` annotation's, when absent), ``previous``,
``timestamps`` (each line's leading RFC 3339 time is kept only when asked for), ``sinceTime`` and
``sinceSeconds`` (counted back from the server's "now"), ``tailLines`` and ``limitBytes``.
``follow`` answers with what there is and ends. A log file is only read when it lies inside
the tree; names come from the pod in the snapshot, never from the request alone.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.client.messages import ApiRequest, ApiResponse, status_response
from mom.client.paths import ResourcePath
from mom.mustgather.reader import Object

TEXT = "text/plain"
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
CURRENT_FILES = ("current.log",)
PREVIOUS_FILES = ("previous.log", "previous.insecure.log")
MAX_LOG_BYTES = 1 << 30
"""A log file larger than this is not read into memory."""

_STAMP_RE = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d) ")


@dataclass(frozen=True)
class LogOptions:
    """The query of one log request, checked."""

    container: str
    previous: bool
    timestamps: bool
    since: datetime | None
    tail_lines: int | None
    limit_bytes: int | None

    @classmethod
    def of(cls, request: ApiRequest, pod: Object, now: datetime) -> LogOptions:
        problems: list[str] = []
        since = _since(request, now, problems)
        tail = _count(request.param("tailLines"), "tailLines", 0, problems)
        limit = _count(request.param("limitBytes"), "limitBytes", 1, problems)
        container = _container(request.param("container"), pod, problems)
        if problems:
            raise InvalidInput("pod log options", problems)
        return cls(
            container=container,
            previous=request.param("previous") in ("true", "1"),
            timestamps=request.param("timestamps") in ("true", "1"),
            since=since,
            tail_lines=tail,
            limit_bytes=limit,
        )


def _count(text: str, field: str, least: int, problems: list[str]) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        problems.append(f"{field}: invalid value {text!r}: must be an integer")
        return None
    if value < least:
        problems.append(f"{field}: invalid value {text!r}: must be at least {least}")
        return None
    return value


def _since(request: ApiRequest, now: datetime, problems: list[str]) -> datetime | None:
    since_time, since_seconds = request.param("sinceTime"), request.param("sinceSeconds")
    if since_time and since_seconds:
        problems.append("sinceTime and sinceSeconds: at most one may be set")
        return None
    if since_time:
        parsed = _parse_stamp(since_time.encode("latin-1", "replace") + b" ")
        if parsed is None:
            problems.append(f"sinceTime: invalid value {since_time!r}: must be an RFC 3339 time")
        return parsed
    seconds = _count(since_seconds, "sinceSeconds", 1, problems)
    return now - timedelta(seconds=seconds) if seconds is not None else None


def _names(pod: Object, field: str) -> list[str]:
    spec = pod.get("spec")
    containers = spec.get(field) if isinstance(spec, dict) else None
    if not isinstance(containers, list):
        return []
    return [c["name"] for c in containers if isinstance(c, dict) and isinstance(c.get("name"), str)]


def _container(asked: str, pod: Object, problems: list[str]) -> str:
    containers = _names(pod, "containers")
    every = containers + _names(pod, "initContainers") + _names(pod, "ephemeralContainers")
    name = (pod.get("metadata") or {}).get("name", "")
    if asked:
        if asked not in every:
            problems.append(f"container {asked!r} is not valid for pod {name!r}: choose one of {every}")
        return asked
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    default = annotations.get(DEFAULT_CONTAINER_ANNOTATION) if isinstance(annotations, dict) else None
    if isinstance(default, str) and default in every:
        return default
    if len(containers) == 1:
        return containers[0]
    problems.append(f"a container name must be specified for pod {name!r}, choose one of: {containers}")
    return ""


def _parse_stamp(line: bytes) -> datetime | None:
    match = _STAMP_RE.match(line)
    if match is None:
        return None
    seconds, fraction, zone = (part.decode("ascii") if part else "" for part in match.groups())
    micro = fraction[:6].ljust(6, "0")
    text = f"{seconds}.{micro}{'+00:00' if zone == 'Z' else zone}"
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None


def _log_file(root: Path, namespace: str, pod: str, options: LogOptions) -> Path | None:
    """The log file inside ``root``, or ``None`` when the tree holds none."""
    directory = (
        root / "namespaces" / namespace / "pods" / pod / options.container / options.container / "logs"
    )
    resolved_root = root.resolve()
    for file_name in PREVIOUS_FILES if options.previous else CURRENT_FILES:
        candidate = directory / file_name
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real.is_relative_to(resolved_root) and real.is_file():
            return real
    return None


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        if os.fstat(stream.fileno()).st_size > MAX_LOG_BYTES:
            return None
        return stream.read(MAX_LOG_BYTES + 1)


def _select(content: bytes, options: LogOptions) -> bytes:
    lines = content.splitlines(keepends=True)
    if options.since is not None:
        kept: list[bytes] = []
        keep = False
        for line in lines:
            stamp = _parse_stamp(line)
            if stamp is not None:
                keep = stamp >= options.since
            if keep:
                kept.append(line)
        lines = kept
    if options.tail_lines is not None:
        lines = lines[len(lines) - options.tail_lines :] if options.tail_lines else []
    if not options.timestamps:
        lines = [_without_stamp(line) for line in lines]
    body = b"".join(lines)
    return body[: options.limit_bytes] if options.limit_bytes is not None else body


def _without_stamp(line: bytes) -> bytes:
    match = _STAMP_RE.match(line)
    return line[match.end() :] if match else line


def pod_log(
    root: Path | None, pod: Object, request: ApiRequest, target: ResourcePath, now: datetime
) -> ApiResponse:
    """The answer to ``GET .../pods/<name>/log`` for ``pod`` (already read from the snapshot)."""
    try:
        options = LogOptions.of(request, pod, now)
    except InvalidInput as exc:
        return status_response(400, str(exc), target)
    path = _log_file(root, target.namespace, target.name, options) if root is not None else None
    content = _read(path) if path is not None else None
    if content is None:
        which = "previous terminated container" if options.previous else "container"
        message = (
            f'{which} "{options.container}" in pod "{target.name}": the must-gather holds no log '
            f"({'/'.join(PREVIOUS_FILES if options.previous else CURRENT_FILES)})"
        )
        if options.previous:
            return status_response(400, message, target)
        return status_response(404, message, target)
    return ApiResponse(200, _select(content, options), TEXT)
