"""The journal: every operator run, its inputs, planned mutations and what became of them.

Owns: the SQLite database (schema, migrations, crash-safe writes, refusing a file that is not a
journal), the one-manager lock beside it, retention, the values its queries return,
deterministic packing of input directories, and exporting a run as a golden test.
Must not import: mom.cli, mom.testing, mom.operator, mom.inputs, mom.client (it sits below
the manager and the CLI and depends only on mom.mutationdir, mom.mustgather, mom.serialization and mom.api).
Entry points: :class:`Journal`, :class:`PlannedMutation`, :class:`MutationState`,
:func:`pack_dir` / :func:`unpack_dir`, :func:`export_test`, :func:`mom.journal.lock.lock_journal`,
:class:`mom.journal.retention.RetentionPolicy`.
"""

from mom.journal.archive import pack_dir, unpack_dir
from mom.journal.export import export_test
from mom.journal.journal import Journal
from mom.journal.records import (
    InputChange,
    InputChangeKind,
    MutationState,
    PlannedMutation,
    RunRecord,
    RunStatus,
    RunSummary,
)

__all__ = [
    "InputChange",
    "InputChangeKind",
    "Journal",
    "MutationState",
    "PlannedMutation",
    "RunRecord",
    "RunStatus",
    "RunSummary",
    "export_test",
    "pack_dir",
    "unpack_dir",
]
