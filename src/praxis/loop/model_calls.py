"""One model call from a phase: budget check first, then the call; attempts and prompts recorded."""

from __future__ import annotations

from collections.abc import Callable

from praxis.config.budgets import CallBudget
from praxis.loop.state import SessionState
from praxis.providers.base import CompletionRequest, Message, Provider, ProviderFailed, Reply


class BudgetBlocked(Exception):
    """The run budget forbids another call; carries the operator-facing budget line."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


def run_budget_line(state: SessionState, budget: CallBudget, blocked: bool) -> str:
    attempts = len(state.provider_attempts)
    tokens = sum(a["input_tokens"] + a["output_tokens"] for a in state.provider_attempts)
    cost = sum(a["cost_micros"] for a in state.provider_attempts) / 1_000_000
    word = "blocked" if blocked else "ok"
    return (
        f"run budget {word}: attempts={attempts}/{budget.max_attempts} tokens={tokens}/"
        f"{budget.max_tokens} est_cost_usd={cost:.6f}/{budget.max_cost_usd:.6f}"
    )


def check_run_budget(state: SessionState, budget: CallBudget, estimate_tokens: int) -> None:
    """Refuse a call that could cross the per-session limits (attempts, tokens, cost)."""
    attempts = len(state.provider_attempts)
    tokens = sum(a["input_tokens"] + a["output_tokens"] for a in state.provider_attempts)
    cost_micros = sum(a["cost_micros"] for a in state.provider_attempts)
    if (
        attempts >= budget.max_attempts
        or tokens + estimate_tokens > budget.max_tokens
        or cost_micros >= round(budget.max_cost_usd * 1_000_000)
    ):
        raise BudgetBlocked(run_budget_line(state, budget, blocked=True))


def call_model(
    provider: Provider,
    state: SessionState,
    budget: CallBudget,
    counter: Callable[[str], int],
    *,
    phase: str,
    system: str,
    context: str,
    message: str,
    max_output_tokens: int,
    subject: dict[str, str],
) -> Reply:
    request = CompletionRequest(
        phase=phase,
        system=system,
        context=context,
        messages=(Message("user", message),),
        max_output_tokens=max_output_tokens,
        subject=subject,
    )
    prompt_tokens = counter(request.prompt_text())
    metered = provider.name != "stub"
    check_run_budget(state, budget, prompt_tokens + max_output_tokens if metered else 0)
    state.prompts.append(
        {
            "phase": phase,
            "sha256": request.prompt_hash(),
            "tokens": prompt_tokens,
            "context_chars": len(context),
        }
    )
    try:
        reply = provider.complete(request)
    except ProviderFailed as failed:
        state.provider_attempts.extend(a._asdict() for a in failed.attempts)
        raise
    state.provider_attempts.extend(a._asdict() for a in reply.attempts)
    return reply
