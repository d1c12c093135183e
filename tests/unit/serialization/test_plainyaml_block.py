"""Block YAML as Kubernetes tools write it is read without PyYAML, with exactly the loader's values.

Covers, each compared type for type with :func:`mom.serialization.load_yaml_text`:

- every feature of the subset (nested mappings, indented and indentless sequences, ``- key:``
  and ``- -`` items, plain scalars folded over lines, quoted scalars with escapes and folding,
  block scalars with every chomping and indentation indicator, ``{}``/``[]``, comments, a
  leading ``---``, a root sequence) is answered, and what the loader refuses or reads in ways
  left out (anchors, tags, flow content, duplicate or non-string keys, numbers out of range,
  tabs, more documents, deep nesting, unprintable characters) is left to it;
- plain scalars resolve as YAML 1.1 does: generated number-like, boolean-like and null-like words;
- real corpora: a deterministic sample of the aws must-gather, the Go conformance corpus (every
  ``apply-configuration`` input answered) and the HyperShift manifests, with coverage figures;
- generated JSON-shaped values written by ``dump_go_yaml`` and by ``yaml.safe_dump`` in several
  styles, and mutations of real and generated texts (lines deleted, indented, duplicated,
  characters inserted): answered exactly or left to the loader, and never answered where the
  loader refuses. ``MOM_PLAINYAML_CASES`` sets how many (default 3000 of each, a few seconds);
- a list of Kubernetes objects read through ``load_document`` in a fresh interpreter without
  importing PyYAML.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from loader_support import exact, loader_value

from mom.api.errors import InvalidInput
from mom.serialization import dump_go_yaml
from mom.serialization.jsonshape import MAX_NESTING
from mom.serialization.plainjson import UNSURE
from mom.serialization.plainyaml import MAX_BYTES, plain_yaml_loads

CI_CASES = 3000
CASES = int(os.environ.get("MOM_PLAINYAML_CASES", str(CI_CASES)))


def same_or_unsure(text: str) -> bool:
    """Whether the reader answers ``text`` (checking that the loader gives the same value)."""
    value = plain_yaml_loads(text)
    if value is UNSURE:
        return False
    assert exact(value) == exact(loader_value(text)), text
    return True


READ = [
    "a:\n  b:\n    c: d\n  e: f\ng: h\n",
    "items:\n- a: 1\n  b:\n  - x\n  - y\n  c: z\n- a: 2\nnext: true\n",
    "spec:\n    containers:\n        - name: x\n          args:\n              - -v\n              - --flag=1\n",
    "- - a\n  - b\n- - - c\n- d\n",
    "- a\n-\n- - b\n-\n  k: v\n",
    "---\n# a comment\napiVersion: v1\n\n  # indented comment\nkind: List  # trailing\n",
    "a: plain text\n  folded over lines\n\n  and a paragraph\nb: x\n",
    "- first line\n  second line\n- x: a\n    b\n",
    "a: 'it''s\n  folded ''quoted''\n\n  text '\n",
    'a: "esc \\t \\" \\\\ \\/ \\0 \\a \\b \\e \\f \\n \\r \\v \\N \\_ \\L \\P \\x41 \\u00e9 \\U0001F600"\n',
    'a: "folded\n  over\n\n  lines \\\n  joined \\\n\n  \\ kept"\n',
    'a: "line ends spaced   \n  next"\nb: "x"  # comment\n',
    "a: |\n  literal\n   more\n\n  end\nb: x\n",
    "a: |-\n  stripped\n\n\nb: |+\n  kept\n\n\nc: >\n  folded\n  text\n\n   indented\n  back\n",
    "a: >-\n  x\n  y\nb: >+\n  z\n",
    "- |2\n    two more\n- >1-\n  one more\n",
    "a:\n  b: |4\n        four\n  c: |-2\n      two\n",
    "a: |\n\n  leading empty lines\n",
    "a: |  # comment\n  x\n  # not a comment\n",
    "a: {}\nb: []\nc:\n- {}\n- []  # comment\n",
    "a:\nb: ~\nc: null\nd: Null\ne: NULL\n",
    "a: yes\nb: No\nc: TRUE\nd: off\ne: On\nf: FALSE\n",
    "a: 12\nb: -3\nc: +4\nd: 0\ne: 1.5\nf: -0.0\ng: 1.e+3\nh: 18446744073709551615\ni: -9223372036854775808\n",
    "a: 1e3\nb: 0o17\nc: 10.0.0.1\nd: 4.8.0\ne: 2021-08-03\nf: 2024-10-14T22:38:20Z\ng: .\nh: -x-\n",
    '"quoted key": 1\n\'single key\': 2\n"": 3\n"on": 4\n',
    'k:{"type":"Ready"}:\n  .: {}\n  f:status: {}\n',
    "a: ::1\nb: ?x\nc: -x\nd: x:y\ne: a#b\nf: x]\ng: a, b\n",
    "a: caf\u00e9 \u2603 \U0001f600\n",
    "a: x\n",
]


@pytest.mark.parametrize("text", READ)
def test_the_subset_is_read_as_the_loader_reads_it(text: str) -> None:
    assert same_or_unsure(text), text


def nested(depth: int) -> str:
    """``depth + 1`` mappings, one in the other."""
    return "".join(f"{'  ' * level}k:\n" for level in range(depth)) + f"{'  ' * depth}k: v\n"


LEFT = [
    "a: &anchor x\nb: *anchor\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: {b: c}\n",
    "a: [1, 2]\n",
    "a: x\na: y\n",
    "1: x\n",
    "true: x\n",
    "~: x\n",
    "<<: {}\n",
    "a: <<\n",
    "a: =\n",
    "? a\n: b\n",
    "a: 18446744073709551616\n",
    "a: -9223372036854775809\n",
    "a: 1.0e+999\n",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: .nan\n",
    "a: 0x1F\n",
    "a: 012\n",
    "a: 1_000\n",
    "a: 1:30\n",
    "a:\n\tb: c\n",
    "a:\tb\n",
    "a: b\t# c\n",
    "a: x\r\n",
    "\ufeffa: x\n",
    "a: \x01\n",
    "a: x\x85y\n",
    "a: x\u2028y\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\n",
    "a: 1\n...\n",
    "a: b: c\n",
    "a: x\n  b: c\n",
    "- a\nb: c\n",
    "a:\n  - x\n  b: y\n",
    "a: |\n    x\n  y\n",
    "a: 'unclosed\n",
    'a: "\\ud800"\n',
    'a: "\\q"\n',
    "a: '' x\n",
    "a: x # c\n  y\n",
    "a: |\n     \n  x\n",
    "",
    "# only a comment\n",
    "just a scalar\n",
    "  a: indented root\n",
    nested(MAX_NESTING),
    "a: " + "x" * (MAX_BYTES - 2),
]


@pytest.mark.parametrize("text", LEFT)
def test_the_rest_is_left_to_the_loader(text: str) -> None:
    assert plain_yaml_loads(text) is UNSURE


def test_nesting_up_to_the_limit_is_read() -> None:
    assert same_or_unsure(nested(MAX_NESTING - 1))  # MAX_NESTING mappings, one in the other


SCALAR_ALPHABET = "0123456789-+._:eExXbBoinfaINFAlsuYyTtrOn~<=, "
WORDS = [
    "yes", "Yes", "YES", "yEs", "y", "n", "no", "NO", "nO", "on", "ON", "oN", "off", "Off", "true", "True",
    "tRUE", "false", "FALSE", "null", "Null", "NULL", "nULL", "~", "~~", ".inf", "-.inf", "+.INF", ".Inf",
    ".nan", ".NaN", "-.nan", ".NAN", "0", "-0", "+0", "00", "07", "08", "0b101", "0b2", "0x1f", "0xg",
    "0o17", "1_000", "_1", "1:30", "1:60", "-1:30:00", "1:30.5", "1.5", "1.", ".5", "-.5", "1e3", "1.0e3",
    "1.0e+3", "1.0E-3", "1.0e+400", "1..2", "10.0.0.1", "4.8.0", "2021-08-03", "<<", "<", "=", "==",
    "9223372036854775807", "-9223372036854775808", "18446744073709551615", "18446744073709551616",
    "1" * 30, "1." + "5" * 400,
]  # fmt: skip


def test_plain_scalars_resolve_as_yaml_1_1_does() -> None:
    rng = random.Random(7)
    words = WORDS + ["".join(rng.choices(SCALAR_ALPHABET, k=rng.randint(1, 8))) for _ in range(CASES)]
    typed = 0
    for word in words:
        same_or_unsure(f"- {word}\n")
        same_or_unsure(f"{word}: a\n")  # a key: answered only where it reads as a string
        if same_or_unsure(f"a: {word}\n"):
            typed += type(plain_yaml_loads(f"a: {word}\n")["a"]) is not str
    assert typed > 100  # numbers, booleans and nulls are answered, not only strings


def yaml_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.y*ml") if path.is_file())


def coverage(paths: list[Path]) -> tuple[int, list[Path]]:
    """How many of ``paths`` the reader answers (each checked against the loader), and the rest."""
    answered, left = 0, []
    for path in paths:
        if same_or_unsure(path.read_text(encoding="utf-8")):
            answered += 1
        else:
            left.append(path)
    return answered, left


def test_the_conformance_corpus_is_read_as_the_loader_reads_it(conformance_dir: Path) -> None:
    paths = yaml_files(conformance_dir)
    answered, left = coverage(paths)
    print(f"conformance corpus: {answered}/{len(paths)} YAML files answered")
    inputs = [
        path
        for path in paths
        if "input-dir" in path.parts and "apply-configuration" in path.relative_to(conformance_dir).parts[:3]
    ]
    assert inputs
    assert [path for path in left if path in inputs] == []  # every operator input is answered
    assert answered >= 0.95 * len(paths), left


def test_the_hypershift_manifests_are_read_as_the_loader_reads_them(realdata_dir: Path) -> None:
    paths = yaml_files(realdata_dir / "hypershift-hcp")
    answered, left = coverage(paths)
    print(f"hypershift-hcp manifests: {answered}/{len(paths)} answered")
    assert paths
    assert answered >= 0.95 * len(paths), left


def test_a_must_gather_is_read_as_the_loader_reads_it(aws_must_gather: Path) -> None:
    """Every file up to 64 KB and every fourth larger one up to :data:`MAX_BYTES` (some 2,000
    files, 15 MB): a few seconds."""
    paths = [path for path in yaml_files(aws_must_gather) if path.stat().st_size <= MAX_BYTES]
    large = [path for path in paths if path.stat().st_size > 64 * 1024]
    sample = [path for path in paths if path.stat().st_size <= 64 * 1024] + large[::4]
    answered, left = coverage(sample)
    print(f"aws must-gather: {answered}/{len(sample)} sampled YAML files answered")
    assert len(sample) > 1000
    assert answered >= 0.95 * len(sample), left[:20]


KEYS = [
    "apiVersion", "kind", "metadata", "name", "labels", "app.kubernetes.io/name", "k8s.v1.cni/status",
    "f:metadata", "k:{\"type\":\"Ready\"}", ".", "a b", "x-y_z", "on", "yes", "y", "1", "1.5", "null",
    "~", "", "<<", "=", "#c", "a: b", "a #b", "- x", "? x", "'q'", '"q"', "-x", ":x", "caf\u00e9", "\t",
]  # fmt: skip
STRINGS = [
    "", " ", "x", "a b", " lead", "trail ", "yes", "No", "ON", "y", "n", "null", "~", "1", "-1", "1.5",
    "1e3", "0x1F", "012", "1_000", "1:30", ".5", ".inf", ".nan", "<<", "=", "2021-08-03T09:21:32Z",
    "2021-08-03", "10.0.0.1", "- x", "? x", "x: y", "x #y", "#x", "&a", "*a", "!t", "%x", "@x", "`x",
    "{a}", "[a]", "{}", "[]", "'", '"', "\\", "it's", 'say "hi"', "a\nb", "a\n\nb\n", "\na", "a\n",
    "a\n ", " a\nb", "x\ty", "\t", "x\ry", "\x85", "\u2028", "\x01", "\x7f", "\ufeff", "caf\u00e9",
    "\U0001f600", "a: b\nc: d", "|", ">", "--- x", "...", "-", "--",
]  # fmt: skip
WORD_CHARS = "abcdefghij klmnop:#-'\"|>{}[]&*!%@`,?~=.\\/_0123456789\n\t\u00e9"


def random_string(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(STRINGS)
    length = rng.choice([3, 10, 40, 120])
    return "".join(
        rng.choice(WORD_CHARS) if rng.random() < 0.3 else rng.choice("abcde ") for _ in range(length)
    )


def random_value(rng: random.Random, depth: int = 0) -> Any:
    shape = rng.random()
    if depth < 5 and shape < 0.3:
        return {
            (rng.choice(KEYS) if rng.random() < 0.7 else random_string(rng)): random_value(rng, depth + 1)
            for _ in range(rng.randint(0, 5))
        }
    if depth < 5 and shape < 0.45:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if shape < 0.75:
        return random_string(rng)
    return rng.choice(
        [
            None, True, False, 0, 7, -12, 2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 1.5, -0.0,
            0.1, 1e-5, 1e300, 2.5e-300, rng.random() * 10 ** rng.randint(-20, 20), float("inf"),
            rng.randint(-(10**6), 10**6),
        ]
    )  # fmt: skip


class IndentedSequences(yaml.SafeDumper):
    """Writes sequences indented below their key, as go-yaml v3 does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dumps(value: Any, rng: random.Random) -> str:
    if rng.random() < 0.3:
        return dump_go_yaml(value)
    return yaml.dump(
        value,
        Dumper=rng.choice([yaml.SafeDumper, IndentedSequences]),
        default_flow_style=False,
        indent=rng.choice([2, 4]),
        width=rng.choice([20, 80]),
        explicit_start=rng.random() < 0.3,
        allow_unicode=rng.random() < 0.5,
        sort_keys=rng.random() < 0.5,
    )


