"""`praxis status`: what this instance is doing, as one typed view (StatusView).

The CLI renders it as the original's keys in order (cli/views.py), plus goals, today's budget and
heartbeat age; Telegram and the dashboard can render the same view their own way. A file that
cannot be read never fails `status`: its fact becomes `Broken` with the error.
NamedTuples, not dataclasses: this is on `status`' start-up path.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from praxis import clock
from praxis.analysis.drift import recent_drift
from praxis.app import Praxis
from praxis.errors import CheckFailed, ConfigError, DataDirError, PraxisError
from praxis.events import count_events, last_event
from praxis.operator.review_state import count_canary_records, read_review_state
from praxis.providers.usage_window import UsageTotals, today_usage
from praxis.storage.provider_usage import SessionProviderUsage, latest_provider_usage
from praxis.tools.approvals import count_pending

if TYPE_CHECKING:
    from praxis.config.budgets import PeriodBudget
    from praxis.heartbeat import Heartbeat
    from praxis.memory.stats import MemoryStats

T = TypeVar("T")


class Broken(NamedTuple):
    """A fact that a broken file kept from being read (`status` still answers)."""

    error: str


class NotInitialized(NamedTuple):
    data_dir: Path


class GoalCounts(NamedTuple):
    open: int
    done: int


class EvalCounts(NamedTuple):
    passed: int
    failed: int
    skipped: int
    trust_failures: int


class LastSession(NamedTuple):
    id: int  # the global session id (JOURNAL.md, `forensics session --id`)
    outcome: str
    day: int
    session_num: int  # the per-day count
    ended_at: str
    review: str | None  # the last review run's status
    evals: EvalCounts | None


class LastLearning(NamedTuple):
    processed: int
    changed: int
    opportunities: int
    completed_at: str


class StatusView(NamedTuple):
    instance: str
    backend: str
    profile: str
    freeze_on_model_regression: bool
    data_dir: Path
    phase: str
    last_outcome: str
    repeated_reads_avoided: int
    anatomy_entries: int
    pending_approvals: int
    pending_opportunities: int
    registered_tools: int | Broken
    drift_status: str
    event_count: int
    canary_records: int
    boundary_review_due: bool | Broken
    goals: GoalCounts | Broken
    budget_today: UsageTotals  # today, in the operator's timezone
    daily_budget: PeriodBudget
    memory: MemoryStats  # its open `ops` rows are the operational memory the context shows
    selected_tool: str | None
    last_event: str | None
    heartbeat: Heartbeat | None
    heartbeat_age_seconds: int | None
    last_boundary_review: str | None
    last_session: LastSession | None
    provider_usage: SessionProviderUsage | None  # the newest session that called a provider
    last_learning: LastLearning | None
    daily_jobs: dict[str, str]  # job -> last run time, or "never"
    data_dir_writable: bool  # false: a read-only mount or another user's dir; reads still work


def build_status(app: Praxis) -> StatusView | NotInitialized:
    if not app.initialized:
        return NotInitialized(app.data_dir.root)
    config = app.config
    settings = config.settings
    state = _read_state(app)
    db = app.db
    review = _tolerant(lambda: read_review_state(app.data_dir), (ConfigError, DataDirError))
    memory = _memory_stats(app)
    event = last_event(app.data_dir.events)
    selected = state.get("selected_tool_name")
    beat = _heartbeat(app)
    return StatusView(
        instance=settings.instance.name,
        backend=config.backend,
        profile=settings.agent.profile,
        freeze_on_model_regression=settings.agent.freeze_on_model_regression,
        data_dir=app.data_dir.root,
        phase=str(state.get("current_phase") or "sleep").lower(),
        last_outcome=str(state.get("last_outcome") or "none"),
        repeated_reads_avoided=int(state.get("repeated_reads_avoided") or 0),
        anatomy_entries=_count(db, "SELECT COUNT(*) FROM anatomy_index"),
        pending_approvals=count_pending(db),
        pending_opportunities=_count(
            db, "SELECT COUNT(*) FROM opportunities WHERE status = 'pending'"
        ),
        registered_tools=_tolerant(lambda: _count_tools(app)),
        drift_status=recent_drift(db).status,  # the rule Argus uses
        event_count=count_events(app.data_dir.events),
        canary_records=count_canary_records(app.data_dir),
        boundary_review_due=review if isinstance(review, Broken) else review.due(clock.now()),
        goals=_tolerant(lambda: _goal_counts(app)),
        budget_today=today_usage(db, settings.instance.timezone),
        daily_budget=config.budgets.daily,
        memory=memory,
        selected_tool=str(selected) if selected else None,
        last_event=event.kind if event is not None else None,
        heartbeat=beat,
        heartbeat_age_seconds=clock.age_seconds(beat.updated) if beat is not None else None,
        last_boundary_review=None if isinstance(review, Broken) else review.last_confirmed_at,
        last_session=_last_session(db),
        provider_usage=latest_provider_usage(db),
        last_learning=_last_learning(db),
        daily_jobs=_daily_jobs(app),
        data_dir_writable=app.writable,  # after `app.db`: it knows whether that opened read-only
    )


def _tolerant(
    read: Callable[[], T], errors: tuple[type[PraxisError], ...] = (ConfigError,)
) -> T | Broken:
    """What `read` returns, or Broken when a file it reads is malformed."""
    try:
        return read()
    except errors as broken:
        return Broken(broken.message)


def _daily_jobs(app: Praxis) -> dict[str, str]:
    """When each of the daemon's daily jobs last ran (issue 14)."""
    from praxis.operator.daily_jobs import last_runs

    return last_runs(app.data_dir)


