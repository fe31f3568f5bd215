"""`run --once`: one resumable session under the run lock (reference §5.2, SPEC §4)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from praxis import clock
from praxis.app import Praxis
from praxis.child_processes import reap_leftovers
from praxis.events import emit_event
from praxis.heartbeat import write_heartbeat
from praxis.identity.foundation import validate_identity
from praxis.identity.goals import load_goals
from praxis.loop.context import RunContext
from praxis.loop.days import day_for_new_session, store_day
from praxis.loop.lock import run_lock
from praxis.loop.outcomes import Outcome
from praxis.loop.phases import run_phases
from praxis.loop.state import SessionState, load_state, save_state
from praxis.progress import NO_PROGRESS, Progress
from praxis.providers.base import Provider
from praxis.tempfiles import clean_session_start
from praxis.tools.approvals import fail_interrupted
from praxis.tools.manifest import load_registry

QUIET_SUMMARY = (
    "Quiet hours active ({start}–{end} {zone}); session deferred until {local} {zone} ({until}). "
    "Run with --force to run now."
)


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    resumed: bool
    goal: str | None
    task: str | None
    summary: str
    finished: bool = True
    session_id: int | None = None  # the sessions row; None when no session ran or it stopped early


def run_once(
    app: Praxis,
    *,
    force: bool = False,
    task: str | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    provider: Provider | None = None,
    progress: Progress = NO_PROGRESS,
) -> RunResult:
    settings = app.config.settings
    # Everything a session reads is validated before anything changes: an exit 2 leaves the data
    # dir as it was (no half-started session, no snapshot rows, no DAY_COUNT step).
    validate_identity(app.data_dir)
    load_registry(app.data_dir.tools_dir)
    load_goals(app.data_dir)
    task = _checked_task(task)
    with run_lock(app.data_dir.run_lock):
        clean_session_start(app)  # temp files of writes killed mid-way (praxis.tempfiles)
        reap_leftovers(app.data_dir.root)  # tool children of a killed run (praxis.child_processes)
        existing = load_state(app.state_file)
        unfinished = existing if existing is not None and not existing.finished else None
        if unfinished is not None and _other_task(unfinished, task):
            if not force:
                raise _unfinished_error(unfinished, task)
            _abandon(app, unfinished, task)
            existing = unfinished = None
        if (settled := _goals_still_complete(app, existing, task)) is not None:
            return settled
        now = clock.now()
        zone = clock.load_timezone(settings.instance.timezone)
        quiet = clock.in_quiet_hours(
            now, zone, settings.runtime.quiet_hours_start, settings.runtime.quiet_hours_end
        )
        if quiet and not force:
            return _defer(app, unfinished, task)
        # A request claimed by a run that died is failed, never run twice (and never wedges).
        fail_interrupted(app.db, clock.format_timestamp(now))
        if unfinished is not None:
            state = unfinished
            state.resume_count += 1
            state.updated_at = clock.format_timestamp(now)
        else:
            state = _fresh_state(app, task)
        save_state(app.state_file, state)
        store_day(app.data_dir, state.day)
        write_heartbeat(app.data_dir, state.current_phase, "Session loaded and ready to run.")
        finished = run_phases(RunContext.start(app, state, provider, progress), should_stop)
        return RunResult(
            outcome=state.last_outcome or "none",
            resumed=state.resume_count > 0,
            goal=state.goal_label,
            task=state.task_label,
            summary=state.action_summary or "",
            finished=finished,
            session_id=state.reflect.session_id,
        )


MAX_TASK_CHARS = 2000


def _checked_task(task: str | None) -> str | None:
    from praxis.errors import UsageError

    if task is None:
        return None
    task = task.strip()
    if not task:
        raise UsageError("task must not be empty", "pass --task with a description, or omit it")
    if len(task) > MAX_TASK_CHARS:
        raise UsageError(
            f"task is {len(task):,} characters; at most {MAX_TASK_CHARS:,} are allowed",
            "put the details in a file under workspace/ and name it in a short --task",
        )
    return task


def _other_task(unfinished: SessionState, task: str | None) -> bool:
    """A --task that is not the unfinished session's own work (mixing them would confuse both)."""
    return task is not None and task != unfinished.requested_task


def _unfinished_error(unfinished: SessionState, task: str | None) -> Exception:
    from praxis.errors import StateError

    work = (
        f"task {unfinished.requested_task!r}"
        if unfinished.requested_task
        else f"goal {unfinished.selected_goal_id}"
        if unfinished.selected_goal_id
        else "its work"
    )
    waiting = " (waiting for an approval)" if unfinished.waiting_request_ids else ""
    return StateError(
        f"the session started at {unfinished.started_at} for {work} is unfinished "
        f"(phase {unfinished.current_phase}){waiting}; it was not mixed with task {task!r}",
        "run `praxis run --once` without --task to finish it first, or add --force to abandon "
        "it and start the new task",
    )


