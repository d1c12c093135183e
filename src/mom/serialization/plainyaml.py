"""Block YAML as Kubernetes tools write it, read without PyYAML, exactly as mom's YAML loader reads it.

Loading PyYAML costs a fresh interpreter some 30 ms, more than a short-lived operator spends
reading the few objects it needs (and a golden test its ``test.yaml``). :func:`plain_yaml_loads`
answers only where its value is certain to be the one the loader
(:mod:`mom.serialization.yamlshape`) builds, for a text of at most :data:`MAX_BYTES`
characters, each of which the loader reads as itself (printable; no tab, carriage return,
byte order mark or line separator), holding one document:

* blank lines and full-line comments anywhere outside scalars, a ``---`` line before the
  document, and a comment after a value or an empty key;
* a block mapping or a block sequence at the first column as its root;
* block mappings: keys at one column, each unique and followed by ``:`` and a space or the end
  of the line: a plain scalar that reads as a string (not a boolean, null, number or ``<<``)
  of at most 1,000 characters, or a quoted scalar on one line;
* block sequences: ``-`` items at one column, more indented than their key or flush with it;
  an item opens a block mapping (``- key: value``) or a block sequence (``- - item``) on its
  own line, or holds a scalar there, or its node on the lines below;
* ``{}`` and ``[]``;
* plain scalars that do not start with an indicator (``-``, ``?`` and ``:`` may start one
  before a non-space), continued on lines more indented than their collection (a line break
  reads as a space, empty lines as line breaks), without ``: `` in them or a comment on their
  continued lines, and resolved as YAML 1.1 resolves them: the booleans (``yes``, ``no``,
  ``on``, ``off``, ``true``, ``false``) and null (``null``) in their three spellings, ``~``
  and nothing for null too, decimal integers within the 64-bit range, finite decimal floats
  with a point (and a signed exponent), and strings (times among them, as Kubernetes keeps
  them);
* single-quoted scalars (``''`` for a quote) and double-quoted ones (the escapes
  ``\\0 \\a \\b \\t \\n \\v \\f \\r \\e \\  \\" \\/ \\\\ \\N \\_ \\L \\P``, ``\\xXX``,
  ``\\uXXXX`` and ``\\UXXXXXXXX`` outside the surrogates, and an escaped line break), continued
  on lines more indented than their collection and folded as plain scalars are;
* literal (``|``) and folded (``>``) block scalars with any chomping (``-``, ``+``) and
  indentation (``1``-``9``) indicators and at least one line of text (without an indentation
  indicator, no empty line before it may be longer than its indentation);

nested at most :data:`MAX_NESTING` deep. For anything else — anchors, aliases, tags,
directives, complex keys, flow collections with content, other integers (octal, hexadecimal,
binary, sexagesimal, with ``_``) and floats, ``=``, a ``...`` or a second document, an
indented root, an empty document — and for any text the loader refuses, it answers
:data:`UNSURE`: the caller decodes the text with PyYAML, which decides as ever.
"""

from __future__ import annotations

import re
from typing import Any

from mom.serialization.jsonshape import INT_RANGE, MAX_NESTING
from mom.serialization.plainjson import UNSURE

MAX_BYTES = 8 * 1024 * 1024
"""Size beyond which a document is left to PyYAML. Real Kubernetes documents of 10 KB to
3.5 MB (a must-gather's largest Lists) are read here in 0.3 to 1 times what the loader takes
with libyaml, and without importing PyYAML (some 30 ms); the slowest text to read here, one
quoted scalar over many lines, takes about twice what importing PyYAML and decoding it would."""

_NUMBER = re.compile(
    r"([-+]?(?:0|[1-9][0-9]*))|([-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?)"
    r"|[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-9_]+)*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))"
)
"""A decimal integer (group 1), a decimal float (group 2), or another of YAML 1.1's integers
and floats (the sexagesimal, octal, binary and hexadecimal ones, those with ``_``, the
infinities and NaN), with a few strings that look like them: these are left to the loader."""

_NOT_ONLY_STRINGS = frozenset("-+0123456789.yYnNtTfFoO~<=")
"""The first characters of plain scalars that YAML 1.1 may read as something else."""
_BOOLEANS = {
    spelling: value
    for words, value in (("yes true on", True), ("no false off", False))
    for word in words.split()
    for spelling in (word, word.capitalize(), word.upper())
}
_NULLS = frozenset(("~", "null", "Null", "NULL"))
_NOT_PLAIN = frozenset(",[]{}#&*!|>'\"%@`")
"""Indicators a plain scalar cannot start with (``-``, ``?`` and ``:`` can, before a non-space)."""
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_NOT_READ_AS_THEMSELVES = frozenset("\u2028\u2029\ufeff")
_LONGEST_KEY = 1000
"""Longer keys are left to the loader, which refuses simple keys over 1024 characters."""


