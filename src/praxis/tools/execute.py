"""Running one tool call: policy, loop guard, approval, execution — every call leaves a row.

A model's call and an operator's approved request take the same path (policy → guard → approval
→ run → record). Each call becomes an `approval_requests` row (requested_by `model` or
`operator`), so the queue, CAPABILITIES.md and audits see every call; an approved row is claimed
before it runs (at most once) and its output is stored on the row. The loop guard judges only the
model's own requests: an execution the operator approved is never blocked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal, NamedTuple

from praxis import clock
from praxis.app import Praxis
from praxis.errors import PolicyViolation, PraxisError
from praxis.faults import crash_point
from praxis.tools import approvals
from praxis.tools.registry import DATA_WRITE, ToolDef

# The loop guard looks back this far: repeats within a working day are loops; the same routine
# call on consecutive days is not.
GUARD_WINDOW = timedelta(hours=12)


CallKind = Literal["ran", "failed", "pending", "refused", "blocked", "rejected", "interrupted"]


class CallVerdict(NamedTuple):
    kind: CallKind
    output: str  # what goes back to the model
    summary: str
    request_id: int | None


def describe(tool: ToolDef, arguments: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """(one-line summary, write paths) of a call, for rows, events and the guard."""
    if tool.kind == "data-write":
        paths = tuple(str(p) for p in arguments.get("write_paths", []) or [])
        text = str(arguments.get("append_text", ""))
        return f"append {len(text.encode('utf-8'))} bytes to {', '.join(paths) or '-'}", paths
    rendered = json.dumps(dict(arguments), sort_keys=True, ensure_ascii=False)
    return f"{tool.name} {rendered[:200]}", ()


def precheck(
    app: Praxis, tool: ToolDef, arguments: Mapping[str, Any], request_id: int = 0
) -> tuple[str, ...]:
    """Security level and path policy, before anything runs (and again at execution)."""
    from praxis.tools.policy import check_request

    level = app.config.settings.security_level
    if tool.kind == "builtin" and tool.name == "shell":
        from praxis.tools.builtins.shell import refusal

        refused = refusal(arguments, app.config.settings)
        if refused:
            not_allowed = refused.startswith("command ") and "is not allowed" in refused
            raise PolicyViolation(
                refused,
                "add the program to [tools.shell] allowed_commands in praxis.toml"
                if not_allowed
                else "name plain files inside workspace/ (no symlinks, hard links, FIFOs or "
                "paths outside it)",
            )
    manifest = tool.manifest
    if manifest is not None and manifest.required_level > level:
        raise PolicyViolation(
            f"tool {manifest.name} requires security level {manifest.required_level}, but Praxis "
            f"is configured for level {level}",
            "raise security.level in praxis.toml only if you trust this tool",
        )
    if tool.kind != "data-write" or manifest is None:
        return ()
    paths = [str(p) for p in arguments.get("write_paths", []) or []]
    text = arguments.get("append_text")
    if not isinstance(text, str) or not text.strip():
        raise PolicyViolation(
            f"tool {DATA_WRITE} requires --append-text", "give the text to append"
        )
    return check_request(manifest, paths, text, level, request_id)


def needs_approval(app: Praxis, tool: ToolDef, arguments: Mapping[str, Any]) -> bool:
    if tool.kind == "builtin":
        from praxis.tools.builtins import builtin_tools

        return builtin_tools()[tool.name].requires_approval(arguments, app.config.settings)
    return tool.manifest is None or tool.manifest.requires_approval


def run_tool(
    app: Praxis,
    conn: sqlite3.Connection,
    tool: ToolDef,
    arguments: Mapping[str, Any],
    run_key: str | None,
    goal_id: str | None,
) -> tuple[bool, str, str]:
    """Execute (no policy here: callers ran `precheck`). Returns (ok, output, summary)."""
    if tool.kind == "data-write":
        from praxis.tools.policy import append_once, resolve_for_write

        paths = precheck(app, tool, arguments)
        targets = [resolve_for_write(app.data_dir.root, p) for p in paths]
        text = str(arguments["append_text"]).strip()
        written = sum(1 for target in targets if append_once(target, text))
        summary = (
            f"Executed approved tool {DATA_WRITE} and appended operator-approved text to "
            f"{len(targets)} file(s)."
        )
        return True, f"appended to {written} of {len(targets)} file(s)", summary
    if tool.kind == "mcp":
        from praxis.tools.mcp_client import call_tool
        from praxis.tools.mcp_manifest import load_mcp_server

        assert tool.manifest is not None and tool.manifest.path is not None
        server_tool = tool.name.split(".", 1)[1]
        result = call_tool(load_mcp_server(tool.manifest.path), server_tool, arguments)
        return result.ok, result.text, f"{tool.name} {'ok' if result.ok else 'error'}"
    from praxis.tools.builtins import builtin_tools
    from praxis.tools.builtins.base import ToolContext

    context = ToolContext(
        app.data_dir, conn, app.config.settings, clock.now_text(), run_key, goal_id
    )
    outcome = builtin_tools()[tool.name].run(context, arguments)
    return outcome.ok, outcome.output, outcome.summary


def handle_call(
    app: Praxis,
    conn: sqlite3.Connection,
    tool: ToolDef,
    arguments: Mapping[str, Any],
    *,
    requested_by: str,
    run_key: str | None,
    goal_id: str | None,
    call_key: str | None = None,
) -> CallVerdict:
    """A call the model made now: refuse, block, queue for approval, or run."""
    from praxis.tools.guard import check_and_record, invocation_hash

    now = clock.now_text()
    summary, paths = describe(tool, arguments)
    payload = dict(arguments)
    asked = approvals.NewRequest(tool.name, summary, requested_by, paths, payload)

    def row(
        status: approvals.ApprovalStatus, result: str | None = None, claimed: bool = False
    ) -> approvals.ApprovalRequest:
        return approvals.create_request(
            conn,
            asked,
            status,
            now,
            run_key=run_key,
            result=result,
            claimed=claimed,
            call_key=call_key,
            output=result,
        )

    try:
        precheck(app, tool, arguments)
    except PolicyViolation as refused:
        request_id = row("failed", refused.message).id
        return CallVerdict("refused", f"refused: {refused.message}", refused.message, request_id)
    waiting = approvals.find_pending_duplicate(conn, tool.name, payload)
    if waiting is not None:
        # Asked again while the first is pending: answer with that one, never a second row.
        return _pending(waiting, again=True)
    payload_json = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    verdict = check_and_record(
        conn,
        invocation_hash(tool.name, summary, paths, payload_json),
        tool.name,
        run_key,
        now,
        since=clock.format_timestamp(clock.now() - GUARD_WINDOW),
        goal_id=goal_id,
    )
    if verdict.blocked:
        request_id = row("blocked", verdict.summary).id
        return CallVerdict("blocked", verdict.summary or "", verdict.summary or "", request_id)
    if needs_approval(app, tool, arguments) or approvals.was_interrupted(
        conn, run_key, tool.name, payload
    ):
        return _pending(row("pending"))
    request = row("approved", claimed=True)
    return _run_claimed(app, conn, tool, payload, request.id, run_key, goal_id)


def _pending(request: approvals.ApprovalRequest, again: bool = False) -> CallVerdict:
    output = (
        f"Already waiting for the operator's approval as #{request.id}."
        if again
        else f"Request #{request.id} is waiting for the operator's approval."
    )
    return CallVerdict(
        "pending",
        output,
        f"Tool request #{request.id} ({request.tool_name}) is waiting for approval: "
        f"{request.summary}",
        request.id,
    )


INTERRUPTED = (
    "Interrupted while it ran: it may have partly run, and it is not run again unless the "
    "operator asks for it again."
)


def settled(request: approvals.ApprovalRequest) -> CallVerdict | None:
    """The verdict a stored request already has, or None if it is approved and still to run."""
    result = (
        request.output or request.result_summary or f"Request #{request.id} is {request.status}."
    )
    if request.status == "pending":
        return _pending(request)
    if request.status == "rejected":
        reason = f" Reason: {request.status_note}" if request.status_note else ""
        text = f"The operator rejected this call (request #{request.id}); it was not run.{reason}"
        return CallVerdict("rejected", text, f"Request #{request.id} rejected.{reason}", request.id)
    if request.claimed_without_result:
        return CallVerdict("interrupted", INTERRUPTED, f"#{request.id}: {INTERRUPTED}", request.id)
    kinds: dict[approvals.ApprovalStatus, CallKind] = {
        "executed": "ran",
        "blocked": "blocked",
        "failed": "failed",
    }
    if request.status in kinds:
        summary = request.result_summary or result
        return CallVerdict(kinds[request.status], result, summary, request.id)
    return None


def resume_call(
    app: Praxis,
    conn: sqlite3.Connection,
    request: approvals.ApprovalRequest,
    run_key: str | None,
    goal_id: str | None,
) -> CallVerdict:
    """A parked or interrupted call's verdict now: decided and run if the operator approved it."""
    known = settled(request)
    if known is not None:
        return known
    return execute_approved(app, conn, request.id, run_key, goal_id)