def _abandon(app: Praxis, unfinished: SessionState, task: str | None) -> None:
    """--force with another task: close the unfinished session's open approvals and drop it
    (its snapshots and conversation stay for forensics)."""
    from praxis.tools.approvals import expire

    now = clock.now_text()
    note = f"abandoned: the operator started task {task!r} instead"
    expire(app.db, unfinished.waiting_request_ids, note, now)
    emit_event(
        app.data_dir.events,
        "agent:session_abandoned",
        f"Session started at {unfinished.started_at} abandoned for task {task!r}.",
    )


def _fresh_state(app: Praxis, task: str | None) -> SessionState:
    now = clock.now()
    stamp = clock.format_timestamp(now)
    day = day_for_new_session(app.data_dir, app.db, app.config.settings.instance.timezone, now)
    return SessionState(
        current_phase="orient",
        started_at=stamp,
        updated_at=stamp,
        run_key=f"{stamp}-{uuid.uuid4().hex[:12]}",
        requested_task=task.strip() if task else None,
        day=day,
    )


def _defer(app: Praxis, unfinished: SessionState | None, task: str | None) -> RunResult:
    """Quiet hours: record the deferral (the window, when it ends, how to run now), but never
    overwrite an unfinished session."""
    settings = app.config.settings
    start, end = settings.runtime.quiet_hours_start, settings.runtime.quiet_hours_end
    zone_name = settings.instance.timezone
    zone = clock.load_timezone(zone_name)
    now = clock.now()
    until = clock.quiet_hours_end(now, zone, start, end) or now
    summary = QUIET_SUMMARY.format(
        start=start,
        end=end,
        zone=zone_name,
        local=until.astimezone(zone).strftime("%H:%M"),
        until=clock.format_timestamp(until),
    )
    emit_event(app.data_dir.events, "agent:sleep_deferred", summary)
    if unfinished is None:
        stamp = clock.format_timestamp(now)
        state = SessionState(
            current_phase="sleep",
            started_at=stamp,
            updated_at=stamp,
            run_key=f"deferred-{stamp}",
            completed_at=stamp,
            requested_task=task,
            last_outcome="deferred_quiet_hours",
            action_summary=summary,
        )
        save_state(app.state_file, state)
    return RunResult("deferred_quiet_hours", False, None, task, summary)


# --- "All goals complete" is journaled once (issue 9) ---------------------------------------
STOP_RECORD = ".praxis-stop-condition.json"  # who journaled it + GOALS.md hash; no tool may touch


def _goals_still_complete(
    app: Praxis, existing: SessionState | None, task: str | None
) -> RunResult | None:
    """A result without a session when the last session already journaled "all goals complete"
    and nothing changed since: GOALS.md is byte-identical, no request was approved or rejected,
    no task was given, nothing is unfinished. Otherwise None (run a session as usual).

    The stop session is recorded here, by the next run, before a deferral could overwrite its
    state; a record is only taken while every goal in GOALS.md is done.
    """
    import hashlib
    import json

    from praxis.errors import PraxisError
    from praxis.files import atomic_write_json
    from praxis.identity.goals import load_goals
    from praxis.tools.approvals import changed_since

    if task or existing is None or not existing.finished:
        return None
    try:
        digest = hashlib.sha256(app.data_dir.goals_md.read_bytes()).hexdigest()
    except OSError:
        return None
    path = app.data_dir.file(STOP_RECORD)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if not isinstance(record, dict):
        record = {}
    session_id = existing.reflect.session_id
    if (
        existing.last_outcome == "stop_condition_met"
        and session_id is not None
        and record.get("run_key") != existing.run_key
    ):
        try:
            all_done = all(goal.done for goal in load_goals(app.data_dir))
        except PraxisError:
            return None  # the session reports a malformed GOALS.md
        if not all_done:
            return None
        record = {
            "session_id": session_id,
            "run_key": existing.run_key,
            "ended_at": existing.completed_at or existing.updated_at,
            "goals_sha256": digest,
        }
        atomic_write_json(path, record)
    if existing.last_outcome not in ("stop_condition_met", "deferred_quiet_hours"):
        return None
    if record.get("goals_sha256") != digest:
        return None
    try:
        ended = clock.parse_timestamp(str(record.get("ended_at")))
    except PraxisError:
        return None  # a record edited by hand: run a session, which records afresh
    if changed_since(app.db, clock.format_timestamp(ended)):
        return None  # the operator decided something: let a session pick it up
    return RunResult(
        "stop_condition_met",
        False,
        None,
        None,
        f"All goals are complete; nothing to do (journaled once at session #{record['session_id']}).",
    )
