"""YAML written byte-for-byte as Go's ``sigs.k8s.io/yaml`` writes it.

Mutation bodies and options are compared as bytes by the Go harness, so Python and Go must
emit identical text: sorted keys, two-space indent, sequences flush with their parent key,
scalars folded at 80 columns, strings that would read back as another type double-quoted
(go-yaml also reads ``y``/``n`` as booleans), multi-line strings as literal blocks.
"""

from __future__ import annotations

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


def dump_go_yaml(value: Any) -> str:
    """Serialize a JSON-shaped value as Go's YAML writer would."""
    text: str = yaml.dump(
        value,
        Dumper=_GoDumper,
        default_flow_style=False,
        sort_keys=True,
        allow_unicode=True,
        width=80,
    )
    return text
