"""Small, plain JSON documents through the standard library, exactly as orjson treats them.

Loading orjson costs a fresh interpreter more than a run that exchanges a few small documents
spends on JSON. A document takes this path only where the two libraries agree byte for byte
(encoding) and value for value (decoding): dicts with ``str`` keys, lists, tuples, strings
without lone surrogates, integers in orjson's 64-bit range, booleans and ``None``, not nested
deeper than :data:`MAX_DEPTH`. Floats are left to orjson (their text and rounding are its
own), as are a byte order mark, ``\\uD800``-``\\uDFFF`` escapes, NaN and anything malformed:
for those, and for large documents, both functions answer :data:`UNSURE`.
"""

from __future__ import annotations

import re
from typing import Any

UNSURE: Any = object()
"""The answer when only orjson may say what a document is (or what is wrong with it)."""

MAX_NODES = 1024
"""Values, keys included, beyond which a document to encode is left to orjson (it is faster)."""

MAX_BYTES = 64 * 1024
"""Size beyond which a document to decode is left to orjson."""

MAX_DEPTH = 128
"""Containers nested deeper than this are left to orjson (it refuses past 254 when encoding)."""

INT_MIN, INT_MAX = -(2**63), 2**64 - 1
"""orjson's integers: a signed or unsigned 64-bit value; it reads larger ones as floats."""

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_BOM = b"\xef\xbb\xbf"


class _Unsure(Exception):
    """A decoded number orjson would read differently: the document is left to orjson."""


def plain_dumps(value: Any, *, sort_keys: bool = False) -> bytes | Any:
    """``value`` as ``orjson.dumps(value)`` writes it (with ``OPT_SORT_KEYS`` when ``sort_keys``:
    keys in code point order, which is their UTF-8 bytes' order too), or :data:`UNSURE`."""
    if not _is_plain(value):
        return UNSURE
    import json  # on first use, as in plain_loads

    text = json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), check_circular=False, sort_keys=sort_keys
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which orjson refuses in its own words
        return UNSURE


def plain_loads(data: bytes) -> Any:
    """``data`` as ``orjson.loads(data)`` reads it, or :data:`UNSURE`."""
    if (
        type(data) is not bytes
        or len(data) > MAX_BYTES
        or data.startswith(_BOM)
        or b"\x00" in data[:4]
        or _SURROGATE_ESCAPE.search(data)
    ):
        return UNSURE  # a NUL in the first bytes makes the standard library guess UTF-16 or UTF-32
    import json  # on first use: reading YAML alone does without it

    try:
        return json.loads(data, parse_int=_int, parse_float=_unsure, parse_constant=_unsure)
    except (ValueError, RecursionError, _Unsure):
        return UNSURE


def _int(text: str) -> int:
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise _Unsure(text)
    return value


def _unsure(text: str) -> Any:
    raise _Unsure(text)


def _is_plain(value: Any) -> bool:
    nodes = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        nodes += 1
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if not INT_MIN <= item <= INT_MAX:
                return False
            continue
        if nodes > MAX_NODES or depth >= MAX_DEPTH:
            return False
        if kind is dict:
            if any(type(key) is not str for key in item):
                return False
            nodes += len(item)
            pending.extend((child, depth + 1) for child in item.values())
        elif kind is list or kind is tuple:
            pending.extend((child, depth + 1) for child in item)
        else:
            return False
    return nodes <= MAX_NODES
