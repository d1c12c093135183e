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
from mom.serialization.tags import MAP_TAG, SEQ_TAG, STR_TAG, NoPathResolvers, implicit_resolver

try:  # The C parser is 10x faster; fall back to the pure-Python one where libyaml is absent.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAGS = frozenset({STR_TAG})
_NOT_JSON_TAGS = ("binary", "set", "omap", "pairs")


class JsonShapedLoader(NoPathResolvers, _BaseLoader):  # type: ignore[valid-type,misc,unused-ignore]
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
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
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


class PlainJsonLoader(JsonShapedLoader):
    """:class:`JsonShapedLoader` for a text without anchors that nests at most :data:`MAX_NESTING`
    deep (the caller checks both): each document is built straight from its node graph, and only
    what is not a plain string, mapping or list goes through the constructor machinery, which
    decides and refuses exactly as :class:`JsonShapedLoader` does."""

    def construct_document(self, node: yaml.Node) -> Any:
        try:
            return self._plain(node)
        finally:
            self.constructed_objects: dict[yaml.Node, Any] = {}
            self.recursive_objects: dict[yaml.Node, None] = {}

    def _plain(self, node: yaml.Node) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode and node.tag == STR_TAG:
            return node.value
        if kind is yaml.MappingNode and node.tag == MAP_TAG:
            pairs = node.value
            if all(type(key) is yaml.ScalarNode and key.tag == STR_TAG for key, _ in pairs) and len(
                {key.value for key, _ in pairs}
            ) == len(pairs):
                return {key.value: self._plain(value) for key, value in pairs}
        elif kind is yaml.SequenceNode and node.tag == SEQ_TAG:
            return [self._plain(item) for item in node.value]
        return self.construct_object(node, deep=True)  # numbers, booleans, null, and every refusal


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
JsonShapedLoader.resolve = implicit_resolver(JsonShapedLoader.yaml_implicit_resolvers)


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


class _Unusual(Exception):
    """What :func:`documents_from_events` leaves to the composer and the constructor."""


_NO_KEY = object()


def documents_from_events(text: str) -> list[Any] | None:
    """The documents of YAML ``text`` (with no anchors) built straight from its parser events,
    nesting deeper than :data:`MAX_NESTING` refused as :func:`check_yaml_events` refuses it: one
    parse instead of that check and a composition. ``None`` when the text holds an alias, an
    explicit tag, a key that is not a distinct string or a value the constructor refuses: decode
    it the usual way, which decides as ever."""
    loader = JsonShapedLoader(text)
    try:
        return _documents(loader)
    except _Unusual:
        return None
    finally:
        loader.dispose()


def _documents(loader: JsonShapedLoader) -> list[Any]:
    documents: list[Any] = []
    frames: list[list[Any]] = []  # [container, pending key] (the key: mappings only)
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.tag is not None:
                raise _Unusual
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            keyed = bool(frames) and frames[-1][1] is _NO_KEY
            if tag == STR_TAG:
                value = event.value
            elif keyed:
                raise _Unusual
            else:
                node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                try:
                    value = loader.construct_object(node, deep=True)
                except (NotJsonShaped, yaml.YAMLError) as exc:
                    raise _Unusual from exc
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(frames) >= MAX_NESTING:
                raise NotJsonShaped(f"nested deeper than {MAX_NESTING} levels{at_mark(event.start_mark)}")
            if event.tag is not None or (frames and frames[-1][1] is _NO_KEY):
                raise _Unusual
            frames.append([{}, _NO_KEY] if kind is yaml.MappingStartEvent else [[], None])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = frames.pop()[0]
        elif kind is yaml.AliasEvent:
            raise _Unusual
        else:
            continue
        if not frames:
            documents.append(value)
            continue
        frame = frames[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
        elif frame[1] is _NO_KEY:
            if value in container:
                raise _Unusual
            frame[1] = value
        else:
            container[frame[1]] = value
            frame[1] = _NO_KEY
    return documents


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return "(a mapping)" if isinstance(node, yaml.MappingNode) else "(a list)"
