"""`praxis status`: the original's keys in order, plus goals, today's budget and heartbeat age."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from praxis import clock
from praxis.analysis.drift import recent_drift
from praxis.app import Praxis
from praxis.errors import CheckFailed, ConfigError, DataDirError
from praxis.events import count_events, last_event
from praxis.operator.review_state import ReviewState, count_canary_records, read_review_state
from praxis.operator.usage_window import today_usage
from praxis.report import Report
from praxis.storage.provider_usage import UsageSlice, latest_provider_usage
from praxis.tools.approvals import count_pending

if TYPE_CHECKING:
    from praxis.memory.stats import MemoryStats


def build_status(app: Praxis) -> Report:
    report = Report()
    root = app.data_dir.root
    if not app.initialized:
        report.add("status", "uninitialized")
        report.add("data_dir", root)
        report.add("hint", f"run `praxis --data-dir {root} init`")
        return report

    config = app.config
    settings = config.settings
    state = _read_state(app)
    db = app.db
    now = clock.now()
    review = _review_state(app)

    report.add("status", "ready")
    report.add("instance", settings.instance.name)
    report.add("backend", config.backend)
    report.add("profile", settings.agent.profile)
    report.add("freeze_on_model_regression", settings.agent.freeze_on_model_regression)
    report.add("data_dir", root)
    report.add("phase", str(state.get("current_phase") or "sleep").lower())
    report.add("last_outcome", state.get("last_outcome") or "none")
    report.add("repeated_reads_avoided", int(state.get("repeated_reads_avoided") or 0))
    report.add("anatomy_entries", _count(db, "SELECT COUNT(*) FROM anatomy_index"))
    report.add("pending_approvals", count_pending(db))
    report.add(
        "pending_opportunities",
        _count(db, "SELECT COUNT(*) FROM opportunities WHERE status = 'pending'"),
    )
    report.add("registered_tools", *_tolerant(lambda: _count_tools(app)))
    report.add("drift_status", recent_drift(db).status)  # the rule Argus uses
    memory = _memory_stats(app)
    dnr, bugs = memory.ops["dnr_open"], memory.ops["bugs_open"]  # open rows (the context's)
    report.add("operational_memory", f"dnr={dnr} bugs={bugs}", {"dnr": dnr, "bugs": bugs})
    report.add("event_count", count_events(app.data_dir.events))
    report.add("canary_records", count_canary_records(app.data_dir))
    _add_boundary_review_due(report, review, now)
    _add_goals(report, app)
    _add_budget_today(report, app, db)
    _add_memory(report, memory)

    if state.get("selected_tool_name"):
        report.add("selected_tool", state["selected_tool_name"])
    event = last_event(app.data_dir.events)
    if event is not None:
        report.add("last_event", event.kind)
    _add_heartbeat(report, app)
    if isinstance(review, ReviewState) and review.last_confirmed_at:
        report.add("last_boundary_review", review.last_confirmed_at)
    _add_last_session(report, db)
    _add_provider_usage(report, db)
    _add_last_learning(report, db)
    _add_daily_jobs(report, app)
    return report


def _add_daily_jobs(report: Report, app: Praxis) -> None:
    """When each of the daemon's daily jobs last ran (issue 14)."""
    from praxis.operator.daily_jobs import last_runs

    runs = last_runs(app.data_dir)
    report.add("daily_jobs", " ".join(f"{name}={at}" for name, at in runs.items()), runs)


