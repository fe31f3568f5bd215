"""MCP server manifests: `tools/<server>.toml` with `kind = "mcp"` and a `command` argv list.

Cheap to import (stdlib + config readers only): `status` loads the registry, which parses these.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from praxis.config.reader import TableReader
from praxis.config.toml_source import TomlSource, read_toml
from praxis.tools.manifest import (
    Manifest,
    read_description,
    read_nonblank_list,
    read_required_level,
)

DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_TIMEOUT_SECONDS = 3600.0
DEFAULT_REQUIRED_LEVEL = 2  # an MCP server is outside code with outside effects

# No "." (qualified names are "server.tool"), a leading letter (some vendors require one) and
# short enough for "server__tool" to fit 64.
_SERVER_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
_ENV_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Praxis's own secrets never go to a tool server, even when a manifest asks for them.
_FORBIDDEN_ENV = frozenset(
    {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "PRAXIS_TELEGRAM_BOT_TOKEN", "PRAXIS_DASHBOARD_TOKEN"}
)
# Unknown keys are refused: a misspelt `allowed_tools` would silently allow every tool.
_KEYS = frozenset(
    {
        "name",
        "description",
        "kind",
        "required_level",
        "requires_approval",
        "rehearsal_required",
        "command",
        "env",
        "timeout_seconds",
        "allowed_tools",
    }
)


class McpServerSpec(NamedTuple):
    name: str
    description: str
    command: tuple[str, ...]
    required_level: int = DEFAULT_REQUIRED_LEVEL
    requires_approval: bool = True
    rehearsal_required: bool = False
    env: tuple[tuple[str, str], ...] = ()
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    allowed_tools: tuple[str, ...] | None = None  # None: every tool the server lists
    path: Path | None = None

    def allows(self, tool: str) -> bool:
        return self.allowed_tools is None or tool in self.allowed_tools

    def as_manifest(self) -> Manifest:
        """The registry entry for this server (its tools are `name.<tool>`)."""
        return Manifest(
            name=self.name,
            description=self.description,
            kind="mcp",
            required_level=self.required_level,
            requires_approval=self.requires_approval,
            rehearsal_required=self.rehearsal_required,
            path=self.path,
        )


def load_mcp_server(path: Path) -> McpServerSpec:
    """Parse and validate one MCP manifest file; errors name the file and line."""
    source = read_toml(path)
    assert source is not None
    return mcp_server_from_source(source)


def mcp_server_from_source(source: TomlSource) -> McpServerSpec:
    table = TableReader(source, "", source.data)
    for key in source.data:
        if key not in _KEYS:
            raise table.fail(
                key,
                f"unknown key {key} in an MCP manifest",
                f"use one of: {', '.join(sorted(_KEYS))}",
            )
    name = table.string("name", "")
    if not _SERVER_NAME_RE.fullmatch(name):
        raise table.fail(
            "name",
            f"MCP server name {name!r} must be a letter then up to 31 letters, digits, '_' or '-'",
            'write e.g. name = "time"',
        )
    if table.string("kind", "mcp") != "mcp":
        raise table.fail("kind", f"tool {name} is not an MCP manifest", 'set kind = "mcp"')
    description = read_description(table, name)
    level = read_required_level(table, name, DEFAULT_REQUIRED_LEVEL)
    return McpServerSpec(
        name=name,
        description=description,
        command=_command(table, name),
        required_level=level,
        requires_approval=table.boolean("requires_approval", True),
        rehearsal_required=table.boolean("rehearsal_required", False),
        env=_env(table, name),
        timeout_seconds=_timeout(table, name),
        allowed_tools=_allowed_tools(table, name),
        path=source.path,
    )


def _command(table: TableReader, name: str) -> tuple[str, ...]:
    hint = 'write command = ["program", "arg", ...] (an argv list, no shell string)'
    value = table.values.get("command")
    if value is None:
        raise table.fail("command", f"MCP server {name} needs a command", hint)
    if not isinstance(value, list) or not all(isinstance(part, str) for part in value):
        raise table.fail("command", f"MCP server {name} command must be a list of strings", hint)
    if not value or not value[0].strip():
        raise table.fail("command", f"MCP server {name} command must name a program", hint)
    if any("\0" in part for part in value):
        raise table.fail("command", f"MCP server {name} command contains a NUL byte", hint)
    return tuple(value)


def _env(table: TableReader, name: str) -> tuple[tuple[str, str], ...]:
    value = table.values.get("env", {})
    hint = 'write env = { NAME = "value" } (string values)'
    if not isinstance(value, dict):
        raise table.fail("env", f"MCP server {name} env must be a table", hint)
    pairs: list[tuple[str, str]] = []
    for key, item in sorted(value.items()):
        if not _ENV_NAME_RE.fullmatch(key) or not isinstance(item, str) or "\0" in item:
            raise table.fail("env", f'MCP server {name} env {key} is not NAME = "string"', hint)
        if key in _FORBIDDEN_ENV:
            raise table.fail(
                "env",
                f"MCP server {name} env must not pass {key} to a tool server",
                f"remove {key} from env",
            )
        pairs.append((key, item))
    return tuple(pairs)


def _timeout(table: TableReader, name: str) -> float:
    seconds = table.number("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise table.fail(
            "timeout_seconds",
            f"MCP server {name} timeout_seconds must be above 0 and at most {MAX_TIMEOUT_SECONDS:g}",
            "write e.g. timeout_seconds = 30",
        )
    return seconds


def _allowed_tools(table: TableReader, name: str) -> tuple[str, ...] | None:
    if not table.has("allowed_tools"):
        return None
    return read_nonblank_list(table, "allowed_tools", f"MCP server {name}")
