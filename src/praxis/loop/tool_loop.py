"""The act phase's tool loop and the execution of approved requests (SPEC §4 "Act does real work").

Each call the model makes goes through policy, the loop guard and approval; allowed calls run and
their results go back to the model; a call that needs approval becomes a pending request and
ends the session `awaiting_approval`; a guarded repeat ends it `blocked_loop_guard`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from praxis.app import Praxis
from praxis.events import emit_event
from praxis.loop.model_calls import call_model
from praxis.loop.orient import read_context
from praxis.loop.prompts import ACT_MAX_OUTPUT_TOKENS, ACT_SYSTEM, reports_done
from praxis.loop.state import SessionState, save_state
from praxis.providers.base import Message, Provider
from praxis.tools.capabilities import write_capabilities
from praxis.tools.execute import CallVerdict, execute_approved, handle_call
from praxis.tools.registry import find_tool, offered_tools

OUTCOME_BY_KIND = {"ran": "tool_executed", "blocked": "blocked_loop_guard"}


def execute_selected_request(app: Praxis, state: SessionState, conn: sqlite3.Connection) -> None:
    request_id = state.selected_tool_request_id
    assert request_id is not None
    verdict = execute_approved(app, conn, request_id, state.run_key, state.selected_goal_id)
    _record_call(app, state, state.selected_tool_name or "?", verdict)
    state.last_outcome = OUTCOME_BY_KIND.get(verdict.kind, "tool_failed")
    state.action_summary = verdict.summary
    if verdict.kind == "blocked":
        emit_event(app.data_dir.events, "agent:loop_guard_triggered", verdict.summary)
    write_capabilities(app.data_dir, conn)


def run_tool_loop(
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    provider: Provider,
    counter: Callable[[str], int],
    opening: str,
    subject: dict[str, str],
) -> None:
    tools = offered_tools(app)
    specs = tuple(t.spec for t in tools)
    limit = app.config.settings.agent.max_tool_calls
    messages: list[Message] = [Message("user", opening)]
    context = read_context(app)
    stop: CallVerdict | None = None
    while True:
        offered = specs if state.tool_calls_made < limit and stop is None else ()
        reply = call_model(
            app,
            state,
            conn,
            provider,
            counter,
            phase="act",
            system=ACT_SYSTEM,
            context=context,
            message=tuple(messages),
            max_output_tokens=ACT_MAX_OUTPUT_TOKENS,
            subject=subject,
            tools=offered,
        )
        if not reply.tool_calls or not offered:
            state.action_summary = reply.text or "The model finished without a status note."
            state.act_reported_done = state.act_reported_done or reports_done(reply.text)
            break
        messages.append(Message("assistant", reply.text, reply.tool_calls))
        for call in reply.tool_calls:
            if stop is not None or state.tool_calls_made >= limit:
                messages.append(
                    Message(
                        "tool",
                        "Not run: the session's tool-call limit was reached.",
                        tool_call_id=call.id,
                    )
                )
                continue
            state.tool_calls_made += 1
            tool = find_tool(tools, call.name)
            if tool is None:
                messages.append(Message("tool", f"unknown tool {call.name}", tool_call_id=call.id))
                continue
            verdict = handle_call(
                app,
                conn,
                tool,
                call.arguments,
                requested_by="model",
                run_key=state.run_key,
                goal_id=state.selected_goal_id,
            )
            _record_call(app, state, tool.name, verdict)
            if tool.name == "goal-complete" and verdict.kind == "ran":
                state.act_reported_done = True
            if verdict.kind in ("pending", "blocked"):
                stop = verdict
            messages.append(Message("tool", verdict.output, tool_call_id=call.id))
        if stop is not None:
            break
    write_capabilities(app.data_dir, conn)
    if stop is not None and stop.kind == "pending":
        state.last_outcome = "awaiting_approval"
        state.action_summary = stop.summary
    elif stop is not None:
        state.last_outcome = "blocked_loop_guard"
        state.action_summary = stop.summary
        emit_event(app.data_dir.events, "agent:loop_guard_triggered", stop.summary)


def resume_after_tool_calls(state: SessionState) -> None:
    """Act was interrupted after making tool calls: asking the model again could repeat them, so
    the phase ends with what already happened (the calls are in the queue and in forensics)."""
    calls = state.tool_calls
    pending = [c for c in calls if c["kind"] == "pending"]
    blocked = [c for c in calls if c["kind"] == "blocked"]
    listed = ", ".join(f"{c['tool']} ({c['kind']})" for c in calls)
    state.action_summary = (
        f"Act was interrupted after {len(calls)} tool call(s): {listed}; they are not repeated."
    )
    if pending:
        state.last_outcome = "awaiting_approval"
    elif blocked:
        state.last_outcome = "blocked_loop_guard"


def _record_call(app: Praxis, state: SessionState, tool_name: str, verdict: CallVerdict) -> None:
    state.tool_calls.append(
        {
            "tool": tool_name,
            "kind": verdict.kind,
            "request_id": verdict.request_id,
            "summary": verdict.summary,
        }
    )
    save_state(app.state_file, state)  # the call happened: keep it even if the phase dies
    emit_event(app.data_dir.events, "agent:tool_call", f"{tool_name} {verdict.summary}")
