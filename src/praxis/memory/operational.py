"""Operational memory: do-not-repeat and known-bug rows (reference §7.3), one row per signature.

A repeated failure bumps `count` and `last_seen_at` (and reopens a resolved row) instead of
adding a row; rows stay open until `memory resolve` closes them; closed rows leave the context.
Lookups match the query's words, not the whole query as one substring (§20 item 23).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from praxis.memory.store import dumps, json_list
from praxis.memory.text import STOPWORDS, normalize, words

KINDS = ("dnr", "bug")
SCAN_LIMIT = 200
DEFAULT_FIX = (
    "Repair the failing work, rerun verification, and only then mark the session complete."
)


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
        tuple(str(t) for t in json_list(row["tags"])),
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
        tuple(str(t) for t in json_list(row["tags"])),
        int(row["count"] or 1),
        None,
        row["last_seen_at"],
        row["resolved_at"],
        row["source_session_id"],
    )


def record_failure(
    conn: sqlite3.Connection,
    target: str,
    severity: str,
    symptoms: str,
    fix: str | None,
    session_id: int,
    now: str,
) -> tuple[int, int]:
    """The do-not-repeat and known-bug rows of a failed session (reference §7.3), deduplicated
    by signature. Returns (dnr id, bug id). No commit."""
    from praxis.redact import redact

    target, symptoms = redact(target), redact(symptoms)
    fix = redact(fix) if fix else DEFAULT_FIX
    statement = f"Do not treat {target} as complete until reviewer and eval checks pass cleanly."
    signature = normalize(statement)
    row = conn.execute(
        "SELECT id FROM do_not_repeat WHERE signature = ? ORDER BY id DESC LIMIT 1", (signature,)
    ).fetchone()
    if row is not None:
        dnr_id = int(row[0])
        conn.execute(
            "UPDATE do_not_repeat SET count = count + 1, last_seen_at = ?, severity = ?, "
            "source_session_id = ?, resolved_at = NULL WHERE id = ?",
            (now, severity, session_id, dnr_id),
        )
    else:
        dnr_id = int(
            conn.execute(
                "INSERT INTO do_not_repeat(statement, tags, source_session_id, severity, "
                "created_at, signature, count, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                (
                    statement,
                    dumps([severity, "operations"]),
                    session_id,
                    severity,
                    now,
                    signature,
                    now,
                ),
            ).lastrowid
            or 0
        )
    row = conn.execute(
        "SELECT id FROM known_bugs WHERE signature = ? ORDER BY resolved_at IS NULL DESC, id DESC "
        "LIMIT 1",
        (target,),
    ).fetchone()
    if row is not None:
        bug_id = int(row[0])
        conn.execute(
            "UPDATE known_bugs SET count = count + 1, last_seen_at = ?, symptoms = ?, "
            "fix_summary = ?, source_session_id = ?, resolved_at = NULL WHERE id = ?",
            (now, symptoms, fix, session_id, bug_id),
        )
    else:
        bug_id = int(
            conn.execute(
                "INSERT INTO known_bugs(signature, symptoms, fix_summary, tags, source_session_id, "
                "resolved_at, last_seen_at, count) VALUES (?, ?, ?, ?, ?, NULL, ?, 1)",
                (target, symptoms, fix, dumps([severity, "quality"]), session_id, now),
            ).lastrowid
            or 0
        )
    return dnr_id, bug_id


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
    return _target_of(statement)


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
        target = _target_of(memory.text)
        row = conn.execute(
            "SELECT id FROM known_bugs WHERE signature = ? AND resolved_at IS NULL", (target,)
        ).fetchall()
        for r in row:
            _close(conn, "bug", int(r[0]), now)
            closed.append(f"bug-{r[0]}")
    else:
        statement = (
            f"Do not treat {memory.signature} as complete until reviewer and eval checks pass "
            "cleanly."
        )
        for r in conn.execute(
            "SELECT id FROM do_not_repeat WHERE signature = ? AND resolved_at IS NULL",
            (normalize(statement),),
        ).fetchall():
            _close(conn, "dnr", int(r[0]), now)
            closed.append(f"dnr-{r[0]}")
    return closed


def _target_of(statement: str) -> str:
    prefix, suffix = "Do not treat ", " as complete until reviewer and eval checks pass cleanly."
    if statement.startswith(prefix) and statement.endswith(suffix):
        return statement[len(prefix) : -len(suffix)]
    return statement


def _close(conn: sqlite3.Connection, kind: str, op_id: int, now: str) -> None:
    table = "do_not_repeat" if kind == "dnr" else "known_bugs"
    conn.execute(f"UPDATE {table} SET resolved_at = ? WHERE id = ?", (now, op_id))


def delete_op(conn: sqlite3.Connection, kind: str, op_id: int) -> bool:
    table = "do_not_repeat" if kind == "dnr" else "known_bugs"
    return conn.execute(f"DELETE FROM {table} WHERE id = ?", (op_id,)).rowcount > 0