def test_generated_documents_are_read_as_the_loader_reads_them() -> None:
    rng = random.Random(20261202)
    answered = 0
    for _ in range(CASES):
        value = random_value(rng)
        if rng.random() < 0.8:
            value = {"root": value, "kind": "Thing"} if rng.random() < 0.7 else [value, "item"]
        try:
            text = dumps(value, rng)
        except (ValueError, yaml.YAMLError):
            continue  # a value the Go writer does not take
        answered += same_or_unsure(text)
    print(f"generated documents: {answered}/{CASES} answered")
    assert answered > 0.6 * CASES


MUTATION_CHARACTERS = ":#-'\"|>{}[]&*!% \t"


def mutated(text: str, rng: random.Random) -> str:
    """``text`` with one to three lines deleted, indented or unindented, duplicated, or given a
    character from :data:`MUTATION_CHARACTERS`."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        line = lines[at]
        change = rng.random()
        if change < 0.2 and len(lines) > 1:
            del lines[at]
        elif change < 0.3 and line[:1] == " ":
            lines[at] = line[rng.choice([1, 2]) :]
        elif change < 0.4:
            lines[at] = " " * rng.choice([1, 2, 4]) + line
        elif change < 0.5:
            lines.insert(at, line)
        else:
            where = rng.randint(0, len(line))
            lines[at] = line[:where] + rng.choice(MUTATION_CHARACTERS) + line[where:]
    return "\n".join(lines)


def test_mutated_documents_are_read_as_the_loader_reads_them_or_left_to_it(
    conformance_dir: Path, realdata_dir: Path
) -> None:
    rng = random.Random(1202)
    texts = [
        text
        for path in yaml_files(conformance_dir) + yaml_files(realdata_dir / "hypershift-hcp")
        if len(text := path.read_text(encoding="utf-8")) < 4000
    ]
    texts = rng.sample(texts, 80)
    while len(texts) < 120:
        try:
            texts.append(dumps({"a": random_value(rng), "b": random_value(rng)}, rng))
        except (ValueError, yaml.YAMLError):
            continue
    answered = refused = 0
    for _ in range(CASES):
        text = mutated(rng.choice(texts), rng)
        answered += same_or_unsure(text)
        refused += loader_value(text) is InvalidInput
    print(f"mutated documents: {answered}/{CASES} answered, {refused} refused by the loader")
    assert answered > 0.2 * CASES and refused > 0.1 * CASES  # both sides are exercised


def test_reading_kubernetes_objects_does_not_load_pyyaml(tmp_path: Path) -> None:
    objects = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "x", "labels": {"app": "x"}, "annotations": {"note": "a\nb\n"}},
                "spec": {
                    "replicas": 3,
                    "paused": False,
                    "template": {"spec": {"containers": [{"args": ["-v=2"]}]}},
                },
            }
        ],
    }
    (tmp_path / "objects.yaml").write_text(dump_go_yaml(objects))
    script = (
        "import json, sys\n"
        "from mom.serialization import load_document\n"
        f"value = load_document(open({str(tmp_path / 'objects.yaml')!r}, 'rb').read(), 'objects.yaml')\n"
        "print(json.dumps(value, sort_keys=True))\n"
        "print('yaml' in sys.modules)\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    value, imported = loaded.stdout.strip().split("\n")
    assert value == exact(objects)
    assert imported == "False"
