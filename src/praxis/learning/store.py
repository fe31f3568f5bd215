"""SQL of the learning runtime: `learning_sources`, `learning_runs`, `opportunities` (reference
schema). NamedTuples and stdlib only: `status` reads the last run on its start-up path."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, NamedTuple

STATUSES = ("pending", "accepted", "dismissed")


class SourceState(NamedTuple):
    path: str  # relative to the data dir, e.g. learning/sources/operator-notes.md
    last_modified_at: str
    byte_len: int
    summary: str
    last_processed_at: str


class LearningRun(NamedTuple):
    id: int
    processed_sources: int
    changed_sources: int
    opportunities_created: int
    notes: list[str]
    completed_at: str

    def line(self) -> str:
        return (
            f"processed={self.processed_sources} changed={self.changed_sources} "
            f"opportunities={self.opportunities_created} completed_at={self.completed_at}"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "processed": self.processed_sources,
            "changed": self.changed_sources,
            "opportunities": self.opportunities_created,
            "completed_at": self.completed_at,
        }


class Opportunity(NamedTuple):
    id: int
    signature: str
    kind: str
    title: str
    summary: str
    evidence: object
    status: str
    goal_id: str | None
    created_at: str
    updated_at: str

    def as_json(self) -> dict[str, object]:
        return {**self._asdict()}


class Candidate(NamedTuple):
    signature: str
    kind: str
    title: str
    summary: str
    evidence: dict[str, object]


_OPPORTUNITY = (
    "SELECT id, signature, kind, title, summary, evidence_json, status, goal_id, created_at, "
    "updated_at FROM opportunities"
)


def _opportunity(row: Any) -> Opportunity:
    try:
        evidence = json.loads(str(row[5]))
    except ValueError:
        evidence = row[5]
    return Opportunity(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        evidence,
        str(row[6]),
        None if row[7] is None else str(row[7]),
        str(row[8]),
        str(row[9]),
    )


# --- sources -------------------------------------------------------------------------------


def known_sources(conn: sqlite3.Connection) -> dict[str, SourceState]:
    rows = conn.execute(
        "SELECT path, last_modified_at, byte_len, summary, last_processed_at FROM learning_sources"
    ).fetchall()
    return {
        str(r[0]): SourceState(str(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4])) for r in rows
    }


def save_source(conn: sqlite3.Connection, state: SourceState) -> None:
    conn.execute(
        "INSERT INTO learning_sources(path, last_modified_at, byte_len, summary, last_processed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
        "last_modified_at = excluded.last_modified_at, byte_len = excluded.byte_len, "
        "summary = excluded.summary, last_processed_at = excluded.last_processed_at",
        tuple(state),
    )


# --- runs ----------------------------------------------------------------------------------


def record_run(
    conn: sqlite3.Connection,
    processed: int,
    changed: int,
    created: int,
    notes: list[str],
    completed_at: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO learning_runs(processed_sources, changed_sources, opportunities_created, "
        "notes_json, completed_at) VALUES (?, ?, ?, ?, ?)",
        (processed, changed, created, json.dumps(notes, ensure_ascii=False), completed_at),
    )
    return int(cursor.lastrowid or 0)


def latest_run(conn: sqlite3.Connection) -> LearningRun | None:
    row = conn.execute(
        "SELECT id, processed_sources, changed_sources, opportunities_created, notes_json, "
        "completed_at FROM learning_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    try:
        notes = json.loads(str(row[4]))
    except ValueError:
        notes = []
    if not isinstance(notes, list):
        notes = []
    return LearningRun(
        int(row[0]), int(row[1]), int(row[2]), int(row[3]), [str(n) for n in notes], str(row[5])
    )


# --- opportunities -------------------------------------------------------------------------


def has_signature(conn: sqlite3.Connection, signature: str) -> bool:
    found = conn.execute("SELECT 1 FROM opportunities WHERE signature = ?", (signature,)).fetchone()
    return found is not None


def created_times(conn: sqlite3.Connection) -> list[str]:
    """`created_at` of every opportunity (the throttle parses them: rows imported from the
    original carry `+00:00` offsets, so text comparison would be wrong)."""
    return [str(r[0]) for r in conn.execute("SELECT created_at FROM opportunities")]


def create_opportunity(conn: sqlite3.Connection, candidate: Candidate, now: str) -> int:
    from praxis.redact import redact

    cursor = conn.execute(
        "INSERT INTO opportunities(signature, kind, title, summary, evidence_json, status, "
        "goal_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', NULL, ?, ?)",
        (
            candidate.signature,
            candidate.kind,
            redact(candidate.title),
            redact(candidate.summary),
            redact(json.dumps(candidate.evidence, ensure_ascii=False, sort_keys=True)),
            now,
            now,
        ),
    )
    return int(cursor.lastrowid or 0)


def get_opportunity(conn: sqlite3.Connection, opportunity_id: int) -> Opportunity | None:
    row = conn.execute(f"{_OPPORTUNITY} WHERE id = ?", (opportunity_id,)).fetchone()
    return None if row is None else _opportunity(row)


def list_opportunities(conn: sqlite3.Connection, status: str, limit: int) -> list[Opportunity]:
    """Newest first."""
    rows = conn.execute(
        f"{_OPPORTUNITY} WHERE status = ? ORDER BY id DESC LIMIT ?", (status, limit)
    ).fetchall()
    return [_opportunity(r) for r in rows]


def count_by_status(conn: sqlite3.Connection) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in conn.execute("SELECT status, COUNT(*) FROM opportunities GROUP BY status"):
        counts[str(status)] = int(count)
    return counts


def set_status(
    conn: sqlite3.Connection, opportunity_id: int, status: str, goal_id: str | None, now: str
) -> None:
    """Set the status (and, when given, the linked goal; a link is never removed)."""
    conn.execute(
        "UPDATE opportunities SET status = ?, goal_id = COALESCE(?, goal_id), updated_at = ? "
        "WHERE id = ?",
        (status, goal_id, now, opportunity_id),
    )