def execute_approved(
    app: Praxis,
    conn: sqlite3.Connection,
    request_id: int,
    run_key: str | None,
    goal_id: str | None,
) -> CallVerdict:
    """An operator-approved request: re-checked against policy, run at most once. The operator
    approved it, so the loop guard neither blocks it nor counts it."""
    from praxis.tools.registry import resolve_tool

    now = clock.now_text()
    request = approvals.get_request(conn, request_id)
    if request.status in approvals.TERMINAL and request.session_run_key == run_key:
        # This session already ran it and was interrupted before its checkpoint: report it.
        known = settled(request)
        assert known is not None
        return known
    if request.status != "approved" or request.execution_started_at is not None:
        return CallVerdict(
            "refused",
            "",
            f"Request #{request_id} is {request.status}; nothing executed.",
            request_id,
        )
    tool = resolve_tool(app, request.tool_name)
    if tool is None:
        approvals.claim(conn, request_id, now, run_key)
        message = (
            f"tool {request.tool_name} is no longer registered (its manifest was removed), "
            "so nothing was run"
        )
        approvals.finish(conn, request_id, "failed", message, now)
        return CallVerdict("failed", message, message, request_id)
    payload = dict(request.payload or {})
    if tool.kind == "data-write" and not payload:
        approvals.claim(conn, request_id, now, run_key)
        message = (
            "Legacy approved request had no structured payload, so Praxis kept this run safe and "
            "skipped the file mutation."
        )
        approvals.finish(conn, request_id, "executed", message, now)
        return CallVerdict("ran", message, message, request_id)
    try:
        precheck(app, tool, payload, request_id)
    except PolicyViolation as refused:
        approvals.claim(conn, request_id, now, run_key)
        approvals.finish(conn, request_id, "failed", refused.message, now)
        return CallVerdict(
            "failed",
            refused.message,
            f"Request #{request_id} failed policy: {refused.message}",
            request_id,
        )
    if approvals.claim(conn, request_id, clock.now_text(), run_key) is None:
        return CallVerdict(
            "refused",
            "",
            f"Request #{request_id} was already claimed; nothing executed.",
            request_id,
        )
    if tool.kind == "manifest":
        message = no_adapter_result(tool, len(request.write_paths))
        approvals.finish(conn, request_id, "executed", message, clock.now_text())
        return CallVerdict("ran", message, message, request_id)
    return _run_claimed(app, conn, tool, payload, request_id, run_key, goal_id)


