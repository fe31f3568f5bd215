"""The route layer around an adapter: bounded retries, Retry-After with a cap, no retry for auth
or invalid requests, every attempt recorded with cost, budgets checked before each attempt."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from praxis.config.providers import Route
from praxis.errors import BudgetExceeded, CallError, ProviderFailed
from praxis.providers.adapter import AdapterResult
from praxis.providers.base import CompletionRequest, Message, Usage
from praxis.providers.pricing import Price
from praxis.providers.route import RetryPolicy, RouteProvider
from praxis.providers.spend import CallLedger, SpendLimit

REQUEST = CompletionRequest("ask", "system", "", (Message("user", "hi"),), 100)


class ScriptedAdapter:
    provider = "claude"
    model = "claude-sonnet-4-5"

    def __init__(self, *outcomes: CallError | str) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def call(
        self, request: CompletionRequest, on_text: Callable[[str], None] | None = None
    ) -> AdapterResult:
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, CallError):
            raise outcome
        return AdapterResult(outcome, (), Usage(1000, 100), "end")

    def close(self) -> None:
        pass


def _route(adapter: ScriptedAdapter, sleeps: list[float], tries: int = 3) -> RouteProvider:
    return RouteProvider(
        Route("claude", adapter.model),
        adapter,
        Price(3.0, 15.0, "table"),
        lambda text: len(text) // 4,
        RetryPolicy(max_tries=tries),
        sleep=sleeps.append,
        secrets=("sk-ant-secret-value",),
    )


def _error(kind: str, retry_after: float | None = None) -> CallError:
    return CallError(
        f"{kind} failed sk-ant-secret-value", "hint", error_class=kind, retry_after=retry_after
    )


def test_transient_errors_retry_with_backoff_and_cost_is_priced() -> None:
    sleeps: list[float] = []
    adapter = ScriptedAdapter(_error("transient"), _error("transient"), "done")
    reply = _route(adapter, sleeps).complete(REQUEST)
    assert reply.text == "done"
    assert sleeps == [0.5, 1.0]
    assert [a.success for a in reply.attempts] == [False, False, True]
    assert reply.attempts[-1].cost_micros == 1000 * 3 + 100 * 15
    assert all("sk-ant-secret-value" not in (a.error or "") for a in reply.attempts)


def test_retry_after_is_honoured_but_capped() -> None:
    sleeps: list[float] = []
    assert (
        _route(ScriptedAdapter(_error("rate_limit", 2.0), "ok"), sleeps).complete(REQUEST).text
        == "ok"
    )
    assert sleeps == [2.0]
    sleeps.clear()
    adapter = ScriptedAdapter(_error("rate_limit", 600.0), "never")
    with pytest.raises(ProviderFailed) as failed:
        _route(adapter, sleeps).complete(REQUEST)
    assert sleeps == [] and adapter.calls == 1
    assert failed.value.attempts[0].error_class == "rate_limit"


@pytest.mark.parametrize("kind", ["auth", "invalid_request", "malformed_reply"])
def test_no_retry_for_errors_retrying_cannot_fix(kind: str) -> None:
    adapter = ScriptedAdapter(_error(kind), "never")
    with pytest.raises(ProviderFailed) as failed:
        _route(adapter, []).complete(REQUEST)
    assert adapter.calls == 1
    assert failed.value.hint is not None and "hint" in failed.value.hint


def test_budget_is_checked_before_every_attempt() -> None:
    ledger = CallLedger([SpendLimit("run", 0, 0, 0, 10_000_000, 10_000_000, max_attempts=1)])
    adapter = ScriptedAdapter(_error("transient"), "ok")
    with pytest.raises(BudgetExceeded, match="run budget blocked: attempts=1/1"):
        _route(adapter, []).complete(REQUEST, ledger)
    assert adapter.calls == 1  # the retry would have been a second attempt
    assert len(ledger.attempts) == 1
    # Worst case: ~10 prompt tokens + 100 output at $3/$15 per million = 1,530 micros > 1,000.
    priced = CallLedger([SpendLimit("daily", 0, 0, 0, 10_000_000, 1_000)])
    untouched = ScriptedAdapter("never")
    with pytest.raises(BudgetExceeded, match="daily budget blocked"):
        _route(untouched, []).complete(REQUEST, priced)
    assert untouched.calls == 0


def test_exact_count_only_when_the_free_upper_bound_does_not_fit() -> None:
    counted: list[str] = []

    def exact(text: str) -> int:
        counted.append(text)
        return len(text) // 4

    def route(adapter: ScriptedAdapter) -> RouteProvider:
        return RouteProvider(
            Route("claude", adapter.model), adapter, None, exact, RetryPolicy(max_tries=1)
        )

    bound = len(REQUEST.prompt_text().encode()) + REQUEST.max_output_tokens
    roomy = CallLedger([SpendLimit("ask", 0, 0, 0, bound, 10_000_000)])
    route(ScriptedAdapter("ok")).complete(REQUEST, roomy)
    assert counted == []  # the tokenizer was never needed
    tight = CallLedger([SpendLimit("ask", 0, 0, 0, bound - 1, 10_000_000)])
    route(ScriptedAdapter("ok")).complete(REQUEST, tight)
    assert len(counted) == 1  # near the limit the exact count decides, and the call fits
    exact_worst = len(REQUEST.prompt_text()) // 4 + REQUEST.max_output_tokens
    none = CallLedger([SpendLimit("ask", 0, 0, 0, exact_worst - 1, 10_000_000)])
    untouched = ScriptedAdapter("never")
    with pytest.raises(BudgetExceeded, match=f"estimated_tokens={exact_worst}/"):
        route(untouched).complete(REQUEST, none)
    assert untouched.calls == 0


def test_a_counter_loads_its_tokenizer_at_the_first_count() -> None:
    from praxis.context import tokens

    tokens._ENCODINGS.clear()
    count = tokens.counter_for("claude")
    assert tokens._ENCODINGS == {}
    assert count("hello world") >= 1