def _last_learning(db: sqlite3.Connection) -> LastLearning | None:
    """The newest `learn run` (manual or the daemon's). Plain SQL here: importing the learning
    store's types would cost `status` ~2 ms."""
    row = db.execute(
        "SELECT processed_sources, changed_sources, opportunities_created, completed_at "
        "FROM learning_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return LastLearning(int(row[0]), int(row[1]), int(row[2]), str(row[3]))


def _memory_stats(app: Praxis) -> MemoryStats:
    from praxis.memory.stats import memory_stats

    return memory_stats(app.db, app.config.settings.memory.hot_capacity)


def _count(db: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> int:
    return int(db.execute(sql, params).fetchone()[0])


def _read_state(app: Praxis) -> dict[str, Any]:
    from praxis.safe_read import read_text_regular

    try:
        raw = json.loads(read_text_regular(app.state_file))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError, PraxisError):
        # A FIFO, a directory or garbage in its place: status still answers.
        return {"current_phase": "unknown", "last_outcome": "state_file_unreadable"}
    return raw if isinstance(raw, dict) else {}


def _count_tools(app: Praxis) -> int:
    from praxis.tools.manifest import load_registry

    return len(load_registry(app.data_dir.tools_dir))


def _goal_counts(app: Praxis) -> GoalCounts:
    from praxis.identity.goals import load_goals

    goals = load_goals(app.data_dir)
    done = sum(1 for g in goals if g.done)
    return GoalCounts(len(goals) - done, done)


def _heartbeat(app: Praxis) -> Heartbeat | None:
    from praxis.heartbeat import read_heartbeat

    try:
        return read_heartbeat(app.data_dir)
    except CheckFailed:
        return None


def _last_session(db: sqlite3.Connection) -> LastSession | None:
    row = db.execute(
        "SELECT id, day, session_num, outcome, ended_at FROM sessions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    session_id = int(row["id"])
    review = db.execute(
        "SELECT status FROM review_runs WHERE session_id = ? ORDER BY id DESC LIMIT 1",
        (session_id,),
    ).fetchone()
    return LastSession(
        id=session_id,
        outcome=str(row["outcome"]),
        day=int(row["day"]),
        session_num=int(row["session_num"]),
        ended_at=str(row["ended_at"]),
        review=str(review["status"]) if review is not None else None,
        evals=_last_evals(db, session_id),
    )


def _last_evals(db: sqlite3.Connection, session_id: int) -> EvalCounts | None:
    rows = db.execute(
        "SELECT status, severity FROM eval_runs WHERE session_id = ?", (session_id,)
    ).fetchall()
    if not rows:
        return None
    statuses = [r["status"] for r in rows]
    trust = sum(1 for r in rows if r["status"] == "failed" and r["severity"] == "trust_damaging")
    return EvalCounts(
        statuses.count("passed"), statuses.count("failed"), statuses.count("skipped"), trust
    )
