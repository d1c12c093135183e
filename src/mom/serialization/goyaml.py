"""YAML written byte-for-byte as Go's ``sigs.k8s.io/yaml`` writes it.

Mutation bodies and options are compared as bytes by the Go harness, so Python and Go must
emit identical text: sorted keys, two-space indent, sequences flush with their parent key,
scalars folded at 80 columns, strings that would read back as another type double-quoted
(go-yaml also reads ``y``/``n`` as booleans), multi-line strings as literal blocks.

The text is libyaml's, through PyYAML; :mod:`mom.serialization.gowriter` writes the same bytes
without loading PyYAML for the values it is certain of (real Kubernetes objects among them),
and the rest are left to PyYAML.
"""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING, Any

from mom.serialization.gowriter import go_yaml_text
from mom.serialization.plainjson import UNSURE

if TYPE_CHECKING:
    import yaml

_GO_BOOLEAN_WORDS = frozenset({"y", "Y", "n", "N"})


@functools.cache
def _go_dumper() -> type[yaml.SafeDumper]:
    """A SafeDumper that never writes aliases and quotes strings the way go-yaml v2 does; made
    by the first dump left to PyYAML, so a command that writes no such value does not load
    PyYAML. It builds the nodes of mappings, sequences and strings itself, the very nodes
    PyYAML's representer would build, without the representer's generic dispatch for every
    value."""
    import yaml

    # libyaml's emitter is several times faster, and its bytes are the ones gowriter matches; the
    # pure-Python one differs on a few edge cases (long keys, double-quoted folding, top-level scalars).
    try:
        base: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment,unused-ignore]
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeDumper
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    from mom.serialization.tags import MAP_TAG, SEQ_TAG, STR_TAG, NoPathResolvers, implicit_resolver

    def represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
        if "\n" in text:
            return scalar(STR_TAG, text, style="|")
        resolved = dumper.resolve(scalar, text, (True, False))  # type: ignore[no-untyped-call]
        if resolved != STR_TAG or text in _GO_BOOLEAN_WORDS:
            return scalar(STR_TAG, text, style='"')
        return scalar(STR_TAG, text)

    def node_of(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
        """The node PyYAML's representer makes of ``value``, made without its generic dispatch
        for the kinds a JSON value is built of; numbers, booleans and null are left to it."""
        kind = type(value)
        if kind is str:
            return represent_str(dumper, value)
        if kind is dict:
            items = list(value.items())
            with contextlib.suppress(TypeError):  # keys of mixed types stay in order, as PyYAML leaves them
                items.sort()  # keys are unique: values are never compared
            pairs = [(node_of(dumper, key), node_of(dumper, item)) for key, item in items]
            return mapping(MAP_TAG, pairs, flow_style=False)
        if kind is list:
            return sequence(SEQ_TAG, [node_of(dumper, item) for item in value], flow_style=False)
        node: yaml.Node = dumper.represent_data(value)
        return node

    class GoDumper(NoPathResolvers, base):  # type: ignore[valid-type,misc,unused-ignore]
        def ignore_aliases(self, data: Any) -> bool:
            return True

        def represent(self, data: Any) -> None:
            self.serialize(node_of(self, data))

    GoDumper.add_representer(str, represent_str)
    GoDumper.resolve = implicit_resolver(GoDumper.yaml_implicit_resolvers)
    return GoDumper


MEMO_ENTRIES = 2048
"""How many recent values :func:`dump_go_yaml` remembers the text of."""
MEMO_LARGEST = 64 * 1024
"""Values whose ``repr`` is longer than this are not remembered."""


class _Keyed:
    """A value to dump, hashed and compared by its ``repr`` (computed once, before the dump)."""

    __slots__ = ("key", "value")

    def __init__(self, key: str, value: Any) -> None:
        self.key = key
        self.value = value

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and other.key == self.key


@functools.lru_cache(maxsize=MEMO_ENTRIES)
def _remembered_dump(keyed: _Keyed) -> str:
    """The text of ``keyed.value``; the value itself is let go once written, only its ``repr``
    stays as the key (a caller may change the value afterwards)."""
    text = _dump(keyed.value)
    keyed.value = None
    return text


def dump_go_yaml(value: Any) -> str:
    """Serialize a JSON-shaped value as Go's YAML writer would.

    Operators that have converged send the same bodies run after run, and writing is pure
    Python (a few hundred microseconds for a typical object, more through PyYAML), so the
    text of the :data:`MEMO_ENTRIES` most recent values is remembered in one bounded
    least-recently-used cache (``_remembered_dump``, emptied by its ``cache_clear()``), keyed
    by ``repr``: equal reprs of JSON-shaped values mean equal types and contents, key order
    aside, which the output sorts anyway.
    """
    key = repr(value)
    if len(key) > MEMO_LARGEST:
        return _dump(value)
    return _remembered_dump(_Keyed(key, value))


def _dump(value: Any) -> str:
    """The text of ``value``: the writer's, or PyYAML's for a value the writer is not sure of."""
    text = go_yaml_text(value)
    if text is UNSURE:
        return _pyyaml_dump(value)
    written: str = text
    return written


def _pyyaml_dump(value: Any) -> str:
    """The text of ``value`` through PyYAML and libyaml's emitter."""
    import yaml

    text: str = yaml.dump(
        value,
        Dumper=_go_dumper(),
        default_flow_style=False,
        sort_keys=True,
        allow_unicode=True,
        width=80,
    )
    return text
