"""`forensics latest|session`: a session's checkpoints and the prompts it sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from praxis.cli.common import app, emit, json_command

if TYPE_CHECKING:
    from praxis.analysis.forensics import SessionForensics
    from praxis.app import Praxis
    from praxis.report import Report


@click.group()
def forensics() -> None:
    """Inspect the checkpoints a session recorded."""


messages_option = click.option(
    "--messages",
    "with_messages",
    is_flag=True,
    help="Also print the stored act conversation (what the model was told and answered).",
)


@json_command(forensics, "latest")
@messages_option
def forensics_latest(ctx: click.Context, with_messages: bool, as_json: bool) -> None:
    """The most recent session's checkpoints."""
    from praxis.analysis.forensics import latest_session

    praxis = app(ctx)
    emit(_report(praxis, latest_session(praxis), with_messages), as_json)


@json_command(forensics, "session")
@click.option("--started-at", default=None, help="The session's start time (RFC 3339).")
@click.option("--id", "session_id", type=int, default=None, help="The session's id.")
@messages_option
def forensics_session(
    ctx: click.Context,
    started_at: str | None,
    session_id: int | None,
    with_messages: bool,
    as_json: bool,
) -> None:
    """One session's checkpoints, by --id or --started-at."""
    from praxis.analysis.forensics import session_by_id, session_by_started_at
    from praxis.errors import UsageError

    praxis = app(ctx)
    if session_id is not None:
        found = session_by_id(praxis, session_id)
    elif started_at is not None:
        found = session_by_started_at(praxis, started_at)
    else:
        raise UsageError("pass --id or --started-at", "e.g. praxis forensics session --id 3")
    emit(_report(praxis, found, with_messages), as_json)


def _report(praxis: Praxis, found: SessionForensics, with_messages: bool) -> Report:
    from praxis.report import Report

    report = Report()
    report.add("session_started_at", found.started_at)
    report.add("snapshot_count", len(found.snapshots))
    if found.session_id is not None:
        report.add("session_id", found.session_id)
    for prompt in found.prompts:
        report.raw(
            f"prompt: {prompt.get('phase')} sha256={str(prompt.get('sha256'))[:16]} "
            f"tokens={prompt.get('tokens')}"
        )
    for snap in found.snapshots:
        report.raw(
            f"- {snap.recorded_at} {snap.checkpoint} phase={snap.phase} outcome={snap.outcome}"
        )
    report.extra("snapshots", [s.__dict__ for s in found.snapshots])
    report.extra("prompts", list(found.prompts))
    if with_messages:
        _messages(praxis, found, report)
    return report


def _messages(praxis: Praxis, found: SessionForensics, report: Report) -> None:
    import json

    from praxis.analysis.forensics import session_conversation

    stored = session_conversation(praxis, found)
    report.add("messages", len(stored))
    for m in stored:
        label = f"[{m.seq}] {m.role}"
        if m.tool_call_id:
            label += f" ({m.tool_call_id}"
            label += f", request #{m.request_id})" if m.request_id is not None else ")"
        if m.stop_reason:
            label += f" stop={m.stop_reason}"
        text = "(waiting for the operator's decision)" if m.waiting else (m.content or "")
        report.raw(f"{label}:")
        for line in text.splitlines() or [""]:
            report.raw(f"    {line}")
        for call in m.tool_calls:
            arguments = json.dumps(dict(call.arguments), sort_keys=True, ensure_ascii=False)
            report.raw(f"    -> call {call.name} {arguments}")
    report.extra(
        "conversation",
        [
            {
                "seq": m.seq,
                "role": m.role,
                "content": m.content,
                "tool_calls": [
                    c._asdict() | {"arguments": dict(c.arguments)} for c in m.tool_calls
                ],
                "tool_call_id": m.tool_call_id,
                "request_id": m.request_id,
                "stop_reason": m.stop_reason,
            }
            for m in stored
        ],
    )
