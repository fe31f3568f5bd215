"""`memory-search` and `memory-write`: the model's view of hot and cold memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from praxis.redact import redact
from praxis.text import one_line
from praxis.tools.builtins.base import (
    Arguments,
    ToolContext,
    ToolOutcome,
    builtin_tool,
    failure,
)
from praxis.tools.builtins.schema import object_schema, string_schema

if TYPE_CHECKING:
    from praxis.memory.service import MemoryService

SEARCH_DEFAULT_LIMIT = 5
SEARCH_MAX_LIMIT = 20
QUERY_MAX_CHARS = 500
TEXT_MAX_CHARS = 2000
HIT_MAX_CHARS = 400
TAG_MAX_CHARS = 40
MAX_TAGS = 8
WRITE_IMPORTANCE = 0.6

SEARCH_SCHEMA = object_schema(
    ("query",),
    query=string_schema(QUERY_MAX_CHARS, "Words to look for in stored memories."),
    limit={
        "type": "integer",
        "minimum": 1,
        "maximum": SEARCH_MAX_LIMIT,
        "description": f"Most results to return (default {SEARCH_DEFAULT_LIMIT}).",
    },
)

WRITE_SCHEMA = object_schema(
    ("text",),
    text=string_schema(TEXT_MAX_CHARS, "The fact or lesson to remember, in one or two sentences."),
    tags={
        "type": "array",
        "maxItems": MAX_TAGS,
        "items": string_schema(TAG_MAX_CHARS),
        "description": "Short labels for the memory.",
    },
)


def _service(ctx: ToolContext) -> MemoryService:
    from praxis.memory.service import MemoryService

    return MemoryService(ctx.conn, ctx.settings.memory, ctx.settings.instance.timezone)


# What the model is shown for this tool.
SEARCH_DESCRIPTION = (
    "Search Praxis's hot and cold memories (full-text, best matches first). Returns lines `- "
    "[#id tier] text`."
)


def _search(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    """The memory-search call."""
    query = str(arguments["query"])
    limit = int(arguments.get("limit", SEARCH_DEFAULT_LIMIT))
    hits = _service(ctx).search(query, ctx.now, limit)
    shown = one_line(query, 60)
    if not hits:
        return ToolOutcome(True, "No memories matched.", f'memory-search "{shown}": 0 matches')
    lines = [f"- [#{hit.id} {hit.tier}] {one_line(hit.text, HIT_MAX_CHARS)}" for hit in hits]
    summary = f'memory-search "{shown}": {len(hits)} match(es)'
    return ToolOutcome(True, "\n".join(lines), summary)


# What the model is shown for this tool.
WRITE_DESCRIPTION = (
    "Remember a short fact or lesson as a hot memory (tagged `tool`; long text is cut). "
    "Writing the same text again returns the existing memory."
)


def _write(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    """The memory-write call."""
    # A model may echo a key it saw; memories are shown back in every later context. The text
    # is model output: the service cleans it and cuts it to memory.max_chars.
    text = redact(str(arguments["text"])).strip()
    if not text:
        return failure("memory-write", "text must not be blank")
    raw_tags = arguments.get("tags")
    tags = [str(t) for t in raw_tags] if isinstance(raw_tags, list) else []
    memory_id, created = _service(ctx).add(
        text, tags, ctx.now, importance=WRITE_IMPORTANCE, origin="tool"
    )
    if created:
        return ToolOutcome(True, f"Saved memory #{memory_id}.", f"memory-write #{memory_id}")
    return ToolOutcome(
        True,
        f"Memory #{memory_id} already holds this text; nothing new was saved.",
        f"memory-write #{memory_id} (duplicate)",
    )


MEMORY_SEARCH = builtin_tool("memory-search", SEARCH_DESCRIPTION, SEARCH_SCHEMA, _search)
MEMORY_WRITE = builtin_tool("memory-write", WRITE_DESCRIPTION, WRITE_SCHEMA, _write)
