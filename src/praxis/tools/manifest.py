"""Tool manifests (`tools/<slug>.toml`) and the registry built from them."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from praxis.config.reader import TableReader
from praxis.config.toml_source import read_toml
from praxis.errors import ConfigError

KINDS = ("internal", "shell", "http", "mcp")


class Manifest(NamedTuple):
    name: str
    description: str
    kind: str
    required_level: int
    requires_approval: bool = False
    rehearsal_required: bool = False
    allowed_paths: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def summary_line(self) -> str:
        approval = "approval required" if self.requires_approval else "no approval"
        return (
            f"{self.name} [{self.kind}] level {self.required_level}, {approval}: {self.description}"
        )


def slug(name: str) -> str:
    return "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in name)


SEED_MANIFESTS = {
    "internal-maintenance.toml": """name = "internal-maintenance"
description = "Safe internal bookkeeping with no external side effects."
kind = "internal"
required_level = 1
requires_approval = false
rehearsal_required = false
allowed_paths = []
""",
    "praxis-data-write.toml": """name = "praxis-data-write"
description = "Controlled writes inside the Praxis data directory."
kind = "shell"
required_level = 2
requires_approval = true
rehearsal_required = true
allowed_paths = ["JOURNAL.md", "LEARNINGS.md", "AGENTS.md", "METRICS.md", "PROPOSALS.md"]
""",
}


def load_manifest(path: Path) -> Manifest:
    source = read_toml(path)
    assert source is not None
    table = TableReader(source, "", source.data)
    name = table.string("name", "")
    if not name.strip():
        raise table.fail("name", "tool name must not be empty", 'add name = "..."')
    description = read_description(table, name)
    kind = table.string("kind", "internal")
    if kind == "mcp":
        from praxis.tools.mcp_manifest import load_mcp_server

        return load_mcp_server(path).as_manifest()
    if kind not in KINDS:
        raise table.fail(
            "kind", f"tool {name} kind must be one of {', '.join(KINDS)}", 'set kind = "internal"'
        )
    level = read_required_level(table, name, 1)
    allowed = read_nonblank_list(table, "allowed_paths", f"tool {name}")
    return Manifest(
        name=name,
        description=description,
        kind=kind,
        required_level=level,
        requires_approval=table.boolean("requires_approval", False),
        rehearsal_required=table.boolean("rehearsal_required", False),
        allowed_paths=allowed,
        path=path,
    )


# What every manifest has, plain or MCP, read the same way with the same errors.


def read_description(table: TableReader, name: str) -> str:
    description = table.string("description", "")
    if not description.strip():
        raise table.fail(
            "description", f"tool {name} must include a description", 'add description = "..."'
        )
    return description


def read_required_level(table: TableReader, name: str, default: int) -> int:
    level = table.integer("required_level", default)
    if not 1 <= level <= 4:
        raise table.fail(
            "required_level", f"tool {name} required_level must be between 1 and 4", "use 1..4"
        )
    return level


def read_nonblank_list(table: TableReader, key: str, owner: str) -> tuple[str, ...]:
    """`key`'s list of strings, none of them blank (`owner` names the manifest, e.g. `tool x`)."""
    values = table.string_list(key)
    if any(not value.strip() for value in values):
        raise table.fail(key, f"{owner} {key} must not contain blanks", "remove empty entries")
    return tuple(values)


def load_registry(tools_dir: Path) -> list[Manifest]:
    """Every `*.toml` manifest in `tools/`, sorted by name; duplicate names are an error."""
    if not tools_dir.is_dir():
        return []
    manifests: dict[str, Manifest] = {}
    for path in sorted(tools_dir.glob("*.toml")):
        manifest = load_manifest(path)
        if manifest.name in manifests:
            raise ConfigError(
                f"duplicate tool manifest {manifest.name}",
                f"remove one of {manifests[manifest.name].path} and {path}",
                path=str(path),
            )
        manifests[manifest.name] = manifest
    return [manifests[name] for name in sorted(manifests)]
