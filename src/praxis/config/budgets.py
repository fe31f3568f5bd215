"""budgets.toml: per-session, per-ask, daily and monthly spending limits."""

from __future__ import annotations

from typing import NamedTuple

from praxis.config.reader import TableReader
from praxis.config.toml_source import TomlSource


class CallBudget(NamedTuple):
    max_attempts: int
    max_tokens: int
    max_cost_usd: float


class PeriodBudget(NamedTuple):
    max_tokens: int
    max_cost_usd: float


class Budgets(NamedTuple):
    # Sized for the worst-case rule (prompt + max output, checked before every call): a session
    # sends the ~9,600-token context in decide and act; an ask may carry a 100 KB attachment.
    # Attempts include retries and failover (a router route is tried twice, a lone one 3 times).
    run: CallBudget = CallBudget(12, 40_000, 0.25)
    ask: CallBudget = CallBudget(6, 30_000, 0.10)
    daily: PeriodBudget = PeriodBudget(1_000_000, 2.0)
    monthly: PeriodBudget = PeriodBudget(20_000_000, 30.0)


def parse_budgets(source: TomlSource | None) -> Budgets:
    defaults = Budgets()
    if source is None:
        return defaults
    return Budgets(
        run=_call(TableReader.of(source, "run"), defaults.run),
        ask=_call(TableReader.of(source, "ask"), defaults.ask),
        daily=_period(TableReader.of(source, "daily"), defaults.daily),
        monthly=_period(TableReader.of(source, "monthly"), defaults.monthly),
    )


def _call(table: TableReader, default: CallBudget) -> CallBudget:
    return CallBudget(
        max_attempts=table.positive_integer("max_attempts", default.max_attempts),
        max_tokens=table.positive_integer("max_tokens", default.max_tokens),
        max_cost_usd=table.positive_number("max_cost_usd", default.max_cost_usd),
    )


def _period(table: TableReader, default: PeriodBudget) -> PeriodBudget:
    return PeriodBudget(
        max_tokens=table.positive_integer("max_tokens", default.max_tokens),
        max_cost_usd=table.positive_number("max_cost_usd", default.max_cost_usd),
    )
