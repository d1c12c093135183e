"""When the manager runs an operator, and what it notices about operators that misbehave.

Covers: a tick on unchanged inputs runs nothing; a changed input reruns only the operators
that read it; a restarted manager remembers the last digests from the journal instead of
rerunning everything; resync reruns after its interval; a failing operator backs off; an
operator that keeps changing the cluster is reported as not converging, naming the fields,
field managers and controllers; two operators that keep undoing each other's writes are
reported as fighting. A run on changed inputs journals which inputs were added, removed or
changed since the pair's previous run (also after a restart); a pair whose inputs changed
inside its debounce window or its backoff is reported, summarised and counted as deferred,
not unchanged, with when it runs, and then runs.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from tests.unit.manager.conftest import FakeClock, with_sample_demo

from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.cli.run import _print_summary
from mom.journal import InputChange, InputChangeKind
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.loop import Manager
from mom.manager.metrics import Metrics
from mom.manager.operators import InProcessRunner
from mom.manager.schedule import Trigger
from mom.manager.specs import OperatorSpec
from mom.operator import Controller, Operator, RunContext, SyncError
from mom.operator.oauth.operator import OAUTH_OPERATOR

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def oauth_only(config_path: Path) -> Path:
    text = config_path.read_text()
    head, _, _ = text.partition("- name: sample-operator")
    config_path.write_text(head + text[text.index("clusters:") :])
    return config_path


def ran(manager: Manager, clock: FakeClock, seconds: float = 60) -> list[str]:
    clock.advance(seconds)
    report = manager.tick()
    return sorted(f"{p.operator}:{p.trigger}" for p in report.pairs if p.ran)


def test_unchanged_inputs_run_nothing(standalone: Path, clock: FakeClock) -> None:
    manager, _ = open_manager(load_config(oauth_only(standalone)), clock=clock)
    assert ran(manager, clock) == ["oauth-operator:first run"]
    # Its own writes (the Deployment and status it reads back) change its inputs; it reruns
    # until what it writes is what is there, then settles.
    settling = [ran(manager, clock) for _ in range(3)]
    assert settling[0] == ["oauth-operator:inputs changed"]
    assert [] in settling
    assert ran(manager, clock) == []
    assert ran(manager, clock) == []
    manager.journal.close()


def test_a_changed_input_reruns_only_its_readers(standalone: Path, clock: FakeClock) -> None:
    def observe(ctx: RunContext) -> None:
        ctx.client.get_or_none(CONFIGMAPS, "shared", "openshift-authentication")

    manager = _with_operators(
        standalone, clock, OAUTH_OPERATOR, _operator("watcher", observe, SHARED_OUT, READS_SHARED)
    )
    for _ in range(4):
        ran(manager, clock)
    assert ran(manager, clock) == []
    cluster = standalone.parent / "cluster"
    oauths = cluster / "cluster-scoped-resources" / "config.openshift.io" / "oauths.yaml"
    oauths.write_text(oauths.read_text().replace("28800", "3600"))
    assert ran(manager, clock) == ["oauth-operator:inputs changed"]
    settling = [ran(manager, clock) for _ in range(3)]
    assert all(runs in ([], ["oauth-operator:inputs changed"]) for runs in settling)
    shared = cluster / "namespaces" / "openshift-authentication" / "core" / "configmaps" / "shared.yaml"
    shared.parent.mkdir(parents=True, exist_ok=True)
    shared.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: openshift-authentication\n"
    )
    assert ran(manager, clock) == ["watcher:inputs changed"]
    manager.journal.close()


def test_restart_remembers_digests(standalone: Path, clock: FakeClock) -> None:
    config = load_config(oauth_only(standalone))
    manager, _ = open_manager(config, clock=clock)
    for _ in range(4):
        ran(manager, clock)
    manager.journal.close()
    restarted, _ = open_manager(config, clock=clock)
    assert ran(restarted, clock) == []
    assert ran(restarted, clock, seconds=700) == ["oauth-operator:resync"], "resync is 600 s"
    restarted.journal.close()


def test_a_new_journal_applies_its_mutations_on_a_target_an_old_one_wrote(
    standalone: Path, clock: FakeClock
) -> None:
    """The target remembers applied mutation ids; a new journal's ids must never match them."""
    config = load_config(with_sample_demo(standalone))
    manager, _ = open_manager(config, clock=clock)
    manager.tick()
    manager.journal.close()
    shutil.rmtree(standalone.parent / "state")  # the journal and pins are gone, the target's log stays
    created = standalone.parent / "cluster/namespaces/openshift-authentication/core/configmaps/foo.yaml"
    created.unlink()
    fresh, _ = open_manager(config, clock=clock)
    report = fresh.tick()
    assert created.is_file(), "the new journal's create was applied"
    assert all(p.failed == 0 and p.refused == 0 for p in report.pairs)
    fresh.journal.close()


