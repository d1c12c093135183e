"""Small, flat YAML documents read without PyYAML, exactly as mom's YAML loader reads them.

Loading PyYAML costs a fresh interpreter more than reading a few small YAML files spends on
YAML, and a golden test's ``test.yaml`` is read before its operator can start. A document
takes this path only where its value is certain to be the one the loader
(:mod:`mom.serialization.yamlshape`) builds: printable ASCII without tabs or ``#``; one block
mapping at the first column whose keys are words; each value one of

* a plain scalar on one line that can only be a string: it starts with a letter and is not one
  of YAML 1.1's booleans or null, it starts with ``./``, ``../`` or ``/``, or it is an RFC 3339
  time (kept as a string, as Kubernetes keeps it);
* a quoted scalar on one line, without escapes;
* a block sequence of such scalars, one per line;
* a folded (``>``) or literal (``|``) block scalar, clipped or stripped (``-``), that starts
  with a line of text and whose lines are indented at least as much as that one.

For anything else :func:`plain_yaml_loads` answers :data:`UNSURE` and the caller decodes the
text with PyYAML.
"""

from __future__ import annotations

import re
from typing import Any

from mom.serialization.plainjson import UNSURE

MAX_BYTES = 64 * 1024
"""Size beyond which a document is left to PyYAML."""

_UNSUPPORTED = re.compile(r"[^\n -\"$-~]")
"""A character outside printable ASCII and line feeds, or ``#`` (a comment may start there)."""
_ENTRY = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.*)")
_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)")
_NOT_STRINGS = frozenset(("yes", "no", "true", "false", "on", "off", "null"))
"""YAML 1.1's booleans and null, in every case (the resolver knows three spellings of each)."""
_BLOCK_SCALARS = {">": (True, "\n"), ">-": (True, ""), "|": (False, "\n"), "|-": (False, "")}
"""Header -> (folded, what ends the value)."""


class _Unsure(Exception):
    """The text leaves the subset this module reads."""


def plain_yaml_loads(text: str) -> Any:
    """``text`` as the YAML loader reads it, or :data:`UNSURE`."""
    if type(text) is not str or len(text) > MAX_BYTES or _UNSUPPORTED.search(text):
        return UNSURE
    lines = text.split("\n")
    try:
        return _mapping(lines)
    except _Unsure:
        return UNSURE


def _mapping(lines: list[str]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    at = _skip_blank(lines, 0)
    while at < len(lines):
        entry = _ENTRY.fullmatch(lines[at].rstrip(" "))
        if entry is None or entry[1] in document or entry[1].lower() in _NOT_STRINGS:
            raise _Unsure
        key, value = entry[1], entry[2]
        if value in _BLOCK_SCALARS:
            document[key], at = _block_scalar(lines, at + 1, *_BLOCK_SCALARS[value])
        elif value is None:
            document[key], at = _sequence(lines, at + 1)
        else:
            document[key], at = _scalar(value), at + 1
        at = _skip_blank(lines, at)
        if at < len(lines) and lines[at][:1] == " ":
            raise _Unsure  # a continued scalar, a nested mapping, or a mistake: PyYAML knows
    if not document:
        raise _Unsure
    return document


def _skip_blank(lines: list[str], at: int) -> int:
    while at < len(lines) and not lines[at].strip(" "):
        at += 1
    return at


def _scalar(value: str) -> str:
    """A one-line scalar that can only be a string."""
    first = value[:1]
    if first == '"' or first == "'":
        if len(value) < 2 or value[-1] != first or first in value[1:-1] or "\\" in value:
            raise _Unsure
        return value[1:-1]
    if ": " in value or value.endswith(":"):
        raise _Unsure
    if first.isalpha():
        if value.lower() in _NOT_STRINGS:
            raise _Unsure
        return value
    if value.startswith(("./", "../", "/")) or _TIME.fullmatch(value):
        return value
    raise _Unsure


def _sequence(lines: list[str], at: int) -> tuple[list[str], int]:
    """The block sequence of one-line scalars that starts at ``lines[at]``."""
    items: list[str] = []
    indent = None
    at = _skip_blank(lines, at)
    while at < len(lines):
        item = _ITEM.fullmatch(lines[at].rstrip(" "))
        if item is None:
            break
        if indent is None:
            indent = item[1]
        elif item[1] != indent:
            raise _Unsure
        items.append(_scalar(item[2]))
        at = _skip_blank(lines, at + 1)
    if not items:
        raise _Unsure  # a null value, or a nested mapping
    return items, at


def _block_scalar(lines: list[str], at: int, folded: bool, end: str) -> tuple[str, int]:
    """The content of the block scalar whose lines start at ``lines[at]``, folded as PyYAML folds:
    a line break between two lines that start with text becomes a space when no empty line
    separates them, and is dropped when some do; around a more indented line it is kept."""
    content: list[str] = []  # "" for an empty line; the others from the indentation on
    indent, last = 0, at
    while at < len(lines):
        line = lines[at]
        spaces = len(line) - len(line.lstrip(" "))
        if spaces == len(line):  # an empty line, or spaces kept as content
            if not indent:
                raise _Unsure  # before the first line, PyYAML may take them for the indentation
            content.append(line[indent:])
        elif spaces == 0:
            break
        elif not indent:
            indent = spaces
            content.append(line[spaces:])
        elif spaces >= indent:
            content.append(line[indent:])
        else:
            raise _Unsure  # less indented than the first line
        if content[-1]:
            last = at
        at += 1
    while content and not content[-1]:
        content.pop()
    if not content:
        raise _Unsure
    if last == len(lines) - 1:
        end = ""  # the text ends without a line break
    value, previous, empty = content[0], content[0], 0
    for line in content[1:]:
        if not line:
            empty += 1
            continue
        if folded and previous[0] != " " and line[0] != " ":
            value += "\n" * empty if empty else " "
        else:
            value += "\n" * (1 + empty)
        value += line
        previous, empty = line, 0
    return value + end, at
