"""The Go YAML writer without PyYAML writes exactly the bytes PyYAML and libyaml write.

Covers: every HyperShift manifest and a spread of a real must-gather's documents (those with
tabs or characters beyond ASCII among them) are written, not left to PyYAML, and byte for
byte as PyYAML writes them; strings on every quoting, folding and block-scalar rule, as values
at several columns and depths, as keys and at the top level; numbers, booleans, null, empty
and nested collections; what the writer leaves to PyYAML (keys of other types, tuples, str
subclasses, line separators, lone surrogates, long or multi-line keys, deep nesting) is
answered UNSURE and still dumped right; seeded random values drawn from the characters that
matter; ``dump_go_yaml`` of a plain value never loads PyYAML.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mom.serialization import load_document
from mom.serialization.gowriter import MAX_DEPTH, SIMPLE_KEY_BYTES, go_yaml_text
from mom.serialization.goyaml import _dump, _pyyaml_dump
from mom.serialization.plainjson import UNSURE

MUST_GATHER_BYTES = 12 * 1024 * 1024
"""How much of the must-gather's YAML the must-gather test reads (it stays under ~10 s)."""


def mismatches(values: list[Any]) -> list[str]:
    """A line for each value the writer answers differently from PyYAML (UNSURE aside)."""
    found = []
    for value in values:
        text = go_yaml_text(value)
        if text is not UNSURE and text != _pyyaml_dump(value):
            found.append(f"{value!r}:\n  writer: {text!r}\n  pyyaml: {_pyyaml_dump(value)!r}")
    return found


def unanswered(values: list[Any]) -> list[str]:
    return [repr(value) for value in values if go_yaml_text(value) is UNSURE]


INDICATORS = "#,[]{}&*!|>'\"%@`-?:"

ONE_LINE = [
    *("", " ", "  ", "a", " a", "a ", " a ", "a  b", "a   b", "it's", "'q'", '"q"', 'say "hi"'),
    *("back\\slash", "a: b", "a:b", "a:", ":a", ": a", ":", "::", "a #b", "a#b", "#a", "a #"),
    *("- a", "-a", "-", "--", "---", "--- a", "---a", "...", "....", ". ..", "? a", "?a", "?"),
    *(f"{c}" for c in INDICATORS),
    *(f"{c}x" for c in INDICATORS),
    *(f"{c} x" for c in INDICATORS),
    *(f"x{c}" for c in INDICATORS),
    *(f"x {c}" for c in INDICATORS),
    *(f"x{c} y" for c in INDICATORS),
    *("1", "-1", "+1", "0", "00", "012", "08", "0o12", "0x1F", "0X1F", "-0x1f", "0b101", "0b2"),
    *("1_000", "1__0", "_1", "1:20", "1:60", "-1:20", "1:20.5", "190:20:30", "0:20"),
    *("1.5", "1.", ".5", "._5", "1e3", "1.0e+3", "1.0e3", "1E+3", "1.5E-07", "+1.5", "-.5", "1.2.3"),
    *(".inf", "-.inf", "+.INF", ".Inf", ".iNF", "inf", ".NaN", ".nan", ".NAN", "nan", "-.nan"),
    *("~", "~~", "null", "Null", "NULL", "nULL", "<<", "<", "<<<", "=", "==", "!", "&", "*"),
    *("true", "True", "TRUE", "tRUE", "yes", "Yes", "YES", "on", "On", "off", "OFF", "oFF"),
    *("y", "Y", "n", "N", "no", "No", "NO", "yy", "false", "False"),
    *("2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-1-4 1:59:43"),
    *("2001-12-14\t21:59:43", "2001-12-14T21:59:43Z", "2001-12-14T21:59:43.Z", "20011-12-14"),
    *("2024-10-14T22:38:20Z", "100m", "10Gi", "-foo", "--flag=1", "+x", ".hidden", "/etc/x"),
    *("\t", "a\tb", "\r", "a\rb", "x\x00y", "\x7f", "\x1b[0m", "\x0b\x0c\x07\x08"),
    *("\xa0", "a\xa0b", "ünï", "\u2019quoted\u2019", "a\x85b", "\x85", "\x9f", "\ufeff", "a\ufeff"),
    *("\U0001f600", "a\ufffeb", "\uffff", "\ufffd", "\u3000 ideographic", "\ue000"),
]

