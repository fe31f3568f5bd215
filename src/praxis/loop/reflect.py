"""Reflect: quality gates, the session row, goal completion, journal/metrics, memory — each once.

Every side effect is keyed by the session's run key, so a reflect interrupted at any point and
resumed writes nothing twice (reference §20.2 item 7 was a bug).
"""

from __future__ import annotations

from praxis import clock
from praxis.app import Praxis
from praxis.errors import StateError
from praxis.faults import crash_point
from praxis.identity.goal_edit import mark_done
from praxis.identity.goals import load_goals
from praxis.loop.context import RunContext
from praxis.loop.conversation_store import forget_old
from praxis.loop.outcomes import Outcome
from praxis.loop.records import append_once, journal_entry, metrics_row
from praxis.loop.state import SessionState
from praxis.memory.capture import SessionCapture
from praxis.memory.operational import Failure
from praxis.memory.service import MemoryService
from praxis.progress import Prefixed
from praxis.quality.evals import EvalSummary, run_evals
from praxis.quality.postmortem import append_postmortem, needs_postmortem
from praxis.quality.reviewer import ReviewResult, goal_is_complete, review_goal
from praxis.quality.runs_store import record_gates
from praxis.storage.attempts import attach_session
from praxis.storage.sessions import (
    FULL_SNAPSHOT_SESSIONS,
    SessionRecord,
    attach_snapshots,
    compact_old_snapshots,
    find_session,
    insert_session,
)
from praxis.storage.transaction import transaction

WORK_OUTCOMES: tuple[Outcome, ...] = (
    "goal_selected",
    "task_selected",
    "approved_tool_selected",
    "tool_executed",
)


def reflect(ctx: RunContext) -> tuple[Outcome, ReviewResult, EvalSummary]:
    """Finish the session; returns the final outcome and the gates' results."""
    app, state = ctx.app, ctx.state
    if state.reflect.ended_at is None:  # the first step: when it ended, and how
        initial = state.last_outcome or "none"
        state.reflect = state.reflect._replace(ended_at=clock.now_text(), initial_outcome=initial)
    review, evals = _gates(ctx)
    initial = state.reflect.initial_outcome or "none"
    final: Outcome = (
        "review_failed" if review.status == "failed" else "eval_failed" if evals.failed else initial
    )
    completed = _completed_goal(app, state, review, evals, initial)
    summary = " ".join(
        p for p in (state.action_summary or "", review.summary, evals.summary_text()) if p
    )
    if review.findings:
        summary += " Findings: " + " | ".join(review.findings)
    if completed:
        summary += f" Goal {completed} completed."
    session_id, session_num = _record(ctx, final, summary, review, evals, completed)
    crash_point("reflect:after_session_row")
    if completed:
        _mark_goal_done(app, completed)
    crash_point("reflect:after_goal_done")
    ended_at = _ended_at(state)
    goal = state.goal_label
    append_once(
        app.data_dir.journal_md,
        journal_entry(
            ended_at,
            session_id,
            final,
            goal,
            state.task_label,
            summary,
            goal if completed else None,
            max_chars=app.config.settings.memory.max_chars,
        ),
    )
    crash_point("reflect:after_journal")
    append_once(
        app.data_dir.metrics_md,
        metrics_row(session_id, final, state.selected_goal_title, state.task_label, ended_at),
    )
    if needs_postmortem(final, evals.failed):
        append_postmortem(
            app.data_dir,
            session_id,
            ended_at,
            final,
            goal,
            state.task_label,
            summary,
            review,
            evals,
        )
    MemoryService.of(app).decay(ended_at)  # at most once a day per memory: a resume is a no-op
    state.action_summary = summary
    state.last_outcome = final
    state.reflect = state.reflect._replace(session_id=session_id, session_num=session_num)
    return final, review, evals


def _ended_at(state: SessionState) -> str:
    ended_at = state.reflect.ended_at
    assert ended_at is not None  # set first thing in reflect
    return ended_at


