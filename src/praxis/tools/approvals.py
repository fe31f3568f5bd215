"""The approval queue: a strict state machine (SPEC §7.2).

pending → approved | rejected; approved → executed | failed | blocked; nothing else.
Approving is a row change; the loop executes approved rows, each at most once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

from praxis.errors import PraxisError, StateError
from praxis.text import one_line

ApprovalStatus = Literal["pending", "approved", "rejected", "executed", "failed", "blocked"]
Finished = Literal["executed", "failed", "blocked"]  # where an approved request ends
TERMINAL: tuple[ApprovalStatus, ...] = ("rejected", "executed", "failed", "blocked")


class ApprovalRequest(NamedTuple):
    id: int
    tool_name: str
    summary: str
    requested_by: str
    write_paths: tuple[str, ...]
    payload: dict[str, Any] | None
    status: ApprovalStatus
    status_note: str | None
    created_at: str
    updated_at: str
    execution_started_at: str | None = None
    result_summary: str | None = None
    session_run_key: str | None = None
    output: str | None = None  # what the tool printed (bounded, redacted)
    call_key: str | None = None  # the model call it answers: `<run key>:<seq>:<index>`

    @property
    def claimed_without_result(self) -> bool:
        return self.status == "approved" and self.execution_started_at is not None

    def argument_line(self, limit: int = 100) -> str:
        """One line of what is being approved (argv, text or arguments), truncated."""
        payload = self.payload or {}
        argv = payload.get("argv")
        if isinstance(argv, list):
            text = "argv=" + " ".join(str(a) for a in argv)
        elif isinstance(payload.get("append_text"), str):
            text = f"text={payload['append_text']}"
        elif payload:
            text = "args=" + json.dumps(payload, sort_keys=True, ensure_ascii=False)
        else:
            text = f"summary={self.summary}"
        return one_line(text, limit)

    def queue_line(self) -> str:
        paths = ",".join(self.write_paths)
        return f"#{self.id} {self.status} {self.tool_name} paths={paths} {self.argument_line()}"


_COLUMNS = (
    "id, tool_name, summary, requested_by, write_paths, payload_json, status, status_note, "
    "created_at, updated_at, execution_started_at, result_summary, session_run_key, output, "
    "call_key"
)


def _row(row: sqlite3.Row) -> ApprovalRequest:
    try:
        paths = tuple(str(p) for p in json.loads(row["write_paths"] or "[]"))
    except ValueError:
        paths = ()
    try:
        payload = json.loads(row["payload_json"]) if row["payload_json"] else None
    except ValueError:
        payload = None
    return ApprovalRequest(
        int(row["id"]),
        row["tool_name"],
        row["summary"],
        row["requested_by"],
        paths,
        payload if isinstance(payload, dict) else None,
        row["status"],
        row["status_note"],
        row["created_at"],
        row["updated_at"],
        row["execution_started_at"],
        row["result_summary"],
        row["session_run_key"],
        row["output"],
        row["call_key"],
    )


class NewRequest(NamedTuple):
    """What a request asks for, before it is a row: the tool, a one-line summary, who asks, the
    files it writes and its arguments."""

    tool_name: str
    summary: str
    requested_by: str
    write_paths: Sequence[str]
    payload: dict[str, Any] | None


def create_request(
    conn: sqlite3.Connection,
    request: NewRequest,
    status: ApprovalStatus,
    now: str,
    *,
    run_key: str | None = None,
    result: str | None = None,
    claimed: bool = False,
    call_key: str | None = None,
    output: str | None = None,
) -> ApprovalRequest:
    """Insert a request. A call refused or blocked before it could run is written with its final
    status and `result` in this one statement; `claimed` inserts it already claimed for execution
    (a call that needs no approval), so a crash never leaves an unapproved `approved` row.
    Every text (summary, paths, arguments, result, output) is stored redacted."""
    from praxis.redact import redact, redact_value

    payload = request.payload
    cursor = conn.execute(
        "INSERT INTO approval_requests(tool_name, summary, requested_by, write_paths, payload_json, "
        "status, created_at, updated_at, session_run_key, result_summary, execution_started_at, "
        "call_key, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            request.tool_name,
            redact(request.summary),
            request.requested_by,
            json.dumps(redact_value(list(request.write_paths))),
            json.dumps(redact_value(payload), ensure_ascii=False) if payload is not None else None,
            status,
            now,
            now,
            run_key,
            redact(result) if result is not None else None,
            now if claimed else None,
            call_key,
            bounded_output(output) if output is not None else None,
        ),
    )
    return get_request(conn, int(cursor.lastrowid or 0))


def get_request(conn: sqlite3.Connection, request_id: int) -> ApprovalRequest:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM approval_requests WHERE id = ?", (request_id,)
    ).fetchone()
    if row is None:
        raise PraxisError(
            f"approval request {request_id} not found", "list requests with `praxis queue --all`"
        )
    return _row(row)


def find_by_call(conn: sqlite3.Connection, call_key: str) -> ApprovalRequest | None:
    """The request a model call made, if it got as far as a row (a resumed conversation)."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM approval_requests WHERE call_key = ? ORDER BY id LIMIT 1",
        (call_key,),
    ).fetchone()
    return _row(row) if row is not None else None