def _add_last_learning(report: Report, db: sqlite3.Connection) -> None:
    """The reference's `last_learning` line: the newest `learn run` (manual or the daemon's).
    Plain SQL here: importing the learning store's types would cost `status` ~2 ms."""
    row = db.execute(
        "SELECT processed_sources, changed_sources, opportunities_created, completed_at "
        "FROM learning_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is not None:
        processed, changed, created = (int(v) for v in row[:3])
        completed_at = str(row[3])
        report.add(
            "last_learning",
            f"processed={processed} changed={changed} opportunities={created} "
            f"completed_at={completed_at}",
            {
                "processed": processed,
                "changed": changed,
                "opportunities": created,
                "completed_at": completed_at,
            },
        )


def _memory_stats(app: Praxis) -> MemoryStats:
    from praxis.memory.stats import memory_stats

    return memory_stats(app.db, app.config.settings.memory.hot_capacity)


def _add_memory(report: Report, stats: MemoryStats) -> None:
    """Memory counts and the last consolidation / decay run (`praxis memory stats` has more)."""
    from praxis.memory.stats import run_summary

    report.add(
        "memory",
        f"hot={stats.hot}/{stats.hot_capacity} cold={stats.cold} flagged={stats.flagged}",
        {
            "hot": stats.hot,
            "hot_capacity": stats.hot_capacity,
            "cold": stats.cold,
            "flagged": stats.flagged,
        },
    )
    report.add("memory_consolidation", *run_summary(stats.last_consolidation))
    report.add("memory_decay", *run_summary(stats.last_decay))


def _count(db: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
    return int(db.execute(sql, params).fetchone()[0])


def _read_state(app: Praxis) -> dict[str, Any]:
    from praxis.errors import PraxisError
    from praxis.safe_read import read_text_regular

    try:
        raw = json.loads(read_text_regular(app.state_file))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError, PraxisError):
        # A FIFO, a directory or garbage in its place: status still answers.
        return {"current_phase": "unknown", "last_outcome": "state_file_unreadable"}
    return raw if isinstance(raw, dict) else {}


def _review_state(app: Praxis) -> ReviewState | str:
    """boundary_review.json, or the error that makes it unreadable (status must not fail)."""
    try:
        return read_review_state(app.data_dir)
    except (ConfigError, DataDirError) as broken:
        return broken.message


def _add_boundary_review_due(report: Report, review: ReviewState | str, now: datetime) -> None:
    if isinstance(review, str):
        report.add("boundary_review_due", "error (run `praxis boundaries show`)", {"error": review})
    else:
        report.add("boundary_review_due", review.due(now))


def _count_tools(app: Praxis) -> int:
    from praxis.tools.manifest import load_registry

    return len(load_registry(app.data_dir.tools_dir))


def _tolerant(read: Callable[[], int]) -> tuple[object, object]:
    """(text, JSON) of a count that a broken file must not turn into a failed `status`."""
    try:
        value = read()
    except ConfigError as broken:
        return "error (run `praxis doctor`)", {"error": broken.message}
    return value, value


def _add_goals(report: Report, app: Praxis) -> None:
    from praxis.identity.goals import load_goals

    try:
        goals = load_goals(app.data_dir)
    except ConfigError as broken:
        report.add("goals", "error (run `praxis doctor`)", {"error": broken.message})
        return
    done = sum(1 for g in goals if g.done)
    report.add(
        "goals", f"open={len(goals) - done} done={done}", {"open": len(goals) - done, "done": done}
    )


def _add_budget_today(report: Report, app: Praxis, db: sqlite3.Connection) -> None:
    daily = app.config.budgets.daily
    usage = today_usage(db, app.config.settings.instance.timezone)
    cost = "unknown" if usage.cost_unknown else f"{usage.cost_usd:.6f}"
    report.add(
        "budget_today",
        f"tokens={usage.tokens}/{daily.max_tokens} est_cost_usd={cost}/{daily.max_cost_usd:.6f}",
        {
            "tokens": usage.tokens,
            "max_tokens": daily.max_tokens,
            "est_cost_usd": None if usage.cost_unknown else usage.cost_usd,
            "max_cost_usd": daily.max_cost_usd,
        },
    )


def _add_heartbeat(report: Report, app: Praxis) -> None:
    from praxis.operator.heartbeat import read_heartbeat

    try:
        beat = read_heartbeat(app.data_dir)
    except CheckFailed:
        return
    report.add(
        "heartbeat",
        f"phase={beat.phase} updated_at={beat.updated_at}",
        {"phase": beat.phase, "updated_at": beat.updated_at},
    )
    report.add("heartbeat_age_seconds", clock.age_seconds(beat.updated))
    if beat.next_run_at:
        report.add("next_run", beat.next_run_at)


def _add_last_session(report: Report, db: sqlite3.Connection) -> None:
    row = db.execute(
        "SELECT id, day, session_num, outcome, ended_at FROM sessions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        report.add("last_session", "none")
        return
    # `#id` is the global session id (as in JOURNAL.md and `forensics session --id`); the
    # per-day count is only shown beside it, labelled.
    report.add(
        "last_session",
        f"#{row['id']} {row['outcome']} (day {row['day']}, session {row['session_num']} of the day)",
        {
            "session_id": row["id"],
            "id": row["id"],
            "outcome": row["outcome"],
            "day": row["day"],
            "session_num": row["session_num"],
        },
    )
    report.add("last_session_ended_at", row["ended_at"])
    review = db.execute(
        "SELECT status FROM review_runs WHERE session_id = ? ORDER BY id DESC LIMIT 1", (row["id"],)
    ).fetchone()
    if review is not None:
        report.add("last_review", review["status"])
    _add_last_eval(report, db, int(row["id"]))


def _add_last_eval(report: Report, db: sqlite3.Connection, session_id: int) -> None:
    rows = db.execute(
        "SELECT status, severity FROM eval_runs WHERE session_id = ?", (session_id,)
    ).fetchall()
    if not rows:
        return
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("passed", "failed", "skipped")}
    trust = sum(1 for r in rows if r["status"] == "failed" and r["severity"] == "trust_damaging")
    report.add(
        "last_eval",
        f"passed={counts['passed']} failed={counts['failed']} skipped={counts['skipped']} "
        f"trust_failures={trust}",
        {**counts, "trust_failures": trust},
    )


def _add_provider_usage(report: Report, db: sqlite3.Connection) -> None:
    """The reference's `last_provider`, `last_tokens` and `token_hotspot` lines (§1.3), for the
    newest session that called a provider; an unknown cost prints `unknown`, never 0."""
    usage = latest_provider_usage(db)
    if usage is None:
        return
    total, hot = usage.total, usage.hotspot
    report.add(
        "last_provider",
        f"{usage.provider} attempts={usage.attempts} failures={usage.failures} "
        f"tokens={total.tokens} est_cost_usd={_cost_text(total)}",
        {
            "session_id": usage.session_id,
            "provider": usage.provider,
            "attempts": usage.attempts,
            "failures": usage.failures,
            "tokens": total.tokens,
            "est_cost_usd": _cost_json(total),
        },
    )
    report.add(
        "last_tokens",
        f"total={total.tokens} est_cost_usd={_cost_text(total)}",
        {"session_id": usage.session_id, "total": total.tokens, "est_cost_usd": _cost_json(total)},
    )
    report.add(
        "token_hotspot",
        f"{usage.hotspot_phase}/{usage.hotspot_provider} tokens={hot.tokens} "
        f"est_cost_usd={_cost_text(hot)}",
        {
            "phase": usage.hotspot_phase,
            "provider": usage.hotspot_provider,
            "tokens": hot.tokens,
            "est_cost_usd": _cost_json(hot),
        },
    )


def _cost_text(usage: UsageSlice) -> str:
    return f"{usage.cost_micros / 1_000_000:.6f}" if usage.cost_known else "unknown"


def _cost_json(usage: UsageSlice) -> float | None:
    return round(usage.cost_micros / 1_000_000, 6) if usage.cost_known else None
