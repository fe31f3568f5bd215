"""Opportunity candidates: what the history says is worth turning into a goal.

From Argus (reference §11): quality drift `regressed`, and each repeated-work pattern seen on ≥ 2
distinct days. ★ From the session history the reference never mined: the same do-not-repeat
signature hit on ≥ 3 sessions, a goal selected ≥ 5 times without completing, and a phase whose
share of the tokens at least doubled week over week.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta

from praxis.analysis.argus import ArgusReport
from praxis.identity.goals import Goal
from praxis.learning.store import Candidate
from praxis.text import one_line

REPEATED_DAYS = 2
RECURRING_SESSIONS = 3
STUCK_SELECTIONS = 5
SHARE_GROWTH = 2.0
MIN_SHARE = 0.10  # a phase below 10% of the week's tokens is not worth a goal
WEEK = timedelta(days=7)


def from_argus(report: ArgusReport) -> list[Candidate]:
    found: list[Candidate] = []
    drift = report.drift
    if drift.status == "regressed":
        found.append(
            Candidate(
                "drift:regressed",
                "stability",
                "Stabilize runtime quality drift",
                f"Recent session quality regressed from {drift.baseline:.2f} to "
                f"{drift.recent:.2f}. Review failures, eval failures, or loop guard blocks are "
                "climbing.",
                {
                    "recent_score": drift.recent,
                    "baseline_score": drift.baseline,
                    "status": "regressed",
                },
            )
        )
    for pattern in report.repeated_work:
        if pattern.days < REPEATED_DAYS:
            continue
        label = one_line(pattern.label)
        found.append(
            Candidate(
                f"repeated-work:{label.lower()}",
                "automation",
                f"Automate recurring work: {label}",
                f"{label} resurfaced across {pattern.sessions} sessions on {pattern.days} days. "
                f"Latest outcome: {pattern.latest_outcome}.",
                {
                    "label": label,
                    "sessions": pattern.sessions,
                    "days": pattern.days,
                    "latest_outcome": pattern.latest_outcome,
                },
            )
        )
    return found


def recurring_failures(conn: sqlite3.Connection) -> list[Candidate]:
    """★ Open do-not-repeat rows hit on ≥ 3 sessions (one hit per failed session)."""
    from praxis.memory.operational import failure_target, recurring_dnr

    found: list[Candidate] = []
    for row in recurring_dnr(conn, RECURRING_SESSIONS):
        target = one_line(failure_target(row.text))
        found.append(
            Candidate(
                f"recurring-failure:{row.signature}",
                "reliability",
                f"Fix recurring failure: {target}",
                f"The same failure ({row.severity}) recurred on {row.count} sessions, last seen "
                f"{row.last_seen_at}. Do-not-repeat {row.ref}: {one_line(row.text)}",
                {
                    "memory": row.ref,
                    "signature": row.signature,
                    "sessions": row.count,
                    "severity": row.severity,
                    "last_seen_at": row.last_seen_at,
                },
            )
        )
    return found


def stuck_goals(conn: sqlite3.Connection, goals: Sequence[Goal]) -> list[Candidate]:
    """★ Open goals selected ≥ 5 times since they last completed, without completing."""
    open_goals = {g.id: g for g in goals if not g.done}
    rows = conn.execute(
        "SELECT s.selected_goal_id, COUNT(*) FROM sessions s LEFT JOIN ("
        "  SELECT selected_goal_id AS goal_id, MAX(id) AS done_id FROM sessions "
        "  WHERE goals_completed > 0 AND selected_goal_id IS NOT NULL GROUP BY selected_goal_id"
        ") done ON done.goal_id = s.selected_goal_id "
        "WHERE s.selected_goal_id IS NOT NULL AND s.goals_completed = 0 "
        "AND s.id > COALESCE(done.done_id, 0) "
        "GROUP BY s.selected_goal_id HAVING COUNT(*) >= ? ORDER BY 2 DESC, 1",
        (STUCK_SELECTIONS,),
    ).fetchall()
    found: list[Candidate] = []
    for goal_id, count in rows:
        goal = open_goals.get(str(goal_id))
        if goal is None:
            continue
        found.append(
            Candidate(
                f"stuck-goal:{goal.id}",
                "planning",
                f"Split or clarify goal {goal.id}: {one_line(goal.title)}",
                f"{goal.id} was selected {count} times without completing. Split it into smaller "
                f"goals, or add goals/criteria/{goal.id}.json saying when it is done.",
                {"goal_id": goal.id, "selections": int(count)},
            )
        )
    return found


def growing_phases(conn: sqlite3.Connection, now: datetime) -> list[Candidate]:
    """★ Phases whose share of all tokens in the last 7 days is ≥ 2× their share in the 7 days
    before (and ≥ 10% of the week)."""
    from praxis.clock import format_timestamp

    week_start, previous_start = format_timestamp(now - WEEK), format_timestamp(now - 2 * WEEK)
    rows = conn.execute(
        "SELECT phase, "
        "COALESCE(SUM(CASE WHEN recorded_at >= ? THEN input_tokens + output_tokens END), 0), "
        "COALESCE(SUM(CASE WHEN recorded_at < ? THEN input_tokens + output_tokens END), 0) "
        "FROM provider_attempts WHERE recorded_at >= ? AND recorded_at <= ? "
        "AND COALESCE(error_class, '') != 'frozen' GROUP BY phase ORDER BY phase",
        (week_start, week_start, previous_start, format_timestamp(now)),
    ).fetchall()
    this_total = sum(int(r[1]) for r in rows)
    last_total = sum(int(r[2]) for r in rows)
    if this_total <= 0 or last_total <= 0:
        return []
    found: list[Candidate] = []
    for phase, this_week, last_week in rows:
        share, before = int(this_week) / this_total, int(last_week) / last_total
        if before <= 0 or share < MIN_SHARE or share < SHARE_GROWTH * before:
            continue
        found.append(
            Candidate(
                f"token-share:{phase}",
                "efficiency",
                f"Trim the {phase} phase: its token share doubled week over week",
                f"The {phase} phase used {share:.0%} of the tokens in the last 7 days "
                f"({this_week} tokens), up from {before:.0%} the week before ({last_week} tokens).",
                {
                    "phase": str(phase),
                    "share": round(share, 4),
                    "previous_share": round(before, 4),
                    "tokens": int(this_week),
                    "previous_tokens": int(last_week),
                },
            )
        )
    return found


def candidates(
    conn: sqlite3.Connection, report: ArgusReport, goals: Sequence[Goal], now: datetime
) -> list[Candidate]:
    """Every candidate, in the order they are queued (the reference's first)."""
    return [
        *from_argus(report),
        *recurring_failures(conn),
        *stuck_goals(conn, goals),
        *growing_phases(conn, now),
    ]