MULTI_LINE = [
    *("\n", "\n\n", "\n\n\n", "a\n", "a\n\n", "a\n\n\n", "\na", "\n\na", " \na", "a \nb"),
    *("a\n b", " a\nb", "  a\n  b\n", "a\nb ", "a\nb \n", "a\n\nb", "a\n \nb", "a\n\tb"),
    *("line1\nline2", "a\r\nb", "a\nb\r", "#a\nb", "- a\nb", "'a'\nb", "a: b\nc", "true\n"),
    *("1\n", "y\n", "ünï\nx", "a\x85\nb", "\ufeff\na", "\U0001f600\n", "a\n" + "word " * 30 + "b"),
    "word " * 30 + "\nnext",
    "a \n" + "word " * 30 + "b",
    "x" * 200 + "\n" + "y " * 100 + "\n",
]


def long_strings() -> Iterator[str]:
    """Strings whose spaces fall on each side of column 80, for keys of several lengths."""
    for width in range(70, 86):
        yield "a" * width + " " + "b" * 20
        yield "a" * width + "  " + "b" * 20
        yield "a" * width + " " + "b"
        yield "a" * width + " b c d"
        yield "'" + "a" * width + " " + "b" * 20
        yield "a" * width + " " + "b" * 20 + " "
        yield "#" + "a" * width + " " + "b" * 20 + "  c"
        yield '"' + "a" * width + "  " + "b" * 20 + "   c"
        yield "a\t" + "a" * width + " " + "b" * 20 + "  c"
        yield "é" * width + " " + "ü" * 20
    yield from ("x" * 79, "x" * 80, "x" * 81, "x" * 200, "x" * 80 + " ", " " + "x" * 100)
    yield from (
        "word " * 30,
        " ".join(["word"] * 40),
        "  ".join(["word"] * 40),
        "a" * 100 + " " + "b" * 100 + " c",
    )
    yield from (" ".join(["w"] * 100), "word " * 30 + "#x", "a: " * 40, "x " * 90 + "'")
    yield "2001-12-14" + " " * 90 + "21:59:43"
    yield "2001-12-14" + " " * 70 + "21:59:43" + " " * 20 + "Z"
    yield ("word\t" + "word ") * 20
    yield " " * 100
    yield "\t" + " " * 100 + "\t"
    yield "a" + " " * 100 + "b"
    yield "\U0001f600 " * 60
    yield "日本語 " * 40
    yield "  leading " * 15
    yield "trailing  " * 15


STRINGS = [*ONE_LINE, *MULTI_LINE, *long_strings()]

UNSUPPORTED_STRINGS = ["a\u2028b", "\u2029", "a\u2028", "x\ud800y", "\udfff", "a\n\u2028b"]
"""Line and paragraph separators and lone surrogates: left to PyYAML."""


def placed(text: str) -> list[Any]:
    """``text`` as a value at several columns and indents, in a sequence, at the top level."""
    return [
        *({"k" * width: text} for width in (1, 9, 40, 77, 78, 79, 80, 100, 128)),
        [text],
        text,
        {"a": {"b": {"c": [text, {"d": text}, [text]]}}},
        [[[{"e": [text]}]]],
        {"a": text, "b": [text], "c": {"d": text}, "e": 1},
    ]


def test_strings_on_every_rule_are_written_as_pyyaml_writes_them() -> None:
    values = [value for text in STRINGS for value in placed(text)]
    assert mismatches(values) == []
    assert unanswered(values) == []


