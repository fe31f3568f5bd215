"""Queueing candidates: dedup by signature forever (whatever the status), and a throttle of 2 new
opportunities per rolling day and 5 per rolling 7 days, counted on parsed `created_at` times."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from praxis.learning import store
from praxis.learning.store import Candidate

DAILY_LIMIT = 2
WEEKLY_LIMIT = 5
DAY = timedelta(days=1)
WEEK = timedelta(days=7)


class Queued(NamedTuple):
    created: list[tuple[int, Candidate]]
    held_back: list[Candidate]  # new candidates the throttle kept out (queued on a later run)

    @property
    def throttle_reached(self) -> bool:
        return bool(self.held_back)


def remaining_slots(created_at: Sequence[str], now: datetime) -> int:
    """min(2 − created in the last day, 5 − created in the last 7 days), never below 0. A time
    that does not parse counts as recent (the throttle errs on the side of fewer proposals)."""
    from praxis import clock
    from praxis.errors import PraxisError

    day = week = 0
    for text in created_at:
        try:
            age = now - clock.parse_timestamp(text)
        except PraxisError:
            age = timedelta(0)
        day += age < DAY
        week += age < WEEK
    return max(0, min(DAILY_LIMIT - day, WEEKLY_LIMIT - week))


def queue(
    conn: sqlite3.Connection, candidates: Sequence[Candidate], now: datetime, now_text: str
) -> Queued:
    """Insert the new candidates the throttle allows, in order. Inside the caller's transaction
    (BEGIN IMMEDIATE), so two runs at once cannot both take the last slot."""
    slots = remaining_slots(store.created_times(conn), now)
    created: list[tuple[int, Candidate]] = []
    held: list[Candidate] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.signature in seen or store.has_signature(conn, candidate.signature):
            continue
        seen.add(candidate.signature)
        if slots <= 0:
            held.append(candidate)
            continue
        created.append((store.create_opportunity(conn, candidate, now_text), candidate))
        slots -= 1
    return Queued(created, held)
