"""`tools list|register|request|show|remove`, `queue`, `approve`, `reject`."""

from __future__ import annotations

from typing import Any

import click

from praxis.cli.common import app, emit, json_command, json_option
from praxis.text import one_line


@click.group()
def tools() -> None:
    """Tool manifests (tools/*.toml), built-in tools, and requests to run them."""


@json_command(tools, "list")
def tools_list(ctx: click.Context, as_json: bool) -> None:
    """Registered manifests, then the built-in tools the model may call."""
    from praxis.report import Report
    from praxis.tools.builtins import builtin_tools
    from praxis.tools.service import list_manifests

    manifests = list_manifests(app(ctx))
    report = Report()
    if not manifests:
        report.add("tools", "none")
    for m in manifests:
        report.raw(
            f"{m.name} [{m.kind}] level={m.required_level} approval={str(m.requires_approval).lower()} "
            f"rehearsal={str(m.rehearsal_required).lower()}"
        )
    builtins = builtin_tools()
    for name in sorted(builtins):
        report.raw(f"{name} [builtin] level=1 approval=per-call rehearsal=false")
    report.extra("manifests", [m._asdict() | {"path": str(m.path)} for m in manifests])
    report.extra("builtins", sorted(builtins))
    emit(report, as_json)


@tools.command("register")
@click.option("--name", required=True, help="Tool name; the manifest is tools/<name>.toml.")
@click.option("--description", required=True, help="What the tool does (shown to the model).")
@click.option("--kind", type=click.Choice(["internal", "shell", "http", "mcp"]), required=True)
@click.option(
    "--level", type=int, default=2, show_default=True, help="Required security level 1..4."
)
@click.option("--approval", is_flag=True, help="Every call needs the operator's approval.")
@click.option("--rehearsal", is_flag=True)
@click.option(
    "--allow-path", "allow_paths", multiple=True, help="A path the tool may write (repeatable)."
)
@click.option(
    "--command",
    "command",
    default=None,
    help='MCP: the server command, e.g. "python -m mcp_server_time".',
)
@click.pass_context
def tools_register(ctx: click.Context, /, command: str | None, **options: Any) -> None:
    """Write tools/<name>.toml (replacing one with the same name)."""
    import shlex

    from praxis.report import Report
    from praxis.tools.service import NewTool, register_tool

    try:
        argv = shlex.split(command) if command else []
    except ValueError as exc:  # an unbalanced quote: bad input, exit 2
        raise click.BadParameter(f"not a command line ({exc})", param_hint="'--command'") from None
    tool = NewTool(**options, command=argv)
    path = register_tool(app(ctx), tool)
    emit(Report().add("tool", "registered").add("name", tool.name).add("manifest", path))


@tools.command("request")
@click.option("--name", required=True, help="The tool (see `praxis tools list`).")
@click.option("--summary", required=True, help="One line: what this invocation is for.")
@click.option("--requested-by", default="operator", show_default=True)
@click.option(
    "--write-path", "write_paths", multiple=True, help="A file the tool writes (repeatable, ≤ 8)."
)
@click.option(
    "--append-text", default=None, help="praxis-data-write: the text to append (≤ 4,096 bytes)."
)
@click.pass_context
def tools_request(
    ctx: click.Context,
    name: str,
    summary: str,
    requested_by: str,
    write_paths: tuple[str, ...],
    append_text: str | None,
) -> None:
    """Queue a tool invocation (pending if the tool needs approval, else approved)."""
    from praxis.report import Report
    from praxis.tools.service import request_tool

    created = request_tool(
        app(ctx),
        name=name,
        summary=summary,
        requested_by=requested_by,
        write_paths=write_paths,
        append_text=append_text,
    )
    report = (
        Report().add("request", created.status).add("id", created.id).add("tool", created.tool_name)
    )
    emit(report.add("paths", ",".join(created.write_paths)))


