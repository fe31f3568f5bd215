"""Spending limits checked BEFORE every model call, and the write-ahead ledger of its attempts.

A `CallLedger` travels with one logical model call (through retries and router failover). Before
each attempt the adapter layer calls `check(estimate_tokens, estimate_cost, target)`: with a
database connection, ONE `BEGIN IMMEDIATE` transaction settles reservations whose process died,
checks every limit against settled spend plus the open reservations of all processes, and
inserts the attempt as `in_flight`, charged at its worst case. The next `record(attempt)` settles
that reservation with the real usage — bounded by `settle.charge()`: negative, non-integer or absurd
counts are refused and the attempt is charged at its estimate. `close()` (or leaving a `with`
block) settles a reservation left open by an unexpected exception as an unknown outcome.

Without a connection (unit tests, the stub's offline `ask`) the same limits are checked against
this call's own attempts only. Callers read `ledger.attempts` (as charged) whatever happened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from praxis.errors import BudgetExceeded
from praxis.providers.base import Attempt
from praxis.providers.settle import charge, settle_orphans
from praxis.storage.transaction import transaction

if TYPE_CHECKING:
    from praxis.storage.attempts import Spent


class SpendLimit(NamedTuple):
    """A limit and what was spent before this ledger (`used_*`). With a connection, `since`
    (a window start, RFC 3339) or `run_key` adds the ledger rows of every process in that scope;
    otherwise this call's own attempts are added."""

    label: str  # run | ask | daily | monthly
    used_tokens: int
    used_cost_micros: int
    used_attempts: int
    max_tokens: int
    max_cost_micros: int
    max_attempts: int | None = None
    hint: str = ""
    since: str | None = None
    run_key: str | None = None


class Target(NamedTuple):
    """What an attempt is about to call: written on its reservation row."""

    phase: str
    provider: str
    model: str
    cost_known: bool = True


class Pending(NamedTuple):
    row_id: int | None
    estimate_tokens: int
    estimate_cost_micros: int


FROZEN = "frozen"  # the error class of a route skipped by the canary freeze gate


def counted(attempt: Attempt) -> bool:
    """Frozen routes are skipped, not called: they spend nothing and count as no attempt."""
    return attempt.error_class != FROZEN


