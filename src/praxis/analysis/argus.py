"""Argus: what the recent sessions say about how the agent works (reference §12).

Over the newest `limit` sessions: failure counts, drift (always the newest 5 vs. the 5 before,
whatever the limit), repeated work (the same task or goal on several sessions and days), failure
clusters, token hotspots (phases that actually spent tokens: zero-token stub rows are not a
hotspot), the evals that failed, and directives. ★ `cost_by` adds cost per goal and per day.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, NamedTuple

from praxis.analysis.drift import Drift, recent_drift

if TYPE_CHECKING:
    from praxis.app import Praxis

DEFAULT_LIMIT = 10
# Outcomes of sessions that did their work or stopped as planned: not a failure cluster.
WORK_OUTCOMES = frozenset(
    {
        "goal_selected",
        "task_selected",
        "tool_executed",
        "stop_condition_met",
        "approved_tool_selected",
    }
)
NOT_FROZEN = "COALESCE(a.error_class, '') != 'frozen'"  # a frozen route was skipped, not called
_RECENT = "SELECT id FROM sessions ORDER BY id DESC LIMIT ?"

DRIFT_DIRECTIVE = (
    "Recent quality is drifting downward; pause ambitious changes and repair the recurring "
    "failure path first."
)
REVIEW_DIRECTIVE = (
    "Tighten completion discipline: rehearse or self-check work before Reflect hands it to the "
    "reviewer."
)
EVAL_DIRECTIVE = (
    "Protect operator-specific behavior: inspect recent eval regressions before changing runtime "
    "habits or prompts."
)
LOOP_DIRECTIVE = (
    "Reduce retry thrash: diversify tool plans earlier instead of repeating identical invocations."
)
WAITING_DIRECTIVE = (
    "Clarify blocked goals: promote prerequisites or satisfy wake conditions so sessions do not "
    "idle behind dependencies."
)
REPEATED_DIRECTIVE = (
    "Recurring work is resurfacing across multiple days; promote it into automation, a parent "
    "goal, or the learning runtime."
)
READS_DIRECTIVE = (
    "Expand anatomy coverage around frequently revisited files so more rereads can be replaced "
    "with summaries."
)


class SessionRow(NamedTuple):
    id: int
    day: int
    outcome: str
    reviewer_failures: int
    eval_failures: int
    repeated_reads_avoided: int
    goal_id: str | None
    goal_title: str | None
    task: str | None

    @property
    def label(self) -> str | None:
        """What the session worked on: `task: T`, else `goal: ID title` (reference labels)."""
        if self.task:
            return f"task: {self.task}"
        if self.goal_id and self.goal_title:
            return f"goal: {self.goal_id} {self.goal_title}"
        return None


class RepeatedWork(NamedTuple):
    label: str
    sessions: int
    days: int
    latest_outcome: str


class Hotspot(NamedTuple):
    phase: str
    provider: str
    tokens: int
    cost_micros: int
    cost_known: bool


class FailedEval(NamedTuple):
    eval_id: str
    name: str
    failures: int


class ArgusReport(NamedTuple):
    sessions_analyzed: int
    review_failures: int
    eval_failures: int
    loop_guard_blocks: int
    waiting_sessions: int
    repeated_reads_avoided: int
    drift: Drift
    repeated_work: list[RepeatedWork]
    failure_clusters: list[tuple[str, int]]
    token_hotspots: list[Hotspot]
    failed_evals: list[FailedEval]
    directives: list[str]


def recent_sessions(conn: sqlite3.Connection, limit: int) -> list[SessionRow]:
    rows = conn.execute(
        "SELECT id, day, outcome, reviewer_failures, eval_failures, repeated_reads_avoided, "
        "selected_goal_id, selected_goal_title, selected_task FROM sessions "
        "ORDER BY id DESC LIMIT ?",
        (max(1, limit),),
    ).fetchall()
    return [
        SessionRow(int(r[0]), int(r[1]), str(r[2]), int(r[3]), int(r[4]), int(r[5]), *r[6:])
        for r in rows
    ]


def analyze(conn: sqlite3.Connection, limit: int = DEFAULT_LIMIT) -> ArgusReport:
    sessions = recent_sessions(conn, limit)
    drift = recent_drift(conn)
    repeated = repeated_work(sessions)
    hotspots = token_hotspots(conn, limit)
    report = ArgusReport(
        sessions_analyzed=len(sessions),
        review_failures=sum(s.reviewer_failures for s in sessions),
        eval_failures=sum(s.eval_failures for s in sessions),
        loop_guard_blocks=sum(1 for s in sessions if s.outcome == "blocked_loop_guard"),
        waiting_sessions=sum(1 for s in sessions if s.outcome == "waiting_on_dependencies"),
        repeated_reads_avoided=sum(s.repeated_reads_avoided for s in sessions),
        drift=drift,
        repeated_work=repeated,
        failure_clusters=failure_clusters(sessions),
        token_hotspots=hotspots,
        failed_evals=failed_evals(conn, limit),
        directives=[],
    )
    return report._replace(directives=directives(report))


def repeated_work(newest_first: list[SessionRow]) -> list[RepeatedWork]:
    """Labels seen on ≥ 2 sessions, with their distinct days and the newest session's outcome;
    most days first, then most sessions, then label."""
    groups: dict[str, tuple[int, set[int], str]] = {}
    for session in newest_first:
        label = session.label
        if label is None:
            continue
        count, days, latest = groups.get(label, (0, set(), session.outcome))
        days.add(session.day)
        groups[label] = (count + 1, days, latest)
    found = [
        RepeatedWork(label, count, len(days), latest)
        for label, (count, days, latest) in groups.items()
        if count >= 2
    ]
    return sorted(found, key=lambda p: (-p.days, -p.sessions, p.label))


def failure_clusters(sessions: list[SessionRow]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for session in sessions:
        if session.outcome not in WORK_OUTCOMES:
            counts[session.outcome] = counts.get(session.outcome, 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def token_hotspots(conn: sqlite3.Connection, limit: int) -> list[Hotspot]:
    """The top 3 (phase, provider) pairs by tokens over the sessions analysed; pairs that spent
    no tokens are left out; ties by phase, then provider."""
    rows = conn.execute(
        "SELECT a.phase, a.provider, SUM(a.input_tokens + a.output_tokens) AS tokens, "
        "SUM(a.estimated_cost_micros), MIN(a.cost_known) FROM provider_attempts a "
        f"WHERE a.session_id IN ({_RECENT}) AND {NOT_FROZEN} "
        "GROUP BY a.phase, a.provider HAVING tokens > 0 "
        "ORDER BY tokens DESC, a.phase, a.provider LIMIT 3",
        (max(1, limit),),
    ).fetchall()
    return [Hotspot(str(r[0]), str(r[1]), int(r[2]), int(r[3] or 0), int(r[4]) == 1) for r in rows]


def failed_evals(conn: sqlite3.Connection, limit: int) -> list[FailedEval]:
    """★ Which evals failed in the sessions analysed, most failures first."""
    rows = conn.execute(
        "SELECT eval_id, MAX(eval_name), COUNT(*) FROM eval_runs "
        f"WHERE status = 'failed' AND session_id IN ({_RECENT}) "
        "GROUP BY eval_id ORDER BY 3 DESC, eval_id",
        (max(1, limit),),
    ).fetchall()
    return [FailedEval(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def directives(report: ArgusReport) -> list[str]:
    found: list[str] = []
    if report.drift.status == "regressed":
        found.append(DRIFT_DIRECTIVE)
    if report.review_failures > 0:
        found.append(REVIEW_DIRECTIVE)
    if report.eval_failures > 0:
        found.append(EVAL_DIRECTIVE)
    if report.loop_guard_blocks > 0:
        found.append(LOOP_DIRECTIVE)
    if report.waiting_sessions > 0:
        found.append(WAITING_DIRECTIVE)
    if any(p.days >= 2 for p in report.repeated_work):
        found.append(REPEATED_DIRECTIVE)
    if report.token_hotspots:
        phase = report.token_hotspots[0].phase
        found.append(
            f"Trim the {phase} phase first when chasing token savings; it is the hottest recent "
            "context path."
        )
    if report.repeated_reads_avoided > 0:
        found.append(READS_DIRECTIVE)
    if not found:
        found.append(
            f"Recent sessions look stable across the last {report.sessions_analyzed} runs. "
            "Keep the current operating pattern and watch for drift."
        )
    return found


class CostRow(NamedTuple):
    key: str  # a goal id (`-` = no goal) or a local date (YYYY-MM-DD)
    title: str | None  # the goal's title (by goal)
    sessions: int
    tokens: int
    cost_micros: int
    unknown_cost_attempts: int


def cost_by(conn: sqlite3.Connection, limit: int, by: str, timezone: str) -> list[CostRow]:
    """★ Tokens and estimated cost of the sessions analysed, per goal (most expensive first) or
    per local day in the operator's timezone (oldest first)."""
    rows = conn.execute(
        "SELECT s.id, s.started_at, COALESCE(s.selected_goal_id, '-'), s.selected_goal_title, "
        "COALESCE(SUM(a.input_tokens + a.output_tokens), 0), "
        "COALESCE(SUM(a.estimated_cost_micros), 0), COALESCE(SUM(1 - a.cost_known), 0) "
        f"FROM sessions s LEFT JOIN provider_attempts a ON a.session_id = s.id AND {NOT_FROZEN} "
        f"WHERE s.id IN ({_RECENT}) GROUP BY s.id",
        (max(1, limit),),
    ).fetchall()
    titles: dict[str, str | None] = {}
    totals: dict[str, list[int]] = {}
    for _id, started_at, goal_id, title, tokens, cost, unknown in rows:
        key = str(goal_id) if by == "goal" else _local_day(str(started_at), timezone)
        if by == "goal" and titles.get(key) is None:
            titles[key] = None if title is None else str(title)
        total = totals.setdefault(key, [0, 0, 0, 0])
        for index, value in enumerate((1, tokens, cost, unknown)):
            total[index] += int(value)
    found = [CostRow(key, titles.get(key), *total) for key, total in totals.items()]
    if by == "goal":
        return sorted(found, key=lambda r: (-r.cost_micros, -r.tokens, r.key))
    return sorted(found, key=lambda r: r.key)


def _local_day(timestamp: str, timezone: str) -> str:
    from praxis import clock
    from praxis.errors import PraxisError

    try:
        moment = clock.parse_timestamp(timestamp)
        return moment.astimezone(clock.load_timezone(timezone)).date().isoformat()
    except PraxisError:
        return "unknown"


class ArgusView(NamedTuple):
    """`praxis argus`: the analysis, and the cost per goal or day when asked for (`by`)."""

    report: ArgusReport
    costs: list[CostRow] | None


def argus(app: Praxis, limit: int = DEFAULT_LIMIT, by: str | None = None) -> ArgusView:
    found = analyze(app.db, limit)
    if by is None:
        return ArgusView(found, None)
    return ArgusView(found, cost_by(app.db, limit, by, app.config.settings.instance.timezone))
