"""Session rows and everything reflect records with them, in one idempotent transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class SessionRecord:
    run_key: str
    day: int
    started_at: str
    ended_at: str
    outcome: str
    goal_id: str | None
    goal_title: str | None
    task: str | None
    summary: str
    tokens_used: int
    goals_completed: int
    goals_attempted: int
    memory_captures: int
    loop_guard_triggers: int
    reviewer_passes: int
    reviewer_failures: int
    eval_passes: int
    eval_failures: int
    repeated_reads_avoided: int
    phase_durations: Mapping[str, int]


def find_session(conn: sqlite3.Connection, run_key: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT id, session_num FROM sessions WHERE run_key = ?", (run_key,)
    ).fetchone()
    return row


def insert_session(conn: sqlite3.Connection, record: SessionRecord) -> tuple[int, int]:
    """Insert the row (inside the caller's transaction). Returns (id, session_num). The texts
    (summary, task, goal title) are stored redacted."""
    from praxis.redact import redact

    record = replace(
        record,
        summary=redact(record.summary),
        task=redact(record.task) if record.task is not None else None,
        goal_title=redact(record.goal_title) if record.goal_title is not None else None,
    )
    session_num = int(
        conn.execute(
            "SELECT COALESCE(MAX(session_num), 0) + 1 FROM sessions WHERE day = ?", (record.day,)
        ).fetchone()[0]
    )
    cursor = conn.execute(
        "INSERT INTO sessions(run_key, day, session_num, started_at, ended_at, tokens_used, "
        "goals_completed, goals_attempted, lines_written, memory_captures, loop_guard_triggers, "
        "reviewer_passes, reviewer_failures, eval_passes, eval_failures, repeated_reads_avoided, "
        "phase_durations, outcome, selected_goal_id, selected_goal_title, selected_task, "
        "action_summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.run_key,
            record.day,
            session_num,
            record.started_at,
            record.ended_at,
            record.tokens_used,
            record.goals_completed,
            record.goals_attempted,
            record.memory_captures,
            record.loop_guard_triggers,
            record.reviewer_passes,
            record.reviewer_failures,
            record.eval_passes,
            record.eval_failures,
            record.repeated_reads_avoided,
            json.dumps(dict(record.phase_durations)),
            record.outcome,
            record.goal_id,
            record.goal_title,
            record.task,
            record.summary,
        ),
    )
    return int(cursor.lastrowid or 0), session_num


def attach_snapshots(conn: sqlite3.Connection, run_key: str, session_id: int) -> None:
    conn.execute(
        "UPDATE session_snapshots SET session_id = ? WHERE run_key = ? AND session_id IS NULL",
        (session_id, run_key),
    )


def insert_snapshot(
    conn: sqlite3.Connection,
    run_key: str,
    session_id: int | None,
    started_at: str,
    phase: str,
    checkpoint: str,
    state_json: str,
    recorded_at: str,
) -> None:
    """One checkpoint of a session; the state JSON is stored redacted (it stays valid JSON)."""
    from praxis.redact import redact

    conn.execute(
        "INSERT INTO session_snapshots(session_id, session_started_at, phase, checkpoint, state_json, "
        "recorded_at, run_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (session_id, started_at, phase, checkpoint, redact(state_json), recorded_at, run_key),
    )


FULL_SNAPSHOT_SESSIONS = 200


def compact_old_snapshots(
    conn: sqlite3.Connection, keep_sessions: int = FULL_SNAPSHOT_SESSIONS
) -> int:
    """Shrink the state JSON of snapshots older than the newest `keep_sessions` sessions to what
    forensics shows (outcome and prompt hashes), so the table grows by bytes, not kilobytes, per
    session over months. Returns the rows compacted."""
    cursor = conn.execute(
        "UPDATE session_snapshots SET state_json = json_object("
        "'last_outcome', json_extract(state_json, '$.last_outcome'), "
        "'prompts', json(COALESCE(json_extract(state_json, '$.prompts'), '[]')), "
        "'compacted', 1) "
        "WHERE session_id IS NOT NULL AND session_id <= ("
        "  SELECT COALESCE(MAX(id), 0) - ? FROM sessions) "
        "AND json_valid(state_json) AND json_extract(state_json, '$.compacted') IS NULL",
        (keep_sessions,),
    )
    return cursor.rowcount
