"""A provider the loop tests hand to `run_once` and `ask` in place of a real model."""

from __future__ import annotations

from collections.abc import Callable

from praxis.providers.base import Attempt, CompletionRequest, Reply, Usage
from praxis.providers.spend import CallLedger
from praxis.providers.stub import stub_text


class StubLike:
    """Answers like the stub under another name and spends like a model: 10 tokens in and 5 out
    per call, checked and recorded through the ledger when there is one. Keeps every request it
    receives; `calls` counts those its limits let through. Whether it is metered (held to the
    period limits) is the test's choice."""

    name = "recorder"
    model = "recorder-1"
    supports_tools = False

    def __init__(self, metered: bool = True) -> None:
        self.metered = metered
        self.requests: list[CompletionRequest] = []
        self.calls = 0

    def complete(
        self,
        request: CompletionRequest,
        ledger: CallLedger | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        self.requests.append(request)
        attempt = Attempt(request.phase, self.name, self.model, True, 10, 5)
        if ledger is not None:
            ledger.check(10 + request.max_output_tokens, 0)
            ledger.record(attempt)
        self.calls += 1
        return Reply(stub_text(request), self.name, self.model, Usage(10, 5), (attempt,), (), "end")