def test_strings_as_keys_are_written_as_pyyaml_writes_them() -> None:
    keys = [text for text in STRINGS if not any(brk in text for brk in "\n\r\x85")]
    keys = [text for text in keys if len(text.encode()) <= SIMPLE_KEY_BYTES]
    values = [*({key: 1} for key in keys), {key: key for key in keys}, [{key: [key]} for key in keys]]
    values.append({"k" * SIMPLE_KEY_BYTES: "a"})
    values.append({"é" * (SIMPLE_KEY_BYTES // 2): "b"})
    assert mismatches(values) == []
    assert unanswered(values) == []


@pytest.mark.parametrize(
    "value",
    [
        *({"k": text} for text in UNSUPPORTED_STRINGS),
        *({text: 1} for text in UNSUPPORTED_STRINGS),
        {"a\nb": 1},
        {"\n": 1},
        {"a\rb": 1},
        {"a\x85b": 1},
        {"k" * (SIMPLE_KEY_BYTES + 1): 1},
        {"é" * (SIMPLE_KEY_BYTES // 2 + 1): 1},
        {1: "int key"},
        {2: "int key", "1": "str key"},
        {None: 1},
        {"k": ("a", "tuple")},
        ("top", "tuple"),
        {"k": type("Text", (str,), {})("str subclass")},
        {type("Key", (str,), {})("k"): "str subclass key"},
        {"k": type("Number", (int,), {})(3)},
        {"k": {1, 2}},
        {"k": b"bytes"},
        {"k": 10**5000},
    ],
)
def test_what_the_writer_is_not_sure_of_is_left_to_pyyaml(value: Any) -> None:
    assert go_yaml_text(value) is UNSURE
    try:
        expected = _pyyaml_dump(value)
    except Exception as exc:  # the same failure, through the same path
        with pytest.raises(type(exc)):
            _dump(value)
    else:
        assert _dump(value) == expected


NUMBERS = [0, 1, -1, 7, 2**63, -(2**64), 10**30, 1.5, -0.0, 0.0, 3.0, 1e16, 1e17, 1e20, 1e-7, 1e300]
NUMBERS += [1e-300, 5e-324, 1.7976931348623157e308, 123456789.123, 0.1, -2.5e-5, float("inf")]
NUMBERS += [float("-inf"), float("nan"), True, False, None]


def test_scalars_and_collections_are_written_as_pyyaml_writes_them() -> None:
    values: list[Any] = [
        *NUMBERS,
        NUMBERS,
        {f"k{index}": number for index, number in enumerate(NUMBERS)},
        {},
        [],
        [[]],
        [{}],
        [[], {}, [[]], [{}], {"a": []}, {"a": {}}],
        {"empty": {}, "list": [], "deep": [[{"k": [1, {"z": None}]}]], "nested": {"a": {"b": {}}}},
        [["a", "b"], ["c", ["d", ["e"]]], [{"a": 1, "b": [1, 2]}, {}]],
        {"b": 1, "a": [True, None], "c": {"z": [], "y": {"x": "w"}}},
        {"z": "x\n\n", "a": "y\n"},
        {"a": "x\n\n", "z": "y\n"},
        {"a": "x\n\n", "z": 1},
        ["x\n\n", "y"],
        "x\n\n",
        "\n",
    ]
    assert mismatches(values) == []
    assert unanswered(values) == []


def test_nesting_up_to_the_limit_is_written_and_deeper_is_left_to_pyyaml() -> None:
    value: Any = "leaf " * 30
    for depth in range(MAX_DEPTH):
        value = {"k": value} if depth % 2 else [value, "x"]
    assert go_yaml_text(value) == _pyyaml_dump(value)
    assert go_yaml_text([value]) is UNSURE
    assert _dump([value]) == _pyyaml_dump([value])


def test_every_hypershift_manifest_is_written_as_pyyaml_writes_it(realdata_dir: Path) -> None:
    manifests = sorted((realdata_dir / "hypershift-hcp").rglob("*.yaml"))
    assert len(manifests) > 200
    for path in manifests:
        value = load_document(path.read_bytes(), str(path))
        text = go_yaml_text(value)
        assert text is not UNSURE, path
        assert text == _pyyaml_dump(value), path


def must_gather_sample(top: Path) -> Iterator[tuple[Path, bytes]]:
    """Files with tabs or characters beyond ASCII first, then an even spread of the rest, up
    to :data:`MUST_GATHER_BYTES` in all."""
    paths = sorted(top.rglob("*.yaml"))
    unusual, usual = [], []
    for path in paths:
        data = path.read_bytes()
        if len(data) > MUST_GATHER_BYTES // 16:
            continue
        (unusual if not data.isascii() or b"\\t" in data else usual).append((path, data))
    budget = MUST_GATHER_BYTES
    stride = max(1, len(usual) // 400)
    for path, data in [*unusual, *usual[::stride]]:
        if len(data) > budget:
            return
        budget -= len(data)
        yield path, data


def test_must_gather_documents_are_written_as_pyyaml_writes_them(aws_must_gather: Path) -> None:
    documents = unusual = 0
    for path, data in must_gather_sample(aws_must_gather):
        value = load_document(data, str(path))
        items = value.get("items") if type(value) is dict else None
        for document in [value, *(items if type(items) is list else [])]:
            text = go_yaml_text(document)
            assert text is not UNSURE, path
            assert text == _pyyaml_dump(document), path
            documents += 1
        unusual += not data.isascii()
    assert documents > 1000
    assert unusual > 10


ALPHABET = [*" \n:#-?'\"\t", *" :#-", *"abcxyz", *"ABXYN", *"0123456789", *".,_+~<=!&*|>%@`[]{}\\"]
ALPHABET += ["\r", "\xa0", "é", "\x85", "\ufeff", "\U0001f600", "\x7f", "\x00"]
WORDS = [*ONE_LINE[:120], "true", "null", "0x1F", "1_000", "1:20", ".inf", "2001-12-14", "<<", "y"]


def random_string(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.2:
        return rng.choice(WORDS)
    if draw < 0.35:
        return rng.choice(WORDS) + rng.choice(["", " ", "\n", "x", "  ", ": "]) + rng.choice(WORDS)
    length = rng.choice([0, 1, 2, 3, 5, 10, 40, 79, 80, 81, 82, 90, 120, 200, 300])
    if draw < 0.7:
        words = (
            "".join(rng.choice("abxyz'#:-\t") for _ in range(rng.choice([1, 2, 3, 5, 8, 20, 85])))
            for _ in range(length // 2 + 1)
        )
        return rng.choice([" ", " ", "  ", "\n", " \n", "\n\n"]).join(words)[: length or None]
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def random_key(rng: random.Random) -> str:
    """Mostly keys the writer writes; now and then a multi-line or a too long one."""
    draw = rng.random()
    if draw < 0.4:
        return random_string(rng).replace("\n", "") if draw < 0.35 else random_string(rng)
    return rng.choice(["a", "b", "name", "k" * rng.randint(1, SIMPLE_KEY_BYTES + 2)])


def random_value(rng: random.Random, depth: int = 0) -> Any:
    draw = rng.random()
    if depth > 4 or draw < 0.5:
        kind = rng.random()
        if kind < 0.8:
            return random_string(rng)
        if kind < 0.9:
            return rng.choice([True, False, None, 0, -1, 2**63, 42, 10**30])
        return rng.choice([1.5, -0.0, 1e20, 1e-7, float("inf"), float("-inf"), float("nan"), 3.0, 1e16])
    if draw < 0.75:
        return {random_key(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


@pytest.mark.parametrize("seed", range(4))
def test_random_values_are_written_as_pyyaml_writes_them(seed: int) -> None:
    rng = random.Random(seed)
    values = [random_value(rng) for _ in range(1000)]
    assert mismatches(values) == []
    assert len(unanswered(values)) < len(values) // 5  # the rest were compared


def test_a_plain_value_is_written_without_loading_pyyaml() -> None:
    program = (
        "import sys\n"
        "from mom.serialization import dump_go_yaml\n"
        "from mom.serialization.gowriter import go_yaml_text\n"
        "value = {'kind': 'ConfigMap', 'data': {'a': 'x\\ny\\n', 'b': 'y', 'c': '1.5'}, 'n': [1, 2.5, None]}\n"
        "assert go_yaml_text(value) == dump_go_yaml(value)\n"
        "print('yaml' in sys.modules)\n"
    )
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert ran.stdout == "False\n"
