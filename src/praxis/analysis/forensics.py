"""Forensics: the checkpoints one session left behind (reference §12), keyed by run key or id."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from praxis import clock
from praxis.errors import PraxisError, UsageError
from praxis.loop.conversation_store import StoredMessage

if TYPE_CHECKING:
    from praxis.app import Praxis


@dataclass(frozen=True)
class Snapshot:
    recorded_at: str
    checkpoint: str
    phase: str
    outcome: str
    session_id: int | None


@dataclass(frozen=True)
class SessionForensics:
    started_at: str
    session_id: int | None
    snapshots: tuple[Snapshot, ...]
    prompts: tuple[dict[str, Any], ...]
    run_key: str | None = None


def latest(conn: sqlite3.Connection, db_label: str) -> SessionForensics:
    row = conn.execute(
        "SELECT run_key, session_started_at FROM session_snapshots ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise PraxisError(
            f"no session snapshots found in {db_label}", "run `praxis run --once` first"
        )
    if row["run_key"] is None:
        return _load(
            conn, "session_started_at = ?", row["session_started_at"], row["session_started_at"]
        )
    return _load(conn, "run_key = ?", row["run_key"], row["session_started_at"], row["run_key"])


def by_started_at(conn: sqlite3.Connection, started_at: str) -> SessionForensics:
    clock.parse_timestamp(started_at)  # not a timestamp at all is bad input (exit 2)
    return _load(conn, "session_started_at = ?", started_at, started_at)


def by_session_id(conn: sqlite3.Connection, session_id: int) -> SessionForensics:
    row = conn.execute(
        "SELECT run_key, started_at FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    if row is None:
        raise UsageError(
            f"session {session_id} not found", "see `praxis status` for the last session id"
        )
    if row["run_key"]:
        return _load(conn, "run_key = ?", row["run_key"], row["started_at"], row["run_key"])
    return _load(conn, "session_id = ?", session_id, row["started_at"])


def _load(
    conn: sqlite3.Connection,
    where: str,
    value: object,
    started_at: str,
    run_key: str | None = None,
) -> SessionForensics:
    rows = conn.execute(
        f"SELECT session_id, phase, checkpoint, state_json, recorded_at FROM session_snapshots "
        f"WHERE {where} ORDER BY id",
        (value,),
    ).fetchall()
    if not rows:
        raise PraxisError(
            f"no snapshots found for session {started_at}", "list sessions with `praxis status`"
        )
    snapshots: list[Snapshot] = []
    prompts: tuple[dict[str, Any], ...] = ()
    session_id: int | None = None
    for row in rows:
        try:
            state = json.loads(row["state_json"])
        except ValueError:
            state = {}
        if not isinstance(state, dict):
            state = {}
        run_key = run_key or state.get("run_key")
        prompts = tuple(state.get("prompts", ())) or prompts
        session_id = row["session_id"] if row["session_id"] is not None else session_id
        snapshots.append(
            Snapshot(
                row["recorded_at"],
                row["checkpoint"],
                str(row["phase"]).lower(),
                state.get("last_outcome") or "none",
                row["session_id"],
            )
        )
    return SessionForensics(started_at, session_id, tuple(snapshots), prompts, run_key)


def conversation(conn: sqlite3.Connection, found: SessionForensics) -> list[StoredMessage]:
    """The act conversation the session stored (redacted when written, and again here)."""
    from praxis.loop.conversation_store import load
    from praxis.redact import redact

    if found.run_key is None:
        return []
    return [
        m._replace(content=redact(m.content) if m.content is not None else None)
        for m in load(conn, found.run_key)
    ]


# For the surfaces: the same, from the app.


def latest_session(app: Praxis) -> SessionForensics:
    return latest(app.db, str(app.database_file))


def session_by_id(app: Praxis, session_id: int) -> SessionForensics:
    return by_session_id(app.db, session_id)


def session_by_started_at(app: Praxis, started_at: str) -> SessionForensics:
    return by_started_at(app.db, started_at)


def session_conversation(app: Praxis, found: SessionForensics) -> list[StoredMessage]:
    return conversation(app.db, found)
