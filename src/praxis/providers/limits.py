"""The spending limits in force for one call, from budgets.toml and the usage ledger."""

from __future__ import annotations

import sqlite3

from praxis.config.budgets import CallBudget
from praxis.config.loader import Config
from praxis.operator.usage_window import local_day_start, local_month_start, usage_since
from praxis.providers.spend import SpendLimit


def call_limit(
    label: str, budget: CallBudget, tokens: int = 0, cost: int = 0, attempts: int = 0
) -> SpendLimit:
    """A per-session (`run`) or per-ask limit, with what this session already spent."""
    return SpendLimit(
        label,
        tokens,
        cost,
        attempts,
        budget.max_tokens,
        round(budget.max_cost_usd * 1e6),
        budget.max_attempts,
    )


def period_limits(
    config: Config, conn: sqlite3.Connection, unrecorded_tokens: int = 0, unrecorded_cost: int = 0
) -> list[SpendLimit]:
    """Daily and monthly limits in the operator's timezone. `unrecorded_*` is spending of the
    running session that reaches the ledger only when it reflects."""
    budgets = config.budgets
    timezone = config.settings.instance.timezone
    limits: list[SpendLimit] = []
    for label, since, period in (
        ("daily", local_day_start(timezone), budgets.daily),
        ("monthly", local_month_start(timezone), budgets.monthly),
    ):
        used = usage_since(conn, since)
        limits.append(
            SpendLimit(
                label,
                used.tokens + unrecorded_tokens,
                used.cost_micros + unrecorded_cost,
                0,
                period.max_tokens,
                round(period.max_cost_usd * 1e6),
            )
        )
    return limits
