"""Quality drift: recent sessions vs. the ones before them (reference §12).

Drift always compares the newest 5 sessions with the 5 before them, whatever `argus --limit` says
(the reference needed ≥ 10 sessions inside `--limit`, so a small limit was always
`insufficient_data`). `status` and Argus read it through `recent_drift`, the same rule.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

WINDOW = 5
THRESHOLD = 0.20


class SessionQuality(NamedTuple):
    reviewer_failures: int
    eval_failures: int
    outcome: str


class Drift(NamedTuple):
    status: str
    recent: float
    baseline: float


def _score(sessions: Sequence[SessionQuality]) -> float:
    n = len(sessions)
    review = sum(1 for s in sessions if s.reviewer_failures > 0) / n
    evals = sum(1 for s in sessions if s.eval_failures > 0) / n
    guard = sum(1 for s in sessions if s.outcome == "blocked_loop_guard") / n
    return 0.5 * review + 0.3 * evals + 0.2 * guard


def drift(newest_first: Sequence[SessionQuality]) -> Drift:
    """`insufficient_data` until two full windows exist; then regressed/improving/stable."""
    if len(newest_first) < 2 * WINDOW:
        return Drift("insufficient_data", 0.0, 0.0)
    recent = _score(newest_first[:WINDOW])
    baseline = _score(newest_first[WINDOW : 2 * WINDOW])
    delta = recent - baseline
    if delta >= THRESHOLD - 1e-9:
        status = "regressed"
    elif delta <= -THRESHOLD + 1e-9:
        status = "improving"
    else:
        status = "stable"
    return Drift(status, recent, baseline)


def recent_drift(conn: sqlite3.Connection) -> Drift:
    """Drift of the newest two windows of sessions (one indexed read of 10 rows)."""
    rows = conn.execute(
        "SELECT reviewer_failures, eval_failures, outcome FROM sessions ORDER BY id DESC LIMIT ?",
        (2 * WINDOW,),
    ).fetchall()
    return drift([SessionQuality(int(r[0]), int(r[1]), str(r[2])) for r in rows])
