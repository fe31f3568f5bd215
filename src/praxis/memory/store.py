"""Hot and cold memory rows and their FTS5 index: insert (redacted, deduplicated by content
hash), read, forget. No commits: callers own the transaction (see `service.MemoryService`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from praxis.memory.text import content_hash

__all__ = ["Memory", "add_cold_memory", "add_hot_memory", "content_hash", "get_memory"]


@dataclass(frozen=True)
class Memory:
    tier: str  # hot | cold
    id: int
    content: str
    tags: tuple[str, ...]
    flags: tuple[str, ...]
    created_at: str
    strength: float  # importance (hot) or weight (cold)
    summary: str | None = None
    origin: str | None = None
    session_id: int | None = None
    last_reinforced: str | None = None
    access_count: int = 0
    source_ids: tuple[int, ...] = ()
    contradicts: tuple[int, ...] = ()
    last_decayed: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.tier}-{self.id}"


def json_list(raw: object) -> list[object]:
    try:
        value = json.loads(str(raw or "[]"))
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def add_hot_memory(
    conn: sqlite3.Connection,
    content: str,
    summary: str | None,
    tags: Sequence[str],
    importance: float,
    now: str,
    *,
    flags: Sequence[str] = (),
    origin: str = "session",
    session_id: int | None = None,
) -> tuple[int, bool]:
    """Insert a hot memory unless the same content exists. Returns (id, created). No commit.

    Text is redacted first (table and FTS index alike); the hash is of what is stored."""
    from praxis.redact import redact

    content = redact(content)
    summary = redact(summary) if summary is not None else None
    tags = [redact(t) for t in tags]
    digest = content_hash(content)
    row = conn.execute("SELECT id FROM hot_memories WHERE content_hash = ?", (digest,)).fetchone()
    if row is not None:
        return int(row[0]), False
    cursor = conn.execute(
        "INSERT INTO hot_memories(content, summary, importance, tags, created_at, last_accessed, "
        "content_hash, flags, origin, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            content,
            summary,
            importance,
            dumps(list(tags)),
            now,
            now,
            digest,
            dumps(list(flags)),
            origin,
            session_id,
        ),
    )
    memory_id = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO hot_fts(rowid, content, summary, tags) VALUES (?, ?, ?, ?)",
        (memory_id, content, summary or "", " ".join(tags)),
    )
    return memory_id, True


def add_cold_memory(
    conn: sqlite3.Connection,
    content: str,
    weight: float,
    tags: Sequence[str],
    source_ids: Sequence[int],
    created_at: str,
    last_reinforced: str,
    *,
    flags: Sequence[str] = (),
) -> int:
    """Insert a cold memory and its FTS row (text redacted). No commit."""
    from praxis.redact import redact

    content = redact(content)
    tags = [redact(t) for t in tags]
    cursor = conn.execute(
        "INSERT INTO cold_memories(content, weight, tags, source_ids, contradicts, created_at, "
        "last_reinforced, content_hash, flags) VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?)",
        (
            content,
            weight,
            dumps(list(tags)),
            dumps(list(source_ids)),
            created_at,
            last_reinforced,
            content_hash(content),
            dumps(list(flags)),
        ),
    )
    memory_id = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO cold_fts(rowid, content, tags) VALUES (?, ?, ?)",
        (memory_id, content, " ".join(tags)),
    )
    return memory_id


def set_cold_tags(conn: sqlite3.Connection, memory_id: int, content: str, tags: list[str]) -> None:
    conn.execute("UPDATE cold_memories SET tags = ? WHERE id = ?", (dumps(tags), memory_id))
    conn.execute("DELETE FROM cold_fts WHERE rowid = ?", (memory_id,))
    conn.execute(
        "INSERT INTO cold_fts(rowid, content, tags) VALUES (?, ?, ?)",
        (memory_id, content, " ".join(tags)),
    )


HOT_SELECT = (
    "SELECT id, content, summary, importance, tags, flags, created_at, origin, session_id, "
    "last_reinforced, access_count FROM hot_memories"
)
_COLD_SELECT = (
    "SELECT id, content, weight, tags, flags, created_at, source_ids, contradicts, "
    "last_reinforced, last_decayed FROM cold_memories"
)


def json_texts(raw: object) -> tuple[str, ...]:
    """A JSON list column (tags, flags) as strings."""
    return tuple(str(t) for t in json_list(raw))


def json_ids(raw: object) -> tuple[int, ...]:
    """A JSON list column of memory ids (source_ids, contradicts); anything else is dropped."""
    return tuple(int(i) for i in json_list(raw) if isinstance(i, int))


def _shared_fields(row: sqlite3.Row) -> tuple[int, str, tuple[str, ...], tuple[str, ...], str]:
    """What a hot and a cold row have alike: id, content, tags, flags, created_at."""
    return (
        int(row["id"]),
        str(row["content"]),
        json_texts(row["tags"]),
        json_texts(row["flags"]),
        str(row["created_at"]),
    )


def hot_from_row(row: sqlite3.Row) -> Memory:
    """A hot memory from a row of `HOT_SELECT`."""
    return Memory(
        "hot",
        *_shared_fields(row),
        float(row["importance"]),
        summary=row["summary"],
        origin=row["origin"],
        session_id=row["session_id"],
        last_reinforced=row["last_reinforced"],
        access_count=int(row["access_count"] or 0),
    )


def cold_from_row(row: sqlite3.Row) -> Memory:
    """A cold memory from a row of `_COLD_SELECT`."""
    return Memory(
        "cold",
        *_shared_fields(row),
        float(row["weight"]),
        source_ids=json_ids(row["source_ids"]),
        contradicts=json_ids(row["contradicts"]),
        last_reinforced=row["last_reinforced"],
        last_decayed=row["last_decayed"],
    )


class _Table(NamedTuple):
    """How a tier's rows are read."""

    select: str
    from_row: Callable[[sqlite3.Row], Memory]
    listed_by: str  # the order of `memory list`


