"""In-process operator tests: `run_scenario` and typed models over mom's transport.

Covers:
- objects in (plain dicts of built-in kinds, or (resource, object) for any other kind),
  controller results and routed mutations out, with no files and no subprocess;
- a controller written with lightkube's typed models (`typed_client(ctx)`) reads the same
  snapshot and records byte-for-byte what the dict client records, as the same controller;
- `assert_matches` passes against the apply-configuration output of the same run, and on a
  change fails with the golden harness's one-line summary above its numbered diff;
- `assert_matches(..., replace=True)` rewrites the golden output from the run (never storing
  refused mutations, which still fail);
- a missing expected-output means "expects no mutations", as in `mom test`;
- an undeclared write is refused, not routed, and fails `assert_matches`;
- a controller that raises is Panicked and the others still run;
- an object of an unknown kind given as a plain dict, or one without a name, is one
  `InvalidInput` naming the object's position.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap

from mom.api.cluster import Action, ClusterType
from mom.api.errors import InvalidInput
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.api.results import ControllerStatus
from mom.operator import Controller, Operator, RunContext
from mom.operator.typed import typed_client
from mom.testing.scenario import run_scenario

NOW = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SOURCE = ExactResource.configmap("openshift-config", "branding")
TARGET = ExactResource.configmap("openshift-console", "branding")
BRANDING = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "branding", "namespace": "openshift-config"},
    "data": {"logo": "acme.svg"},
}


def mirror_with_dicts(ctx: RunContext) -> None:
    source = ctx.client.get_or_none(CONFIGMAPS, SOURCE.name, SOURCE.namespace)
    if source is None:
        return
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": TARGET.name, "namespace": TARGET.namespace},
        "data": {"logo": source["data"]["logo"]},
    }
    ctx.client.apply(CONFIGMAPS, body, field_manager=ctx.controller_name, force=True)


def mirror_with_models(ctx: RunContext) -> None:
    client = typed_client(ctx)
    source = client.get(ConfigMap, SOURCE.name, namespace=SOURCE.namespace)
    target = ConfigMap(
        metadata=ObjectMeta(name=TARGET.name, namespace=TARGET.namespace), data={"logo": source.data["logo"]}
    )
    client.apply(target, force=True)


def _operator(*controllers: Controller, outputs: OutputResources | None = None) -> Operator:
    return Operator(
        name="branding-operator",
        inputs=InputResources(apply_configuration_resources=ResourceList(exact_resources=(SOURCE,))),
        outputs=outputs
        or OutputResources(user_workload_resources=OutputResourceList(exact_resources=(TARGET,))),
        controllers=controllers,
    )


DICTS = _operator(Controller("branding-operator-Mirror", mirror_with_dicts))


def test_objects_in_mutations_and_results_out() -> None:
    scenario = run_scenario(DICTS, [BRANDING], now=NOW)
    assert scenario.succeeded
    assert scenario.result("branding-operator-Mirror").status is ControllerStatus.SUCCEEDED
    (written,) = scenario.written(ClusterType.USER_WORKLOAD, Action.APPLY)
    assert written["metadata"] == {"name": "branding", "namespace": "openshift-console"}
    assert written["data"] == {"logo": "acme.svg"}
    assert scenario.written(ClusterType.MANAGEMENT) == []
    assert run_scenario(DICTS, [], now=NOW).written() == []


def test_typed_models_record_what_the_dict_client_records() -> None:
    typed = _operator(Controller("branding-operator-Mirror", mirror_with_models))
    by_models = run_scenario(typed, [BRANDING], now=NOW)
    by_dicts = run_scenario(DICTS, [BRANDING], now=NOW)
    assert by_models.succeeded, by_models.results
    (model_request,) = by_models.mutations[ClusterType.USER_WORKLOAD]
    (dict_request,) = by_dicts.mutations[ClusterType.USER_WORKLOAD]
    assert model_request.identity == dict_request.identity
    assert model_request.controller_instance_name == "branding-operator-Mirror"
    assert model_request.body == dict_request.body
    assert model_request.options == dict_request.options


def test_assert_matches_the_golden_output(tmp_path: Path) -> None:
    expected = tmp_path / "expected-output"
    run_scenario(DICTS, [BRANDING], now=NOW).write(expected)
    run_scenario(DICTS, [BRANDING], now=NOW).assert_matches(expected)

    changed: dict[str, Any] = {**BRANDING, "data": {"logo": "other.svg"}}
    with pytest.raises(AssertionError) as failure:
        run_scenario(DICTS, [changed], now=NOW).assert_matches(expected)
    message = str(failure.value)
    assert (
        "[UserWorkload] Apply-ConfigMap.v1./branding[openshift-console] differs only in body field data.logo"
        in (message)
    )
    assert "\n1 difference:\n1. [UserWorkload] " in message


def test_replace_rewrites_the_golden_output(tmp_path: Path) -> None:
    expected = tmp_path / "case" / "expected-output"
    run_scenario(DICTS, [BRANDING], now=NOW).assert_matches(expected, replace=True)
    assert (expected / "controller-results.yaml").is_file()
    run_scenario(DICTS, [BRANDING], now=NOW).assert_matches(expected)
    changed: dict[str, Any] = {**BRANDING, "data": {"logo": "other.svg"}}
    run_scenario(DICTS, [changed], now=NOW).assert_matches(expected, replace=True)
    with pytest.raises(AssertionError, match=r"differs only in body field data\.logo"):
        run_scenario(DICTS, [BRANDING], now=NOW).assert_matches(expected)
    refusing = run_scenario(
        _operator(Controller("m", mirror_with_dicts), outputs=OutputResources()), [BRANDING], now=NOW
    )
    with pytest.raises(AssertionError, match="not declared in output-resources"):
        refusing.assert_matches(expected, replace=True)
    assert not (expected / "Unspecified").exists()


def test_no_expected_output_expects_no_mutations(tmp_path: Path) -> None:
    run_scenario(DICTS, [], now=NOW).assert_matches(tmp_path / "absent")
    with pytest.raises(AssertionError, match="the test has no expected-output/, so it expects no mutations"):
        run_scenario(DICTS, [BRANDING], now=NOW).assert_matches(tmp_path / "absent")


def test_undeclared_write_is_refused(tmp_path: Path) -> None:
    nothing_declared = _operator(
        Controller("branding-operator-Mirror", mirror_with_dicts),
        outputs=OutputResources(),
    )
    scenario = run_scenario(nothing_declared, [BRANDING], now=NOW)
    assert not scenario.succeeded
    assert [str(r.request.identity) for r in scenario.refused] == [
        "Apply-ConfigMap.v1./branding[openshift-console]"
    ]
    assert scenario.written() == []
    expected = tmp_path / "expected"
    run_scenario(_operator(), [], now=NOW).write(expected)
    with pytest.raises(AssertionError, match="not declared in output-resources"):
        scenario.assert_matches(expected)


def test_a_panicking_controller_does_not_stop_the_others() -> None:
    def explode(ctx: RunContext) -> None:
        raise RuntimeError("boom")

    operator = _operator(
        Controller("branding-operator-Explode", explode),
        Controller("branding-operator-Mirror", mirror_with_dicts),
    )
    scenario = run_scenario(operator, [BRANDING], now=NOW)
    assert scenario.result("branding-operator-Explode").status is ControllerStatus.PANICKED
    assert scenario.result("branding-operator-Mirror").status is ControllerStatus.SUCCEEDED
    assert not scenario.succeeded and len(scenario.written()) == 1
    with pytest.raises(KeyError, match="branding-operator-Explode, branding-operator-Mirror"):
        scenario.result("absent")


def test_objects_of_other_kinds_and_bad_objects() -> None:
    widgets = GroupVersionResource("example.com", "v1", "widgets")
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}

    def read_widget(ctx: RunContext) -> None:
        if ctx.client.get_or_none(widgets, "w") is None:
            raise AssertionError("the widget is in the snapshot")

    operator = _operator(Controller("reader", read_widget))
    assert run_scenario(operator, [(widgets, widget)], now=NOW).succeeded
    with pytest.raises(
        InvalidInput, match=r"objects\[1\]: Invalid value: example.com/v1 Widget: not a built-in kind"
    ):
        run_scenario(operator, [BRANDING, widget], now=NOW)
    with pytest.raises(InvalidInput, match=r"objects\[0\].metadata.name: Required value"):
        run_scenario(operator, [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}], now=NOW)
