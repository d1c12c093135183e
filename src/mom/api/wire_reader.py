"""Strict reading of decoded wire documents, every problem collected with its field path.

Owns: :class:`WireReader`, which the document types (input-resources, output-resources) use
to read maps, lists and strings while recording Kubernetes-style problems
(``a.b[0].c: Required value: must be present``) instead of stopping at the first one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def field_path(parent: str, key: str) -> str:
    """``parent.key``, or ``key`` at the top of a document."""
    return f"{parent}.{key}" if parent else key


def quote(value: Any) -> str:
    """A value as Kubernetes quotes it in messages (JSON: strings in double quotes)."""
    import json  # for messages only: a document read without problems does not load it

    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return repr(value)


class WireReader:
    """Reads one document; ``problems`` grows as it goes, nothing is raised."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def mapping(self, value: Any, path: str, allowed: Iterable[str] | None) -> dict[str, Any] | None:
        """``value`` as a map; keys outside ``allowed`` (when given) are problems. ``null`` is ``{}``."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, f"Invalid value: {quote(value)}: must be a map")
            return None
        if allowed is not None:
            known = set(allowed)
            for key in value:
                if key not in known:
                    self.add(field_path(path, str(key)), "Forbidden: unknown field")
        return value

    def items(self, parent: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        """The elements of the list ``parent[key]`` with their paths; ``null`` or absent is empty."""
        value = parent.get(key)
        here = field_path(path, key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(here, f"Invalid value: {quote(value)}: must be a list")
            return []
        return [(f"{here}[{index}]", item) for index, item in enumerate(value)]

    def string(self, parent: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        """``parent[key]`` as a string; ``null`` or absent is ``""`` (so a null group is core)."""
        value = parent.get(key)
        here = field_path(path, key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(here, f"Invalid value: {quote(value)}: must be a string")
            return ""
        if required and not value:
            self.add(here, "Required value: must be present")
        return value

    def strings(self, parent: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        """A list of non-empty strings."""
        result: list[str] = []
        for here, item in self.items(parent, key, path):
            if isinstance(item, str) and item:
                result.append(item)
            else:
                self.add(here, f"Invalid value: {quote(item)}: must be a non-empty string")
        return tuple(result)
