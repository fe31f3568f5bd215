"""Consolidation: hot memories older than `memory.hot_days`, or beyond `memory.hot_capacity`,
move to cold memory (SPEC §6).

Near-duplicates — the same normalised content hash, or subject words with a token-set
similarity of at least `memory.merge_similarity` and the same claim polarity — become ONE cold
memory: weight up, `last_reinforced` = now, every hot id in `source_ids`. A group that matches an
existing cold memory reinforces it instead. Contradictions (same subject, opposite claim
markers) are linked both ways in `contradicts`; neither overwrites the other. No commit: the
caller holds the transaction (and rolls it back for a dry run).
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from praxis.clock import format_timestamp
from praxis.memory.decay import COLD_STEP, MAX_WEIGHT
from praxis.memory.store import (
    HOT_SELECT,
    Memory,
    add_cold_memory,
    delete_memory,
    dumps,
    get_many,
    hot_from_row,
    json_ids,
    set_cold_tags,
)
from praxis.memory.text import (
    ANTONYMS,
    Claim,
    claim,
    content_hash,
    contradicts,
    near_duplicate,
    similarity,
)

if TYPE_CHECKING:
    from praxis.config.settings import MemorySettings

FLAGGED_WEIGHT = 0.5  # a cold memory made only of flagged hot memories starts lighter
MAX_TAGS = 12
CANDIDATES = 20
DF_CAP = 200


@dataclass(frozen=True)
class ConsolidationResult:
    moved: int  # hot memories that left hot memory
    by_age: int
    by_capacity: int
    created: int  # new cold memories
    merged: int  # hot memories folded into a cold memory shared with others
    reinforced: int  # existing cold memories a group merged into
    contradictions: int  # links made between contradicting cold memories
    hot_remaining: int
    cold_total: int
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """Every count above (all but `dry_run`), by name, in order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "dry_run"}


def consolidate(
    conn: sqlite3.Connection, now: datetime, settings: MemorySettings
) -> ConsolidationResult:
    """Move the hot memories past `hot_days` or `hot_capacity` to cold memory, merging those at
    least `merge_similarity` alike."""
    stamp, threshold = format_timestamp(now), settings.merge_similarity
    cutoff = format_timestamp(now - timedelta(days=settings.hot_days))
    aged = [hot_from_row(r) for r in conn.execute(f"{HOT_SELECT} WHERE created_at < ?", (cutoff,))]
    # Capacity: of the young ones left, the oldest beyond `hot_capacity` go too.
    young = int(
        conn.execute(
            "SELECT COUNT(*) FROM hot_memories WHERE created_at >= ?", (cutoff,)
        ).fetchone()[0]
    )
    overflow = [
        hot_from_row(r)
        for r in conn.execute(
            f"{HOT_SELECT} WHERE created_at >= ? ORDER BY created_at, id LIMIT ?",
            (cutoff, max(0, young - settings.hot_capacity)),
        )
    ]
    moving = sorted(aged + overflow, key=lambda m: (m.created_at, m.id))
    created = merged = reinforced = links = 0
    for group in group_near_duplicates(moving, threshold):
        outcome = _place(conn, group, stamp, threshold)
        created += outcome[0]
        reinforced += outcome[1]
        links += outcome[2]
        if len(group) > 1 or outcome[1]:
            merged += len(group)
        for memory in group:
            delete_memory(conn, "hot", memory.id)
    hot_left = int(conn.execute("SELECT COUNT(*) FROM hot_memories").fetchone()[0])
    cold = int(conn.execute("SELECT COUNT(*) FROM cold_memories").fetchone()[0])
    return ConsolidationResult(
        len(moving), len(aged), len(overflow), created, merged, reinforced, links, hot_left, cold
    )


