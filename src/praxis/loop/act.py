"""Act: carry out the planned step. Waiting/stop sessions make no model call."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from praxis.app import Praxis
from praxis.loop.model_calls import call_model
from praxis.loop.orient import read_context
from praxis.loop.prompts import ACT_MAX_OUTPUT_TOKENS, ACT_SYSTEM, act_message
from praxis.loop.state import SessionState
from praxis.providers.base import Provider

NO_WORK_OUTCOMES = ("waiting_on_dependencies", "stop_condition_met")
DONE_MARKER = "GOAL COMPLETE"


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
        # Tool execution lands with the tools milestone; until then the request stays approved.
        state.action_summary = (
            f"Approved tool request #{state.selected_tool_request_id} was left for the tool runner."
        )
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
    state.act_reported_done = DONE_MARKER in reply.text.upper()
