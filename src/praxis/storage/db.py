"""SQLite connection (WAL, busy timeout) and numbered SQL migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple

from praxis.errors import DataDirError

BUSY_TIMEOUT_MS = 10_000
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
REFERENCE_TABLES = (
    "sessions",
    "hot_memories",
    "hot_fts",
    "cold_memories",
    "cold_fts",
    "approval_requests",
    "review_runs",
    "eval_runs",
    "session_snapshots",
    "provider_attempts",
    "token_ledger",
    "anatomy_index",
    "do_not_repeat",
    "known_bugs",
    "learning_sources",
    "learning_runs",
    "opportunities",
)


class Migration(NamedTuple):
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found: list[Migration] = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:4])
        found.append(Migration(version, path.stem, path.read_text(encoding="utf-8")))
    return found


def code_schema_version() -> int:
    return max(m.version for m in available_migrations())


def connect(path: Path) -> sqlite3.Connection:
    """Open the database in autocommit mode (we manage transactions), WAL, busy timeout."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise DataDirError(
            f"cannot open database {path}: {exc}", "check the path and its permissions"
        ) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DataDirError(
            f"database {path} is not a valid SQLite database: {exc}",
            "restore it from a snapshot (`praxis import`) or move it aside and run `praxis init`",
        ) from exc
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (trigger bodies stay whole)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def migrate(conn: sqlite3.Connection, path: Path, applied_at: str) -> list[int]:
    """Apply pending migrations in order, each in one transaction. Returns the versions applied."""
    migrations = available_migrations()
    newest = migrations[-1].version
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)"
    )
    current = schema_version(conn)
    if current > newest:
        raise DataDirError(
            f"database {path} has schema version {current}, newer than this Praxis supports ({newest})",
            "upgrade Praxis (pip install -U praxis-agent) before using this data dir",
        )
    applied: list[int] = []
    recorded = _recorded_versions(conn)
    for migration in migrations:
        # A database written by the Rust original records only version 10; ours record each one.
        if migration.version in recorded or (migration.version < 10 and current >= 10):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if migration.version in _recorded_versions(conn):
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
                (migration.version, applied_at),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def _recorded_versions(conn: sqlite3.Connection) -> set[int]:
    return {int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations")}


def missing_tables(conn: sqlite3.Connection) -> list[str]:
    present = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    return [t for t in REFERENCE_TABLES if t not in present]


def integrity(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA integrity_check").fetchone()
    return str(row[0])


def open_database(path: Path, applied_at: str) -> sqlite3.Connection:
    """Connect and bring the schema up to date."""
    conn = connect(path)
    try:
        migrate(conn, path, applied_at)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DataDirError(
            f"database {path} could not be migrated: {exc}",
            "restore it from a snapshot (`praxis import`) or run `praxis doctor`",
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn
