"""A journal survives ``kill -9`` and says exactly what a restarted manager must do.

Covers: a process killed between two mark_mutation calls leaves a sound file whose pending
mutations are exactly the unmarked ones (the marked ones stay settled, none lost); a process
killed inside finish_run's transaction, before its commit, leaves the run unfinished with no
half-stored mutations, and the run can then be abandoned.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from journal_support import T0

from mom.journal import Journal, MutationState, RunStatus

SUPPORT_DIR = Path(__file__).parent

_PRELUDE = """
import os, signal, sys
sys.path.insert(0, {support!r})
from journal_support import T0, begin, configmap_create, planned
from mom.journal import Journal, MutationState
journal = Journal({path!r})
run_id = begin(journal)
mutations = planned([configmap_create(f"cm-{{i}}", trailer=b"") for i in range(6)])
"""

_KILL_BETWEEN_MARKS = """
ids = journal.finish_run(run_id, finished_at=T0, exit_code=0, results=None, mutations=mutations)
for mutation_id in ids[:3]:
    journal.mark_mutation(mutation_id, MutationState.APPLIED, applied_at=T0)
print(",".join(ids), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
journal.mark_mutation(ids[3], MutationState.APPLIED, applied_at=T0)
"""

_KILL_BEFORE_COMMIT = """
def trace(statement):
    if statement == "COMMIT" and getattr(trace, "armed", False):
        os.kill(os.getpid(), signal.SIGKILL)
    if statement.startswith("INSERT INTO mutations"):
        trace.armed = True
journal._db.set_trace_callback(trace)
journal.finish_run(run_id, finished_at=T0, exit_code=0, results=None, mutations=mutations)
print("finish_run returned", flush=True)
"""


def _run_and_kill(path: Path, body: str) -> str:
    script = textwrap.dedent(_PRELUDE.format(support=str(SUPPORT_DIR), path=str(path))) + body
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert process.returncode == -signal.SIGKILL, process.stderr
    return process.stdout


def test_kill_between_marks_keeps_exactly_the_unmarked_pending(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    ids = _run_and_kill(path, _KILL_BETWEEN_MARKS).strip().split(",")
    assert len(ids) == 6
    with Journal(path, create=False) as journal:
        assert journal.integrity_check() == ["ok"]
        assert journal.unfinished_runs() == []
        assert [m.mutation_id for m in journal.pending_mutations()] == ids[3:]
        states = [m.state for m in journal.mutations_of(1)]
        assert states == [MutationState.APPLIED] * 3 + [MutationState.PENDING] * 3
        for mutation in journal.pending_mutations():
            journal.mark_mutation(mutation.mutation_id, MutationState.APPLIED, applied_at=T0)
        assert journal.pending_mutations() == []


def test_kill_inside_finish_run_leaves_the_run_unfinished(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    assert "finish_run returned" not in _run_and_kill(path, _KILL_BEFORE_COMMIT)
    with Journal(path, create=False) as journal:
        assert journal.integrity_check() == ["ok"]
        assert journal.unfinished_runs() == [1]
        assert journal.mutations_of(1) == []
        assert journal.pending_mutations() == []
        journal.abandon_run(1, at=T0, reason="process died during the run")
        assert journal.run(1).summary.status is RunStatus.ABANDONED
        assert journal.unfinished_runs() == []