def _operator(
    name: str, sync: object, outputs: OutputResources, inputs: InputResources | None = None
) -> Operator:
    return Operator(
        name=name,
        inputs=inputs or InputResources(),
        outputs=outputs,
        controllers=(Controller(f"{name}-Only", sync),),  # type: ignore[arg-type]
    )


def _with_operators(config_path: Path, clock: FakeClock, *operators: Operator) -> Manager:
    config = load_config(config_path)
    specs = tuple(OperatorSpec(name=o.name, python="unused:unused", resync=600) for o in operators)
    config = replace(config, operators=specs)
    from mom.manager import assembly

    original = assembly.build_runners
    assembly.build_runners = lambda cfg: {
        s.name: InProcessRunner(s, o) for s, o in zip(specs, operators, strict=True)
    }  # type: ignore[assignment]
    try:
        manager, _ = open_manager(config, clock=clock)
    finally:
        assembly.build_runners = original
    return manager


SHARED = ExactResource.configmap("openshift-authentication", "shared")
SHARED_OUT = OutputResources(user_workload_resources=OutputResourceList(exact_resources=(SHARED,)))
READS_SHARED = InputResources(apply_configuration_resources=ResourceList(exact_resources=(SHARED,)))


def _writer(value: str):  # type: ignore[no-untyped-def]
    def sync(ctx: RunContext) -> None:
        ctx.client.apply(
            CONFIGMAPS,
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "shared", "namespace": "openshift-authentication"},
                "data": {"owner": value},
            },
            field_manager=ctx.controller_name,
            force=True,
        )

    return sync


def test_fighting_operators_are_reported(standalone: Path, clock: FakeClock) -> None:
    manager = _with_operators(
        standalone,
        clock,
        _operator("left", _writer("left"), SHARED_OUT, READS_SHARED),
        _operator("right", _writer("right"), SHARED_OUT, READS_SHARED),
    )
    warnings: list[str] = []
    for _ in range(4):
        clock.advance(60)
        warnings += manager.tick().warnings
    assert any("fight over configmaps openshift-authentication/shared" in w for w in warnings), warnings
    manager.journal.close()


def test_non_converging_operator_is_reported(standalone: Path, clock: FakeClock) -> None:
    def bump(ctx: RunContext) -> None:
        current = ctx.client.get_or_none(CONFIGMAPS, "shared", "openshift-authentication") or {}
        count = int((current.get("data") or {}).get("count", "0"))
        ctx.client.apply(
            CONFIGMAPS,
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "shared", "namespace": "openshift-authentication"},
                "data": {"count": str(count + 1)},
            },
            field_manager=ctx.controller_name,
        )

    manager = _with_operators(standalone, clock, _operator("counter", bump, SHARED_OUT, READS_SHARED))
    warnings: list[str] = []
    for _ in range(5):
        clock.advance(60)
        warnings += manager.tick().warnings
    warning = [w for w in warnings if "counter on standalone does not converge" in w][-1]
    assert warning.endswith(
        "changing since the previous run: configmaps openshift-authentication/shared on standalone: .data.count"
        " (field managers counter-Only; controllers counter-Only)"
    ), warning
    manager.journal.close()


AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
AUTHENTICATION = ExactResource.operator("authentications")


