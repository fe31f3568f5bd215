"""Decide: pick the unit of work (task, approved tool, or goal) and plan it with the model."""

from __future__ import annotations

from praxis import clock
from praxis.identity.goals import load_goals
from praxis.identity.planner import choose_goal
from praxis.loop.context import RunContext
from praxis.loop.model_calls import call_model
from praxis.loop.outcomes import is_outcome
from praxis.loop.prompts import DECIDE, decide_message
from praxis.tools.approvals import next_approved


def decide(ctx: RunContext) -> None:
    state = ctx.state
    state.selected_tool_name = None
    state.selected_tool_request_id = None
    if state.requested_task:
        state.last_outcome = "task_selected"
        state.selected_goal_id = state.selected_goal_title = None
        _plan(ctx)
        return
    approved = next_approved(ctx.db)
    if approved is not None:
        state.last_outcome = "approved_tool_selected"
        state.selected_tool_name = approved.tool_name
        state.selected_tool_request_id = approved.id
        state.action_summary = (
            f"Approved tool request #{approved.id} queued for execution: {approved.summary}"
        )
        return
    selection = choose_goal(load_goals(ctx.app.data_dir), ctx.app.data_dir.root, clock.now())
    assert is_outcome(selection.outcome), selection.outcome
    state.last_outcome = selection.outcome
    if selection.goal is None:
        state.selected_goal_id = state.selected_goal_title = None
        state.action_summary = selection.summary
        return
    state.selected_goal_id = selection.goal.id
    state.selected_goal_title = selection.goal.title
    _plan(ctx)


def _plan(ctx: RunContext) -> None:
    state = ctx.state
    subject = {
        k: v
        for k, v in {
            "task": state.requested_task,
            "goal_id": state.selected_goal_id,
            "goal_title": state.selected_goal_title,
        }.items()
        if v
    }
    message = decide_message(
        state.selected_goal_id, state.selected_goal_title, state.requested_task
    )
    reply = call_model(ctx, DECIDE, message, subject)
    plan = reply.text.strip()
    if reply.stop_reason == "max_tokens":
        plan += f" [plan cut at the output limit of {DECIDE.max_output_tokens} tokens]"
    state.planned_summary = plan
    state.action_summary = plan
