"""`export audit`: what happened in the last N days, as markdown or JSON (reference §17.3).

Times are compared parsed (the original compared strings, and its rows mix `+00:00`, `Z` and
SQLite's `YYYY-MM-DD HH:MM:SS`); the output is redacted with every secret value we know.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from praxis import clock
from praxis.errors import UsageError
from praxis.text import one_line

if TYPE_CHECKING:
    from praxis.app import Praxis

LIST_LIMIT = 20
MEMORY_LIMIT = 10
_EVENT_TAIL_BYTES = 1 << 20


class Audit(NamedTuple):
    generated_at: str
    data_dir: str
    cutoff: str
    sessions: list[dict[str, Any]]
    approvals: list[dict[str, Any]]
    reviews: dict[str, int]
    evals: dict[str, int]
    provider_usage: list[dict[str, Any]]
    memory_writes: list[dict[str, Any]]
    recent_events: list[str]


def parse_time(value: object) -> datetime | None:
    """RFC 3339 (`Z` or offset) or SQLite's `YYYY-MM-DD HH:MM:SS` (UTC); None if neither."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return clock.parse_timestamp(text)
    except UsageError:
        pass
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        return None
    return naive.replace(tzinfo=UTC) if naive.tzinfo is None else naive.astimezone(UTC)


def collect(app: Praxis, days: int) -> Audit:
    now = clock.now()
    cutoff = now - timedelta(days=max(days, 0))
    db = app.db
    return Audit(
        generated_at=clock.format_timestamp(now),
        data_dir=str(app.data_dir.root),
        cutoff=clock.format_timestamp(cutoff),
        sessions=_sessions(db, cutoff),
        approvals=_approvals(db, cutoff),
        reviews=_statuses(db, "SELECT status, reviewed_at FROM review_runs", cutoff),
        evals=_statuses(db, "SELECT status, evaluated_at FROM eval_runs", cutoff),
        provider_usage=_provider_usage(db, cutoff),
        memory_writes=_memory_writes(db, cutoff),
        recent_events=_events(app.data_dir.events, cutoff),
    )


def _recent(rows: list[sqlite3.Row], column: str, cutoff: datetime, limit: int) -> list[Any]:
    """Rows whose `column` is at or after the cutoff, newest first (then highest id)."""
    kept = [(at, row) for row in rows if (at := parse_time(row[column])) and at >= cutoff]
    kept.sort(key=lambda pair: (pair[0], pair[1][0]), reverse=True)
    return [row for _, row in kept[:limit]]


def _one_line(value: object) -> str:
    return one_line(str(value or ""))


def _sessions(db: sqlite3.Connection, cutoff: datetime) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT id, ended_at, outcome, selected_goal_id, selected_task, action_summary "
        "FROM sessions"
    ).fetchall()
    return [
        {
            "id": row["id"],
            "ended_at": row["ended_at"],
            "outcome": row["outcome"],
            "goal": row["selected_goal_id"] or "-",
            "task": _one_line(row["selected_task"]) or "-",
            "summary": _one_line(row["action_summary"]),
        }
        for row in _recent(rows, "ended_at", cutoff, LIST_LIMIT)
    ]


def _approvals(db: sqlite3.Connection, cutoff: datetime) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT id, updated_at, tool_name, status, summary FROM approval_requests"
    ).fetchall()
    return [
        {
            "id": row["id"],
            "updated_at": row["updated_at"],
            "tool": row["tool_name"],
            "status": row["status"],
            "summary": _one_line(row["summary"]),
        }
        for row in _recent(rows, "updated_at", cutoff, LIST_LIMIT)
    ]


def _statuses(db: sqlite3.Connection, sql: str, cutoff: datetime) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for status, at in db.execute(sql):
        moment = parse_time(at)
        if moment is not None and moment >= cutoff:
            counts[str(status)] += 1
    return dict(sorted(counts.items()))


def _provider_usage(db: sqlite3.Connection, cutoff: datetime) -> list[dict[str, Any]]:
    """Attempts at or after the cutoff (their own time, else their session's end)."""
    rows = db.execute(
        "SELECT a.provider, a.input_tokens, a.output_tokens, a.estimated_cost_micros, "
        "a.recorded_at, s.ended_at FROM provider_attempts a "
        "LEFT JOIN sessions s ON s.id = a.session_id"
    )
    totals: dict[str, list[int]] = {}
    for provider, tokens_in, tokens_out, cost, recorded_at, ended_at in rows:
        moment = parse_time(recorded_at) or parse_time(ended_at)
        if moment is None or moment < cutoff:
            continue
        entry = totals.setdefault(str(provider), [0, 0, 0])
        entry[0] += 1
        entry[1] += int(tokens_in or 0) + int(tokens_out or 0)
        entry[2] += int(cost or 0)
    return [
        {"provider": name, "attempts": a, "tokens": t, "cost_micros": c}
        for name, (a, t, c) in sorted(totals.items())
    ]


