"""The act phase's conversation with the model (SPEC §4 "Act does real work").

Every message — the opening, each model reply, each tool result — is stored as it happens
(`conversation_store.Conversation`), so a resumed act continues from what is stored: a call whose
result is stored is never made again, and the model is asked again only with the stored history.

Each call the model makes goes through policy, the loop guard and approval. A call that needs
approval PARKS the session (`awaiting_approval`, the act phase stays open); once the operator
decides, the next run resumes it: the approved call runs once and its real output (or the
rejection) goes back to the model, which continues. A parked session closes as
`approval_expired` after `agent.approval_wait_hours`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, NamedTuple

from praxis import clock
from praxis.faults import crash_point
from praxis.loop.context import RunContext
from praxis.loop.conversation_store import Conversation, StoredMessage
from praxis.loop.model_calls import call_model
from praxis.loop.outcomes import Outcome
from praxis.loop.prompts import ACT
from praxis.loop.state_records import ToolCallRecord
from praxis.providers.base import Message
from praxis.redact import redact
from praxis.text import one_line
from praxis.tools import approvals
from praxis.tools.capabilities import write_capabilities
from praxis.tools.execute import (
    CallKind,
    CallVerdict,
    execute_approved,
    handle_call,
    resume_call,
)
from praxis.tools.registry import ToolDef, find_tool, offered_tools

OUTCOME_BY_KIND: dict[CallKind, Outcome] = {"ran": "tool_executed", "blocked": "blocked_loop_guard"}
LIMIT_REACHED = "Not run: the session's tool-call limit was reached."
NOT_RUN_AFTER_BLOCK = "Not run: the loop guard stopped this session's tool calls."
NO_TOOLS_NOTE = "This route has tools turned off, so act ran as a plain status report."
STEP_ARGUMENT_CHARS = 120  # a tool run's progress step shows this much of its arguments


class Turn(NamedTuple):
    """The last model reply that asked for tools, and the tool rows answering it so far."""

    assistant: StoredMessage
    rows: list[StoredMessage]


class Offer(NamedTuple):
    """The tools offered to the model in this act, and how many calls it may make in all."""

    tools: list[ToolDef]
    limit: int


def execute_selected_request(ctx: RunContext) -> None:
    """An operator's approved request outside any conversation (e.g. `tools request`)."""
    state = ctx.state
    request_id = state.selected_tool_request_id
    assert request_id is not None
    _running(ctx, state.selected_tool_name or "?", f"(approved request #{request_id})")
    verdict = execute_approved(ctx.app, ctx.db, request_id, state.run_key, state.selected_goal_id)
    _record_call(ctx, state.selected_tool_name or "?", verdict)
    state.last_outcome = OUTCOME_BY_KIND.get(verdict.kind, "tool_failed")
    state.action_summary = verdict.summary
    write_capabilities(ctx.app.data_dir, ctx.db)


def run_conversation(ctx: RunContext, opening: str, subject: Mapping[str, str]) -> None:
    """Talk with the model until it gives its final note, parks on an approval, or is stopped."""
    state, provider = ctx.state, ctx.provider
    use_tools = provider.supports_tools
    tools = offered_tools(ctx.app) if use_tools else []
    offer = Offer(tools, ctx.app.config.settings.agent.max_tool_calls)
    specs = tuple(t.spec for t in offer.tools)
    history = Conversation(ctx.db, state.run_key)
    if not history.messages:
        history.add(Message("user", opening))
    state.waiting_request_ids = []
    # The stub never calls tools by design; a real (metered) model without tools is worth saying.
    tools_dropped = not use_tools and provider.metered
    try:
        while True:
            if any(c.kind == "blocked" for c in state.tool_calls):
                _end_blocked(ctx)
                return
            turn = _open_turn(history.messages)
            if turn is not None:
                if _answer(ctx, offer, history, turn):
                    return
                continue
            if history.messages[-1].role == "assistant":  # a resumed act: its final reply
                _finish(ctx, history.messages[-1], tools_dropped)
                return
            offered = specs if state.tool_calls_made < offer.limit else ()
            conversation = tuple(m.message() for m in history.messages)
            reply = call_model(ctx, ACT, conversation, subject, offered)
            tools_dropped = tools_dropped or reply.tools_dropped
            calls = reply.tool_calls if offered else ()
            said = Message("assistant", reply.text, calls)
            history.add(said, stop_reason=reply.stop_reason)
            crash_point("act:after_model_reply")
    finally:
        write_capabilities(ctx.app.data_dir, ctx.db)


