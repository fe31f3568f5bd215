"""`memory-search` and `memory-write`: the model's view of hot and cold memory."""

from __future__ import annotations

from praxis.redact import redact
from praxis.tools.builtins.base import (
    Arguments,
    BuiltinTool,
    ToolContext,
    ToolOutcome,
    failure,
    guarded,
    no_approval,
    object_schema,
    one_line,
)

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
    query={
        "type": "string",
        "minLength": 1,
        "maxLength": QUERY_MAX_CHARS,
        "description": "Words to look for in stored memories.",
    },
    limit={
        "type": "integer",
        "minimum": 1,
        "maximum": SEARCH_MAX_LIMIT,
        "description": f"Most results to return (default {SEARCH_DEFAULT_LIMIT}).",
    },
)

WRITE_SCHEMA = object_schema(
    ("text",),
    text={
        "type": "string",
        "minLength": 1,
        "maxLength": TEXT_MAX_CHARS,
        "description": "The fact or lesson to remember, in one or two sentences.",
    },
    tags={
        "type": "array",
        "maxItems": MAX_TAGS,
        "items": {"type": "string", "minLength": 1, "maxLength": TAG_MAX_CHARS},
        "description": "Short labels for the memory.",
    },
)


def _search(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    from praxis.memory.store import search_memories

    query = str(arguments["query"])
    limit = int(arguments.get("limit", SEARCH_DEFAULT_LIMIT))
    hits = search_memories(ctx.conn, query, limit)
    shown = one_line(query, 60)
    if not hits:
        return ToolOutcome(True, "No memories matched.", f'memory-search "{shown}": 0 matches')
    lines = [f"- [#{hit.id} {hit.tier}] {one_line(hit.text, HIT_MAX_CHARS)}" for hit in hits]
    summary = f'memory-search "{shown}": {len(hits)} match(es)'
    return ToolOutcome(True, "\n".join(lines), summary)


def _clean_tags(raw: object) -> list[str]:
    tags: list[str] = []
    for item in raw if isinstance(raw, list) else ():
        tag = " ".join(str(item).split())
        if tag and tag not in tags and tag != "tool":
            tags.append(tag)
    return tags


def _add(ctx: ToolContext, text: str, tags: list[str]) -> tuple[int, bool]:
    """Insert in the caller's transaction, or in one of our own when there is none."""
    from praxis.memory.store import add_hot_memory

    conn = ctx.conn
    if conn.in_transaction:
        return add_hot_memory(conn, text, None, tags, WRITE_IMPORTANCE, ctx.now)
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = add_hot_memory(conn, text, None, tags, WRITE_IMPORTANCE, ctx.now)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


def _write(ctx: ToolContext, arguments: Arguments) -> ToolOutcome:
    # A model may echo a key it saw; memories are shown back in every later context.
    text = redact(str(arguments["text"])).strip()
    if not text:
        return failure("memory-write", "text must not be blank")
    tags = ["tool", *_clean_tags(arguments.get("tags"))]
    memory_id, created = _add(ctx, text, tags)
    if created:
        return ToolOutcome(True, f"Saved memory #{memory_id}.", f"memory-write #{memory_id}")
    return ToolOutcome(
        True,
        f"Memory #{memory_id} already holds this text; nothing new was saved.",
        f"memory-write #{memory_id} (duplicate)",
    )


MEMORY_SEARCH = BuiltinTool(
    name="memory-search",
    description=(
        "Search Praxis's hot and cold memories (full-text, best matches first). "
        "Returns lines `- [#id tier] text`."
    ),
    parameters=SEARCH_SCHEMA,
    requires_approval=no_approval,
    run=guarded("memory-search", SEARCH_SCHEMA, _search),
)

MEMORY_WRITE = BuiltinTool(
    name="memory-write",
    description=(
        "Remember a short fact or lesson as a hot memory (tagged `tool`). "
        "Writing the same text again returns the existing memory."
    ),
    parameters=WRITE_SCHEMA,
    requires_approval=no_approval,
    run=guarded("memory-write", WRITE_SCHEMA, _write),
)