class CallLedger:
    def __init__(
        self,
        limits: Sequence[SpendLimit] = (),
        conn: sqlite3.Connection | None = None,
        run_key: str | None = None,
    ) -> None:
        self.limits = tuple(limits)
        self.conn = conn
        self.run_key = run_key
        self.attempts: list[Attempt] = []  # as charged
        self.row_ids: list[int | None] = []  # each attempt's ledger row (None without a conn)
        self.notes: list[str | None] = []  # why an attempt's reported usage was refused
        self._pending: Pending | None = None

    def __enter__(self) -> CallLedger:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def check(
        self, estimate_tokens: int, estimate_cost_micros: int, target: Target | None = None
    ) -> None:
        """Raise BudgetExceeded if one more call of this worst-case size could cross a limit;
        else reserve it (a ledger row when there is a connection and a `target`)."""
        self.close()  # a check without a record in between: that attempt's outcome is unknown
        if self.conn is None:
            blocked = self._blocked(estimate_tokens, estimate_cost_micros, lambda _: None)
            if blocked is not None:
                raise blocked
            self._pending = Pending(None, estimate_tokens, estimate_cost_micros)
            return
        from praxis import clock
        from praxis.providers.owner import current_owner
        from praxis.storage import attempts as ledger_rows

        conn, now, row_id = self.conn, clock.now_text(), None
        with transaction(conn):
            settle_orphans(conn, now)
            blocked = self._blocked(
                estimate_tokens, estimate_cost_micros, lambda limit: _scope_spent(conn, limit)
            )
            if blocked is None and target is not None:
                owner = current_owner()
                row_id = ledger_rows.reserve(
                    conn,
                    phase=target.phase,
                    provider=target.provider,
                    model=target.model,
                    run_key=self.run_key,
                    estimate_tokens=estimate_tokens,
                    estimate_cost_micros=estimate_cost_micros,
                    cost_known=target.cost_known,
                    pid=owner.pid,
                    pid_marker=owner.marker,
                    now=now,
                )
        if blocked is not None:
            raise blocked
        self._pending = Pending(row_id, estimate_tokens, estimate_cost_micros)

    def record(self, attempt: Attempt) -> None:
        """Settle the reservation of the last `check` with this attempt (or, when nothing was
        reserved — a frozen route, the stub — write it settled)."""
        pending, self._pending = self._pending, None
        note = None
        if pending is not None:
            attempt, note = charge(attempt, pending.estimate_tokens, pending.estimate_cost_micros)
        row_id = None
        if self.conn is not None:
            from praxis import clock
            from praxis.storage import attempts as ledger_rows

            now = clock.now_text()
            with transaction(self.conn):
                if pending is not None and pending.row_id is not None:
                    row_id = pending.row_id
                    if not ledger_rows.settle(self.conn, row_id, attempt._asdict(), note, now):
                        # Another process settled it unknown meanwhile: it stays at the estimate.
                        note = "settled unknown by another process before the reply arrived"
                        attempt = attempt._replace(
                            input_tokens=pending.estimate_tokens,
                            output_tokens=0,
                            cost_micros=pending.estimate_cost_micros,
                        )
                else:
                    row_id = ledger_rows.insert_settled(
                        self.conn, None, self.run_key, attempt._asdict(), now
                    )
        self.attempts.append(attempt)
        self.row_ids.append(row_id)
        self.notes.append(note)

    def close(self) -> None:
        """Settle a reservation that no `record` followed (an unexpected exception on the wire):
        outcome unknown, charged at the worst case."""
        pending, self._pending = self._pending, None
        if pending is None or pending.row_id is None or self.conn is None:
            return
        from praxis import clock
        from praxis.storage import attempts as ledger_rows

        with transaction(self.conn):
            ledger_rows.settle_unknown(
                self.conn,
                pending.row_id,
                "outcome unknown: the call ended without a result; charged at the worst case",
                clock.now_text(),
            )

    def _blocked(
        self,
        estimate_tokens: int,
        estimate_cost_micros: int,
        scoped: Callable[[SpendLimit], Spent | None],
    ) -> BudgetExceeded | None:
        spent = [a for a in self.attempts if counted(a)]
        tokens = sum(a.input_tokens + a.output_tokens for a in spent)
        cost = sum(a.cost_micros for a in spent)
        for limit in self.limits:
            shared = scoped(limit)
            if shared is None:  # this call's own attempts
                used_tokens = limit.used_tokens + tokens
                used_cost = limit.used_cost_micros + cost
                used_attempts = limit.used_attempts + len(spent)
            else:
                used_tokens = limit.used_tokens + shared.tokens
                used_cost = limit.used_cost_micros + shared.cost_micros
                used_attempts = limit.used_attempts + shared.attempts
            over = (
                (limit.max_attempts is not None and used_attempts + 1 > limit.max_attempts)
                or used_tokens + estimate_tokens > limit.max_tokens
                or used_cost + estimate_cost_micros > limit.max_cost_micros
            )
            if over:
                line = budget_line(limit, used_tokens, used_cost, used_attempts, estimate_tokens)
                return BudgetExceeded(line, limit.hint or _default_hint(limit.label), line)
        return None


def _scope_spent(conn: sqlite3.Connection, limit: SpendLimit) -> Spent | None:
    from praxis.storage import attempts as ledger_rows

    if limit.run_key is not None:
        return ledger_rows.spent_by_run(conn, limit.run_key)
    if limit.since is not None:
        return ledger_rows.spent_since(conn, limit.since)
    return None


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