def group_near_duplicates(memories: Sequence[Memory], threshold: float) -> list[list[Memory]]:
    """Groups of near-duplicates (transitively), each in the input's order; groups ordered by
    their first member. Candidate pairs come from prefix filtering on the subject words (two sets
    with Jaccard ≥ t share a word among each one's rarest |s| − ⌈t·|s|⌉ + 1), so no all-pairs scan."""
    claims = [claim(m.content) for m in memories]
    parent = list(range(len(memories)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_hash: dict[str, int] = {}
    for i, memory in enumerate(memories):
        digest = content_hash(memory.content)
        if digest in by_hash:
            join(by_hash[digest], i)
        else:
            by_hash[digest] = i
    frequency = Counter(word for c in claims for word in c.subject)
    index: dict[str, list[int]] = {}
    for i, current in enumerate(claims):
        ordered = sorted(current.subject, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        seen: set[int] = set()
        for word in prefix:
            for j in index.get(word, ()):
                if j not in seen:
                    seen.add(j)
                    if near_duplicate(current, claims[j], threshold):
                        join(i, j)
        for word in prefix:
            index.setdefault(word, []).append(i)
    groups: dict[int, list[Memory]] = {}
    for i, memory in enumerate(memories):
        groups.setdefault(root(i), []).append(memory)
    return [groups[key] for key in sorted(groups)]


def _place(
    conn: sqlite3.Connection, group: list[Memory], now: str, threshold: float
) -> tuple[int, int, int]:
    """Merge `group` into a matching cold memory, or make a new one; link contradictions.
    Returns (created, reinforced, links)."""
    newest = max(group, key=lambda m: (m.created_at, m.id))
    current = claim(newest.content)
    ids = [m.id for m in group]
    tags = _union([t for m in group for t in m.tags])
    match, opposed = _candidates(conn, group, current, threshold)
    if match is not None:
        sources = [*match.source_ids, *ids]
        conn.execute(
            "UPDATE cold_memories SET weight = MIN(?, weight + ?), last_reinforced = ?, "
            "source_ids = ? WHERE id = ?",
            (MAX_WEIGHT, COLD_STEP * len(group), now, dumps(sources), match.id),
        )
        merged_tags = _union([*match.tags, *tags])
        if merged_tags != list(match.tags):
            set_cold_tags(conn, match.id, match.content, merged_tags)
        return 0, 1, _link(conn, match.id, opposed)
    flags = sorted(set.intersection(*(set(m.flags) for m in group)))
    base = FLAGGED_WEIGHT if flags else 1.0
    weight = min(MAX_WEIGHT, base + COLD_STEP * (len(group) - 1))
    oldest = min(m.created_at for m in group)
    # A merge is a reinforcement; a single memory keeps the age it had.
    reinforced_at = now if len(group) > 1 else newest.last_reinforced or newest.created_at
    cold_id = add_cold_memory(
        conn, newest.content, weight, tags, ids, oldest, reinforced_at, flags=flags
    )
    return 1, 0, _link(conn, cold_id, opposed)


def _candidates(
    conn: sqlite3.Connection, group: list[Memory], current: Claim, threshold: float
) -> tuple[Memory | None, list[int]]:
    """The existing cold memory this group duplicates (exact hash first, then the most similar
    near-duplicate), and the cold memories it contradicts."""
    for memory in group:
        row = conn.execute(
            "SELECT id FROM cold_memories WHERE content_hash = ? ORDER BY id LIMIT 1",
            (content_hash(memory.content),),
        ).fetchone()
        if row is not None:
            found = get_many(conn, "cold", [int(row[0])]).get(int(row[0]))
            if found is not None:
                return found, []
    # A cold memory with subject similarity ≥ t shares at least one of ANY |s| − ⌈t·|s|⌉ + 1 of
    # this subject's words: the rarest make the cheapest query. Each word is looked up as
    # folded, plural, and as the other word of its antonym pair.
    ordered = sorted(current.subject, key=lambda w: (_doc_count(conn, _variants(w)), -len(w), w))
    wanted = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
    terms = sorted({t for word in wanted for t in _variants(word)})
    if not terms:
        return None, []
    best: tuple[float, int] | None = None
    opposed: list[int] = []
    for row in conn.execute(
        "SELECT c.id, c.content FROM cold_fts JOIN cold_memories c ON c.id = cold_fts.rowid "
        "WHERE cold_fts MATCH ? ORDER BY rank LIMIT ?",
        (" OR ".join(f'"{t}"' for t in terms), CANDIDATES),
    ):
        other = claim(str(row[1]))
        if near_duplicate(current, other, threshold):
            score = similarity(current.subject, other.subject)
            if best is None or score > best[0]:
                best = (score, int(row[0]))
        elif contradicts(current, other, threshold):
            opposed.append(int(row[0]))
    if best is None:
        return None, sorted(opposed)
    return get_many(conn, "cold", [best[1]])[best[1]], sorted(opposed)


def _variants(word: str) -> list[str]:
    return [word, word + "s", *(neg for neg, pos in ANTONYMS.items() if pos == word)]


def _doc_count(conn: sqlite3.Connection, terms: list[str]) -> int:
    """How many cold memories hold any of `terms`, counted up to DF_CAP (cheap at any size)."""
    match = " OR ".join(f'"{t}"' for t in terms)
    row = conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM cold_fts WHERE cold_fts MATCH ? LIMIT ?)",
        (match, DF_CAP),
    ).fetchone()
    return int(row[0])


def _link(conn: sqlite3.Connection, cold_id: int, opposed: list[int]) -> int:
    made = 0
    for other in opposed:
        if other == cold_id:
            continue
        for a, b in ((cold_id, other), (other, cold_id)):
            row = conn.execute(
                "SELECT contradicts FROM cold_memories WHERE id = ?", (a,)
            ).fetchone()
            links = list(json_ids(row[0])) if row else []
            if b not in links:
                links.append(b)
                conn.execute(
                    "UPDATE cold_memories SET contradicts = ? WHERE id = ?", (dumps(links), a)
                )
                if a == cold_id:
                    made += 1
    return made


def _union(tags: list[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        if tag not in out:
            out.append(tag)
    return out[:MAX_TAGS]
