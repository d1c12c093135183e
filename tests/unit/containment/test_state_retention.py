"""The journal stays bounded without losing what roll-forward, replay or a user needs.

Covers: compaction keeps the newest runs of every pair, every failed or refusing run inside
the window (and lets older ones go), every run with a Pending mutation and every unfinished
run however old; their inputs and mutations stay readable; run ids are never reused, so new
mutation ids never repeat old ones; ``runsPerPair: 0`` keeps everything; a manager configured
with ``retention`` in mom.yaml keeps its journal at that size across ticks and a restart still
remembers the last digests; a bad retention setting is one line naming the field.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.unit.manager.conftest import EXAMPLES, FakeClock

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.journal.journal import Journal
from mom.journal.records import MutationState, PlannedMutation, RunStatus
from mom.journal.retention import RetentionPolicy
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.mutationdir.requests import MutationRequest

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def _planned(name: str, state: MutationState = MutationState.PENDING) -> PlannedMutation:
    body = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: ns\n".encode()
    request = MutationRequest(
        Action.CREATE, CONFIGMAPS, "ns", name, "", GroupVersionKind("", "v1", "ConfigMap"), body
    )
    return PlannedMutation(
        "", "UserWorkload", "cluster", request, state, "refused" if state is MutationState.REFUSED else ""
    )


def _run(
    journal: Journal,
    pair: str,
    hour: int,
    *,
    exit_code: int = 0,
    state: MutationState = MutationState.APPLIED,
    finish: bool = True,
) -> int:
    at = T0 + timedelta(hours=hour)
    run_id = journal.begin_run(
        operator=pair,
        instance="i",
        trigger="resync",
        input_digest=f"{pair}{hour}",
        inputs=f"{pair}{hour}".encode(),
        started_at=at,
        now=at,
        seed=None,
        outputs_digest="d",
    )
    if finish:
        planned = [
            _planned(
                f"{pair}-{hour}",
                MutationState.REFUSED if state is MutationState.REFUSED else MutationState.PENDING,
            )
        ]
        (mutation_id,) = journal.finish_run(
            run_id, finished_at=at, exit_code=exit_code, results=None, mutations=planned
        )
        if state is MutationState.APPLIED:
            journal.mark_mutation(mutation_id, MutationState.APPLIED, "Applied", applied_at=at)
    return run_id


def test_compaction_keeps_what_is_newest_troubled_pending_or_unfinished(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite")
    unfinished = _run(journal, "a", 0, finish=False)
    pending = _run(journal, "a", 1, state=MutationState.PENDING)
    old_failure = _run(journal, "a", 2, exit_code=1)
    ordinary = [_run(journal, "a", hour) for hour in range(3, 200)]
    recent_failure = _run(journal, "a", 200, exit_code=1)
    recent_refusal = _run(journal, "a", 201, state=MutationState.REFUSED)
    newest = [_run(journal, "a", hour) for hour in range(202, 205)]
    other_pair = [_run(journal, "b", hour) for hour in range(0, 4)]
    now = T0 + timedelta(hours=210)

    dropped = journal.compact(RetentionPolicy(runs_per_pair=3, problems_for=timedelta(days=1)), now)

    kept = {r.run_id for r in journal.runs(limit=10_000)}
    assert kept == {unfinished, pending, recent_failure, recent_refusal, *newest, *other_pair[-3:]}
    assert dropped == 1 + len(ordinary) + 1  # the old failure, the ordinary runs, b's oldest
    assert old_failure not in kept
    assert journal.unfinished_runs() == [unfinished]
    assert [m.request.name for m in journal.pending_mutations()] == ["a-1"]
    assert journal.inputs_of(unfinished) == b"a0", "roll-forward reruns it on its stored inputs"
    assert journal.run(recent_refusal).summary.count(MutationState.REFUSED) == 1
    later = _run(journal, "a", 211)
    assert later > max(newest), "run ids, and so mutation ids, are never reused"
    assert journal.integrity_check() == ["ok"]
    journal.close()


def test_runs_per_pair_zero_keeps_everything(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite") as journal:
        for hour in range(20):
            _run(journal, "a", hour)
        assert journal.compact(RetentionPolicy(runs_per_pair=0), T0 + timedelta(days=90)) == 0
        assert len(journal.runs(limit=100)) == 20


def test_a_manager_with_retention_keeps_its_journal_bounded(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    config_path = tmp_path / "standalone" / "mom.yaml"
    text = config_path.read_text()
    config_path.write_text(
        text.replace(
            "journal: state/journal.sqlite\n",
            "journal: state/journal.sqlite\nretention:\n  runsPerPair: 2\n  keepProblemsFor: 0\n",
        )
    )
    config = load_config(config_path)
    assert config.retention == RetentionPolicy(2, timedelta(0))
    clock = FakeClock()
    manager, _ = open_manager(config, clock=clock)
    for _ in range(6):
        clock.advance(60)
        manager.tick(force=True)
    manager.tick()  # the compaction after the last forced runs
    runs = manager.journal.runs(limit=1000)
    per_pair: dict[str, int] = {}
    for run in runs:
        per_pair[run.operator] = per_pair.get(run.operator, 0) + 1
    assert per_pair == {"oauth-operator": 2, "sample-operator": 2}
    assert all(r.status in (RunStatus.SUCCEEDED, RunStatus.FAILED) for r in runs)
    manager.journal.close()
    restarted, _ = open_manager(config, clock=clock)
    clock.advance(60)
    report = restarted.tick()
    assert not [p for p in report.pairs if p.trigger == "first run"], "the last digests survived compaction"
    restarted.journal.close()


@pytest.mark.parametrize(
    ("retention", "field"),
    [
        ("runsPerPair: -1", "retention.runsPerPair"),
        ("runsPerPair: 2.5", "retention.runsPerPair"),
        ("keepProblemsFor: soon", "retention.keepProblemsFor"),
        ("forever: true", "retention"),
    ],
)
def test_a_bad_retention_setting_names_its_field(tmp_path: Path, retention: str, field: str) -> None:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    config_path = tmp_path / "standalone" / "mom.yaml"
    config_path.write_text(config_path.read_text() + f"retention:\n  {retention}\n")
    with pytest.raises(InvalidInput, match=field.replace(".", r"\.")):
        load_config(config_path)
