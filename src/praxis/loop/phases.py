"""The phase machine: checkpoint (state file, then snapshot row) around every phase."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from praxis import clock
from praxis.app import Praxis
from praxis.errors import BudgetExceeded, FrozenRoutes, ProviderFailed
from praxis.events import emit_event
from praxis.loop.act import act
from praxis.loop.decide import decide
from praxis.loop.faults import crash_point
from praxis.loop.orient import orient
from praxis.loop.reflect import reflect
from praxis.loop.state import SessionState, save_state
from praxis.operator.heartbeat import write_heartbeat
from praxis.providers.base import Provider
from praxis.storage.sessions import insert_snapshot

DETAILS = {
    "orient": "Loading identity, goals, tools, and local context.",
    "decide": "Selecting the next unit of work.",
    "act": "Executing safe internal maintenance or approved tool work.",
    "reflect": "Recording the session outcome.",
}
NEXT = {"orient": "decide", "decide": "act", "act": "reflect"}


def token_counter(app: Praxis) -> Callable[[str], int]:
    from praxis.context.tokens import counter_for, family_for

    config = app.config
    route = next((r for r in config.routes if r.provider == config.backend), None)
    model = config.settings.agent.model_pin or (route.model if route else None)
    return counter_for(family_for(config.backend, model))


def run_phases(
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    should_stop: Callable[[], bool],
    provider: Provider | None = None,
) -> bool:
    """Run from the saved phase to sleep. False if stopped early (state checkpointed)."""
    counter = token_counter(app)
    events = app.data_dir.events

    def checkpoint(name: str) -> None:
        state.updated_at = clock.now_text()
        save_state(app.state_file, state)
        insert_snapshot(
            conn,
            state.run_key,
            state.reflect.get("session_id"),
            state.started_at,
            state.current_phase,
            name,
            state.to_json(),
            state.updated_at,
        )
        crash_point(name)

    checkpoint("session_loaded")
    while state.current_phase in NEXT:
        phase = state.current_phase
        emit_event(events, f"agent:{phase}_start", DETAILS[phase])
        write_heartbeat(app.data_dir, phase, DETAILS[phase])
        checkpoint(f"agent:{phase}_start:start")
        started = time.monotonic()
        try:
            _run_phase(phase, app, state, conn, provider, counter)
            crash_point(f"{phase}:mid")
            if phase == "act" and state.waiting_request_ids:
                # Parked on the operator: the act phase stays open and resumes after the decision.
                _park(app, state, started)
                checkpoint("agent:act_parked")
                return False
            state.current_phase = NEXT[phase]
        except BudgetExceeded as blocked:
            emit_event(
                events, "agent:usage_budget_blocked", "Usage budget blocked another backend call."
            )
            state.last_outcome, state.action_summary = "budget_exhausted", blocked.line
            state.current_phase = "reflect"
        except ProviderFailed as failed:
            state.last_outcome = "provider_failed"
            state.action_summary = failed.message + (f" ({failed.hint})" if failed.hint else "")
            state.current_phase = "reflect"
        except FrozenRoutes as frozen:
            state.provider_attempts.extend(
                a._replace(phase=phase)._asdict() for a in frozen.skipped
            )
            state.last_outcome, state.action_summary = "provider_failed", frozen.message
            state.current_phase = "reflect"
        elapsed = int((time.monotonic() - started) * 1000)
        state.phase_durations_ms[phase] = state.phase_durations_ms.get(phase, 0) + elapsed
        checkpoint(f"agent:{phase}_start:complete")
        if should_stop():
            return False
    if state.current_phase == "reflect":
        _reflect(app, state, conn, checkpoint)
    return True


def _park(app: Praxis, state: SessionState, started: float) -> None:
    elapsed = int((time.monotonic() - started) * 1000)
    state.phase_durations_ms["act"] = state.phase_durations_ms.get("act", 0) + elapsed
    emit_event(app.data_dir.events, "agent:awaiting_approval", state.action_summary or "")
    write_heartbeat(app.data_dir, "act", "Session parked until the operator decides an approval.")


def _run_phase(
    phase: str,
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    injected: Provider | None,
    counter: Callable[[str], int],
) -> None:
    if phase == "orient":
        orient(app, state, conn, counter)
        return
    from praxis.providers.factory import build_provider

    # Built per phase: local-first fallback applies to act but never to decide.
    provider = injected or build_provider(app.config, app.data_dir, phase)
    if phase == "decide":
        decide(app, state, conn, provider, counter)
        state.decided_outcome = state.last_outcome  # act restores it after a parked approval
    else:
        act(app, state, conn, provider, counter)


def _reflect(
    app: Praxis, state: SessionState, conn: sqlite3.Connection, checkpoint: Callable[[str], None]
) -> None:
    from praxis.context.adaptive import record_feedback

    events = app.data_dir.events
    emit_event(events, "agent:reflect_start", DETAILS["reflect"])
    write_heartbeat(app.data_dir, "reflect", DETAILS["reflect"])
    checkpoint("agent:reflect_start")
    started = time.monotonic()
    final = reflect(app, state, conn, lambda: save_state(app.state_file, state))
    data = state.reflect
    review_status = data["review"]["status"]
    emit_event(events, f"agent:review_{review_status}", "Reflect completed reviewer checks.")
    eval_kind = "eval_failed" if data["evals"]["failed"] else "eval_passed"
    emit_event(events, f"agent:{eval_kind}", "Reflect completed operator eval checks.")
    if not data.get("feedback_recorded"):
        record_feedback(
            app.data_dir.context_adaptation,
            final,
            state.context_sources,
            state.run_key,
        )
        data["feedback_recorded"] = True
    emit_event(events, "agent:session_complete", "Reflect finalized the session outcome.")
    state.phase_durations_ms["reflect"] = int((time.monotonic() - started) * 1000)
    write_heartbeat(app.data_dir, "sleep", "Session completed and returned to sleep.")
    state.current_phase = "sleep"
    state.completed_at = clock.now_text()
    checkpoint("agent:reflect_complete")
