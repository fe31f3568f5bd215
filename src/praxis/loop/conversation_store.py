"""The act phase's conversation, one row per message, keyed by the session's run key.

Written after every model reply and every tool result, so a resumed act continues from what is
stored. A tool row whose `content` is NULL answers a call that is still waiting (for the operator's
approval); it is filled in once the call is decided and run.
"""

from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple

from praxis import clock
from praxis.providers.base import Message, Role, ToolCall


class StoredMessage(NamedTuple):
    seq: int
    role: Role
    content: str | None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    request_id: int | None = None
    stop_reason: str | None = None

    @property
    def waiting(self) -> bool:
        return self.role == "tool" and self.content is None

    def message(self) -> Message:
        return Message(self.role, self.content or "", self.tool_calls, self.tool_call_id)


def load(conn: sqlite3.Connection, run_key: str) -> list[StoredMessage]:
    rows = conn.execute(
        "SELECT seq, role, content, tool_calls_json, tool_call_id, request_id, stop_reason "
        "FROM conversation_messages WHERE run_key = ? ORDER BY seq",
        (run_key,),
    ).fetchall()
    return [
        StoredMessage(
            int(row[0]),
            row[1],
            row[2],
            _calls(row[3]),
            row[4],
            int(row[5]) if row[5] is not None else None,
            row[6],
        )
        for row in rows
    ]


class Conversation:
    """A session's act conversation as stored: `messages` in order, and the one way to add to
    them or fill a waiting row — redacted (as every stored message is) and stored first, so a
    resumed act finds what the model was sent."""

    def __init__(self, conn: sqlite3.Connection, run_key: str) -> None:
        self.conn = conn
        self.run_key = run_key
        self.messages = load(conn, run_key)

    def add(
        self,
        message: Message,
        *,
        waiting: bool = False,
        request_id: int | None = None,
        stop_reason: str | None = None,
    ) -> None:
        """Store the next message (committed at once: autocommit connection); a `waiting` tool
        row has no content until `fill` gives it its result."""
        from praxis.redact import redact, redact_value

        calls = tuple(
            c._replace(arguments=redact_value(dict(c.arguments))) for c in message.tool_calls
        )
        content = None if waiting else redact(message.content)
        calls_json = (
            json.dumps(
                [{"id": c.id, "name": c.name, "arguments": dict(c.arguments)} for c in calls],
                ensure_ascii=False,
            )
            if calls
            else None
        )
        seq = int(
            self.conn.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM conversation_messages WHERE run_key = ?",
                (self.run_key,),
            ).fetchone()[0]
        )
        now = clock.now_text()
        self.conn.execute(
            "INSERT INTO conversation_messages(run_key, seq, role, content, tool_calls_json, "
            "tool_call_id, request_id, stop_reason, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.run_key,
                seq,
                message.role,
                content,
                calls_json,
                message.tool_call_id,
                request_id,
                stop_reason,
                now,
                now,
            ),
        )
        stored = StoredMessage(
            seq, message.role, content, calls, message.tool_call_id, request_id, stop_reason
        )
        self.messages.append(stored)

    def fill(self, row: StoredMessage, text: str) -> None:
        """Give a waiting tool row its result (only once: a filled row is never changed)."""
        from praxis.redact import redact

        content = redact(text)
        self.conn.execute(
            "UPDATE conversation_messages SET content = ?, updated_at = ? "
            "WHERE run_key = ? AND seq = ? AND content IS NULL",
            (content, clock.now_text(), self.run_key, row.seq),
        )
        self.messages[self.messages.index(row)] = row._replace(content=content)


def forget_old(conn: sqlite3.Connection, keep_sessions: int) -> int:
    """Drop the conversations of sessions older than the newest `keep_sessions` (the same horizon
    as snapshot compaction): what a tool printed stays on its request row, the outcome on the
    session row, so the table stays bounded over months. Inside the caller's transaction."""
    # Each reflect moves the horizon by one session, so only the few just past it are looked at:
    # the cost per session stays the same with 10 or 100,000 sessions behind it.
    cursor = conn.execute(
        "DELETE FROM conversation_messages WHERE run_key IN ("
        "  SELECT run_key FROM sessions WHERE run_key IS NOT NULL AND id <= ? AND id > ?)",
        _horizon(conn, keep_sessions),
    )
    return cursor.rowcount


_CATCH_UP = 50  # sessions behind the horizon re-checked each time (a reflect that was skipped)


def _horizon(conn: sqlite3.Connection, keep_sessions: int) -> tuple[int, int]:
    newest = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM sessions").fetchone()[0])
    edge = newest - keep_sessions
    return edge, edge - _CATCH_UP


def _calls(raw: str | None) -> tuple[ToolCall, ...]:
    if not raw:
        return ()
    try:
        items = json.loads(raw)
    except ValueError:
        return ()
    calls = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict):
            arguments = item.get("arguments")
            calls.append(
                ToolCall(
                    str(item.get("id", "")),
                    str(item.get("name", "")),
                    arguments if isinstance(arguments, dict) else {},
                )
            )
    return tuple(calls)
