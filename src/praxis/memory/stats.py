"""Memory counts and the last consolidation / decay runs: what `status`, `doctor` and
`memory stats` show. Light on purpose (NamedTuples, no dataclasses): `status` imports it."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, NamedTuple


class MemoryRun(NamedTuple):
    kind: str  # consolidate | decay
    ran_at: str
    counts: dict[str, Any]


class MemoryStats(NamedTuple):
    hot: int
    cold: int
    flagged: int
    hot_capacity: int
    ops: dict[str, int]
    last_consolidation: MemoryRun | None
    last_decay: MemoryRun | None


def memory_stats(conn: sqlite3.Connection, hot_capacity: int) -> MemoryStats:
    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    return MemoryStats(
        hot=one("SELECT COUNT(*) FROM hot_memories"),
        cold=one("SELECT COUNT(*) FROM cold_memories"),
        flagged=one("SELECT COUNT(*) FROM hot_memories WHERE flags != '[]'"),
        hot_capacity=hot_capacity,
        ops={
            "dnr_open": one("SELECT COUNT(*) FROM do_not_repeat WHERE resolved_at IS NULL"),
            "dnr_resolved": one("SELECT COUNT(*) FROM do_not_repeat WHERE resolved_at IS NOT NULL"),
            "bugs_open": one("SELECT COUNT(*) FROM known_bugs WHERE resolved_at IS NULL"),
            "bugs_resolved": one("SELECT COUNT(*) FROM known_bugs WHERE resolved_at IS NOT NULL"),
        },
        last_consolidation=last_run(conn, "consolidate"),
        last_decay=last_run(conn, "decay"),
    )


def last_run(conn: sqlite3.Connection, kind: str) -> MemoryRun | None:
    row = conn.execute(
        "SELECT ran_at, counts_json FROM memory_runs WHERE kind = ? ORDER BY id DESC LIMIT 1",
        (kind,),
    ).fetchone()
    if row is None:
        return None
    try:
        counts = json.loads(row[1])
    except ValueError:
        counts = {}
    return MemoryRun(kind, str(row[0]), counts if isinstance(counts, dict) else {})


def run_summary(run: MemoryRun | None) -> tuple[str, Any]:
    """(text, JSON) of a consolidation/decay run: `<time> key=value ...`, or `never`."""
    if run is None:
        return "never", None
    counts = " ".join(f"{k}={v}" for k, v in run.counts.items())
    return f"{run.ran_at} {counts}".strip(), {"at": run.ran_at, **run.counts}