_TABLES = {
    "hot": _Table(HOT_SELECT, hot_from_row, "created_at DESC, id DESC"),  # newest first
    "cold": _Table(_COLD_SELECT, cold_from_row, "weight DESC, id DESC"),  # heaviest first
}


def get_memory(conn: sqlite3.Connection, tier: str, memory_id: int) -> Memory | None:
    return get_many(conn, tier, [memory_id]).get(memory_id)


def get_many(conn: sqlite3.Connection, tier: str, ids: Sequence[int]) -> dict[int, Memory]:
    if not ids:
        return {}
    table = _TABLES[tier]
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"{table.select} WHERE id IN ({marks})", tuple(ids))
    return {m.id: m for m in map(table.from_row, rows)}


def list_memories(conn: sqlite3.Connection, tier: str, limit: int) -> list[Memory]:
    """Newest hot memories, or the heaviest cold ones."""
    table = _TABLES[tier]
    rows = conn.execute(f"{table.select} ORDER BY {table.listed_by} LIMIT ?", (limit,))
    return [table.from_row(r) for r in rows]


def delete_memory(conn: sqlite3.Connection, tier: str, memory_id: int) -> bool:
    """Remove a memory and its FTS row. True if it existed."""
    table, fts = ("hot_memories", "hot_fts") if tier == "hot" else ("cold_memories", "cold_fts")
    removed = conn.execute(f"DELETE FROM {table} WHERE id = ?", (memory_id,)).rowcount
    conn.execute(f"DELETE FROM {fts} WHERE rowid = ?", (memory_id,))
    conn.execute(
        "DELETE FROM memory_retrievals WHERE tier = ? AND memory_id = ?", (tier, memory_id)
    )
    if tier == "cold" and removed:
        for row in conn.execute(
            "SELECT id, contradicts FROM cold_memories WHERE contradicts != '[]'"
        ).fetchall():
            links = json_list(row["contradicts"])
            if memory_id in links:
                kept = [i for i in links if i != memory_id]
                conn.execute(
                    "UPDATE cold_memories SET contradicts = ? WHERE id = ?",
                    (dumps(kept), row["id"]),
                )
    return removed > 0
