"""Reinforcement and decay.

Reinforcement: the memories retrieved into a session's context (noted by orient) are reinforced
once, by reflect, when the session ends well — hot: importance up, cold: weight up and
`last_reinforced` = now. Decay (reference §7.4): cold memories not reinforced for
`memory.decay_after_days` lose weight (× `decay_factor`, never below `decay_floor`), at most once
per local day per memory; only rows whose weight changed are counted (§20 item 24).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from praxis.clock import format_timestamp
from praxis.storage.transaction import transaction

if TYPE_CHECKING:
    from praxis.config.settings import MemorySettings

HOT_STEP = 0.05  # importance added per reinforcement (capped at 1.0)
COLD_STEP = 0.1  # weight added per reinforcement or merged duplicate
MAX_WEIGHT = 5.0
RETRIEVALS_KEPT_DAYS = 30  # retrievals of sessions that never reached reflect are dropped


def note_retrieved(
    conn: sqlite3.Connection, run_key: str, found: Iterable[tuple[str, int]], now: str
) -> None:
    """Remember which memories went into this session's context (replacing an earlier orient
    of the same session)."""
    with transaction(conn, join=True):
        conn.execute("DELETE FROM memory_retrievals WHERE run_key = ?", (run_key,))
        conn.executemany(
            "INSERT OR IGNORE INTO memory_retrievals(run_key, tier, memory_id, retrieved_at) "
            "VALUES (?, ?, ?, ?)",
            [(run_key, tier, memory_id, now) for tier, memory_id in found],
        )


def reinforce_session(conn: sqlite3.Connection, run_key: str, ended_well: bool, now: str) -> int:
    """Reinforce the session's retrieved memories if it ended well, then forget the retrievals
    (so a session reinforces at most once). Returns how many memories were reinforced. No
    commit: reflect calls this inside its session transaction."""
    rows = conn.execute(
        "SELECT tier, memory_id FROM memory_retrievals WHERE run_key = ?", (run_key,)
    ).fetchall()
    reinforced = 0
    if ended_well:
        for tier, memory_id in rows:
            if tier == "hot":
                reinforced += conn.execute(
                    "UPDATE hot_memories SET importance = MIN(1.0, importance + ?), "
                    "access_count = access_count + 1, last_accessed = ?, last_reinforced = ? "
                    "WHERE id = ?",
                    (HOT_STEP, now, now, memory_id),
                ).rowcount
            else:
                reinforced += conn.execute(
                    "UPDATE cold_memories SET weight = MIN(?, weight + ?), last_reinforced = ? "
                    "WHERE id = ?",
                    (MAX_WEIGHT, COLD_STEP, now, memory_id),
                ).rowcount
    conn.execute("DELETE FROM memory_retrievals WHERE run_key = ?", (run_key,))
    stale = format_timestamp(_parse(now) - timedelta(days=RETRIEVALS_KEPT_DAYS))
    conn.execute("DELETE FROM memory_retrievals WHERE retrieved_at < ?", (stale,))
    return reinforced


def decay(conn: sqlite3.Connection, now: str, zone: tzinfo, settings: MemorySettings) -> int:
    """Apply decay (`decay_after_days`, `decay_factor`, `decay_floor`); returns the number of
    memories whose weight changed."""
    moment = _parse(now)
    factor, floor = settings.decay_factor, settings.decay_floor
    cutoff = format_timestamp(moment - timedelta(days=settings.decay_after_days))
    local = moment.astimezone(zone)
    day_start = format_timestamp(local.replace(hour=0, minute=0, second=0, microsecond=0))
    with transaction(conn, join=True):
        return conn.execute(
            "UPDATE cold_memories SET weight = MAX(weight * ?, ?), last_decayed = ? "
            "WHERE last_reinforced IS NOT NULL AND last_reinforced <= ? AND weight > ? "
            "AND (last_decayed IS NULL OR last_decayed < ?)",
            (factor, floor, now, cutoff, floor, day_start),
        ).rowcount


def _parse(text: str) -> datetime:
    from praxis.clock import parse_timestamp

    return parse_timestamp(text)
