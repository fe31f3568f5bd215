"""SQLite storage: WAL, migrations in order, version recorded, newer DBs refused, reference DBs upgraded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from praxis.errors import DataDirError
from praxis.storage.db import (
    REFERENCE_TABLES,
    available_migrations,
    code_schema_version,
    integrity,
    missing_tables,
    open_database,
    schema_version,
)

NOW = "2026-05-01T08:00:00Z"


def test_fresh_database_is_wal_and_fully_migrated(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "p.db", NOW)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert schema_version(conn) == code_schema_version()
    versions = [
        r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")
    ]
    assert versions == [m.version for m in available_migrations()]
    assert all(r[0] == NOW for r in conn.execute("SELECT applied_at FROM schema_migrations"))
    assert missing_tables(conn) == []
    assert integrity(conn) == "ok"


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    open_database(tmp_path / "p.db", NOW).close()
    conn = open_database(tmp_path / "p.db", "2026-06-01T00:00:00Z")
    count = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert count == len(available_migrations())


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_database(path, NOW).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO schema_migrations(version, applied_at) VALUES (9999, ?)", (NOW,))
    raw.commit()
    raw.close()
    with pytest.raises(DataDirError, match="schema version 9999, newer than this Praxis"):
        open_database(path, NOW)


def test_reference_schema_10_database_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "rust.db"
    raw = sqlite3.connect(path)
    reference_sql = (
        Path(__file__).parents[2] / "src/praxis/storage/migrations/0010_reference_schema.sql"
    )
    raw.executescript(reference_sql.read_text())
    raw.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    raw.execute("INSERT INTO schema_migrations VALUES (10, '2026-03-31T12:30:00+00:00')")
    raw.execute(
        "INSERT INTO token_ledger(session_id, phase, provider, model, input_tokens, output_tokens, "
        "estimated_cost_micros) VALUES (1, 'decide', 'stub', 'stub', 0, 0, 0)"
    )
    raw.commit()
    raw.close()
    conn = open_database(path, NOW)
    assert schema_version(conn) == code_schema_version()
    columns = {r[1] for r in conn.execute("PRAGMA table_info(token_ledger)")}
    assert {"recorded_at", "cost_known"} <= columns
    assert conn.execute("SELECT COUNT(*) FROM token_ledger").fetchone()[0] == 1


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from praxis.storage import db

    broken = db.Migration(9998, "9998_broken", "CREATE TABLE ok_table (x INTEGER);\nNOT SQL;\n")
    monkeypatch.setattr(db, "available_migrations", lambda: [*available_migrations(), broken])
    with pytest.raises(DataDirError, match="could not be migrated"):
        open_database(tmp_path / "p.db", NOW)
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] < 9998
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "ok_table" not in names


def test_garbage_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataDirError, match=r"not a valid SQLite database|could not be migrated"):
        open_database(path, NOW)


def test_reference_tables_listed() -> None:
    assert len(REFERENCE_TABLES) == 17


def test_old_snapshots_are_compacted_to_what_forensics_shows(tmp_path: Path) -> None:
    import json

    from praxis.storage.sessions import compact_old_snapshots

    conn = open_database(tmp_path / "p.db", NOW)
    state = {
        "last_outcome": "goal_selected",
        "prompts": [{"phase": "decide", "sha256": "ab"}],
        "big": "x" * 5000,
    }
    for session in range(1, 6):
        conn.execute(
            "INSERT INTO sessions(day, session_num, started_at, ended_at, outcome) VALUES (1, ?, ?, ?, 'ok')",
            (session, NOW, NOW),
        )
        conn.execute(
            "INSERT INTO session_snapshots(session_id, session_started_at, phase, checkpoint, state_json, "
            "recorded_at) VALUES (?, ?, 'sleep', 'agent:reflect_complete', ?, ?)",
            (session, NOW, json.dumps(state), NOW),
        )
    assert compact_old_snapshots(conn, keep_sessions=2) == 3
    assert compact_old_snapshots(conn, keep_sessions=2) == 0  # idempotent
    rows = [
        json.loads(r[0])
        for r in conn.execute("SELECT state_json FROM session_snapshots ORDER BY id")
    ]
    assert rows[0] == {
        "last_outcome": "goal_selected",
        "prompts": [{"phase": "decide", "sha256": "ab"}],
        "compacted": 1,
    }
    assert rows[3]["big"] == "x" * 5000 and rows[4]["big"] == "x" * 5000
