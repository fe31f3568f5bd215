"""Act: carry out the planned step. Waiting/stop sessions make no model call.

An approved request selected by decide is executed (once). Otherwise act is a conversation with
the model (`tool_loop.run_conversation`): stored message by message, with a bounded tool loop for
models that support tools (`agent.max_tool_calls`), parked on approvals and resumed after them.
"""

from __future__ import annotations

from praxis.loop.context import RunContext
from praxis.loop.outcomes import Outcome
from praxis.loop.prompts import act_message
from praxis.loop.tool_loop import execute_selected_request, run_conversation

NO_WORK_OUTCOMES: tuple[Outcome, ...] = ("waiting_on_dependencies", "stop_condition_met")


def act(ctx: RunContext) -> None:
    state = ctx.state
    if state.decided_outcome in NO_WORK_OUTCOMES or (
        state.decided_outcome is None and state.last_outcome in NO_WORK_OUTCOMES
    ):
        return
    if state.selected_tool_request_id is not None:
        execute_selected_request(ctx)
        return
    target = state.requested_task or state.goal_label or "idle"
    planned = state.planned_summary or state.action_summary or ""
    subject = {"planned": planned}
    if state.selected_goal_id:
        subject["goal_id"] = state.selected_goal_id
    run_conversation(ctx, act_message(target, planned), subject)
