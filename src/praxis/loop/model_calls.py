"""One model call from a phase: limits checked before every attempt, every attempt recorded,
the prompt's hash and size kept for forensics."""

from __future__ import annotations

from collections.abc import Mapping

from praxis.loop.context import RunContext
from praxis.loop.orient import read_context
from praxis.loop.prompts import PhasePrompt
from praxis.loop.state_records import AttemptRecord, PromptRecord
from praxis.providers.base import CompletionRequest, Message, Reply, ToolSpec
from praxis.providers.spend import CallLedger, counted


def session_ledger(ctx: RunContext) -> CallLedger:
    """Run limits over this session's ledger rows (its run key); daily and monthly ones across
    every process, for a metered provider. Attempts are written to the ledger as they happen
    (reserved, then settled)."""
    from praxis.providers.limits import call_limit, period_limits

    state = ctx.state
    # Attempts the state holds but the ledger does not (frozen routes, a state written before
    # reservations existed) still count against the run limit.
    unwritten = [r.attempt for r in state.provider_attempts if r.row_id is None]
    spent = [a for a in unwritten if counted(a)]
    tokens = sum(a.input_tokens + a.output_tokens for a in spent)
    cost = sum(a.cost_micros for a in spent)
    config = ctx.app.config
    limits = [
        call_limit("run", config.budgets.run, tokens, cost, len(spent), run_key=state.run_key)
    ]
    if ctx.provider.metered:  # the stub spends nothing; only its attempts count (the run limit)
        limits += period_limits(config)
    return CallLedger(limits, ctx.db, run_key=state.run_key)


def call_model(
    ctx: RunContext,
    prompt: PhasePrompt,
    message: str | tuple[Message, ...],
    subject: Mapping[str, str],
    tools: tuple[ToolSpec, ...] = (),
) -> Reply:
    """Send `message` (or a conversation) with the session's context; record what was sent and
    every attempt, saved at once (the ledger rows are already written: the state keeps each
    attempt's row id so reflect attaches rather than inserts them)."""
    state = ctx.state
    context = read_context(ctx.app)
    request = CompletionRequest(
        phase=prompt.phase,
        system=prompt.system,
        context=context,
        messages=(Message("user", message),) if isinstance(message, str) else message,
        max_output_tokens=prompt.max_output_tokens,
        tools=tools,
        subject=subject,
    )
    text = request.prompt_text()
    state.prompts.append(
        PromptRecord(prompt.phase, request.prompt_hash(), ctx.count_tokens(text), len(context))
    )
    ledger = session_ledger(ctx)
    provider = ctx.provider
    model = "" if provider.model == provider.name else f" {provider.model}"
    ctx.progress.step(f"{prompt.phase}: asking {provider.name}{model}")  # shown while it waits
    try:
        with ledger:
            return provider.complete(request, ledger)
    finally:
        state.provider_attempts.extend(
            AttemptRecord(a, row_id)
            for a, row_id in zip(ledger.attempts, ledger.row_ids, strict=True)
        )
        ctx.save()
