"""Roll-forward takes what it needs to know about a pending mutation from the journal.

Covers: a pending mutation is applied at roll-forward as its own run's operator, whatever form
its id takes (the journal keeps an id it is given), and the journal says which run planned each
mutation and at which position; a replica that gives up some instances refuses exactly their
pending mutations, whatever their ids.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.unit.journal.journal_support import T0, begin, configmap_create, planned
from tests.unit.manager.conftest import FakeClock
from tests.unit.manager.test_manager_triggers import (
    READS_SHARED,
    SHARED_OUT,
    _operator,
    _with_operators,
    _writer,
)

from mom.api.resources import GroupVersionResource
from mom.journal.archive import pack_files
from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.manager.scaleout.election import give_up
from mom.manager.schedule import Trigger
from mom.mustgather.loader import load_must_gather

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def test_a_pending_mutation_is_rolled_forward_whatever_its_id(standalone: Path, clock: FakeClock) -> None:
    manager = _with_operators(
        standalone, clock, _operator("owner", _writer("first"), SHARED_OUT, READS_SHARED)
    )
    (pair,) = [p for p in manager.tick().pairs if p.ran]
    journal = manager.journal
    (written,) = journal.mutations_of(pair.run_id or 0)
    assert (written.run_id, written.position) == (pair.run_id, 0)

    run_id = journal.begin_run(
        operator="owner",
        instance=pair.instance,
        trigger=Trigger.RESYNC,
        input_digest="sha256:imported",
        inputs=pack_files({}),
        started_at=clock.now,
        now=clock.now,
        seed=None,
        outputs_digest="",
        input_changes=None,
    )
    request = replace(written.request, body=written.request.body.replace(b"first", b"second"))
    imported = replace(written, mutation_id="imported-7", request=request, state=MutationState.PENDING)
    journal.finish_run(run_id, finished_at=clock.now, exit_code=0, results=None, mutations=[imported])

    assert manager.recover() == 1
    (applied,) = journal.mutations_of(run_id)
    assert (applied.mutation_id, applied.state) == ("imported-7", MutationState.APPLIED)
    cluster = load_must_gather(standalone.parent / "cluster")
    assert cluster.get(CONFIGMAPS, namespace="openshift-authentication", name="shared")["data"] == {
        "owner": "second"
    }
    journal.close()


def test_giving_up_instances_refuses_their_pending_mutations_whatever_their_ids(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite") as journal:
        kept, released = begin(journal, instance="kept"), begin(journal, instance="released", minute=1)
        for run_id, name in ((kept, "a"), (released, "b")):
            (mutation,) = planned([configmap_create(name)])
            mutation = replace(mutation, mutation_id=f"imported-{name}")
            journal.finish_run(run_id, finished_at=T0, exit_code=0, results=None, mutations=[mutation])

        assert give_up(journal, at=T0, reason="another replica holds it", instances={"released"}) == 1
        assert [m.mutation_id for m in journal.pending_mutations()] == ["imported-a"]
        (refused,) = journal.mutations_of(released)
        assert (refused.state, refused.reason) == (MutationState.REFUSED, "another replica holds it")