def _open_turn(history: list[StoredMessage]) -> Turn | None:
    """The last tool-asking reply if some of its calls are unanswered or still waiting."""
    for index in range(len(history) - 1, -1, -1):
        message = history[index]
        if message.role != "assistant":
            continue
        if not message.tool_calls:
            return None
        rows = [m for m in history[index + 1 :] if m.role == "tool"]
        if len(rows) < len(message.tool_calls) or any(r.waiting for r in rows):
            return Turn(message, rows)
        return None
    return None


def _answer(ctx: RunContext, offer: Offer, history: Conversation, turn: Turn) -> bool:
    """Answer the turn's calls as far as possible. True when act ends here (parked, blocked,
    expired); False when every call is answered and the model should continue."""
    state, conn = ctx.state, ctx.db
    waiting: list[int] = []
    expired: list[int] = []
    for row in turn.rows:
        if not row.waiting or row.request_id is None:
            continue
        request = approvals.get_request(conn, row.request_id)
        if request.status == "pending":
            if _expired(ctx, request):
                expired.append(request.id)
                continue
            waiting.append(request.id)
            continue
        _running(ctx, request.tool_name, request.argument_line(STEP_ARGUMENT_CHARS))
        verdict = resume_call(ctx.app, conn, request, state.run_key, state.selected_goal_id)
        _note_call(ctx, request.tool_name, verdict)
        history.fill(row, verdict.output)
    if expired:
        _expire(ctx, history, turn, expired)
        return True
    blocked: CallVerdict | None = None
    calls = turn.assistant.tool_calls
    for index in range(len(turn.rows), len(calls)):
        call = calls[index]
        verdict, tool_name = _call(ctx, offer, turn, index, blocked)
        if tool_name is not None:
            _note_call(ctx, tool_name, verdict)
        if verdict.kind == "blocked":
            blocked = verdict
        result = Message("tool", verdict.output, tool_call_id=call.id)
        parked = verdict.kind == "pending"
        if parked and verdict.request_id is not None:
            waiting.append(verdict.request_id)
        history.add(result, waiting=parked, request_id=verdict.request_id)
        crash_point("act:after_tool_result")
    if blocked is not None:
        _end_blocked(ctx)
        return True
    if waiting:
        _park(ctx, sorted(set(waiting)))
        return True
    return False


def _call(
    ctx: RunContext, offer: Offer, turn: Turn, index: int, blocked: CallVerdict | None
) -> tuple[CallVerdict, str | None]:
    """The verdict for one unanswered call, and the tool's name when it reached a tool."""
    state, conn = ctx.state, ctx.db
    call = turn.assistant.tool_calls[index]
    call_key = f"{state.run_key}:{turn.assistant.seq}:{index}"
    existing = approvals.find_by_call(conn, call_key)
    if existing is not None:  # decided before a crash, but its result row was never stored
        _running(ctx, existing.tool_name, existing.argument_line(STEP_ARGUMENT_CHARS))
        verdict = resume_call(ctx.app, conn, existing, state.run_key, state.selected_goal_id)
        return verdict, existing.tool_name
    if blocked is not None:
        return CallVerdict("refused", NOT_RUN_AFTER_BLOCK, NOT_RUN_AFTER_BLOCK, None), None
    if state.tool_calls_made >= offer.limit:
        return CallVerdict("refused", LIMIT_REACHED, LIMIT_REACHED, None), None
    state.tool_calls_made += 1
    tool = find_tool(offer.tools, call.name)
    if tool is None:
        known = ", ".join(t.offered_name for t in offer.tools) or "none"
        text = f"unknown tool {call.name}; the tools offered are: {known}"
        return CallVerdict("refused", text, text, None), None
    _running(ctx, tool.name, _arguments_text(call.arguments))
    verdict = handle_call(
        ctx.app,
        conn,
        tool,
        call.arguments,
        requested_by="model",
        run_key=state.run_key,
        goal_id=state.selected_goal_id,
        call_key=call_key,
    )
    return verdict, tool.name