def test_non_convergence_names_reordered_conditions_and_their_managers(
    standalone: Path, clock: FakeClock
) -> None:
    """One controller server-side applies a condition, another rewrites the conditions list in
    the opposite order of what it reads: the warning names the list and who owns and writes it."""
    status = {
        "apiVersion": "operator.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster"},
    }

    def available(ctx: RunContext) -> None:
        condition = {"type": "Available", "status": "True", "reason": "AsExpected"}
        ctx.client.apply(
            AUTHENTICATIONS,
            {**status, "status": {"conditions": [condition]}},
            field_manager="available",
            status=True,
        )

    def reverse(ctx: RunContext) -> None:
        current = ctx.client.get(AUTHENTICATIONS, "cluster")
        conditions = list((current.get("status") or {}).get("conditions") or [])
        ours = {"type": "Degraded", "status": "False", "reason": "AsExpected"}
        if not any(c.get("type") == "Degraded" for c in conditions):
            conditions.append(ours)
        patch = {"status": {"conditions": conditions[::-1]}}
        ctx.client.patch(AUTHENTICATIONS, "cluster", patch, patch_type="merge", status=True)

    outputs = OutputResources(user_workload_resources=OutputResourceList(exact_resources=(AUTHENTICATION,)))
    inputs = InputResources(apply_configuration_resources=ResourceList(exact_resources=(AUTHENTICATION,)))
    flipper = Operator(
        name="flipper",
        inputs=inputs,
        outputs=outputs,
        controllers=(Controller("flipper-Available", available), Controller("flipper-Reverse", reverse)),
    )
    manager = _with_operators(standalone, clock, flipper)
    warnings: list[str] = []
    for _ in range(5):
        clock.advance(60)
        warnings += manager.tick().warnings
    found = [w for w in warnings if "flipper on standalone does not converge" in w]
    assert found, warnings
    assert found[-1].endswith(
        "changing since the previous run: authentications.operator.openshift.io cluster on standalone:"
        " .status.conditions (field managers available; controllers flipper-Reverse)"
    ), found[-1]
    last = manager.journal.last_run("flipper", "standalone")
    assert last is not None
    (changed,) = last.input_changes or ()
    assert (changed.resource, changed.name, changed.fields) == (
        "authentications",
        "cluster",
        (".status.conditions",),
    )
    assert "available" in changed.managers, "the journal names who owns the field that keeps changing"
    assert changed.writers == ("flipper/flipper-Available", "flipper/flipper-Reverse"), "and who wrote it"
    manager.journal.close()


def test_failing_operator_backs_off(standalone: Path, clock: FakeClock) -> None:
    def fail(ctx: RunContext) -> None:
        raise SyncError("broken")

    manager = _with_operators(standalone, clock, _operator("broken", fail, SHARED_OUT, READS_SHARED))
    assert ran(manager, clock, 0) == ["broken:first run"]
    state = manager.schedule.state(("broken", "standalone"))
    assert state.failures == 1 and state.backoff_until is not None
    # Inputs unchanged and no resync due: nothing reruns, even after the backoff.
    assert ran(manager, clock, 1) == []
    manager.journal.close()


def test_changed_inputs_held_back_by_backoff_are_deferred_not_unchanged(
    standalone: Path, clock: FakeClock
) -> None:
    def fail(ctx: RunContext) -> None:
        raise SyncError("broken")

    manager = _with_operators(standalone, clock, _operator("broken", fail, SHARED_OUT, READS_SHARED))
    assert ran(manager, clock, 0) == ["broken:first run"]
    shared = standalone.parent / "cluster/namespaces/openshift-authentication/core/configmaps/shared.yaml"
    shared.parent.mkdir(parents=True, exist_ok=True)
    shared.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: openshift-authentication\n"
    )
    clock.advance(1)
    held = manager.tick()
    assert [p.trigger for p in held.pairs] == [Trigger.DEFERRED], "inside the backoff: changed, not run yet"
    assert (held.runs, held.unchanged, held.deferred) == (0, 0, 1)
    clock.advance(60)
    assert [p.trigger for p in manager.tick().pairs] == ["inputs changed"]


OAUTH_CLUSTER = InputChange(InputChangeKind.CHANGED, "config.openshift.io", "oauths", "", "cluster")


def _journaled_changes(manager: Manager, clock: FakeClock) -> dict[str, tuple[InputChange, ...] | None]:
    clock.advance(60)
    report = manager.tick()
    return {p.operator: manager.journal.run(p.run_id).input_changes for p in report.pairs if p.run_id}


