"""One column of a ``Table`` and the cell helpers every printer uses.

Owns :class:`Column` (name, type, how a cell is computed from an object and "now", and the
priority — above 0 only with ``-o wide``), :func:`human_duration` (an age as kubectl prints one)
and :func:`age` (the age of an RFC 3339 time at "now").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mom.mustgather.gathered import parse_time
from mom.mustgather.reader import Object

Cell = Callable[[Object, datetime], Any]
NONE = "<none>"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    cell: Cell
    format: str = ""
    priority: int = 0

    def definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "description": f"{self.name} of the object",
            "priority": self.priority,
        }


def human_duration(seconds: float) -> str:
    """An age the way kubectl prints one: ``45s``, ``5m10s``, ``3h``, ``12d``, ``2y40d``."""
    if seconds < -1:
        return "<invalid>"
    s = max(int(seconds), 0)
    minutes, hours, days = s // 60, s // 3600, s // 86400
    if s < 120:
        return f"{s}s"
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 192:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 730:
        return f"{days}d"
    years = days // 365
    if years < 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def age(value: Any, now: datetime) -> str:
    """The age of the RFC 3339 time ``value`` at ``now``; ``<unknown>`` when it is not one."""
    then = parse_time(value)
    return "<unknown>" if then is None else human_duration((now - then).total_seconds())


def section(obj: Any, *path: str) -> Any:
    """``obj[path[0]][path[1]]...``, or ``None`` where a step is missing or not a mapping."""
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def items(value: Any) -> list[Object]:
    """The mappings of a list; nothing for anything else."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def field(*path: str, default: Any = NONE) -> Cell:
    """A cell showing the value at ``path`` (``default`` when missing or empty)."""

    def cell(obj: Object, now: datetime) -> Any:
        del now
        value = section(obj, *path)
        return default if value in (None, "", [], {}) else value

    return cell


def number(*path: str) -> Cell:
    """A cell showing the integer at ``path``, 0 when missing."""

    def cell(obj: Object, now: datetime) -> Any:
        del now
        value = section(obj, *path)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    return cell


def name(obj: Object, now: datetime) -> Any:
    del now
    return section(obj, "metadata", "name") or ""


def created(obj: Object, now: datetime) -> Any:
    return age(section(obj, "metadata", "creationTimestamp"), now)


NAME = Column("Name", "string", name, format="name")
AGE = Column("Age", "string", created)
