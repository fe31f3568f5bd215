"""SQLite connection (WAL, busy timeout) and numbered SQL migrations."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from praxis.errors import DataDirError, InvalidDataFile, PraxisError
from praxis.storage.transaction import transaction

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


SQLITE_HEADER = b"SQLite format 3\x00"
_RESTORE_HINT = (
    "restore it from a snapshot (`praxis import`), or move it aside and run `praxis init` "
    "to start a new database"
)
_opened: Path | None = None


def opened_path() -> Path | None:
    """The database this process opened last (names the file in a disk error at the boundary)."""
    return _opened


def check_database_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a database file that cannot be ours: not a regular file,
    empty (SQLite would silently start a fresh database in it) or without the SQLite header."""
    from praxis.safe_read import open_regular

    try:
        fd = open_regular(path)
    except FileNotFoundError:
        return  # a new database
    try:
        header = os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)
    if not header:
        raise InvalidDataFile(f"database {path} is empty (0 bytes)", _RESTORE_HINT)
    if header != SQLITE_HEADER:
        raise InvalidDataFile(
            f"database {path} is not a valid SQLite database (no SQLite header)", _RESTORE_HINT
        )


def checked_and_noted(path: Path) -> None:
    """Check the file (check_database_file) and remember it as the one this process opens."""
    global _opened
    check_database_file(path)
    _opened = path


def connect(path: Path) -> sqlite3.Connection:
    """Open the database in autocommit mode (we manage transactions), WAL, busy timeout."""
    checked_and_noted(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise database_error(path, exc, "cannot open database {path}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_error(path, exc, "cannot open database {path}") from exc
    return conn


def database_error(path: Path, exc: sqlite3.Error, what: str) -> PraxisError:
    """What is true about a failing database: the disk (full, read-only, permissions), real
    corruption (PRAGMA quick_check fails), or neither. Only corruption suggests replacing it."""
    from praxis.io_errors import sqlite_storage_error

    storage = sqlite_storage_error(exc, path)
    if storage is not None:
        return storage
    verdict = quick_check(path) if path.exists() else None
    if verdict is not None and verdict != "ok":
        return DataDirError(
            f"database {path} is corrupt: {exc} (quick_check: {verdict})", _RESTORE_HINT
        )
    checked = "it passed PRAGMA quick_check: keep it; " if verdict == "ok" else "keep it; "
    return DataDirError(
        f"{what.format(path=path)}: {exc}",
        f"{checked}check the disk and the file's permissions, then retry (`praxis doctor`)",
    )


def quick_check(path: Path) -> str | None:
    """`PRAGMA quick_check` on a read-only connection: "ok", the problems found, or None when the
    check itself could not run (e.g. the disk refused to open the file)."""
    from praxis.io_errors import is_corruption

    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc) if is_corruption(exc) else None
    return "; ".join(str(row[0]) for row in rows[:5])


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
    current = refuse_newer_schema(conn, path, newest)
    applied: list[int] = []
    for migration in pending_migrations(conn, current, migrations):
        with transaction(conn):
            if migration.version in _recorded_versions(conn):
                continue  # another process applied it meanwhile
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
                (migration.version, applied_at),
            )
        applied.append(migration.version)
    return applied


def refuse_newer_schema(conn: sqlite3.Connection, path: Path, newest: int) -> int:
    """The database's schema version; DataDirError when it is newer than this code's."""
    current = schema_version(conn)
    if current > newest:
        raise DataDirError(
            f"database {path} has schema version {current}, newer than this Praxis supports ({newest})",
            "upgrade Praxis (pip install -U praxis-agent) before using this data dir",
        )
    return current


def pending_migrations(
    conn: sqlite3.Connection, current: int, migrations: list[Migration] | None = None
) -> list[Migration]:
    """The migrations a database at schema version `current` still needs, in order."""
    recorded = _recorded_versions(conn) if current else set()
    return [
        m
        for m in (available_migrations() if migrations is None else migrations)
        # A database written by the Rust original records only version 10; ours record each one.
        if m.version not in recorded and not (m.version < 10 and current >= 10)
    ]


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
    migrated = False
    try:
        migrate(conn, path, applied_at)
        migrated = True
    except sqlite3.DatabaseError as exc:
        raise database_error(path, exc, "database {path} could not be migrated") from exc
    finally:
        if not migrated:
            conn.close()
    return conn
