"""The phase machine: checkpoint (state file, then snapshot row) around every phase."""

from __future__ import annotations

import time
from collections.abc import Callable

from praxis import clock
from praxis.errors import BudgetExceeded, FrozenRoutes, ProviderFailed
from praxis.faults import crash_point
from praxis.heartbeat import write_heartbeat
from praxis.loop.act import act
from praxis.loop.context import RunContext
from praxis.loop.decide import decide
from praxis.loop.orient import orient
from praxis.loop.outcomes import SessionPhase
from praxis.loop.reflect import reflect
from praxis.loop.state_records import AttemptRecord

DETAILS = {
    "orient": "Loading identity, goals, tools, and local context.",
    "decide": "Selecting the next unit of work.",
    "act": "Executing safe internal maintenance or approved tool work.",
    "reflect": "Recording the session outcome.",
}
NEXT: dict[SessionPhase, SessionPhase] = {"orient": "decide", "decide": "act", "act": "reflect"}
# What each phase shows while it runs (progress steps; the model calls and tools add their own).
STEPS = {
    "orient": "orient: loading identity, goals, tools and context",
    "decide": "decide: selecting the next unit of work",
    "act": "act: carrying out the plan",
    "reflect": "reflect: reviewing and recording the session",
    "sleep": "sleep: session complete",
}


def run_phases(ctx: RunContext, should_stop: Callable[[], bool]) -> bool:
    """Run from the saved phase to sleep. False if stopped early (state checkpointed)."""
    state = ctx.state
    ctx.checkpoint("session_loaded")
    while state.current_phase in NEXT:
        phase = state.current_phase
        ctx.emit(f"agent:{phase}_start", DETAILS[phase])
        ctx.progress.step(STEPS[phase])
        write_heartbeat(ctx.app.data_dir, phase, DETAILS[phase])
        ctx.checkpoint(f"agent:{phase}_start:start")
        started = time.monotonic()
        try:
            _run_phase(phase, ctx)
            crash_point(f"{phase}:mid")
            if phase == "act" and state.waiting_request_ids:
                # Parked on the operator: the act phase stays open and resumes after the decision.
                _park(ctx, started)
                ctx.checkpoint("agent:act_parked")
                return False
            state.current_phase = NEXT[phase]
        except BudgetExceeded as blocked:
            ctx.emit("agent:usage_budget_blocked", "Usage budget blocked another backend call.")
            state.last_outcome, state.action_summary = "budget_exhausted", blocked.line
            state.current_phase = "reflect"
        except ProviderFailed as failed:
            state.last_outcome = "provider_failed"
            state.action_summary = failed.message + (f" ({failed.hint})" if failed.hint else "")
            state.current_phase = "reflect"
        except FrozenRoutes as frozen:
            state.provider_attempts.extend(
                AttemptRecord(a._replace(phase=phase)) for a in frozen.skipped
            )
            state.last_outcome, state.action_summary = "provider_failed", frozen.message
            state.current_phase = "reflect"
        _add_duration(ctx, phase, started)
        ctx.checkpoint(f"agent:{phase}_start:complete")
        if should_stop():
            return False
    if state.current_phase == "reflect":
        _reflect(ctx)
    return True


def _add_duration(ctx: RunContext, phase: str, started: float) -> None:
    elapsed = int((time.monotonic() - started) * 1000)
    durations = ctx.state.phase_durations_ms
    durations[phase] = durations.get(phase, 0) + elapsed


def _park(ctx: RunContext, started: float) -> None:
    _add_duration(ctx, "act", started)
    ctx.emit("agent:awaiting_approval", ctx.state.action_summary or "")
    write_heartbeat(
        ctx.app.data_dir, "act", "Session parked until the operator decides an approval."
    )


def _run_phase(phase: SessionPhase, ctx: RunContext) -> None:
    if phase == "orient":
        orient(ctx)
    elif phase == "decide":
        decide(ctx.for_phase("decide"))
        ctx.state.decided_outcome = ctx.state.last_outcome  # act restores it after a parking
    elif phase == "act":
        act(ctx.for_phase("act"))


def _reflect(ctx: RunContext) -> None:
    from praxis.context.adaptive import record_feedback

    state = ctx.state
    ctx.emit("agent:reflect_start", DETAILS["reflect"])
    ctx.progress.step(STEPS["reflect"])
    write_heartbeat(ctx.app.data_dir, "reflect", DETAILS["reflect"])
    ctx.checkpoint("agent:reflect_start")
    started = time.monotonic()
    final, review, evals = reflect(ctx)
    ctx.emit(f"agent:review_{review.status}", "Reflect completed reviewer checks.")
    eval_kind = "eval_failed" if evals.failed else "eval_passed"
    ctx.emit(f"agent:{eval_kind}", "Reflect completed operator eval checks.")
    if not state.reflect.feedback_recorded:
        record_feedback(
            ctx.app.data_dir.context_adaptation, final, state.context_sources, state.run_key
        )
        state.reflect = state.reflect._replace(feedback_recorded=True)
    ctx.emit("agent:session_complete", "Reflect finalized the session outcome.")
    state.phase_durations_ms["reflect"] = int((time.monotonic() - started) * 1000)
    write_heartbeat(ctx.app.data_dir, "sleep", "Session completed and returned to sleep.")
    ctx.progress.step(STEPS["sleep"])
    state.current_phase = "sleep"
    state.completed_at = clock.now_text()
    ctx.checkpoint("agent:reflect_complete")
