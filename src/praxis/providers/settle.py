"""How an attempt's ledger row is settled.

After the reply: with the usage the provider reported, unless it cannot be true — a negative or
non-integer count, more than 10x the call's worst-case estimate, more than 10,000,000 tokens —
then at the estimate, with the reason recorded. A reservation whose process died on the wire:
outcome unknown, charged at the worst case.
"""

from __future__ import annotations

import sqlite3

from praxis.providers.base import Attempt

MAX_REPORTED_TOKENS = 10_000_000
MAX_OVER_ESTIMATE = 10  # a reply reporting more than 10x its worst-case estimate is not believed
FOREIGN_STALE_SECONDS = 3600  # far longer than any call (timeouts x retries)


def refusal(input_tokens: object, output_tokens: object, estimate_tokens: int) -> str | None:
    """Why reported token counts cannot be charged as they are, or None when they can."""
    if type(input_tokens) is not int or type(output_tokens) is not int:
        return "a count is not an integer"  # bool, float, str, None: not a count
    if input_tokens < 0 or output_tokens < 0:
        return "a count is negative"
    total = input_tokens + output_tokens
    if total > MAX_REPORTED_TOKENS:
        return f"more than {MAX_REPORTED_TOKENS:,} tokens"
    if total > MAX_OVER_ESTIMATE * max(estimate_tokens, 1):
        return f"more than {MAX_OVER_ESTIMATE}x the estimate of {estimate_tokens}"
    return None


def charge(
    attempt: Attempt, estimate_tokens: int, estimate_cost: int
) -> tuple[Attempt, str | None]:
    """The attempt as it is charged, and why its reported usage was refused (None if it was not).
    A refused attempt is charged at its worst-case estimate, never less."""
    why = refusal(attempt.input_tokens, attempt.output_tokens, estimate_tokens)
    if why is None and (type(attempt.cost_micros) is not int or attempt.cost_micros < 0):
        why = "the cost is not a non-negative integer"
    if why is None:
        return attempt, None
    note = (
        f"reported usage in={attempt.input_tokens!r} out={attempt.output_tokens!r} refused "
        f"({why}); charged at the estimate"
    )
    return attempt._replace(
        input_tokens=estimate_tokens, output_tokens=0, cost_micros=estimate_cost
    ), note


def settle_orphans(conn: sqlite3.Connection, now: str) -> int:
    """Inside the caller's write transaction: every `in_flight` row whose process is gone becomes
    `unknown`, charged at its worst case (a row from another pid namespace — another container
    on the same data dir — once it is older than any call could be). Returns how many."""
    from praxis import clock
    from praxis.errors import UsageError
    from praxis.providers.owner import FOREIGN, GONE, liveness
    from praxis.storage import attempts as ledger_rows

    settled = 0
    for row in ledger_rows.open_rows(conn):
        state = liveness(row.pid, row.pid_marker)
        if state == FOREIGN:
            try:
                started = clock.parse_timestamp(row.started_at or now)
                age = (clock.parse_timestamp(now) - started).total_seconds()
            except UsageError:
                age = FOREIGN_STALE_SECONDS + 1
            if age <= FOREIGN_STALE_SECONDS:
                continue
        elif state != GONE:
            continue
        how = (
            "ended while the request was on the wire"
            if state == GONE
            else "(another pid namespace) gave no result within an hour"
        )
        note = f"outcome unknown: process {row.pid} {how}; charged at the worst case"
        ledger_rows.settle_unknown(conn, row.id, note, now)
        settled += 1
    return settled
