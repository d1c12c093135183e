"""The :class:`Journal`: every operator run and its planned mutations, in one SQLite file.

A run is written twice: :meth:`Journal.begin_run` records who runs, why and on which inputs
before the operator starts; :meth:`Journal.finish_run` stores its results and every planned
mutation in one transaction. Each mutation then moves from ``Pending`` to a final state with
:meth:`Journal.mark_mutation`, one commit per mutation. After a crash at any point the journal
says exactly what is left: runs begun but never finished (:meth:`Journal.unfinished_runs`) and
mutations planned but never settled (:meth:`Journal.pending_mutations`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType

from mom.api.cluster import UNSPECIFIED_DIR
from mom.api.errors import Conflict, InvalidInput, MomError, NotFound
from mom.api.results import ControllerResults
from mom.journal import rows
from mom.journal.lock import JournalLock
from mom.journal.records import (
    FINAL_STATES,
    InputChange,
    MutationState,
    PlannedMutation,
    RunRecord,
    RunStatus,
    RunSummary,
)
from mom.journal.retention import RetentionPolicy, expired_runs
from mom.journal.schema import check_journal_file, connect, read_identity
from mom.mutationdir.output import CLUSTER_TYPE_DIRS, write_operator_output
from mom.mutationdir.requests import MutationRequest

MEMORY = ":memory:"
_DELETE_CHUNK = 500
"""Run ids per DELETE statement (SQLite caps the number of bound parameters)."""


class JournalWriteFailed(MomError):
    """SQLite refused a write (disk full, read-only, locked past the busy timeout); the
    transaction was rolled back whole."""


class Journal:
    """The record of every run. Not shared between threads; open one per process or thread."""

    def __init__(self, path: str | Path, *, create: bool = True, lock: JournalLock | None = None) -> None:
        """Open (or, with ``create``, start) the journal at ``path``.

        A file that exists must be a journal with its identity: an empty file, another kind of
        file, another SQLite database or a journal whose identity row is gone is refused, never
        silently started afresh. ``lock`` (the manager's :func:`~mom.journal.lock.lock_journal`)
        is released when the journal is closed.
        """
        database = str(path)
        self.path = database
        self._lock = lock
        if database != MEMORY:
            if not create and not Path(database).is_file():
                raise NotFound(f"journal {database} does not exist")
            check_journal_file(Path(database))
        try:
            self._db = connect(database)
        except sqlite3.Error as exc:
            raise InvalidInput(database, [f"cannot open the journal: {exc}"]) from exc
        self._db.row_factory = sqlite3.Row
        try:
            self.identity: str = read_identity(self._db, database)
            """Random, fixed when the journal was created; the suffix of its mutation ids."""
        except sqlite3.Error as exc:
            self._db.close()
            raise InvalidInput(database, [f"cannot open the journal: {exc}"]) from exc
        except BaseException:
            self._db.close()
            raise
        self._batch_depth = 0
        self._compacted_through: int | None = None

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self._batch_depth:  # inside batch(): the outer transaction commits
            yield self._db
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # SQLite may have rolled back already (disk full)
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise JournalWriteFailed(
                f"cannot write the journal {self.path}: {exc}; nothing of this write was kept"
            ) from exc

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Make every write inside one transaction: one durable commit instead of one each.

        All of them are kept or none is: an error inside rolls the whole batch back.
        """
        with self._transaction():
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1

    def integrity_check(self) -> list[str]:
        """SQLite's own check of the file; ``["ok"]`` when it is sound."""
        return [row[0] for row in self._db.execute("PRAGMA integrity_check")]

    # Writing ------------------------------------------------------------------------------------

    def begin_run(
        self,
        *,
        operator: str,
        instance: str,
        trigger: str,
        input_digest: str,
        inputs: bytes | int,
        started_at: datetime,
        now: datetime,
        seed: int | None,
        outputs_digest: str,
        input_changes: Sequence[InputChange] | None = None,
    ) -> int:
        """Record a run about to start; returns its id.

        ``inputs`` is :func:`pack_dir` output, or the id of an earlier run whose stored inputs
        are this run's too (a resync on unchanged inputs: nothing to pack again).
        ``input_changes`` are the inputs that differ from the pair's previous run (``None``:
        not known).
        """
        values = (
            operator,
            instance,
            trigger,
            input_digest,
            outputs_digest,
            rows.stamp(started_at, "started_at"),
            rows.stamp(now, "now"),
            seed,
            RunStatus.RUNNING.value,
            rows.changes_blob(input_changes),
        )
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (operator, instance, trigger, input_digest, outputs_digest, "
                "started_at, now, seed, status, input_changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            run_id = cursor.lastrowid
            assert run_id is not None
            if isinstance(inputs, int):
                copied = db.execute(
                    "INSERT INTO run_inputs (run_id, inputs) SELECT ?, inputs FROM run_inputs WHERE run_id = ?",
                    (run_id, inputs),
                )
                if copied.rowcount != 1:
                    raise NotFound(f"run {inputs} has no stored inputs to share")
            else:
                db.execute("INSERT INTO run_inputs (run_id, inputs) VALUES (?, ?)", (run_id, inputs))
        return run_id

    def finish_run(
        self,
        run_id: int,
        *,
        finished_at: datetime,
        exit_code: int,
        results: ControllerResults | None,
        mutations: Sequence[PlannedMutation],
        stdout: str = "",
        stderr: str = "",
        error: str = "",
    ) -> list[str]:
        """Store how the run ended and its planned mutations, all at once; returns their ids.

        A mutation without an id gets ``<run_id>-<index>@<journal identity>``; one with an id
        keeps it.
        """
        status = RunStatus.SUCCEEDED if exit_code == 0 and not error else RunStatus.FAILED
        finished = rows.stamp(finished_at, "finished_at")
        ids = [m.mutation_id or f"{run_id}-{index}@{self.identity}" for index, m in enumerate(mutations)]
        with self._transaction() as db:
            self._require_status(db, run_id, RunStatus.RUNNING, "finish")
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, exit_code = ?, results = ?, stdout = ?, "
                "stderr = ?, error = ? WHERE run_id = ?",
                (
                    status.value,
                    finished,
                    exit_code,
                    rows.results_blob(results),
                    stdout,
                    stderr,
                    error,
                    run_id,
                ),
            )
            try:
                db.executemany(
                    f"INSERT INTO mutations ({rows.MUTATION_COLUMNS}, run_id, position) "
                    f"VALUES ({', '.join('?' * 23)})",
                    [
                        rows.mutation_values(run_id, index, mutation, mutation_id)
                        for index, (mutation, mutation_id) in enumerate(zip(mutations, ids, strict=True))
                    ],
                )
            except sqlite3.IntegrityError as exc:
                raise Conflict(f"run {run_id}: mutation ids must be unique in the journal: {exc}") from exc
        return ids

    def mark_mutation(
        self, mutation_id: str, state: MutationState, message: str = "", applied_at: datetime | None = None
    ) -> None:
        """Settle one mutation (one durable commit). A mutation in a final state stays there."""
        applied = None if applied_at is None else rows.stamp(applied_at, "applied_at")
        with self._transaction() as db:
            row = db.execute("SELECT state FROM mutations WHERE mutation_id = ?", (mutation_id,)).fetchone()
            if row is None:
                raise NotFound(f"mutation {mutation_id} is not in the journal")
            current = MutationState(row["state"])
            if current in FINAL_STATES:
                raise Conflict(f"mutation {mutation_id} is already {current}; it cannot become {state}")
            db.execute(
                "UPDATE mutations SET state = ?, reason = CASE WHEN ? = '' THEN reason ELSE ? END, "
                "applied_at = COALESCE(?, applied_at) WHERE mutation_id = ?",
                (state.value, message, message, applied, mutation_id),
            )

    def abandon_run(self, run_id: int, *, at: datetime, reason: str) -> None:
        """Give up on a run that was begun and never finished (its process died)."""
        with self._transaction() as db:
            self._require_status(db, run_id, RunStatus.RUNNING, "abandon")
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE run_id = ?",
                (RunStatus.ABANDONED.value, rows.stamp(at, "at"), reason, run_id),
            )

    def compact(self, policy: RetentionPolicy, now: datetime) -> int:
        """Drop the runs ``policy`` lets go of at ``now`` (:mod:`mom.journal.retention`), with
        their inputs and mutations, in one transaction; returns how many runs went.

        Nothing is looked at when no run was begun since this journal object last compacted
        (a tick with no runs costs one indexed lookup); runs that leave the window of kept
        problems meanwhile go at the next compaction after a run.
        """
        newest = self._db.execute("SELECT MAX(run_id) FROM runs").fetchone()[0]
        if newest is None or newest == self._compacted_through:
            return 0
        with self._transaction() as db:
            expired = expired_runs(db, policy, now)
            for start in range(0, len(expired), _DELETE_CHUNK):
                chunk = expired[start : start + _DELETE_CHUNK]
                db.execute(f"DELETE FROM runs WHERE run_id IN ({', '.join('?' * len(chunk))})", chunk)
        self._compacted_through = newest
        return len(expired)

    @staticmethod
    def _require_status(db: sqlite3.Connection, run_id: int, wanted: RunStatus, verb: str) -> None:
        row = db.execute("SELECT status FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise NotFound(f"run {run_id} is not in the journal")
        if row["status"] != wanted.value:
            raise Conflict(f"cannot {verb} run {run_id}: it is {row['status']}, not {wanted}")

    # Reading ------------------------------------------------------------------------------------

    def pending_mutations(self) -> list[PlannedMutation]:
        """Pending mutations of finished runs, oldest run first, in planned order."""
        cursor = self._db.execute(
            f"SELECT {rows.MUTATION_COLUMNS}, run_id, position FROM mutations JOIN runs USING (run_id) "
            "WHERE mutations.state = ? AND runs.status IN (?, ?) ORDER BY run_id, position",
            (MutationState.PENDING.value, RunStatus.SUCCEEDED.value, RunStatus.FAILED.value),
        )
        return [rows.mutation_of(row) for row in cursor]

    def unfinished_runs(self) -> list[int]:
        """Runs begun and neither finished nor abandoned, oldest first."""
        cursor = self._db.execute(
            "SELECT run_id FROM runs WHERE status = ? ORDER BY run_id", (RunStatus.RUNNING.value,)
        )
        return [row["run_id"] for row in cursor]

    def _counts(self, run_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = {run_id: {} for run_id in run_ids}
        if not run_ids:
            return counts
        cursor = self._db.execute(
            "SELECT run_id, state, COUNT(*) AS n FROM mutations "
            f"WHERE run_id IN ({', '.join('?' * len(run_ids))}) GROUP BY run_id, state",
            tuple(run_ids),
        )
        for row in cursor:
            counts[row["run_id"]][row["state"]] = row["n"]
        return counts

    def runs(
        self, *, operator: str | None = None, instance: str | None = None, limit: int = 50
    ) -> list[RunSummary]:
        """The newest ``limit`` runs, newest first, optionally of one operator and/or instance."""
        if limit < 1:
            raise InvalidInput("limit", [f"Invalid value: {limit}: must be at least 1"])
        conditions, values = [], []
        for column, value in (("operator", operator), ("instance", instance)):
            if value is not None:
                conditions.append(f"{column} = ?")
                values.append(value)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        found = self._db.execute(
            f"SELECT * FROM runs {where} ORDER BY run_id DESC LIMIT ?", (*values, limit)
        ).fetchall()
        counts = self._counts([row["run_id"] for row in found])
        return [rows.summary_of(row, counts[row["run_id"]]) for row in found]

    def run(self, run_id: int) -> RunRecord:
        row = self._db.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise NotFound(f"run {run_id} is not in the journal")
        return rows.record_of(row, self._counts([run_id])[run_id])

    def last_run(self, operator: str, instance: str) -> RunRecord | None:
        """The newest finished (succeeded or failed) run of one operator instance."""
        row = self._db.execute(
            "SELECT * FROM runs WHERE operator = ? AND instance = ? AND status IN (?, ?) "
            "ORDER BY run_id DESC LIMIT 1",
            (operator, instance, RunStatus.SUCCEEDED.value, RunStatus.FAILED.value),
        ).fetchone()
        return None if row is None else rows.record_of(row, self._counts([row["run_id"]])[row["run_id"]])

    def inputs_of(self, run_id: int) -> bytes:
        row = self._db.execute("SELECT inputs FROM run_inputs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise NotFound(f"run {run_id} is not in the journal")
        return bytes(row["inputs"])

    def mutations_of(self, run_id: int) -> list[PlannedMutation]:
        """The run's planned mutations in planned order, with their current states."""
        self.run(run_id)
        cursor = self._db.execute(
            f"SELECT {rows.MUTATION_COLUMNS}, run_id, position FROM mutations WHERE run_id = ? ORDER BY position",
            (run_id,),
        )
        return [rows.mutation_of(row) for row in cursor]

    def write_output_dir(self, run_id: int, path: Path, *, include_unspecified: bool = True) -> None:
        """Recreate the run's apply-configuration output below ``path``, its mutations placed as
        :func:`output_directories` places them."""
        record = self.run(run_id)
        if record.summary.status not in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            raise Conflict(f"run {run_id} is {record.summary.status}: it has no output")
        written = output_directories(self.mutations_of(run_id))
        if not include_unspecified:
            written.pop(UNSPECIFIED_DIR, None)
        write_operator_output(path, written, record.results)


def output_directories(planned: Sequence[PlannedMutation]) -> dict[str, list[MutationRequest]]:
    """Planned mutations by the output directory they belong in, by name: those routed to a cluster
    type in ``<ClusterType>/``, whatever became of them later (that is what the operator wrote);
    those routed nowhere in ``Unspecified/``."""
    by_directory: dict[str, list[MutationRequest]] = {}
    for mutation in planned:
        routed = mutation.cluster_type in CLUSTER_TYPE_DIRS
        by_directory.setdefault(mutation.cluster_type if routed else UNSPECIFIED_DIR, []).append(
            mutation.request
        )
    return dict(sorted(by_directory.items()))
