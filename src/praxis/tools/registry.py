"""What the model may call: praxis-data-write, the built-in tools and MCP server tools.

Manifests in tools/ describe operator tools; only those with an execution adapter are offered to
a model. Names offered to vendors use only [A-Za-z0-9_-] (MCP `server.tool` → `server__tool`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from praxis.app import Praxis
from praxis.providers.base import ToolSpec
from praxis.tools.manifest import Manifest, load_registry

DATA_WRITE = "praxis-data-write"
DATA_WRITE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "write_paths": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Files under the data dir to append to (e.g. JOURNAL.md).",
        },
        "append_text": {"type": "string", "description": "The text to append (≤ 4,096 bytes)."},
    },
    "required": ["write_paths", "append_text"],
    "additionalProperties": False,
}


class ToolDef(NamedTuple):
    name: str  # registry name: praxis-data-write, file-read, time.convert_time …
    offered_name: str
    description: str
    parameters: Mapping[str, Any]
    kind: str  # data-write | builtin | mcp | manifest (registered, no execution adapter)
    manifest: Manifest | None

    @property
    def spec(self) -> ToolSpec:
        return ToolSpec(self.offered_name, self.description, self.parameters)


def offered_tools(app: Praxis, manifests: list[Manifest] | None = None) -> list[ToolDef]:
    from praxis.tools.builtins import builtin_tools

    manifests = manifests if manifests is not None else load_registry(app.data_dir.tools_dir)
    level = app.config.settings.security_level
    tools: list[ToolDef] = []
    for manifest in manifests:
        if manifest.required_level > level:
            continue  # refused anyway; do not tempt the model with it
        if manifest.name == DATA_WRITE:
            tools.append(
                ToolDef(
                    DATA_WRITE,
                    DATA_WRITE,
                    manifest.description,
                    DATA_WRITE_SCHEMA,
                    "data-write",
                    manifest,
                )
            )
        elif manifest.kind == "mcp":
            tools.extend(_mcp_tools(app, manifest))
    for name, builtin in builtin_tools().items():
        tools.append(ToolDef(name, name, builtin.description, builtin.parameters, "builtin", None))
    return tools


def _mcp_tools(app: Praxis, manifest: Manifest) -> list[ToolDef]:
    from praxis.errors import PraxisError
    from praxis.events import emit_event
    from praxis.tools.mcp_client import list_tools
    from praxis.tools.mcp_manifest import load_mcp_server

    assert manifest.path is not None  # MCP manifests always come from a file
    try:
        spec = load_mcp_server(manifest.path)
        listed = list_tools(spec)
    except PraxisError as exc:
        emit_event(app.data_dir.events, "agent:mcp_unavailable", f"{manifest.name}: {exc.message}")
        return []
    return [
        ToolDef(
            tool.qualified_name,
            tool.offered_name,
            tool.description or tool.qualified_name,
            tool.input_schema,
            "mcp",
            manifest,
        )
        for tool in listed
    ]


def find_tool(tools: list[ToolDef], offered_name: str) -> ToolDef | None:
    return next(
        (t for t in tools if t.offered_name == offered_name or t.name == offered_name), None
    )


def resolve_tool(app: Praxis, name: str) -> ToolDef | None:
    """The tool a stored request names, without starting every MCP server to list its tools."""
    from praxis.tools.builtins import builtin_tools

    builtin = builtin_tools().get(name)
    if builtin is not None:
        return ToolDef(name, name, builtin.description, builtin.parameters, "builtin", None)
    manifests = {m.name: m for m in load_registry(app.data_dir.tools_dir)}
    if name == DATA_WRITE and DATA_WRITE in manifests:
        manifest = manifests[DATA_WRITE]
        return ToolDef(
            DATA_WRITE, DATA_WRITE, manifest.description, DATA_WRITE_SCHEMA, "data-write", manifest
        )
    server, _, tool = name.partition(".")
    server_manifest = manifests.get(server)
    if tool and server_manifest is not None and server_manifest.kind == "mcp":
        return ToolDef(name, name, server_manifest.description, {}, "mcp", server_manifest)
    registered = manifests.get(name)
    if registered is not None and registered.kind != "mcp":
        # A registered tool with no execution adapter (e.g. the seeded internal-maintenance):
        # approved requests run the reference's safe no-adapter execution.
        return ToolDef(name, name, registered.description, {}, "manifest", registered)
    return None
