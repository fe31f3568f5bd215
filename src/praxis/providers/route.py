"""One configured route as a Provider: budget check, one adapter call, bounded retries, attempts.

Retries are for transient faults and rate limits only (auth and invalid requests fail at once);
a 429's Retry-After is honoured up to a cap, otherwise backoff doubles from a short base.
A route without tools (`tools = false`, or a server that once rejected them) gets the request
without tools; a 400 naming tools is retried at once without them, and remembered.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import NamedTuple

from praxis import clock
from praxis.config.providers import Route
from praxis.errors import BudgetExceeded, CallError, ProviderFailed
from praxis.providers.adapter import Adapter
from praxis.providers.base import Attempt, CompletionRequest, Reply
from praxis.providers.live_text import AttemptText
from praxis.providers.pricing import Price, cost_micros
from praxis.providers.spend import CallLedger, Target
from praxis.providers.tool_support import RouteKey, ToolLessRoutes, rejects_tools, without_tools
from praxis.redact import redact

RETRYABLE = ("transient", "rate_limit")


class RetryPolicy(NamedTuple):
    max_tries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0


DEFAULT_RETRY = RetryPolicy()


class RouteProvider:
    metered = True

    def __init__(
        self,
        route: Route,
        adapter: Adapter,
        price: Price | None,
        counter: Callable[[str], int],
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        secrets: tuple[str, ...] = (),
        *,
        base_url: str | None = None,
        tool_less: ToolLessRoutes | None = None,
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
        self.key = RouteKey(route.provider, self.model, base_url or route.base_url or "")
        self.tool_less = tool_less if tool_less is not None else ToolLessRoutes()
        self._tools = route.tools and not self.tool_less.contains(self.key)

    @property
    def supports_tools(self) -> bool:
        """False when providers.toml says `tools = false` or the server rejected tools."""
        return self._tools

    def complete(
        self,
        request: CompletionRequest,
        ledger: CallLedger | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        ledger = ledger if ledger is not None else CallLedger()
        mine: list[Attempt] = []
        last_failure: CallError | None = None
        dropped = bool(request.tools) and not self._tools
        sent = without_tools(request) if dropped else request
        attempt_number = 0
        while attempt_number < self.retry.max_tries:
            attempt_number += 1
            target = Target(request.phase, self.name, self.model, self.price is not None)
            self._reserve(ledger, sent, target)
            started = time.monotonic()
            live = AttemptText(on_text) if on_text is not None else None
            try:
                result = self.adapter.call(sent, live)
            except CallError as failure:
                if live is not None:
                    live.failed()  # text it streamed is void: the next attempt starts over
                last_failure = failure
                attempt = self._failed(request.phase, failure, started)
                ledger.record(attempt)
                mine.append(attempt)
                if sent.tools and rejects_tools(failure):
                    # The same call, at once and without tools; this route never gets them again.
                    self._forget_tools(failure)
                    dropped, sent = True, without_tools(request)
                    attempt_number -= 1
                    continue
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
                dropped,
            )
        raise ProviderFailed(request.phase, tuple(mine), self._hint(last_failure))

    def _reserve(self, ledger: CallLedger, sent: CompletionRequest, target: Target) -> None:
        """Check the limits with the worst case and reserve it. The free upper bound (UTF-8
        bytes) is tried first; only when it does not fit is the prompt counted exactly (loading
        the tokenizer's table costs more than a loopback call), and that count decides."""
        from praxis.context.tokens import upper_bound

        text = sent.prompt_text()
        bound = upper_bound(text)
        try:
            ledger.check(bound + sent.max_output_tokens, self._worst_cost(bound, sent), target)
            return
        except BudgetExceeded:
            exact = self.counter(text)
            if exact >= bound:
                raise
        ledger.check(exact + sent.max_output_tokens, self._worst_cost(exact, sent), target)

    def _worst_cost(self, prompt_tokens: int, sent: CompletionRequest) -> int:
        return cost_micros(self.price, prompt_tokens, sent.max_output_tokens)[0]

    def _forget_tools(self, failure: CallError) -> None:
        self._tools = False
        with contextlib.suppress(OSError):  # an unwritable data dir: this process remembers
            self.tool_less.remember(
                self.key, redact(failure.message, self.secrets), clock.now_text()
            )

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
