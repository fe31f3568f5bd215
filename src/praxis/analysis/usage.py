"""The token and cost ledger over a window of days, grouped (SPEC §2 `usage`)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from praxis import clock

if TYPE_CHECKING:
    from praxis.app import Praxis
    from praxis.config.budgets import Budgets
    from praxis.providers.usage_window import UsageTotals

GROUPS = {
    "provider": "a.provider",
    "model": "a.provider || '/' || a.model",
    "phase": "a.phase",
    "goal": "COALESCE(s.selected_goal_id, CASE WHEN a.session_id IS NULL THEN '(ask/canary)' ELSE '-' END)",
}


class UsageRow(NamedTuple):
    group: str
    attempts: int
    failures: int
    input_tokens: int
    output_tokens: int
    cost_micros: int
    unknown_cost_attempts: int

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def usage_window(
    conn: sqlite3.Connection, days: int, by: str | None
) -> tuple[str, UsageRow, list[UsageRow]]:
    """(since, totals, rows grouped by `by`) over the last `days` days of attempts, as charged:
    open reservations (`in_flight`) and unknown outcomes at their worst-case estimate. Failures
    are settled attempts that failed (an unknown outcome is counted apart, see `open_and_unknown`)."""
    since = clock.format_timestamp(clock.now() - timedelta(days=days))
    group = GROUPS.get(by or "provider", GROUPS["provider"])
    sql = (
        f"SELECT {group} AS grp, COUNT(*), SUM(a.state = 'settled' AND a.success = 0), "
        "COALESCE(SUM(a.input_tokens), 0), "
        "COALESCE(SUM(a.output_tokens), 0), COALESCE(SUM(a.estimated_cost_micros), 0), "
        "COALESCE(SUM(1 - a.cost_known), 0) "
        "FROM provider_attempts a "
        "LEFT JOIN sessions s ON s.id = a.session_id "
        "WHERE a.recorded_at >= ? AND COALESCE(a.error_class, '') != 'frozen' "
        "GROUP BY grp ORDER BY 6 DESC, 4 DESC, grp"
    )
    rows = [UsageRow(str(r[0]), *(int(v or 0) for v in r[1:])) for r in conn.execute(sql, (since,))]
    totals = UsageRow(
        "total",
        *(sum(getattr(r, field) for r in rows) for field in UsageRow._fields[1:]),
    )
    return since, totals, rows


class Reservations(NamedTuple):
    in_flight: int  # attempts on the wire now (or whose process died, until the next metered start)
    unknown: int  # attempts whose process died on the wire, charged at their estimate
    unknown_tokens: int
    unknown_cost_micros: int


def open_and_unknown(conn: sqlite3.Connection, since: str) -> Reservations:
    from praxis.storage.attempts import in_flight_count, unknown_outcomes

    unknown = unknown_outcomes(conn, since)
    return Reservations(
        in_flight_count(conn), unknown.attempts, unknown.tokens, unknown.cost_micros
    )


class UsageSummary(NamedTuple):
    """`praxis usage`: the window's attempts (in total and per group), what is on the wire or
    unknown, and today's and this month's spend beside their caps."""

    since: str
    totals: UsageRow
    rows: list[UsageRow]
    held: Reservations
    today: UsageTotals
    month: UsageTotals
    budgets: Budgets


def usage_summary(app: Praxis, days: int, by: str) -> UsageSummary:
    from praxis.providers.usage_window import local_month_start, today_usage, usage_since

    db = app.db
    since, totals, rows = usage_window(db, days, by)
    timezone = app.config.settings.instance.timezone
    return UsageSummary(
        since,
        totals,
        rows,
        open_and_unknown(db, since),
        today_usage(db, timezone),
        usage_since(db, local_month_start(timezone)),
        app.config.budgets,
    )
