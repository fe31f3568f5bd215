"""CAPABILITIES.md: generated from the tool registry and request history (reference §8.7)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from praxis.files import atomic_write_text
from praxis.paths import DataDir
from praxis.tools.manifest import Manifest, load_registry

HEADER = (
    "# Capabilities\n\n"
    "Generated automatically from the current tool registry and request history.\n\n"
    "## Tools"
)


def render_capabilities(manifests: Sequence[Manifest], conn: sqlite3.Connection) -> str:
    blocks = [HEADER]
    for manifest in manifests:
        blocks.append(_tool_block(manifest, conn))
    return "\n".join(blocks)


def _tool_block(manifest: Manifest, conn: sqlite3.Connection) -> str:
    from praxis.tools.approvals import counts_by_status, recent_for_tool

    counts = counts_by_status(conn, manifest.name)
    if counts:
        reliability = " ".join(
            f"{status}={counts.get(status, 0)}"
            for status in ("executed", "approved", "pending", "rejected")
        )
    else:
        reliability = "no request history yet"
    recent = recent_for_tool(conn, manifest.name, 3)
    rejected = recent_for_tool(conn, manifest.name, 3, "rejected")
    lines = [
        "",
        f"### {manifest.name}",
        f"- Description: {manifest.description}",
        f"- Kind: {manifest.kind}",
        f"- Required level: {manifest.required_level}",
        f"- Approval: {'required' if manifest.requires_approval else 'not required'}",
        f"- Rehearsal: {'required' if manifest.rehearsal_required else 'not required'}",
        f"- Allowed paths: {', '.join(manifest.allowed_paths) if manifest.allowed_paths else 'none'}",
        f"- Reliability: {reliability}",
        "- Recent examples:",
    ]
    if recent:
        lines += [f"  - [{r.status} @ {r.updated_at}] {r.summary}" for r in recent]
    else:
        lines.append("  - No requests recorded yet.")
    lines.append("- Failure modes:")
    if rejected:
        for request in rejected:
            note = f" ({request.status_note})" if request.status_note else ""
            lines.append(f"  - Rejected request: {request.summary}{note}")
    else:
        lines.append("  - No rejected requests recorded yet.")
    return "\n".join(lines)


KEEP_MARKER = (
    "<!-- Generated above. Text below this line is kept when Praxis regenerates the file. -->"
)


def merge_capabilities(existing: str, generated: str) -> str:
    """The generated block, followed by whatever was appended below the marker (never clobbered)."""
    tail = ""
    if KEEP_MARKER in existing:
        tail = existing.split(KEEP_MARKER, 1)[1].strip("\n")
    merged = f"{generated}\n\n{KEEP_MARKER}\n"
    return merged + (tail + "\n" if tail else "")


def write_capabilities(data_dir: DataDir, conn: sqlite3.Connection) -> bool:
    """Regenerate CAPABILITIES.md in place. True when its content changed."""
    path = data_dir.capabilities_md
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    merged = merge_capabilities(
        existing, render_capabilities(load_registry(data_dir.tools_dir), conn)
    )
    if merged == existing:
        return False
    atomic_write_text(path, merged)
    return True
