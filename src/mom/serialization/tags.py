"""The tag of a YAML node written without one, decided as PyYAML's resolver decides it, faster.

Owns the core tag names; :func:`implicit_resolver`, which makes the ``resolve`` method of a
loader or dumper class from that class's table of implicit resolvers: a plain scalar is tried
against the resolvers of its first character only, a quoted one is a string, a collection is
a mapping or a list; and :class:`NoPathResolvers`, for a class that adds no path resolvers,
which then has no path to track. libyaml calls these for every node it composes or emits
(``resolve`` twice for every scalar it emits), so they are among the hottest paths of decoding
and encoding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml

STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

Resolve = Callable[[Any, type[yaml.Node], str | None, Any], str]
"""``resolve(self, kind, value, implicit)``, as PyYAML's composers and serializers call it."""


def implicit_resolver(table: Mapping[str | None, Sequence[tuple[str, re.Pattern[str]]]]) -> Resolve:
    """The ``resolve`` method for a class whose ``yaml_implicit_resolvers`` is ``table``."""
    wildcard = tuple(table.get(None, ()))
    by_first = {first: (*resolvers, *wildcard) for first, resolvers in table.items() if first is not None}

    def resolve(self: Any, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value is not None:
                for tag, regexp in by_first.get(value[:1], wildcard):
                    if regexp.match(value):
                        return tag
            return STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG

    return resolve


class NoPathResolvers:
    """Mixed into a loader or dumper that adds no path resolvers (before PyYAML's classes): the
    node path those would be matched against is not tracked."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None
