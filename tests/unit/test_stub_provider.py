"""The provider types, the deterministic stub backend and the backend factory."""

from __future__ import annotations

import hashlib

import pytest

from praxis.config.budgets import Budgets
from praxis.config.loader import Config
from praxis.config.settings import AgentSettings, Settings
from praxis.errors import PraxisError, ProviderFailed
from praxis.providers.base import (
    Attempt,
    CompletionRequest,
    Message,
    ToolCall,
    ToolSpec,
    estimate_tokens,
)
from praxis.providers.factory import build_provider
from praxis.providers.stub import StubProvider


def request(
    phase: str, subject: dict[str, str] | None = None, **kwargs: object
) -> CompletionRequest:
    return CompletionRequest(
        phase=phase,
        system="system text",
        context=str(kwargs.get("context", "")),
        messages=(Message("user", "the user turn"),),
        max_output_tokens=180,
        subject=subject or {},
    )


@pytest.mark.parametrize(
    ("phase", "subject", "expected"),
    [
        (
            "decide",
            {"task": "tidy notes", "goal_id": "G-002", "goal_title": "ignored when a task is set"},
            'Stub backend accepted task "tidy notes" for deferred execution.',
        ),
        (
            "decide",
            {"goal_id": "G-001", "goal_title": "Complete the first Praxis foundation run"},
            "Stub backend prepared goal G-001: Complete the first Praxis foundation run "
            "with safe internal maintenance only.",
        ),
        (
            "decide",
            {},
            "Stub backend performed idle maintenance because no task or open goal was available.",
        ),
        (
            "act",
            {"planned": "Stub backend prepared goal G-001: x with safe internal maintenance only."},
            "Stub backend prepared goal G-001: x with safe internal maintenance only. "
            "Act phase completed without external side effects.",
        ),
        (
            "ask",
            {"prompt": "hi there"},
            "Stub backend answered without creating a session: hi there",
        ),
        ("canary", {}, "PraxisCanaryReady"),
    ],
)
def test_stub_texts_match_the_original(phase: str, subject: dict[str, str], expected: str) -> None:
    reply = StubProvider().complete(request(phase, subject))
    assert reply.text == expected


def test_stub_ask_without_subject_answers_the_last_user_message() -> None:
    reply = StubProvider().complete(request("ask"))
    assert reply.text == "Stub backend answered without creating a session: the user turn"


def test_stub_makes_exactly_one_free_successful_attempt_and_no_tool_calls() -> None:
    reply = StubProvider().complete(request("decide", {"task": "t"}))
    assert reply.provider == "stub" and reply.model == "stub"
    assert reply.usage.input_tokens == 0 and reply.usage.output_tokens == 0
    assert reply.tool_calls == ()
    assert reply.attempts == (
        Attempt(
            phase="decide",
            provider="stub",
            model="stub",
            success=True,
            input_tokens=0,
            output_tokens=0,
            cost_micros=0,
            cost_known=True,
            latency_ms=0,
            error=None,
            error_class=None,
        ),
    )
    assert reply.cost_micros == 0 and reply.cost_known


def test_stub_is_deterministic() -> None:
    subject = {"goal_id": "G-003", "goal_title": "Write docs"}
    assert StubProvider().complete(request("decide", subject)) == StubProvider().complete(
        request("decide", subject)
    )


def test_stub_refuses_an_unknown_phase() -> None:
    with pytest.raises(ValueError, match="unknown phase"):
        StubProvider().complete(request("reflect"))


def test_prompt_text_carries_system_context_tools_and_messages() -> None:
    tool = ToolSpec("file-read", "Read a file", {"type": "object", "properties": {"path": {}}})
    call = ToolCall("call-1", "file-read", {"path": "GOALS.md"})
    req = CompletionRequest(
        phase="act",
        system="SYSTEM",
        context="CONTEXT",
        messages=(
            Message("user", "do it"),
            Message("assistant", "", tool_calls=(call,)),
            Message("tool", "file body", tool_call_id="call-1"),
        ),
        max_output_tokens=180,
        tools=(tool,),
    )
    text = req.prompt_text()
    assert text.startswith("SYSTEM\n\nCONTEXT\n\n")
    for piece in ("tool file-read: Read a file", '"path"', "user: do it", "call-1 file-read"):
        assert piece in text
    assert "tool [call-1]: file body" in text
    assert req.instructions() == "SYSTEM\n\nCONTEXT"
    assert req.prompt_hash() == hashlib.sha256(text.encode()).hexdigest()
    assert req.prompt_tokens() == estimate_tokens(text)


def test_prompt_hash_changes_with_any_part() -> None:
    base = request("ask", context="ctx")
    assert base.prompt_hash() == request("ask", context="ctx").prompt_hash()
    assert base.prompt_hash() != request("ask", context="other").prompt_hash()
    assert base.prompt_hash() != base._replace(system="changed").prompt_hash()
    assert base.instructions() == "system text\n\nctx"
    assert request("ask").instructions() == "system text"


@pytest.mark.parametrize(("text", "tokens"), [("", 0), ("a", 1), ("abcd", 1), ("abcde", 2)])
def test_estimate_tokens_rounds_up(text: str, tokens: int) -> None:
    assert estimate_tokens(text) == tokens


def test_provider_failed_keeps_attempts_and_names_the_phase() -> None:
    attempts = (
        Attempt("act", "claude", "m1", False, error="timed out", error_class="transient"),
        Attempt("act", "openai", "m2", False, error="HTTP 401", error_class="auth"),
    )
    error = ProviderFailed("act", attempts)
    assert isinstance(error, PraxisError) and error.exit_code == 1
    assert error.message == "all configured providers failed during act"
    assert error.attempts == attempts and error.phase == "act"
    assert error.hint == "last error (openai m2): HTTP 401"


def _config(backend: str) -> Config:
    settings = Settings(agent=AgentSettings(backend=backend))
    return Config(settings=settings, declared=settings, routes=(), budgets=Budgets(), profiles=())


def test_factory_builds_the_stub() -> None:
    provider = build_provider(_config("stub"))
    assert isinstance(provider, StubProvider)
    assert provider.name == "stub" and provider.model == "stub"
