"""One model call from a phase: limits checked before every attempt, every attempt recorded,
the prompt's hash and size kept for forensics."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from praxis.app import Praxis
from praxis.loop.state import SessionState, save_state
from praxis.providers.base import (
    CompletionRequest,
    Message,
    Provider,
    Reply,
    ToolSpec,
)
from praxis.providers.spend import FROZEN, CallLedger


def session_ledger(
    app: Praxis, state: SessionState, conn: sqlite3.Connection, metered: bool
) -> CallLedger:
    """Run limits over this session's ledger rows (its run key); daily and monthly ones across
    every process. Attempts are written to the ledger as they happen (reserved, then settled)."""
    from praxis.providers.limits import call_limit, period_limits

    # Attempts the state holds but the ledger does not (frozen routes, a state written before
    # reservations existed) still count against the run limit.
    unwritten = [a for a in state.provider_attempts if counted_dict(a) and a.get("row_id") is None]
    tokens = sum(int(a["input_tokens"]) + int(a["output_tokens"]) for a in unwritten)
    cost = sum(int(a["cost_micros"]) for a in unwritten)
    budget = app.config.budgets.run
    limits = [call_limit("run", budget, tokens, cost, len(unwritten), run_key=state.run_key)]
    if metered:  # the stub spends nothing; only its attempts count (against the run limit)
        limits += period_limits(app.config)
    return CallLedger(limits, conn, run_key=state.run_key)


def counted_dict(attempt: dict[str, object]) -> bool:
    """`spend.counted` for an attempt stored in the session state (a dict)."""
    return attempt.get("error_class") != FROZEN


def call_model(
    app: Praxis,
    state: SessionState,
    conn: sqlite3.Connection,
    provider: Provider,
    counter: Callable[[str], int],
    *,
    phase: str,
    system: str,
    context: str,
    message: str | tuple[Message, ...],
    max_output_tokens: int,
    subject: dict[str, str],
    tools: tuple[ToolSpec, ...] = (),
) -> Reply:
    messages = (Message("user", message),) if isinstance(message, str) else message
    request = CompletionRequest(
        phase=phase,
        system=system,
        context=context,
        messages=messages,
        max_output_tokens=max_output_tokens,
        tools=tools,
        subject=subject,
    )
    state.prompts.append(
        {
            "phase": phase,
            "sha256": request.prompt_hash(),
            "tokens": counter(request.prompt_text()),
            "context_chars": len(context),
        }
    )
    ledger = session_ledger(app, state, conn, metered=provider.name != "stub")
    try:
        with ledger:
            return provider.complete(request, ledger)
    finally:
        state.provider_attempts.extend(
            {**a._asdict(), "row_id": row_id}
            for a, row_id in zip(ledger.attempts, ledger.row_ids, strict=True)
        )
        # Saved at once, not at the phase's end (the ledger rows are already written; the state
        # keeps each attempt's row id so reflect attaches rather than inserts them).
        save_state(app.state_file, state)