@tools.command("show")
@click.argument("name")
@json_option
@click.pass_context
def tools_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """One manifest and its request history."""
    from praxis.report import Report
    from praxis.tools.service import find_manifest, request_counts

    praxis = app(ctx)
    m = find_manifest(praxis, name)
    counts = request_counts(praxis, name)
    report = Report().add("tool", m.name).add("description", m.description).add("kind", m.kind)
    report.add("required_level", m.required_level).add("approval", m.requires_approval)
    report.add("rehearsal", m.rehearsal_required).add(
        "allowed_paths", ", ".join(m.allowed_paths) or "none"
    )
    report.add("manifest", m.path)
    report.add(
        "requests", " ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "none", counts
    )
    emit(report, as_json)


@tools.command("remove")
@click.argument("name")
@click.pass_context
def tools_remove(ctx: click.Context, name: str) -> None:
    """Delete a tool's manifest (its request history stays)."""
    from praxis.report import Report
    from praxis.tools.service import remove_tool

    path = remove_tool(app(ctx), name)
    emit(Report().add("tool", "removed").add("name", name).add("manifest", path))


@click.group(invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Every request, not only pending ones.")
@json_option
@click.pass_context
def queue(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Approval requests (pending by default), one line each with what would run.

    `praxis queue show ID` prints one request in full, with its tool's output.
    """
    if ctx.invoked_subcommand is not None:
        return
    from praxis.report import Report
    from praxis.tools.service import list_requests

    requests = list_requests(app(ctx), show_all)
    report = Report()
    if not requests:
        report.add("queue", "empty")
    for r in requests:
        report.raw(r.queue_line())
    report.extra("requests", [r._asdict() for r in requests])
    emit(report, as_json)


@queue.command("show")
@click.argument("request_id", type=int)
@json_option
@click.pass_context
def queue_show(ctx: click.Context, request_id: int, as_json: bool) -> None:
    """One request: its tool, arguments, status, decision and the tool's output."""
    import json

    from praxis.report import Report
    from praxis.tools.service import get_request

    r = get_request(app(ctx), request_id)
    report = Report().add("id", r.id).add("status", r.status).add("tool", r.tool_name)
    report.add("requested_by", r.requested_by).add("summary", r.summary)
    report.add("paths", ",".join(r.write_paths) or "-")
    arguments = json.dumps(r.payload, sort_keys=True, ensure_ascii=False) if r.payload else "-"
    report.add("arguments", arguments, r.payload)
    report.add("created_at", r.created_at).add("updated_at", r.updated_at)
    if r.status_note:
        report.add("note", r.status_note)
    if r.result_summary:
        report.add("result", one_line(r.result_summary))
    report.add("output", "-" if r.output is None else "", r.output)
    if r.output is not None:
        for line in r.output.splitlines() or [""]:
            report.raw(f"  {line}")
    emit(report, as_json)


@tools.group("guard")
def tools_guard() -> None:
    """The loop guard that stops a model repeating the same tool calls."""


@tools_guard.command("reset")
@click.option("--tool", "tool_name", default=None, help="Only this tool's recorded calls.")
@click.pass_context
def tools_guard_reset(ctx: click.Context, tool_name: str | None) -> None:
    """Forget the model's recorded tool calls, so a blocked goal can be tried again."""
    from praxis.report import Report
    from praxis.tools.service import reset_guard

    cleared = reset_guard(app(ctx), tool_name)
    emit(Report().add("guard", "reset").add("tool", tool_name or "all").add("cleared", cleared))


def _decide(ctx: click.Context, request_id: int, note: str | None, approve: bool) -> None:
    from praxis.report import Report
    from praxis.tools.service import decide_request

    decided = decide_request(app(ctx), request_id, approve, note)
    emit(
        Report()
        .add("approval", decided.status)
        .add("id", decided.id)
        .add("tool", decided.tool_name)
    )


@click.command()
@click.argument("request_id", type=int)
@click.option("--note", default=None, help="Why (kept on the request).")
@click.pass_context
def approve(ctx: click.Context, request_id: int, note: str | None) -> None:
    """Approve a pending request: the next run executes it once and, when a session is
    waiting on it, gives the model its real output so the work continues."""
    _decide(ctx, request_id, note, True)


@click.command()
@click.argument("request_id", type=int)
@click.option("--note", "--reason", "note", default=None, help="Why; the model is told.")
@click.pass_context
def reject(ctx: click.Context, request_id: int, note: str | None) -> None:
    """Reject a pending request; a session waiting on it continues knowing it was rejected."""
    _decide(ctx, request_id, note, False)
