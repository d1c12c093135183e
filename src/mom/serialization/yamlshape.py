"""The YAML loader behind :mod:`mom.serialization.codec`: JSON-shaped values only, as
:mod:`mom.serialization.jsonshape` defines them, with the line of every refusal.

The codec imports it with the first YAML text it decodes: a command that decodes only JSON (a
manager whose clusters are kept in JSON files) does not load PyYAML to read.
"""

from __future__ import annotations

from typing import Any

import yaml

from mom.serialization.jsonshape import (
    MAX_NESTING,
    NotJsonShaped,
    at_mark,
    at_node,
    checked_int,
)

try:  # The C parser is 10x faster; fall back to the pure-Python one where libyaml is absent.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_STR_TAGS = frozenset({_STR_TAG})
_NOT_JSON_TAGS = ("binary", "set", "omap", "pairs")


class JsonShapedLoader(_BaseLoader):  # type: ignore[valid-type,misc,unused-ignore]
    """Safe loader that keeps timestamps as the strings Kubernetes sends and refuses non-JSON values."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        pairs = node.value
        if {key.tag for key, _ in pairs} <= _STR_TAGS and len({key.value for key, _ in pairs}) == len(pairs):
            plain: dict[Any, Any] = super().construct_mapping(node, deep=deep)  # the common case
            return plain
        seen: set[str] = set()
        for key_node, _ in pairs:
            if key_node.tag == _MERGE_TAG:
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                raise NotJsonShaped(f"mapping key {_shown(key_node)} is not a string{at_node(key_node)}")
            if key_node.value in seen:
                raise NotJsonShaped(f"duplicate mapping key {key_node.value!r}{at_node(key_node)}")
            seen.add(key_node.value)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value: float = super().construct_yaml_float(node)
        if value != value or value in (float("inf"), float("-inf")):
            raise NotJsonShaped(f"{node.value!r} is not a finite number{at_node(node)}")
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value: int = super().construct_yaml_int(node)
        return checked_int(value, node)


def _refuse_tag(loader: JsonShapedLoader, node: yaml.Node) -> Any:
    raise NotJsonShaped(f"a !!{node.tag.rsplit(':', 1)[-1]} value{at_node(node)}")


JsonShapedLoader.add_constructor("tag:yaml.org,2002:float", JsonShapedLoader.construct_yaml_float)
JsonShapedLoader.add_constructor("tag:yaml.org,2002:int", JsonShapedLoader.construct_yaml_int)
for _tag in _NOT_JSON_TAGS:
    JsonShapedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
JsonShapedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def check_yaml_events(text: str) -> None:
    """Refuse YAML ``text`` nested deeper than :data:`MAX_NESTING` by parsing it, not composing
    it: a libyaml without its own depth limit crashes the process composing deep documents."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                raise NotJsonShaped(f"nested deeper than {MAX_NESTING} levels{at_mark(event.start_mark)}")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return "(a mapping)" if isinstance(node, yaml.MappingNode) else "(a list)"
