"""Token and cost totals over the operator's local day and month."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import NamedTuple

from praxis import clock


class UsageTotals(NamedTuple):
    tokens: int
    cost_micros: int
    cost_unknown: bool

    @property
    def cost_usd(self) -> float:
        return self.cost_micros / 1_000_000


def local_day_start(timezone: str, moment: datetime | None = None) -> datetime:
    zone = clock.load_timezone(timezone)
    local = (moment or clock.now()).astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def local_month_start(timezone: str, moment: datetime | None = None) -> datetime:
    return local_day_start(timezone, moment).replace(day=1)


def usage_since(db: sqlite3.Connection, since: datetime) -> UsageTotals:
    """Every attempt since `since` as charged: settled ones at their real usage, open
    reservations and unknown outcomes at their worst case (what the daily/monthly caps see)."""
    row = db.execute(
        "SELECT COALESCE(SUM(input_tokens + output_tokens), 0), "
        "COALESCE(SUM(estimated_cost_micros), 0), COALESCE(MIN(cost_known), 1) "
        "FROM provider_attempts WHERE recorded_at >= ?",
        (clock.format_timestamp(since),),
    ).fetchone()
    return UsageTotals(int(row[0]), int(row[1]), int(row[2]) == 0)


def today_usage(db: sqlite3.Connection, timezone: str) -> UsageTotals:
    return usage_since(db, local_day_start(timezone))
