"""The provider-attempt ledger (`provider_attempts`, mirrored to `token_ledger` once settled).

Write-ahead: an attempt's row is inserted BEFORE its request goes out, `in_flight` and charged at
its worst case (input_tokens = the estimate, output_tokens = 0, cost = the estimated cost), so every
reader that sums tokens and cost — limits, `usage`, `status` — counts open reservations of every
process with no special case. Settling overwrites the charge with the real usage (`settled`);
a row whose process died on the wire becomes `unknown` and keeps its worst-case charge.
Session rows carry the run key from the start; reflect attaches the session id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from praxis.storage.transaction import transaction

IN_FLIGHT, SETTLED, UNKNOWN = "in_flight", "settled", "unknown"
UNKNOWN_OUTCOME = "unknown_outcome"  # error_class of an attempt whose outcome was never seen
NOT_FROZEN = "COALESCE(error_class, '') != 'frozen'"  # a frozen route was skipped, not called


class Spent(NamedTuple):
    tokens: int
    cost_micros: int
    attempts: int


class OpenRow(NamedTuple):
    id: int
    pid: int | None
    pid_marker: str | None
    started_at: str | None


class Unknown(NamedTuple):
    attempts: int
    tokens: int
    cost_micros: int


def spent_since(conn: sqlite3.Connection, since: str) -> Spent:
    """Charged tokens, cost and attempts of every process since `since` (open reservations at
    their worst case)."""
    return _spent(conn, "recorded_at >= ?", since)


def spent_by_run(conn: sqlite3.Connection, run_key: str) -> Spent:
    return _spent(conn, "run_key = ?", run_key)


def _spent(conn: sqlite3.Connection, where: str, value: str) -> Spent:
    row = conn.execute(
        "SELECT COALESCE(SUM(input_tokens + output_tokens), 0), "
        f"COALESCE(SUM(estimated_cost_micros), 0), COUNT(*) FROM provider_attempts "
        f"WHERE {where} AND {NOT_FROZEN}",
        (value,),
    ).fetchone()
    return Spent(int(row[0]), int(row[1]), int(row[2]))


def reserve(
    conn: sqlite3.Connection,
    *,
    phase: str,
    provider: str,
    model: str,
    run_key: str | None,
    estimate_tokens: int,
    estimate_cost_micros: int,
    cost_known: bool,
    pid: int,
    pid_marker: str | None,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO provider_attempts(phase, provider, model, success, input_tokens, "
        "output_tokens, estimated_cost_micros, recorded_at, run_key, cost_known, state, "
        "estimate_tokens, estimate_cost_micros, pid, pid_marker, started_at) "
        "VALUES (?, ?, ?, 0, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            phase,
            provider,
            model,
            estimate_tokens,
            estimate_cost_micros,
            now,
            run_key,
            int(cost_known),
            IN_FLIGHT,
            estimate_tokens,
            estimate_cost_micros,
            pid,
            pid_marker,
            now,
        ),
    )
    return int(cursor.lastrowid or 0)


def settle(
    conn: sqlite3.Connection, row_id: int, attempt: Mapping[str, Any], note: str | None, now: str
) -> bool:
    """The real outcome of a reservation (inside the caller's transaction); mirrored to
    token_ledger. False when the row was no longer in flight (already settled as unknown by
    another process that could not see this one): it keeps its worst-case charge."""
    cursor = conn.execute(
        "UPDATE provider_attempts SET state = ?, success = ?, input_tokens = ?, output_tokens = ?, "
        "estimated_cost_micros = ?, cost_known = ?, latency_ms = ?, error = ?, error_class = ?, "
        "settled_at = ?, settle_note = ? WHERE id = ? AND state = ?",
        (
            SETTLED,
            int(attempt["success"]),
            attempt["input_tokens"],
            attempt["output_tokens"],
            attempt["cost_micros"],
            int(attempt.get("cost_known", True)),
            attempt.get("latency_ms"),
            attempt.get("error"),
            attempt.get("error_class"),
            now,
            note,
            row_id,
            IN_FLIGHT,
        ),
    )
    if cursor.rowcount != 1:
        return False
    _mirror(conn, row_id)
    return True


def open_rows(conn: sqlite3.Connection) -> list[OpenRow]:
    rows = conn.execute(
        "SELECT id, pid, pid_marker, started_at FROM provider_attempts WHERE state = ?",
        (IN_FLIGHT,),
    ).fetchall()
    return [OpenRow(int(r[0]), r[1], r[2], r[3]) for r in rows]


def settle_unknown(conn: sqlite3.Connection, row_id: int, note: str, now: str) -> None:
    """Outcome unknown: the row keeps its worst-case charge."""
    cursor = conn.execute(
        "UPDATE provider_attempts SET state = ?, success = 0, error = ?, error_class = ?, "
        "settled_at = ?, settle_note = ? WHERE id = ? AND state = ?",
        (UNKNOWN, note, UNKNOWN_OUTCOME, now, note, row_id, IN_FLIGHT),
    )
    if cursor.rowcount == 1:
        _mirror(conn, row_id)


def _mirror(conn: sqlite3.Connection, row_id: int) -> None:
    conn.execute(
        "INSERT INTO token_ledger(session_id, phase, provider, model, input_tokens, output_tokens, "
        "estimated_cost_micros, recorded_at, run_key, cost_known) "
        "SELECT session_id, phase, provider, model, input_tokens, output_tokens, "
        "estimated_cost_micros, recorded_at, run_key, cost_known FROM provider_attempts "
        "WHERE id = ?",
        (row_id,),
    )


def insert_settled(
    conn: sqlite3.Connection,
    session_id: int | None,
    run_key: str | None,
    attempt: Mapping[str, Any],
    recorded_at: str,
) -> int:
    """An attempt that reserved nothing (a frozen route skipped, a stub answer, an attempt kept
    only in an older session state): written settled, in both tables."""
    cursor = conn.execute(
        "INSERT INTO provider_attempts(session_id, phase, provider, model, success, input_tokens, "
        "output_tokens, estimated_cost_micros, error, recorded_at, latency_ms, error_class, "
        "run_key, cost_known, state, settled_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session_id,
            attempt["phase"],
            attempt["provider"],
            attempt["model"],
            int(attempt["success"]),
            attempt["input_tokens"],
            attempt["output_tokens"],
            attempt["cost_micros"],
            attempt.get("error"),
            recorded_at,
            attempt.get("latency_ms"),
            attempt.get("error_class"),
            run_key,
            int(attempt.get("cost_known", True)),
            SETTLED,
            recorded_at,
        ),
    )
    row_id = int(cursor.lastrowid or 0)
    _mirror(conn, row_id)
    return row_id


def attach_session(
    conn: sqlite3.Connection,
    session_id: int,
    run_key: str,
    attempts: Sequence[Mapping[str, Any]],
    recorded_at: str,
) -> None:
    """Reflect (inside its transaction): the session's rows, written as they happened, get its id;
    attempts the session state holds but the ledger does not (no `row_id`: frozen routes, or a
    state written before reservations existed) are inserted now."""
    for table in ("provider_attempts", "token_ledger"):
        conn.execute(
            f"UPDATE {table} SET session_id = ? WHERE run_key = ? AND session_id IS NULL",
            (session_id, run_key),
        )
    for attempt in attempts:
        if attempt.get("row_id") is None:
            insert_settled(conn, session_id, run_key, attempt, recorded_at)


def unknown_outcomes(conn: sqlite3.Connection, since: str) -> Unknown:
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(input_tokens + output_tokens), 0), "
        "COALESCE(SUM(estimated_cost_micros), 0) FROM provider_attempts "
        "WHERE state = ? AND recorded_at >= ?",
        (UNKNOWN, since),
    ).fetchone()
    return Unknown(int(row[0]), int(row[1]), int(row[2]))


def in_flight_count(conn: sqlite3.Connection) -> int:
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM provider_attempts WHERE state = ?", (IN_FLIGHT,)
        ).fetchone()[0]
    )


def drop_in_flight(conn: sqlite3.Connection) -> int:
    """Remove open reservations (a copy of the database: export and snapshots). A database
    older than the reservation ledger has none."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(provider_attempts)")}
    if "state" not in columns:
        return 0
    with transaction(conn):
        return conn.execute("DELETE FROM provider_attempts WHERE state = 'in_flight'").rowcount
