"""When a must-gather was taken, for ages ("5m", "3d") as they were at the time.

Owns :func:`gathered_at`: the newest time in the must-gather's ``timestamp`` file (``oc adm
must-gather`` writes one line when it starts and one when it ends, in Go's time format
``2021-08-03 10:12:00.016988581 +0000 UTC m=+0.38``), looked for in the resource root and the
directory above it (the archive's top), or the newest creation or event time of any object in
the snapshot when that is later (a tree mom has written into since it was gathered: its newest
objects are then "0s" old, never in the future); ``None`` when neither exists.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mom.mustgather.store import Snapshot

TIMESTAMP_FILE = "timestamp"
_MAX_TIMESTAMP_BYTES = 4096
_LINE_RE = re.compile(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))? ([+-]\d{4})")
_OBJECT_TIMES = ("creationTimestamp",)
_EVENT_TIMES = ("lastTimestamp", "eventTime", "firstTimestamp")


def _parse_line(line: str) -> datetime | None:
    match = _LINE_RE.match(line.strip())
    if match is None:
        return None
    day, clock, fraction, offset = match.groups()
    micro = (fraction or "0")[:6].ljust(6, "0")
    try:
        return datetime.strptime(f"{day} {clock}.{micro} {offset}", "%Y-%m-%d %H:%M:%S.%f %z")
    except ValueError:
        return None


def _from_file(root: Path) -> datetime | None:
    for directory in (root, root.parent):
        path = directory / TIMESTAMP_FILE
        try:
            with path.open("rb") as stream:
                text = stream.read(_MAX_TIMESTAMP_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        times = [t for t in map(_parse_line, text.splitlines()) if t is not None]
        if times:
            return max(times).astimezone(UTC)
    return None


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 time (``Z`` or an offset; a time without one is UTC), or ``None`` when ``value`` is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        then = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return then if then.tzinfo is not None else then.replace(tzinfo=UTC)


def _newest_object_time(snapshot: Snapshot) -> datetime | None:
    newest: datetime | None = None
    for _, obj in snapshot.objects():
        metadata = obj.get("metadata")
        candidates = [metadata.get(k) for k in _OBJECT_TIMES] if isinstance(metadata, dict) else []
        candidates += [obj.get(k) for k in _EVENT_TIMES]
        for then in filter(None, map(parse_time, candidates)):
            if newest is None or then > newest:
                newest = then
    return newest


def gathered_at(snapshot: Snapshot) -> datetime | None:
    """When the must-gather behind ``snapshot`` was taken (see the module docstring)."""
    root = snapshot.root
    times = [t for t in (_from_file(root) if root is not None else None, _newest_object_time(snapshot)) if t]
    return max(times) if times else None
