"""Decoding untrusted YAML/JSON safely, and fast JSON for mom's own caches.

Every decoder here takes a ``source`` (a path or a name) that error messages quote, so a
user sees which file is wrong. Limits protect against hostile input: a size cap, and a cap on
how many nodes YAML aliases may expand to (the "billion laughs" bomb).
"""

from __future__ import annotations

import sys
from typing import Any

from mom.api.errors import InvalidInput
from mom.serialization.jsonshape import (
    MAX_NESTING,
    NotJsonShaped,
    check_decoded,
    loads_json,
    yaml_may_nest_deeper,
)
from mom.serialization.plainjson import UNSURE, plain_dumps, plain_loads
from mom.serialization.plainyaml import plain_yaml_loads

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Largest file mom decodes; real must-gather files stay far below (the largest List is a few MB)."""

LIBYAML_SAFE_NESTING = 1000
"""Texts that may nest deeper than this are parsed for depth before libyaml composes them."""

MAX_ALIAS_EXPANSION = 10_000
"""How many aliased nodes one document may reference before it is treated as a bomb."""


def _alias_count(text: str) -> int:
    """Upper bound of alias uses: ``*name`` tokens outside quoted scalars are aliases."""
    return text.count("*")


_BEFORE_ANCHOR = frozenset("[{,:\ufeff")
_NOT_ANCHOR_NAME = frozenset("[]{},")


def _may_hold_anchors(text: str) -> bool:
    """Whether ``text`` may hold an anchor: ``&`` and a name character, at the start of the text
    or after a space, a line break, a flow indicator, ``:`` or a byte order mark. A text with no
    such ``&`` has no anchors, hence no aliases either (an alias of no anchor does not parse)."""
    at = text.find("&")
    while at != -1:
        before = text[at - 1] if at else " "
        after = text[at + 1 : at + 2]
        if (
            (before.isspace() or before in _BEFORE_ANCHOR)
            and after
            and not after.isspace()
            and after not in _NOT_ANCHOR_NAME
        ):
            return True
        at = text.find("&", at + 1)
    return False


def load_yaml_text(text: str, source: str) -> Any:
    """Decode one YAML (or JSON) document; ``None`` for an empty document."""
    import yaml  # on first use: JSON files are decoded without PyYAML

    from mom.serialization.yamlshape import (
        JsonShapedLoader,
        PlainJsonLoader,
        check_yaml_events,
        documents_from_events,
    )

    anchors = _may_hold_anchors(text)
    if anchors and _alias_count(text) > 0:
        _check_alias_expansion(text, source)
    try:
        deep = yaml_may_nest_deeper(text, MAX_NESTING)
        built = None
        if deep and yaml_may_nest_deeper(text, LIBYAML_SAFE_NESTING):
            built = None if anchors else documents_from_events(text)
            if built is None:
                check_yaml_events(text)
        if built is None:
            built = _constructed(text, JsonShapedLoader if deep or anchors else PlainJsonLoader)
        documents = [doc for doc in built if doc is not None]
        for document in documents:
            check_decoded(document, text, deep)
    except NotJsonShaped as exc:
        raise InvalidInput(source, [f"not representable as JSON: {exc}"]) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(source, [f"malformed YAML: {_one_line(exc)}"]) from exc
    if not documents:
        return None
    return documents[0]


def _constructed(text: str, loader: Any) -> list[Any]:
    """Every document of ``text`` built by ``loader``. PyYAML's constructors fail with plain
    Python errors on a value that does not fit the tag written on it (``!!bool maybe``,
    ``!!int ''``, ``!!map [1]``); those are malformed YAML like any other."""
    import yaml

    try:
        return list(yaml.load_all(text, Loader=loader))
    except NotJsonShaped:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise yaml.YAMLError(
            f"a value does not fit the tag written on it ({type(exc).__name__}: {exc})"
        ) from exc


def _check_alias_expansion(text: str, source: str) -> None:
    """Refuse documents whose anchors would expand past ``MAX_ALIAS_EXPANSION`` nodes."""
    import yaml

    from mom.serialization.yamlshape import JsonShapedLoader

    try:
        events = yaml.parse(text, Loader=JsonShapedLoader)
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(source, [f"not UTF-8 text: {exc.reason} at byte {exc.start}"]) from exc
    if looks_like_json(data):
        try:
            return loads_json(text)
        except NotJsonShaped as exc:
            raise InvalidInput(source, [f"not representable as JSON: {exc}"]) from exc
        except ValueError:
            pass  # YAML flow style also starts with a brace; let the YAML parser judge it.
    else:  # block YAML as Kubernetes tools write it reads faster without PyYAML than with it
        value = plain_yaml_loads(text)
        if value is not UNSURE:
            return value
    return load_yaml_text(text, source)


def load_json(data: bytes, source: str) -> Any:
    if "orjson" not in sys.modules:  # until it is loaded, small plain documents do without it
        value = plain_loads(data)
        if value is not UNSURE:
            return value
    import orjson  # on first use: a command that never needs it does not load it (nor uuid)

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(source, [f"malformed JSON: {exc}"]) from exc


def dump_json(value: Any, *, indent: bool = False, sort_keys: bool = False) -> bytes:
    if not indent and "orjson" not in sys.modules:
        text = plain_dumps(value, sort_keys=sort_keys)
        if text is not UNSURE:
            return bytes(text)
    import orjson

    option = (orjson.OPT_INDENT_2 if indent else 0) | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    return orjson.dumps(value, option=option)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
