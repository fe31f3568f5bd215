"""Act: carry out the planned step. Waiting/stop sessions make no model call.

An approved request selected by decide is executed (once). Otherwise the model is called with
the context; a model that supports tools gets a bounded tool loop (`agent.max_tool_calls`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from praxis.app import Praxis
from praxis.loop.model_calls import call_model
from praxis.loop.orient import read_context
from praxis.loop.prompts import ACT_MAX_OUTPUT_TOKENS, ACT_SYSTEM, act_message, reports_done
from praxis.loop.state import SessionState
from praxis.loop.tool_loop import execute_selected_request, resume_after_tool_calls, run_tool_loop
from praxis.providers.base import Provider

NO_WORK_OUTCOMES = ("waiting_on_dependencies", "stop_condition_met")


def act(
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    provider: Provider,
    counter: Callable[[str], int],
) -> None:
    if state.last_outcome in NO_WORK_OUTCOMES:
        return
    if state.selected_tool_request_id is not None:
        execute_selected_request(app, state, conn)
        return
    target = state.requested_task or (
        f"{state.selected_goal_id}: {state.selected_goal_title}"
        if state.selected_goal_id
        else "idle"
    )
    planned = state.planned_summary or state.action_summary or ""
    subject = {"planned": planned}
    if state.selected_goal_id:
        subject["goal_id"] = state.selected_goal_id
    if state.tool_calls:
        resume_after_tool_calls(state)
        return
    if provider.name != "stub":  # the stub never calls tools (deterministic, as the original)
        run_tool_loop(app, state, conn, provider, counter, act_message(target, planned), subject)
        return
    reply = call_model(
        app,
        state,
        conn,
        provider,
        counter,
        phase="act",
        system=ACT_SYSTEM,
        context=read_context(app),
        message=act_message(target, planned),
        max_output_tokens=ACT_MAX_OUTPUT_TOKENS,
        subject=subject,
    )
    state.action_summary = reply.text
    state.act_reported_done = reports_done(reply.text)