def _running(ctx: RunContext, tool_name: str, arguments: str) -> None:
    """The progress step of a tool run: one line, its arguments redacted and clipped."""
    shown = one_line(redact(arguments), STEP_ARGUMENT_CHARS)
    ctx.progress.step(f"act: running {tool_name} {shown}")


def _arguments_text(arguments: Mapping[str, Any]) -> str:
    argv = arguments.get("argv")
    if isinstance(argv, list):
        return " ".join(str(a) for a in argv)
    return json.dumps(dict(arguments), sort_keys=True, ensure_ascii=False, default=str)


def _expired(ctx: RunContext, request: approvals.ApprovalRequest) -> bool:
    hours = ctx.app.config.settings.agent.approval_wait_hours
    waited = clock.now() - clock.parse_timestamp(request.created_at)
    return waited >= timedelta(hours=hours)


def _expire(ctx: RunContext, history: Conversation, turn: Turn, request_ids: list[int]) -> None:
    state = ctx.state
    hours = ctx.app.config.settings.agent.approval_wait_hours
    now = clock.now_text()
    note = f"expired: no decision within {hours:g} h; the session that asked was closed"
    approvals.expire(ctx.db, request_ids, note, now)
    text = f"Not run: the operator did not decide within {hours:g} hours."
    for row in turn.rows:
        if row.waiting:
            history.fill(row, text)
    listed = ", ".join(f"#{i}" for i in request_ids)
    state.waiting_request_ids = []
    state.last_outcome = "approval_expired"
    state.action_summary = (
        f"Closed after waiting {hours:g} h for approval of {listed}; nothing was run. "
        "Ask again with `praxis run --once` (the goal stays open)."
    )
    ctx.emit("agent:approval_expired", state.action_summary)


def _park(ctx: RunContext, request_ids: list[int]) -> None:
    state = ctx.state
    state.waiting_request_ids = request_ids
    state.last_outcome = "awaiting_approval"
    waiting = [approvals.get_request(ctx.db, i) for i in request_ids]
    listed = "; ".join(f"#{r.id} {r.tool_name} {r.argument_line(80)}" for r in waiting)
    first = request_ids[0]
    state.action_summary = (
        f"Waiting for the operator's approval: {listed}. Approve with `praxis approve {first}` "
        f"or reject with `praxis reject {first} --reason TEXT`; the next run continues this "
        "session with the decision."
    )


def _end_blocked(ctx: RunContext) -> None:
    state = ctx.state
    summary = next((c.summary for c in reversed(state.tool_calls) if c.kind == "blocked"), "")
    state.last_outcome = "blocked_loop_guard"
    state.action_summary = summary
    ctx.emit("agent:loop_guard_triggered", summary)


def _finish(ctx: RunContext, reply: StoredMessage, tools_dropped: bool) -> None:
    state = ctx.state
    text = (reply.content or "").strip()
    note = f" ({NO_TOOLS_NOTE})" if tools_dropped else ""
    if reply.stop_reason == "max_tokens":
        state.last_outcome = "truncated_reply"
        state.action_summary = (
            f"The model's reply was cut at the output limit ({ACT.max_output_tokens} tokens), so "
            "it is not used as the status note; read it with `praxis forensics session --id N "
            f"--messages`.{note}"
        )
        return
    state.last_outcome = state.decided_outcome or state.last_outcome
    state.action_summary = (text or "The model finished without a status note.") + note


def _note_call(ctx: RunContext, tool_name: str, verdict: CallVerdict) -> None:
    if tool_name == "goal-complete" and verdict.kind == "ran":
        ctx.state.act_reported_done = True
    _record_call(ctx, tool_name, verdict)


def _record_call(ctx: RunContext, tool_name: str, verdict: CallVerdict) -> None:
    record = ToolCallRecord(tool_name, verdict.kind, verdict.request_id, verdict.summary)
    ctx.state.tool_calls.append(record)
    ctx.save()  # the call happened: keep it even if the phase dies
    ctx.emit("agent:tool_call", f"{tool_name} {verdict.summary}")
