"""The real authentication operator under the manager, tick after tick, at many points in time.

Covers, on the real aws and azure must-gathers given at their top directory, standalone and
HyperShift (:mod:`tests.real.worlds`), at ten different start times each (the operator's
``--now``): no write is ever refused as a mapping collision or as another writer's object; the
operator's first runs feed on its own writes (it reads what it wrote) and it settles — within
four ticks the pair reaches a tick that runs nothing, or, where it does not, every run after the
first journals which inputs changed, each changed one with the fields that changed, and names
the operator's controllers that wrote them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.real.worlds import hosted, standalone

from mom.journal.records import InputChangeKind, MutationState
from mom.manager.assembly import open_manager
from mom.manager.config import load_config

pytestmark = pytest.mark.realdata

TICKS = 4
STARTS = [
    datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC) + timedelta(days=37 * i, hours=5 * i) for i in range(10)
]
WORLDS = {"standalone": standalone, "hypershift": hosted}


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["aws", "azure"])
def must_gather(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(f"{request.param}_must_gather")  # type: ignore[no-any-return]


@pytest.mark.parametrize("topology", sorted(WORLDS))
def test_the_operator_settles_or_the_journal_says_why(
    tmp_path: Path, must_gather: Path, authentication_operator: Path, topology: str
) -> None:
    for index, start in enumerate(STARTS):
        directory = tmp_path / f"start-{index}"
        directory.mkdir()
        config = load_config(WORLDS[topology](directory, must_gather, authentication_operator, debounce=0))
        clock = Clock(start)
        manager, _ = open_manager(config, clock=clock)
        quiet_at = None
        run_ids: list[int] = []
        try:
            for tick in range(1, TICKS + 1):
                report = manager.tick()
                ran = [p.run_id for p in report.pairs if p.run_id]
                run_ids += ran
                if not ran and not report.deferred:
                    quiet_at = tick
                    break
                clock.now += timedelta(minutes=2)  # past any failure backoff of the operator's own errors
            for run_id in run_ids:
                for mutation in manager.journal.mutations_of(run_id):
                    assert not (
                        mutation.state is MutationState.REFUSED
                        and ("collision" in mutation.reason or "belongs to" in mutation.reason)
                    ), f"start {start}: {mutation.reason}"
            if quiet_at is None:
                for run_id in run_ids[1:]:
                    record = manager.journal.run(run_id)
                    assert record.input_changes, (
                        f"start {start}: run {run_id} ran again without a journaled reason"
                    )
                    for change in record.input_changes:
                        if change.change is InputChangeKind.CHANGED:
                            assert change.fields, f"start {start}: run {run_id}: {change} names no field"
                    assert any(c.writers for c in record.input_changes), (
                        f"start {start}: run {run_id}: no changed input names who wrote it"
                    )
        finally:
            manager.journal.close()
