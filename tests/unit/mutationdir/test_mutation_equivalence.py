"""Comparing mutation sets and apply-configuration outputs (FORMATS.md §2.8, groups D and E).

Covers:
- need-useful-diff (E1): exactly three differences, in order: the Metadata field manager's
  request missing, a body difference for the PayloadConfig field
  manager naming the OAuthConfigDegraded condition's message/reason/status, and the extra
  oauth-server-ResourceSync request; controller names from the legacy body annotation;
- every expected output of the apply-configuration cases (D) equals itself; changing one body
  field gives one 'body' difference naming the request and the field; removing a request gives
  'missing'; changing controller results gives 'results'; an Unspecified/ directory is ignored;
- library rules: order and duplicates do not matter; events are ignored unless asked; every
  compared field (options bytes, controller name, kind) makes a difference;
- the rendered report counts the differences and quotes their details.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.mutationdir.equivalence import compare_outputs, compare_requests, render_differences
from mom.mutationdir.requests import MutationRequest

NEED_USEFUL_DIFF = "multi-operator-manager/pkg/library/libraryapplyconfiguration/testdata/need-useful-diff"
APPLY_CONFIGURATION = "multi-operator-manager/test-data/apply-configuration"
CASES = ("eventing-01", "test-basic-call", "test-controller-name", "test-forced-error")
AUTHENTICATION = "ApplyStatus-Authentication.v1.operator.openshift.io/cluster[]"


@pytest.mark.conformance
def test_need_useful_diff_gives_the_three_upstream_differences(conformance_dir: Path) -> None:
    root = conformance_dir / NEED_USEFUL_DIFF
    differences = compare_outputs(root / "lhs", root / "rhs")

    assert [(d.cluster_type, d.subject, d.kind) for d in differences] == [
        ("Management", AUTHENTICATION, "missing"),
        ("Management", AUTHENTICATION, "body"),
        ("Management", AUTHENTICATION, "extra"),
    ]
    missing, body, extra = (d.message for d in differences)
    assert "fieldManager=openshift-authentication-Metadata" in missing
    assert "controllerInstanceName=TODO-metadataController" in missing
    assert "fieldManager=openshift-authentication-PayloadConfig" in body
    assert "controllerInstanceName=TODO-payloadConfigController" in body
    for field in ("message", "reason", "status"):
        assert f"status.conditions[0].{field} (type=OAuthConfigDegraded)" in body
    assert "-    reason: GetFailed" in body
    assert '+    reason: ""' in body
    assert "fieldManager=oauth-server-ResourceSync" in extra
    assert "controllerInstanceName=TODO-resourceSyncer" in extra


@pytest.mark.conformance
def test_need_useful_diff_report_is_readable(conformance_dir: Path) -> None:
    root = conformance_dir / NEED_USEFUL_DIFF
    report = render_differences(compare_outputs(root / "lhs", root / "rhs"))
    assert report.startswith("3 differences:\n1. [Management] missing " + AUTHENTICATION)
    assert "\n3. [Management] extra " in report
    assert render_differences(compare_outputs(root / "lhs", root / "lhs")) == "equivalent: no differences\n"


@pytest.mark.conformance
@pytest.mark.parametrize("case", CASES)
def test_expected_output_is_equivalent_to_itself(case: str, conformance_dir: Path) -> None:
    expected = conformance_dir / APPLY_CONFIGURATION / case / "expected-output"
    assert compare_outputs(expected, expected) == []


def _copy_output(conformance_dir: Path, case: str, tmp_path: Path) -> tuple[Path, Path]:
    expected = conformance_dir / APPLY_CONFIGURATION / case / "expected-output"
    actual = tmp_path / "actual"
    shutil.copytree(expected, actual)
    return expected, actual


@pytest.mark.conformance
def test_changed_body_field_is_one_body_difference(conformance_dir: Path, tmp_path: Path) -> None:
    expected, actual = _copy_output(conformance_dir, "test-basic-call", tmp_path)
    (body,) = (actual / "UserWorkload").rglob("*-body-foo.yaml")
    body.write_bytes(body.read_bytes().replace(b'counter: "1"', b'counter: "2"'))

    (difference,) = compare_outputs(expected, actual)
    assert (difference.cluster_type, difference.kind) == ("UserWorkload", "body")
    assert difference.subject == "Create-ConfigMap.v1./foo[openshift-authentication]"
    assert "data.counter" in difference.message
    assert "controllerInstanceName=sample-operator-Demo" in difference.message


@pytest.mark.conformance
def test_removed_request_is_missing_and_events_are_ignored(conformance_dir: Path, tmp_path: Path) -> None:
    expected, actual = _copy_output(conformance_dir, "test-forced-error", tmp_path)
    shutil.rmtree(actual / "Configuration")
    shutil.rmtree(actual / "Management" / "Create")  # only holds the event
    (actual / "Unspecified" / "Create").mkdir(parents=True)

    (difference,) = compare_outputs(expected, actual)
    assert (difference.cluster_type, difference.kind) == ("Configuration", "missing")
    assert difference.subject == "Create-Ingress.v1.config.openshift.io/cluster[]"


@pytest.mark.conformance
def test_changed_controller_results_are_one_results_difference(conformance_dir: Path, tmp_path: Path) -> None:
    expected, actual = _copy_output(conformance_dir, "test-forced-error", tmp_path)
    results = actual / "controller-results.yaml"
    results.write_bytes(results.read_bytes().replace(b"fail the process", b"something else"))
    (difference,) = compare_outputs(expected, actual)
    assert difference.kind == "results"
    assert "controllerResults[1].errors[0].message" in difference.message
    results.unlink()
    (difference,) = compare_outputs(expected, actual)
    assert difference.kind == "results"


def _request(**changes: object) -> MutationRequest:
    fields: dict[str, object] = {
        "action": Action.UPDATE,
        "gvr": GroupVersionResource("", "v1", "configmaps"),
        "namespace": "ns",
        "name": "foo",
        "generate_name": "",
        "kind": GroupVersionKind("", "v1", "ConfigMap"),
        "body": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: foo\n  namespace: ns\n",
    }
    fields.update(changes)
    return MutationRequest(**fields)  # type: ignore[arg-type]


def test_order_and_duplicates_do_not_matter() -> None:
    a, b = _request(), _request(name="bar")
    assert compare_requests([a, b, a], [b, a]) == []


def test_events_are_ignored_unless_asked() -> None:
    event = _request(action=Action.CREATE, gvr=GroupVersionResource("", "v1", "events"), name="e.1")
    new_event = _request(action=Action.CREATE, gvr=GroupVersionResource("events.k8s.io", "v1", "events"))
    assert compare_requests([event], [new_event]) == []
    assert [d.kind for d in compare_requests([event], [], ignore_events=False)] == ["missing"]


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"options": b"fieldValidation: Strict\n"}, "options"),
        ({"controller_instance_name": "other"}, "missing"),
        ({"kind": GroupVersionKind("", "v1", "Secret")}, "body"),
        ({"body": b"apiVersion: v1\nkind: ConfigMap\n"}, "body"),
    ],
)
def test_each_compared_field_makes_a_difference(change: dict[str, object], kind: str) -> None:
    differences = compare_requests([_request()], [_request(**change)])
    assert differences[0].kind == kind
    assert len(differences) == (2 if kind == "missing" else 1)
