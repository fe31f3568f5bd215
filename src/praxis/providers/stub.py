"""The deterministic offline backend: fixed texts, no I/O, never a tool call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from praxis.providers.base import Attempt, CompletionRequest, Reply, Usage

if TYPE_CHECKING:
    from praxis.providers.spend import CallLedger

CANARY_REPLY = "PraxisCanaryReady"


class StubProvider:
    """Answers every phase with the original's stub texts; one free, successful attempt per call."""

    name = "stub"
    model = "stub"
    supports_tools = False  # it never calls a tool
    metered = False  # offline and free: no period limits, nothing to meter

    def complete(
        self,
        request: CompletionRequest,
        ledger: CallLedger | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Reply:
        if ledger is not None:
            ledger.check(0, 0)  # the stub spends nothing, but still counts as an attempt
        attempt = Attempt(phase=request.phase, provider=self.name, model=self.model, success=True)
        if ledger is not None:
            ledger.record(attempt)
        text = stub_text(request)
        if on_text is not None:
            on_text(text)
        return Reply(
            text=text,
            provider=self.name,
            model=self.model,
            usage=Usage(0, 0),
            attempts=(attempt,),
            stop_reason="end",
        )


def stub_text(request: CompletionRequest) -> str:
    subject = request.subject
    if request.phase == "ask":
        prompt = subject.get("prompt")
        if prompt is None:
            prompt = _last_user_text(request)
        return f"Stub backend answered without creating a session: {prompt}"
    if request.phase == "decide":
        task = subject.get("task")
        if task:
            return f'Stub backend accepted task "{task}" for deferred execution.'
        goal_id = subject.get("goal_id")
        if goal_id:
            title = subject.get("goal_title", "")
            return f"Stub backend prepared goal {goal_id}: {title} with safe internal maintenance only."
        return "Stub backend performed idle maintenance because no task or open goal was available."
    if request.phase == "act":
        planned = subject.get("planned", "")
        return f"{planned} Act phase completed without external side effects."
    if request.phase == "canary":
        return CANARY_REPLY
    raise ValueError(f"unknown phase {request.phase!r}")


def _last_user_text(request: CompletionRequest) -> str:
    for message in reversed(request.messages):
        if message.role == "user":
            return str(message.content)
    return ""
