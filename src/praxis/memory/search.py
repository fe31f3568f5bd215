"""Search hot and cold memory: FTS5 BM25 (reference §7.2) plus importance, recency and flags.

score = importance (hot) | weight (cold)
        + relevance    |bm25| / (1 + |bm25|), in [0, 1): a better match scores higher
        + recency      RECENCY_WEIGHT × ½^(age days / RECENCY_HALF_LIFE_DAYS)
        − FLAG_PENALTY when the memory is flagged (failed review/eval, truncated reply)

Each tier takes its best `CANDIDATES` matches by BM25 among its newest `WINDOW` matches (so a
word that is in most memories costs the same at any size), then scores those. Every query token
is double-quoted, so no input is ever FTS syntax; stop words ("the", "and", …) are left out when
other words remain; all words must match (AND), and when none does, any word may (OR).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from praxis.memory.store import Memory, get_many
from praxis.memory.text import QUERY_STOPWORDS, fts_query, query_tokens
from praxis.text import one_line

CANDIDATES = 40
WINDOW = 500  # matches ranked per tier: the newest ones (see `_best_matches`)
RECENCY_WEIGHT = 0.2
RECENCY_HALF_LIFE_DAYS = 30.0
FLAG_PENALTY = 0.5
RENDERED_MEMORY_CHARS = 400
RECENT_PER_TIER = 3


@dataclass(frozen=True)
class MemoryHit:
    id: int
    tier: str  # hot | cold
    text: str
    tags: tuple[str, ...]
    score: float
    created_at: str = ""
    flags: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.tier}-{self.id}"


def search(
    conn: sqlite3.Connection,
    query: str,
    now: datetime,
    limit: int = 6,
    tiers: tuple[str, ...] = ("hot", "cold"),
) -> list[MemoryHit]:
    tokens = query_tokens(query)
    meaningful = [t for t in tokens if t.lower() not in QUERY_STOPWORDS]
    tokens = meaningful or tokens
    hits = _matching(conn, tokens, "AND", now, limit, tiers)
    if not hits and len(tokens) > 1:
        hits = _matching(conn, tokens, "OR", now, limit, tiers)
    return hits


def _matching(
    conn: sqlite3.Connection,
    tokens: list[str],
    mode: str,
    now: datetime,
    limit: int,
    tiers: tuple[str, ...],
) -> list[MemoryHit]:
    match = fts_query(tokens, mode)
    if match is None:
        return []
    hits: list[MemoryHit] = []
    for tier in tiers:
        ranks = _best_matches(conn, "hot_fts" if tier == "hot" else "cold_fts", match, limit)
        for memory in get_many(conn, tier, list(ranks)).values():
            relevance = abs(ranks[memory.id]) / (1.0 + abs(ranks[memory.id]))
            hits.append(_hit(memory, memory.strength + relevance + _recency(memory, now)))
    hits.sort(key=lambda h: (-h.score, h.tier, -h.id))
    return hits[:limit]


def _best_matches(conn: sqlite3.Connection, fts: str, match: str, limit: int) -> dict[int, float]:
    """rowid -> BM25 of the best matches among the newest WINDOW matching rows: a word found in
    most memories would otherwise cost a BM25 over all of them (SQLite scores every match)."""
    newest = conn.execute(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?",
        (match, WINDOW),
    ).fetchall()
    if not newest:
        return {}
    scored = conn.execute(
        f"SELECT rowid, bm25({fts}) FROM {fts} WHERE {fts} MATCH ? AND rowid >= ?",
        (match, newest[-1][0]),
    ).fetchall()
    scored.sort(key=lambda row: (row[1], -row[0]))  # bm25: more negative is a better match
    return {int(row[0]): float(row[1]) for row in scored[: max(CANDIDATES, limit)]}


def recent(conn: sqlite3.Connection, per_tier: int = RECENT_PER_TIER) -> list[MemoryHit]:
    """When nothing matched: the newest hot memories and the heaviest cold ones, unflagged
    first (reference §7.2)."""
    from praxis.memory.store import list_memories

    found: list[MemoryHit] = []
    for tier in ("hot", "cold"):
        memories = list_memories(conn, tier, per_tier * 4)
        memories.sort(key=lambda m: bool(m.flags))  # stable: keeps newest / heaviest order
        found += [_hit(m, m.strength) for m in memories[:per_tier]]
    return found


def _hit(memory: Memory, score: float) -> MemoryHit:
    if memory.flags:
        score -= FLAG_PENALTY
    return MemoryHit(
        memory.id,
        memory.tier,
        memory.content,
        memory.tags,
        round(score, 6),
        memory.created_at,
        memory.flags,
    )


def _recency(memory: Memory, now: datetime) -> float:
    stamp = memory.last_reinforced or memory.created_at
    try:
        then = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if then.tzinfo is None:
        return 0.0
    age_days = max(0.0, (now - then).total_seconds() / 86_400)
    return float(RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS))


def render(hit: MemoryHit) -> str:
    """One context line: `- text [tags]` (+ the flags), bounded."""
    suffix = f" [{', '.join(hit.tags)}]" if hit.tags else ""
    if hit.flags:
        suffix += f" (flagged: {', '.join(hit.flags)})"
    return f"- {one_line(hit.text, RENDERED_MEMORY_CHARS)}{suffix}"