def find_pending_duplicate(
    conn: sqlite3.Connection, tool_name: str, payload: dict[str, Any]
) -> ApprovalRequest | None:
    """A pending request for the same tool with the same arguments (asked again while waiting)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM approval_requests WHERE status = 'pending' AND tool_name = ? "
        "ORDER BY id",
        (tool_name,),
    ).fetchall()
    stored = _stored(payload)
    return next((r for r in map(_row, rows) if (r.payload or {}) == stored), None)


def _stored(payload: dict[str, Any]) -> Any:
    """The payload as a row keeps it (redacted), so comparisons match stored rows."""
    from praxis.redact import redact_value

    return redact_value(payload)


def next_approved(conn: sqlite3.Connection) -> ApprovalRequest | None:
    """The oldest approved request not yet started: a session runs it (decide)."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM approval_requests WHERE status = 'approved' "
        "AND execution_started_at IS NULL ORDER BY id LIMIT 1"
    ).fetchone()
    return _row(row) if row is not None else None


def changed_since(conn: sqlite3.Connection, moment: str) -> bool:
    """True if a request waits to run, or any request changed after `moment` (RFC 3339 UTC, the
    format every row is written in, so the text comparison is a time comparison)."""
    row = conn.execute(
        "SELECT 1 FROM approval_requests WHERE (status = 'approved' AND execution_started_at IS NULL) "
        "OR updated_at > ? LIMIT 1",
        (moment,),
    ).fetchone()
    return row is not None


def count_pending(conn: sqlite3.Connection) -> int:
    return int(
        conn.execute("SELECT COUNT(*) FROM approval_requests WHERE status = 'pending'").fetchone()[
            0
        ]
    )


def counts_by_status(conn: sqlite3.Connection, tool_name: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT status, COUNT(*) FROM approval_requests WHERE tool_name = ? GROUP BY status",
        (tool_name,),
    )
    return {str(row[0]): int(row[1]) for row in rows}


def recent_for_tool(
    conn: sqlite3.Connection, tool_name: str, limit: int, status: str | None = None
) -> list[ApprovalRequest]:
    """A tool's newest requests (optionally of one status), newest first."""
    where = "tool_name = ?" + (" AND status = ?" if status else "")
    params: tuple[Any, ...] = (tool_name, status) if status else (tool_name,)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM approval_requests WHERE {where} "
        "ORDER BY updated_at DESC, id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [_row(r) for r in rows]


def list_requests(conn: sqlite3.Connection, include_all: bool) -> list[ApprovalRequest]:
    where = "" if include_all else " WHERE status = 'pending'"
    rows = conn.execute(f"SELECT {_COLUMNS} FROM approval_requests{where} ORDER BY id").fetchall()
    return [_row(r) for r in rows]


