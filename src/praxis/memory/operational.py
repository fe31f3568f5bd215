"""Operational memory: do-not-repeat and known-bug rows (reference §7.3), one row per signature.

A repeated failure bumps `count` and `last_seen_at` (and reopens a resolved row) instead of
adding a row; rows stay open until `memory resolve` closes them; closed rows leave the context.
Lookups match the query's words, not the whole query as one substring (§20 item 23).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from praxis.memory.store import dumps, json_texts
from praxis.memory.text import STOPWORDS, bounded, normalize, words

KINDS = ("dnr", "bug")
SCAN_LIMIT = 200
DEFAULT_FIX = (
    "Repair the failing work, rerun verification, and only then mark the session complete."
)
_STATEMENT = ("Do not treat ", " as complete until reviewer and eval checks pass cleanly.")


@dataclass(frozen=True)
class OpMemory:
    kind: str  # dnr | bug
    id: int
    signature: str
    text: str  # the statement (dnr) or the symptoms (bug)
    fix: str | None
    severity: str | None
    tags: tuple[str, ...]
    count: int
    first_seen_at: str | None
    last_seen_at: str | None
    resolved_at: str | None
    source_session_id: int | None

    @property
    def ref(self) -> str:
        return f"{self.kind}-{self.id}"

    @property
    def open(self) -> bool:
        return self.resolved_at is None

    def line(self) -> str:
        seen = f" (seen {self.count} times)" if self.count > 1 else ""
        if self.kind == "dnr":
            return f"- {self.text} [{self.severity}]{seen}"
        return f"- {self.signature} -> {self.fix}{seen}"


_DNR = (
    "SELECT id, signature, statement, severity, tags, count, created_at, last_seen_at, "
    "resolved_at, source_session_id FROM do_not_repeat"
)
_BUG = (
    "SELECT id, signature, symptoms, fix_summary, tags, count, last_seen_at, resolved_at, "
    "source_session_id FROM known_bugs"
)


def _dnr(row: sqlite3.Row) -> OpMemory:
    return OpMemory(
        "dnr",
        int(row["id"]),
        str(row["signature"] or normalize(row["statement"])),
        str(row["statement"]),
        None,
        row["severity"],
        json_texts(row["tags"]),
        int(row["count"] or 1),
        row["created_at"],
        row["last_seen_at"] or row["created_at"],
        row["resolved_at"],
        row["source_session_id"],
    )


def _bug(row: sqlite3.Row) -> OpMemory:
    return OpMemory(
        "bug",
        int(row["id"]),
        str(row["signature"]),
        str(row["symptoms"]),
        str(row["fix_summary"]),
        None,
        json_texts(row["tags"]),
        int(row["count"] or 1),
        None,
        row["last_seen_at"],
        row["resolved_at"],
        row["source_session_id"],
    )


@dataclass(frozen=True)
class Failure:
    """What a failed session teaches: the work that failed (`target`), how (`severity`: the
    session's outcome), what was seen, and the fix when one is known."""

    target: str
    severity: str
    symptoms: str
    fix: str | None
    session_id: int


def record_failure(
    conn: sqlite3.Connection, failure: Failure, max_chars: int, now: str
) -> tuple[int, int]:
    """The do-not-repeat and known-bug rows of a failed session (reference §7.3), one per
    signature. Its texts are cleaned, cut to `max_chars` (model-written) and redacted. Returns
    (dnr id, bug id). No commit."""
    from praxis.redact import redact

    target = redact(bounded(failure.target, max_chars))
    symptoms = redact(bounded(failure.symptoms, max_chars))
    fix = bounded(failure.fix or "", max_chars)
    fix = redact(fix) if fix else DEFAULT_FIX
    severity, session_id = failure.severity, failure.session_id
    statement = _statement(target)
    dnr_id = _seen_again_or_added(
        conn,
        "do_not_repeat",
        normalize(statement),
        "id DESC",
        seen={"last_seen_at": now, "severity": severity, "source_session_id": session_id},
        added={"statement": statement, "tags": dumps([severity, "operations"]), "created_at": now},
    )
    bug_id = _seen_again_or_added(
        conn,
        "known_bugs",
        target,
        "resolved_at IS NULL DESC, id DESC",
        seen={
            "last_seen_at": now,
            "symptoms": symptoms,
            "fix_summary": fix,
            "source_session_id": session_id,
        },
        added={"tags": dumps([severity, "quality"])},
    )
    return dnr_id, bug_id


def _seen_again_or_added(
    conn: sqlite3.Connection,
    table: str,
    signature: str,
    prefer: str,
    *,
    seen: dict[str, object],
    added: dict[str, object],
) -> int:
    """The id of `table`'s row with this signature (the first by `prefer` if there are several),
    seen once more: its count bumped, the `seen` columns set and reopened. Without one, a new row
    with the `seen` and `added` columns and a count of 1."""
    row = conn.execute(
        f"SELECT id FROM {table} WHERE signature = ? ORDER BY {prefer} LIMIT 1", (signature,)
    ).fetchone()
    if row is not None:
        sets = "".join(f"{column} = ?, " for column in seen)
        conn.execute(
            f"UPDATE {table} SET count = count + 1, {sets}resolved_at = NULL WHERE id = ?",
            (*seen.values(), row[0]),
        )
        return int(row[0])
    values = {"signature": signature, **added, **seen}
    marks = ", ".join("?" * len(values))
    cursor = conn.execute(
        f"INSERT INTO {table}({', '.join(values)}, count) VALUES ({marks}, 1)",
        tuple(values.values()),
    )
    return int(cursor.lastrowid or 0)


def open_lines(conn: sqlite3.Connection, query: str, now: str) -> tuple[list[str], list[str]]:
    """Context lines of OPEN rows: those sharing most words with the query (3 each), else the
    2 newest each when there is no query."""
    wanted = {w for w in words(query) if len(w) > 2 and w not in STOPWORDS}
    dnr = [
        _dnr(r)
        for r in conn.execute(
            f"{_DNR} WHERE resolved_at IS NULL AND (expires_at IS NULL OR expires_at > ?) "
            "ORDER BY COALESCE(last_seen_at, created_at) DESC, id DESC LIMIT ?",
            (now, SCAN_LIMIT),
        )
    ]
    bugs = [
        _bug(r)
        for r in conn.execute(
            f"{_BUG} WHERE resolved_at IS NULL ORDER BY last_seen_at DESC, id DESC LIMIT ?",
            (SCAN_LIMIT,),
        )
    ]
    if not wanted:
        return [m.line() for m in dnr[:2]], [m.line() for m in bugs[:2]]

    def best(found: list[OpMemory]) -> list[str]:
        scored = []
        for index, memory in enumerate(found):
            haystack = set(words(" ".join((memory.signature, memory.text, *memory.tags))))
            hits = len(wanted & haystack)
            if hits:
                scored.append((-hits, index, memory))
        return [m.line() for _, _, m in sorted(scored, key=lambda s: (s[0], s[1]))[:3]]

    return best(dnr), best(bugs)


def get_op(conn: sqlite3.Connection, kind: str, op_id: int) -> OpMemory | None:
    if kind == "dnr":
        row = conn.execute(f"{_DNR} WHERE id = ?", (op_id,)).fetchone()
        return _dnr(row) if row is not None else None
    row = conn.execute(f"{_BUG} WHERE id = ?", (op_id,)).fetchone()
    return _bug(row) if row is not None else None


def recurring_dnr(conn: sqlite3.Connection, min_count: int) -> list[OpMemory]:
    """Open do-not-repeat rows hit at least `min_count` times (reflect records one hit per failed
    session), most hits first (the learning runtime mines them)."""
    rows = conn.execute(
        f"{_DNR} WHERE resolved_at IS NULL AND count >= ? "
        "ORDER BY count DESC, COALESCE(last_seen_at, created_at) DESC, id DESC",
        (min_count,),
    )
    return [_dnr(r) for r in rows]


def failure_target(statement: str) -> str:
    """The work a do-not-repeat statement names (`Do not treat X as complete ...` → X)."""
    prefix, suffix = _STATEMENT
    if statement.startswith(prefix) and statement.endswith(suffix):
        return statement[len(prefix) : -len(suffix)]
    return statement


def list_ops(conn: sqlite3.Connection, limit: int) -> list[OpMemory]:
    """Open rows first, newest first; then resolved ones."""
    dnr = [
        _dnr(r)
        for r in conn.execute(
            f"{_DNR} ORDER BY resolved_at IS NULL DESC, COALESCE(last_seen_at, created_at) DESC, "
            "id DESC LIMIT ?",
            (limit,),
        )
    ]
    bugs = [
        _bug(r)
        for r in conn.execute(
            f"{_BUG} ORDER BY resolved_at IS NULL DESC, last_seen_at DESC, id DESC LIMIT ?",
            (limit,),
        )
    ]
    both = sorted(dnr + bugs, key=lambda m: m.last_seen_at or "", reverse=True)
    both.sort(key=lambda m: not m.open)  # stable: open rows first, each newest first
    return both[:limit]


def resolve(conn: sqlite3.Connection, kind: str, op_id: int, now: str) -> list[str]:
    """Close a row and the open row of the other kind with the same target. No commit.
    Returns the refs closed (the given one first)."""
    memory = get_op(conn, kind, op_id)
    if memory is None:
        return []
    closed = [memory.ref]
    _close(conn, kind, op_id, now)
    if kind == "dnr":
        target = failure_target(memory.text)
        row = conn.execute(
            "SELECT id FROM known_bugs WHERE signature = ? AND resolved_at IS NULL", (target,)
        ).fetchall()
        for r in row:
            _close(conn, "bug", int(r[0]), now)
            closed.append(f"bug-{r[0]}")
    else:
        for r in conn.execute(
            "SELECT id FROM do_not_repeat WHERE signature = ? AND resolved_at IS NULL",
            (normalize(_statement(memory.signature)),),
        ).fetchall():
            _close(conn, "dnr", int(r[0]), now)
            closed.append(f"dnr-{r[0]}")
    return closed


def _statement(target: str) -> str:
    """The do-not-repeat statement of a failed piece of work (`failure_target` reads it back)."""
    prefix, suffix = _STATEMENT
    return f"{prefix}{target}{suffix}"


def _close(conn: sqlite3.Connection, kind: str, op_id: int, now: str) -> None:
    table = "do_not_repeat" if kind == "dnr" else "known_bugs"
    conn.execute(f"UPDATE {table} SET resolved_at = ? WHERE id = ?", (now, op_id))


def delete_op(conn: sqlite3.Connection, kind: str, op_id: int) -> bool:
    table = "do_not_repeat" if kind == "dnr" else "known_bugs"
    return conn.execute(f"DELETE FROM {table} WHERE id = ?", (op_id,)).rowcount > 0
