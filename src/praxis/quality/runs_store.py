"""review_runs and eval_runs: the quality gates' verdicts, one row each per session (reflect
writes them inside its session transaction; status, Argus and audits read them)."""

from __future__ import annotations

import json
import sqlite3

from praxis.quality.evals import EvalSummary
from praxis.quality.reviewer import ReviewResult


def record_gates(
    conn: sqlite3.Connection,
    session_id: int,
    review: ReviewResult,
    evals: EvalSummary,
    at: str,
) -> None:
    """The session's review and eval verdicts. Inside the caller's transaction: no commit."""
    conn.execute(
        "INSERT INTO review_runs(session_id, goal_id, status, summary, findings_json, reviewed_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            session_id,
            review.goal_id,
            review.status,
            review.summary,
            json.dumps(list(review.findings), ensure_ascii=False),
            at,
        ),
    )
    conn.executemany(
        "INSERT INTO eval_runs(session_id, eval_id, eval_name, status, severity, summary, "
        "evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (session_id, r.eval_id, r.name, r.status, r.severity, r.summary, at)
            for r in evals.results
        ],
    )
