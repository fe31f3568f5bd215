"""Spending limits checked BEFORE every model call, and the attempts one call made.

A `CallLedger` travels with one logical model call (through retries and router failover): before
each attempt the adapter layer asks it whether the worst case (prompt tokens + max output tokens,
priced) still fits every limit; after each attempt it records the attempt. Callers read
`ledger.attempts` whatever happened, so no attempt is ever lost (reference §20.2 item 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from praxis.errors import BudgetExceeded
from praxis.providers.base import Attempt


class SpendLimit(NamedTuple):
    label: str  # run | ask | daily | monthly
    used_tokens: int
    used_cost_micros: int
    used_attempts: int
    max_tokens: int
    max_cost_micros: int
    max_attempts: int | None = None
    hint: str = ""


FROZEN = "frozen"  # the error class of a route skipped by the canary freeze gate


def counted(attempt: Attempt) -> bool:
    """Frozen routes are skipped, not called: they spend nothing and count as no attempt."""
    return attempt.error_class != FROZEN


class CallLedger:
    def __init__(self, limits: Sequence[SpendLimit] = ()) -> None:
        self.limits = tuple(limits)
        self.attempts: list[Attempt] = []

    def record(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)

    def check(self, estimate_tokens: int, estimate_cost_micros: int) -> None:
        """Raise BudgetExceeded if one more call of this worst-case size could cross a limit."""
        spent = [a for a in self.attempts if counted(a)]
        tokens = sum(a.input_tokens + a.output_tokens for a in spent)
        cost = sum(a.cost_micros for a in spent)
        for limit in self.limits:
            used_tokens = limit.used_tokens + tokens
            used_cost = limit.used_cost_micros + cost
            used_attempts = limit.used_attempts + len(spent)
            over = (
                (limit.max_attempts is not None and used_attempts + 1 > limit.max_attempts)
                or used_tokens + estimate_tokens > limit.max_tokens
                or used_cost + estimate_cost_micros > limit.max_cost_micros
            )
            if over:
                line = budget_line(limit, used_tokens, used_cost, used_attempts, estimate_tokens)
                raise BudgetExceeded(line, limit.hint or _default_hint(limit.label), line)


def budget_line(limit: SpendLimit, tokens: int, cost: int, attempts: int, estimate: int) -> str:
    if limit.label == "ask":
        line = (
            f"ask budget blocked: estimated_tokens={estimate}/{limit.max_tokens} "
            f"max_attempts={limit.max_attempts} max_cost_usd={limit.max_cost_micros / 1e6:.6f}"
        )
        return line + (
            f" attempts_made={attempts} est_cost_usd={cost / 1e6:.6f}" if attempts else ""
        )
    attempts_part = f"attempts={attempts}/{limit.max_attempts} " if limit.max_attempts else ""
    return (
        f"{limit.label} budget blocked: {attempts_part}tokens={tokens}/{limit.max_tokens} "
        f"est_cost_usd={cost / 1e6:.6f}/{limit.max_cost_micros / 1e6:.6f} "
        f"next_call_estimate_tokens={estimate}"
    )


def _default_hint(label: str) -> str:
    table = {"run": "[run]", "ask": "[ask]", "daily": "[daily]", "monthly": "[monthly]"}[label]
    return f"raise the limits in the {table} table of budgets.toml, or wait for the next period"
