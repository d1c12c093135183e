"""``mom test``'s command line read without argparse means exactly what argparse reads from it.

Covers: the spellings an operator repository's CI uses (``--flag=value``, ``--flag value``, a bare
``--replace-expected-output``, ``-v`` before the command) are read without argparse; every
command line read that way gives argparse's values; whatever argparse refuses, or reads in a way
the fast reader does not follow (abbreviations, help, a value that looks like a flag, bad
numbers), is left to argparse. Checked on chosen lines and on a few thousand random ones.
"""

from __future__ import annotations

import contextlib
import io
import random
from typing import Any

import pytest

from mom.cli.main import build_parser, read_without_argparse

TOKENS = [
    "--test-dir=t",
    "--test-dir",
    "t2",
    "--output-dir=o",
    "--output-dir",
    "o2",
    "--binary=./op",
    "--binary",
    "--timeout=5",
    "--timeout",
    "2.5",
    "nan",
    "x",
    "--jobs=2",
    "--jobs",
    "3",
    "-1",
    "--preserve-policy=Never",
    "--preserve-policy",
    "--replace-expected-output",
    "--replace-expected-output=false",
    "--replace-expected-output=t",
    "-k",
    "-k=name",
    "-kname",
    "name",
    "--test",
    "--out=o",
    "-h",
    "--help",
    "-v",
    "--",
    "-",
    "",
]


def shown(namespace: Any) -> dict[str, str]:
    """The values of a parsed namespace by their ``repr`` (a ``nan`` timeout equals itself)."""
    return {name: repr(value) for name, value in vars(namespace).items()}


def argparse_reading(argv: list[str]) -> dict[str, str] | None:
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return shown(build_parser(argv).parse_args(argv))
    except SystemExit:
        return None


def same_reading(argv: list[str]) -> bool | None:
    """Whether the fast reader agrees with argparse: ``None`` when it left the line to argparse."""
    fast = read_without_argparse(argv)
    if fast is None:
        return None
    return shown(fast) == argparse_reading(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [
            "test",
            "apply-configuration",
            "--test-dir=./test-data/apply-configuration",
            "--output-dir=/tmp/out",
        ],
        ["test", "apply-configuration", "--test-dir", "t", "--output-dir", "o", "--jobs", "2", "-k", "basic"],
        ["-v", "test", "apply-configuration", "--test-dir=t", "--output-dir=o", "--replace-expected-output"],
        [
            "-vv",
            "test",
            "apply-configuration",
            "--output-dir=o",
            "--test-dir=t",
            "--replace-expected-output=false",
        ],
        ["test", "apply-configuration", "--test-dir=t", "--output-dir=o", "--timeout=0.5", "--binary=./op"],
        [
            "test",
            "apply-configuration",
            "--test-dir=t",
            "--output-dir=o",
            "--preserve-policy=",
            "--test-dir=u",
        ],
    ],
)
def test_what_ci_writes_is_read_without_argparse_as_argparse_reads_it(argv: list[str]) -> None:
    assert same_reading(argv) is True


@pytest.mark.parametrize(
    "argv",
    [
        ["test", "apply-configuration", "--test=t", "--output-dir=o"],  # an abbreviation
        ["test", "apply-configuration", "--test-dir=t"],  # --output-dir missing
        ["test", "apply-configuration", "--test-dir=t", "--output-dir=o", "--jobs=two"],
        ["test", "apply-configuration", "--test-dir=t", "--output-dir=o", "-h"],
        ["test", "apply-configuration", "--test-dir", "-t", "--output-dir=o"],
        ["test", "apply-configuration", "--test-dir=t", "--output-dir=o", "--replace-expected-output", "yes"],
        ["test", "--test-dir=t", "--output-dir=o"],
        ["--verb", "test", "apply-configuration", "--test-dir=t", "--output-dir=o"],
        ["get", "pods"],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert read_without_argparse(argv) is None


def test_random_command_lines_read_alike() -> None:
    rng = random.Random(15)
    read = 0
    for _ in range(3000):
        flags = [rng.choice(TOKENS) for _ in range(rng.randint(0, 7))]
        if rng.random() < 0.7:
            flags += ["--test-dir=t", "--output-dir=o"]
            rng.shuffle(flags)
        prefix = rng.choice([[], ["-v"], ["-vv"], ["--verbose", "-v"]])
        argv = [*prefix, "test", "apply-configuration", *flags]
        agreed = same_reading(argv)
        assert agreed is not False, argv
        read += agreed is True
    assert read > 300  # the fast path is taken, not only declined