def no_adapter_result(tool: ToolDef, declared_paths: int) -> str:
    """The reference's safe execution of a registered tool that has no execution adapter."""
    if tool.name == "internal-maintenance":
        return "Internal maintenance completed without external side effects."
    rehearsal = "Rehearsal required; " if tool.manifest and tool.manifest.rehearsal_required else ""
    return (
        f"{rehearsal}No execution adapter is installed for this tool yet. Stub execution recorded "
        f"for approved tool {tool.name} with {declared_paths} declared write paths. No external "
        "side effects were performed."
    )


def _run_claimed(
    app: Praxis,
    conn: sqlite3.Connection,
    tool: ToolDef,
    payload: Mapping[str, Any],
    request_id: int,
    run_key: str | None,
    goal_id: str | None,
) -> CallVerdict:
    crash_point("tool:claimed")  # durability tests: killed after the claim, before the result
    try:
        ok, output, summary = run_tool(app, conn, tool, payload, run_key, goal_id)
    except PraxisError as failure:
        approvals.finish(conn, request_id, "failed", failure.message, clock.now_text())
        return CallVerdict("failed", f"error: {failure.message}", failure.message, request_id)
    except (OSError, ValueError, sqlite3.Error) as crash:
        # What a tool's I/O can raise; any other exception is a bug in Praxis and propagates to
        # the error boundary (crash log), and the claimed row is failed as interrupted next run.
        message = f"{tool.name} crashed: {type(crash).__name__}: {crash}"
        approvals.finish(conn, request_id, "failed", message, clock.now_text())
        return CallVerdict("failed", f"error: {message}", message, request_id)
    output = approvals.bounded_output(output)
    status: approvals.Finished = "executed" if ok else "failed"
    approvals.finish(conn, request_id, status, summary, clock.now_text(), output)
    return CallVerdict("ran" if ok else "failed", output, summary, request_id)