class _Unsure(Exception):
    """The text leaves the subset this module reads."""


def plain_yaml_loads(text: str) -> Any:
    """``text`` as the YAML loader reads it, or :data:`UNSURE`."""
    if type(text) is not str or len(text) > MAX_BYTES:
        return UNSURE
    lines = text.split("\n")
    if not all(map(str.isprintable, lines)) and not all(map(_readable, lines)):
        return UNSURE
    try:
        return _Reader(text, lines).document()
    except _Unsure:
        return UNSURE


class _Reader:
    """One text, read line by line. A node's reader takes the index of the line it starts on
    and returns the node and the index of the first line after it; ``parent`` is the column
    of the collection holding the node (the indentation its lines must exceed)."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.end = len(lines)

    def document(self) -> Any:
        at, indent = self.next_content(0)
        markers = self.text.count("\n---") + self.text.startswith("---")
        if at < self.end and self.lines[at].rstrip(" ") == "---":
            markers -= 1
            at, indent = self.next_content(at + 1)
        if markers or indent != 0 or "\n..." in self.text or self.text.startswith("..."):
            raise _Unsure  # more documents, an empty or indented one, or a document end
        if _is_item(self.lines[at], 0):
            value, at = self.sequence(at, 0, 1)
        else:
            value, at = self.mapping(at, 0, 1, None)
        if at < self.end:
            raise _Unsure  # a line that fits no collection
        return value

    def next_content(self, at: int) -> tuple[int, int]:
        """The first line from ``at`` that is neither blank nor a comment, and its indentation
        (``-1`` past the end)."""
        lines = self.lines
        while at < self.end:
            line = lines[at]
            content = line.lstrip(" ")
            if content and content[0] != "#":
                return at, len(line) - len(content)
            at += 1
        return at, -1

    def mapping(self, at: int, column: int, depth: int, first: tuple[str, int] | None) -> tuple[Any, int]:
        """The block mapping whose first key is at ``lines[at][column]``; ``first`` is that key
        and where its value starts, when the caller has split it already."""
        if depth > MAX_NESTING:
            raise _Unsure
        mapping: dict[str, Any] = {}
        while True:
            entry = first or _split_key(self.lines[at], column)
            if entry is None:
                raise _Unsure  # not a key: a scalar, or an item not below an empty key
            key, start = entry
            if key in mapping:
                raise _Unsure
            mapping[key], at = self.value(at, start, column, depth, True)
            at, indent = self.next_content(at)
            if indent != column:
                if indent > column:
                    raise _Unsure
                return mapping, at
            first = None

    def sequence(self, at: int, column: int, depth: int) -> tuple[Any, int]:
        """The block sequence whose first ``-`` is at ``lines[at][column]``; it ends before a
        line less indented, or as indented but not an item (the caller judges that line)."""
        if depth > MAX_NESTING:
            raise _Unsure
        items: list[Any] = []
        while True:
            value, at = self.value(at, column + 1, column, depth, False)
            items.append(value)
            at, indent = self.next_content(at)
            if indent > column:
                raise _Unsure
            if indent < column or not _is_item(self.lines[at], column):
                return items, at

    def value(self, at: int, start: int, parent: int, depth: int, keyed: bool) -> tuple[Any, int]:
        """The node after a key's ``:`` (``keyed``) or an item's ``-``, from ``lines[at][start]``."""
        line = self.lines[at]
        text = line[start:].lstrip(" ")
        if not text or text[0] == "#":
            return self.below(at + 1, parent, depth, keyed)
        column = len(line) - len(text)
        first = text[0]
        if first == "-" and text[1:2] in ("", " "):
            if keyed:
                raise _Unsure  # a sequence cannot start on its key's line
            return self.sequence(at, column, depth + 1)
        if not keyed:
            entry = _split_key(line, column)
            if entry is not None:
                return self.mapping(at, column, depth + 1, entry)
        if first == '"' or first == "'":
            value, at, end = self.quoted(at, column, parent)
            _check_rest(self.lines[at], end)
            return value, at + 1
        if first == "|" or first == ">":
            return self.block_scalar(at, text, parent)
        if text[:2] == "{}" or text[:2] == "[]":
            _check_rest(text, 2)
            return ({} if first == "{" else []), at + 1
        return self.plain(at, text, parent)

    def below(self, at: int, parent: int, depth: int, keyed: bool) -> tuple[Any, int]:
        """The node on the lines from ``at`` of a key or an item with nothing after it: a
        collection more indented, a sequence flush with its key, or null."""
        at, indent = self.next_content(at)
        if indent > parent:
            if _is_item(self.lines[at], indent):
                return self.sequence(at, indent, depth + 1)
            return self.mapping(at, indent, depth + 1, None)
        if keyed and indent == parent and _is_item(self.lines[at], indent):
            return self.sequence(at, indent, depth + 1)
        return None, at

    def plain(self, at: int, text: str, parent: int) -> tuple[Any, int]:
        """The plain scalar ``text`` starts on ``lines[at]``, with the more indented lines that
        continue it: a line break between two of them reads as a space, empty lines as breaks."""
        if text[0] in _NOT_PLAIN or (text[0] in "?:" and text[1:2] in ("", " ")):
            raise _Unsure
        comment = text.find(" #")
        if comment != -1:
            text = text[:comment]
        text = text.rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _Unsure  # a mapping on a value's line
        lines = self.lines
        following = lines[at + 1][parent : parent + 1] if at + 1 < self.end else ""
        if comment != -1 or (following and following != " "):
            return _resolved(text), at + 1  # the next line starts at most as indented as the parent
        pieces = [text]
        breaks = 0
        after = at + 1
        while after < self.end:
            line = lines[after]
            content = line.lstrip(" ")
            if not content:
                breaks += 1
            elif len(line) - len(content) <= parent or content[0] == "#":
                break
            else:
                content = content.rstrip(" ")
                if ": " in content or content[-1] == ":" or " #" in content:
                    raise _Unsure
                pieces.append("\n" * breaks if breaks else " ")
                pieces.append(content)
                breaks = 0
                at = after
            after += 1
        return _resolved("".join(pieces)), at + 1

    def quoted(self, at: int, column: int, parent: int) -> tuple[str, int, int]:
        """The quoted scalar opening at ``lines[at][column]``: its value, the line it closes on
        and the index after its closing quote. Each line break between its lines reads as a
        space, unless empty lines (then as those breaks) or an escape (then as nothing) follow it."""
        lines = self.lines
        line = lines[at]
        scan = _double_quoted_line if line[column] == '"' else _single_quoted_line
        pieces: list[str] = []
        start = column + 1
        while True:
            end, escaped = scan(line, start, pieces)
            if end != -1:
                return "".join(pieces), at, end
            at += 1
            breaks = 0
            while at < self.end and not lines[at].strip(" "):
                breaks += 1
                at += 1
            if at == self.end:
                raise _Unsure  # never closed
            line = lines[at]
            start = len(line) - len(line.lstrip(" "))
            if start <= parent:
                raise _Unsure
            pieces.append("\n" * breaks if breaks or escaped else " ")

    def block_scalar(self, at: int, header: str, parent: int) -> tuple[str, int]:
        """The literal or folded block scalar whose header is ``header``, on ``lines[at]``.
        Its indentation is the header's indicator past ``parent``, or that of its first line
        of text; the lines from there on that are at least that indented, or blank, are its
        lines, each read from that indentation on (those read as nothing are empty)."""
        folded = header[0] == ">"
        chomping = increment = ""
        for indicator in header[1:3]:
            if indicator in "-+" and not chomping:
                chomping = indicator
            elif indicator in "123456789" and not increment:
                increment = indicator
            else:
                break
        _check_rest(header, 1 + len(chomping) + len(increment))
        lines, end = self.lines, self.end
        first = at = at + 1
        if increment:
            indent = parent + int(increment)
        else:
            widest = 0  # the longest empty line before the first line of text
            while at < end and not lines[at].strip(" "):
                widest = max(widest, len(lines[at]))
                at += 1
            if at == end:
                raise _Unsure  # no text: the loader reads such scalars as it reads them
            spaces = len(lines[at]) - len(lines[at].lstrip(" "))
            indent = max(spaces, parent + 1)
            if widest > indent or spaces < indent:
                raise _Unsure  # the loader would take the empty lines for the indentation
        margin = " " * indent
        while at < end and (lines[at].startswith(margin) or not lines[at].strip(" ")):
            at += 1
        content = [line[indent:] for line in lines[first:at]]
        broken = True  # whether a line break follows the last line of text
        if at == end and content:
            if content[-1]:
                broken = False
            else:
                content.pop()  # what follows the text's last line break
        trailing = 0
        while content and not content[-1]:
            content.pop()
            trailing += 1
        if not content:
            raise _Unsure
        value = _folded(content) if folded else "\n".join(content)
        if chomping != "-" and broken:
            value += "\n"
        if chomping == "+":
            value += "\n" * trailing
        return value, at


def _readable(line: str) -> bool:
    """Whether the loader reads each character of ``line`` as itself: printable, and neither a
    tab, a byte order mark, a surrogate nor a line break (the loader breaks lines at ``\\x85``,
    ``\\u2028`` and ``\\u2029`` too)."""
    return all(
        " " <= char <= "~"
        or (
            "\xa0" <= char <= "\ufffd"
            and char not in _NOT_READ_AS_THEMSELVES
            and not "\ud800" <= char <= "\udfff"
        )
        or char >= "\U00010000"
        for char in line
    )


def _folded(content: list[str]) -> str:
    """The lines of a folded block scalar joined as the loader joins them: the line break
    between two lines that start with text reads as a space when no empty line separates them,
    and is dropped when some do; around a line that starts with a space it is kept."""
    pieces: list[str] = []
    previous = ""
    empty = 0
    for line in content:
        if not line:
            empty += 1
            continue
        if not previous:
            pieces.append("\n" * empty)
        elif previous[0] != " " and line[0] != " ":
            pieces.append("\n" * empty if empty else " ")
        else:
            pieces.append("\n" * (empty + 1))
        pieces.append(line)
        previous, empty = line, 0
    return "".join(pieces)


def _is_item(line: str, column: int) -> bool:
    return line.startswith("-", column) and line[column + 1 : column + 2] in ("", " ")


def _split_key(line: str, column: int) -> tuple[str, int] | None:
    """The key at ``line[column]`` and the index after its ``:``; ``None`` when the line holds
    no key there (a scalar, or a key the loader refuses or reads differently: unsure)."""
    first = line[column]
    if first == '"' or first == "'":
        pieces: list[str] = []
        scan = _double_quoted_line if first == '"' else _single_quoted_line
        end, _ = scan(line, column + 1, pieces)
        if end == -1 or line[end : end + 1] != ":" or line[end + 1 : end + 2] not in ("", " "):
            return None
        if end - column > _LONGEST_KEY:
            raise _Unsure
        return "".join(pieces), end + 1
    colon = line.find(": ", column)
    if colon == -1:
        if line[-1] != ":":
            return None
        colon = len(line) - 1
    key = line[column:colon]
    if " #" in key:
        return None  # a comment starts before any ':'
    if (
        key[-1:] in ("", " ")
        or first in _NOT_PLAIN
        or (first in "-?:" and key[1:2] in ("", " "))
        or colon - column > _LONGEST_KEY
        or type(_resolved(key)) is not str
    ):
        raise _Unsure
    return key, colon + 1


def _resolved(text: str) -> Any:
    """The plain scalar ``text`` as the loader resolves and builds it."""
    if text[0] not in _NOT_ONLY_STRINGS:
        return text
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text in _NULLS:
        return None
    number = _NUMBER.fullmatch(text)
    if number is None:
        if text == "<<" or text == "=":
            raise _Unsure  # a merge key, or the value key the loader refuses
        return text
    if number[1]:
        integer = int(text) if len(text) < 22 else INT_RANGE[1] + 1
        if INT_RANGE[0] <= integer <= INT_RANGE[1]:
            return integer
    elif number[2]:
        real = float(text)
        if real not in (float("inf"), float("-inf")):
            return real
    raise _Unsure


def _check_rest(line: str, at: int) -> None:
    """Refuse anything but spaces and a comment after a value that ends at ``line[at]``."""
    rest = line[at:].lstrip(" ")
    if rest and rest[0] != "#":
        raise _Unsure


def _single_quoted_line(line: str, at: int, pieces: list[str]) -> tuple[int, bool]:
    """Append the single-quoted text from ``line[at]`` to ``pieces``; the index after the
    closing quote or ``-1`` when the line ends first (its trailing spaces dropped), and
    ``False``: no escape continues a line."""
    while True:
        quote = line.find("'", at)
        if quote == -1:
            pieces.append(line[at:].rstrip(" "))
            return -1, False
        if line[quote + 1 : quote + 2] != "'":
            pieces.append(line[at:quote])
            return quote + 1, False
        pieces.append(line[at : quote + 1])
        at = quote + 2


def _double_quoted_line(line: str, at: int, pieces: list[str]) -> tuple[int, bool]:
    """Append the double-quoted text from ``line[at]`` to ``pieces``, escapes decoded; the
    index after the closing quote or ``-1`` when the line ends first, and whether it ends
    with an escaped line break (if not, its trailing spaces are dropped)."""
    while True:
        quote = line.find('"', at)
        escape = line.find("\\", at, quote if quote != -1 else len(line))
        if escape == -1:
            if quote == -1:
                pieces.append(line[at:].rstrip(" "))
                return -1, False
            pieces.append(line[at:quote])
            return quote + 1, False
        pieces.append(line[at:escape])
        code = line[escape + 1 : escape + 2]
        if not code:
            return -1, True
        if code in _ESCAPES:
            pieces.append(_ESCAPES[code])
            at = escape + 2
            continue
        length = _HEX_ESCAPES.get(code, 0)
        digits = line[escape + 2 : escape + 2 + length]
        if not length or len(digits) != length or not _HEX_DIGITS.issuperset(digits):
            raise _Unsure
        point = int(digits, 16)
        if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
            raise _Unsure
        pieces.append(chr(point))
        at = escape + 2 + len(digits)
