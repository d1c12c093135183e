"""Judging golden test cases with the harness library (scripted operator as the binary).

Covers: a passing case and the argv it receives (--now, --controllers); a wrong expected output
failing with a difference naming the mutation and the field; every desiredError / exit status
combination; per-test timeouts killing the operator; a binary that cannot start; a missing
expected-output meaning "no mutations"; Unspecified/ failing with each undeclared mutation
named; replace-expected-output writing goldens without Unspecified/ or logs, and refusing to
when the exit status is wrong; the preserve policy; the -k filter; same-named tests kept apart;
invalid test.yaml files reported together before anything runs; unsafe output directories;
topology checks (pass, and a namespace collision under HyperShift).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from golden_support import CONFIGMAP_FOO, INGRESS, RESULTS, MakeCase, default_script

from mom.api.errors import InvalidInput
from mom.mutationdir.equivalence import compare_outputs
from mom.testing.harness import PreservePolicy, SuiteOptions, run_suite
from mom.testing.report import CaseOutcome, CaseResult, SuiteResult


def run(tmp_path: Path, binary: Path | None, **kwargs: Any) -> SuiteResult:
    options = SuiteOptions(
        test_dir=tmp_path / "tests",
        output_dir=tmp_path / "out",
        working_dir=tmp_path,
        binary=str(binary) if binary else None,
        **kwargs,
    )
    return run_suite(options)


def only(suite: SuiteResult) -> CaseResult:
    (result,) = suite.results
    return result


def test_matching_output_passes_and_operator_gets_now_and_controllers(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("ok", now="2024-10-14T22:38:20Z", controllers=["op-Demo", "-op-Other"])
    result = only(run(tmp_path, operator_binary, preserve_policy=PreservePolicy.KEEP_ALWAYS))
    assert result.outcome is CaseOutcome.PASSED, result.failure_report()
    assert "--now 2024-10-14T22:38:20Z --controllers op-Demo,-op-Other" in result.stderr_tail
    assert (tmp_path / "out" / "ok" / "stdout.log").read_text() == "scripted operator running\n"


def test_wrong_expected_output_fails_naming_mutation_and_field(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    expected = default_script()
    changed = copy.deepcopy(CONFIGMAP_FOO)
    changed["body"]["data"]["counter"] = "2"
    expected["mutations"]["UserWorkload"] = [changed]
    make_case("wrong", expected=expected)
    result = only(run(tmp_path, operator_binary))
    assert result.outcome is CaseOutcome.FAILED
    (difference,) = result.differences
    assert difference.subject == "Create-ConfigMap.v1./foo[openshift-authentication]"
    assert difference.cluster_type == "UserWorkload"
    report = result.failure_report()
    assert "data.counter" in report
    assert '-  counter: "2"' in report and '+  counter: "1"' in report
    assert result.output_dir is not None and result.output_dir.is_dir()  # kept for inspection


@pytest.mark.parametrize(
    ("exit_code", "desired_error", "outcome", "reason"),
    [
        (1, "NonZeroReturn", CaseOutcome.PASSED, None),
        (0, "NonZeroReturn", CaseOutcome.FAILED, "requires a non-zero exit code"),
        (3, "", CaseOutcome.FAILED, "exited with code 3"),
        (0, "", CaseOutcome.PASSED, None),
    ],
)
def test_exit_status_rules(
    tmp_path: Path,
    make_case: MakeCase,
    operator_binary: Path,
    exit_code: int,
    desired_error: str,
    outcome: CaseOutcome,
    reason: str | None,
) -> None:
    make_case("exit", script={**default_script(), "exitCode": exit_code}, desiredError=desired_error)
    result = only(run(tmp_path, operator_binary))
    assert result.outcome is outcome
    assert result.differences == ()  # the output matched: only the exit status decides
    if reason:
        assert reason in result.message


def test_wanted_non_zero_exit_still_compares_output(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case(
        "fail",
        script={**default_script(), "exitCode": 1},
        expected={"results": RESULTS},
        desiredError="NonZeroReturn",
    )
    result = only(run(tmp_path, operator_binary))
    assert result.outcome is CaseOutcome.FAILED
    assert {d.kind for d in result.differences} == {"extra"}


def test_timeout_kills_operator_and_reports(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("slow", script={**default_script(), "sleep": 30}, timeout=0.5)
    result = only(run(tmp_path, operator_binary))
    assert result.outcome is CaseOutcome.ERROR
    assert result.message == "timed out after 0.5 s"
    assert result.duration < 10


def test_binary_that_cannot_start_is_an_error(tmp_path: Path, make_case: MakeCase) -> None:
    make_case("nobin")
    result = only(run(tmp_path, None))  # binaryName ./scripted-operator does not exist in tmp_path
    assert result.outcome is CaseOutcome.ERROR
    assert result.message.startswith("could not start the operator:")


def test_missing_expected_output_means_no_mutations(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    event = {
        "action": "Create",
        "resource": "events",
        "namespace": "ns",
        "name": "e1",
        "body": {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e1", "namespace": "ns"}},
    }
    make_case("quiet", script={"results": RESULTS, "mutations": {"Management": [event]}}, expected=None)
    make_case("noisy", expected=None)
    noisy, quiet = run(tmp_path, operator_binary).results
    assert quiet.outcome is CaseOutcome.PASSED, quiet.failure_report()  # events are never compared
    assert noisy.outcome is CaseOutcome.FAILED
    assert sorted(d.subject for d in noisy.differences) == [
        "Create-ConfigMap.v1./foo[openshift-authentication]",
        "Create-Ingress.v1.config.openshift.io/cluster[]",
    ]
    assert "expects no mutations" in noisy.failure_report()


def test_unspecified_output_fails_naming_each_mutation(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    script = default_script()
    make_case(
        "undeclared",
        script={**script, "mutations": {**script["mutations"], "Unspecified": [INGRESS]}},
        expected=script,
    )
    result = only(run(tmp_path, operator_binary))
    assert result.outcome is CaseOutcome.FAILED
    assert result.differences == ()
    assert "1 mutation was not declared in output-resources" in result.message
    assert "Create-Ingress.v1.config.openshift.io/cluster[]" in result.message


def test_replace_expected_output_rewrites_goldens_without_unspecified_or_logs(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    script = default_script()
    good = make_case("good", expected={"results": []})
    bad = make_case(
        "undeclared", script={**script, "mutations": {**script["mutations"], "Unspecified": [INGRESS]}}
    )
    results = run(tmp_path, operator_binary, replace_expected_output=True).results
    assert [r.outcome for r in results] == [CaseOutcome.PASSED, CaseOutcome.FAILED]
    assert all(r.replaced for r in results)
    for case in (good, bad):
        golden = case / "expected-output"
        assert sorted(p.name for p in golden.iterdir()) == [
            "Configuration",
            "UserWorkload",
            "controller-results.yaml",
        ]
        assert [p.name for p in case.iterdir() if p.name.startswith(".")] == []  # no staging leftovers
    assert run(tmp_path, operator_binary, name_filter="good").results[0].passed


def test_replace_keeps_goldens_when_exit_status_is_wrong(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    case = make_case("crash", script={**default_script(), "exitCode": 2}, expected={"results": []})
    before = (case / "expected-output" / "controller-results.yaml").read_bytes()
    result = only(run(tmp_path, operator_binary, replace_expected_output=True))
    assert result.outcome is CaseOutcome.FAILED and not result.replaced
    assert (case / "expected-output" / "controller-results.yaml").read_bytes() == before
    assert not (case / "expected-output" / "Configuration").exists()


def test_replaced_goldens_equal_actual_output(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    case = make_case("refresh", expected={"results": []})
    run(tmp_path, operator_binary, replace_expected_output=True, preserve_policy=PreservePolicy.KEEP_ALWAYS)
    assert compare_outputs(case / "expected-output", tmp_path / "out" / "refresh") == []


@pytest.mark.parametrize(
    ("policy", "kept"),
    [
        (PreservePolicy.KEEP_ON_FAILURE, False),
        (PreservePolicy.KEEP_ALWAYS, True),
        (PreservePolicy.NEVER, False),
    ],
)
def test_preserve_policy_for_passing_tests(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path, policy: PreservePolicy, kept: bool
) -> None:
    make_case("ok")
    result = only(run(tmp_path, operator_binary, preserve_policy=policy))
    assert result.passed
    assert (tmp_path / "out" / "ok").exists() is kept


def test_same_test_names_are_told_apart_by_directory(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    for rel in ("a/basic", "b/basic", "c"):
        make_case(rel, testName="basic call")
    suite = run(tmp_path, operator_binary, preserve_policy=PreservePolicy.KEEP_ALWAYS)
    assert [r.case.relative_name for r in suite.results] == ["a/basic", "b/basic", "c"]
    assert {r.case.description.test_name for r in suite.results} == {"basic call"}
    assert all(
        (tmp_path / "out" / rel / "controller-results.yaml").is_file() for rel in ("a/basic", "b/basic", "c")
    )
    assert suite.summary_line() == "3 passed, 0 failed"


def test_name_filter_selects_by_directory_or_test_name(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("first", testName="alpha")
    make_case("second", testName="beta")
    assert [r.case.relative_name for r in run(tmp_path, operator_binary, name_filter="beta").results] == [
        "second"
    ]
    assert [r.case.relative_name for r in run(tmp_path, operator_binary, name_filter="fir").results] == [
        "first"
    ]


def test_invalid_test_yaml_files_are_all_reported_before_running(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("ok")
    make_case("bad-one", desiredError="Sometimes", now="yesterday")
    make_case("bad-two", testType="Other", colour="blue")
    with pytest.raises(InvalidInput) as raised:
        run(tmp_path, operator_binary)
    message = str(raised.value)
    assert "\n" not in message
    assert "bad-one/test.yaml: 2 problems: desiredError: Unsupported value: 'Sometimes'" in message
    assert "now: Invalid value: 'yesterday'" in message
    assert (
        "bad-two/test.yaml: 2 problems: colour: Forbidden: unknown field; testType: Unsupported value"
        in message
    )
    assert not (tmp_path / "out").exists()


def test_output_dir_that_would_delete_tests_is_refused(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    case = make_case("ok")
    for output_dir in (tmp_path, tmp_path / "tests", case / "input-dir"):
        options = SuiteOptions(tmp_path / "tests", output_dir, tmp_path, binary=str(operator_binary))
        with pytest.raises(InvalidInput, match="output directory must not"):
            run_suite(options)
    assert (case / "test.yaml").is_file()


def test_topologies_pass_for_faithful_routing(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    event = {**CONFIGMAP_FOO, "resource": "events", "name": "e"}
    event["body"] = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "op-ns"}}
    event["namespace"] = "op-ns"
    make_case(
        "routed",
        script={"results": RESULTS, "mutations": {"Management": [event, INGRESS]}},
        topologies=["Standalone", "HyperShift"],
    )
    assert only(run(tmp_path, operator_binary)).passed


def test_topology_collision_under_hypershift_fails(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    other = copy.deepcopy(CONFIGMAP_FOO)
    other["namespace"] = other["body"]["metadata"]["namespace"] = "openshift-other"
    make_case(
        "clash",
        script={"results": RESULTS, "mutations": {"Management": [CONFIGMAP_FOO, other]}},
        topologies=["HyperShift"],
    )
    result = only(run(tmp_path, operator_binary))
    assert result.outcome is CaseOutcome.FAILED
    assert result.differences == ()
    assert result.message == (
        "topology HyperShift: configmaps.core openshift-authentication/foo, openshift-other/foo all map to "
        "clusters-example/foo on management-cluster"
    )


def test_unreadable_output_passes_only_after_a_wanted_failure(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    for rel, desired in (("wanted", "NonZeroReturn"), ("unwanted", "")):
        case = make_case(rel, script={**default_script(), "exitCode": 1}, desiredError=desired)
        for body in (case / "input-dir" / "output" / "UserWorkload").rglob("*-metadata-*.yaml"):
            body.unlink()  # a body without its metadata file cannot be read
    unwanted, wanted = run(tmp_path, operator_binary).results
    assert wanted.outcome is CaseOutcome.PASSED, wanted.failure_report()
    assert unwanted.outcome is CaseOutcome.FAILED
    assert "cannot read the outputs:" in unwanted.failure_report()
    assert "no metadata file" in unwanted.failure_report()