def _gates(ctx: RunContext) -> tuple[ReviewResult, EvalSummary]:
    """The reviewer and the evals, run once: their results are kept before anything uses them."""
    state = ctx.state
    done = state.reflect
    if done.review is not None and done.evals is not None:
        return done.review, done.evals
    initial = done.initial_outcome
    progress = Prefixed(ctx.progress, "reflect")
    review = review_goal(
        ctx.app.data_dir,
        state.selected_goal_id,
        act_reported_done=state.act_reported_done,
        ended_as=None if initial == "goal_selected" else initial,
        progress=progress,
    )
    evals = run_evals(ctx.app.data_dir, "session", progress=progress)
    state.reflect = done._replace(review=review, evals=evals)
    ctx.save()
    return review, evals


def _completed_goal(
    app: Praxis, state: SessionState, review: ReviewResult, evals: EvalSummary, initial: str
) -> str | None:
    if initial != "goal_selected" or not state.selected_goal_id:
        return None
    has_criteria = app.data_dir.criteria_dir.joinpath(f"{state.selected_goal_id}.json").is_file()
    if goal_is_complete(review, evals.failed, has_criteria):
        return state.selected_goal_id
    return None


def _mark_goal_done(app: Praxis, goal_id: str) -> None:
    goals = {g.id: g for g in load_goals(app.data_dir)}
    goal = goals.get(goal_id)
    if goal is None or goal.done:
        return  # already marked (a resumed reflect) or removed by the operator meanwhile
    try:
        mark_done(app.data_dir.goals_md, goal_id)
    except StateError:
        return


def _record(
    ctx: RunContext,
    final: Outcome,
    summary: str,
    review: ReviewResult,
    evals: EvalSummary,
    completed: str | None,
) -> tuple[int, int]:
    state, conn = ctx.state, ctx.db
    existing = find_session(conn, state.run_key)
    if existing is not None:
        return int(existing["id"]), int(existing["session_num"])
    ended_at = _ended_at(state)
    tokens = sum(r.attempt.input_tokens + r.attempt.output_tokens for r in state.provider_attempts)
    record = SessionRecord(
        run_key=state.run_key,
        day=state.day,
        started_at=state.started_at,
        ended_at=ended_at,
        outcome=final,
        goal_id=state.selected_goal_id,
        goal_title=state.selected_goal_title,
        task=state.task_label,
        summary=summary,
        tokens_used=tokens,
        goals_completed=1 if completed else 0,
        goals_attempted=1 if state.reflect.initial_outcome == "goal_selected" else 0,
        memory_captures=1,
        loop_guard_triggers=1 if final == "blocked_loop_guard" else 0,
        reviewer_passes=1 if review.status == "passed" else 0,
        reviewer_failures=1 if review.status == "failed" else 0,
        eval_passes=evals.passed,
        eval_failures=evals.failed,
        repeated_reads_avoided=state.repeated_reads_avoided,
        phase_durations=state.phase_durations_ms,
    )
    with transaction(conn):
        session_id, session_num = insert_session(conn, record)
        attach_snapshots(conn, state.run_key, session_id)
        attempts = [r.to_json() for r in state.provider_attempts]
        attach_session(conn, session_id, state.run_key, attempts, ended_at)
        record_gates(conn, session_id, review, evals, ended_at)
        _remember(ctx, final, review, evals, session_id, ended_at)
        compact_old_snapshots(conn)
        forget_old(conn, FULL_SNAPSHOT_SESSIONS)
    return session_id, session_num


def _remember(
    ctx: RunContext,
    final: Outcome,
    review: ReviewResult,
    evals: EvalSummary,
    session_id: int,
    now: str,
) -> None:
    """Memory, inside the session transaction: the bounded session memory; the operational rows
    of a failed session; reinforcement of the memories this session was given if it ended well."""
    state, settings = ctx.state, ctx.app.config.settings
    memory = MemoryService(ctx.db, settings.memory, settings.instance.timezone)
    goal = state.goal_label
    capture = SessionCapture(
        session_id=session_id,
        outcome=final,
        goal=goal,
        task=state.task_label,
        done=state.action_summary or "",
        review=review.status,
        findings=len(review.findings),
        evals_passed=evals.passed,
        evals_failed=evals.failed,
    )
    memory.remember_session(capture, state.selected_goal_id, now)
    if final in ("review_failed", "eval_failed"):
        target = state.task_label or goal or "this workflow"
        fix = review.findings[0] if review.findings else None
        memory.record_failure(Failure(target, final, review.summary, fix, session_id), now)
    memory.reinforce_session(state.run_key, final in WORK_OUTCOMES, now)


__all__ = ["WORK_OUTCOMES", "reflect"]
