"""The journal: every operator run, its inputs, planned mutations and what became of them.

Modules and what each owns:

- ``journal`` — :class:`Journal`: one SQLite file; a run begun before the operator starts,
  finished with its results and every planned mutation in one transaction, and each mutation's
  state as it is applied; the queries.
- ``schema`` — the schema, connection settings (WAL mode, full sync) and migrations, and
  refusing a file that is not a journal.
- ``records`` — the frozen values the journal hands back (:class:`PlannedMutation`,
  :class:`MutationState`, :class:`RunSummary`, :class:`RunRecord`...); ``rows`` — conversions
  between table rows and those values.
- ``lock`` — one manager per journal: an exclusive OS lock beside it
  (:func:`mom.journal.lock.lock_journal`).
- ``retention`` — how long runs are kept (:class:`mom.journal.retention.RetentionPolicy`).
- ``archive`` — input directories packed as deterministic tar.gz bytes, unpacked only when
  harmless (:func:`pack_dir` / :func:`unpack_dir`).
- ``export`` — a stored run written out as a golden test directory (:func:`export_test`).

Must not import: ``mom.operator``, ``mom.inputs``, ``mom.apply``, ``mom.diagnostics`` (its
siblings) or any layer above them (``mom.live``, the manager, ``mom.testing``, ``mom.cli``...);
it uses ``mom.mutationdir``, ``mom.serialization`` and ``mom.api``.
Entry points: :class:`Journal`, :func:`export_test`, :func:`mom.journal.lock.lock_journal`.
:func:`export_test`, :func:`pack_dir` and :func:`unpack_dir` are loaded on first use: opening
the journal does not load tar and gzip with them.
"""

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from mom.journal.archive import pack_dir, unpack_dir
    from mom.journal.export import export_test


def __getattr__(name: str) -> object:
    if name == "export_test":
        from mom.journal.export import export_test

        return export_test
    if name in ("pack_dir", "unpack_dir"):
        from mom.journal import archive

        return getattr(archive, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
