"""Hot and cold memories: writes deduplicated by content hash, FTS5 search (reference §7.1–7.2)."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

MAX_QUERY_TOKENS = 12


@dataclass(frozen=True)
class MemoryHit:
    id: int
    tier: str  # hot | cold
    text: str
    tags: tuple[str, ...]
    score: float


def content_hash(content: str) -> str:
    return hashlib.sha256(" ".join(content.split()).lower().encode("utf-8")).hexdigest()


def add_hot_memory(
    conn: sqlite3.Connection,
    content: str,
    summary: str | None,
    tags: Sequence[str],
    importance: float,
    now: str,
) -> tuple[int, bool]:
    """Insert a hot memory unless the same content exists. Returns (id, created). No commit."""
    digest = content_hash(content)
    row = conn.execute("SELECT id FROM hot_memories WHERE content_hash = ?", (digest,)).fetchone()
    if row is not None:
        return int(row[0]), False
    tags_json = json.dumps(list(tags))
    cursor = conn.execute(
        "INSERT INTO hot_memories(content, summary, importance, tags, created_at, last_accessed, "
        "content_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (content, summary, importance, tags_json, now, now, digest),
    )
    memory_id = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO hot_fts(rowid, content, summary, tags) VALUES (?, ?, ?, ?)",
        (memory_id, content, summary or "", " ".join(tags)),
    )
    return memory_id, True


def query_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^0-9A-Za-z]+", text) if t][:MAX_QUERY_TOKENS]


def fts_query(text: str, mode: str = "AND") -> str | None:
    tokens = query_tokens(text)
    if not tokens:
        return None
    return f" {mode} ".join(f'"{t}"' for t in tokens)


def search_memories(conn: sqlite3.Connection, query: str, limit: int = 6) -> list[MemoryHit]:
    """FTS5 BM25 across hot and cold; score = importance|weight + 1/(1+|bm25|)."""
    match = fts_query(query)
    if match is None:
        return []
    hits: list[MemoryHit] = []
    hot = conn.execute(
        "SELECT h.id, h.content AS text, h.tags, "
        "h.importance + 1.0 / (1.0 + abs(bm25(hot_fts))) AS score "
        "FROM hot_fts JOIN hot_memories h ON h.id = hot_fts.rowid "
        "WHERE hot_fts MATCH ? ORDER BY score DESC, h.id DESC LIMIT ?",
        (match, limit),
    ).fetchall()
    hits += [_hit(r, "hot") for r in hot]
    cold = conn.execute(
        "SELECT c.id, c.content AS text, c.tags, c.weight + 1.0 / (1.0 + abs(bm25(cold_fts))) AS score "
        "FROM cold_fts JOIN cold_memories c ON c.id = cold_fts.rowid "
        "WHERE cold_fts MATCH ? ORDER BY score DESC, c.id DESC LIMIT ?",
        (match, limit),
    ).fetchall()
    hits += [_hit(r, "cold") for r in cold]
    hits.sort(key=lambda h: (-h.score, h.tier, -h.id))
    return hits[:limit]


def recent_memories(conn: sqlite3.Connection, per_tier: int = 3) -> list[MemoryHit]:
    """Fallback when nothing matched: newest hot memories and heaviest cold ones."""
    hot = conn.execute(
        "SELECT id, content AS text, tags, importance AS score FROM hot_memories "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        (per_tier,),
    ).fetchall()
    cold = conn.execute(
        "SELECT id, content AS text, tags, weight AS score FROM cold_memories "
        "ORDER BY weight DESC, id DESC LIMIT ?",
        (per_tier,),
    ).fetchall()
    return [_hit(r, "hot") for r in hot] + [_hit(r, "cold") for r in cold]


def _hit(row: sqlite3.Row, tier: str) -> MemoryHit:
    try:
        tags = tuple(str(t) for t in json.loads(row["tags"] or "[]"))
    except ValueError:
        tags = ()
    return MemoryHit(int(row["id"]), tier, str(row["text"]), tags, float(row["score"]))


RENDERED_MEMORY_CHARS = 400


def render_memory(hit: MemoryHit) -> str:
    suffix = f" [{', '.join(hit.tags)}]" if hit.tags else ""
    text = " ".join(hit.text.split())
    if len(text) > RENDERED_MEMORY_CHARS:
        text = text[: RENDERED_MEMORY_CHARS - 3].rstrip() + "..."
    return f"- {text}{suffix}"


def operational_lines(conn: sqlite3.Connection, query: str) -> tuple[list[str], list[str]]:
    """do-not-repeat and open known-bug lines matching any word of the query (newest first)."""
    words = [w.lower() for w in query_tokens(query) if len(w) > 2]
    dnr_rows = conn.execute(
        "SELECT statement, severity, tags FROM do_not_repeat ORDER BY id DESC LIMIT 50"
    ).fetchall()
    bug_rows = conn.execute(
        "SELECT signature, symptoms, fix_summary, tags FROM known_bugs "
        "WHERE resolved_at IS NULL ORDER BY id DESC LIMIT 50"
    ).fetchall()

    def matches(*fields: str) -> bool:
        haystack = " ".join(fields).lower()
        return not words or any(w in haystack for w in words)

    limit = 3 if words else 2
    dnr = [
        f"- {r['statement']} [{r['severity']}]"
        for r in dnr_rows
        if matches(r["statement"], r["tags"])
    ]
    bugs = [
        f"- {r['signature']} -> {r['fix_summary']}"
        for r in bug_rows
        if matches(r["signature"], r["symptoms"], r["fix_summary"], r["tags"])
    ]
    return dnr[:limit], bugs[:limit]
