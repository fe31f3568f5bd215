"""A synchronous facade over the official `mcp` SDK's stdio client: list and call a server's tools.

Each call starts the server, runs one session and stops it again (simple, and no process is left
behind); it starts through `mcp_launch`, so that it also dies with a killed Praxis. The SDK pulls
in pydantic, starlette and more (about a second to import), so it is only imported inside the
functions that talk to a server.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO, TypeVar

from praxis import env
from praxis.errors import McpError
from praxis.tools.mcp_errors import (
    expected_errors,
    quiet_sdk_logging,
    require_sdk,
    stderr_tail,
    timeout_error,
    translate,
    where,
)
from praxis.tools.mcp_launch import Launch
from praxis.tools.mcp_manifest import McpServerSpec

if TYPE_CHECKING:
    from mcp import Client
    from mcp_types import CallToolResult

T = TypeVar("T")

__all__ = [
    "MAX_OUTPUT_BYTES",
    "McpError",
    "McpResult",
    "McpTool",
    "call_tool",
    "cap_output",
    "child_environment",
    "list_tools",
    "offered_name",
    "qualified_name",
]

MAX_OUTPUT_BYTES = 16 * 1024
MAX_OFFERED_NAME = 64
MAX_LIST_PAGES = 100  # a server whose cursor never ends cannot hang us
PASSED_ENV = ("PATH", "HOME", "LANG")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class McpTool(NamedTuple):
    server: str
    name: str
    qualified_name: str  # "server.tool": the name in the registry, approvals and logs
    offered_name: str  # "server__tool": the name models see
    description: str
    input_schema: dict[str, Any]


class McpResult(NamedTuple):
    ok: bool
    text: str


def qualified_name(server: str, tool: str) -> str:
    return f"{server}.{tool}"


def offered_name(server: str, tool: str) -> str:
    """`server__tool` in [A-Za-z0-9_-], at most 64 characters: a name every vendor accepts.

    A name that had to be changed gets a short hash of the original so two tools never collide.
    """
    import hashlib

    raw = f"{server}__{tool}"
    safe = _UNSAFE.sub("_", raw)
    if safe == raw and len(raw) <= MAX_OFFERED_NAME:
        return raw
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]
    return f"{safe[: MAX_OFFERED_NAME - len(digest) - 1]}_{digest}"


def list_tools(spec: McpServerSpec, *, cwd: Path | None = None) -> list[McpTool]:
    """The server's tools (only those in `allowed_tools`, when the manifest has that list)."""

    async def action(client: Client) -> list[McpTool]:
        tools: list[McpTool] = []
        cursor: str | None = None
        for _ in range(MAX_LIST_PAGES):
            page = await client.list_tools(cursor=cursor)
            for tool in page.tools:
                if spec.allows(tool.name):
                    tools.append(
                        McpTool(
                            server=spec.name,
                            name=tool.name,
                            qualified_name=qualified_name(spec.name, tool.name),
                            offered_name=offered_name(spec.name, tool.name),
                            description=tool.description or tool.title or "",
                            input_schema=dict(tool.input_schema),
                        )
                    )
            cursor = page.next_cursor
            if cursor is None:
                break
        return tools

    return _run(spec, action, cwd)


def call_tool(
    spec: McpServerSpec, tool_name: str, arguments: Mapping[str, Any], *, cwd: Path | None = None
) -> McpResult:
    """Call one tool; a tool-level failure (isError, a JSON-RPC error) is `ok=False`, not raised."""
    if not spec.allows(tool_name):
        raise McpError(
            f"MCP server {spec.name} does not allow tool {tool_name}",
            f"add it to allowed_tools {where(spec)}",
        )

    async def action(client: Client) -> McpResult:
        from mcp.shared.exceptions import MCPError
        from mcp_types import CONNECTION_CLOSED

        try:
            result = await client.call_tool(tool_name, dict(arguments))
        except MCPError as exc:
            if exc.code == CONNECTION_CLOSED:
                raise
            return McpResult(False, cap_output(f"MCP error {exc.code}: {exc.message}"))
        return McpResult(not result.is_error, cap_output(result_text(result)))

    return _run(spec, action, cwd)


def result_text(result: CallToolResult) -> str:
    """Text parts joined by newlines; other parts are named, not inlined."""
    import json

    parts: list[str] = []
    for block in result.content:
        if block.type == "text":
            parts.append(block.text)
        elif block.type == "resource" and hasattr(block.resource, "text"):
            parts.append(block.resource.text)
        else:
            parts.append(f"[{block.type} content omitted]")
    if not parts and result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, ensure_ascii=False, sort_keys=True))
    return "\n".join(parts)


def cap_output(text: str, limit: int = MAX_OUTPUT_BYTES) -> str:
    """At most `limit` UTF-8 bytes, saying how much was cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    note = f"\n[output truncated: {len(data)} bytes, showing the first {{kept}}]"
    kept = limit - len(note.format(kept=limit).encode("utf-8"))
    head = data[:kept].decode("utf-8", errors="ignore")
    return head + note.format(kept=len(head.encode("utf-8")))


def child_environment(spec: McpServerSpec) -> dict[str, str]:
    """PATH, HOME and LANG plus the manifest's `env`: never provider keys or bot tokens."""
    passed = {name: value for name in PASSED_ENV if (value := env.get(name))}
    return {**passed, **dict(spec.env)}


def _run(spec: McpServerSpec, action: Callable[[Client], Awaitable[T]], cwd: Path | None) -> T:
    import asyncio
    import tempfile

    import anyio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass  # no loop in this thread: the normal, synchronous case
    else:
        raise RuntimeError("mcp_client is synchronous: call it via anyio.to_thread.run_sync")
    require_sdk(spec)
    expected = expected_errors()
    quiet_sdk_logging()
    # The server's stderr goes to a private file: never to our terminal, but its last line
    # explains a server that dies on start.
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            return anyio.run(_session, spec, action, errlog, cwd)
        except TimeoutError:
            raise timeout_error(spec) from None
        except expected as exc:
            raise translate(spec, exc, stderr_tail(errlog, spec)) from exc


async def _session(
    spec: McpServerSpec, action: Callable[[Client], Awaitable[T]], errlog: TextIO, cwd: Path | None
) -> T:
    import anyio
    from mcp import Client, StdioServerParameters, stdio_client

    environment = child_environment(spec)
    launch = Launch(spec, environment, cwd)  # through praxis.child_exec: it dies with Praxis
    try:
        params = StdioServerParameters(
            command=launch.argv[0], args=launch.argv[1:], env=environment, cwd=cwd
        )
        with anyio.fail_after(spec.timeout_seconds):
            async with Client(stdio_client(params, errlog=errlog)) as client:
                launch.record()
                return await action(client)
    finally:
        launch.forget()
