"""`run --once`: one resumable session under the run lock (reference §5.2, SPEC §4)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from praxis import clock
from praxis.app import Praxis
from praxis.events import emit_event
from praxis.identity.foundation import validate_identity
from praxis.loop.days import day_for_new_session, store_day
from praxis.loop.lock import run_lock
from praxis.loop.phases import run_phases
from praxis.loop.state import SessionState, load_state, save_state
from praxis.operator.heartbeat import write_heartbeat
from praxis.providers.base import Provider
from praxis.tools.approvals import fail_interrupted
from praxis.tools.manifest import load_registry

QUIET_SUMMARY = "Quiet hours active; session deferred until the next wake window."


@dataclass(frozen=True)
class RunResult:
    outcome: str
    resumed: bool
    goal: str | None
    task: str | None
    summary: str
    finished: bool = True


def run_once(
    app: Praxis,
    *,
    force: bool = False,
    task: str | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    provider: Provider | None = None,
) -> RunResult:
    settings = app.config.settings
    validate_identity(app.data_dir)
    load_registry(app.data_dir.tools_dir)
    if task is not None and not task.strip():
        from praxis.errors import UsageError

        raise UsageError("task must not be empty", "pass --task with a description, or omit it")
    with run_lock(app.data_dir.run_lock):
        existing = load_state(app.state_file)
        unfinished = existing if existing is not None and not existing.finished else None
        now = clock.now()
        zone = clock.load_timezone(settings.instance.timezone)
        quiet = clock.in_quiet_hours(
            now, zone, settings.runtime.quiet_hours_start, settings.runtime.quiet_hours_end
        )
        if quiet and not force:
            return _defer(app, unfinished, task)
        conn = app.db
        # A request claimed by a run that died is failed, never run twice (and never wedges).
        fail_interrupted(conn, clock.format_timestamp(now))
        if unfinished is not None:
            state = unfinished
            state.resume_count += 1
            state.updated_at = clock.format_timestamp(now)
            if task:
                state.requested_task = task.strip()
        else:
            state = _fresh_state(app, conn, task)
        save_state(app.state_file, state)
        store_day(app.data_dir, state.day)
        write_heartbeat(app.data_dir, state.current_phase, "Session loaded and ready to run.")
        finished = run_phases(app, state, conn, should_stop, provider)
        goal = (
            f"{state.selected_goal_id}: {state.selected_goal_title}"
            if state.selected_goal_id
            else None
        )
        return RunResult(
            outcome=state.last_outcome or "none",
            resumed=state.resume_count > 0,
            goal=goal,
            task=state.task_label,
            summary=state.action_summary or "",
            finished=finished,
        )


def _fresh_state(app: Praxis, conn: sqlite3.Connection, task: str | None) -> SessionState:
    now = clock.now()
    stamp = clock.format_timestamp(now)
    day = day_for_new_session(app.data_dir, conn, app.config.settings.instance.timezone, now)
    return SessionState(
        current_phase="orient",
        started_at=stamp,
        updated_at=stamp,
        run_key=f"{stamp}-{uuid.uuid4().hex[:12]}",
        requested_task=task.strip() if task else None,
        day=day,
    )


def _defer(app: Praxis, unfinished: SessionState | None, task: str | None) -> RunResult:
    """Quiet hours: record the deferral, but never overwrite an unfinished session."""
    emit_event(app.data_dir.events, "agent:sleep_deferred", QUIET_SUMMARY)
    if unfinished is None:
        stamp = clock.now_text()
        state = SessionState(
            current_phase="sleep",
            started_at=stamp,
            updated_at=stamp,
            run_key=f"deferred-{stamp}",
            completed_at=stamp,
            requested_task=task,
            last_outcome="deferred_quiet_hours",
            action_summary=QUIET_SUMMARY,
        )
        save_state(app.state_file, state)
    return RunResult("deferred_quiet_hours", False, None, task, QUIET_SUMMARY)
