"""The spending limits in force for one call, from budgets.toml.

What each limit has used is read from the attempt ledger inside the reservation transaction
(`spend.CallLedger.check`), so it includes every process's settled spend and open reservations.
"""

from __future__ import annotations

from praxis import clock
from praxis.config.budgets import CallBudget
from praxis.config.loader import Config
from praxis.providers.spend import SpendLimit
from praxis.providers.usage_window import local_day_start, local_month_start


def call_limit(
    label: str,
    budget: CallBudget,
    tokens: int = 0,
    cost: int = 0,
    attempts: int = 0,
    run_key: str | None = None,
) -> SpendLimit:
    """A per-session (`run`, scoped to the session's `run_key`) or per-ask limit; `tokens`,
    `cost` and `attempts` are spent elsewhere (e.g. attempts a session state holds that the
    ledger does not)."""
    return SpendLimit(
        label,
        tokens,
        cost,
        attempts,
        budget.max_tokens,
        round(budget.max_cost_usd * 1e6),
        budget.max_attempts,
        run_key=run_key,
    )


def period_limits(config: Config) -> list[SpendLimit]:
    """Daily and monthly limits in the operator's timezone, across every process."""
    budgets = config.budgets
    timezone = config.settings.instance.timezone
    return [
        SpendLimit(
            label,
            0,
            0,
            0,
            period.max_tokens,
            round(period.max_cost_usd * 1e6),
            since=clock.format_timestamp(since),
        )
        for label, since, period in (
            ("daily", local_day_start(timezone), budgets.daily),
            ("monthly", local_month_start(timezone), budgets.monthly),
        )
    ]