def test_a_run_journals_which_inputs_changed(standalone: Path, clock: FakeClock) -> None:
    def observe(ctx: RunContext) -> None:
        ctx.client.get_or_none(CONFIGMAPS, "shared", "openshift-authentication")

    manager = _with_operators(
        standalone, clock, OAUTH_OPERATOR, _operator("watcher", observe, SHARED_OUT, READS_SHARED)
    )
    first = _journaled_changes(manager, clock)
    assert first == {"oauth-operator": None, "watcher": None}, "a first run has nothing to compare with"
    for _ in range(4):
        ran(manager, clock)
    cluster = standalone.parent / "cluster"
    oauths = cluster / "cluster-scoped-resources" / "config.openshift.io" / "oauths.yaml"
    oauths.write_text(oauths.read_text().replace("28800", "3600"))
    (changed,) = _journaled_changes(manager, clock)["oauth-operator"] or ()
    assert changed == OAUTH_CLUSTER
    assert changed.fields == (".spec.tokenConfig.accessTokenMaxAgeSeconds",), "the journal names the field"
    for _ in range(3):
        ran(manager, clock)
    shared = cluster / "namespaces" / "openshift-authentication" / "core" / "configmaps" / "shared.yaml"
    shared.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: openshift-authentication\n"
    )
    added = (InputChange(InputChangeKind.ADDED, "", "configmaps", "openshift-authentication", "shared"),)
    assert _journaled_changes(manager, clock) == {"watcher": added}
    manager.journal.close()

    restarted = _with_operators(
        standalone, clock, OAUTH_OPERATOR, _operator("watcher", observe, SHARED_OUT, READS_SHARED)
    )
    shared.unlink()
    oauths.write_text(oauths.read_text().replace("3600", "7200"))
    removed = tuple(replace(change, change=InputChangeKind.REMOVED) for change in added)
    assert _journaled_changes(restarted, clock) == {
        "oauth-operator": (OAUTH_CLUSTER,),
        "watcher": removed,
    }, "what the previous runs read is known from the journal"
    for _ in range(3):
        ran(restarted, clock)  # the oauth operator settles on its own writes
    assert "watcher:resync" in ran(restarted, clock, seconds=700)
    last = restarted.journal.runs(operator="watcher", limit=1)[0]
    assert restarted.journal.run(last.run_id).input_changes == (), "a resync on the same inputs"
    restarted.journal.close()


def test_changed_inputs_inside_the_debounce_window_are_deferred(
    standalone: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    manager = _with_operators(standalone, clock, OAUTH_OPERATOR)
    for _ in range(5):
        ran(manager, clock)
    last_started = manager.schedule.state(("oauth-operator", "standalone")).last_started
    assert last_started is not None and ran(manager, clock) == []
    oauths = (
        standalone.parent / "cluster" / "cluster-scoped-resources" / "config.openshift.io" / "oauths.yaml"
    )
    oauths.write_text(oauths.read_text().replace("28800", "3600"))
    ran(manager, clock, seconds=0)  # settles what is left, so the pair has just run
    state = manager.schedule.state(("oauth-operator", "standalone"))
    assert state.last_started == clock.now
    oauths.write_text(oauths.read_text().replace("3600", "7200"))
    clock.advance(2)  # the debounce window is 5 s
    report = manager.tick()
    [pair] = report.pairs
    assert (pair.ran, pair.trigger, pair.deferred_for) == (False, Trigger.DEFERRED, Trigger.INPUTS_CHANGED)
    assert pair.deferred_until == clock.now + timedelta(seconds=3)
    assert (report.runs, report.unchanged, report.deferred) == (0, 0, 1)

    metrics = Metrics()
    metrics.observe(report, 0.1)
    rendered = metrics.render()
    assert 'mom_operator_runs_deferred_total{operator="oauth-operator",instance="standalone"} 1' in rendered
    assert 'mom_operator_runs_skipped_total{operator="oauth-operator"' not in rendered
    _print_summary(report, 0.1, "table", Path("mom.yaml"))
    out = capsys.readouterr().out
    assert "deferred: oauth-operator on standalone: inputs changed, runs at 2025-03-01T" in out
    assert "0 run(s), 0 unchanged, 1 deferred" in out
    _print_summary(report, 0.1, "json", Path("mom.yaml"))
    row = json.loads(capsys.readouterr().out)["pairs"][0]
    assert (row["trigger"], row["deferredFor"]) == ("deferred", "inputs changed")
    assert row["deferredUntil"] == pair.deferred_until.isoformat()

    assert ran(manager, clock, seconds=3) == ["oauth-operator:inputs changed"]
    manager.journal.close()
