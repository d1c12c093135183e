"""The journal's SQLite schema, connection settings and migrations.

Crash safety: the database runs in WAL mode with ``synchronous=FULL``. WAL alone survives a
killed process at any instant (a transaction is either in the log with its commit frame or it
is not), and readers such as ``mom journal list`` never block the manager. ``FULL`` adds an
fsync of the log at every commit, so a commit that returned also survives a power loss or a
kernel crash; with ``NORMAL`` the last commits could be lost there. The journal's promise is
"nothing applied twice": if the commit marking a mutation ``Applied`` were lost after the write
reached the cluster, a restarted manager would apply it again. One fsync per commit is cheap
next to an API request, so durability wins.

Migrations: ``schema_version`` holds one row with the version of the newest migration applied.
Each migration is a list of statements applied in one transaction together with the version
bump, so a crash mid-migration leaves the previous version intact. A journal written by a newer
mom (a higher version than :data:`SCHEMA_VERSION`) is refused instead of being misread.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mom.api.errors import InvalidInput

BUSY_TIMEOUT_MS = 10_000
"""How long a connection waits for another writer (the manager) before giving up."""

_V1 = (
    """
    CREATE TABLE runs (
        run_id         INTEGER PRIMARY KEY AUTOINCREMENT,
        operator       TEXT    NOT NULL,
        instance       TEXT    NOT NULL,
        trigger        TEXT    NOT NULL,
        input_digest   TEXT    NOT NULL,
        outputs_digest TEXT    NOT NULL,
        started_at     TEXT    NOT NULL,
        now            TEXT    NOT NULL,
        seed           INTEGER,
        status         TEXT    NOT NULL,
        finished_at    TEXT,
        exit_code      INTEGER,
        results        BLOB,
        stdout         TEXT    NOT NULL DEFAULT '',
        stderr         TEXT    NOT NULL DEFAULT '',
        error          TEXT    NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX runs_by_instance ON runs (operator, instance, run_id)",
    "CREATE INDEX runs_by_status ON runs (status, run_id)",
    """
    CREATE TABLE run_inputs (
        run_id INTEGER PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
        inputs BLOB    NOT NULL
    )
    """,
    """
    CREATE TABLE mutations (
        mutation_id              TEXT    PRIMARY KEY,
        run_id                   INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
        position                 INTEGER NOT NULL,
        cluster_type             TEXT    NOT NULL,
        target                   TEXT    NOT NULL,
        action                   TEXT    NOT NULL,
        resource_group           TEXT    NOT NULL,
        resource_version         TEXT    NOT NULL,
        resource                 TEXT    NOT NULL,
        namespace                TEXT    NOT NULL,
        name                     TEXT    NOT NULL,
        generate_name            TEXT    NOT NULL,
        kind_group               TEXT,
        kind_version             TEXT,
        kind                     TEXT,
        body                     BLOB    NOT NULL,
        options                  BLOB    NOT NULL,
        patch_type               TEXT    NOT NULL,
        field_manager            TEXT    NOT NULL,
        controller_instance_name TEXT    NOT NULL,
        state                    TEXT    NOT NULL,
        reason                   TEXT    NOT NULL DEFAULT '',
        applied_at               TEXT,
        UNIQUE (run_id, position)
    )
    """,
    "CREATE INDEX mutations_by_state ON mutations (state, run_id, position)",
)

_V2 = (
    # Mutation ids end in the journal's identity, so a target that remembers which ids it applied
    # (a manifest directory's write-ahead log) never mistakes a new journal's mutation for one
    # an earlier journal had applied under the same run number.
    "CREATE TABLE journal_identity (id TEXT NOT NULL)",
    "INSERT INTO journal_identity (id) VALUES (lower(hex(randomblob(6))))",
)

_V3 = (
    # Which declared inputs differ from the pair's previous run (JSON, see rows.changes_blob);
    # NULL in runs journaled before, and for runs with no previous run to compare with.
    "ALTER TABLE runs ADD COLUMN input_changes BLOB",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3)
"""Migration ``i`` brings the schema from version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


SQLITE_HEADER = b"SQLite format 3\x00"
_RESTORE = "restore it from a backup, or move it away to start a new journal"


def check_journal_file(path: Path) -> None:
    """Refuse an existing file that cannot be a journal (empty, or not SQLite) before SQLite
    would turn it into a new, empty one."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot read the journal: {exc.strerror}"]) from exc
    if not header:
        raise InvalidInput(
            str(path), [f"cannot open the journal: it is empty (0 bytes), its history is lost; {_RESTORE}"]
        )
    if header != SQLITE_HEADER:
        raise InvalidInput(str(path), [f"cannot open the journal: not an SQLite database; {_RESTORE}"])


def read_identity(connection: sqlite3.Connection, source: str) -> str:
    """The journal's identity; a journal that has lost it is refused (its mutation ids would
    no longer be its own)."""
    rows = connection.execute("SELECT id FROM journal_identity").fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], str) or not rows[0][0]:
        raise InvalidInput(
            source,
            [f"cannot open the journal: it has lost its identity ({len(rows)} identity rows); {_RESTORE}"],
        )
    return str(rows[0][0])


def connect(database: str) -> sqlite3.Connection:
    """Open ``database`` with the journal's settings and bring its schema up to date.

    The connection is in autocommit mode; callers group writes with explicit transactions.
    """
    connection = sqlite3.connect(database, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if current_version(connection) == 0 and _foreign_tables(connection):  # before WAL mode rewrites it
            raise InvalidInput(
                database, [f"cannot open the journal: an SQLite database, but not a journal; {_RESTORE}"]
            )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        migrate(connection, database)
    except BaseException:
        connection.close()
        raise
    return connection


def current_version(connection: sqlite3.Connection) -> int:
    """The schema version stored in the database; 0 for an empty database."""
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _foreign_tables(connection: sqlite3.Connection) -> bool:
    """Whether the database holds tables other than the journal's version table."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'sqlite_sequence')"
    ).fetchone()
    return found is not None


def migrate(connection: sqlite3.Connection, source: str) -> None:
    """Apply the missing migrations, each in its own transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = current_version(connection)
        if version > SCHEMA_VERSION:
            raise InvalidInput(
                source,
                [f"journal schema version {version} is newer than this mom understands ({SCHEMA_VERSION})"],
            )
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # SQLite may have rolled back already (disk full)
            connection.execute("ROLLBACK")
        raise
    for target in range(version + 1, SCHEMA_VERSION + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            if current_version(connection) >= target:
                connection.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[target - 1]:
                connection.execute(statement)
            connection.execute("DELETE FROM schema_version")
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (target,))
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
