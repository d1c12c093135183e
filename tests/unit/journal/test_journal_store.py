"""The journal stores runs and mutations faithfully and tells a restarted manager what is left.

Covers: a run's fields, results, inputs and mutations read back equal (bodies and options as
exact bytes, patches without a kind); ids assigned in order; pending mutations after a finish
and after marks; final states cannot change; unfinished runs and abandoning them; last_run
ignoring unfinished and abandoned runs; listing newest first with filters and per-state counts;
NotFound for unknown runs and mutations; naive times refused; reopening a file keeps all of it;
a journal from a newer schema refused; the output directory recreated from the journal.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from journal_support import T0, begin, configmap_create, planned, status_patch

from mom.api.errors import Conflict, InvalidInput, NotFound
from mom.api.results import ControllerResult, ControllerResults, ControllerStatus
from mom.journal import Journal, MutationState, PlannedMutation, RunStatus, schema
from mom.mutationdir.directory import read_mutation_dir

RESULTS = ControllerResults(
    (
        ControllerResult("sample-operator-Demo", ControllerStatus.SUCCEEDED),
        ControllerResult("sample-operator-FailureGenerator", ControllerStatus.FAILED, ("fail the process",)),
        ControllerResult("sample-operator-Panicky", ControllerStatus.PANICKED, panic_stack="goroutine 1"),
    )
)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite") as opened:
        yield opened


def test_run_round_trip(journal: Journal) -> None:
    run_id = begin(journal)
    requests = [configmap_create("foo"), status_patch("cluster"), configmap_create("bar")]
    ids = journal.finish_run(
        run_id,
        finished_at=T0 + timedelta(seconds=3),
        exit_code=1,
        results=RESULTS,
        mutations=planned(requests),
        stdout="out\n",
        stderr="line 1\nline 2\n",
        error="1 controller failed",
    )
    assert ids == [f"{run_id}-{index}@{journal.identity}" for index in range(3)]
    record = journal.run(run_id)
    assert record.results == RESULTS
    assert (record.seed, record.now, record.outputs_digest) == (7, T0, "sha256:outputs")
    assert (record.stdout, record.stderr, record.error) == (
        "out\n",
        "line 1\nline 2\n",
        "1 controller failed",
    )
    summary = record.summary
    assert summary.status is RunStatus.FAILED
    assert (summary.exit_code, summary.finished_at, summary.started_at) == (1, T0 + timedelta(seconds=3), T0)
    assert summary.trigger == "configmaps openshift-authentication/foo changed"
    assert summary.count(MutationState.PENDING) == 3
    stored = journal.mutations_of(run_id)
    assert [m.request.equality_key() for m in stored] == [r.equality_key() for r in requests]
    assert [m.mutation_id for m in stored] == ids
    assert stored[1].request.kind is None
    assert journal.inputs_of(run_id) == b"not-an-archive-but-opaque"


def test_null_results_stay_null(journal: Journal) -> None:
    run_id = begin(journal)
    journal.finish_run(run_id, finished_at=T0, exit_code=0, results=None, mutations=[])
    assert journal.run(run_id).results is None
    assert journal.run(run_id).summary.status is RunStatus.SUCCEEDED


def test_pending_mutations_follow_marks(journal: Journal) -> None:
    first = begin(journal, minute=0)
    second = begin(journal, minute=1)
    journal.finish_run(
        second, finished_at=T0, exit_code=0, results=RESULTS, mutations=planned([status_patch("b")])
    )
    ids = journal.finish_run(
        first,
        finished_at=T0,
        exit_code=0,
        results=RESULTS,
        mutations=planned([configmap_create("a"), configmap_create("c")]),
    )
    assert [m.mutation_id for m in journal.pending_mutations()] == [*ids, f"{second}-0@{journal.identity}"]

    journal.mark_mutation(ids[0], MutationState.APPLIED, applied_at=T0 + timedelta(seconds=5))
    journal.mark_mutation(ids[1], MutationState.REFUSED, "not in the declared outputs")
    assert [m.mutation_id for m in journal.pending_mutations()] == [f"{second}-0@{journal.identity}"]
    applied, refused = journal.mutations_of(first)
    assert (applied.state, applied.applied_at) == (MutationState.APPLIED, T0 + timedelta(seconds=5))
    assert (refused.state, refused.reason) == (MutationState.REFUSED, "not in the declared outputs")
    assert journal.run(first).summary.counts == {MutationState.APPLIED: 1, MutationState.REFUSED: 1}


def test_settled_mutations_do_not_change(journal: Journal) -> None:
    run_id = begin(journal)
    (applied, failed) = journal.finish_run(
        run_id,
        finished_at=T0,
        exit_code=0,
        results=None,
        mutations=planned([status_patch("a"), status_patch("b")]),
    )
    journal.mark_mutation(applied, MutationState.APPLIED)
    with pytest.raises(Conflict, match="already Applied"):
        journal.mark_mutation(applied, MutationState.APPLIED)
    journal.mark_mutation(failed, MutationState.FAILED, "connection refused")
    journal.mark_mutation(failed, MutationState.APPLIED)
    assert [m.state for m in journal.mutations_of(run_id)] == [MutationState.APPLIED] * 2
    with pytest.raises(NotFound, match="mutation 99-0"):
        journal.mark_mutation("99-0", MutationState.APPLIED)


def test_unfinished_runs_and_abandoning(journal: Journal) -> None:
    crashed = begin(journal, minute=0)
    done = begin(journal, minute=1)
    journal.finish_run(done, finished_at=T0, exit_code=0, results=None, mutations=[])
    running = begin(journal, minute=2)
    assert journal.unfinished_runs() == [crashed, running]
    journal.abandon_run(crashed, at=T0 + timedelta(hours=1), reason="manager restarted")
    assert journal.unfinished_runs() == [running]
    assert journal.run(crashed).summary.status is RunStatus.ABANDONED
    assert journal.run(crashed).error == "manager restarted"
    with pytest.raises(Conflict, match="Abandoned"):
        journal.finish_run(crashed, finished_at=T0, exit_code=0, results=None, mutations=[])
    with pytest.raises(Conflict):
        journal.abandon_run(done, at=T0, reason="no")
    last = journal.last_run("sample-operator", "cluster")
    assert last is not None and last.run_id == done


def test_listing_filters_and_limits(journal: Journal) -> None:
    for minute, (operator, instance) in enumerate([("a", "x"), ("b", "x"), ("a", "y"), ("a", "x")]):
        begin(journal, operator=operator, instance=instance, minute=minute)
    assert [s.run_id for s in journal.runs()] == [4, 3, 2, 1]
    assert [s.run_id for s in journal.runs(operator="a")] == [4, 3, 1]
    assert [s.run_id for s in journal.runs(operator="a", instance="x", limit=1)] == [4]
    assert all(s.status is RunStatus.RUNNING for s in journal.runs())
    assert journal.last_run("a", "x") is None
    with pytest.raises(InvalidInput, match="limit"):
        journal.runs(limit=0)


def test_unknown_runs_and_naive_times(journal: Journal) -> None:
    for read in (journal.run, journal.inputs_of, journal.mutations_of):
        with pytest.raises(NotFound, match="run 12"):
            read(12)
    with pytest.raises(InvalidInput, match="started_at"):
        journal.begin_run(
            operator="o", instance="i", trigger="t", input_digest="d", inputs=b"",
            started_at=T0.replace(tzinfo=None), now=T0, seed=None, outputs_digest="",
        )  # fmt: skip
    assert journal.runs() == []


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal(path) as journal:
        run_id = begin(journal)
        journal.finish_run(
            run_id, finished_at=T0, exit_code=0, results=RESULTS, mutations=planned([status_patch("a")])
        )
    with Journal(path, create=False) as journal:
        assert [m.mutation_id for m in journal.pending_mutations()] == [f"{run_id}-0@{journal.identity}"]
        assert journal.integrity_check() == ["ok"]


def test_a_version_1_journal_is_upgraded_and_keeps_its_mutation_ids(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as raw:  # what mom wrote before journals had an identity
        raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in schema.MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute("INSERT INTO schema_version (version) VALUES (1)")
    raw.close()
    with Journal(path) as journal:
        run_id = begin(journal)
        journal.finish_run(
            run_id,
            finished_at=T0,
            exit_code=0,
            results=RESULTS,
            mutations=[replace(m, mutation_id=f"{run_id}-0") for m in planned([status_patch("a")])],
        )
        second = begin(journal)
        journal.finish_run(
            second, finished_at=T0, exit_code=0, results=RESULTS, mutations=planned([status_patch("b")])
        )
        assert len(journal.identity) == 12
        assert [m.mutation_id for m in journal.pending_mutations()] == [
            f"{run_id}-0",
            f"{second}-0@{journal.identity}",
        ]
    with Journal(path) as again:
        assert again.identity == journal.identity, "fixed once, at the upgrade"


def test_missing_or_newer_journal_refused(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        Journal(tmp_path / "absent.sqlite", create=False)
    path = tmp_path / "future.sqlite"
    Journal(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(InvalidInput, match="schema version 99 is newer"):
        Journal(path)
    (tmp_path / "garbage.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(InvalidInput, match="cannot open the journal"):
        Journal(tmp_path / "garbage.sqlite")


def test_output_dir_recreated(journal: Journal, tmp_path: Path) -> None:
    run_id = begin(journal)
    mutations = [
        *planned([configmap_create("foo", trailer=b"")], "UserWorkload"),
        *planned([status_patch("cluster")], "Management"),
        PlannedMutation(
            "",
            "Unspecified",
            "",
            configmap_create("stray", "default", b""),
            MutationState.REFUSED,
            "undeclared",
        ),
    ]
    journal.finish_run(run_id, finished_at=T0, exit_code=1, results=RESULTS, mutations=mutations)
    out = tmp_path / "out"
    journal.write_output_dir(run_id, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "Management", "Unspecified", "UserWorkload", "controller-results.yaml",
    ]  # fmt: skip
    for directory, mutation in zip(["UserWorkload", "Management", "Unspecified"], mutations, strict=True):
        assert [r.equality_key() for r in read_mutation_dir(out / directory)] == [
            mutation.request.equality_key()
        ]
    assert "fail the process" in (out / "controller-results.yaml").read_text()
    unfinished = begin(journal, minute=5)
    with pytest.raises(Conflict, match="Running"):
        journal.write_output_dir(unfinished, tmp_path / "none")


def test_a_run_can_share_an_earlier_runs_inputs(journal: Journal) -> None:
    """A resync on unchanged inputs stores no second archive, yet reads back the same inputs."""
    first = begin(journal)
    second = journal.begin_run(
        operator="sample-operator",
        instance="standalone",
        trigger="resync",
        input_digest="d",
        inputs=first,
        started_at=T0,
        now=T0,
        seed=None,
        outputs_digest="o",
    )
    assert journal.inputs_of(second) == journal.inputs_of(first) == b"not-an-archive-but-opaque"
    with pytest.raises(NotFound):
        journal.begin_run(
            operator="x",
            instance="y",
            trigger="t",
            input_digest="d",
            inputs=9999,
            started_at=T0,
            now=T0,
            seed=None,
            outputs_digest="o",
        )
