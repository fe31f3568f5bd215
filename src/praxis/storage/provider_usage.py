"""What the newest session spent per provider: `status`' last_provider / last_tokens /
token_hotspot lines. NamedTuples, not dataclasses: this is on `status`' start-up path."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple


class UsageSlice(NamedTuple):
    """Tokens and estimated cost of some attempts; `cost_known` is False when any of them ran on a
    remote model without a price (the cost is then unknown, never 0)."""

    tokens: int
    cost_micros: int
    cost_known: bool


class SessionProviderUsage(NamedTuple):
    """The provider attempts of one session: `provider` made its last attempt (after a failover,
    the route that finally answered); `hotspot` is the phase/provider pair with the most tokens."""

    session_id: int
    provider: str
    attempts: int
    failures: int
    total: UsageSlice
    hotspot_phase: str
    hotspot_provider: str
    hotspot: UsageSlice


def latest_provider_usage(conn: sqlite3.Connection) -> SessionProviderUsage | None:
    """Usage of the newest session that has provider attempts (two indexed lookups on
    `provider_attempts(session_id)`); None before any session called a provider."""
    latest = conn.execute("SELECT MAX(session_id) FROM provider_attempts").fetchone()[0]
    if latest is None:
        return None
    groups = conn.execute(
        "SELECT phase, provider, COUNT(*), COALESCE(SUM(1 - success), 0), "
        "COALESCE(SUM(input_tokens + output_tokens), 0), COALESCE(SUM(estimated_cost_micros), 0), "
        "MIN(cost_known), MIN(id), MAX(id) FROM provider_attempts WHERE session_id = ? "
        "GROUP BY phase, provider",
        (latest,),
    ).fetchall()
    last = max(groups, key=lambda g: int(g[8]))
    hot = max(groups, key=lambda g: (int(g[4]), int(g[5]), -int(g[7])))
    return SessionProviderUsage(
        session_id=int(latest),
        provider=str(last[1]),
        attempts=sum(int(g[2]) for g in groups),
        failures=sum(int(g[3]) for g in groups),
        total=UsageSlice(
            sum(int(g[4]) for g in groups),
            sum(int(g[5]) for g in groups),
            all(int(g[6]) == 1 for g in groups),
        ),
        hotspot_phase=str(hot[0]),
        hotspot_provider=str(hot[1]),
        hotspot=UsageSlice(int(hot[4]), int(hot[5]), int(hot[6]) == 1),
    )