def decide(
    conn: sqlite3.Connection, request_id: int, approve: bool, note: str | None, now: str
) -> ApprovalRequest:
    """pending → approved | rejected, atomically; any other state is refused (exit 1)."""
    target: ApprovalStatus = "approved" if approve else "rejected"
    verb = "approve" if approve else "reject"
    from praxis.storage.transaction import transaction

    with transaction(conn):
        current = get_request(conn, request_id)
        if current.status != "pending":
            raise StateError(
                f"approval request {request_id} is {current.status}; only pending requests can be "
                f"{target}",
                f"nothing to {verb}: see `praxis queue --all` for its history",
            )
        conn.execute(
            "UPDATE approval_requests SET status = ?, status_note = ?, updated_at = ? WHERE id = ?",
            (target, (note or "").strip() or None, now, request_id),
        )
    return get_request(conn, request_id)


def claim(
    conn: sqlite3.Connection, request_id: int, now: str, run_key: str | None = None
) -> ApprovalRequest | None:
    """Claim an approved, never-started request for execution; None if it is not claimable."""
    changed = conn.execute(
        "UPDATE approval_requests SET execution_started_at = ?, updated_at = ?, "
        "session_run_key = COALESCE(?, session_run_key) "
        "WHERE id = ? AND status = 'approved' AND execution_started_at IS NULL",
        (now, now, run_key, request_id),
    ).rowcount
    return get_request(conn, request_id) if changed else None


def finish(
    conn: sqlite3.Connection,
    request_id: int,
    status: Finished,
    result: str,
    now: str,
    output: str | None = None,
) -> None:
    """approved → executed | failed | blocked, with what the tool printed (both redacted)."""
    from praxis.redact import redact

    assert status in ("executed", "failed", "blocked")
    conn.execute(
        "UPDATE approval_requests SET status = ?, result_summary = ?, output = ?, updated_at = ? "
        "WHERE id = ? AND status = 'approved'",
        (
            status,
            redact(result),
            bounded_output(output if output is not None else result),
            now,
            request_id,
        ),
    )


def expire(conn: sqlite3.Connection, request_ids: Sequence[int], note: str, now: str) -> None:
    """pending → rejected for requests nobody decided in time (the session waiting closed)."""
    for request_id in request_ids:
        conn.execute(
            "UPDATE approval_requests SET status = 'rejected', status_note = ?, updated_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (note, now, request_id),
        )


OUTPUT_MAX_CHARS = 16_000


def bounded_output(text: str) -> str:
    """Tool output as stored and sent back to the model: redacted, at most OUTPUT_MAX_CHARS."""
    from praxis.redact import redact

    clean = redact(text)
    if len(clean) <= OUTPUT_MAX_CHARS:
        return clean
    dropped = len(clean) - OUTPUT_MAX_CHARS
    return clean[:OUTPUT_MAX_CHARS] + f"\n[... {dropped} more characters not kept]"


def fail_interrupted(conn: sqlite3.Connection, now: str) -> list[int]:
    """Approved requests claimed by a run that died: mark failed rather than run them twice."""
    rows = conn.execute(
        "SELECT id FROM approval_requests WHERE status = 'approved' AND execution_started_at IS NOT NULL"
    ).fetchall()
    ids = [int(r[0]) for r in rows]
    for request_id in ids:
        finish(
            conn,
            request_id,
            "failed",
            "Interrupted during execution; it may have partly run, and it is not run again "
            "unless the operator approves it again.",
            now,
        )
        conn.execute(
            "UPDATE approval_requests SET status_note = ? WHERE id = ?", (INTERRUPTED, request_id)
        )
    return ids


INTERRUPTED = "interrupted"  # status_note of a request whose run was killed mid-way


def was_interrupted(
    conn: sqlite3.Connection, run_key: str | None, tool_name: str, payload: dict[str, Any]
) -> ApprovalRequest | None:
    """This session's earlier identical call that was killed while it ran, if any: running it
    again needs the operator's approval, since it may have partly run."""
    if run_key is None:
        return None
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM approval_requests WHERE session_run_key = ? AND tool_name = ? "
        "AND ((status = 'failed' AND status_note = ?) "
        "OR (status = 'approved' AND execution_started_at IS NOT NULL)) ORDER BY id",
        (run_key, tool_name, INTERRUPTED),
    ).fetchall()
    stored = _stored(payload)
    return next((r for r in map(_row, rows) if (r.payload or {}) == stored), None)
