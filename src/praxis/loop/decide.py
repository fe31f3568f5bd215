"""Decide: pick the unit of work (task, approved tool, or goal) and plan it with the model."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from praxis import clock
from praxis.app import Praxis
from praxis.identity.goals import load_goals
from praxis.identity.planner import choose_goal
from praxis.loop.model_calls import call_model
from praxis.loop.orient import read_context
from praxis.loop.prompts import DECIDE_MAX_OUTPUT_TOKENS, DECIDE_SYSTEM, decide_message
from praxis.loop.state import SessionState
from praxis.providers.base import Provider
from praxis.tools.approvals import next_approved


def decide(
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    provider: Provider,
    counter: Callable[[str], int],
) -> None:
    state.selected_tool_name = None
    state.selected_tool_request_id = None
    if state.requested_task:
        state.last_outcome = "task_selected"
        state.selected_goal_id = state.selected_goal_title = None
        _plan(app, state, conn, provider, counter)
        return
    approved = next_approved(conn)
    if approved is not None:
        state.last_outcome = "approved_tool_selected"
        state.selected_tool_name = approved.tool_name
        state.selected_tool_request_id = approved.id
        state.action_summary = (
            f"Approved tool request #{approved.id} queued for execution: {approved.summary}"
        )
        return
    selection = choose_goal(load_goals(app.data_dir), app.data_dir.root, clock.now())
    state.last_outcome = selection.outcome
    if selection.goal is None:
        state.selected_goal_id = state.selected_goal_title = None
        state.action_summary = selection.summary
        return
    state.selected_goal_id = selection.goal.id
    state.selected_goal_title = selection.goal.title
    _plan(app, state, conn, provider, counter)


def _plan(
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    provider: Provider,
    counter: Callable[[str], int],
) -> None:
    subject = {
        k: v
        for k, v in {
            "task": state.requested_task,
            "goal_id": state.selected_goal_id,
            "goal_title": state.selected_goal_title,
        }.items()
        if v
    }
    reply = call_model(
        app,
        state,
        conn,
        provider,
        counter,
        phase="decide",
        system=DECIDE_SYSTEM,
        context=read_context(app),
        message=decide_message(
            state.selected_goal_id, state.selected_goal_title, state.requested_task
        ),
        max_output_tokens=DECIDE_MAX_OUTPUT_TOKENS,
        subject=subject,
    )
    plan = reply.text.strip()
    if reply.stop_reason == "max_tokens":
        plan += f" [plan cut at the output limit of {DECIDE_MAX_OUTPUT_TOKENS} tokens]"
    state.planned_summary = plan
    state.action_summary = plan
