"""Operator-side tool actions: register, request, remove, and the manifests and requests to show
(the CLI and Telegram call these)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from praxis import clock
from praxis.app import Praxis
from praxis.errors import PraxisError, UsageError
from praxis.files import atomic_write_text
from praxis.tools import approvals
from praxis.tools.capabilities import write_capabilities
from praxis.tools.manifest import KINDS, Manifest, load_manifest, load_registry, slug
from praxis.tools.registry import DATA_WRITE


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class NewTool(NamedTuple):
    """A manifest `tools register` writes (the fields are its options)."""

    name: str
    description: str
    kind: str
    level: int
    approval: bool
    rehearsal: bool
    allow_paths: Sequence[str]
    command: Sequence[str] = ()  # mcp: the server's argv


def register_tool(app: Praxis, tool: NewTool) -> Path:
    name = tool.name
    if not name.strip():
        raise UsageError("tool name must not be empty", "pass --name")
    if not tool.description.strip():
        raise UsageError(f"tool {name} must include a description", "pass --description")
    if tool.kind not in KINDS:
        raise UsageError(f"tool kind must be one of {', '.join(KINDS)}", "pass --kind internal")
    if not 1 <= tool.level <= 4:
        raise UsageError(f"tool {name} required_level must be between 1 and 4", "pass --level 1..4")
    if any(not p.strip() for p in tool.allow_paths):
        raise UsageError(
            f"tool {name} allowed_paths must not contain blanks", "drop the empty --allow-path"
        )
    _check_name_is_free(app, name)
    mcp = tool.kind == "mcp"
    if mcp and not tool.command:
        raise UsageError(
            "an mcp tool needs --command", 'e.g. --command "python -m mcp_server_time"'
        )
    lines = [
        f"name = {_q(name)}",
        f"description = {_q(tool.description)}",
        f"kind = {_q(tool.kind)}",
        f"required_level = {tool.level}",
        # An MCP server is outside code: its calls always need approval unless the operator
        # edits the manifest afterwards.
        f"requires_approval = {str(tool.approval or mcp).lower()}",
        f"rehearsal_required = {str(tool.rehearsal).lower()}",
    ]
    if mcp:
        lines.append(f"command = [{', '.join(_q(c) for c in tool.command)}]")
    else:
        lines.append(f"allowed_paths = [{', '.join(_q(p) for p in tool.allow_paths)}]")
    path = app.data_dir.tools_dir / f"{slug(name)}.toml"
    atomic_write_text(path, "\n".join(lines) + "\n")
    try:
        load_registry(app.data_dir.tools_dir)
    except PraxisError:
        path.unlink()
        raise
    write_capabilities(app.data_dir, app.db)
    return path


RESERVED = (DATA_WRITE, "internal-maintenance")


def _check_name_is_free(app: Praxis, name: str) -> None:
    """Built-in tools and the seeded manifests cannot be replaced by `register`; two names that
    map to the same file (`a/b`, `a-b`) would silently overwrite each other."""
    from praxis.tools.builtins import builtin_tools

    if name in builtin_tools() or name in RESERVED:
        raise UsageError(
            f"tool name {name} is reserved",
            f"pick another name; to change {name}, edit its manifest in tools/ directly"
            if name in RESERVED
            else "pick another name: built-in tools cannot be replaced",
        )
    for manifest in load_registry(app.data_dir.tools_dir):
        if manifest.name != name and manifest.path is not None and manifest.path.stem == slug(name):
            raise UsageError(
                f"tool name {name} would overwrite {manifest.name} ({manifest.path.name})",
                "pick a name that differs in more than punctuation",
            )


def remove_tool(app: Praxis, name: str) -> Path:
    manifest = find_manifest(app, name)
    assert manifest.path is not None
    manifest.path.unlink()
    write_capabilities(app.data_dir, app.db)
    return manifest.path


def find_manifest(app: Praxis, name: str) -> Manifest:
    for manifest in load_registry(app.data_dir.tools_dir):
        if manifest.name == name:
            return manifest
    raise PraxisError(f"tool {name} not found", "see `praxis tools list`")


def list_manifests(app: Praxis) -> list[Manifest]:
    """The registered manifests (tools/*.toml)."""
    return load_registry(app.data_dir.tools_dir)


def request_counts(app: Praxis, name: str) -> dict[str, int]:
    """How many of a tool's requests are in each status."""
    return approvals.counts_by_status(app.db, name)


def list_requests(app: Praxis, include_all: bool) -> list[approvals.ApprovalRequest]:
    """The pending approval requests (every request with `include_all`), oldest first."""
    return approvals.list_requests(app.db, include_all)


def get_request(app: Praxis, request_id: int) -> approvals.ApprovalRequest:
    return approvals.get_request(app.db, request_id)


def request_tool(
    app: Praxis,
    *,
    name: str,
    summary: str,
    requested_by: str,
    write_paths: Sequence[str],
    append_text: str | None,
) -> approvals.ApprovalRequest:
    from praxis.tools.policy import check_request

    manifest = find_manifest(app, name)
    if not summary.strip():
        raise UsageError("request summary must not be empty", "pass --summary")
    payload = None
    if manifest.name == DATA_WRITE:
        if not write_paths:
            raise UsageError(
                f"tool {DATA_WRITE} requires at least one --write-path",
                "pass --write-path JOURNAL.md",
            )
        if append_text is None or not append_text.strip():
            raise UsageError(f"tool {name} requires --append-text", "pass --append-text TEXT")
        payload = {"write_paths": list(write_paths), "append_text": append_text.strip()}
    elif append_text is not None:
        raise UsageError(f"tool {name} does not accept --append-text", "drop --append-text")
    paths = check_request(
        manifest, list(write_paths), append_text, app.config.settings.security_level, 0
    )
    asked = approvals.NewRequest(manifest.name, summary.strip(), requested_by, paths, payload)
    status: approvals.ApprovalStatus = "pending" if manifest.requires_approval else "approved"
    created = approvals.create_request(app.db, asked, status, clock.now_text())
    write_capabilities(app.data_dir, app.db)
    return created


def decide_request(
    app: Praxis, request_id: int, approve: bool, note: str | None
) -> approvals.ApprovalRequest:
    decided = approvals.decide(app.db, request_id, approve, note, clock.now_text())
    write_capabilities(app.data_dir, app.db)
    return decided


def reset_guard(app: Praxis, tool: str | None) -> int:
    """Clear the loop guard's record (all tools, or one), with an event."""
    from praxis.events import emit_event
    from praxis.tools.guard import reset

    cleared = reset(app.db, tool)
    emit_event(
        app.data_dir.events,
        "tools:guard_reset",
        f"Loop guard reset for {tool or 'all tools'}; {cleared} recorded call(s) cleared.",
    )
    return cleared


__all__ = [
    "NewTool",
    "decide_request",
    "get_request",
    "list_manifests",
    "list_requests",
    "load_manifest",
    "register_tool",
    "remove_tool",
    "request_counts",
    "request_tool",
    "reset_guard",
]
