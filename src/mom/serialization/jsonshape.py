"""Decoding untrusted text into JSON-shaped values only, as Kubernetes reads YAML and JSON.

Owns: the JSON decoder used for input mom does not control, and the checks it shares with the
YAML loader (:mod:`mom.serialization.yamlshape`, which alone imports PyYAML). A value they
return is what JSON can carry — mappings with string keys, lists, strings, finite numbers,
booleans and null — so it can always be written back as JSON or YAML. Refused, each with the
line it is on: duplicate mapping keys, keys that are not strings, ``!!binary``, ``!!set``,
``!!omap``, ``!!pairs`` and other non-JSON tags, ``.nan`` and ``.inf`` (and JSON's ``NaN``,
``Infinity``), strings holding lone UTF-16 surrogates, and nesting deeper than
:data:`MAX_NESTING`.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

MAX_NESTING = 128
"""Deepest nesting of mappings and lists accepted: real objects (CRD schemas included) stay far
below, and values nested much deeper cannot be written back as JSON."""

INT_RANGE = (-(2**63), 2**64 - 1)
"""Integers JSON encoders (and Kubernetes) carry exactly; larger ones are refused."""


class NotJsonShaped(ValueError):
    """A value JSON cannot carry; the message says what and where."""


def yaml_may_nest_deeper(text: str, limit: int) -> bool:
    """Whether YAML ``text`` may nest deeper than ``limit``, judged from the text alone.

    Block nesting is at most the longest run of indentation and ``-``/``?`` indicators that
    starts a line, flow nesting at most the number of non-empty ``[`` and ``{``.
    """
    flow = text.count("[") - text.count("[]") + text.count("{") - text.count("{}")
    if flow > limit:
        return True
    pattern = _line_start_longer_than(limit - flow)
    return pattern.match("\n" + text[: limit + 1]) is not None or pattern.search(text) is not None


@functools.lru_cache(maxsize=64)
def _line_start_longer_than(length: int) -> re.Pattern[str]:
    """A newline followed by more than ``length`` spaces and indicators."""
    return re.compile(rf"\n[ ?-]{{{length + 1}}}")


def check_decoded(value: Any, text: str, may_nest_deeper: bool) -> None:
    """Refuse a decoded value nested deeper than :data:`MAX_NESTING`, or holding a string with a
    lone surrogate; each walk only when the text says it may be needed."""
    if may_nest_deeper and deeper_than(value, MAX_NESTING):
        raise NotJsonShaped(f"nested deeper than {MAX_NESTING} levels")
    if _SURROGATE_ESCAPE.search(text):
        _check_strings(value)


_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")
"""A ``\\uD800``-``\\uDFFF`` escape (YAML double-quoted scalars and JSON): the only way to a lone surrogate."""


def loads_json(text: str) -> Any:
    """Decode JSON text, refusing duplicate keys, NaN/Infinity, lone surrogates and deep nesting."""
    import json  # on first use: reading YAML alone does without it

    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_constant=_no_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
    except RecursionError as exc:
        raise NotJsonShaped(f"nested deeper than {MAX_NESTING} levels") from exc
    check_decoded(value, text, text.count("[") + text.count("{") > MAX_NESTING)
    return value


def deeper_than(value: Any, limit: int) -> bool:
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth + 1 > limit:
                return True
            pending.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return False


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise NotJsonShaped(f"duplicate object key {key!r}")
            seen.add(key)
    return mapping


def _json_int(text: str) -> int:
    return checked_int(int(text), None)


def _json_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise NotJsonShaped(f"{text} is too large for a number")
    return value


def checked_int(value: int, node: yaml.Node | None) -> int:
    if not INT_RANGE[0] <= value <= INT_RANGE[1]:
        where = at_node(node) if node is not None else ""
        raise NotJsonShaped(f"integer {value} is outside the 64-bit range{where}")
    return value


def _no_constant(name: str) -> Any:
    raise NotJsonShaped(f"{name} is not a JSON number")


def _check_strings(value: Any) -> None:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            _check_text(item, None)
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _check_text(value: str, node: yaml.Node | None) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = at_node(node) if node is not None else ""
        raise NotJsonShaped(f"string holds a lone surrogate (\\u{ord(value[exc.start]):04x}){where}") from exc


def at_node(node: yaml.Node) -> str:
    return at_mark(node.start_mark)


def at_mark(mark: Any) -> str:
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
