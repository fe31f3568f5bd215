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
    """Run limits over this session's attempts; daily and monthly ones across everything."""
    from praxis.providers.limits import call_limit, period_limits

    spent = [a for a in state.provider_attempts if counted_dict(a)]
    tokens = sum(int(a["input_tokens"]) + int(a["output_tokens"]) for a in spent)
    cost = sum(int(a["cost_micros"]) for a in spent)
    limits = [call_limit("run", app.config.budgets.run, tokens, cost, len(spent))]
    if metered:  # the stub spends nothing; only its attempts count (against the run limit)
        limits += period_limits(app.config, conn, tokens, cost)
    return CallLedger(limits)


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
        return provider.complete(request, ledger)
    finally:
        state.provider_attempts.extend(a._asdict() for a in ledger.attempts)
        # Saved at once, not at the phase's end: a crash mid-phase must not forget what was
        # spent, or the run budget would undercount on resume.
        save_state(app.state_file, state)
