"""Go's YAML text of a JSON value without PyYAML, byte for byte as PyYAML and libyaml write it.

Loading PyYAML costs a fresh interpreter more than an operator's run spends writing YAML, and
libyaml's emitter calls back into Python twice for every scalar. This module writes the same
text itself: block mappings with sorted keys and block sequences flush with their parent key,
empty collections as ``{}`` and ``[]``, and each string in the style libyaml picks for it:

* literal (``|``) when it holds a line break, unless a line ends with a space or it holds a
  character that must be escaped; ``2`` after the bar when it starts with a space or a line
  break, ``-`` when it does not end with a line break, ``+`` when it ends with two (or is one),
  and then the document ends with ``...`` unless a later literal block does not keep its breaks;
* double-quoted when it would read back as another type (a YAML 1.1 null, boolean, number or
  timestamp, ``<<``, ``=``, ``!``, ``&``, ``*``, or go-yaml's ``y``/``n``), when it holds a
  character outside printable Unicode (escaped as ``\\t``, ``\\x7F``, ``\\uFEFF`` ...), or when
  a multi-line string cannot be a literal block;
* plain when nothing in it reads as YAML syntax, single-quoted otherwise.

Values (never keys) are folded at a space past column :data:`WIDTH` as libyaml folds them: a
plain or single-quoted scalar only at a lone space, a double-quoted one at any space that does
not follow another, with a backslash where the next line would start with a space; the first
and last character inside quotes are never folded at.

:func:`go_yaml_text` answers :data:`~mom.serialization.plainjson.UNSURE` for what it does not
write: anything but dicts with ``str`` keys, lists, ``str``, ``int``, ``float``, ``bool`` and
``None`` (not their subclasses); strings with a lone surrogate or a line or paragraph separator
(U+2028, U+2029); keys libyaml writes as complex keys (with a line break, or longer than
:data:`SIMPLE_KEY_BYTES` in UTF-8); collections nested deeper than :data:`MAX_DEPTH`; integers
with more digits than ``str`` writes.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from mom.serialization.plainjson import UNSURE

WIDTH = 80
"""The column past which libyaml folds a scalar at its next allowed space."""

INDENT = 2
"""Spaces per nesting level (a sequence in a mapping is not indented)."""

SIMPLE_KEY_BYTES = 128
"""The longest key, in UTF-8 bytes, that libyaml writes as ``key: value``."""

MAX_DEPTH = 128
"""Collections nested deeper than this are left to PyYAML."""

_OTHER_WORDS = frozenset(
    (
        *("", "~", "null", "Null", "NULL"),
        *("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"),
        *("true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "n", "N"),
        *("<<", "=", "!", "&", "*"),
    )
)
"""Strings the YAML 1.1 resolver reads as null, a boolean, a merge or value key or the tag of
YAML itself, and those go-yaml v2 reads as booleans too (``y``, ``n``)."""

_DIGITS = frozenset("0123456789.")
"""How an integer, a float or a timestamp starts, after its sign."""


@functools.cache
def _number() -> re.Pattern[str]:
    """Strings the YAML 1.1 resolver reads as an integer, a float or a timestamp; compiled on
    first use (it takes about a millisecond)."""
    return re.compile(
        r"""(?: [-+]? (?: 0b[01_]+ | 0[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+
                    | [1-9][0-9_]* (?: :[0-5]?[0-9] )+ )
              | [-+]? (?: [0-9][0-9_]* \. [0-9_]* (?: [eE][-+][0-9]+ )?
                    | [0-9][0-9_]* (?: :[0-5]?[0-9] )+ \. [0-9_]*
                    | \. (?: inf | Inf | INF ) )
              | \. (?: [0-9][0-9_]* (?: [eE][-+][0-9]+ )? | nan | NaN | NAN )
              | [0-9]{4} - [0-9]{2} - [0-9]{2}
              | [0-9]{4} - [0-9][0-9]? - [0-9][0-9]? (?: [Tt] | [ \t]+ )
                [0-9][0-9]? : [0-9]{2} : [0-9]{2} (?: \.[0-9]* )?
                (?: [ \t]* (?: Z | [-+][0-9][0-9]? (?: :[0-9]{2} )? ) )?
            )\Z""",
        re.VERBOSE,
    )


_INDICATOR_FIRST = frozenset(" #,[]{}&*!|>'\"%@`")
"""A character that keeps a string from being plain when it comes first."""

_CONTROL = re.compile(r"[\x00-\t\x0b-\x1f\x7f]")
"""An ASCII character libyaml escapes in every style (a control, tab and carriage return
included, but not a line feed), so that the string can only be double-quoted."""

_ASCII_ESCAPED = re.compile(r'[\x00-\x1f\x7f"\\]')
"""What a double-quoted scalar of ASCII text escapes: controls, line feeds, ``"`` and ``\\``."""


@functools.cache
def _unicode_classes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """What text beyond ASCII may hold, compiled on first use (each takes a good part of a
    millisecond): characters this module leaves to PyYAML (line and paragraph separators,
    which libyaml breaks lines at, and lone surrogates); characters libyaml escapes in every
    style (also U+007F-U+009F, U+FEFF, U+FFFE, U+FFFF and anything past U+FFFF); and what a
    double-quoted scalar escapes (those, line breaks, ``"`` and ``\\``)."""
    unsupported = re.compile(r"[\u2028\u2029\ud800-\udfff]")
    special = re.compile(r"[\x00-\t\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff\U00010000-\U0010ffff]")
    escaped = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"\\\U00010000-\U0010ffff]')
    return unsupported, special, escaped


_NAMED_ESCAPES = {
    "\x00": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
}

_LONE_SPACE = re.compile(r"(?<! ) (?! )")
"""Where a plain or single-quoted scalar may be folded."""

_FIRST_SPACE = re.compile(r"(?<! ) ")
"""Where a double-quoted scalar may be folded."""

_INFINITY = float("inf")


class _Unsure(Exception):
    """The value leaves the subset this module writes."""


def go_yaml_text(value: Any) -> str | Any:
    """``value`` as :func:`mom.serialization.goyaml.dump_go_yaml` writes it, or :data:`UNSURE`."""
    writer = _Writer()
    try:
        writer.document(value)
    except _Unsure:
        return UNSURE
    if writer.open_ended:
        writer.out.append("...\n")
    return "".join(writer.out)


class _Writer:
    """The text of one document, in pieces that each end a line."""

    __slots__ = ("keys", "open_ended", "out")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.keys: dict[str, str] = {}
        """Keys as written, for this document: the same few keys come back in every object."""
        self.open_ended = False
        """Whether the last literal block kept its trailing line breaks (``|+``)."""

    def document(self, value: Any) -> None:
        kind = type(value)
        if kind is dict and value:
            self.mapping(value, 0, 0)
        elif kind is list and value:
            self.sequence(value, 0, 0)
        elif kind is str:
            self.out.append(self.string(value, 0, INDENT))
        else:
            self.out.append(_other(value))

    def mapping(self, mapping: dict[Any, Any], indent: int, depth: int, *, inline: bool = False) -> None:
        """Entries at column ``indent``, the first one where the line is when ``inline``."""
        if depth >= MAX_DEPTH:
            raise _Unsure
        try:
            keys = sorted(mapping) if len(mapping) > 1 else mapping
        except TypeError as exc:  # keys of more than one type
            raise _Unsure from exc
        out = self.out
        written_keys = self.keys
        margin = " " * indent
        inner = indent + INDENT
        for key in keys:
            if type(key) is not str:
                raise _Unsure
            written = written_keys.get(key)
            if written is None:
                written = written_keys[key] = _key(key)
            head = written + ":" if inline else margin + written + ":"
            inline = False
            value = mapping[key]
            kind = type(value)
            if kind is str:
                out.append(f"{head} {self.string(value, indent + len(written) + 2, inner)}")
            elif kind is dict and value:
                out.append(head + "\n")
                self.mapping(value, inner, depth + 1)
            elif kind is list and value:
                out.append(head + "\n")
                self.sequence(value, indent, depth + 1)
            else:
                out.append(f"{head} {_other(value)}")

    def sequence(self, sequence: list[Any], indent: int, depth: int, *, inline: bool = False) -> None:
        """Items at column ``indent``, the first one where the line is when ``inline``."""
        if depth >= MAX_DEPTH:
            raise _Unsure
        out = self.out
        head = "-" if inline else " " * indent + "-"
        inner = indent + INDENT
        for item in sequence:
            kind = type(item)
            if kind is str:
                out.append(f"{head} {self.string(item, inner, inner)}")
            elif kind is dict and item:
                out.append(head + " ")
                self.mapping(item, inner, depth + 1, inline=True)
            elif kind is list and item:
                out.append(head + " ")
                self.sequence(item, inner, depth + 1, inline=True)
            else:
                out.append(f"{head} {_other(item)}")
            head = " " * indent + "-"

    def string(self, text: str, column: int, indent: int) -> str:
        """The lines of a string value that starts at ``column``, folded or indented to
        ``indent``."""
        if text.isascii() and text.isprintable():  # one line, nothing to escape
            special = False
        else:
            special = _special(text)
            if "\n" in text:
                if not special and text[-1] != " " and " \n" not in text:
                    block = _literal(text, indent)
                    self.open_ended = block.startswith(("|+", "|2+"))
                    return block
                special = True
        if special or _reads_as_other(text):
            line = _double_quoted(text)
            style = '"'
        elif _fits_plain(text):
            line = text
            style = ""
        else:
            line = "'" + text.replace("'", "''") + "'"
            style = "'"
        if column + len(line) > WIDTH + 1 and " " in text:
            line = _fold(line, column, indent, style)
        return line + "\n"


def _reads_as_other(text: str) -> bool:
    """Whether the resolver reads ``text`` written plain as anything but a string."""
    if text in _OTHER_WORDS:
        return True
    first = text[:1]
    if first in _DIGITS or (first in "-+" and text[1:2] in _DIGITS):
        return _number().match(text) is not None
    return False


def _fits_plain(text: str) -> bool:
    """Whether ``text`` (one line, without special characters, not empty) may be written plain
    in a block: nothing in it reads as an indicator, a comment or a document marker, and it
    neither starts nor ends with a space."""
    first = text[0]
    if first in _INDICATOR_FIRST:
        return False
    if first in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    last = text[-1]
    return not (
        last == " "
        or last == ":"
        or ": " in text
        or " #" in text
        or (first in "-." and text.startswith(("---", "...")))
    )


def _other(value: Any) -> str:
    """The line of an empty collection or of a scalar that is not a string."""
    kind = type(value)
    if kind is bool:
        return "true\n" if value else "false\n"
    if value is None:
        return "null\n"
    if kind is int:
        try:
            return f"{value}\n"
        except ValueError as exc:  # more digits than str() writes
            raise _Unsure from exc
    if kind is float:
        return _float(value) + "\n"
    if kind is dict and not value:
        return "{}\n"
    if kind is list and not value:
        return "[]\n"
    raise _Unsure


def _float(value: float) -> str:
    """The float as PyYAML's representer spells it: ``.nan``, ``.inf``, ``-.inf``, or its repr
    in lower case, with ``.0`` before an exponent that follows no point."""
    if value != value:
        return ".nan"
    if value in (_INFINITY, -_INFINITY):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e", 1)
    return text


def _key(text: str) -> str:
    """A mapping key as libyaml writes a simple key: on one line, never folded."""
    if text.isascii() and text.isprintable():
        special = False
        if len(text) > SIMPLE_KEY_BYTES:
            raise _Unsure
    else:
        special = _special(text)
        if "\n" in text or "\r" in text or "\x85" in text or len(text.encode()) > SIMPLE_KEY_BYTES:
            raise _Unsure
    if special or _reads_as_other(text):
        return _double_quoted(text)
    if _fits_plain(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _special(text: str) -> bool:
    """Whether ``text`` holds a character libyaml escapes in every style; :class:`_Unsure` for
    one this module leaves to PyYAML."""
    if text.isascii():
        return _CONTROL.search(text) is not None
    unsupported, special, _ = _unicode_classes()
    if unsupported.search(text):
        raise _Unsure
    return special.search(text) is not None


def _double_quoted(text: str) -> str:
    escaped = _ASCII_ESCAPED if text.isascii() else _unicode_classes()[2]
    return '"' + escaped.sub(_escape, text) + '"'


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return "\\" + named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _fold(line: str, column: int, indent: int, style: str) -> str:
    """``line``, a scalar of ``style`` (``""`` for plain) written on one line from ``column``,
    broken where libyaml breaks it: at the first space allowed for the style past column
    :data:`WIDTH`, the next line starting at ``indent``, and so on."""
    allowed = _FIRST_SPACE if style == '"' else _LONE_SPACE
    first, last = (1, len(line) - 2) if style else (-1, -1)  # the text's ends, inside quotes
    margin = "\n" + " " * indent
    pieces: list[str] = []
    start = 0
    base = column  # the column of line[start]
    while True:
        found = allowed.search(line, max(start, start + WIDTH + 1 - base))
        if found is not None and found.start() == first:
            found = allowed.search(line, first + 1)
        if found is None or found.start() == last:
            pieces.append(line[start:])
            return "".join(pieces)
        at = found.start()
        pieces.append(line[start:at])
        pieces.append(margin)
        start = at + 1
        base = indent
        if style == '"' and line[start] == " ":  # a line that starts with a kept space
            pieces.append("\\")
            base += 1


def _literal(text: str, indent: int) -> str:
    """A literal block scalar: its header, then each line at ``indent``, blank lines empty."""
    header = "|2" if text[0] in " \n" else "|"
    end = ""
    if text[-1] != "\n":
        header += "-"
        end = "\n"
    elif len(text) == 1 or text[-2] == "\n":
        header += "+"
    margin = " " * indent
    body = "\n".join([margin + line if line else "" for line in text.split("\n")])
    return f"{header}\n{body}{end}"
