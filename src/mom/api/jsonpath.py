"""JSONPath in the dialect input-resources documents use (PaesslerAG/jsonpath on gval).

Owns: parsing an expression into a :class:`JsonPath` and evaluating it against a decoded
Kubernetes object. Pure: no I/O, no third-party dependency.

Supported: ``$`` root, ``.key``, ``['key']`` / ``["key"]``, ``[n]`` (negative counts from the
end), ``[a, b]`` unions of keys or indexes, ``[start:stop:step]`` slices, ``*`` / ``[*]``
wildcards (list elements or map values), ``..`` recursive descent, and filters
``[?( ... )]`` over list elements or map values with ``==``, ``!=``, ``<``, ``<=``, ``>``,
``>=``, ``=~`` (regular expression search), ``&&``, ``||``, ``!``, parentheses, string
(single or double quoted), number, ``true``/``false``/``null`` literals and ``@``/``$`` paths.

Results: :meth:`JsonPath.evaluate` returns a list. A *definite* path (no wildcard, union,
slice, filter or recursion) returns exactly one value and raises :class:`JsonPathNoMatch` when
a key or index is missing on the way, as the Go implementation does. An indefinite path returns
every match in document order and silently skips branches that lack a key. Inside a filter,
an operand that does not resolve makes the element not match (whatever the operator is).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from mom.api.values import Frozen


class JsonPathNoMatch(ValueError):
    """A definite path reached a key or index that is not there."""


_MISSING = object()


class Key(Frozen):
    """``.name`` or ``['name']``: one field of an object."""

    name: str

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name)


class Index(Frozen):
    """``[n]``: one item of a list."""

    index: int

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        object.__setattr__(self, "index", index)


class Wildcard(Frozen):
    """``*`` or ``[*]``: every item or field value."""

    __slots__ = ()


class Slice(Frozen):
    """``[start:stop:step]`` over a list."""

    start: int | None
    stop: int | None
    step: int | None

    __slots__ = ("start", "step", "stop")

    def __init__(self, start: int | None, stop: int | None, step: int | None) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "stop", stop)
        object.__setattr__(self, "step", step)


class Union(Frozen):
    """``[a,b]``: several keys or indexes."""

    members: tuple[Key | Index, ...]

    __slots__ = ("members",)

    def __init__(self, members: tuple[Key | Index, ...]) -> None:
        object.__setattr__(self, "members", members)


class Descend(Frozen):
    """``..``: the node itself and every node below it, in document order."""

    __slots__ = ()


class Filter(Frozen):
    """``[?(...)]``: the list items the predicate keeps."""

    predicate: Callable[[Any, Any], bool]
    text: str

    __slots__ = ("predicate", "text")

    def __init__(self, predicate: Callable[[Any, Any], bool], text: str) -> None:
        object.__setattr__(self, "predicate", predicate)
        object.__setattr__(self, "text", text)


Segment = Key | Index | Wildcard | Slice | Union | Descend | Filter


class JsonPath(Frozen):
    """A parsed expression; ``text`` is what the document said."""

    text: str
    segments: tuple[Segment, ...]

    __slots__ = ("segments", "text")

    def __init__(self, text: str, segments: tuple[Segment, ...]) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "segments", segments)

    @property
    def definite(self) -> bool:
        """True when the path names at most one value (no wildcard, union, slice, filter, ``..``)."""
        return all(isinstance(s, Key | Index) for s in self.segments)

    def evaluate(self, obj: Any) -> list[Any]:
        """Every value the path selects in ``obj`` (one value for a definite path)."""
        return _evaluate(self.segments, obj, obj, strict=self.definite)


def parse_jsonpath(text: str) -> JsonPath:
    """Parse ``text``; raise ``ValueError`` with a reason when it is not a valid expression."""
    parser = _Parser(text)
    if not text.strip():
        raise ValueError("empty expression")
    parser.skip_space()
    if not parser.take("$"):
        raise ValueError("must start with '$'")
    segments = parser.segments()
    parser.skip_space()
    if not parser.at_end():
        raise ValueError(f"unexpected {parser.rest()[:20]!r} at offset {parser.pos}")
    return JsonPath(text, tuple(segments))


# --- evaluation ---------------------------------------------------------------------------


def _evaluate(segments: tuple[Segment, ...], root: Any, obj: Any, *, strict: bool) -> list[Any]:
    nodes = [obj]
    for segment in segments:
        selected: list[Any] = []
        for node in nodes:
            selected.extend(_select(segment, root, node, strict=strict))
        nodes = selected
    return nodes


def _select(segment: Segment, root: Any, node: Any, *, strict: bool) -> Iterator[Any]:
    if isinstance(segment, Key):
        if isinstance(node, dict) and segment.name in node:
            yield node[segment.name]
        elif strict:
            raise JsonPathNoMatch(f"unknown key {segment.name!r}")
    elif isinstance(segment, Index):
        if isinstance(node, list) and -len(node) <= segment.index < len(node):
            yield node[segment.index]
        elif strict:
            raise JsonPathNoMatch(f"index {segment.index} out of range")
    elif isinstance(segment, Wildcard):
        yield from _children(node)
    elif isinstance(segment, Slice):
        if isinstance(node, list):
            yield from node[segment.start : segment.stop : segment.step]
    elif isinstance(segment, Union):
        for member in segment.members:
            yield from _select(member, root, node, strict=False)
    elif isinstance(segment, Descend):
        yield from _descendants(node)
    else:
        yield from (child for child in _children(node) if segment.predicate(root, child))


def _children(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        yield from node.values()
    elif isinstance(node, list):
        yield from node


def _descendants(node: Any) -> Iterator[Any]:
    yield node
    for child in _children(node):
        yield from _descendants(child)


def _resolve(segments: tuple[Segment, ...], root: Any, obj: Any) -> Any:
    """Value of a path used as a filter operand; ``_MISSING`` when it does not resolve."""
    definite = all(isinstance(s, Key | Index) for s in segments)
    try:
        values = _evaluate(segments, root, obj, strict=definite)
    except JsonPathNoMatch:
        return _MISSING
    return values[0] if definite else values


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is _MISSING or right is _MISSING:
        return False
    if op in ("==", "!="):
        equal = _same_kind(left, right) and left == right
        return equal if op == "==" else not equal
    if op == "=~":
        if not (isinstance(left, str) and isinstance(right, str)):
            return False
        try:
            return re.search(right, left) is not None
        except re.error:
            return False
    if not _same_kind(left, right) or not isinstance(left, int | float | str):
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def _same_kind(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool)
    if isinstance(left, int | float) and isinstance(right, int | float):
        return True
    return type(left) is type(right)


def _truthy(value: Any) -> bool:
    if value is _MISSING or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return bool(value)


# --- parsing ------------------------------------------------------------------------------

_NAME_STOP = set(".[]()=!&|<>,'\"@$ \t\n~")
_COMPARISONS = ("==", "!=", "<=", ">=", "=~", "<", ">")
Operand = Callable[[Any, Any], Any]


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def rest(self) -> str:
        return self.text[self.pos :]

    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos)

    def take(self, literal: str) -> bool:
        if self.peek(literal):
            self.pos += len(literal)
            return True
        return False

    def expect(self, literal: str) -> None:
        if not self.take(literal):
            found = repr(self.rest()[:10]) if not self.at_end() else "end of expression"
            raise ValueError(f"expected {literal!r} at offset {self.pos}, found {found}")

    def skip_space(self) -> None:
        while not self.at_end() and self.text[self.pos] in " \t\n":
            self.pos += 1

    def segments(self) -> list[Segment]:
        segments: list[Segment] = []
        while True:
            if self.take(".."):
                segments.append(Descend())
                segments.append(self.bracket() if self.take("[") else self.dotted())
            elif self.take("."):
                segments.append(self.dotted())
            elif self.take("["):
                segments.append(self.bracket())
            else:
                return segments

    def dotted(self) -> Segment:
        if self.take("*"):
            return Wildcard()
        start = self.pos
        while not self.at_end() and self.text[self.pos] not in _NAME_STOP:
            self.pos += 1
        if self.pos == start:
            raise ValueError(f"expected a key name at offset {start}")
        return Key(self.text[start : self.pos])

    def bracket(self) -> Segment:
        self.skip_space()
        if self.take("*"):
            segment: Segment = Wildcard()
        elif self.take("?"):
            start = self.pos
            self.skip_space()
            self.expect("(")
            predicate = self.or_expression()
            self.skip_space()
            self.expect(")")
            text = self.text[start : self.pos]
            segment = Filter(lambda root, node: _truthy(predicate(root, node)), text)
        else:
            segment = self.selection()
        self.skip_space()
        self.expect("]")
        return segment

    def selection(self) -> Segment:
        if self.peek(":") or self.peek_int_then(":"):
            return self.slice()
        members: list[Key | Index] = [self.member()]
        self.skip_space()
        while self.take(","):
            self.skip_space()
            members.append(self.member())
            self.skip_space()
        return members[0] if len(members) == 1 else Union(tuple(members))

    def peek_int_then(self, literal: str) -> bool:
        match = re.compile(r"\s*-?\d+\s*").match(self.text, self.pos)
        return match is not None and self.text.startswith(literal, match.end())

    def slice(self) -> Slice:
        bounds: list[int | None] = []
        for _ in range(3):
            self.skip_space()
            bounds.append(self.integer() if self.peek_int_then("") and not self.peek(":") else None)
            self.skip_space()
            if not self.take(":"):
                break
        bounds += [None] * (3 - len(bounds))
        if bounds[2] == 0:
            raise ValueError("slice step cannot be zero")
        return Slice(bounds[0], bounds[1], bounds[2])

    def member(self) -> Key | Index:
        if self.peek("'") or self.peek('"'):
            return Key(self.string())
        if re.compile(r"-?\d").match(self.text, self.pos):
            return Index(self.integer())
        raise ValueError(f"expected a quoted key or an index at offset {self.pos}")

    def integer(self) -> int:
        match = re.compile(r"-?\d+").match(self.text, self.pos)
        if match is None:
            raise ValueError(f"expected an integer at offset {self.pos}")
        self.pos = match.end()
        return int(match.group())

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        chars: list[str] = []
        while not self.at_end():
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\" and not self.at_end():
                chars.append(self.text[self.pos])
                self.pos += 1
            elif char == quote:
                return "".join(chars)
            else:
                chars.append(char)
        raise ValueError("unterminated string literal")

    # filter expressions: or > and > not > comparison > operand

    def or_expression(self) -> Operand:
        left = self.and_expression()
        self.skip_space()
        while self.take("||"):
            right, first = self.and_expression(), left
            left = _either(first, right)
            self.skip_space()
        return left

    def and_expression(self) -> Operand:
        left = self.not_expression()
        self.skip_space()
        while self.take("&&"):
            right, first = self.not_expression(), left
            left = _both(first, right)
            self.skip_space()
        return left

    def not_expression(self) -> Operand:
        self.skip_space()
        if self.peek("!") and not self.peek("!="):
            self.pos += 1
            inner = self.not_expression()
            return lambda root, node: not _truthy(inner(root, node))
        return self.comparison()

    def comparison(self) -> Operand:
        left = self.operand()
        self.skip_space()
        for op in _COMPARISONS:
            if self.take(op):
                right = self.operand()
                return _comparison(op, left, right)
        return left

    def operand(self) -> Operand:
        self.skip_space()
        if self.take("("):
            inner = self.or_expression()
            self.skip_space()
            self.expect(")")
            return inner
        if self.peek("@") or self.peek("$"):
            relative = self.text[self.pos] == "@"
            self.pos += 1
            segments = tuple(self.segments())
            if relative:
                return lambda root, node: _resolve(segments, root, node)
            return lambda root, node: _resolve(segments, root, root)
        return _constant(self.literal())

    def literal(self) -> Any:
        if self.peek("'") or self.peek('"'):
            return self.string()
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.take(word):
                return value
        match = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?").match(self.text, self.pos)
        if match is None:
            found = repr(self.rest()[:10]) if not self.at_end() else "end of expression"
            raise ValueError(f"expected a value at offset {self.pos}, found {found}")
        self.pos = match.end()
        number = match.group()
        return float(number) if match.group(1) or match.group(2) else int(number)


def _constant(value: Any) -> Operand:
    return lambda root, node: value


def _either(left: Operand, right: Operand) -> Operand:
    return lambda root, node: _truthy(left(root, node)) or _truthy(right(root, node))


def _both(left: Operand, right: Operand) -> Operand:
    return lambda root, node: _truthy(left(root, node)) and _truthy(right(root, node))


def _comparison(op: str, left: Operand, right: Operand) -> Operand:
    return lambda root, node: _compare(op, left(root, node), right(root, node))
