"""YAML written byte-for-byte as Go's ``sigs.k8s.io/yaml`` writes it.

Mutation bodies and options are compared as bytes by the Go harness, so Python and Go must
emit identical text: sorted keys, two-space indent, sequences flush with their parent key,
scalars folded at 80 columns, strings that would read back as another type double-quoted
(go-yaml also reads ``y``/``n`` as booleans), multi-line strings as literal blocks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import yaml

_GO_BOOLEAN_WORDS = frozenset({"y", "Y", "n", "N"})


try:  # libyaml's emitter is several times faster; the pure-Python one writes the same bytes.
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseDumper = yaml.SafeDumper


class _GoDumper(_BaseDumper):  # type: ignore[valid-type,misc,unused-ignore]
    """A SafeDumper that never writes aliases and quotes strings the way go-yaml v2 does."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    resolved = dumper.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if resolved != "tag:yaml.org,2002:str" or text in _GO_BOOLEAN_WORDS:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_GoDumper.add_representer(str, _represent_str)


MEMO_ENTRIES = 2048
"""How many recent values :func:`dump_go_yaml` remembers the text of."""
MEMO_LARGEST = 64 * 1024
"""Values whose ``repr`` is longer than this are not remembered."""

_memo: OrderedDict[str, str] = OrderedDict()
_memo_lock = threading.Lock()


def dump_go_yaml(value: Any) -> str:
    """Serialize a JSON-shaped value as Go's YAML writer would.

    Operators that have converged send the same bodies run after run, and the representer is
    pure Python (about a millisecond for a typical object), so recent results are remembered,
    keyed by ``repr``: equal reprs of JSON-shaped values mean equal types and contents, key
    order aside, which the output sorts anyway.
    """
    key = repr(value)
    if len(key) > MEMO_LARGEST:
        return _dump(value)
    with _memo_lock:
        text = _memo.get(key)
        if text is not None:
            _memo.move_to_end(key)
            return text
    text = _dump(value)
    with _memo_lock:
        _memo[key] = text
        if len(_memo) > MEMO_ENTRIES:
            _memo.popitem(last=False)
    return text


def _dump(value: Any) -> str:
    text: str = yaml.dump(
        value,
        Dumper=_GoDumper,
        default_flow_style=False,
        sort_keys=True,
        allow_unicode=True,
        width=80,
    )
    return text
