"""How MCP SDK failures become one `McpError` with a message and a hint (never a traceback)."""

from __future__ import annotations

import shlex
from typing import TextIO

from praxis.errors import McpError
from praxis.redact import redact
from praxis.tools.mcp_manifest import McpServerSpec


def sdk_available() -> bool:
    """Whether the optional `mcp` SDK is installed (without importing it)."""
    from importlib.util import find_spec

    return find_spec("mcp") is not None


def require_sdk(spec: McpServerSpec) -> None:
    if not sdk_available():
        raise McpError(
            f"MCP server {spec.name} needs the MCP SDK, which is not installed",
            "install it: pip install 'praxis-agent[mcp]'",
        )


def expected_errors() -> tuple[type[Exception], ...]:
    """What the SDK and its streams raise; anything else is a bug and propagates as-is."""
    import anyio
    from mcp.shared.exceptions import MCPError

    return (
        *(OSError, ValueError, RuntimeError, MCPError, ExceptionGroup),
        *(anyio.BrokenResourceError, anyio.ClosedResourceError, anyio.EndOfStream),
    )


def timeout_error(spec: McpServerSpec) -> McpError:
    return McpError(
        f"MCP server {spec.name} did not answer within {spec.timeout_seconds:g} s",
        f"raise timeout_seconds {where(spec)}, or run `{_command(spec)}` by hand",
    )


def translate(spec: McpServerSpec, exc: BaseException, stderr: str) -> McpError:
    """The McpError for an expected failure; re-raises `exc` when it is not one."""
    import anyio
    from mcp.shared.exceptions import MCPError

    leaf = _first_leaf(exc)
    command = _command(spec)
    said = f" (stderr: {stderr})" if stderr else ""
    by_hand = f"run `{command}` by hand to see why it stops"
    if isinstance(leaf, TimeoutError):
        return timeout_error(spec)
    if isinstance(leaf, OSError):
        return McpError(
            f"MCP server {spec.name} could not be started: {command}: {leaf.strerror or leaf}",
            f"check command {where(spec)}; is the program installed and on PATH?",
        )
    if isinstance(leaf, MCPError):
        return McpError(f"MCP server {spec.name} failed: {leaf.message}{said}", by_hand)
    if isinstance(leaf, anyio.BrokenResourceError | anyio.ClosedResourceError | anyio.EndOfStream):
        return McpError(f"MCP server {spec.name} closed the connection{said}", by_hand)
    if isinstance(leaf, ValueError | RuntimeError):
        detail = f"{type(leaf).__name__}: {leaf}"[:300]
        return McpError(
            f"MCP server {spec.name} broke the protocol: {detail}{said}",
            f"check that `{command}` is an MCP stdio server",
        )
    raise exc


def where(spec: McpServerSpec) -> str:
    return f"in {spec.path}" if spec.path else "in the server's manifest"


def stderr_tail(errlog: TextIO, spec: McpServerSpec) -> str:
    """The server's last stderr line, redacted and short."""
    errlog.flush()
    errlog.seek(0)
    lines = [line.strip() for line in errlog.read()[-4000:].splitlines() if line.strip()]
    if not lines:
        return ""
    return redact(lines[-1], _secrets(spec))[:200]


def quiet_sdk_logging() -> None:
    """The SDK logs tracebacks (e.g. a non-JSON line from a server); they never reach our output."""
    import logging

    logger = logging.getLogger("mcp")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


def _command(spec: McpServerSpec) -> str:
    return redact(shlex.join(spec.command), _secrets(spec))


def _secrets(spec: McpServerSpec) -> tuple[str, ...]:
    # The manifest's env values may be tokens meant only for that server.
    return tuple(value for _, value in spec.env)


def _first_leaf(exc: BaseException) -> BaseException:
    """The first real error inside (possibly nested) task-group exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc
