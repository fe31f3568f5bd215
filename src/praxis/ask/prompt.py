"""The request `ask` sends: fixed instructions, a compact identity + boundaries preamble, the prompt.

Kept small on purpose (SPEC §5: `ask "hi"` ≤ 1,000 tokens): no memories, goals or journal.
"""

from __future__ import annotations

from typing import NamedTuple

from praxis.config.settings import InstanceSettings
from praxis.paths import DataDir
from praxis.providers.base import CompletionRequest, Message
from praxis.text import clip

ASK_MAX_OUTPUT_TOKENS = 220
BOUNDARY_PLACEHOLDER = "No hard limits recorded yet."
# Caps keep a hand-grown IDENTITY.md from inflating every ask.
MAX_FIELD_CHARS = 240
MAX_BOUNDARIES = 20

ASK_SYSTEM = (
    "You are the operator's personal AI agent, answering one stateless question. "
    "Answer briefly and directly. You have not run tools, changed files or state, or done "
    "anything in the background or outside this reply, and must never claim you did. "
    "Stay within the operator's boundaries."
)


class Identity(NamedTuple):
    name: str
    timezone: str
    role: str | None
    boundaries: tuple[str, ...]


def read_identity(data_dir: DataDir, instance: InstanceSettings) -> Identity:
    """Name, Timezone, Role and boundaries from IDENTITY.md; praxis.toml fills missing fields."""
    try:
        text = data_dir.identity_md.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return parse_identity(text, instance.name, instance.timezone)


def parse_identity(text: str, default_name: str, default_timezone: str) -> Identity:
    fields: dict[str, str] = {}
    boundaries: list[str] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if not line.startswith("- "):
            continue
        item = line[2:].strip()
        if section == "boundaries":
            if item and item != BOUNDARY_PLACEHOLDER:
                boundaries.append(clip(item, MAX_FIELD_CHARS))
        elif section == "":
            key, sep, value = item.partition(":")
            if sep and key.strip().lower() in ("name", "timezone", "role") and value.strip():
                fields.setdefault(key.strip().lower(), clip(value.strip(), MAX_FIELD_CHARS))
    return Identity(
        name=fields.get("name", default_name),
        timezone=fields.get("timezone", default_timezone),
        role=fields.get("role"),
        boundaries=tuple(boundaries),
    )


def render_preamble(identity: Identity) -> str:
    lines = ["Identity:", f"- Name: {identity.name}", f"- Timezone: {identity.timezone}"]
    if identity.role:
        lines.append(f"- Role: {identity.role}")
    shown = identity.boundaries[:MAX_BOUNDARIES]
    if shown:
        lines.append("Boundaries (hard limits):")
        lines.extend(f"- {rule}" for rule in shown)
        hidden = len(identity.boundaries) - len(shown)
        if hidden:
            lines.append(f"- ({hidden} more in IDENTITY.md not shown)")
    else:
        lines.append("Boundaries: none recorded")
    return "\n".join(lines)


def build_ask_request(prompt: str, identity: Identity) -> CompletionRequest:
    """`prompt` is the operator's full prompt, attachments included."""
    return CompletionRequest(
        phase="ask",
        system=ASK_SYSTEM,
        context=render_preamble(identity),
        messages=(Message("user", f"Operator question or one-shot request:\n{prompt}"),),
        max_output_tokens=ASK_MAX_OUTPUT_TOKENS,
        subject={"prompt": prompt},
    )
