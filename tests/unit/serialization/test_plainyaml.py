"""YAML documents skip PyYAML only where the YAML loader gives exactly the same value.

Covers: a golden test's ``test.yaml`` read without PyYAML (nor PyYAML imported); small forms the
first, flat reader left to PyYAML now read exactly as the loader reads them, and forms still
left to it; generated flat documents with tricky scalars and keys. The block YAML of
Kubernetes objects is covered by ``test_plainyaml_block.py``.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from loader_support import exact, loader_value

from mom.serialization.plainyaml import UNSURE, plain_yaml_loads

TEST_YAML = (
    "binaryName: ./sample-operator\n"
    "testName: test controller name\n"
    "controllers:\n"
    '  - "sample-operator-IngressCreator"\n'
    "description: >\n"
    "  Test if specifying a controller name works.\n"
    "\n"
    "  input-dir:\n"
    '    - config.openshift.io/clusterversions: required to "start the operator"\n'
    "  - core/nodes: otherwise the replica count is 0 \n"  # a trailing space is content
    "testType: ApplyConfiguration\n"
    "now: 2024-10-14T22:38:20Z\n"
)


def test_a_golden_test_file_reads_as_the_loader_reads_it() -> None:
    value = plain_yaml_loads(TEST_YAML)
    assert value is not UNSURE
    assert exact(value) == exact(loader_value(TEST_YAML))
    assert value["description"].startswith(
        "Test if specifying a controller name works.\ninput-dir:\n  - config"
    )
    assert value["now"] == "2024-10-14T22:38:20Z"


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\n",
        "a: Null\n",
        "a: 12\n",
        "a: x # comment\n",
        "a:\n  b: c\n",
        "a:\n",
        "a: x\n  continued\n",
        "a: >\n\n  leading empty line\n",
        "a: >+\n  kept\n\n",
        "a: 'it''s'\n",
        'a: "esc\\n"\n',
        "a: caf\u00e9\n",
        "---\na: x\n",
        "- a\n- b\n",
    ],
)
def test_typed_nested_and_quoted_documents_read_as_the_loader_reads_them(text: str) -> None:
    value = plain_yaml_loads(text)
    assert value is not UNSURE
    assert exact(value) == exact(loader_value(text))


@pytest.mark.parametrize(
    "text",
    [
        "on: x\n",  # a boolean key
        "a: .inf\n",
        "a: x\na: y\n",
        "a: x\r\n",
        "a:\tx\n",
        "",
        "{a: b}\n",
        "a: &anchor x\n",
        "a: !!str x\n",
    ],
)
def test_anything_else_is_left_to_pyyaml(text: str) -> None:
    assert plain_yaml_loads(text) is UNSURE


COMMON = [
    "x", "basic call", "ApplyConfiguration", "./bin", "../bin", "/usr/bin/op", "a:b", "a - b", "a, b",
    "x]", "a  b", "x'y", 'x"y', "2024-10-14T22:38:20Z", "2024-10-14t22:38:20.5+02:00", "'q'", '"q"',
    '""', "''", "NaN", "y", "n",
]  # fmt: skip
TRICKY = [
    "yes", "No", "TRUE", "off", "null", "Null", "~", ".nan", ".inf", "-1", "0x1F", "1_000", "12:30",
    "1.5", "1e3", "0o17", "=", "<<", ".x", "a: b", "a:", "[x]", "{x}", "*alias", "&anchor x", "!tag x",
    "%x", "@x", "`x", "|", ">", ">-", "|-", ">+", "|2", "- x", "? x", "2024-10-14", "2024-10-14 22:38:20",
    "'it''s'", '"a\\tb"', '"', "'", "\u00dcn\u00ef",
]  # fmt: skip
KEYS = ["a", "b", "binaryName", "key-1", "k_2", "a"]
TRICKY_KEYS = ["on", "Off", "1a", "a b", "a.b", '"a"']


def pick(rng: random.Random, common: list[str], tricky: list[str]) -> str:
    return rng.choice(common if rng.random() < 0.8 else tricky)


def random_document(rng: random.Random) -> str:
    lines: list[str] = []
    for _ in range(rng.randint(1, 5)):
        key = pick(rng, KEYS, TRICKY_KEYS)
        shape = rng.random()
        if shape < 0.4:
            lines.append(
                f"{key}:{rng.choice([' ', ' ', '  ', ''])}{pick(rng, COMMON, TRICKY)}{rng.choice(['', ' '])}"
            )
        elif shape < 0.6:
            lines.append(f"{key}:")
            indent = rng.choice(["", "  ", "    "])
            for _ in range(rng.randint(0, 3)):
                lines.append(f"{indent if rng.random() < 0.9 else ' '}- {pick(rng, COMMON, TRICKY)}")
        else:
            lines.append(f"{key}: {rng.choice(['>', '|', '>-', '|-', '>', '|', '>+', '>2'])}")
            indent = rng.choice([1, 2, 2, 4])
            for _ in range(rng.randint(0, 6)):
                extra = rng.choice([0, 0, 0, 0, 0, 0, 1, 2, -1])
                body = rng.choice(["", "", "text", "more text ", "- item: x", *COMMON, *TRICKY])
                if not body and rng.random() < 0.5:
                    lines.append(" " * rng.choice([0, indent, indent + 2]))
                else:
                    lines.append(" " * max(indent + extra, 0) + body)
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "  ", "   x"]))
    return "\n".join(lines) + rng.choice(["\n", "\n", "", "\n\n"])


def test_generated_documents_read_as_the_loader_reads_them_or_are_left_to_it() -> None:
    rng = random.Random(20261202)
    taken = 0
    for _ in range(6000):
        text = random_document(rng)
        value = plain_yaml_loads(text)
        if value is UNSURE:
            continue
        taken += 1
        assert exact(value) == exact(loader_value(text)), text
    assert taken > 400  # the subset is exercised, not only refused


def test_reading_a_golden_test_file_does_not_load_pyyaml(tmp_path: Path) -> None:
    (tmp_path / "test.yaml").write_text(TEST_YAML)
    script = (
        "import sys\n"
        "from mom.serialization import load_document\n"
        f"value = load_document(open({str(tmp_path / 'test.yaml')!r}, 'rb').read(), 'test.yaml')\n"
        "assert value['testType'] == 'ApplyConfiguration', value\n"
        "print('yaml' in sys.modules)\n"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"
