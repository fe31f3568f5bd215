"""One configured route as a Provider: budget check, one adapter call, bounded retries, attempts.

Retries are for transient faults and rate limits only (auth and invalid requests fail at once);
a 429's Retry-After is honoured up to a cap, otherwise backoff doubles from a short base.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from praxis.config.providers import Route
from praxis.providers.adapter import Adapter
from praxis.providers.base import Attempt, CompletionRequest, ProviderFailed, Reply
from praxis.providers.http_errors import CallError
from praxis.providers.pricing import Price, cost_micros
from praxis.providers.spend import CallLedger
from praxis.redact import redact

RETRYABLE = ("transient", "rate_limit")


class RetryPolicy(NamedTuple):
    max_tries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0


DEFAULT_RETRY = RetryPolicy()


class RouteProvider:
    def __init__(
        self,
        route: Route,
        adapter: Adapter,
        price: Price | None,
        counter: Callable[[str], int],
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.route = route
        self.adapter = adapter
        self.name = route.provider
        self.model = adapter.model
        self.price = price
        self.counter = counter
        self.retry = retry
        self.sleep = sleep
        self.secrets = secrets

    def complete(
        self,
        request: CompletionRequest,
        ledger: CallLedger | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        ledger = ledger if ledger is not None else CallLedger()
        mine: list[Attempt] = []
        last_failure: CallError | None = None
        prompt_tokens = self.counter(request.prompt_text())
        worst_cost, _ = cost_micros(self.price, prompt_tokens, request.max_output_tokens)
        for attempt_number in range(1, self.retry.max_tries + 1):
            ledger.check(prompt_tokens + request.max_output_tokens, worst_cost)
            started = time.monotonic()
            try:
                result = self.adapter.call(request, on_text)
            except CallError as failure:
                last_failure = failure
                attempt = self._failed(request.phase, failure, started)
                ledger.record(attempt)
                mine.append(attempt)
                delay = self._retry_delay(failure, attempt_number)
                if delay is None:
                    break
                self.sleep(delay)
                continue
            cost, known = cost_micros(
                self.price, result.usage.input_tokens, result.usage.output_tokens
            )
            attempt = Attempt(
                request.phase,
                self.name,
                self.model,
                True,
                result.usage.input_tokens,
                result.usage.output_tokens,
                cost,
                known,
                _elapsed_ms(started),
            )
            ledger.record(attempt)
            mine.append(attempt)
            return Reply(
                result.text,
                self.name,
                self.model,
                result.usage,
                tuple(mine),
                result.tool_calls,
                result.stop_reason,
            )
        raise ProviderFailed(request.phase, tuple(mine), self._hint(last_failure))

    def _hint(self, failure: CallError | None) -> str | None:
        if failure is None:
            return None
        text = f"{self.name} {self.model}: {failure.message}"
        if failure.hint:
            text += f"; {failure.hint}"
        return redact(text, self.secrets)

    def _failed(self, phase: str, failure: CallError, started: float) -> Attempt:
        return Attempt(
            phase,
            self.name,
            self.model,
            False,
            0,
            0,
            0,
            True,
            _elapsed_ms(started),
            redact(failure.message, self.secrets),
            failure.error_class,
        )

    def _retry_delay(self, failure: CallError, attempt_number: int) -> float | None:
        if failure.error_class not in RETRYABLE or attempt_number >= self.retry.max_tries:
            return None
        if failure.error_class == "rate_limit" and failure.retry_after is not None:
            if failure.retry_after > self.retry.max_retry_after:
                return None  # waiting that long inside one call is worse than failing over
            return max(0.0, float(failure.retry_after))
        backoff: float = self.retry.base_delay * 2.0 ** (attempt_number - 1)
        return min(self.retry.max_delay, backoff)


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