def _memory_writes(db: sqlite3.Connection, cutoff: datetime) -> list[dict[str, Any]]:
    queries = (
        (
            "hot",
            "SELECT id, created_at AS at, COALESCE(summary, content) AS text FROM hot_memories",
        ),
        ("do_not_repeat", "SELECT id, created_at AS at, statement AS text FROM do_not_repeat"),
        ("known_bug", "SELECT id, last_seen_at AS at, signature AS text FROM known_bugs"),
    )
    writes: list[dict[str, Any]] = []
    for kind, sql in queries:
        for row in _recent(db.execute(sql).fetchall(), "at", cutoff, MEMORY_LIMIT):
            writes.append({"kind": kind, "at": row["at"], "text": _one_line(row["text"])})
    return writes


def _events(path: Path, cutoff: datetime) -> list[str]:
    """The last events at or after the cutoff, as raw JSONL lines (a line without a readable
    time is kept: the audit shows what is there)."""
    if not path.is_file():
        return []
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _EVENT_TAIL_BYTES))
        tail = handle.read().decode("utf-8", errors="replace")
    lines = tail.splitlines()
    if size > _EVENT_TAIL_BYTES and lines:
        lines = lines[1:]  # the first line is probably cut
    kept: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        try:
            moment = parse_time(json.loads(line).get("emitted_at"))
        except (ValueError, AttributeError):
            moment = None
        if moment is None or moment >= cutoff:
            kept.append(line)
    return kept[-LIST_LIMIT:]


def render_markdown(audit: Audit) -> str:
    out = [
        "# Praxis Audit Export",
        "",
        f"- generated_at: {audit.generated_at}",
        f"- data_dir: {audit.data_dir}",
        f"- cutoff: {audit.cutoff}",
        "- file_diffs: not_captured",
    ]

    def section(title: str, lines: list[str], empty: str) -> None:
        out.extend(["", f"## {title}", *(lines or [empty])])

    section(
        "Sessions",
        [
            f"- {s['ended_at']} outcome={s['outcome']} goal={s['goal']} task={s['task']} "
            f"summary={s['summary']}"
            for s in audit.sessions
        ],
        "No recent sessions.",
    )
    section(
        "Approvals",
        [
            f"- {a['updated_at']} tool={a['tool']} status={a['status']} summary={a['summary']}"
            for a in audit.approvals
        ],
        "No recent approvals.",
    )
    section("Reviews", _counts(audit.reviews), "No recent reviews.")
    section("Evals", _counts(audit.evals), "No recent evals.")
    section(
        "Provider Usage",
        [
            f"- provider={u['provider']} attempts={u['attempts']} tokens={u['tokens']} "
            f"cost_micros={u['cost_micros']}"
            for u in audit.provider_usage
        ],
        "No recent provider usage.",
    )
    section(
        "Memory Writes",
        [f"- {m['kind']} {m['at']} {m['text']}" for m in audit.memory_writes],
        "No recent memory writes.",
    )
    section("Recent Events", [f"- {line}" for line in audit.recent_events], "No recent events.")
    return "\n".join(out) + "\n"


def render_json(audit: Audit) -> str:
    value = {"file_diffs": "not_captured", **audit._asdict()}
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _counts(counts: dict[str, int]) -> list[str]:
    return [f"- status={status} count={n}" for status, n in counts.items()]


class AuditResult(NamedTuple):
    output: Path
    audit: Audit
    format: str


def export_audit(app: Praxis, output: Path, days: int, fmt: str, overwrite: bool) -> AuditResult:
    """Write the audit of the last `days` days to `output` (atomically), redacted."""
    from praxis.archive.export import export_target, refuse_existing
    from praxis.archive.secrets import known_secrets
    from praxis.files import atomic_write_text
    from praxis.redact import redact

    output = export_target(app, output, "audit")
    if output.is_dir():
        raise UsageError(f"{output} is a directory", "pass a file name, e.g. audit.md")
    refuse_existing(output, overwrite)
    audit = collect(app, days)
    text = render_json(audit) if fmt == "json" else render_markdown(audit)
    atomic_write_text(output, redact(text, known_secrets(app)))
    return AuditResult(output, audit, fmt)
