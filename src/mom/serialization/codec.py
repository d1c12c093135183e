"""Decoding untrusted YAML/JSON safely, and fast JSON for mom's own caches.

Every decoder here takes a ``source`` (a path or a name) that error messages quote, so a
user sees which file is wrong. Limits protect against hostile input: a size cap, and a cap on
how many nodes YAML aliases may expand to (the "billion laughs" bomb).
"""

from __future__ import annotations

from typing import Any

import orjson
import yaml

from mom.api.errors import InvalidInput

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Largest file mom decodes; real must-gather files stay far below (the largest List is a few MB)."""

MAX_ALIAS_EXPANSION = 10_000
"""How many aliased nodes one document may reference before it is treated as a bomb."""

try:  # The C loader is 10x faster; fall back to the pure-Python one where libyaml is absent.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _TextLoader(_BaseLoader):  # type: ignore[valid-type,misc,unused-ignore]
    """Safe loader that keeps timestamps as the strings Kubernetes sends."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _alias_count(text: str) -> int:
    """Upper bound of alias uses: ``*name`` tokens outside quoted scalars are aliases."""
    return text.count("*")


def load_yaml_text(text: str, source: str) -> Any:
    """Decode one YAML (or JSON) document; ``None`` for an empty document."""
    if "&" in text and _alias_count(text) > 0:
        _check_alias_expansion(text, source)
    try:
        documents = [doc for doc in yaml.load_all(text, Loader=_TextLoader) if doc is not None]
    except yaml.YAMLError as exc:
        raise InvalidInput(source, [f"malformed YAML: {_one_line(exc)}"]) from exc
    if not documents:
        return None
    return documents[0]


def _check_alias_expansion(text: str, source: str) -> None:
    """Refuse documents whose anchors would expand past ``MAX_ALIAS_EXPANSION`` nodes."""
    try:
        events = yaml.parse(text, Loader=_BaseLoader)
        sizes: dict[str, int] = {}
        stack: list[tuple[str | None, int]] = []
        total = 0
        for event in events:
            if isinstance(event, yaml.AliasEvent):
                weight = sizes.get(str(event.anchor), 1)
                total += weight
                if stack:
                    anchor, count = stack[-1]
                    stack[-1] = (anchor, count + weight)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append((event.anchor, 1))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, count = stack.pop()
                if anchor is not None:
                    sizes[anchor] = count
                if stack:
                    parent, parent_count = stack[-1]
                    stack[-1] = (parent, parent_count + count)
            elif isinstance(event, yaml.ScalarEvent) and stack:
                anchor, count = stack[-1]
                stack[-1] = (anchor, count + 1)
            if total > MAX_ALIAS_EXPANSION:
                raise InvalidInput(
                    source, [f"YAML aliases expand past {MAX_ALIAS_EXPANSION} nodes (an alias bomb?)"]
                )
    except yaml.YAMLError as exc:
        raise InvalidInput(source, [f"malformed YAML: {_one_line(exc)}"]) from exc


def looks_like_json(data: bytes) -> bool:
    """Whether ``data`` (a whole file or its first bytes) starts as a JSON object or array does."""
    return data.lstrip()[:1] in (b"{", b"[")


def load_document(data: bytes, source: str) -> Any:
    """Decode a file's bytes: JSON when it looks like JSON, YAML otherwise."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            source, [f"file is {len(data)} bytes, larger than the {MAX_DOCUMENT_BYTES} bytes mom accepts"]
        )
    if looks_like_json(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # YAML flow style also starts with a brace; let the YAML parser judge it.
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(source, [f"not UTF-8 text: {exc.reason} at byte {exc.start}"]) from exc
    return load_yaml_text(text, source)


def load_json(data: bytes, source: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(source, [f"malformed JSON: {exc}"]) from exc


def dump_json(value: Any, *, indent: bool = False, sort_keys: bool = False) -> bytes:
    option = (orjson.OPT_INDENT_2 if indent else 0) | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    return orjson.dumps(value, option=option)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
