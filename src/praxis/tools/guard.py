"""Loop guard (reference §8.4), with its window persisted in `tool_invocations`.

The original kept the window in per-session state, and a session runs few tools, so it never
fired in real use; here the window comes from the database. It guards the MODEL: only the model's
own requests are recorded, judged within the conversation (run key) and across sessions for the
same goal. An execution the operator approved is never checked and never counted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

from praxis import clock

WINDOW = 12
LIMIT = 3
MAX_PATTERN = 3
KEEP_ROWS = 1000  # older invocations can no longer matter to the guard


class GuardVerdict(NamedTuple):
    blocked: bool
    detail: str | None = None  # event detail: `{tool} x{n}` / `{k}-step pattern x{n}`
    summary: str | None = None  # session summary line


def invocation_hash(tool: str, summary: str, paths: Sequence[str], payload_json: str | None) -> str:
    """First 16 hex digits of sha256 — stable across runs, unlike the original's DefaultHasher."""
    key = f"{tool}|{summary}|{','.join(paths)}|{payload_json or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def repeats_at_tail(hashes: Sequence[str], k: int) -> int:
    """How many times the last `k`-block repeats back to back at the end (0 if not applicable)."""
    if k < 1 or len(hashes) < k:
        return 0
    block = list(hashes[-k:])
    if k > 1 and len(set(block)) == 1:
        return 0  # a run of one hash is the k=1 case, not a pattern
    count = 1
    start = len(hashes) - 2 * k
    while start >= 0 and list(hashes[start : start + k]) == block:
        count += 1
        start -= k
    return count


def detect(hashes: Sequence[str], tool: str, limit: int = LIMIT) -> GuardVerdict:
    """The verdict for a window whose last entry is the invocation being checked."""
    for k in range(1, MAX_PATTERN + 1):
        count = repeats_at_tail(hashes, k)
        if count < limit:
            continue
        if k == 1:
            return GuardVerdict(
                True,
                f"{tool} x{count}",
                f"Loop guard blocked tool {tool} after {count} consecutive identical requests.",
            )
        return GuardVerdict(
            True,
            f"{k}-step pattern x{count}",
            f"Loop guard blocked a repeating {k}-step tool pattern after {count} consecutive cycles.",
        )
    return GuardVerdict(False)


def recent_hashes(
    conn: sqlite3.Connection,
    window: int = WINDOW,
    since: str | None = None,
    *,
    run_key: str | None = None,
    goal_id: str | None = None,
) -> list[str]:
    """The last `window` hashes recorded in this conversation or for this goal, oldest first;
    with `since`, only those at or after it."""
    scopes = [("session_run_key = ?", run_key), ("goal_id = ?", goal_id)]
    used = [(clause, value) for clause, value in scopes if value is not None]
    where = f"WHERE {' OR '.join(c for c, _ in used)} " if used else ""
    rows = conn.execute(
        f"SELECT hash, recorded_at FROM tool_invocations {where}ORDER BY id DESC LIMIT ?",
        (*(v for _, v in used), window),
    ).fetchall()
    if since is not None:
        cutoff = clock.parse_timestamp(since)
        kept = []
        for row in rows:
            if clock.parse_timestamp(str(row[1])) < cutoff:
                break  # rows are newest first: everything after this is older still
            kept.append(row)
        rows = kept
    return [str(row[0]) for row in reversed(rows)]


def check_and_record(
    conn: sqlite3.Connection,
    hash: str,
    tool: str,
    run_key: str | None,
    now: str,
    window: int = WINDOW,
    limit: int = LIMIT,
    *,
    since: str | None = None,
    goal_id: str | None = None,
) -> GuardVerdict:
    """Judge this invocation against the persisted window, then record it, blocked or not (so a
    blocked repeat stays blocked). Runs inside the caller's transaction: no commit here."""
    recent = recent_hashes(conn, window, since, run_key=run_key, goal_id=goal_id)
    verdict = detect([*recent, hash], tool, limit)
    cursor = conn.execute(
        "INSERT INTO tool_invocations(hash, tool_name, session_run_key, recorded_at, goal_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (hash, tool, run_key, now, goal_id),
    )
    newest = int(cursor.lastrowid or 0)
    if newest > KEEP_ROWS and newest % 100 == 0:
        conn.execute("DELETE FROM tool_invocations WHERE id <= ?", (newest - KEEP_ROWS,))
    return verdict


def reset(conn: sqlite3.Connection, tool: str | None = None) -> int:
    """Forget recorded invocations (all, or one tool's); returns how many were cleared."""
    if tool is None:
        return conn.execute("DELETE FROM tool_invocations").rowcount
    return conn.execute("DELETE FROM tool_invocations WHERE tool_name = ?", (tool,)).rowcount
