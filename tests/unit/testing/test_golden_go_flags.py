"""`mom test apply-configuration` accepts every flag spelling the Go harness accepts.

Covers, each through mom's CLI entry point: ``--replace-expected-output`` bare and with every
value Go's strconv.ParseBool reads as true (expected output rewritten, exit 0) or false (a
normal comparing run, expected output untouched); a value Go refuses is a usage error naming
the value, before anything runs; ``--preserve-policy`` with KeepAlways, any other non-empty
value (kept, as in Go), an empty value and KeepOnFailure (passing outputs deleted, failing ones
kept) and Never (nothing kept); ``--flag=value`` and ``--flag value`` forms alike.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from golden_support import CONFIGMAP_FOO, MakeCase, default_script

from mom.cli.main import main

TRUE_SPELLINGS = ["", "=true", "=1", "=t", "=T", "=TRUE", "=True"]
FALSE_SPELLINGS = ["=false", "=0", "=f", "=F", "=FALSE", "=False"]


def _stale_case(make_case: MakeCase) -> Path:
    """A case whose expected output says counter 7 while the operator writes counter 1."""
    expected = default_script()
    stale = copy.deepcopy(CONFIGMAP_FOO)
    stale["body"]["data"]["counter"] = "7"
    expected["mutations"]["UserWorkload"] = [stale]
    return make_case("stale", expected=expected)


def _expected_counter(case: Path) -> str:
    configmaps = case / "expected-output" / "UserWorkload" / "Create" / "namespaces"
    (body,) = configmaps.rglob("*-body-foo.yaml")
    return body.read_text().split("counter: ")[1].split("\n")[0].strip('"')


def _run(tmp_path: Path, operator_binary: Path, *flags: str) -> int:
    return main(
        [
            "test",
            "apply-configuration",
            f"--test-dir={tmp_path / 'tests'}",
            f"--output-dir={tmp_path / 'out'}",
            f"--binary={operator_binary}",
            *flags,
        ]
    )


@pytest.mark.parametrize("spelling", TRUE_SPELLINGS)
def test_replace_expected_output_true_spellings_rewrite_expected_output(
    spelling: str,
    tmp_path: Path,
    make_case: MakeCase,
    operator_binary: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = _stale_case(make_case)
    assert _run(tmp_path, operator_binary, f"--replace-expected-output{spelling}") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"
    assert _expected_counter(case) == "1"


@pytest.mark.parametrize("spelling", FALSE_SPELLINGS)
def test_replace_expected_output_false_spellings_compare_and_leave_expected_output(
    spelling: str,
    tmp_path: Path,
    make_case: MakeCase,
    operator_binary: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = _stale_case(make_case)
    assert _run(tmp_path, operator_binary, f"--replace-expected-output{spelling}") == 1
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 1 failed"
    assert _expected_counter(case) == "7"


@pytest.mark.parametrize("value", ["yes", "on", "2", ""])
def test_replace_expected_output_value_go_refuses_is_a_usage_error(
    value: str, tmp_path: Path, make_case: MakeCase, operator_binary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _stale_case(make_case)
    with pytest.raises(SystemExit) as exit_info:
        _run(tmp_path, operator_binary, f"--replace-expected-output={value}")
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.startswith(f"mom: error: --replace-expected-output: invalid boolean value {value!r} (use ")
    assert err.count("\n") == 1
    assert not (tmp_path / "out").exists()
    assert _expected_counter(case) == "7"


@pytest.mark.parametrize(
    ("flags", "kept"),
    [
        (["--preserve-policy=KeepAlways"], {"good", "stale"}),
        (["--preserve-policy", "KeepAlways"], {"good", "stale"}),
        (["--preserve-policy=Keep"], {"good", "stale"}),
        (["--preserve-policy=true"], {"good", "stale"}),
        (["--preserve-policy=keepalways"], {"good", "stale"}),
        (["--preserve-policy="], {"stale"}),
        ([], {"stale"}),
        (["--preserve-policy=KeepOnFailure"], {"stale"}),
        (["--preserve-policy=Never"], set()),
    ],
)
def test_preserve_policy_keeps_outputs_as_go_does_for_any_non_empty_value(
    flags: list[str],
    kept: set[str],
    tmp_path: Path,
    make_case: MakeCase,
    operator_binary: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_case("good")
    _stale_case(make_case)
    assert _run(tmp_path, operator_binary, *flags) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 1 failed"
    output = tmp_path / "out"
    assert {p.name for p in output.iterdir() if p.is_dir()} == kept
    assert (output / "junit.xml").is_file()
    for name in kept:
        assert (output / name / "stderr.log").is_file()
